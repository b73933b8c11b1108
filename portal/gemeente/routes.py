from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.downloads import bijlage
from portal.extensions import db
from portal.gemeente.forms import AanmeldingForm, UploadForm
from portal.rollen import Levering
from portal.services import delivery, folders, migratie, storage, toegang, uitval
from portal.services.audit import Actor
from portal.web import actor, is_htmx, toont_bsns

bp = Blueprint("gemeente", __name__)


def _download(uitgifte: folders.Uitgifte) -> Response:
    return bijlage(uitgifte.inhoud, uitgifte.mediatype, uitgifte.naam, uitgifte.sha256)


@bp.route("/")
@login_required
def start() -> ResponseReturnValue:
    if current_user.is_cak:
        return redirect(url_for("cak.overzicht"))
    gemeenten = toegang.zichtbare_gemeenten(current_user)
    if len(gemeenten) == 1:
        return redirect(url_for("gemeente.map", code=gemeenten[0].code))
    return render_template("gemeente/start.html", gemeenten=gemeenten)


def _map_pagina(code: str, naam: str | None = None, gepost: FlaskForm | None = None) -> ResponseReturnValue:
    """The folder page; with `naam` and `gepost`, that posted form which did not validate, with its errors (422)."""
    pagina = migratie.gemeentepagina(current_user, code)
    gemeentemap = folders.map_voor(pagina.gemeente)
    forms: dict[str, FlaskForm] = {
        "aanmelding": AanmeldingForm(prefix="aanmelding", formdata=None),
        "terugkoppeling": UploadForm(prefix="terugkoppeling", formdata=None),
        "wmo407": UploadForm(prefix="wmo407", formdata=None)}
    if naam is not None and gepost is not None:
        forms[naam] = gepost
    forms["aanmelding"].vul_weken(pagina.timeslots)
    return render_template("gemeente/map.html", map=gemeentemap, gemeente=pagina.gemeente, pagina=pagina,
                           aanmelding_form=forms["aanmelding"], terugkoppeling_form=forms["terugkoppeling"],
                           wmo407_form=forms["wmo407"], gepost=gepost,
                           uitval_aantal=pagina.uitval), 200 if gepost is None else 422


@bp.route("/gemeenten/<code>/")
@toont_bsns
@login_required
def map(code: str) -> ResponseReturnValue:
    return _map_pagina(code)


@bp.route("/bestanden/<int:bestand_id>")
@login_required
def download(bestand_id: int) -> ResponseReturnValue:
    return _download(folders.download(current_user, bestand_id, actor()))


@bp.route("/ontvangsten/<int:ontvangst_id>")
@login_required
def ontvangst(ontvangst_id: int) -> ResponseReturnValue:
    return _download(folders.ontvangst_download(current_user, ontvangst_id, actor()))


@bp.route("/gemeenten/<code>/aanmelding", methods=["POST"])
@login_required
def aanmelden(code: str) -> ResponseReturnValue:
    gemeente = toegang.gemeente_om_te_leveren(current_user, code, Levering.AANMELDEN)
    form = AanmeldingForm(prefix="aanmelding")
    form.vul_weken(migratie.timeslots())
    if form.validate_on_submit():
        try:
            migratie.meld_aan(actor(), gemeente, date.fromisoformat(form.voorkeur.data),
                              date.fromisoformat(form.tweede_keus.data) if form.tweede_keus.data else None,
                              form.toelichting.data)
        except migratie.MigratieFout as fout:
            db.session.rollback()
            flash(fout.melding, "fout")
        else:
            flash("Uw aanmelding is ontvangen. Het CAK bevestigt de week of wijst een andere toe.", "succes")
    else:
        return _map_pagina(code, "aanmelding", form)
    return redirect(url_for("gemeente.map", code=code))


def _uploadbestand(form: UploadForm) -> tuple[str, bytes] | None:
    if not form.validate_on_submit():
        return None
    bestand = form.bestand.data
    return bestand.filename or "zonder-naam", bestand.read()


class Ontvangen(Protocol):
    ontvangst_id: int


def _upload(code: str, levering: Levering, prefix: str, verwerk: Callable[[Actor, str, str, bytes], Ontvangen],
            fragment: str, naam: str, bewijs: Callable[[str, int], str]) -> ResponseReturnValue:
    """An upload form posted as htmx (the result in place, the status and folder refreshed) or as a
    plain form: then post/redirect/get to the receipt (`bewijs`), so a reload never sends the file again."""
    toegang.gemeente_om_te_leveren(current_user, code, levering)  # the CAK: 403 before anything is stored
    form = UploadForm(prefix=prefix)
    upload = _uploadbestand(form)
    fout = None if upload is not None else (
        " ".join(e for fouten in form.errors.values() for e in fouten) or "Kies een bestand om te uploaden.")
    uitkomst = verwerk(actor(), code, *upload) if upload is not None else None
    if is_htmx():
        pagina = migratie.gemeentepagina(current_user, code)
        return render_template(fragment, **{naam: uitkomst}, fout=fout, pagina=pagina, gemeente=pagina.gemeente,
                               map=folders.map_voor(pagina.gemeente), uitval_aantal=pagina.uitval, oob=True)
    if uitkomst is None:
        return _map_pagina(code, prefix, form)
    return redirect(bewijs(code, uitkomst.ontvangst_id), 303)


