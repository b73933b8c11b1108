"""The OpenAPI 3.1 document of the API, declared here as data and served at /api/v1/openapi.json.

Every route of the blueprint is declared in ENDPOINTS, with its body and its answers; a test checks that
every registered route is described and every described route exists.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from portal.api.blueprint import MAX_ID, bp
from portal.spreadsheets.mutaties import LAYOUT


def _ref(naam: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{naam}"}


def _lijst(naam: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(naam)}


def _object(verplicht: tuple[str, ...] = (), **velden: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": velden}
    if verplicht:
        schema["required"] = list(verplicht)
    return schema


TEKST = {"type": "string"}
TEKST_OF_NIETS = {"type": ["string", "null"]}
GETAL = {"type": "integer"}
JANEE = {"type": "boolean"}
MOMENT = {"type": ["string", "null"], "format": "date-time",
          "description": "ISO 8601 in Nederlandse tijd, met de afwijking van UTC (bijv. 2022-09-26T10:30:00+02:00)"}
DATUM = {"type": ["string", "null"], "format": "date"}

HV_VELDEN = tuple((column.field, f"Kolom {LAYOUT.letter(column.name)} ({column.name}): {column.help}"
                   + (f" Codes: {', '.join(column.code_values)}." if column.codes else ""))
                  for column in LAYOUT.columns)
"""The fields of the H&V form: those of the old sheet."""

SCHEMAS: dict[str, Any] = {
    "Fout": _object(("fout", "details"), fout={**TEKST, "description": "wat er mis is en wat u kunt doen"},
                    details={"type": "array", "items": {"type": "object"},
                             "description": "elk probleem apart (per rij en kolom, per element, per veld)"}),
    "Probleem": _object(("rij", "kolom", "melding"), rij=GETAL, kolom=TEKST, melding=TEKST),
    "GemeenteSamenvatting": _object(
        ("code", "naam", "toestand"), code=TEKST, naam=TEKST, toestand=TEKST, toestand_tekst=TEKST, timeslot=DATUM,
        vlaggen={"type": "array", "items": TEKST},
        volgende_deadline={"type": ["object", "null"], "properties": {"moment": MOMENT, "omschrijving": TEKST}},
        url=TEKST),
    "Gemeente": {"allOf": [_ref("GemeenteSamenvatting"), _object(
        soort=TEKST, levert_aan=JANEE, actie_nodig=TEKST_OF_NIETS, instructie=TEKST,
        vlaggen_tekst={"type": "array", "items": TEKST}, aanleveren_geweigerd=TEKST_OF_NIETS,
        kalender={"type": "array", "items": _object(stap=TEKST, moment=MOMENT, omschrijving=TEKST, voorbij=JANEE)},
        kanalen={"type": "array", "items": _object(kanaal={"enum": ["IEB", "HV_APP", "EXCEL", "RECORD60"]},
                                                   naam=TEKST, open=JANEE, sinds=MOMENT)},
        aantallen={"type": "object", "additionalProperties": GETAL,
                   "description": "B4, terugkoppeling per code, verwacht, ontvangen, berichten, aansluiting"},
        uitval={**GETAL, "description": "het aantal perioden in de uitval (zie /gemeenten/{code}/uitval)"})]},
    "Bestand": _object(("id", "naam", "categorie", "sha256", "grootte"), id=GETAL, naam=TEKST, categorie=TEKST,
                       sha256=TEKST, grootte=GETAL, geplaatst_op=MOMENT, gedownload_op=MOMENT, url=TEKST),
    "Terugkoppeling": _object(
        ("ontvangst_id", "geldig", "aantallen"), ontvangst_id=GETAL, bestandsnaam=TEKST, sha256=TEKST, grootte=GETAL,
        ontvangen_op=MOMENT, geldig=JANEE, te_laat=JANEE, melding=TEKST,
        aantallen={"type": "object", "additionalProperties": GETAL, "description": "aantal rijen per code"}),
    "Verwerking": _object(
        ("id", "uitkomst", "retourcodes", "retour"), id=GETAL, uitkomst={"enum": ["geaccepteerd", "afgekeurd"]},
        identificatie=TEKST, retourcodes={"type": "array", "items": TEKST}, retour=TEKST, url=TEKST, te_laat=JANEE,
        melding=TEKST, sha256=TEKST, grootte=GETAL, ontvangen_op=MOMENT, aantal_clienten=GETAL,
        aantal_perioden=GETAL),
    "Ongeldig": {"allOf": [_ref("Fout"), _object(("uitkomst",), uitkomst={"enum": ["ongeldig"]}, niveau=GETAL,
                                                 id=GETAL)]},
    "Bericht": _object(
        ("id", "uitkomst"), id=GETAL, gemeente=TEKST, bestandsnaam=TEKST, sha256=TEKST, ontvangen_op=MOMENT,
        uitkomst={"enum": ["geaccepteerd", "afgekeurd", "ongeldig", "geweigerd"]}, melding=TEKST_OF_NIETS,
        identificatie=TEKST_OF_NIETS, retourcodes={"type": "array", "items": TEKST}, te_laat=JANEE,
        aantal_clienten=GETAL, aantal_perioden=GETAL, url=TEKST, retour=TEKST_OF_NIETS),
    "BerichtDetail": {"allOf": [_ref("Bericht"), _object(
        perioden={"type": "array", "items": _object(
            bsn=TEKST, bw_startnummer=GETAL, bw_startdatum=DATUM, bw_einddatum=DATUM, status_aanlevering=GETAL,
            retourcodes={"type": "array", "items": TEKST})}, perioden_weggelaten=GETAL)]},
    "Uitval": _object(
        ("gemeente", "aantal", "per_code", "perioden"), gemeente=TEKST, retourcode=TEKST_OF_NIETS,
        aantal={**GETAL, "description": "alle perioden in de uitval"},
        aantal_gefilterd={**GETAL, "description": "de perioden met de gevraagde retourcode"},
        weggelaten={**GETAL, "description": "niet in de lijst (hooguit 1000 perioden per antwoord)"},
        per_code={"type": "array", "items": _object(code=TEKST, omschrijving=TEKST, wat_te_doen=TEKST, aantal=GETAL)},
        perioden={"type": "array", "items": _object(
            ("bsn", "bw_startnummer", "retourcodes"), bsn=TEKST, bw_startnummer=GETAL, bw_startdatum=DATUM,
            bw_einddatum=DATUM, status_aanlevering=GETAL,
            retourcodes={"type": "array", "items": _object(code=TEKST, omschrijving=TEKST, wat_te_doen=TEKST)},
            bericht=_object(identificatie=TEKST, ontvangen_op=MOMENT, url=TEKST))}),
    "Mutaties": _object(
        ("ontvangst_id", "uitkomst", "mutaties"), ontvangst_id=GETAL, kanaal={"enum": ["HV_APP", "EXCEL", "RECORD60"]},
        bestandsnaam=TEKST, sha256=TEKST, grootte=GETAL, ontvangen_op=MOMENT, uitkomst={"enum": ["verwerkt"]},
        melding=TEKST, mutaties={"type": "array", "items": _object(
            volgnummer={"type": ["integer", "null"], "description": "de rij of de regel; null bij het H&V-formulier"},
            bsn=TEKST, soort_mutatie={"enum": ["START", "STOP"]}, datum=DATUM, gemeentecode=TEKST)}),
    "HvMutatie": {**_object(
        ("gemeentecode", "bsn", "soort_mutatie", "datum_start_bw"),
        **{veld: {"type": ["string", "null"], "description": beschrijving} for veld, beschrijving in HV_VELDEN}),
        "additionalProperties": False,
        "description": "De velden van het Excel-bestand (kolommen A tot en met O), in kleine letters. Datums als "
                       "JJJJ-MM-DD (of dd-mm-jjjj). Welke velden verplicht zijn, hangt af van START of STOP; "
                       "het antwoord 422 noemt elk ontbrekend of onjuist veld."},
    "Klok": _object(("nu",), nu=MOMENT, komend={"type": "array", "items": _object(
        moment=MOMENT, omschrijving=TEKST, gemeente=TEKST_OF_NIETS)}),
    "Verzetting": _object(("van", "nu", "uitgevoerd"), van=MOMENT, nu=MOMENT, uitgevoerd={
        "type": "array", "items": _object(omschrijving=TEKST, gemeente=TEKST_OF_NIETS, moment=MOMENT, gelukt=JANEE,
                                          resultaat=TEKST)}),
    "Reset": _object(("gemeente",), verwijderd={"type": "object", "additionalProperties": GETAL}, melding=TEKST,
                     gemeente=_ref("Gemeente")),
}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FOUTEN = {
    400: "Het verzoek is niet te lezen (geen inhoud, geen JSON).",
    401: "Geen, een onjuist of een ingetrokken API-token.",
    403: "De rol van de gebruiker van het token mag dit niet.",
    404: "Bestaat niet, of het token mag het niet zien (een andere gemeente).",
    409: "Kan nu niet in de stand van de migratie (of van de klok).",
    413: "Het bestand is te groot.",
    422: "De inhoud klopt niet; 'details' noemt elk probleem.",
    429: "Te veel verzoeken met dit token; wacht het aantal seconden van Retry-After.",
}
OUDE_KANALEN_FOUTEN = {
    403: "Alleen de gemeente of haar softwareleverancier mag mutaties insturen; het CAK niet. Het verzoek is wel "
         "bewaard (ontvangst_id).",
    409: "Geweigerd door de sluitingsregel: het kanaal is gesloten en de mutaties vallen niet meer onder de "
         "uitzondering. 'fout' verwijst naar het WMO407-bericht; 'details' noemt elke mutatie. Niets gewijzigd.",
    422: "Afgekeurd om de inhoud; 'details' noemt elk probleem: bij Excel per rij en kolom ({rij, kolom, "
         "kolomnaam, melding}), bij het 60-record per regel en posities ({regel, posities, melding}), bij het "
         "H&V-formulier per veld ({veld, melding}). Niets gewijzigd; het verzoek is bewaard (ontvangst_id).",
}
ALTIJD = (401, 404, 429)


@dataclass(frozen=True)
class Endpoint:
    methode: str
    pad: str                    # as in the document: /gemeenten/{code}
    samenvatting: str
    tag: str
    antwoord: tuple[int, str, dict[str, Any]]          # status, description, content
    body: dict[str, Any] | None = None                 # requestBody content
    fouten: tuple[int, ...] = ()
    parameters: list[dict[str, Any]] = field(default_factory=list)
    openbaar: bool = False
    oude_kanalen: bool = False  # 409 and 422 have the old channels' meaning


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _bestand(mediatype: str) -> dict[str, Any]:
    return {mediatype: {"schema": {"type": "string", "contentMediaType": mediatype}}}


def _queryparam(naam: str, beschrijving: str) -> dict[str, Any]:
    return {"name": naam, "in": "query", "required": False, "schema": TEKST, "description": beschrijving}


BESTANDSNAAM = _queryparam("bestandsnaam", "naam van het bestand zoals het bewaard wordt (optioneel)")
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("get", "/openapi.json", "Dit document", "algemeen", (200, "OpenAPI 3.1", _json({"type": "object"})),
             openbaar=True),
    Endpoint("get", "/gemeenten", "De gemeenten die het token mag zien", "gemeenten",
             (200, "De gemeenten", _json(_object(gemeenten=_lijst("GemeenteSamenvatting"))))),
    Endpoint("get", "/gemeenten/{code}", "De stand van één gemeente: toestand, vlaggen, kalender, kanalen, "
             "aantallen", "gemeenten", (200, "De gemeente", _json(_ref("Gemeente")))),
    Endpoint("get", "/gemeenten/{code}/bestanden", "De bestanden in de map van de gemeente", "bestanden",
             (200, "De bestanden", _json(_object(gemeente=TEKST, bestanden=_lijst("Bestand"))))),
    Endpoint("get", "/bestanden/{bestand_id}", "Een bestand ophalen (telt als download)", "bestanden",
             (200, "De inhoud, met X-Content-SHA256", {**_bestand(XLSX), **_bestand("application/xml")})),
    Endpoint("post", "/gemeenten/{code}/terugkoppeling", "De terugkoppeling op de B4 aanleveren", "bestanden",
             (200, "Aangenomen, met het aantal per code", _json(_ref("Terugkoppeling"))), _bestand(XLSX),
             (400, 403, 409, 413, 422), [BESTANDSNAAM]),
    Endpoint("post", "/gemeenten/{code}/berichten", "Een WMO407-bericht aanleveren", "berichten",
             (201, "Beoordeeld (niveau 2 en 3), met het WMO408-retourbericht", _json(_ref("Verwerking"))),
             _bestand("application/xml"), (400, 403, 409, 413, 422), [BESTANDSNAAM]),
    Endpoint("get", "/gemeenten/{code}/berichten", "De WMO407-berichten van de gemeente, nieuwste eerst",
             "berichten",
             (200, "De berichten", _json(_object(gemeente=TEKST, berichten=_lijst("Bericht")))),
             fouten=(422,), parameters=[
                 _queryparam("sinds", "alleen berichten ontvangen vanaf dit moment "
                                      "(JJJJ-MM-DDTUU:MM, Nederlandse tijd)"),
                 _queryparam("retourcode", "alleen berichten met deze retourcode (4 cijfers)")]),
    Endpoint("get", "/berichten/{ontvangst_id}", "Eén bericht met zijn perioden en retourcodes", "berichten",
             (200, "Het bericht", _json(_ref("BerichtDetail")))),
    Endpoint("get", "/berichten/{ontvangst_id}/retour", "Het WMO408-retourbericht van een bericht", "berichten",
             (200, "Het WMO408", _bestand("application/xml"))),
    Endpoint("get", "/gemeenten/{code}/uitval", "De uitval van de gemeente: de perioden die zij nog moet herstellen, "
             "met hun retourcodes en wat te doen", "uitval",
             (200, "De uitval (hooguit 1000 perioden; 'weggelaten' telt de rest)", _json(_ref("Uitval"))),
             fouten=(422,), parameters=[_queryparam(
                 "retourcode", "alleen de perioden met deze retourcode (4 cijfers); 0200: de perioden zonder een "
                               "eigen retourcode")]),
    Endpoint("post", "/gemeenten/{code}/oude-kanalen/excel", "Oud kanaal: het Excel-bestand met aan- en "
             "afmeldingen (alleen de gemeente of haar leverancier)", "oude kanalen",
             (201, "Aangenomen en verwerkt, met de mutaties", _json(_ref("Mutaties"))), _bestand(XLSX),
             (400, 403, 409, 413, 422), [BESTANDSNAAM], oude_kanalen=True),
    Endpoint("post", "/gemeenten/{code}/oude-kanalen/record60", "Oud kanaal: een 60-recordbestand (alleen de "
             "gemeente of haar leverancier)", "oude kanalen",
             (201, "Aangenomen en verwerkt, met de mutaties", _json(_ref("Mutaties"))), _bestand("text/plain"),
             (400, 403, 409, 413, 422), [BESTANDSNAAM], oude_kanalen=True),
    Endpoint("post", "/gemeenten/{code}/oude-kanalen/hv", "Oud kanaal: één aan- of afmelding zoals in de "
             "H&V-app (alleen de gemeente of haar leverancier)", "oude kanalen",
             (201, "Aangenomen en verwerkt, met de mutatie", _json(_ref("Mutaties"))), _json(_ref("HvMutatie")),
             (400, 403, 409, 413, 422), oude_kanalen=True),
    Endpoint("post", "/gemeenten/{code}/akkoord-aanleveren", "CAK: akkoord om aan te leveren", "cak",
             (200, "De nieuwe stand", _json(_ref("Gemeente"))),
             _json(_object(aanleverdatum={**DATUM, "description": "optioneel: een andere aanleverdatum"})),
             (403, 409, 422)),
    Endpoint("post", "/gemeenten/{code}/akkoord-aanlevering", "CAK: akkoord op de aanlevering", "cak",
             (200, "De nieuwe stand", _json(_ref("Gemeente"))),
             _json(_object(afwijking={**TEKST, "description": "verplicht als de aanlevering afwijkt"})),
             (403, 409, 422)),
    Endpoint("post", "/gemeenten/{code}/belnotitie", "CAK: uitkomst van het nabellen, met een nieuwe leverdatum",
             "cak", (200, "De nieuwe stand", _json(_ref("Gemeente"))),
             _json(_object(("notitie", "nieuwe_datum"), notitie=TEKST, nieuwe_datum=DATUM)), (400, 403, 409, 422)),
    Endpoint("put", "/gemeenten/{code}/timeslot", "CAK-beheerder: de timeslot plannen of verplaatsen", "cak",
             (200, "De nieuwe stand", _json(_ref("Gemeente"))),
             _json(_object(("maandag",), maandag=DATUM)), (400, 403, 409, 422)),
    Endpoint("get", "/ketentest/klok", "Ketentest: de stand van de virtuele klok", "ketentest",
             (200, "De klok", _json(_ref("Klok")))),
    Endpoint("put", "/ketentest/klok", "Ketentest, CAK: de klok vooruit zetten; wat dan aan de beurt is, gebeurt "
             "eerst, in volgorde", "ketentest", (200, "Wat er is uitgevoerd", _json(_ref("Verzetting"))),
             _json(_object(("nu",), nu={**TEKST, "description": "JJJJ-MM-DDTUU:MM, Nederlandse tijd"})),
             (400, 403, 409, 422)),
    Endpoint("post", "/ketentest/gemeenten/{code}/reset", "Ketentest, CAK: één gemeente terug naar haar demostart",
             "ketentest", (200, "Wat er is verwijderd, en de nieuwe stand", _json(_ref("Reset"))), fouten=(403,)),
)


def _pad_parameters(pad: str) -> list[dict[str, Any]]:
    namen = [deel[1:-1] for deel in pad.split("/") if deel.startswith("{")]
    return [{"name": naam, "in": "path", "required": True,
             "schema": {**GETAL, "minimum": 1, "maximum": MAX_ID} if naam.endswith("_id") else TEKST}
            for naam in namen]


def _operatie(endpoint: Endpoint) -> dict[str, Any]:
    status, beschrijving, inhoud = endpoint.antwoord
    antwoorden: dict[str, Any] = {str(status): {"description": beschrijving, "content": inhoud}}
    for code in sorted(set(endpoint.fouten) | (set() if endpoint.openbaar else set(ALTIJD))):
        schema = _ref("Ongeldig") if code == 422 and endpoint.pad.endswith("/berichten") \
            and endpoint.methode == "post" else _ref("Fout")
        beschrijving = (OUDE_KANALEN_FOUTEN if endpoint.oude_kanalen else {}).get(code, FOUTEN[code])
        antwoorden[str(code)] = {"description": beschrijving, "content": _json(schema)}
    operatie: dict[str, Any] = {
        "summary": endpoint.samenvatting, "tags": [endpoint.tag],
        "operationId": endpoint.methode + "_" + "_".join(
            deel.strip("{}") for deel in endpoint.pad.strip("/").split("/")),
        "parameters": _pad_parameters(endpoint.pad) + endpoint.parameters, "responses": antwoorden}
    if endpoint.body is not None:
        operatie["requestBody"] = {"required": True, "content": endpoint.body}
    if endpoint.openbaar:
        operatie["security"] = []
    return operatie


def document() -> dict[str, Any]:
    paden: dict[str, dict[str, Any]] = {}
    for endpoint in ENDPOINTS:
        paden.setdefault(endpoint.pad, {})[endpoint.methode] = _operatie(endpoint)
    return {
        "openapi": "3.1.0",
        "info": {"title": "BW-portaal API", "version": "1",
                 "description": ("De API van het BW-portaal voor softwareleveranciers en gemeenten. Elk verzoek "
                                 "draagt 'Authorization: Bearer <token>'; een token maakt u in het portaal op de "
                                 "pagina API-tokens. Een token handelt als zijn gebruiker. Fouten zijn JSON: "
                                 "{\"fout\": \"...\", \"details\": [...]}. Tijden zijn ISO 8601 in Nederlandse tijd. "
                                 "Adressen met hun query string komen in de logboeken van webservers en proxy's: "
                                 "de API vraagt daarom nergens een BSN in het adres; BSN's staan alleen in "
                                 "antwoorden en in de body van een POST. Elk antwoord met BSN's komt in de "
                                 "audittrail.")},
        "servers": [{"url": bp.url_prefix}],
        "security": [{"token": []}],
        "paths": paden,
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    }


@bp.route("/openapi.json", endpoint="openapi")
def openapi_document() -> ResponseReturnValue:
    return jsonify(document())
