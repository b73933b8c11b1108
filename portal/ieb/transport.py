"""Niveau 0, de transportcontrole van een aangeleverde WMO407.

Gecontroleerd wordt: grootte, UTF-8, geen DTD of entiteitdeclaraties, goedgevormde XML en het
hoofdelement ``Bericht`` in de WMO407-namespace. Een DTD wordt vóór het parsen in de proloog
opgespoord en geweigerd, zodat entiteiten nooit worden uitgevouwen of van buiten geladen. De
parser zelf staat bovendien met entiteiten, DTD-laden en netwerk uit.

Of de uploader namens de Afzender mag aanleveren en of het IEB-kanaal van de gemeente open is, zijn
ook controles van niveau 0; die doet de service met de database, met ``Transport.afzender``.

Een bestand dat herkenbaar iets anders is (een ZIP, een Excel-werkmap, een ander iStandaarden-bericht)
of dat een grens van de parser overschrijdt, wordt bij die naam genoemd (``niet_aangenomen``).

Het bestand wordt zonder schema geparst; een WMO407 die door niveau 0 komt, wordt daarna in één keer
tegen de XSD gevalideerd (``Transport._schema_geldig``), zodat de schemacontrole een geldig bericht (het
gewone geval) niet opnieuw hoeft te valideren. Parsen en dan de boom valideren is sneller dan parsen met
het schema aan de parser gekoppeld (gemeten: ~0,19 tegen ~0,29 s voor 25 MB). Is het bericht niet geldig,
dan zoekt de gewone schemacontrole de meldingen, elk bij haar element. Een fout van niveau 0 gaat zo
altijd voor een fout van niveau 1 (ieb-2.0.md, sectie 5).
"""

import codecs
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from lxml import etree

from portal.ieb.bevindingen import Bevinding
from portal.ieb.constants import MAX_BESTANDSGROOTTE, NS_WMO407, NS_WMO408, ROOT_ELEMENT
from portal.ieb.niet_aangenomen import ander_bericht, bestandssoort, parsergrens
from portal.ieb.xsd import wmo407_schema
from portal.kalender import MIGRATIE_STARTDATUM

if TYPE_CHECKING:
    from portal.ieb.schemacontrole import Schemacontrole

NIVEAU = 0

_BOM_UTF8 = b"\xef\xbb\xbf"
_BOMS_ANDERE_CODERING = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)
_WITRUIMTE = re.compile(rb"[ \t\r\n]*")
_XML_DECLARATIE = re.compile(rb"<\?xml[ \t\r\n][^>]*?\?>")
_CODERING = re.compile(rb"""encoding[ \t\r\n]*=[ \t\r\n]*(["'])([^"']*)\1""")
_UTF8_BLOK = 1 << 20


@dataclass(eq=False)
class Transport:
    """Uitkomst van de transportcontrole.

    ``afzender`` is de tekst van ``Header/Afzender`` als die te vinden is, voor de controle of de
    uploader namens die gemeente mag aanleveren. Het geparste document blijft intern bewaard voor
    ``controleer_schema``; een geldig bestand wordt maar één keer geparst. ``_schema_geldig`` zegt
    dat het document al tegen de WMO407-XSD is gevalideerd en geldig bevonden.
    """

    ok: bool
    bevindingen: list[Bevinding]
    afzender: str | None = None
    namespace: str | None = None
    grootte: int = 0
    _document: etree._ElementTree | None = field(default=None, repr=False)
    _data: bytes | None = field(default=None, repr=False)
    _schemacontrole: "Schemacontrole | None" = field(default=None, repr=False)
    _schema_geldig: bool = field(default=False, repr=False)

    @property
    def samenvatting(self) -> str:
        if self.ok:
            return "Het bestand is als XML-bericht ontvangen en gaat door naar de schemacontrole."
        return "Het bestand is geweigerd en niet verwerkt: " + " ".join(b.toelichting for b in self.bevindingen)


def _geweigerd(
    toelichting: str,
    *,
    grootte: int,
    regelnummer: int | None = None,
    kolom: int | None = None,
    parsermelding: str | None = None,
    afzender: str | None = None,
) -> Transport:
    bevinding = Bevinding(
        niveau=NIVEAU, toelichting=toelichting, regelnummer=regelnummer, kolom=kolom, parsermelding=parsermelding
    )
    return Transport(ok=False, bevindingen=[bevinding], afzender=afzender, grootte=grootte)


def _megabytes(aantal_bytes: int) -> str:
    return f"{aantal_bytes / (1024 * 1024):.1f}".replace(".", ",")


def te_groot(grootte: int) -> Bevinding | None:
    """Een bevinding als een bestand van ``grootte`` bytes boven de transportgrens ligt."""
    if grootte <= MAX_BESTANDSGROOTTE:
        return None
    return Bevinding(
        niveau=NIVEAU,
        toelichting=(
            f"Het bestand is {_megabytes(grootte)} MB groot; de grens is {MAX_BESTANDSGROOTTE // (1024 * 1024)} MB "
            "per bestand. Verdeel de cliënten over meerdere WMO407-berichten van elk hoogstens "
            f"{MAX_BESTANDSGROOTTE // (1024 * 1024)} MB en lever die afzonderlijk aan."
        ),
    )


