"""The CAK pages: the dashboard, the gemeenten, one gemeente with its actions, and the outbox.

A route parses its input, calls one service function and renders the answer; which actions are
possible and whether one is allowed is decided by `portal.services.migratie`, never here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.cak import forms as formulieren
from portal.cak import overzichten
from portal.downloads import bijlage
from portal.extensions import db
from portal.kalender import aanleverdeadline, format_datum, format_moment
from portal.models import Gemeente
from portal.services import auditzoeken, mail, migratie, opvolging, storage, toegang
from portal.services import gemeenten as gemeentebeheer
from portal.services.audit import Actor
from portal.services.migratie import MigratieFout
from portal.toestanden import Overgang
from portal.web import actor, is_htmx, render_page_or_fragment, timeslot_keuzes, toont_bsns

bp = Blueprint("cak", __name__, url_prefix="/cak")


@bp.before_request
@login_required
def alleen_cak() -> None:
    """Every CAK page answers 'not found' to anyone who is not a CAK user."""
    if not current_user.is_cak:
        abort(404)


@bp.context_processor
def teksten() -> dict[str, object]:
    return {"teksten": overzichten.TEKSTEN}


@bp.route("/")
def overzicht() -> ResponseReturnValue:
    dashboard = overzichten.dashboard(current_user)
    return render_page_or_fragment("cak/overzicht.html", "cak/_dashboard.html", dashboard=dashboard)


@bp.route("/actie-nodig")
def lijsten() -> ResponseReturnValue:
    """The dashboard's lists of what needs action and what is not planned yet, in full."""
    return render_template("cak/lijsten.html", lijst=overzichten.lijsten(current_user))


@bp.route("/weken/<datum>")
def week(datum: str) -> ResponseReturnValue:
    """One timeslot's gemeenten: on the dashboard loaded on demand (htmx), on its own a page."""
    return render_page_or_fragment("cak/week.html", "cak/_week.html", lijst=overzichten.week(current_user, datum))


@bp.route("/gemeenten")
def gemeenten() -> ResponseReturnValue:
    return render_template("cak/gemeenten.html", gemeenten=toegang.zichtbare_gemeenten(current_user))


# ---------------------------------------------------------------- one gemeente and its actions

@dataclass(frozen=True)
class Actie:
    """A step the CAK takes from the gemeente's page: its form, the service call, and the Dutch confirmation."""

    formulier: type[FlaskForm]
    uitvoeren: Callable[[Actor, Gemeente, Any], object]
    gelukt: Callable[[Gemeente, Any], str]


ACTIES: dict[str, Actie] = {
    Overgang.PLANNEN: Actie(
        formulieren.PlanForm,
        lambda wie, gemeente, form: migratie.plan_timeslot(wie, gemeente, form.timeslot.data),
        lambda gemeente, form: (f"{gemeente.naam} is ingepland in de week van {format_datum(form.timeslot.data)}. "
                                "De geplande stappen staan hieronder.")),
    Overgang.AKKOORD_AANLEVEREN: Actie(
        formulieren.AkkoordAanleverenForm,
        lambda wie, gemeente, form: migratie.geef_akkoord_aanleveren(
            wie, gemeente, form.nieuwe_aanleverdatum.data or None),
        lambda gemeente, form: (f"Akkoord om aan te leveren gegeven aan {gemeente.naam}. Het kanaal iEb is "
                                "geopend; de e-mail aan de gemeente is klaargezet in de uitbak.")),
    Overgang.GOEDKEUREN: Actie(
        formulieren.GoedkeurenForm,
        lambda wie, gemeente, form: migratie.keur_aanlevering_goed(wie, gemeente, form.reden.data),
        lambda gemeente, form: (f"Akkoord gegeven op de aanlevering van {gemeente.naam}: de gemeente is "
                                "gemigreerd. De e-mail met het verslag is klaargezet in de uitbak en de oude kanalen "
                                "worden gesloten.")),
    Overgang.BELRESULTAAT: Actie(
        formulieren.BelresultaatForm,
        lambda wie, gemeente, form: migratie.registreer_belresultaat(
            wie, gemeente, form.uitkomst.data, form.nieuwe_leverdatum.data),
        lambda gemeente, form: (f"Belresultaat vastgelegd voor {gemeente.naam}. De gemeente levert opnieuw "
                                f"aan tot {format_moment(aanleverdeadline(form.nieuwe_leverdatum.data))}.")),
}


