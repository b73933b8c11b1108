"""Niveau 1, de schemacontrole: XSD-validatie tegen basisschema en WMO407, en omzetting naar dataclasses.

Het gewone geval is een geldig bericht. De transportcontrole heeft het dan al direct na het parsen
gevalideerd (``Transport._schema_geldig``); hier wordt alleen nog gekeken
naar lege elementen, en dat alleen bij de elementen die de XSD ook leeg toelaat (die met een vaste
waarde, zie ``xsd.tags_met_vaste_waarde``). Daarna wordt het document omgezet naar een
``Wmo407Bericht``: alle teksten van de Clients met één XPath, de regelnummers per Client en per periode.

Is het bericht niet geldig (of heeft het een leeg element), dan volgt de volledige controle van
``_valideer`` met alle meldingen, elk bij haar element; die blijft ook bij een bestand vol fouten
lineair. Het bestand wordt niet opnieuw geparst; alleen als er fouten zijn, wordt het nog eens gelezen
om regel en kolom van de starttags te vinden (zie ``bronposities``).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import islice

from lxml import etree

from portal.ieb.bericht import Client, Header, Periode, Wmo407Bericht, nieuwe_client, nieuwe_periode
from portal.ieb.bevindingen import Bevinding
from portal.ieb.bronposities import zoek_posities
from portal.ieb.constants import MAX_BEVINDINGEN, NS_BASISSCHEMA, NS_WMO407, WMO407_XSD
from portal.ieb.geheugen import zonder_cyclische_gc
from portal.ieb.schemafouten import leeg_element, lokale_naam, onverwerkbare_datum, vertaal
from portal.ieb.transport import Transport, controleer_transport
from portal.ieb.xsd import tags_met_vaste_waarde, wmo407_schema

NIVEAU = 1


def _wmo407(naam: str) -> str:
    return f"{{{NS_WMO407}}}{naam}"


def _ieb(naam: str) -> str:
    return f"{{{NS_BASISSCHEMA}}}{naam}"


_AFZENDER = _wmo407("Afzender")
_BERICHT_IDENTIFICATIE = _wmo407("BerichtIdentificatie")
_XSD_VERSIE = _wmo407("XsdVersie")
_IDENTIFICATIE = _ieb("Identificatie")
_DAGTEKENING = _ieb("Dagtekening")
_BASISSCHEMA_XSD_VERSIE = _ieb("BasisschemaXsdVersie")
_BERICHT_XSD_VERSIE = _ieb("BerichtXsdVersie")
_CLIENT = _wmo407("Client")
_BESCHERMD_WONEN = _wmo407("BeschermdWonen")
_BW_STARTNUMMER = _wmo407("BwStartNummer")
_BW_STARTDATUM = _wmo407("BwStartdatum")
_BW_EINDDATUM = _wmo407("BwEinddatum")
_STATUS_AANLEVERING = _wmo407("StatusAanlevering")

_ISO_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NAMESPACE_DECLARATIE = re.compile(rb"""xmlns:([A-Za-z_][\w.\-]*)[ \t\r\n]*=[ \t\r\n]*(["'])(.*?)\2""")

# Meer gelijknamige kinderen dan dit worden in groepen gevalideerd; zie ``_valideer``.
_GROEPSGROOTTE = 500

# Een melding van de XSD-controle: de tekst, de regel volgens libxml2 en het element (als dat te vinden is).
_Melding = tuple[str, int, etree._Element | None]


@dataclass(eq=False)
class Schemacontrole:
    """Uitkomst van de schemacontrole. ``niveau`` is 0 als het bestand al bij het transport is geweigerd."""

    ok: bool
    niveau: int
    bevindingen: list[Bevinding] = field(default_factory=list)
    bericht: Wmo407Bericht | None = None
    aantal_fouten: int = 0
    volledig: bool = True

    @property
    def samenvatting(self) -> str:
        if self.ok:
            return "Het bericht voldoet aan de XSD van de WMO407."
        if self.niveau == 0:
            return "Het bestand is geweigerd en niet verwerkt: " + " ".join(b.toelichting for b in self.bevindingen)
        aantal = self.aantal_fouten or len(self.bevindingen)
        gevonden = f"{aantal} {'fout' if aantal == 1 else 'fouten'} gevonden"
        if not self.volledig:
            gevonden = f"minstens {gevonden} (de controle is daarna gestopt)"
        return (
            f"Bericht voldoet niet aan XSD: {gevonden}. Er is geen retourbericht gemaakt. Verbeter de genoemde "
            "elementen en lever het bericht opnieuw aan."
        )


@dataclass(frozen=True)
class _Omzetfout:
    """Een waarde die de XSD toelaat maar die niet naar Python kan worden omgezet (zoals jaar 12022)."""

    tag: str
    volgnummer: int
    regelnummer: int | None
    waarde: str


@dataclass
class _Fout:
    """Een fout bij één element: naam, regel volgens de parser, uitleg (per regelnummer) en meldingen.

    ``volgnummer`` is de plaats van het element in documentvolgorde, om regel en kolom van de starttag
    in het bestand op te zoeken.
    """

    naam: str | None
    regelnummer: int | None
    uitleg: Callable[[int | None], str]
    parsermeldingen: list[str]
    element: etree._Element | None = None
    volgnummer: int | None = None


def controleer_schema(transport: Transport) -> Schemacontrole:
    """Voer de schemacontrole (niveau 1) uit op een bestand dat door de transportcontrole is gekomen.

    Het document in ``transport`` wordt hierbij verbruikt; een tweede aanroep geeft dezelfde uitkomst.
    """
    if transport._schemacontrole is not None:
        return transport._schemacontrole
    if not transport.ok or transport._document is None:
        uitkomst = Schemacontrole(ok=False, niveau=0, bevindingen=list(transport.bevindingen))
    else:
        uitkomst = _controleer(transport._document, transport._data or b"", transport._schema_geldig)
    transport._schemacontrole = uitkomst
    transport._document = None
    transport._data = None
    return uitkomst


def lees_wmo407(data: bytes) -> Schemacontrole:
    """Transport- en schemacontrole in één keer, voor tests en de opdrachtregel."""
    return controleer_schema(controleer_transport(data))


def _controleer(document: etree._ElementTree, data: bytes, schema_geldig: bool = False) -> Schemacontrole:
    """De schemacontrole van een geparst document; ``schema_geldig``: de transportcontrole vond het al XSD-geldig."""
    if schema_geldig and not _heeft_leeg_element_met_vaste_waarde(document):
        return _omgezet(document, data)
    meldingen, volledig = _valideer(document, data)
    lege_elementen = document.xpath("//*[not(node())]")
    if not meldingen and not lege_elementen:
        return _omgezet(document, data)
    fouten, overig = _koppel_aan_elementen(meldingen, lege_elementen)
    return _afgekeurd(data, fouten, overig, volledig, document=document)


def _heeft_leeg_element_met_vaste_waarde(document: etree._ElementTree) -> bool:
    """Of een element dat de XSD ook leeg toelaat (een vaste waarde) leeg is, zoals ``<BerichtCode/>``.

    In een XSD-geldig document kunnen alleen deze elementen leeg zijn; ``//*[not(node())]`` over het
    hele document is dan niet nodig. Leeg is hier hetzelfde als daar: geen enkele onderliggende node.
    """
    tags = tags_met_vaste_waarde(WMO407_XSD)
    return bool(tags) and any(element.xpath("not(node())") for element in document.getroot().iter(*tags))


def _omgezet(document: etree._ElementTree, data: bytes) -> Schemacontrole:
    """Zet een XSD-geldig document zonder lege elementen om; een onverwerkbare datum keurt het alsnog af."""
    try:
        bericht = _naar_bericht(document.getroot())
    except _Omzetfouten as omzetfouten:
        fouten = [_omzetfout_als_fout(fout) for fout in omzetfouten.fouten]
        return _afgekeurd(data, fouten[:MAX_BEVINDINGEN], len(fouten[MAX_BEVINDINGEN:]), True, document=None)
    return Schemacontrole(ok=True, niveau=NIVEAU, bericht=bericht)


def _valideer(document: etree._ElementTree, data: bytes) -> tuple[list[_Melding], bool]:
    """Valideer tegen de WMO407-XSD; geeft de meldingen, elk met haar element, en of de controle volledig was.

    lxml berekent bij elke melding het pad van het element (zoals ``Client[48213]``), en dat kost meer
    naarmate het element meer gelijknamige broers heeft: een bericht met een fout in elk van tienduizenden
    Clients, of in elk van tienduizenden perioden van één Client, zou kwadratisch lang duren. Daarom
    blijft van een reeks van meer dan ``_GROEPSGROOTTE`` gelijknamige broers alleen de eerste staan (het
    inhoudsmodel blijft zo compleet); de andere worden daarna groep voor groep direct na de eerste gezet
    en gecontroleerd. Omdat het WMO407-schema elke Client en elke periode op zichzelf controleert en
    herhaalde elementen aaneengesloten staan, geeft dat dezelfde meldingen als alles in één keer. Na
    ``MAX_BEVINDINGEN`` verschillende meldingen stopt de controle. Daarna staat de boom weer in de
    oorspronkelijke volgorde.
    """
    schema = wmo407_schema()
    root = document.getroot()
    meldingen: list[_Melding] = []
    gezien: set[tuple] = set()
    prefixen: dict[str, str] | None = None

    def valideer_en_verzamel() -> None:
        nonlocal prefixen
        if schema.validate(document):
            return
        for fout in schema.error_log:
            if prefixen is None and ":" in (fout.path or ""):
                prefixen = _prefixen(root, data)
            element = _element_op_pad(document, fout.path, prefixen or {})
            sleutel = (element if element is not None else fout.line, fout.message)
            if sleutel not in gezien:
                gezien.add(sleutel)
                meldingen.append((fout.message, fout.line, element))

    origineel: dict[etree._Element, list[etree._Element]] = {}
    reeksen: list[tuple[etree._Element, list[etree._Element]]] = []
    for element in document.xpath(f"//*[count(*) > {_GROEPSGROOTTE}]"):
        kinderen = list(element)
        per_tag: dict[str, list[etree._Element]] = {}
        for kind in kinderen:
            per_tag.setdefault(kind.tag, []).append(kind)
        lange = [reeks for reeks in per_tag.values() if len(reeks) > _GROEPSGROOTTE]
        if lange:
            origineel[element] = kinderen
            reeksen.extend((reeks[0], reeks[1:]) for reeks in lange)
    if not reeksen:
        valideer_en_verzamel()
        return meldingen, True

    opslag = root.makeelement(root.tag, nsmap=root.nsmap)
    eerste_van: dict[etree._Element, etree._Element] = {}
    for eerste, overige in reeksen:
        for element in overige:
            eerste_van[element] = eerste
        opslag.extend(overige)

    def zet_na(eerste: etree._Element, elementen: list[etree._Element]) -> None:
        for element in reversed(elementen):
            eerste.addnext(element)

    try:
        for eerste, overige in reeksen:
            keten = []
            voorouder = eerste.getparent()
            while voorouder is not None and voorouder is not root:
                if voorouder in eerste_van:
                    keten.append(voorouder)
                    voorouder = eerste_van[voorouder]
                voorouder = voorouder.getparent()
            for verborgen in reversed(keten):
                zet_na(eerste_van[verborgen], [verborgen])
            for begin in range(0, len(overige), _GROEPSGROOTTE):
                groep = overige[begin : begin + _GROEPSGROOTTE]
                zet_na(eerste, groep)
                valideer_en_verzamel()
                opslag.extend(groep)
                if len(meldingen) >= MAX_BEVINDINGEN:
                    return meldingen, False
            opslag.extend(keten)
        return meldingen, True
    finally:
        for eerste, overige in reeksen:
            zet_na(eerste, overige)
        for element, kinderen in origineel.items():
            element.extend(kinderen)


def _afgekeurd(
    data: bytes, fouten: list[_Fout], overig: int, volledig: bool, *, document: etree._ElementTree | None
) -> Schemacontrole:
    """Maak de bevindingen, met regel en kolom van elk element; ``overig`` meldingen worden alleen geteld."""
    if document is not None:
        _bepaal_volgnummers(document.getroot(), fouten)
    posities = zoek_posities(data, [f.volgnummer for f in fouten if f.volgnummer is not None])
    bevindingen = []
    for fout in fouten:
        positie = posities.get(fout.volgnummer) if fout.volgnummer is not None else None
        regelnummer, kolom = positie if positie is not None else (fout.regelnummer, None)
        bevindingen.append(
            Bevinding(
                niveau=NIVEAU,
                toelichting=fout.uitleg(regelnummer),
                regelnummer=regelnummer,
                kolom=kolom,
                element=fout.naam,
                parsermelding=" | ".join(fout.parsermeldingen) or None,
            )
        )
    if overig:
        bevindingen.append(
            Bevinding(
                niveau=NIVEAU,
                toelichting=(
                    f"Er zijn nog {overig} meldingen van de controle die hier niet afzonderlijk staan. Verbeter "
                    "eerst de genoemde fouten en lever het bericht opnieuw aan; de controle toont dan de volgende."
                ),
            )
        )
    if not volledig:
        bevindingen.append(
            Bevinding(
                niveau=NIVEAU,
                toelichting=(
                    f"De controle is na {MAX_BEVINDINGEN} meldingen gestopt; verderop in het bericht kunnen nog "
                    "meer fouten staan. Verbeter eerst de genoemde fouten en lever het bericht opnieuw aan."
                ),
            )
        )
    return Schemacontrole(
        ok=False, niveau=NIVEAU, bevindingen=bevindingen, aantal_fouten=len(fouten) + overig, volledig=volledig
    )


def _prefixen(root: etree._Element, data: bytes) -> dict[str, str]:
    prefixen = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
    for gevonden in _NAMESPACE_DECLARATIE.finditer(data):
        prefix = gevonden.group(1).decode("utf-8")
        prefixen.setdefault(prefix, gevonden.group(3).decode("utf-8"))
    return prefixen


def _element_op_pad(document: etree._ElementTree, pad: str | None, prefixen: dict[str, str]) -> etree._Element | None:
    """Het element bij het pad uit een melding van libxml2 (zoals ``/wmo407:Bericht/wmo407:Client[3]/wmo407:Bsn``)."""
    if not pad:
        return None
    try:
        gevonden = document.xpath(pad, namespaces=prefixen)
    except etree.XPathError:
        return None
    if isinstance(gevonden, list) and len(gevonden) == 1 and isinstance(gevonden[0], etree._Element):
        return gevonden[0]
    return None


def _koppel_aan_elementen(
    meldingen: list[_Melding], lege_elementen: Iterable[etree._Element]
) -> tuple[list[_Fout], int]:
    """Zet de XSD-meldingen om in fouten, één per element; de eerste melding bepaalt de uitleg.

    Hoogstens ``MAX_BEVINDINGEN`` fouten worden uitgewerkt; de meldingen daarna worden alleen geteld.
    """
    fouten: list[_Fout] = []
    overig = 0
    per_element: dict[etree._Element, _Fout] = {}
    for melding, regelnummer, element in meldingen:
        if element is not None and element in per_element:
            per_element[element].parsermeldingen.append(melding)
            continue
        if len(fouten) >= MAX_BEVINDINGEN:
            overig += 1
            continue
        naam, _ = vertaal(melding, None)
        fout = _Fout(naam, regelnummer, partial(_vertaling, melding), [melding], element=element)
        fouten.append(fout)
        if element is not None:
            per_element[element] = fout
    for element in lege_elementen:
        if element in per_element or any(voorouder in per_element for voorouder in element.iterancestors()):
            continue
        if len(fouten) >= MAX_BEVINDINGEN:
            overig += 1
            continue
        naam = lokale_naam(element.tag)
        fout = _Fout(naam, element.sourceline, partial(leeg_element, naam), [], element=element)
        fouten.append(fout)
        per_element[element] = fout
    fouten.sort(key=lambda f: f.regelnummer or 0)
    return fouten, overig


def _vertaling(melding: str, regelnummer: int | None) -> str:
    return vertaal(melding, regelnummer)[1]


def _bepaal_volgnummers(root: etree._Element, fouten: list[_Fout]) -> None:
    gezocht = {fout.element: fout for fout in fouten if fout.element is not None}
    if not gezocht:
        return
    gevonden = 0
    for volgnummer, element in enumerate(root.iter()):
        fout = gezocht.get(element)
        if fout is not None:
            fout.volgnummer = volgnummer
            gevonden += 1
            if gevonden == len(gezocht):
                return


class _Omzetfouten(Exception):
    def __init__(self, fouten: list[_Omzetfout]):
        super().__init__(f"{len(fouten)} waarden konden niet worden omgezet")
        self.fouten = fouten


def _omzetfout_als_fout(fout: _Omzetfout) -> _Fout:
    naam = lokale_naam(fout.tag)
    return _Fout(
        naam,
        fout.regelnummer,
        lambda regelnummer: onverwerkbare_datum(naam, regelnummer, fout.waarde),
        [],
        volgnummer=fout.volgnummer,
    )


def _als_datum(tekst: str | None) -> date | None:
    """Een XSD-datum (jjjj-mm-dd) als ``date``; ``None`` als Python die niet kan bevatten (zoals jaar 12022)."""
    tekst = (tekst or "").strip()
    if _ISO_DATUM.fullmatch(tekst):
        try:
            return date.fromisoformat(tekst)
        except ValueError:
            pass
    return None


class _Omzetter:
    """Zet een gevalideerd WMO407-document om; houdt het volgnummer van elk element bij."""

    def __init__(self) -> None:
        self.fouten: list[_Omzetfout] = []
        self._datums: dict[str | None, date] = {}

    def datum(self, element: etree._Element, volgnummer: int) -> date:
        tekst = element.text
        datum = self._datums.get(tekst)
        if datum is None:
            datum = _als_datum(tekst)
            if datum is None:
                self.fouten.append(_Omzetfout(element.tag, volgnummer, element.sourceline, (tekst or "").strip()))
                return date.min
            self._datums[tekst] = datum
        return datum

    def header(self, element: etree._Element) -> Header:
        volgnummers = {kind: nummer for nummer, kind in enumerate(element.iter(), start=1)}
        identificatie = element.find(_BERICHT_IDENTIFICATIE)
        xsd_versie = element.find(_XSD_VERSIE)
        dagtekening = identificatie.find(_DAGTEKENING)
        return Header(
            afzender=element.findtext(_AFZENDER),
            identificatie=identificatie.findtext(_IDENTIFICATIE),
            dagtekening=self.datum(dagtekening, volgnummers[dagtekening]),
            basisschema_xsd_versie=xsd_versie.findtext(_BASISSCHEMA_XSD_VERSIE),
            bericht_xsd_versie=xsd_versie.findtext(_BERICHT_XSD_VERSIE),
            regelnummer=element.sourceline,
        )

    def client(self, element: etree._Element, volgnummer: int) -> tuple[Client, int]:
        """Zet een Client om; geeft de client en het volgnummer van het eerstvolgende element."""
        bsn = element[0]
        volgende = volgnummer + 2
        perioden = []
        for periode_element in bsn.itersiblings(_BESCHERMD_WONEN):
            periode_volgnummer = volgende
            waarden: dict[str, tuple[etree._Element, int]] = {}
            for kind_volgnummer, kind in enumerate(periode_element, start=periode_volgnummer + 1):
                waarden[kind.tag] = (kind, kind_volgnummer)
            volgende = periode_volgnummer + 1 + len(waarden)
            einddatum = waarden.get(_BW_EINDDATUM)
            perioden.append(
                Periode(
                    bw_startnummer=int(waarden[_BW_STARTNUMMER][0].text.strip()),
                    bw_startdatum=self.datum(*waarden[_BW_STARTDATUM]),
                    bw_einddatum=self.datum(*einddatum) if einddatum else None,
                    status_aanlevering=int(waarden[_STATUS_AANLEVERING][0].text),
                    regelnummer=periode_element.sourceline,
                )
            )
        return Client(bsn=bsn.text, perioden=tuple(perioden), regelnummer=element.sourceline), volgende


class _Terugval(Exception):
    """De snelle omzetting vond iets onverwachts; de omzetting per element neemt het over."""


def _naar_bericht(root: etree._Element) -> Wmo407Bericht:
    """Zet een XSD-geldig document om; geeft ``_Omzetfouten`` bij waarden die Python niet kan bevatten."""
    with zonder_cyclische_gc():
        try:
            return _snel_naar_bericht(root)
        except _Terugval:
            return _naar_bericht_per_element(root)


_NAMESPACES = {"wmo407": NS_WMO407}


# Eén stap (descendant): libxml2 loopt de boom één keer door. Een pad van meer stappen, zoals
# ``wmo407:Client//text()``, voegt de resultaten per Client samen en wordt bij tienduizenden kwadratisch.
# Alleen teksten die niet alleen witruimte zijn: geen waarde in een XSD-geldige Client is leeg of alleen
# witruimte, dus wat wegvalt is witruimte tussen de elementen.
_TEKSTEN = etree.XPath("descendant::text()[normalize-space()]", smart_strings=False)


def _teksten(root: etree._Element) -> list[str]:
    """Alle teksten binnen de Clients, in de volgorde van het document (die van de Header overgeslagen)."""
    teksten: list[str] = _TEKSTEN(root)
    return teksten[len(_TEKSTEN(root[0])) :]


def _snel_naar_bericht(root: etree._Element) -> Wmo407Bericht:
    """De omzetting van het gewone geval: alle waarden met één XPath, per Client en periode alleen het
    aantal kinderen en het regelnummer.

    Het document is XSD-geldig: elke Client is een Bsn met één of meer BeschermdWonen, elke periode
    heeft de elementen BwStartNummer, BwStartdatum, [BwEinddatum,] StatusAanlevering in die volgorde
    (4 met BwEinddatum, anders 3), en geen van die waarden is leeg of alleen witruimte. Heeft elk
    element precies één tekst (witruimte tussen de elementen telt niet), dan komen de teksten in vaste
    volgorde; een tekst te veel (een waarde die in delen staat, zoals ``12<!-- -->34``) maakt het totaal
    groter en valt op. Bij iets onverwachts, en bij een datum die Python niet kan bevatten (voor de melding met regel en
    kolom), neemt ``_naar_bericht_per_element`` het over. Daarvoor blijft de boom hier heel; hij wordt
    vrijgegeven zodra de schemacontrole klaar is.
    """
    omzetter = _Omzetter()
    header = omzetter.header(root[0])
    if omzetter.fouten:
        raise _Terugval
    teksten = _teksten(root)
    datums: dict[str, date] = {}

    def datum(tekst: str) -> date:
        gevonden = datums.get(tekst)
        if gevonden is None:
            gevonden = _als_datum(tekst)
            if gevonden is None:
                raise _Terugval
            datums[tekst] = gevonden
        return gevonden

    periode = nieuwe_periode
    periode_elementen = root.iter(_BESCHERMD_WONEN)
    clients = []
    i = 0
    try:
        for client_element in root.iterchildren(_CLIENT):
            bsn = teksten[i]
            i += 1
            perioden = []
            for periode_element in islice(periode_elementen, len(client_element) - 1):
                aantal_velden = len(periode_element)
                if aantal_velden == 3:
                    nummer, startdatum, status = teksten[i : i + 3]
                    einddatum = None
                elif aantal_velden == 4:
                    nummer, startdatum, eind, status = teksten[i : i + 4]
                    einddatum = datum(eind)
                else:
                    raise _Terugval
                i += aantal_velden
                perioden.append(
                    periode(int(nummer), datum(startdatum), einddatum, int(status), periode_element.sourceline)
                )
            if not perioden or len(perioden) != len(client_element) - 1:
                raise _Terugval
            clients.append(nieuwe_client(bsn, tuple(perioden), client_element.sourceline))
    except (IndexError, ValueError):
        raise _Terugval from None
    if i != len(teksten) or next(periode_elementen, None) is not None:
        raise _Terugval
    return Wmo407Bericht(header=header, clients=tuple(clients))


def _naar_bericht_per_element(root: etree._Element) -> Wmo407Bericht:
    omzetter = _Omzetter()
    header_element = root[0]
    header = omzetter.header(header_element)
    volgnummer = 1 + sum(1 for _ in header_element.iter())
    clients = []
    element = header_element.getnext()
    while element is not None:
        client, volgnummer = omzetter.client(element, volgnummer)
        clients.append(client)
        volgende = element.getnext()
        root.remove(element)
        element = volgende
    if omzetter.fouten:
        raise _Omzetfouten(omzetter.fouten)
    return Wmo407Bericht(header=header, clients=tuple(clients))
