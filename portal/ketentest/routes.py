"""The ketentest pages: the virtual clock (only in PORTAL_MODE=ketentest, only for CAK users)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal.extensions import db
from portal.kalender import format_moment
from portal.ketentest import klokoverzicht
from portal.ketentest.forms import STAPPEN, KlokVerzetForm, KlokVolgendeForm, KlokZetForm
from portal.services import ketentestklok
from portal.web import actor

bp = Blueprint("ketentest", __name__, url_prefix="/ketentest")


@bp.before_request
@login_required
def alleen_ketentest_en_cak() -> None:
    """The clock pages exist only in ketentest mode, and only for CAK users; else 'not found'. The kit
    (`portal.ketentest.kit`) decides in its service who sees what, also in ontwikkeling mode."""
    if (request.endpoint or "").startswith("ketentest.kit"):
        return
    if current_app.config["PORTAL_MODE"] != "ketentest" or not current_user.is_cak:
        abort(404)

MEER_DAN = 5  # steps named one by one in the message after a move; the rest are counted


def _klokpagina(zet_form: KlokZetForm | None = None, verzet_form: KlokVerzetForm | None = None,
                status: int = 200) -> ResponseReturnValue:
    pagina = klokoverzicht.klokpagina()
    zet_form = zet_form or KlokZetForm(formdata=None, moment=pagina.invoerwaarde)
    return render_template("ketentest/klok.html", pagina=pagina, zet_form=zet_form,
                           verzet_form=verzet_form or KlokVerzetForm(formdata=None),
                           volgende_form=KlokVolgendeForm(formdata=None), stappen=STAPPEN), status


def _melding(verzetting: klokoverzicht.Verzetting) -> str:
    tekst = f"De klok staat nu op {format_moment(verzetting.naar)}."
    if not verzetting.uitgevoerd:
        tekst += " Er viel geen geplande stap in deze periode."
    else:
        namen = [f"{s.omschrijving} ({s.gemeente_naam or 'alle gemeenten'}, "
                 f"{format_moment(s.due_op)})" for s in verzetting.uitgevoerd[:MEER_DAN]]
        rest = len(verzetting.uitgevoerd) - MEER_DAN
        aantal = len(verzetting.uitgevoerd)
        tekst += (f" {aantal} geplande {'stap' if aantal == 1 else 'stappen'} uitgevoerd: " + "; ".join(namen)
                  + (f"; en nog {rest}" if rest > 0 else "") + ".")
    return tekst


def _na_verzetten(verzetting: klokoverzicht.Verzetting) -> ResponseReturnValue:
    flash(_melding(verzetting), "succes")
    if verzetting.mislukt:
        flash(f"{len(verzetting.mislukt)} geplande {'stap is' if len(verzetting.mislukt) == 1 else 'stappen zijn'} "
              "mislukt; de planner probeert het opnieuw. Zie 'Laatst uitgevoerd' en de pagina van de gemeente.",
              "fout")
    return redirect(url_for("ketentest.klok"))


def _geweigerd(fout: ketentestklok.KlokFout) -> ResponseReturnValue:
    db.session.rollback()
    flash(fout.melding, "fout")
    return redirect(url_for("ketentest.klok"))


@bp.route("/")
def start() -> ResponseReturnValue:
    return redirect(url_for("ketentest.klok"))


@bp.route("/klok", endpoint="klok")
def klok_pagina() -> ResponseReturnValue:
    return _klokpagina()


@bp.route("/klok/zet", methods=["POST"])
def zet() -> ResponseReturnValue:
    form = KlokZetForm()
    if not form.validate():
        return _klokpagina(zet_form=form, status=422)
    try:
        verzetting = klokoverzicht.zet(actor(), form.tijdstip)
    except ketentestklok.KlokFout as fout:
        return _geweigerd(fout)
    return _na_verzetten(verzetting)


@bp.route("/klok/verzet", methods=["POST"])
def verzet() -> ResponseReturnValue:
    form = KlokVerzetForm()
    if not form.validate():
        return _klokpagina(verzet_form=form, status=422)
    try:
        verzetting = klokoverzicht.verzet(actor(), ketentestklok.lees_duur(form.duur.data))
    except ketentestklok.KlokFout as fout:
        return _geweigerd(fout)
    return _na_verzetten(verzetting)


@bp.route("/klok/volgende", methods=["POST"])
def volgende() -> ResponseReturnValue:
    try:
        verzetting = klokoverzicht.naar_volgende_stap(actor())
    except ketentestklok.KlokFout as fout:
        return _geweigerd(fout)
    return _na_verzetten(verzetting)
