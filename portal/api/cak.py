"""The CAK's steps through the API: akkoord to deliver, akkoord on the delivery, the call's outcome, and
planning the timeslot. Who may take a step is decided by the migration service (403 otherwise); a step
that does not fit the state is refused with the reason (409). Each answers with the gemeente's new state."""
from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from portal.api.auth import actor, gebruiker, json_body, lees_datum, lees_tekst
from portal.api.blueprint import bp
from portal.api.gemeenten import gemeente_json
from portal.services import migratie, toegang
from portal.toestanden import Overgang


def _stand(code: str) -> ResponseReturnValue:
    return jsonify(gemeente_json(migratie.gemeentepagina(gebruiker(), code)))


@bp.route("/gemeenten/<code>/akkoord-aanleveren", methods=["POST"])
def akkoord_aanleveren(code: str) -> ResponseReturnValue:
    gemeente = toegang.gemeente_voor(gebruiker(), code)
    migratie.vereis_rol(actor(), Overgang.AKKOORD_AANLEVEREN)  # 403 before the input is read
    aanleverdatum = lees_datum(json_body(verplicht=False), "aanleverdatum", verplicht=False)
    migratie.geef_akkoord_aanleveren(actor(), gemeente, aanleverdatum)
    return _stand(code)


@bp.route("/gemeenten/<code>/akkoord-aanlevering", methods=["POST"])
def akkoord_aanlevering(code: str) -> ResponseReturnValue:
    gemeente = toegang.gemeente_voor(gebruiker(), code)
    migratie.vereis_rol(actor(), Overgang.GOEDKEUREN)  # 403 before the input is read
    afwijking = lees_tekst(json_body(verplicht=False), "afwijking", verplicht=False)
    migratie.keur_aanlevering_goed(actor(), gemeente, afwijking)
    return _stand(code)


@bp.route("/gemeenten/<code>/belnotitie", methods=["POST"])
def belnotitie(code: str) -> ResponseReturnValue:
    gemeente = toegang.gemeente_voor(gebruiker(), code)
    migratie.vereis_rol(actor(), Overgang.BELRESULTAAT)  # 403 before the input is read
    gegevens = json_body()
    notitie = lees_tekst(gegevens, "notitie") or ""
    nieuwe_datum = lees_datum(gegevens, "nieuwe_datum")
    assert nieuwe_datum is not None
    migratie.registreer_belresultaat(actor(), gemeente, notitie, nieuwe_datum)
    return _stand(code)


@bp.route("/gemeenten/<code>/timeslot", methods=["PUT"])
def timeslot(code: str) -> ResponseReturnValue:
    gemeente = toegang.gemeente_voor(gebruiker(), code)
    migratie.vereis_rol(actor(), Overgang.PLANNEN)  # 403 before the input is read
    maandag = lees_datum(json_body(), "maandag")
    assert maandag is not None
    migratie.plan_timeslot(actor(), gemeente, maandag)
    return _stand(code)