def _formulier(naam: str, dossier: overzichten.Dossier | None = None) -> FlaskForm:
    """A fresh form of an action, or the posted one (when `dossier` is None)."""
    cls = ACTIES[naam].formulier
    if dossier is None:
        form = cls()
    elif naam == Overgang.PLANNEN:
        form = cls(formdata=None, timeslot=dossier.voorgestelde_timeslot)
    else:
        form = cls(formdata=None)
    if naam == Overgang.PLANNEN:
        # The form offers the weeks still ahead; a posted week is checked by the service, which says why.
        weken = migratie.timeslots() if dossier is None else dossier.timeslots
        form.timeslot.choices = timeslot_keuzes(weken)
    return form


def _gemeentepagina(code: str, ingevuld: dict[str, FlaskForm] | None = None, status: int = 200) -> ResponseReturnValue:
    dossier = overzichten.dossier(current_user, code)
    forms = {naam: _formulier(naam, dossier) for naam in ACTIES}
    forms.update(ingevuld or {})
    return render_template("cak/gemeente.html", dossier=dossier, gemeente=dossier.gemeente,
                           forms=forms), status


@bp.route("/gemeenten/<code>")
@toont_bsns
def gemeente(code: str) -> ResponseReturnValue:
    return _gemeentepagina(code)


@bp.route("/gemeenten/<code>/acties/<naam>", methods=["POST"])
def actie(code: str, naam: str) -> ResponseReturnValue:
    if naam not in ACTIES:
        abort(404)
    gemeente = toegang.gemeente_voor(current_user, code)
    form = _formulier(naam)
    if not form.validate():
        return _gemeentepagina(code, {naam: form}, 422)
    try:
        ACTIES[naam].uitvoeren(actor(), gemeente, form)
    except MigratieFout as fout:
        db.session.rollback()
        flash(fout.melding, "fout")
    else:
        flash(ACTIES[naam].gelukt(gemeente, form), "succes")
    return redirect(url_for("cak.gemeente", code=code))


# ---------------------------------------------------------------- a gemeente's settings

def _instellingenpagina(gemeente: Gemeente, form: FlaskForm | None = None, extra: list[tuple[str, str]] | None = None,
                        status: int = 200) -> ResponseReturnValue:
    if form is None:
        # `data=`, not keywords: the keyword `prefix` is the form's own name prefix in WTForms.
        form = formulieren.InstellingenForm(formdata=None, data={
            "startnummer": gemeente.bw_startnummer or "", "prefix": gemeente.bestandsprefix,
            "regio": gemeente.centrumgemeente.code if gemeente.centrumgemeente else "",
            "levert_zelf_aan": "ja" if gemeente.levert_zelf_aan else "nee", "contact_naam": gemeente.contact_naam or "",
            "contact_email": gemeente.contact_email or "", "contact_telefoon": gemeente.contact_telefoon or ""})
    form.regio.choices = [("", "geen: dit is een centrumgemeente")] + [
        (g.code, f"{g.naam} ({g.code})") for g in gemeentebeheer.centrumgemeenten(behalve=gemeente)]
    return render_template("cak/instellingen.html", gemeente=gemeente, form=form, extra=extra or [],
                           mag_wijzigen=gemeentebeheer.mag_wijzigen(current_user),
                           blok=gemeentebeheer.blokgrootte()), status


