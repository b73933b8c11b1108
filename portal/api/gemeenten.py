"""GET /gemeenten and /gemeenten/<code>: the gemeenten a token may see, and one with its whole state."""
from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue

from portal.api.auth import datum, gebruiker, moment
from portal.api.blueprint import bp
from portal.services import migratie, uitval
from portal.toestanden import TOESTAND_TEKST, VLAG_TEKST


def samenvatting(stand: migratie.Status) -> dict[str, Any]:
    return {
        "code": stand.gemeente.code,
        "naam": stand.gemeente.naam,
        "toestand": stand.toestand.value,
        "toestand_tekst": TOESTAND_TEKST[stand.toestand],
        "timeslot": datum(stand.migratie.timeslot),
        "vlaggen": [v.value for v in stand.vlaggen],
        "volgende_deadline": None if stand.deadline is None else {
            "moment": moment(stand.deadline[0]), "omschrijving": stand.deadline[1]},
        "url": url_for("api.gemeente", code=stand.gemeente.code),
    }


def gemeente_json(pagina: migratie.Gemeentepagina) -> dict[str, Any]:
    """Everything the API tells about one gemeente: state, flags, timeslot, calendar, channels, counts (of the
    B4, the terugkoppeling, the messages and the reconciliation) and the number of uitval periods."""
    gemeente = pagina.gemeente
    basis: dict[str, Any] = {"code": gemeente.code, "naam": gemeente.naam, "soort": gemeente.soort,
                             "levert_aan": gemeente.levert_aan}
    stand = pagina.status
    if stand is None:
        return {**basis, "toestand": None, "kalender": [], "kanalen": [], "aantallen": {}, "uitval": 0}
    return {
        **basis,
        **samenvatting(stand),
        "vlaggen_tekst": [VLAG_TEKST[v] for v in stand.vlaggen],
        "actie_nodig": stand.actie_nodig,
        "instructie": pagina.instructie,
        "aanleveren_geweigerd": pagina.aanleveren_geweigerd,
        "kalender": [{"stap": r.stap, "moment": moment(r.moment), "omschrijving": r.omschrijving,
                      "voorbij": r.voorbij} for r in pagina.kalender],
        "kanalen": [{"kanaal": k.kanaal.value, "naam": k.naam, "open": k.open, "sinds": moment(k.sinds)}
                    for k in pagina.kanalen],
        "aantallen": stand.aantallen,
        "uitval": uitval.aantal(gebruiker(), gemeente.code),
    }


@bp.route("/gemeenten")
def gemeenten() -> ResponseReturnValue:
    return jsonify({"gemeenten": [samenvatting(s) for s in migratie.overzicht(gebruiker())]})


@bp.route("/gemeenten/<code>")
def gemeente(code: str) -> ResponseReturnValue:
    return jsonify(gemeente_json(migratie.gemeentepagina(gebruiker(), code)))
