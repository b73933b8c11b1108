from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth.forms import LoginForm, NieuwWachtwoordForm, WachtwoordVergetenForm
from portal.models import User
from portal.services import accounts, tweede_factor
from portal.web import begin_sessie, client_ip

bp = Blueprint("auth", __name__)

WACHTEN = "tweede_factor_wacht"
"""The session's note of who gave the right password and waits for the second step (portal.auth.tweede_factor)."""


def wacht_op_code(user: User, bestemming: str | None) -> None:
    """After a right password: remember who waits for the second step, for a few minutes; not logged in yet."""
    session[WACHTEN] = {"id": user.id, "tot": tweede_factor.wacht_tot(), "doel": bestemming}


def veilige_bestemming(target: str | None) -> str | None:
    """Only a path within the portal: no scheme, no host, no protocol-relative '//' tricks."""
    if not target:
        return None
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("gemeente.start"))
    form = LoginForm()
    mislukt: accounts.InloggenMislukt | None = None
    if form.validate_on_submit():
        try:
            user, vervolg = tweede_factor.inloggen(form.email.data, form.password.data, client_ip())
        except accounts.InloggenMislukt as fout:
            mislukt = fout
        else:
            bestemming = veilige_bestemming(request.args.get("next"))
            if vervolg is not tweede_factor.Vervolg.KLAAR:
                wacht_op_code(user, bestemming)
                return redirect(url_for("auth.code" if vervolg is tweede_factor.Vervolg.CODE
                                        else "auth.instellen_bij_inloggen"))
            login_user(user)
            begin_sessie(user)
            return redirect(bestemming or url_for("gemeente.start"))
    if mislukt is None:
        return render_template("auth/login.html", form=form, fout=None)
    response = make_response(render_template("auth/login.html", form=form, fout=mislukt.melding),
                             429 if mislukt.geweigerd else 401)
    if mislukt.wacht_seconden:
        response.headers["Retry-After"] = str(mislukt.wacht_seconden)
    return response


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("auth/logout.html")
    accounts.uitloggen(current_user, client_ip())
    logout_user()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def wachtwoord_vergeten() -> ResponseReturnValue:
    form = WachtwoordVergetenForm()
    if form.validate_on_submit():
        accounts.vraag_herstel_aan(
            form.email.data, client_ip(),
            lambda token: url_for("auth.wachtwoord_herstellen", token=token, _external=True))
        # The same answer whether the address has an account or not.
        return redirect(url_for("auth.wachtwoord_aangevraagd"))
    return render_template("auth/wachtwoord_vergeten.html", form=form)


@bp.route("/wachtwoord-vergeten/aangevraagd")
def wachtwoord_aangevraagd() -> ResponseReturnValue:
    return render_template("auth/wachtwoord_aangevraagd.html")


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def wachtwoord_herstellen(token: str) -> ResponseReturnValue:
    try:
        user = accounts.gebruiker_voor_herstel(token)
    except accounts.OngeldigeHerstellink as fout:
        return render_template("auth/herstellink_ongeldig.html", melding=fout.melding), 400
    form = NieuwWachtwoordForm()
    if form.validate_on_submit():
        try:
            accounts.herstel_wachtwoord(token, form.password.data, client_ip())
        except accounts.OngeldigeHerstellink as fout:
            return render_template("auth/herstellink_ongeldig.html", melding=fout.melding), 400
        except accounts.OngeldigeGebruiker as fout:
            form.password.errors = [*form.password.errors, fout.melding]
        else:
            logout_user()
            flash("Uw nieuwe wachtwoord is opgeslagen. Log in met uw e-mailadres en het nieuwe wachtwoord.", "succes")
            return redirect(url_for("auth.login"))
    response = make_response(render_template("auth/nieuw_wachtwoord.html", form=form, email=user.email,
                                             minimum=accounts.MIN_WACHTWOORDLENGTE), 422 if form.errors else 200)
    # The page's address holds the link's token: no cache keeps it.
    response.headers["Cache-Control"] = "no-store"
    return response