@bp.route("/gemeenten/<code>/instellingen")
def instellingen(code: str) -> ResponseReturnValue:
    return _instellingenpagina(toegang.gemeente_voor(current_user, code))


@bp.route("/gemeenten/<code>/instellingen", methods=["POST"])
def instellingen_opslaan(code: str) -> ResponseReturnValue:
    gemeente = toegang.gemeente_voor(current_user, code)
    form = formulieren.InstellingenForm()
    if not form.validate():
        return _instellingenpagina(gemeente, form, status=422)
    zelf = form.levert_zelf_aan.data if gemeente.soort == "regiogemeente" else None
    try:
        wijzigingen = gemeentebeheer.zet_instellingen(actor(), code, gemeentebeheer.Instellingen(
            startnummer=form.startnummer.data or None, prefix=form.prefix.data or "", regio=form.regio.data or "",
            levert_zelf_aan=None if zelf is None else zelf == "ja", contact_naam=form.contact_naam.data or "",
            contact_email=form.contact_email.data or "", contact_telefoon=form.contact_telefoon.data or ""))
    except gemeentebeheer.InstellingenFout as fout:
        db.session.rollback()
        extra = []
        for veld, melding in fout.fouten.items():
            if veld in form:
                form[veld].errors = [melding]
            else:
                extra.append(("instellingen", melding))
        return _instellingenpagina(gemeente, form, extra, 403 if "" in fout.fouten else 422)
    if wijzigingen:
        flash("Instellingen opgeslagen: " + "; ".join(w.tekst for w in wijzigingen) + ".", "succes")
    else:
        flash("Er is niets gewijzigd: de instellingen waren al zo.", "info")
    return redirect(url_for("cak.gemeente", code=code))


# ---------------------------------------------------------------- follow-up tasks (opvolging)

@bp.route("/taken")
def taken() -> ResponseReturnValue:
    return render_template("cak/taken.html", taken=opvolging.alle_taken(current_user))


def _taakpagina(taak_id: int, form: FlaskForm | None = None, status: int = 200) -> ResponseReturnValue:
    taak = opvolging.taak(current_user, taak_id)
    form = form or formulieren.OpvolgingUitkomstForm(formdata=None)
    sjabloon = "cak/_opvolgtaak.html" if is_htmx() else "cak/taak.html"
    return render_template(sjabloon, t=taak, form=form), status


@bp.route("/taken/<int:taak_id>")
def taak(taak_id: int) -> ResponseReturnValue:
    return _taakpagina(taak_id)


@bp.route("/taken/<int:taak_id>/uitkomst", methods=["POST"])
def taak_uitkomst(taak_id: int) -> ResponseReturnValue:
    form = formulieren.OpvolgingUitkomstForm()
    if not form.validate():
        return _taakpagina(taak_id, form, 422)
    try:
        opvolging.leg_uitkomst_vast(actor(), taak_id, form.uitkomst.data)
    except opvolging.OpvolgingFout as fout:
        db.session.rollback()
        form.uitkomst.errors = [fout.melding]
        return _taakpagina(taak_id, form, 422)
    if is_htmx():
        return _taakpagina(taak_id)
    flash("De uitkomst is vastgelegd en de taak is afgesloten.", "succes")
    return redirect(url_for("cak.taak", taak_id=taak_id))


# ---------------------------------------------------------------- the outbox

@bp.route("/uitbak")
def uitbak() -> ResponseReturnValue:
    return render_template("cak/uitbak.html", mails=overzichten.uitbak())


@bp.route("/uitbak/<int:mail_id>")
def uitbak_bericht(mail_id: int) -> ResponseReturnValue:
    bericht = overzichten.uitbak_bericht(mail_id)
    return render_template("cak/uitbak_bericht.html", mail=bericht, tekst=mail.leesbare_tekst(bericht))


# ---------------------------------------------------------------- the bimonthly comparison's differences

