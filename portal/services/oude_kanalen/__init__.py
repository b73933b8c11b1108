"""The old registration channels (proces.md section 5; bestanden.md "Old start/stop sheet" and "60-record"),
one module per step:

- `intake`: what the three intakes share: storing first, who may submit, the checks against the CAK's
  registration, the closing rule per mutation (`kanalen.weigering_oud_kanaal`), applying all or nothing;
- `hv`: the H&V-app web form and its BSN lookup;
- `bestanden`: the Excel start/stop sheet and the 60-record file;
- `overzicht`: the page (channel states, accepted mutations, refused inputs) and the receipts.
"""
from __future__ import annotations

from portal.services.oude_kanalen.bestanden import ontvang_excel, ontvang_record60
from portal.services.oude_kanalen.hv import Registratie, Zoekresultaat, registreer_hv, zoek_registratie
from portal.services.oude_kanalen.intake import BRON, SOORT, Intakeuitkomst, mag_indienen
from portal.services.oude_kanalen.overzicht import (
    Kanaalinfo,
    OudeKanalenPagina,
    Weigering,
    kanaalstanden,
    ontvangstbewijs,
    pagina,
)

__all__ = [
    "BRON", "SOORT", "Intakeuitkomst", "Kanaalinfo", "OudeKanalenPagina", "Registratie", "Weigering",
    "Zoekresultaat", "kanaalstanden", "mag_indienen", "ontvang_excel", "ontvang_record60", "ontvangstbewijs",
    "pagina", "registreer_hv", "zoek_registratie",
]
