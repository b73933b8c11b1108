"""The old channels through the API: the start/stop sheet (.xlsx as the body), the 60-record file (text as
the body) and the H&V-app's form (a JSON object with the fields of the sheet).

The service stores every input first and decides; this module maps its outcome to an answer:
accepted: 201 with the applied mutations; refused for its content: 422 with every problem in `details`
(per row and column, per line and positions, or per field); refused by the closing rule: 409, like a
WMO407 to a channel that is not open, with the sentence that points to the WMO407; sent by a role that
may not submit (the CAK): 403. Each answer but 400 carries the receipt (ontvangst_id, sha256, ...)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from portal.api.auth import Invoerfout, actor, fout, gebruiker, json_body, moment
from portal.api.bestanden import bestandsnaam, geen_inhoud
from portal.api.blueprint import bp
from portal.models import OntvangstStatus
from portal.mutaties import VELDEN, VELDNAAM
from portal.services import oude_kanalen, toegang
from portal.services.audit import Actor
from portal.spreadsheets.mutaties import LAYOUT


def _excel_probleem(probleem: dict[str, Any]) -> dict[str, Any]:
    veld: str = probleem.get("veld") or ""
    kolom = LAYOUT.letter(VELDNAAM[veld]) if veld in VELDNAAM else None
    return {"rij": probleem.get("rij"), "kolom": kolom, "kolomnaam": VELDNAAM.get(veld),
            "melding": probleem["melding"]}


def _record60_probleem(probleem: dict[str, Any]) -> dict[str, Any]:
    return {"regel": probleem.get("rij"), "posities": probleem.get("plaats"), "melding": probleem["melding"]}


def _hv_probleem(probleem: dict[str, Any]) -> dict[str, Any]:
    return {"veld": probleem.get("veld"), "melding": probleem["melding"]}


def _antwoord(uitkomst: oude_kanalen.Intakeuitkomst,
              detail: Callable[[dict[str, Any]], dict[str, Any]]) -> ResponseReturnValue:
    ontvangst: dict[str, Any] = {
        "ontvangst_id": uitkomst.ontvangst_id, "kanaal": uitkomst.kanaal.value, "bestandsnaam": uitkomst.bestandsnaam,
        "sha256": uitkomst.sha256, "grootte": uitkomst.grootte, "ontvangen_op": moment(uitkomst.ontvangen_op)}
    if uitkomst.geaccepteerd:
        return jsonify({**ontvangst, "uitkomst": "verwerkt", "melding": uitkomst.melding,
                        "mutaties": uitkomst.mutaties}), 201
    details = [detail(p) for p in uitkomst.problemen]
    if uitkomst.status == OntvangstStatus.GEWEIGERD and not uitkomst.problemen:
        return fout(403, uitkomst.melding, uitkomst="geweigerd", **ontvangst)
    if uitkomst.status == OntvangstStatus.GEWEIGERD:
        return fout(409, uitkomst.melding, details, uitkomst="geweigerd", **ontvangst)
    return fout(422, uitkomst.melding, details, uitkomst="afgekeurd", **ontvangst)


def _bestand(code: str, standaardnaam: str, wat: str,
             ontvang: Callable[[Actor, str, str, bytes, str], oude_kanalen.Intakeuitkomst],
             detail: Callable[[dict[str, Any]], dict[str, Any]]) -> ResponseReturnValue:
    toegang.gemeente_voor(gebruiker(), code)  # another gemeente: 404 before the input is read
    inhoud = request.get_data()
    if not inhoud:
        return geen_inhoud(wat)
    return _antwoord(ontvang(actor(), code, bestandsnaam(standaardnaam), inhoud, "api"), detail)


@bp.route("/gemeenten/<code>/oude-kanalen/excel", methods=["POST"])
def oude_kanalen_excel(code: str) -> ResponseReturnValue:
    return _bestand(code, "mutaties.xlsx", "het ingevulde Excel-bestand met aan- en afmeldingen (.xlsx)",
                    oude_kanalen.ontvang_excel, _excel_probleem)


@bp.route("/gemeenten/<code>/oude-kanalen/record60", methods=["POST"])
def oude_kanalen_record60(code: str) -> ResponseReturnValue:
    return _bestand(code, "record60.txt", "het 60-recordbestand (tekst, één record van 60 tekens per regel)",
                    oude_kanalen.ontvang_record60, _record60_probleem)


def _hv_velden(gegevens: dict[str, Any]) -> dict[str, str]:
    """The form's fields from the JSON object: text or null per known field; every unknown or wrong one a 422."""
    problemen = [{"veld": veld, "melding": f"'{veld}' is geen veld van een mutatie; de velden zijn: "
                                          f"{', '.join(VELDEN)}."} for veld in gegevens if veld not in VELDEN]
    problemen += [{"veld": veld, "melding": f"'{veld}' moet tekst zijn (of null), bijvoorbeeld \"12345678\"."}
                  for veld in VELDEN if gegevens.get(veld) is not None and not isinstance(gegevens[veld], str)]
    if problemen:
        raise Invoerfout(problemen)
    return {veld: gegevens.get(veld) or "" for veld in VELDEN}


@bp.route("/gemeenten/<code>/oude-kanalen/hv", methods=["POST"])
def oude_kanalen_hv(code: str) -> ResponseReturnValue:
    toegang.gemeente_voor(gebruiker(), code)
    uitkomst = oude_kanalen.registreer_hv(actor(), code, _hv_velden(json_body()), via="api")
    return _antwoord(uitkomst, _hv_probleem)
