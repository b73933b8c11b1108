"""The portal page where a user manages API tokens: their own (make one, shown once; revoke), and for a
beheerder also those of the users of their gemeenten (the CAK's beheerder: all). Forms with CSRF."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional

from portal.extensions import db
from portal.services import apitokens
from portal.web import actor

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    naam = StringField("Naam van het token (bijvoorbeeld de naam van uw software)",
                       validators=[Optional(), Length(max=apitokens.MAX_NAAM,
                                                      message=f"Gebruik hooguit {apitokens.MAX_NAAM} tekens.")])
    submit = SubmitField("Token aanmaken")


class IntrekForm(FlaskForm):
    submit = SubmitField("Intrekken")


def _pagina(form: TokenForm | None = None, nieuw: apitokens.NieuwToken | None = None,
            status: int = 200) -> ResponseReturnValue:
    response = render_template("api/tokens.html", tokens=apitokens.zichtbare_tokens(current_user),
                               form=form or TokenForm(formdata=None), intrek_form=IntrekForm(formdata=None),
                               nieuw=nieuw)
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/")
@login_required
def tokens() -> ResponseReturnValue:
    return _pagina()


@bp.route("/", methods=["POST"])
@login_required
def maak() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate():
        return _pagina(form, status=422)
    try:
        nieuw = apitokens.maak_token(actor(), current_user, form.naam.data)
    except apitokens.TokenFout as fout:
        db.session.rollback()
        flash(fout.melding, "fout")
        return redirect(url_for("tokens.tokens"))
    # The secret is shown on this answer only (never stored, so a redirect could not show it again).
    return _pagina(nieuw=nieuw, status=201)


@bp.route("/<int:token_id>/intrekken", methods=["POST"])
@login_required
def intrekken(token_id: int) -> ResponseReturnValue:
    token = apitokens.trek_in(actor(), token_id)
    flash(f"Het token '{token.naam}' ({token.prefix}…) is ingetrokken; het werkt niet meer.", "succes")
    return redirect(url_for("tokens.tokens"))
