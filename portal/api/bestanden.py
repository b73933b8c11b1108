"""A gemeente's folder through the API: the list of its files, fetching one (recorded as a download), and
sending the terugkoppeling (the filled-in B4, the .xlsx as the request body)."""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from portal.api.auth import actor, fout, gebruiker, moment
from portal.api.blueprint import bp
from portal.downloads import bijlage
from portal.rollen import Levering
from portal.services import folders, migratie, toegang
from portal.services.folders import Uitgifte


def bestandsnaam(standaard: str) -> str:
    """The file's name as the client gives it (`?bestandsnaam=`), else `standaard`."""
    return (request.args.get("bestandsnaam") or "").strip()[:255] or standaard


def uitgifte(bestand: Uitgifte) -> Response:
    return bijlage(bestand.inhoud, bestand.mediatype, bestand.naam, bestand.sha256)


def geen_inhoud(wat: str) -> tuple[Response, int]:
    return fout(400, f"Het verzoek heeft geen inhoud. Stuur {wat} als de body van het verzoek.")


@bp.route("/gemeenten/<code>/bestanden")
def bestanden(code: str) -> ResponseReturnValue:
    gemeentemap = folders.map_van(gebruiker(), code)
    return jsonify({"gemeente": code, "bestanden": [
        {"id": b.id, "naam": b.naam, "categorie": str(groep.categorie), "sha256": b.sha256, "grootte": b.grootte,
         "geplaatst_op": moment(b.gepubliceerd_op),
         "gedownload_op": moment(b.eerste_download.op) if b.eerste_download else None,
         "url": url_for("api.bestand", bestand_id=b.id)}
        for groep in gemeentemap.groepen for b in groep.bestanden]})


@bp.route("/bestanden/<id:bestand_id>")
def bestand(bestand_id: int) -> ResponseReturnValue:
    return uitgifte(folders.download(gebruiker(), bestand_id, actor()))


@bp.route("/gemeenten/<code>/terugkoppeling", methods=["POST"])
def terugkoppeling(code: str) -> ResponseReturnValue:
    toegang.gemeente_om_te_leveren(gebruiker(), code, Levering.TERUGKOPPELEN)
    inhoud = request.get_data()
    if not inhoud:
        return geen_inhoud("het ingevulde B4-bestand (.xlsx)")
    uitkomst = migratie.ontvang_terugkoppeling(actor(), code, bestandsnaam("terugkoppeling.xlsx"), inhoud,
                                               kanaal="api")
    ontvangst: dict[str, Any] = {"ontvangst_id": uitkomst.ontvangst_id, "bestandsnaam": uitkomst.bestandsnaam,
                 "sha256": uitkomst.sha256, "grootte": uitkomst.grootte, "ontvangen_op": moment(uitkomst.ontvangen_op)}
    if uitkomst.geldig:
        return jsonify({**ontvangst, "geldig": True, "te_laat": uitkomst.te_laat, "melding": uitkomst.melding,
                        "aantallen": uitkomst.aantallen})
    if not uitkomst.problemen:  # refused as a whole: nothing to check it against, or no longer possible
        return fout(409, uitkomst.melding, **ontvangst)
    return fout(422, uitkomst.melding, [{"rij": p["rij"], "kolom": p["kolom"], "melding": p["melding"]}
                                        for p in uitkomst.problemen], **ontvangst)
