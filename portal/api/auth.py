"""Who calls the API, and how the API answers errors.

Every request but the OpenAPI document carries `Authorization: Bearer <token>`; the token acts as its
user (role and gemeenten). A session cookie is never read here. Every error is JSON:
`{"fout": "<Dutch sentence: what is wrong and what to do>", "details": [...]}`.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from portal.api.blueprint import bp
from portal.extensions import db
from portal.kalender import to_local
from portal.models import User
from portal.services import apitokens
from portal.services.audit import Actor
from portal.services.ketentestklok import KlokFout
from portal.services.migratie import MigratieFout, RolFout
from portal.services.toegang import GeenToegang, NietGevonden

OPENBAAR = frozenset({"api.openapi"})
"""Endpoints that need no token."""

MELDINGEN: dict[int, str] = {
    400: ("Het verzoek is niet te lezen. Stuur de gegevens als JSON (Content-Type: application/json) zoals "
          "beschreven in /api/v1/openapi.json."),
    401: apitokens.ONGELDIG,
    403: "U mag dit niet doen met dit API-token. Gebruik een token van een gebruiker met de juiste rol.",
    404: ("Dit adres bestaat niet, of u heeft er geen toegang toe. Controleer het adres en de gemeentecode; "
          "de gemeenten van uw token staan op /api/v1/gemeenten."),
    405: ("Deze methode kan niet op dit adres. Zie /api/v1/openapi.json voor de methoden die per adres "
          "kunnen."),
    409: "Dit kan nu niet in de stand van de migratie. Vraag de stand op met GET /api/v1/gemeenten/<code>.",
    413: "Het bestand is te groot en is niet aangenomen. Splits het bestand en stuur de delen afzonderlijk.",
    422: "De gegevens in het verzoek kloppen niet. Zie 'details' en verbeter het verzoek.",
    429: "Te veel verzoeken met dit API-token. Wacht even en probeer het opnieuw.",
    500: ("Door een fout in het portaal kon uw verzoek niet worden afgerond. Er is niets verloren gegaan van "
          "wat eerder is opgeslagen. Probeer het over enkele minuten opnieuw; blijft dit gebeuren, neem dan "
          "contact op met het CAK."),
    503: ("Het portaal kan zijn database nu niet bereiken; uw verzoek is niet uitgevoerd en er is niets half "
          "opgeslagen. Probeer het opnieuw na het aantal seconden in de kop Retry-After."),
}


def fout(status: int, melding: str | None = None, details: list[Any] | None = None,
         **extra: Any) -> tuple[Response, int]:
    """A JSON error: the Dutch sentence and the details (each problem, per row or element)."""
    melding = melding or MELDINGEN.get(status, MELDINGEN[400])
    return jsonify({"fout": melding, "details": details or [], **extra}), status


def fout_response(status: int) -> Response:
    """The JSON answer for an error status raised outside the API's own routes (unknown address, method)."""
    melding = MELDINGEN.get(status, MELDINGEN[500 if status >= 500 else 400])
    if status == 413:
        limiet = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        melding = (f"Het bestand is groter dan {limiet} MB en is niet aangenomen. Splits het bestand en stuur "
                   "de delen afzonderlijk.")
    response = jsonify({"fout": melding, "details": []})
    response.status_code = status
    return response


def moment(waarde: datetime | None) -> str | None:
    """An instant in JSON: ISO 8601 in Dutch local time, with its offset."""
    return None if waarde is None else to_local(waarde).isoformat()


def datum(waarde: date | None) -> str | None:
    return None if waarde is None else waarde.isoformat()


def gebruiker() -> User:
    """The user the request's token acts as."""
    user: User = g.api_gebruiker
    return user


def actor() -> Actor:
    return Actor(user=gebruiker(), ip=request.remote_addr)


def _bearer() -> str | None:
    kop = request.headers.get("Authorization", "")
    soort, _, waarde = kop.partition(" ")
    if soort.lower() != "bearer":
        return None
    return waarde.strip() or None


@bp.before_request
def authenticeer() -> tuple[Response, int] | None:
    if request.endpoint in OPENBAAR:
        return None
    try:
        g.api_gebruiker = apitokens.gebruiker_van(_bearer())
    except apitokens.OngeldigToken as ongeldig:
        response, status = fout(401, ongeldig.melding)
        response.headers["WWW-Authenticate"] = 'Bearer realm="BW-portaal API"'
        return response, status
    except apitokens.TeVeelVerzoeken as teveel:
        response, status = fout(429, teveel.melding)
        response.headers["Retry-After"] = str(teveel.wacht)
        return response, status
    return None


@bp.after_request
def geen_cache(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.errorhandler(NietGevonden)
def niet_gevonden(error: Exception) -> tuple[Response, int]:
    db.session.rollback()
    return fout(404)


@bp.errorhandler(GeenToegang)
@bp.errorhandler(RolFout)
def geen_toegang(error: GeenToegang | RolFout) -> tuple[Response, int]:
    db.session.rollback()
    return fout(403, error.melding)


@bp.errorhandler(MigratieFout)
@bp.errorhandler(KlokFout)
def kan_nu_niet(error: MigratieFout | KlokFout) -> tuple[Response, int]:
    db.session.rollback()
    return fout(409, error.melding)


@bp.errorhandler(HTTPException)
def http_fout(error: HTTPException) -> Response:
    return fout_response(error.code or 500)


class Invoerfout(ValueError):
    """Input the API cannot use: 422 with every problem in `details`."""

    def __init__(self, details: list[dict[str, str]]) -> None:
        super().__init__(details)
        self.details = details


@bp.errorhandler(Invoerfout)
def invoerfout(error: Invoerfout) -> tuple[Response, int]:
    return fout(422, "De gegevens in het verzoek kloppen niet: " + " ".join(d["melding"] for d in error.details),
                error.details)


def json_body(verplicht: bool = True) -> dict[str, Any]:
    """The request's JSON object; an Invoerfout when it is no object (or missing while required)."""
    if not request.get_data():
        if verplicht:
            raise Invoerfout([{"veld": "", "melding": "Het verzoek heeft geen inhoud; stuur een JSON-object."}])
        return {}
    gegevens = request.get_json(force=True, silent=True)
    if not isinstance(gegevens, dict):
        raise Invoerfout([{"veld": "", "melding": "De inhoud is geen JSON-object; stuur bijvoorbeeld "
                                                  "{\"veld\": \"waarde\"} met Content-Type application/json."}])
    return gegevens


def lees_datum(gegevens: dict[str, Any], veld: str, verplicht: bool = True) -> date | None:
    waarde = gegevens.get(veld)
    if waarde in (None, ""):
        if verplicht:
            raise Invoerfout([{"veld": veld, "melding": f"'{veld}' ontbreekt; geef een datum als JJJJ-MM-DD."}])
        return None
    try:
        return date.fromisoformat(str(waarde))
    except ValueError:
        raise Invoerfout([{"veld": veld, "melding": f"'{waarde}' in '{veld}' is geen datum; "
                                                    "schrijf JJJJ-MM-DD, bijvoorbeeld 2022-10-03."}]) from None


def lees_tekst(gegevens: dict[str, Any], veld: str, verplicht: bool = True) -> str | None:
    waarde = gegevens.get(veld)
    if waarde is not None and not isinstance(waarde, str):
        raise Invoerfout([{"veld": veld, "melding": f"'{veld}' moet tekst zijn."}])
    if verplicht and not (waarde or "").strip():
        raise Invoerfout([{"veld": veld, "melding": f"'{veld}' ontbreekt; vul het in."}])
    return waarde
