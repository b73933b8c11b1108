"""A gemeente's uitval through the API: the BW periods whose latest message was rejected, with their
retourcodes, what to do, and the count per code; optionally only those with one retourcode."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from portal.api.auth import Invoerfout, datum, gebruiker, moment
from portal.api.blueprint import bp
from portal.services import uitval
from portal.web import toont_bsns


def _regel(regel: uitval.Uitvalregel) -> dict[str, Any]:
    rij = regel.rij
    return {
        "bsn": rij.bsn, "bw_startnummer": rij.bw_startnummer, "bw_startdatum": datum(rij.bw_startdatum),
        "bw_einddatum": datum(rij.bw_einddatum), "status_aanlevering": regel.status_aanlevering,
        "retourcodes": [{"code": c.code or uitval.ZONDER_EIGEN_CODE, "omschrijving": c.omschrijving,
                         "wat_te_doen": c.wat_te_doen} for c in rij.codes],
        "bericht": {"identificatie": rij.bericht_identificatie, "ontvangen_op": moment(rij.ontvangen_op),
                    "url": url_for("api.bericht", ontvangst_id=regel.ontvangst_id)},
    }


@bp.route("/gemeenten/<code>/uitval")
@toont_bsns
def uitvallijst(code: str) -> ResponseReturnValue:
    retourcode = (request.args.get("retourcode") or "").strip() or None
    if retourcode is not None and not (retourcode.isascii() and retourcode.isdigit() and len(retourcode) == 4):
        raise Invoerfout([{"veld": "retourcode", "melding": f"'{retourcode}' is geen retourcode; een retourcode "
                                                            "bestaat uit 4 cijfers, bijvoorbeeld 8001."}])
    overzicht = uitval.overzicht(gebruiker(), code, retourcode)
    return jsonify({
        "gemeente": overzicht.gemeente.code, "retourcode": overzicht.retourcode, "aantal": overzicht.aantal,
        "aantal_gefilterd": overzicht.aantal_gefilterd, "weggelaten": overzicht.weggelaten,
        "per_code": [{"code": c.code, "omschrijving": c.omschrijving, "wat_te_doen": c.wat_te_doen,
                      "aantal": c.aantal} for c in overzicht.per_code],
        "perioden": [_regel(r) for r in overzicht.regels]})
