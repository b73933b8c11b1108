"""Het schrijven van iEb-berichten met ``lxml.etree.xmlfile``: element voor element, met inspringing.

Er wordt nooit een volledige boom opgebouwd, zodat ook een bericht van tienduizenden cliënten met
begrensd geheugen naar een bestand geschreven wordt.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, BinaryIO

from lxml import etree

from portal.ieb.bericht import Periode
from portal.ieb.constants import BERICHTSUBVERSIE, BERICHTVERSIE, NS_BASISSCHEMA, PREFIX_BASISSCHEMA

_INSPRINGING = "  "


def ieb(naam: str) -> str:
    """De tag van een element in de basisschema-namespace."""
    return f"{{{NS_BASISSCHEMA}}}{naam}"


class XmlSchrijver:
    """Schrijft elementen in een geopend ``xmlfile``-document; elk element op een eigen regel."""

    def __init__(self, xf: Any, namespace: str, diepte: int = 1) -> None:
        # ``xf`` is de schrijver die ``etree.xmlfile`` in een with-blok geeft; lxml heeft geen typen.
        self._xf = xf
        self._namespace = namespace
        self._diepte = diepte

    def tag(self, naam: str) -> str:
        """De tag van een element in de namespace van het bericht."""
        return f"{{{self._namespace}}}{naam}"

    def _nieuwe_regel(self) -> None:
        self._xf.write("\n" + _INSPRINGING * self._diepte)

    def waarde(self, tag: str, tekst: str) -> None:
        self._nieuwe_regel()
        with self._xf.element(tag):
            self._xf.write(tekst)

    @contextmanager
    def element(self, tag: str) -> Iterator[None]:
        self._nieuwe_regel()
        with self._xf.element(tag):
            self._diepte += 1
            yield
            self._diepte -= 1
            self._nieuwe_regel()


@contextmanager
def xml_document(doel: BinaryIO, namespace: str, prefix: str) -> Iterator[XmlSchrijver]:
    """Open een iEb-bericht met hoofdelement ``Bericht`` in ``namespace``; geeft een schrijver voor de inhoud."""
    doel.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with etree.xmlfile(doel, encoding="UTF-8") as xf:
        nsmap = {prefix: namespace, PREFIX_BASISSCHEMA: NS_BASISSCHEMA}
        with xf.element(f"{{{namespace}}}Bericht", nsmap=nsmap):
            schrijver = XmlSchrijver(xf, namespace)
            yield schrijver
            xf.write("\n")
    doel.write(b"\n")


def schrijf_header_basis(
    schrijver: XmlSchrijver,
    *,
    berichtcode: int,
    afzender: str,
    identificatie: str,
    dagtekening: date,
    basisschema_xsd_versie: str,
    bericht_xsd_versie: str,
) -> None:
    """De headervelden die WMO407 en WMO408 gemeen hebben, van BerichtCode tot en met XsdVersie."""
    schrijver.waarde(schrijver.tag("BerichtCode"), str(berichtcode))
    schrijver.waarde(schrijver.tag("BerichtVersie"), str(BERICHTVERSIE))
    schrijver.waarde(schrijver.tag("BerichtSubversie"), str(BERICHTSUBVERSIE))
    schrijver.waarde(schrijver.tag("Afzender"), afzender)
    with schrijver.element(schrijver.tag("BerichtIdentificatie")):
        schrijver.waarde(ieb("Identificatie"), identificatie)
        schrijver.waarde(ieb("Dagtekening"), dagtekening.isoformat())
    schrijf_xsd_versie(schrijver, "XsdVersie", basisschema_xsd_versie, bericht_xsd_versie)


def schrijf_xsd_versie(schrijver: XmlSchrijver, naam: str, basisschema: str, bericht: str) -> None:
    with schrijver.element(schrijver.tag(naam)):
        schrijver.waarde(ieb("BasisschemaXsdVersie"), basisschema)
        schrijver.waarde(ieb("BerichtXsdVersie"), bericht)


def schrijf_periode_velden(schrijver: XmlSchrijver, periode: Periode) -> None:
    """De elementen van één BeschermdWonen, in de volgorde van het schema."""
    schrijver.waarde(schrijver.tag("BwStartNummer"), str(periode.bw_startnummer))
    schrijver.waarde(schrijver.tag("BwStartdatum"), periode.bw_startdatum.isoformat())
    if periode.bw_einddatum is not None:
        schrijver.waarde(schrijver.tag("BwEinddatum"), periode.bw_einddatum.isoformat())
    schrijver.waarde(schrijver.tag("StatusAanlevering"), str(periode.status_aanlevering))


def schrijf_retourcodes(schrijver: XmlSchrijver, codes: Iterable[str]) -> None:
    with schrijver.element(schrijver.tag("RetourCodes")):
        for code in codes:
            schrijver.waarde(ieb("RetourCode"), code)
