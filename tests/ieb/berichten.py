"""Bouwstenen voor de iEb-tests: WMO407-berichten maken, lezen en beoordelen, en een WMO408 uitlezen."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from portal.ieb import (
    Beoordeling,
    Client,
    InMemoryRegister,
    Periode,
    Wmo407Bericht,
    beoordeel,
    lees_wmo407,
    wmo407_bytes,
)
from portal.ieb.constants import NS_BASISSCHEMA, NS_WMO408
from tests.scenario import elfproef_bsn

VOORBEELDMAP = Path(__file__).parent / "voorbeelden"
VOORBEELD_WMO407 = VOORBEELDMAP / "wmo407_voorbeeld.xml"
VOORBEELD_WMO408_GEACCEPTEERD = VOORBEELDMAP / "wmo408_voorbeeld_geaccepteerd.xml"

VANDAAG = date(2022, 10, 4)
CBS_CODES = frozenset({"0363", "0344", "0599"})


def voorbeeld() -> bytes:
    return VOORBEELD_WMO407.read_bytes()


BSN_A = "123456782"
BSN_B = elfproef_bsn(111111110)
BSN_C = elfproef_bsn(222222220)


def periode(nummer: int, start: date, eind: date | None = None, status: int = 1) -> Periode:
    return Periode(bw_startnummer=nummer, bw_startdatum=start, bw_einddatum=eind, status_aanlevering=status)


def client(bsn: str, *perioden: Periode) -> Client:
    return Client(bsn=bsn, perioden=tuple(perioden))


def bericht_bytes(
    *clients: Client,
    afzender: str = "0363",
    identificatie: str = "TEST-0001",
    dagtekening: date = VANDAAG,
    basisschema_xsd_versie: str = "2.0.0",
    bericht_xsd_versie: str = "2.0.0",
) -> bytes:
    return wmo407_bytes(
        afzender=afzender,
        identificatie=identificatie,
        dagtekening=dagtekening,
        clients=clients,
        basisschema_xsd_versie=basisschema_xsd_versie,
        bericht_xsd_versie=bericht_xsd_versie,
    )


def lees(data: bytes) -> Wmo407Bericht:
    """Lees een bericht dat door niveau 0 en 1 moet komen."""
    controle = lees_wmo407(data)
    assert controle.ok, [str(b) for b in controle.bevindingen]
    return controle.bericht


def beoordeel_bytes(
    data: bytes,
    register: InMemoryRegister | None = None,
    *,
    vandaag: date = VANDAAG,
    cbs_codes=CBS_CODES,
) -> tuple[Wmo407Bericht, Beoordeling]:
    bericht = lees(data)
    beoordeling = beoordeel(
        bericht, vandaag=vandaag, cbs_codes=cbs_codes, register=register if register is not None else InMemoryRegister()
    )
    return bericht, beoordeling


@dataclass
class Wmo408Periode:
    velden: dict[str, str]
    retourcodes: list[str]


@dataclass
class Wmo408Client:
    bsn: str
    perioden: list[Wmo408Periode]
    retourcodes: list[str]


@dataclass
class Wmo408Inhoud:
    header: dict[str, str]
    header_retourcodes: list[str] | None
    clients: list[Wmo408Client] = field(default_factory=list)

    def alle_codes(self) -> set[str]:
        codes = set(self.header_retourcodes or [])
        for c in self.clients:
            codes.update(c.retourcodes)
            for p in c.perioden:
                codes.update(p.retourcodes)
        return codes


def _w(naam: str) -> str:
    return f"{{{NS_WMO408}}}{naam}"


def _i(naam: str) -> str:
    return f"{{{NS_BASISSCHEMA}}}{naam}"


def _codes(element) -> list[str]:
    return [code.text for code in element.iterchildren(_i("RetourCode"))]


def lees_wmo408(data: bytes) -> Wmo408Inhoud:
    root = etree.fromstring(data)
    header = root.find(_w("Header"))
    velden = {
        "BerichtCode": header.findtext(_w("BerichtCode")),
        "Afzender": header.findtext(_w("Afzender")),
        "Identificatie": header.findtext(f"{_w('BerichtIdentificatie')}/{_i('Identificatie')}"),
        "Dagtekening": header.findtext(f"{_w('BerichtIdentificatie')}/{_i('Dagtekening')}"),
        "BasisschemaXsdVersie": header.findtext(f"{_w('XsdVersie')}/{_i('BasisschemaXsdVersie')}"),
        "BerichtXsdVersie": header.findtext(f"{_w('XsdVersie')}/{_i('BerichtXsdVersie')}"),
        "IdentificatieRetour": header.findtext(_w("IdentificatieRetour")),
        "DagtekeningRetour": header.findtext(_w("DagtekeningRetour")),
        "RetourBasisschemaXsdVersie": header.findtext(f"{_w('XsdVersieRetour')}/{_i('BasisschemaXsdVersie')}"),
        "RetourBerichtXsdVersie": header.findtext(f"{_w('XsdVersieRetour')}/{_i('BerichtXsdVersie')}"),
    }
    header_codes = header.find(_w("RetourCodes"))
    inhoud = Wmo408Inhoud(velden, _codes(header_codes) if header_codes is not None else None)
    for client_element in root.iterchildren(_w("Client")):
        perioden = []
        for periode_element in client_element.iterchildren(_w("BeschermdWonen")):
            velden = {etree.QName(kind).localname: kind.text for kind in periode_element}
            codes = _codes(periode_element.find(_w("RetourCodes")))
            del velden["RetourCodes"]
            perioden.append(Wmo408Periode(velden, codes))
        inhoud.clients.append(
            Wmo408Client(
                client_element.findtext(_w("Bsn")),
                perioden,
                _codes(client_element.find(_w("RetourCodes"))),
            )
        )
    return inhoud