@bp.route("/gemeenten/<code>/terugkoppeling", methods=["POST"])
@login_required
def terugkoppeling(code: str) -> ResponseReturnValue:
    return _upload(code, Levering.TERUGKOPPELEN, "terugkoppeling", migratie.ontvang_terugkoppeling,
                   "gemeente/_terugkoppeling_resultaat.html", "uitkomst",
                   lambda code, ontvangst_id: url_for("gemeente.terugkoppeling_bewijs", code=code,
                                                      ontvangst_id=ontvangst_id))


@bp.route("/gemeenten/<code>/terugkoppeling/<int:ontvangst_id>")
@login_required
def terugkoppeling_bewijs(code: str, ontvangst_id: int) -> ResponseReturnValue:
    """The receipt of an uploaded terugkoppeling: what was received and how it was answered."""
    uitkomst = migratie.ontvangstbewijs(current_user, code, ontvangst_id)
    gemeente = toegang.gemeente_voor(current_user, code)
    return render_template("gemeente/ontvangstbewijs.html", uitkomst=uitkomst, gemeente=gemeente)


@bp.route("/gemeenten/<code>/wmo407", methods=["POST"])
@login_required
def wmo407(code: str) -> ResponseReturnValue:
    return _upload(code, Levering.WMO407_STUREN, "wmo407", delivery.ontvang_wmo407,
                   "gemeente/_wmo407_resultaat.html", "verwerking",
                   lambda code, ontvangst_id: url_for("gemeente.bericht", code=code, ontvangst_id=ontvangst_id))


@bp.route("/gemeenten/<code>/wmo407/genereer", methods=["POST"])
@login_required
def genereer(code: str) -> ResponseReturnValue:
    try:
        bericht = delivery.genereer_wmo407(actor(), code)
    except migratie.MigratieFout as fout:
        db.session.rollback()
        flash(fout.melding, "fout")
        return redirect(url_for("gemeente.map", code=code))
    return bijlage(bericht.inhoud, "application/xml", bericht.bestandsnaam)


def _retourcode_uit_adres() -> str | None:
    return (request.args.get("retourcode") or "").strip().upper() or None


@bp.route("/gemeenten/<code>/berichten", methods=["GET", "POST"])
@login_required
def berichten(code: str) -> ResponseReturnValue:
    """The messages; a BSN is searched only when it is posted (never from the address, which is logged)."""
    retourcode = _retourcode_uit_adres()
    bsn = (request.form.get("bsn") or "").strip() if request.method == "POST" else ""
    gemeente, regels = delivery.berichten(current_user, code, retourcode)
    perioden = delivery.perioden_met_retourcode(current_user, code, retourcode) if retourcode else None
    zoekresultaat = delivery.zoek_bsn(current_user, code, bsn)[1] if bsn else None
    return render_template("gemeente/berichten.html", gemeente=gemeente, regels=regels, retourcode=retourcode,
                           perioden=perioden, bsn=bsn, zoekresultaat=zoekresultaat,
                           codes=delivery.retourcodes_in_gebruik(gemeente),
                           uitval_aantal=uitval.aantal(current_user, code))


def _xlsx(export: delivery.Export | uitval.Export) -> Response:
    return bijlage(export.inhoud, storage.XLSX, export.naam)


@bp.route("/gemeenten/<code>/berichten/afgekeurde-perioden.xlsx")
@toont_bsns
@login_required
def export_retourcode(code: str) -> ResponseReturnValue:
    return _xlsx(delivery.exporteer_retourcode(actor(), code, _retourcode_uit_adres() or ""))


@bp.route("/gemeenten/<code>/berichten/<int:ontvangst_id>")
@toont_bsns
@login_required
def bericht(code: str, ontvangst_id: int) -> ResponseReturnValue:
    detail = delivery.bericht_detail(current_user, code, ontvangst_id)
    return render_template("gemeente/bericht.html", detail=detail, gemeente=detail.gemeente)


@bp.route("/gemeenten/<code>/berichten/<int:ontvangst_id>/afgekeurde-perioden.xlsx")
@toont_bsns
@login_required
def export_bericht(code: str, ontvangst_id: int) -> ResponseReturnValue:
    return _xlsx(delivery.exporteer_afgekeurd_bericht(actor(), code, ontvangst_id))


@bp.route("/gemeenten/<code>/uitval", endpoint="uitval")
@toont_bsns
@login_required
def uitvalpagina(code: str) -> ResponseReturnValue:
    """The periods the gemeente still has to fix; `?formaat=xlsx` downloads them all."""
    if request.args.get("formaat") == "xlsx":
        return _xlsx(uitval.exporteer(actor(), code))
    overzicht = uitval.overzicht(current_user, code, _retourcode_uit_adres())
    return render_template("gemeente/uitval.html", overzicht=overzicht, gemeente=overzicht.gemeente)
