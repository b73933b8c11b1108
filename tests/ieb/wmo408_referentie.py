"""De WMO408 zoals die element voor element met ``xml_uitvoer`` geschreven wordt: de maatstaf voor ``bouw_wmo408``.

``portal.ieb.wmo408`` vult de Clients in vaste tekstsjablonen in, omdat element voor element schrijven
bij tienduizenden cliënten te traag is. Deze schrijver is de oude, eenvoudige manier; de tests eisen dat
beide byte voor byte hetzelfde bericht geven.
"""

import io
from datetime import date

from portal.ieb import Beoordeling, Wmo407Bericht
from portal.ieb.constants import BERICHTCODE_WMO408, NS_WMO408, PREFIX_WMO408
from portal.ieb.xml_uitvoer import (
    schrijf_header_basis,
    schrijf_periode_velden,
    schrijf_retourcodes,
    schrijf_xsd_versie,
    xml_document,
)
from portal.ieb.xsd import xsd_versie_retour


def wmo408_per_element(
    bericht: Wmo407Bericht, beoordeling: Beoordeling, *, identificatie_retour: str, dagtekening_retour: date
) -> bytes:
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
