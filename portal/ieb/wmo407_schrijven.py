"""Het schrijven van een WMO407 uit gewone gegevens, voor tests, de ketentest en migratieberichten."""

import io
from collections.abc import Iterable
from datetime import date
from os import PathLike
from typing import BinaryIO

from portal.ieb.bericht import Client, Wmo407Bericht
from portal.ieb.constants import BASISSCHEMA_XSD, BERICHTCODE_WMO407, NS_WMO407, PREFIX_WMO407, WMO407_XSD
from portal.ieb.xml_uitvoer import schrijf_header_basis, schrijf_periode_velden, xml_document
from portal.ieb.xsd import schemaversie


def schrijf_wmo407(
    doel: BinaryIO | str | PathLike,
    *,
    afzender: str,
    identificatie: str,
    dagtekening: date,
    clients: Iterable[Client],
    basisschema_xsd_versie: str | None = None,
    bericht_xsd_versie: str | None = None,
) -> None:
    """Schrijf een WMO407 naar een pad of een binair bestand, cliënt voor cliënt.

    ``clients`` mag een generator zijn: het bericht wordt nooit in zijn geheel in het geheugen
    opgebouwd. Zonder opgegeven XsdVersie worden de versies van de eigen schema's gebruikt. De
    waarden worden geschreven zoals ze gegeven zijn; of het bericht geldig is, bepaalt de controle.
    """
    if isinstance(doel, (str, PathLike)):
        with open(doel, "wb") as bestand:
            _schrijf(bestand, afzender, identificatie, dagtekening, clients, basisschema_xsd_versie, bericht_xsd_versie)
    else:
        _schrijf(doel, afzender, identificatie, dagtekening, clients, basisschema_xsd_versie, bericht_xsd_versie)


def wmo407_bytes(
    *,
    afzender: str,
    identificatie: str,
    dagtekening: date,
    clients: Iterable[Client],
    basisschema_xsd_versie: str | None = None,
    bericht_xsd_versie: str | None = None,
) -> bytes:
    """Als ``schrijf_wmo407``, maar geeft het bericht als bytes."""
    uitvoer = io.BytesIO()
    _schrijf(uitvoer, afzender, identificatie, dagtekening, clients, basisschema_xsd_versie, bericht_xsd_versie)
    return uitvoer.getvalue()


def wmo407_van_bericht(bericht: Wmo407Bericht) -> bytes:
    """Schrijf een ``Wmo407Bericht`` terug als XML."""
    header = bericht.header
    return wmo407_bytes(
        afzender=header.afzender,
        identificatie=header.identificatie,
        dagtekening=header.dagtekening,
        clients=bericht.clients,
        basisschema_xsd_versie=header.basisschema_xsd_versie,
        bericht_xsd_versie=header.bericht_xsd_versie,
    )


def _schrijf(
    doel: BinaryIO,
    afzender: str,
    identificatie: str,
    dagtekening: date,
    clients: Iterable[Client],
    basisschema_xsd_versie: str | None,
    bericht_xsd_versie: str | None,
) -> None:
    with xml_document(doel, NS_WMO407, PREFIX_WMO407) as schrijver:
        with schrijver.element(schrijver.tag("Header")):
            schrijf_header_basis(
                schrijver,
                berichtcode=BERICHTCODE_WMO407,
                afzender=afzender,
                identificatie=identificatie,
                dagtekening=dagtekening,
                basisschema_xsd_versie=basisschema_xsd_versie or schemaversie(BASISSCHEMA_XSD),
                bericht_xsd_versie=bericht_xsd_versie or schemaversie(WMO407_XSD),
            )
        for client in clients:
            with schrijver.element(schrijver.tag("Client")):
                schrijver.waarde(schrijver.tag("Bsn"), client.bsn)
                for periode in client.perioden:
                    with schrijver.element(schrijver.tag("BeschermdWonen")):
                        schrijf_periode_velden(schrijver, periode)