@bp.route("/verschillen")
def verschillen() -> ResponseReturnValue:
    return render_template("cak/verschillen.html", regels=migratie.verschillenoverzicht(current_user))


def _verschillenpagina(code: str, ingevuld: tuple[int, FlaskForm] | None = None,
                       status: int = 200) -> ResponseReturnValue:
    """The differences of one gemeente, each open one with its form; `ingevuld`: a posted form with its errors.
    An htmx request gets the lists only."""
    lijst = migratie.verschillenlijst(current_user, code)
    forms: dict[int, FlaskForm] = {v.id: formulieren.VerschilAfhandelenForm(prefix=f"verschil-{v.id}", formdata=None)
                                   for v in lijst.open}
    if ingevuld is not None:
        forms[ingevuld[0]] = ingevuld[1]
    if is_htmx():
        return render_template("cak/_verschillenlijst.html", lijst=lijst, gemeente=lijst.gemeente, forms=forms,
                               htmx=True)
    return render_template("cak/gemeente_verschillen.html", lijst=lijst, gemeente=lijst.gemeente, forms=forms,
                           gepost=ingevuld[1] if ingevuld else None), status


@bp.route("/gemeenten/<code>/verschillen")
def gemeente_verschillen(code: str) -> ResponseReturnValue:
    return _verschillenpagina(code)


@bp.route("/gemeenten/<code>/verschillen.xlsx")
def verschillen_export(code: str) -> ResponseReturnValue:
    export = migratie.exporteer_verschillen(actor(), code)
    return bijlage(export.inhoud, storage.XLSX, export.naam)


@bp.route("/gemeenten/<code>/verschillen/<int:verschil_id>/afhandelen", methods=["POST"])
def verschil_afhandelen(code: str, verschil_id: int) -> ResponseReturnValue:
    form = formulieren.VerschilAfhandelenForm(prefix=f"verschil-{verschil_id}")
    if not form.validate():
        return _verschillenpagina(code, (verschil_id, form), 422)
    try:
        verschil = migratie.handel_verschil_af(actor(), code, verschil_id, form.notitie.data or "")
    except MigratieFout as fout:
        db.session.rollback()
        flash(fout.melding, "fout")
    else:
        flash(f"Het verschil voor BSN {verschil.bsn} is afgehandeld; de notitie staat bij de afgehandelde "
              "verschillen.", "succes")
    if is_htmx():
        return _verschillenpagina(code)
    return redirect(url_for("cak.gemeente_verschillen", code=code), 303)


def _zoekvraag() -> auditzoeken.Zoekvraag:
    velden = {naam: (request.form.get(naam) or "")[:254] for naam in ("email", "gemeente", "bsn", "van", "tot")}
    return auditzoeken.Zoekvraag(**velden)


@bp.route("/audit", methods=["GET", "POST"])
@toont_bsns
def audittrail() -> ResponseReturnValue:
    """The trail for the CAK's beheerders; the question is posted (a BSN never goes in the address)."""
    try:
        pagina = int(request.form.get("pagina") or 1)
    except ValueError:
        pagina = 1
    uitkomst = auditzoeken.zoek(current_user, _zoekvraag(), pagina)
    return render_template("cak/audit.html", uitkomst=uitkomst), 422 if uitkomst.fouten else 200


@bp.route("/audit/export", methods=["POST"])
def audittrail_export() -> ResponseReturnValue:
    antwoord = auditzoeken.exporteer(actor(), _zoekvraag())
    if isinstance(antwoord, dict):
        return render_template("cak/audit.html", uitkomst=auditzoeken.Uitkomst(_zoekvraag(), fouten=antwoord)), 422
    naam, inhoud = antwoord
    response = Response(inhoud, mimetype="text/csv")
    response.headers.set("Content-Disposition", "attachment", filename=naam)
    response.headers["Cache-Control"] = "no-store"
    return response
