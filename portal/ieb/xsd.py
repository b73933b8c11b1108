"""Laden van de XSD-bestanden in ``schemas/`` en valideren ertegen.

De schema's worden alleen uit de eigen map geladen: de ``xs:import`` van het basisschema wordt
lokaal opgelost, nooit via het netwerk. Een ``XMLSchema``-object houdt zijn foutenlog bij zich;
daarom krijgt elke thread een eigen exemplaar.
"""

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from urllib.parse import unquote, urlparse

from lxml import etree

from portal.ieb.constants import BASISSCHEMA_XSD, SCHEMA_MAP, WMO407_XSD, WMO408_XSD

_SCHEMABESTANDEN = (BASISSCHEMA_XSD, WMO407_XSD, WMO408_XSD)


class _AlleenLokaleSchemas(etree.Resolver):
    """Laat een XSD alleen bestanden uit de eigen schemamap importeren."""

    def resolve(self, url, pubid, context):
        naam = PurePosixPath(unquote(urlparse(url or "").path)).name
        if naam in _SCHEMABESTANDEN:
            return self.resolve_filename(str(SCHEMA_MAP / naam), context)
        raise etree.XMLSchemaParseError(f"Schema {url!r} hoort niet bij de iEb-schema's van het portaal.")


def _schemaparser() -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_AlleenLokaleSchemas())
    return parser


@cache
def _schemadocument(naam: str) -> etree._ElementTree:
    return etree.parse(str(SCHEMA_MAP / naam), _schemaparser())


_per_thread = threading.local()


def _schema(naam: str) -> etree.XMLSchema:
    schemas = getattr(_per_thread, "schemas", None)
    if schemas is None:
        schemas = _per_thread.schemas = {}
    if naam not in schemas:
        schemas[naam] = etree.XMLSchema(_schemadocument(naam))
    return schemas[naam]


def wmo407_schema() -> etree.XMLSchema:
    """Het WMO407-schema (met het geïmporteerde basisschema)."""
    return _schema(WMO407_XSD)


def wmo408_schema() -> etree.XMLSchema:
    """Het WMO408-schema (met het geïmporteerde basisschema)."""
    return _schema(WMO408_XSD)


def schemaversie(naam: str) -> str:
    """De versie van een schemabestand: het attribuut ``version`` van ``xs:schema``."""
    return _schemadocument(naam).getroot().get("version")


@dataclass(frozen=True, slots=True)
class XsdVersie:
    basisschema: str
    bericht: str


def xsd_versie_retour() -> XsdVersie:
    """De ``XsdVersieRetour`` van een WMO408: de versies van het basisschema en het WMO408-schema."""
    return XsdVersie(basisschema=schemaversie(BASISSCHEMA_XSD), bericht=schemaversie(WMO408_XSD))


def schemadocument(naam: str) -> etree._ElementTree:
    """Het geparste schemabestand zelf (alleen lezen), bijvoorbeeld om vaste waarden op te zoeken."""
    return _schemadocument(naam)


def valideer_wmo408(data: bytes) -> list[str]:
    """Valideer een WMO408 tegen ``wmo408.xsd``; geeft de meldingen van de controle (leeg = geldig)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        document = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as fout:
        return [f"geen geldige XML: {fout}"]
    schema = wmo408_schema()
    if schema.validate(document):
        return []
    return [f"regel {fout.line}: {fout.message}" for fout in schema.error_log]
