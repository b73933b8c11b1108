"""The page of the old channels: the H&V form (after a BSN lookup), the Excel and 60-record uploads, the
receipts, and the lists of accepted mutations and refused input. Each route parses, calls one service and
renders; a plain POST redirects to the receipt (or, for the form with problems, answers 422 with them at the
fields); an htmx POST gets the result in place."""
from __future__ import annotations

from collections.abc import Callable

from flask import make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal.gemeente.forms import HvMutatieForm, UploadForm
from portal.gemeente.routes import bp
from portal.services import oude_kanalen
from portal.services.audit import Actor
from portal.web import actor, is_htmx


def _hv_form(pagina: oude_kanalen.OudeKanalenPagina, data: dict[str, str] | None = None,
             gepost: bool = False) -> HvMutatieForm:
    form = HvMutatieForm() if gepost else HvMutatieForm(formdata=None, data=data or {})
    form.vul_gemeenten(pagina.gemeentecodes)
    return form


def _pagina(code: str, *, hv_form: HvMutatieForm | None = None, uitkomst: oude_kanalen.Intakeuitkomst | None = None,
            gepost: tuple[str, UploadForm] | None = None, status: int = 200) -> ResponseReturnValue:
    """The page; with `gepost`, that upload form (excel or record60) which did not validate, with its errors."""
    pagina = oude_kanalen.pagina(current_user, code)
    # The lookup is posted, so a BSN never stands in an address (nor in the web server's log).
    bsn = (request.form.get("bsn") or "").strip() if request.method == "POST" and hv_form is None else ""
    zoekresultaat = oude_kanalen.zoek_registratie(current_user, code, bsn) if bsn else None
    if hv_form is None:
        hv_form = _hv_form(pagina, zoekresultaat.voorinvulling() if zoekresultaat else None)
    return render_template("gemeente/oude_kanalen.html", pagina=pagina, gemeente=pagina.gemeente, bsn=bsn,
                           zoekresultaat=zoekresultaat, hv_form=hv_form, uitkomst=uitkomst,
                           uploadforms={naam: gepost[1] if gepost and gepost[0] == naam else UploadForm(formdata=None)
                                        for naam in ("excel", "record60")},
                           gepost=[hv_form, gepost[1] if gepost else None]), status


@bp.route("/gemeenten/<code>/oude-kanalen/", methods=["GET", "POST"])
@login_required
def oude_kanalen_pagina(code: str) -> ResponseReturnValue:
    return _pagina(code)


def _resultaat(code: str, uitkomst: oude_kanalen.Intakeuitkomst | None, fout: str | None) -> ResponseReturnValue:
    """The htmx answer: the outcome in place, and the lists refreshed out of band."""
    pagina = oude_kanalen.pagina(current_user, code)
    return render_template("gemeente/_oude_kanalen_resultaat.html", uitkomst=uitkomst, fout=fout, pagina=pagina,
                           gemeente=pagina.gemeente, oob=True)


def _bewijs(code: str, uitkomst: oude_kanalen.Intakeuitkomst) -> ResponseReturnValue:
    return redirect(url_for("gemeente.oude_kanalen_bewijs", code=code, ontvangst_id=uitkomst.ontvangst_id), 303)


@bp.route("/gemeenten/<code>/oude-kanalen/hv", methods=["POST"])
@login_required
def oude_kanalen_hv(code: str) -> ResponseReturnValue:
    pagina = oude_kanalen.pagina(current_user, code)
    form = _hv_form(pagina, gepost=True)
    if not form.validate_on_submit():
        if is_htmx():
            return _resultaat(code, None, "Het formulier kon niet worden verwerkt. Laad de pagina opnieuw.")
        return _pagina(code, hv_form=form, status=422)
    uitkomst = oude_kanalen.registreer_hv(actor(), code, form.velden())
    if is_htmx():
        antwoord = make_response(_resultaat(code, uitkomst, None))
        if uitkomst.geaccepteerd:
            # The form empties itself, so a second click cannot send the same mutation again.
            antwoord.headers["HX-Trigger"] = "mutatie-aangenomen"
        return antwoord
    if uitkomst.geaccepteerd or not uitkomst.problemen:
        return _bewijs(code, uitkomst)
    for probleem in uitkomst.problemen:
        if probleem.get("veld") in form:
            form[probleem["veld"]].errors = [*form[probleem["veld"]].errors, probleem["melding"]]
    return _pagina(code, hv_form=form, uitkomst=uitkomst, status=422)


def _upload(code: str, naam: str,
            verwerk: Callable[[Actor, str, str, bytes], oude_kanalen.Intakeuitkomst]) -> ResponseReturnValue:
    oude_kanalen.pagina(current_user, code)  # NietGevonden (404) for a gemeente the user may not see
    form = UploadForm()
    if not form.validate_on_submit():
        fout = " ".join(e for fouten in form.errors.values() for e in fouten) or "Kies een bestand om te uploaden."
        if is_htmx():
            return _resultaat(code, None, fout)
        return _pagina(code, gepost=(naam, form), status=422)
    bestand = form.bestand.data
    uitkomst = verwerk(actor(), code, bestand.filename or "zonder-naam", bestand.read())
    if is_htmx():
        return _resultaat(code, uitkomst, None)
    return _bewijs(code, uitkomst)


@bp.route("/gemeenten/<code>/oude-kanalen/excel", methods=["POST"])
@login_required
def oude_kanalen_excel(code: str) -> ResponseReturnValue:
    return _upload(code, "excel", oude_kanalen.ontvang_excel)


@bp.route("/gemeenten/<code>/oude-kanalen/record60", methods=["POST"])
@login_required
def oude_kanalen_record60(code: str) -> ResponseReturnValue:
    return _upload(code, "record60", oude_kanalen.ontvang_record60)


@bp.route("/gemeenten/<code>/oude-kanalen/ontvangsten/<int:ontvangst_id>")
@login_required
def oude_kanalen_bewijs(code: str, ontvangst_id: int) -> ResponseReturnValue:
    uitkomst = oude_kanalen.ontvangstbewijs(current_user, code, ontvangst_id)
    pagina = oude_kanalen.pagina(current_user, code)
    return render_template("gemeente/oude_kanalen_bewijs.html", uitkomst=uitkomst, gemeente=pagina.gemeente)