def _na_witruimte(data: bytes, positie: int = 0) -> int:
    """Waar de witruimte (mogelijk geen) vanaf ``positie`` ophoudt."""
    gevonden = _WITRUIMTE.match(data, positie)
    return gevonden.end() if gevonden else positie


def _regel_van(data: bytes, positie: int) -> int:
    return data.count(b"\n", 0, positie) + 1


def _eerste_ongeldige_utf8(data: bytes) -> int | None:
    """De positie van de eerste byte die geen geldige UTF-8 is, of ``None``; leest in blokken.

    ASCII (het gewone geval: een WMO407 heeft zelden een teken daarbuiten) is altijd geldige UTF-8, en
    ``bytes.isascii`` kijkt dat na zonder iets te decoderen."""
    if data.isascii():
        return None
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    weergave = memoryview(data)
    for begin in range(0, len(data), _UTF8_BLOK):
        wachtend = len(decoder.getstate()[0])
        blok = weergave[begin : begin + _UTF8_BLOK]
        try:
            decoder.decode(blok, final=begin + _UTF8_BLOK >= len(data))
        except UnicodeDecodeError as fout:
            return begin - wachtend + fout.start
    return None


def _controleer_codering(data: bytes, grootte: int) -> Transport | None:
    for bom, codering in _BOMS_ANDERE_CODERING:
        if data.startswith(bom):
            return _geweigerd(
                f"Het bestand is opgeslagen als {codering}; een WMO407 moet in UTF-8 zijn. "
                "Sla het bestand op als UTF-8 en lever het opnieuw aan.",
                grootte=grootte,
            )
    if b"\x00" in data[:4]:
        return _geweigerd(
            "Het bestand lijkt in UTF-16 of UTF-32 te zijn opgeslagen (het bevat nul-bytes); een WMO407 moet in "
            "UTF-8 zijn. Sla het bestand op als UTF-8 en lever het opnieuw aan.",
            grootte=grootte,
        )
    begin = len(_BOM_UTF8) if data.startswith(_BOM_UTF8) else 0
    declaratie = _XML_DECLARATIE.match(data, begin)
    if declaratie:
        opgave = _CODERING.search(declaratie.group(0))
        if opgave and opgave.group(2).decode("ascii", "replace").strip().lower() != "utf-8":
            opgegeven = opgave.group(2).decode("ascii", "replace")
            return _geweigerd(
                f"Het bestand geeft in de XML-declaratie de codering '{opgegeven}' op; alleen UTF-8 is toegestaan. "
                'Sla het bestand op als UTF-8, zet encoding="UTF-8" in de eerste regel en lever het opnieuw aan.',
                grootte=grootte,
                regelnummer=1,
            )
    positie = _eerste_ongeldige_utf8(data)
    if positie is not None:
        regel = _regel_van(data, positie)
        return _geweigerd(
            f"Het bestand is niet in UTF-8: op regel {regel} staat de byte 0x{data[positie]:02X}, die in UTF-8 "
            "niet geldig is. Waarschijnlijk is het bestand in een andere codering opgeslagen (bijvoorbeeld "
            "Windows-1252). Sla het bestand op als UTF-8 en lever het opnieuw aan.",
            grootte=grootte,
            regelnummer=regel,
        )
    return None


def _positie_van_dtd(data: bytes) -> int | None:
    """Zoek in de proloog (alles vóór het hoofdelement) naar een DOCTYPE of andere declaratie.

    Een DTD kan alleen in de proloog staan; daarna zou ``<!DOCTYPE`` of ``<!ENTITY`` de XML
    ongeldig maken, wat de parser weigert zonder iets uit te vouwen.
    """
    positie = len(_BOM_UTF8) if data.startswith(_BOM_UTF8) else 0
    while True:
        positie = _na_witruimte(data, positie)
        if data.startswith(b"<?", positie):
            einde = data.find(b"?>", positie + 2)
            if einde < 0:
                return None
            positie = einde + 2
        elif data.startswith(b"<!--", positie):
            einde = data.find(b"-->", positie + 4)
            if einde < 0:
                return None
            positie = einde + 3
        elif data.startswith(b"<!", positie):
            return positie
        else:
            return None


def _dtd_geweigerd(grootte: int, regel: int | None) -> Transport:
    return _geweigerd(
        "Het bestand bevat een DTD (<!DOCTYPE ...>). Een WMO407 mag geen DTD en geen entiteitdeclaraties "
        "bevatten; om veiligheidsredenen is het bestand niet verwerkt. Verwijder de DOCTYPE uit het bestand en "
        "lever het opnieuw aan.",
        grootte=grootte,
        regelnummer=regel,
    )


