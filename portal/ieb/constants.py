"""Vaste waarden van iEb 2.0 en de projectbesluiten van het portaal.

Alles wat ieb-2.0.md als projectbesluit vastlegt, staat hier op één plek, zodat het door de
officiële waarde vervangen kan worden. De XSD-bestanden in ``schemas/`` leggen dezelfde vaste
waarden vast (``fixed="476"`` enzovoort); een test bewaakt dat beide gelijk blijven.
"""

import re
from pathlib import Path

NS_BASISSCHEMA = "http://www.istandaarden.nl/ieb/2_0/basisschema/schema"
NS_WMO407 = "http://www.istandaarden.nl/ieb/2_0/wmo407/schema"
NS_WMO408 = "http://www.istandaarden.nl/ieb/2_0/wmo408/schema"

PREFIX_BASISSCHEMA = "ieb"
PREFIX_WMO407 = "wmo407"
PREFIX_WMO408 = "wmo408"

ROOT_ELEMENT = "Bericht"

# Projectbesluit: de officiële berichtcodes konden niet worden geverifieerd.
BERICHTCODE_WMO407 = 476
BERICHTCODE_WMO408 = 477
BERICHTVERSIE = 2
BERICHTSUBVERSIE = 0

# Geaccepteerde XsdVersie-waarden (regel IM003): basisschema en berichtschema 2.0.x.
GEACCEPTEERDE_XSD_VERSIE = re.compile(r"2\.0\.(0|[1-9][0-9]*)")
GEACCEPTEERDE_XSD_VERSIE_TEKST = "2.0.x"

# Transportgrens per bestand, zoals de iStandaarden: 25 MB (hier gerekend als 25 × 1024 × 1024 bytes).
MAX_BESTANDSGROOTTE = 25 * 1024 * 1024

# LDT_IdentificatieBericht: 1 tot en met 12 tekens (ook in basisschema.xsd).
IDENTIFICATIE_MAX_TEKENS = 12

STATUS_EERSTE_AANLEVERING = 1
STATUS_GEWIJZIGDE_AANLEVERING = 2
STATUS_VERWIJDEREN_AANLEVERING = 3

# Regel TR395: een BwStartdatum mag niet meer dan zoveel kalendermaanden voor de dagtekening liggen.
TR395_MAANDEN = 36

# Zoveel schemafouten worden hoogstens afzonderlijk gemeld; de rest wordt samengevat.
MAX_BEVINDINGEN = 1000

SCHEMA_MAP = Path(__file__).parent / "schemas"
BASISSCHEMA_XSD = "basisschema.xsd"
WMO407_XSD = "wmo407.xsd"
WMO408_XSD = "wmo408.xsd"
