from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth.forms import LoginForm
from portal.services import accounts
from portal.web import client_ip

bp = Blueprint("auth", __name__)


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
    fout = None
    if form.validate_on_submit():
        try:
            user = accounts.inloggen(form.email.data, form.password.data, client_ip())
        except accounts.InloggenMislukt as mislukt:
            fout = mislukt.melding
        else:
            login_user(user)
            bestemming = veilige_bestemming(request.args.get("next"))
            return redirect(bestemming or url_for("gemeente.start"))
    status = 200 if fout is None else 401
    return render_template("auth/login.html", form=form, fout=fout), status


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("auth/logout.html")
    accounts.uitloggen(current_user, client_ip())
    logout_user()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))