def _xmlparser() -> etree.XMLParser:
    return etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _is_schema_geldig(document: etree._ElementTree) -> bool:
    """Of een geparste WMO407 geldig is volgens de XSD (de meldingen zoekt de schemacontrole zelf)."""
    return bool(wmo407_schema().validate(document))


def _lokale_naam(tag: str) -> tuple[str | None, str]:
    qname = etree.QName(tag)
    return qname.namespace, qname.localname


def controleer_transport(data: bytes, *, migratiedatum: date = MIGRATIE_STARTDATUM) -> Transport:
    """Voer de transportcontrole (niveau 0) uit op de bytes van een aangeleverd bestand.

    ``migratiedatum``: vanaf die dag neemt het portaal alleen iEb 2.0 aan (MIGRATIE_STARTDATUM); een
    bericht van iEb 1.0 wordt met die datum geweigerd.
    """
    grootte = len(data)
    bevinding = te_groot(grootte)
    if bevinding is not None:
        return Transport(ok=False, bevindingen=[bevinding], grootte=grootte)
    if _na_witruimte(data) == grootte:
        return _geweigerd(
            "Het bestand is leeg. Lever een WMO407-bericht aan als XML-bestand.",
            grootte=grootte,
        )
    soort = bestandssoort(data)
    if soort is not None:
        return _geweigerd(soort, grootte=grootte)
    geweigerd = _controleer_codering(data, grootte)
    if geweigerd is not None:
        return geweigerd
    dtd = _positie_van_dtd(data)
    if dtd is not None:
        return _dtd_geweigerd(grootte, _regel_van(data, dtd))

    try:
        root = etree.fromstring(data, _xmlparser())
    except etree.XMLSyntaxError as fout:
        regel, kolom = fout.position if fout.position else (None, None)
        grens = parsergrens(fout.msg, regel)
        if grens is not None:
            return _geweigerd(grens, grootte=grootte, regelnummer=regel, kolom=kolom, parsermelding=fout.msg)
        return _geweigerd(
            f"Het bestand is geen goedgevormde XML: de parser stopt op regel {regel}, kolom {kolom}. "
            "Controleer of elk element goed geopend en gesloten is en of speciale tekens als & en < als "
            "&amp; en &lt; geschreven zijn, en lever het bestand opnieuw aan.",
            grootte=grootte,
            regelnummer=regel,
            kolom=kolom,
            parsermelding=fout.msg,
        )
    document = root.getroottree()
    if document.docinfo.doctype or document.docinfo.internalDTD is not None:
        return _dtd_geweigerd(grootte, None)

    namespace, naam = _lokale_naam(root.tag)
    ander = ander_bericht(namespace, migratiedatum=migratiedatum)
    if ander is not None:
        transport = _geweigerd(ander, grootte=grootte, regelnummer=root.sourceline)
        transport.namespace = namespace
        return transport
    if naam != ROOT_ELEMENT or namespace not in (NS_WMO407, NS_WMO408):
        if naam != ROOT_ELEMENT:
            toelichting = (
                f"Het bestand begint met het element '{naam}', maar een WMO407 begint met het element "
                f"'{ROOT_ELEMENT}' in de namespace {NS_WMO407}. Lever een WMO407-bericht aan."
            )
        elif namespace is None:
            toelichting = (
                f"Het element '{ROOT_ELEMENT}' staat niet in een namespace. Een WMO407 gebruikt de namespace "
                f"{NS_WMO407}. Zet de juiste namespace in het bericht en lever het opnieuw aan."
            )
        else:
            toelichting = (
                f"Het element '{ROOT_ELEMENT}' staat in een onbekende namespace ({namespace}). Een WMO407 "
                f"gebruikt de namespace {NS_WMO407}. Zet de juiste namespace in het bericht en lever het "
                "opnieuw aan."
            )
        return _geweigerd(toelichting, grootte=grootte, regelnummer=root.sourceline)

    afzender = _afzender(root, namespace)
    if namespace == NS_WMO408:
        transport = _geweigerd(
            "Dit bestand is een WMO408 (een retourbericht), geen WMO407. Het portaal ontvangt alleen "
            "WMO407-berichten; lever het WMO407-bericht aan.",
            grootte=grootte,
            regelnummer=root.sourceline,
            afzender=afzender,
        )
        transport.namespace = namespace
        return transport

    return Transport(
        ok=True,
        bevindingen=[],
        afzender=afzender,
        namespace=namespace,
        grootte=grootte,
        _document=document,
        _data=data,
        _schema_geldig=_is_schema_geldig(document),
    )


def _afzender(root: etree._Element, namespace: str) -> str | None:
    header = root.find(f"{{{namespace}}}Header")
    if header is None:
        return None
    afzender = header.find(f"{{{namespace}}}Afzender")
    if afzender is None or afzender.text is None:
        return None
    return afzender.text.strip() or None
