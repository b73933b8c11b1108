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

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
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
    versie: str = _schemadocument(naam).getroot().get("version")
    return versie


@dataclass(frozen=True, slots=True)
class XsdVersie:
    basisschema: str
    bericht: str


def xsd_versie_retour() -> XsdVersie:
    """De ``XsdVersieRetour`` van een WMO408: de versies van het basisschema en het WMO408-schema."""
    return XsdVersie(basisschema=schemaversie(BASISSCHEMA_XSD), bericht=schemaversie(WMO408_XSD))


_XS = "http://www.w3.org/2001/XMLSchema"


@cache
def tags_met_vaste_waarde(naam: str) -> frozenset[str]:
    """De tags van de elementen die het schema ``naam`` (met wat het importeert) een vaste of standaardwaarde geeft.

    Zo'n element (``fixed`` of ``default``) is volgens de XSD ook geldig als het leeg is: dan geldt de
    vaste waarde. In de WMO407 zijn dat BerichtCode, BerichtVersie en BerichtSubversie. Het portaal
    staat geen lege elementen toe (ieb-2.0.md, sectie 2) en zoekt die in een XSD-geldig bericht dus
    alleen onder deze tags; elk ander element kan volgens de schema's niet leeg en toch geldig zijn
    (een test in tests/ieb bewaakt dat voor de schema's in ``schemas/``).
    """
    tags: set[str] = set()
    te_lezen, gelezen = [naam], set()
    while te_lezen:
        bestand = te_lezen.pop()
        if bestand in gelezen or bestand not in _SCHEMABESTANDEN:
            continue
        gelezen.add(bestand)
        root = _schemadocument(bestand).getroot()
        doel = root.get("targetNamespace")
        gekwalificeerd = root.get("elementFormDefault") == "qualified"
        for verwijzing in root.iterchildren(f"{{{_XS}}}import", f"{{{_XS}}}include"):
            if verwijzing.get("schemaLocation"):
                te_lezen.append(PurePosixPath(unquote(urlparse(verwijzing.get("schemaLocation")).path)).name)
        for element in root.iter(f"{{{_XS}}}element"):
            if element.get("fixed") is None and element.get("default") is None:
                continue
            if element.get("ref"):
                prefix, _, lokaal = element.get("ref").rpartition(":")
                namespace = element.nsmap.get(prefix or None)
            else:
                lokaal = element.get("name")
                vorm = element.get("form")
                globaal = element.getparent() is root
                namespace = doel if globaal or vorm == "qualified" or (vorm is None and gekwalificeerd) else None
            tags.add(f"{{{namespace}}}{lokaal}" if namespace else lokaal)
    return frozenset(tags)


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
