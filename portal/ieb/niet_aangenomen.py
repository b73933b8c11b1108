"""Wat het portaal niet aanneemt, bij de naam genoemd (niveau 0).

Drie soorten bestanden krijgen een eigen Nederlandse toelichting in plaats van "geen UTF-8" of "geen
goedgevormde XML":

- een bestand dat geen XML is maar iets herkenbaars anders: een ZIP-bestand, een Excel-werkmap (.xlsx,
  .xlsb of het oude .xls), een OpenDocument-rekenblad (.ods) of een PDF; herkend aan de eerste bytes en,
  bij een ZIP, aan de namen in de inhoudsopgave (er wordt niets uitgepakt);
- een iStandaarden-bericht dat geen WMO407 van iEb 2.0 is: een bericht van iEb 1.0, een ander bericht
  van iEb 2.0 (zoals de WMO401 van het abonnementstarief) of een bericht van een andere iStandaard;
- XML die een grens van de parser (libxml2) overschrijdt: een tekst of commentaar van meer dan 10 MB,
  of elementen die te diep in elkaar staan. Zo'n bestand is niet kapot maar te groot of te diep voor de
  parser; die grenzen beschermen het portaal en blijven aan.

Elke functie geeft een Nederlandse toelichting (wat het is en wat te doen), of ``None``.
"""

import re
from datetime import date
from io import BytesIO
from zipfile import BadZipFile, ZipFile

from portal.ieb.constants import NS_WMO407
from portal.kalender import format_datum
from portal.spreadsheets.reading import ODS_ALS_XLSX

_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF = b"%PDF-"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_HIER_WMO407 = "Lever hier het WMO407-bericht zelf aan: het XML-bestand (.xml) volgens iEb 2.0 dat uw software maakt."
_TERUGKOPPELING = (
    "Wilt u de ingevulde bestandsvergelijking sturen? Upload die dan bij 'Terugkoppeling op de "
    "bestandsvergelijking'."
)

WMO401 = "wmo401"


def bestandssoort(data: bytes) -> str | None:
    """De toelichting bij een bestand dat herkenbaar geen XML is, of ``None``."""
    if data.startswith(_ZIP):
        return _zip(data)
    if data.startswith(_OLE2):
        return (
            "Dit bestand is een oud Excel-bestand (.xls) of een ander Office-document, geen WMO407-bericht. "
            f"{_TERUGKOPPELING} {_HIER_WMO407}"
        )
    if data.startswith(_PDF):
        return f"Dit bestand is een PDF, geen WMO407-bericht. {_HIER_WMO407}"
    return None


