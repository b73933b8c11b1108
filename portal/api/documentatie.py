"""The page /api: the OpenAPI document rendered on the server for people (no JavaScript, nothing from a
CDN), from the same declared structure that /api/v1/openapi.json serves. Public, like the document."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from portal.api.openapi import document

bp = Blueprint("apidoc", __name__)


@dataclass(frozen=True)
class Veld:
    naam: str
    soort: str
    verplicht: bool
    beschrijving: str


def _naam(verwijzing: str) -> str:
    return verwijzing.rsplit("/", 1)[-1]


def soort(schema: dict[str, Any]) -> str:
    """A schema's type in a few words: 'tekst of null', 'lijst van Bestand', 'één van: START, STOP'."""
    if "$ref" in schema:
        return _naam(schema["$ref"])
    if "enum" in schema:
        return "één van: " + ", ".join(str(w) for w in schema["enum"])
    woorden = {"string": "tekst", "integer": "geheel getal", "boolean": "ja/nee", "object": "object",
               "array": "lijst", "null": "null"}
    typen = schema.get("type", "object")
    tekst = " of ".join(woorden.get(t, t) for t in ([typen] if isinstance(typen, str) else typen))
    if schema.get("format") in ("date", "date-time"):
        tekst += " (" + ("datum JJJJ-MM-DD" if schema["format"] == "date" else "moment ISO 8601") + ")"
    if "items" in schema:
        tekst += " van " + soort(schema["items"])
    if schema.get("contentMediaType"):
        tekst = f"bestand ({schema['contentMediaType']})"
    return tekst


def velden(schema: dict[str, Any]) -> list[Veld]:
    """The fields of an object schema, those of its allOf parts included."""
    result: list[Veld] = []
    for deel in schema.get("allOf", []):
        if "$ref" in deel:
            result.append(Veld("…", _naam(deel["$ref"]), True, f"alle velden van {_naam(deel['$ref'])}"))
        else:
            result += velden(deel)
    verplicht = set(schema.get("required", []))
    for naam, veld in schema.get("properties", {}).items():
        result.append(Veld(naam, soort(veld), naam in verplicht, veld.get("description", "")))
    return result


@bp.route("/api")
def api_documentatie() -> ResponseReturnValue:
    openapi = document()
    groepen: dict[str, list[dict[str, Any]]] = {}
    for pad, operaties in openapi["paths"].items():
        for methode, operatie in operaties.items():
            groepen.setdefault(operatie["tags"][0], []).append({"methode": methode.upper(), "pad": pad, **operatie})
    return render_template("api/documentatie.html", openapi=openapi, groepen=groepen, soort=soort, velden=velden)
