"""The second factor: the code after the password, the CAK's enrolment at login, and the account page where
anyone else switches it on or off.

Between a right password and the code, the session holds only who is waiting and until when (WACHTEN); the
user is logged in (flask-login) only after the code.
"""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth.forms import CodeForm
from portal.auth.routes import WACHTEN, bp
from portal.models import User
from portal.services import tweede_factor
from portal.web import begin_sessie, client_ip

VERLOPEN = "Uw inlogpoging is verlopen of onderbroken. Log opnieuw in met uw e-mailadres en wachtwoord."


def _wachtende() -> tuple[User | None, str]:
    wacht = session.get(WACHTEN)
    if not isinstance(wacht, dict) or tweede_factor.wachten_verlopen(wacht.get("tot")):
        session.pop(WACHTEN, None)
        return None, ""
    doel = wacht.get("doel")
    return tweede_factor.wachtende(wacht.get("id")), doel if isinstance(doel, str) else ""


def _opnieuw() -> ResponseReturnValue:
    session.pop(WACHTEN, None)
    flash(VERLOPEN, "info")
    return redirect(url_for("auth.login"))


def _geen_opslag(response: ResponseReturnValue) -> ResponseReturnValue:
    antwoord = make_response(response)
    antwoord.headers["Cache-Control"] = "no-store"
    return antwoord


@bp.route("/login/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    user, doel = _wachtende()
    if user is None:
        return _opnieuw()
    if not tweede_factor.is_ingesteld(user):
        return redirect(url_for("auth.instellen_bij_inloggen"))
    form = CodeForm()
    fout = None
    if form.validate_on_submit():
        try:
            tweede_factor.controleer(user, form.code.data, client_ip())
        except tweede_factor.CodeOnjuist as onjuist:
            fout = onjuist.melding
            if onjuist.geblokkeerd:
                session.pop(WACHTEN, None)
        else:
            session.pop(WACHTEN, None)
            login_user(user)
            begin_sessie(user)
            return redirect(doel or url_for("gemeente.start"))
    status = 401 if fout else 422 if form.errors else 200
    return render_template("auth/code.html", form=form, fout=fout), status


@bp.route("/login/tweede-factor-instellen", methods=["GET", "POST"])
def instellen_bij_inloggen() -> ResponseReturnValue:
    user, doel = _wachtende()
    if user is None:
        return _opnieuw()
    if tweede_factor.is_ingesteld(user):
        return redirect(url_for("auth.code"))
    form = CodeForm()
    fout = None
    if form.validate_on_submit():
        try:
            codes = tweede_factor.bevestig_instellen(user, form.code.data, client_ip(), inloggen=True)
        except tweede_factor.CodeOnjuist as onjuist:
            fout = onjuist.melding
            if onjuist.geblokkeerd:
                session.pop(WACHTEN, None)
                return render_template("auth/code.html", form=CodeForm(formdata=None), fout=fout), 401
        else:
            session.pop(WACHTEN, None)
            login_user(user)
            begin_sessie(user)
            return _geen_opslag(render_template("auth/herstelcodes.html", codes=codes,
                                                verder=doel or url_for("gemeente.start")))
    instelling = tweede_factor.begin_instellen(user)
    status = 401 if fout else 422 if form.errors else 200
    return _geen_opslag((render_template("auth/tweede_factor_instellen.html", form=form, fout=fout,
                                         instelling=instelling, bij_inloggen=True), status))


@bp.route("/account/tweede-factor")
@login_required
def account() -> ResponseReturnValue:
    return render_template("auth/tweede_factor.html", status=tweede_factor.status(current_user), form=CodeForm())


@bp.route("/account/tweede-factor/instellen", methods=["GET", "POST"])
@login_required
def instellen() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    if tweede_factor.is_ingesteld(user):
        return redirect(url_for("auth.account"))
    form = CodeForm()
    fout = None
    if form.validate_on_submit():
        try:
            codes = tweede_factor.bevestig_instellen(user, form.code.data, client_ip())
        except tweede_factor.CodeOnjuist as onjuist:
            fout = onjuist.melding
        else:
            return _geen_opslag(render_template("auth/herstelcodes.html", codes=codes,
                                                verder=url_for("auth.account")))
    instelling = tweede_factor.begin_instellen(user)
    status = 401 if fout else 422 if form.errors else 200
    return _geen_opslag((render_template("auth/tweede_factor_instellen.html", form=form, fout=fout,
                                         instelling=instelling, bij_inloggen=False), status))


@bp.route("/account/tweede-factor/uitzetten", methods=["POST"])
@login_required
def uitzetten() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = CodeForm()
    fout = None
    if form.validate_on_submit():
        try:
            tweede_factor.zet_uit(user, form.code.data, client_ip())
        except tweede_factor.CodeOnjuist as onjuist:
            fout = onjuist.melding
        else:
            flash("De tweede factor staat uit. U logt voortaan in met alleen uw wachtwoord.", "succes")
            return redirect(url_for("auth.account"))
    return render_template("auth/tweede_factor.html", status=tweede_factor.status(user), form=form,
                           fout=fout), 401 if fout else 422


@bp.before_app_request
def tweede_factor_verplicht() -> ResponseReturnValue | None:
    """A CAK user logged in without a second factor (a session from before it was required) starts again."""
    if request.blueprint == "api" or request.endpoint in (None, "static"):
        return None
    if current_user.is_authenticated and tweede_factor.moet_nog_instellen(current_user):
        logout_user()
        flash("Voor medewerkers van het CAK is een tweede factor verplicht. Log opnieuw in om hem in te stellen.",
              "info")
        return redirect(url_for("auth.login"))
    return None
