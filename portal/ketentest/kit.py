"""The ketentest kit page for testers: the clock, the scenario's gemeenten (state, demo behaviour,
reset) and the WMO407 test files with their promises. Who sees what is decided in `ketentestkit`."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.downloads import bijlage
from portal.extensions import db
from portal.ieb.retourcodes import RETOURCODES
from portal.ketentest.forms import KitGedragForm, KitResetForm
from portal.ketentest.routes import bp
from portal.services import demogedrag, ketentestkit
from portal.services.ketentestreset import ResetFout
from portal.web import actor


@bp.route("/kit", endpoint="kit")
def kit() -> ResponseReturnValue:
    pagina = ketentestkit.kitpagina(actor(), request.args.get("gemeente") or None)
    return render_template("ketentest/kit.html", pagina=pagina, retourcodes=RETOURCODES,
                           reset_form=KitResetForm(formdata=None), gedrag_form=KitGedragForm(formdata=None))


@bp.route("/kit/<code>/testset.zip", endpoint="kit_testset")
def kit_testset(code: str) -> ResponseReturnValue:
    download = ketentestkit.testset(actor(), code)
    return bijlage(download.inhoud, "application/zip", download.bestandsnaam)


@bp.route("/kit/<code>/reset", methods=["POST"], endpoint="kit_reset")
def kit_reset(code: str) -> ResponseReturnValue:
    if KitResetForm().validate():
        try:
            reset = ketentestkit.reset(actor(), code)
        except ResetFout as fout:
            db.session.rollback()
            flash(fout.melding, "fout")
        else:
            flash(f"{reset.gemeente.naam} is teruggezet naar het begin van de demo. {reset.toelichting}", "succes")
    else:
        flash("Het formulier is verlopen; probeer het opnieuw.", "fout")
    return redirect(url_for("ketentest.kit", gemeente=code))


@bp.route("/kit/<code>/demogedrag", methods=["POST"], endpoint="kit_demogedrag")
def kit_demogedrag(code: str) -> ResponseReturnValue:
    ketentestkit.vereis_mag_demogedrag_zetten(actor(), code)
    form = KitGedragForm()
    if not form.validate():
        flash("Kies of de gemeente zelf handelt (aan) of niet (uit), en probeer het opnieuw.", "fout")
        return redirect(url_for("ketentest.kit"))
    try:
        rij = ketentestkit.zet_demogedrag(actor(), code, form.aan.data == "1")
    except demogedrag.GedragFout as fout:
        db.session.rollback()
        flash(fout.melding, "fout")
    else:
        flash(f"Gemeente {code} handelt {'nu zelf' if rij.aan else 'niet meer zelf'} als de klok verzet wordt.",
              "succes")
    return redirect(url_for("ketentest.kit"))
