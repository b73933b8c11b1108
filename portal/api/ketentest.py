"""The ketentest through the API (only in PORTAL_MODE=ketentest; 404 otherwise): reading and moving the
virtual clock (what falls due runs, in order, before the answer), and resetting one gemeente to its demo start."""
from __future__ import annotations

from flask import abort, current_app, jsonify
from flask.typing import ResponseReturnValue

from portal import kalender
from portal.api.auth import Invoerfout, actor, gebruiker, json_body, moment
from portal.api.blueprint import bp
from portal.api.gemeenten import gemeente_json
from portal.services import ketentestklok, ketentestreset, klok, migratie, planner


@bp.before_request
def alleen_in_de_ketentest() -> None:
    from flask import request

    if request.endpoint and request.endpoint.startswith("api.ketentest_") \
            and current_app.config["PORTAL_MODE"] != "ketentest":
        abort(404)


@bp.route("/ketentest/klok", endpoint="ketentest_klok")
def klokstand() -> ResponseReturnValue:
    return jsonify({"nu": moment(klok.nu()), "komend": [
        {"moment": moment(a.due_op), "omschrijving": planner.omschrijving(a.soort),
         "gemeente": a.gemeente.code if a.gemeente else None} for a in planner.openstaande(10)]})


@bp.route("/ketentest/klok", methods=["PUT"], endpoint="ketentest_klok_zet")
def zet_klok() -> ResponseReturnValue:
    ketentestklok.vereis_mag_verzetten(actor())  # 403 before the input is read
    tekst = json_body().get("nu")
    try:
        doel = kalender.lees_moment(str(tekst or ""))
    except ValueError as onleesbaar:
        raise Invoerfout([{"veld": "nu", "melding": str(onleesbaar)}]) from None
    verzetting = ketentestklok.zet(doel, actor())
    return jsonify({"van": moment(verzetting.van), "nu": moment(verzetting.naar), "uitgevoerd": [
        {"omschrijving": planner.omschrijving(u.soort), "gemeente": u.gemeente, "moment": moment(u.due_op),
         "gelukt": u.gelukt, "resultaat": u.resultaat} for u in verzetting.uitgevoerd]})


@bp.route("/ketentest/gemeenten/<code>/reset", methods=["POST"], endpoint="ketentest_reset")
def reset(code: str) -> ResponseReturnValue:
    gedaan = ketentestreset.reset_gemeente(actor(), code)
    return jsonify({"verwijderd": gedaan.verwijderd, "melding": gedaan.toelichting,
                    "gemeente": gemeente_json(migratie.gemeentepagina(gebruiker(), code))})
