"""Het bouwen van de WMO408, het retourbericht op een WMO407 (ieb-2.0.md, sectie 4).

De Header (een handvol elementen, met vrije tekst als de Identificatie) wordt geschreven met de
gewone schrijver van ``xml_uitvoer``. De Clients, tot tienduizenden met steeds dezelfde vorm, worden
als tekst ingevuld in vaste sjablonen: dat is vele malen sneller dan element voor element schrijven
en geeft byte voor byte hetzelfde bericht (dezelfde inspringing, dezelfde escapes; een waarde met een
teken dat ontsnapt moet worden, gaat via lxml zelf).
"""

import io
import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from lxml import etree

from portal.ieb.beoordeling import Beoordeling
from portal.ieb.bericht import Wmo407Bericht
from portal.ieb.constants import (
    BERICHTCODE_WMO408,
    IDENTIFICATIE_MAX_TEKENS,
    NS_WMO408,
    PREFIX_BASISSCHEMA,
    PREFIX_WMO408,
    ROOT_ELEMENT,
)
from portal.ieb.retourcodes import GEEN_OPMERKING
from portal.ieb.xml_uitvoer import (
    schrijf_header_basis,
    schrijf_retourcodes,
    schrijf_xsd_versie,
    xml_document,
)
from portal.ieb.xsd import xsd_versie_retour

_XSD_WITRUIMTE = " \t\r\n"

# Zoveel Clients worden als tekst verzameld voordat ze naar bytes gaan (begrensd geheugen).
_CLIENTS_PER_BLOK = 2000

# Tekst zonder tekens die lxml zou ontsnappen (& < > en CR) of weigeren (geen XML-teken): die gaat ongewijzigd mee.
_GEWONE_TEKST = re.compile(r"[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")

_W = PREFIX_WMO408
_I = PREFIX_BASISSCHEMA
_SLOT = f"\n</{_W}:{ROOT_ELEMENT}>\n".encode()


def is_geldige_identificatie(identificatie: str) -> bool:
    """Of een waarde een geldige ``LDT_IdentificatieBericht`` is: 1 tot en met 12 tekens, niet alleen witruimte."""
    return (
        isinstance(identificatie, str)
        and 1 <= len(identificatie) <= IDENTIFICATIE_MAX_TEKENS
        and identificatie.strip(_XSD_WITRUIMTE) != ""
    )


def bouw_wmo408(
    bericht: Wmo407Bericht,
    beoordeling: Beoordeling,
    *,
    identificatie_retour: str,
    dagtekening_retour: date,
) -> bytes:
    """Bouw de WMO408 bij een beoordeeld bericht.

    De Header wordt overgenomen uit de WMO407, met IdentificatieRetour, DagtekeningRetour en de
    XsdVersieRetour van de eigen schema's. Header-RetourCodes staan er alleen als de Header zelf een
    code heeft. Bij niveau 2 bevat het bericht alleen de Header (met 0001); anders elke Client met
    haar perioden, elk met al haar elementen en haar RetourCodes.
    """
    if not is_geldige_identificatie(identificatie_retour):
        raise ValueError(
            f"IdentificatieRetour {identificatie_retour!r} is ongeldig: die moet 1 tot en met "
            f"{IDENTIFICATIE_MAX_TEKENS} tekens zijn en niet alleen witruimte."
        )
    delen = [_kop(bericht, beoordeling, identificatie_retour, dagtekening_retour)]
    if beoordeling.niveau != 2:
        delen.extend(_clients(bericht, beoordeling))
    delen.append(_SLOT)
    return b"".join(delen)


def _kop(
    bericht: Wmo407Bericht, beoordeling: Beoordeling, identificatie_retour: str, dagtekening_retour: date
) -> bytes:
    """De XML-declaratie, het begin van ``Bericht`` en de hele Header; zonder het slot van ``Bericht``."""
    header = bericht.header
    retour = xsd_versie_retour()
    uitvoer = io.BytesIO()
    with xml_document(uitvoer, NS_WMO408, PREFIX_WMO408) as schrijver, schrijver.element(schrijver.tag("Header")):
        schrijf_header_basis(
            schrijver,
            berichtcode=BERICHTCODE_WMO408,
            afzender=header.afzender,
            identificatie=header.identificatie,
            dagtekening=header.dagtekening,
            basisschema_xsd_versie=header.basisschema_xsd_versie,
            bericht_xsd_versie=header.bericht_xsd_versie,
        )
        schrijver.waarde(schrijver.tag("IdentificatieRetour"), identificatie_retour)
        schrijver.waarde(schrijver.tag("DagtekeningRetour"), dagtekening_retour.isoformat())
        schrijf_xsd_versie(schrijver, "XsdVersieRetour", retour.basisschema, retour.bericht)
        header_codes = beoordeling.header_retourcodes()
        if header_codes:
            schrijf_retourcodes(schrijver, header_codes)
    kop = uitvoer.getvalue()
    if not kop.endswith(_SLOT):  # pragma: no cover - xml_document sluit altijd zo af
        raise RuntimeError("Onverwacht einde van de WMO408-header.")
    return kop[: -len(_SLOT)]


