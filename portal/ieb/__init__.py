"""De iEb 2.0-berichtkern: WMO407 lezen en beoordelen, WMO408 bouwen. Zuiver Python en lxml.

Volgorde bij een aanlevering (ieb-2.0.md, sectie 5)::

    transport = controleer_transport(data)            # niveau 0
    # de service controleert hier met de database: mag de uploader namens transport.afzender
    # aanleveren, en is het IEB-kanaal van die gemeente open (ook niveau 0)
    schema = controleer_schema(transport)             # niveau 1
    beoordeling = beoordeel(schema.bericht, vandaag=..., cbs_codes=..., register=...)  # niveau 2 en 3
    wmo408 = bouw_wmo408(schema.bericht, beoordeling, identificatie_retour=..., dagtekening_retour=...)
"""

from portal.ieb.beoordeling import Beoordeling, beoordeel
from portal.ieb.bericht import Client, Header, Periode, Wmo407Bericht
from portal.ieb.bestandscontrole import Bestandsuitkomst, controleer_bestanden, exit_code
from portal.ieb.bevindingen import Bevinding
from portal.ieb.melding import Melding
from portal.ieb.meldingsgroepen import Meldingsgroep, Plaats, groepeer
from portal.ieb.register import (
    Actie,
    GeregistreerdePeriode,
    InMemoryRegister,
    RegisterView,
    Wijziging,
    wijzigingen,
)
from portal.ieb.retourcodes import RETOURCODES
from portal.ieb.schemacontrole import Schemacontrole, controleer_schema, lees_wmo407
from portal.ieb.transport import Transport, controleer_transport
from portal.ieb.wmo407_schrijven import schrijf_wmo407, wmo407_bytes, wmo407_van_bericht
from portal.ieb.wmo408 import bouw_wmo408, is_geldige_identificatie
from portal.ieb.xsd import valideer_wmo408

__all__ = [
    "RETOURCODES",
    "Actie",
    "Beoordeling",
    "Bestandsuitkomst",
    "Bevinding",
    "Client",
    "GeregistreerdePeriode",
    "Header",
    "InMemoryRegister",
    "Melding",
    "Meldingsgroep",
    "Periode",
    "Plaats",
    "RegisterView",
    "Schemacontrole",
    "Transport",
    "Wijziging",
    "Wmo407Bericht",
    "beoordeel",
    "bouw_wmo408",
    "controleer_bestanden",
    "controleer_schema",
    "controleer_transport",
    "exit_code",
    "groepeer",
    "is_geldige_identificatie",
    "lees_wmo407",
    "schrijf_wmo407",
    "valideer_wmo408",
    "wijzigingen",
    "wmo407_bytes",
    "wmo407_van_bericht",
]
