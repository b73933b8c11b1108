"""WMO407 messages through the API: sending one (the XML as the body), listing a gemeente's messages,
one message with its periods, and its WMO408 return message."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from portal import kalender
from portal.api.auth import Invoerfout, actor, datum, fout, gebruiker, moment
from portal.api.bestanden import bestandsnaam, geen_inhoud, uitgifte
from portal.api.blueprint import bp
from portal.rollen import Levering
from portal.services import delivery, toegang
from portal.web import toont_bsns


def _regel(regel: delivery.Berichtregel) -> dict[str, Any]:
    bericht = regel.bericht
    return {
        "id": regel.ontvangst.id,
        "gemeente": regel.ontvangst.gemeente.code if regel.ontvangst.gemeente else None,
        "bestandsnaam": regel.ontvangst.bestandsnaam,
        "sha256": regel.ontvangst.sha256,
        "ontvangen_op": moment(regel.ontvangst.ontvangen_op),
        "uitkomst": regel.uitkomst,
        "melding": regel.ontvangst.uitkomst,
        "identificatie": bericht.identificatie if bericht else None,
        "retourcodes": bericht.codes if bericht else [],
        "te_laat": bericht.te_laat if bericht else False,
        "aantal_clienten": bericht.aantal_clienten if bericht else 0,
        "aantal_perioden": bericht.aantal_perioden if bericht else 0,
        "url": url_for("api.bericht", ontvangst_id=regel.ontvangst.id),
        "retour": url_for("api.retour", ontvangst_id=regel.ontvangst.id)
        if bericht and bericht.wmo408_bestand_id else None,
    }


@bp.route("/gemeenten/<code>/berichten", methods=["POST"])
def stuur(code: str) -> ResponseReturnValue:
    toegang.gemeente_om_te_leveren(gebruiker(), code, Levering.WMO407_STUREN)
    inhoud = request.get_data()
    if not inhoud:
        return geen_inhoud("het WMO407-bericht (XML, Content-Type application/xml)")
    verwerking = delivery.ontvang_wmo407(actor(), code, bestandsnaam("wmo407.xml"), inhoud, kanaal="api")
    ontvangst: dict[str, Any] = {"id": verwerking.ontvangst_id, "sha256": verwerking.sha256,
                                 "grootte": verwerking.grootte,
                 "ontvangen_op": moment(verwerking.ontvangen_op)}
    if verwerking.uitkomst in ("geaccepteerd", "afgekeurd"):
        return jsonify({
            **ontvangst, "uitkomst": verwerking.uitkomst, "identificatie": verwerking.identificatie,
            "retourcodes": verwerking.retourcodes, "te_laat": verwerking.te_laat, "melding": verwerking.melding,
            "aantal_clienten": verwerking.aantal_clienten, "aantal_perioden": verwerking.aantal_perioden,
            "retour": url_for("api.retour", ontvangst_id=verwerking.ontvangst_id),
            "url": url_for("api.bericht", ontvangst_id=verwerking.ontvangst_id)}), 201
    if verwerking.kanaal_gesloten:
        return fout(409, verwerking.melding, uitkomst="geweigerd", **ontvangst)
    return fout(422, verwerking.melding, [
        {"niveau": b["niveau"], "regel": b["regel"], "kolom": b["kolom"], "element": b["element"],
         "melding": b["toelichting"]} for b in verwerking.bevindingen], uitkomst="ongeldig", niveau=verwerking.niveau,
        **ontvangst)


@bp.route("/gemeenten/<code>/berichten")
def berichten(code: str) -> ResponseReturnValue:
    problemen = []
    sinds = None
    if request.args.get("sinds"):
        try:
            sinds = kalender.to_utc(kalender.lees_moment(request.args["sinds"]))
        except ValueError as onleesbaar:
            problemen.append({"veld": "sinds", "melding": str(onleesbaar)})
    retourcode = (request.args.get("retourcode") or "").strip() or None
    if retourcode is not None and not (retourcode.isascii() and retourcode.isdigit() and len(retourcode) == 4):
        problemen.append({"veld": "retourcode", "melding": f"'{retourcode}' is geen retourcode; een retourcode "
                                                           "bestaat uit 4 cijfers, bijvoorbeeld 8001."})
    if problemen:
        raise Invoerfout(problemen)
    _, regels = delivery.berichten(gebruiker(), code, retourcode, sinds=sinds)
    return jsonify({"gemeente": code, "berichten": [_regel(r) for r in regels]})


@bp.route("/berichten/<id:ontvangst_id>")
@toont_bsns
def bericht(ontvangst_id: int) -> ResponseReturnValue:
    detail = delivery.bericht_op_id(gebruiker(), ontvangst_id)
    return jsonify({**_regel(detail.regel), "perioden": [
        {"bsn": p.bsn, "bw_startnummer": p.bw_startnummer, "bw_startdatum": datum(p.bw_startdatum),
         "bw_einddatum": datum(p.bw_einddatum), "status_aanlevering": p.status_aanlevering,
         "retourcodes": [c for c in p.retourcodes.split(",") if c]} for p in detail.perioden],
        "perioden_weggelaten": detail.weggelaten})


@bp.route("/berichten/<id:ontvangst_id>/retour")
def retour(ontvangst_id: int) -> ResponseReturnValue:
    return uitgifte(delivery.retourbericht(gebruiker(), ontvangst_id, actor()))
