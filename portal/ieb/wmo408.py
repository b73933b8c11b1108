"""Het bouwen van de WMO408, het retourbericht op een WMO407 (ieb-2.0.md, sectie 4)."""

import io
from datetime import date

from portal.ieb.bericht import Wmo407Bericht
from portal.ieb.beoordeling import Beoordeling
from portal.ieb.constants import BERICHTCODE_WMO408, IDENTIFICATIE_MAX_TEKENS, NS_WMO408, PREFIX_WMO408
from portal.ieb.xml_uitvoer import (
    schrijf_header_basis,
    schrijf_periode_velden,
    schrijf_retourcodes,
    schrijf_xsd_versie,
    xml_document,
)
from portal.ieb.xsd import xsd_versie_retour

_XSD_WITRUIMTE = " \t\r\n"


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
    header = bericht.header
    retour = xsd_versie_retour()
    uitvoer = io.BytesIO()
    with xml_document(uitvoer, NS_WMO408, PREFIX_WMO408) as schrijver:
        with schrijver.element(schrijver.tag("Header")):
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
        if beoordeling.niveau != 2:
            for client_index, client in enumerate(bericht.clients):
                with schrijver.element(schrijver.tag("Client")):
                    schrijver.waarde(schrijver.tag("Bsn"), client.bsn)
                    for periode_index, periode in enumerate(client.perioden):
                        with schrijver.element(schrijver.tag("BeschermdWonen")):
                            schrijf_periode_velden(schrijver, periode)
                            schrijf_retourcodes(schrijver, beoordeling.periode_retourcodes(client_index, periode_index))
                    schrijf_retourcodes(schrijver, beoordeling.client_retourcodes(client_index))
    return uitvoer.getvalue()