def _zip(data: bytes) -> str:
    try:
        with ZipFile(BytesIO(data)) as archief:
            onderdelen = {info.filename: info for info in archief.infolist()}
            mimetype = onderdelen.get("mimetype")
            opendocument = (
                archief.read(mimetype).strip() if mimetype is not None and mimetype.file_size <= 100 else b""
            )
    except (BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        onderdelen, opendocument = {}, b""
    if opendocument == _ODS_MIMETYPE:
        return (
            "Dit bestand is een OpenDocument-rekenblad (.ods), geen WMO407-bericht. Wilt u de ingevulde "
            f"bestandsvergelijking sturen? Sla het dan op als Excel-werkmap (.xlsx): {ODS_ALS_XLSX} Upload het "
            f".xlsx-bestand bij 'Terugkoppeling op de bestandsvergelijking'. {_HIER_WMO407}"
        )
    if "xl/workbook.xml" in onderdelen or "xl/workbook.bin" in onderdelen:
        return f"Dit bestand is een Excel-werkmap, geen WMO407-bericht. {_TERUGKOPPELING} {_HIER_WMO407}"
    xml = sum(1 for naam in onderdelen if naam.lower().endswith(".xml"))
    inhoud = f" met {xml} XML-{'bestand' if xml == 1 else 'bestanden'}" if xml else ""
    return (
        f"Dit bestand is een ZIP-bestand{inhoud}, geen WMO407-bericht. Het portaal pakt geen ZIP-bestanden uit: "
        "pak het uit en lever elk WMO407-bericht (.xml) afzonderlijk aan."
    )


_ISTANDAARD = re.compile(
    r"https?://www\.istandaarden\.nl/(?P<standaard>[a-z]+)/(?P<versie>[0-9]+_[0-9]+)/(?P<bericht>[a-z]+[0-9]*)"
    r"/schema/?"
)


def _standaardnaam(standaard: str) -> str:
    """``ieb`` als iEb, ``iwmo`` als iWmo, ``ijw`` als iJw."""
    return "i" + standaard[1:].capitalize() if standaard.startswith("i") else standaard


def ander_bericht(namespace: str | None, *, migratiedatum: date) -> str | None:
    """De toelichting bij een iStandaarden-bericht dat geen WMO407 of WMO408 van iEb 2.0 is, of ``None``.

    ``migratiedatum`` is de dag vanaf wanneer alleen iEb 2.0 wordt aangenomen (MIGRATIE_STARTDATUM).
    """
    gevonden = _ISTANDAARD.fullmatch(namespace or "")
    if gevonden is None:
        return None
    standaard, versie, bericht = gevonden.group("standaard", "versie", "bericht")
    if bericht == "basisschema" or (standaard == "ieb" and versie == "2_0" and bericht in ("wmo407", "wmo408")):
        return None
    naam = bericht.upper()
    versietekst = versie.replace("_", ".")
    if standaard == "ieb" and versie.startswith("1_"):
        return (
            f"Dit bestand is een {naam}-bericht volgens iEb {versietekst}. iEb {versietekst} wordt niet meer "
            f"aangenomen sinds {format_datum(migratiedatum)}; lever een WMO407 volgens iEb 2.0 aan (namespace "
            f"{NS_WMO407}). Maakt uw software nog berichten volgens iEb {versietekst}, vraag uw "
            "softwareleverancier dan om de versie voor iEb 2.0."
        )
    if standaard == "ieb" and versie == "2_0" and bericht == WMO401:
        return (
            "Dit bestand is een WMO401-bericht (iEb 2.0) over het abonnementstarief, geen WMO407. Het "
            "abonnementstarief wordt niet via dit portaal aangeleverd, maar via het gewone iEb-berichtenverkeer "
            "van uw gemeente (de route via het GGK en VECOZO) aan het CAK. Lever hier alleen WMO407-berichten "
            "aan (start en stop beschermd wonen)."
        )
    if standaard == "ieb" and versie == "2_0":
        return (
            f"Dit bestand is een {naam}-bericht van iEb 2.0, geen WMO407. Dit portaal neemt alleen "
            "WMO407-berichten aan (start en stop beschermd wonen); lever hier een WMO407 aan."
        )
    if standaard == "ieb":
        return (
            f"Dit bestand is een {naam}-bericht volgens iEb {versietekst}. Het portaal neemt alleen WMO407-berichten "
            f"volgens iEb 2.0 aan (namespace {NS_WMO407}); lever een WMO407 volgens iEb 2.0 aan."
        )
    return (
        f"Dit bestand is een {naam}-bericht van de iStandaard {_standaardnaam(standaard)} {versietekst}, geen "
        "iEb-bericht. Dit portaal neemt alleen WMO407-berichten volgens iEb 2.0 aan; lever hier een WMO407 aan."
    )


_DIEPTE = re.compile(r"depth[^0-9]*([0-9]+)", re.IGNORECASE)
_GEEN_WMO407_TEKST = "een WMO407 heeft nergens zo'n lange tekst"
_OPNIEUW_MAKEN = "Maak het bericht opnieuw vanuit uw software en lever het opnieuw aan."


def parsergrens(parsermelding: str, regel: int | None) -> str | None:
    """De toelichting als de parser stopte op een van zijn grenzen (tekst, commentaar, diepte), of ``None``."""
    melding = parsermelding.lower()
    waar = f"rond regel {regel} " if regel is not None else ""
    if "depth" in melding:
        diepte = _DIEPTE.search(parsermelding)
        grens = diepte.group(1) if diepte else "256"
        return (
            f"Het bestand is te diep genest voor de XML-parser: {waar}staan meer dan {grens} elementen in "
            "elkaar. Dat is meer dan de parser (libxml2) aanneemt; een WMO407 is maar vier niveaus diep "
            "(Bericht › Client › BeschermdWonen › BwStartNummer). Waarschijnlijk ontbreken er sluittags. "
            + _OPNIEUW_MAKEN
        )
    if "comment" in melding and any(woord in melding for woord in ("too big", "too long", "huge")):
        return (
            f"Het bestand is te groot voor de XML-parser: {waar}staat een commentaar (<!-- … -->) van meer dan "
            "10 MB. Dat is meer dan de parser (libxml2) in één commentaar aanneemt. Verwijder het commentaar of "
            "maak het korter (een WMO407 heeft geen commentaar nodig) en lever het bestand opnieuw aan."
        )
    if "text node" in melding or "huge text" in melding or ("cdata" in melding and "too big" in melding):
        return (
            f"Het bestand is te groot voor de XML-parser: {waar}staat in één element een tekst van meer dan "
            f"10 MB. Dat is meer dan de parser (libxml2) in één tekst aanneemt, en {_GEEN_WMO407_TEKST}. "
            "Waarschijnlijk is er iets in het bestand geplakt of ontbreekt er een sluittag. " + _OPNIEUW_MAKEN
        )
    return None