def _tekst(waarde: str) -> str:
    """Een waarde als elementinhoud, precies zoals lxml die schrijft (en weigert wat lxml weigert)."""
    if waarde.isdigit() or _GEWONE_TEKST.fullmatch(waarde):
        return waarde
    return _tekst_via_lxml(waarde)


def _getal(waarde: int) -> str:
    """Een geheel getal als elementinhoud; een int heeft alleen cijfers en een minteken."""
    return str(waarde) if type(waarde) is int else _tekst(str(waarde))


def _tekst_via_lxml(waarde: str) -> str:
    uitvoer = io.BytesIO()
    with etree.xmlfile(uitvoer, encoding="UTF-8") as xf, xf.element("x"):
        xf.write(waarde)
    return uitvoer.getvalue().decode("utf-8")[len("<x>") : -len("</x>")]


@lru_cache(maxsize=256)
def _retourcodes(codes: tuple[str, ...], diepte: int) -> str:
    """Het element RetourCodes met zijn codes, ingesprongen op ``diepte``."""
    inspringing = "\n" + "  " * diepte
    regels = [f"{inspringing}<{_W}:RetourCodes>"]
    regels.extend(f"{inspringing}  <{_I}:RetourCode>{_tekst(code)}</{_I}:RetourCode>" for code in codes)
    regels.append(f"{inspringing}</{_W}:RetourCodes>")
    return "".join(regels)


def _clients(bericht: Wmo407Bericht, beoordeling: Beoordeling) -> Iterator[bytes]:
    """De Clients met hun perioden en codes, in blokken bytes."""
    periode_meldingen = beoordeling.periode_meldingen
    client_meldingen = beoordeling.client_meldingen
    geen_opmerking_periode = _retourcodes((GEEN_OPMERKING,), 3)
    geen_opmerking_client = _retourcodes((GEEN_OPMERKING,), 2)
    regels: list[str] = []
    for client_index, client in enumerate(bericht.clients):
        regels.append(f"\n  <{_W}:Client>\n    <{_W}:Bsn>{_tekst(client.bsn)}</{_W}:Bsn>")
        for periode_index, periode in enumerate(client.perioden):
            if periode.bw_einddatum is None:
                einddatum = ""
            else:
                einddatum = f"\n      <{_W}:BwEinddatum>{periode.bw_einddatum.isoformat()}</{_W}:BwEinddatum>"
            if (client_index, periode_index) in periode_meldingen:
                codes = _retourcodes(tuple(beoordeling.periode_retourcodes(client_index, periode_index)), 3)
            else:
                codes = geen_opmerking_periode
            regels.append(
                f"\n    <{_W}:BeschermdWonen>"
                f"\n      <{_W}:BwStartNummer>{_getal(periode.bw_startnummer)}</{_W}:BwStartNummer>"
                f"\n      <{_W}:BwStartdatum>{periode.bw_startdatum.isoformat()}</{_W}:BwStartdatum>"
                f"{einddatum}"
                f"\n      <{_W}:StatusAanlevering>{_getal(periode.status_aanlevering)}</{_W}:StatusAanlevering>"
                f"{codes}"
                f"\n    </{_W}:BeschermdWonen>"
            )
        if client_index in client_meldingen:
            codes = _retourcodes(tuple(beoordeling.client_retourcodes(client_index)), 2)
        else:
            codes = geen_opmerking_client
        regels.append(f"{codes}\n  </{_W}:Client>")
        if client_index % _CLIENTS_PER_BLOK == _CLIENTS_PER_BLOK - 1:
            yield "".join(regels).encode("utf-8")
            regels.clear()
    if regels:
        yield "".join(regels).encode("utf-8")
