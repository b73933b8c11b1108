"""The migration of a delivering gemeente (proces.md sections 2 to 5), one module per step:

- `dossier`: reading a migration (record, timeline, B4 rows, terugkoppeling, registrations);
- `planning`: signing up, planning and moving a timeslot;
- `b4`: publishing the bestandsvergelijking;
- `terugkoppeling`: the gemeente's feedback on it, and its lateness check;
- `aanlevering`: the akkoord to deliver, what a WMO407 does to the migration, the lateness check;
- `rapportage`: the Wednesday aanleverrapportage and its verdict;
- `oordeel`: the CAK's akkoord on the delivery or the call result, and closing the old channels;
- `periode`: after the migration week: weekly reports, missing WMO407s, the bimonthly comparison;
- `vergelijking`: the bimonthly file's rows and the gemeente's answer on it; `verschillen`: the CAK's
  follow-up of its differences;
- `aansluiting`, `bestanden`, `brieven`, `overgang`, `overzicht`: the reconciliation, the files, the
  letters, taking a step, and what the screens show.

Only this package changes a migration's state; routes, jobs and commands ask it to. Faces call the
names re-exported here (`migratie.plan_timeslot(...)`). The table of scheduled actions,
`PLANNER_ACTIES`, is registered with the planner when the application starts.
"""
from __future__ import annotations

from collections.abc import Mapping

from portal.services.migratie import b4, periode, rapportage
from portal.services.migratie.aanlevering import (
    controleer_aanlevering,
    controleer_akkoord,
    geef_akkoord_aanleveren,
    is_te_laat,
    mag_aanleveren,
    na_wmo407,
)
from portal.services.migratie.aansluiting import bereken_aansluiting
from portal.services.migratie.acties import Actiesoort
from portal.services.migratie.dossier import (
    MigratieFout,
    Registratie,
    RolFout,
    actuele_terugkoppeling,
    gebeurtenissen,
    laatste_b4,
    migratie_startdatum,
    migratie_van,
    open_belactie,
    open_timeslots,
    peildatum_oude_kanalen,
    registraties,
    timeslots,
    toestand_op,
    verwachte_codes,
)
from portal.services.migratie.mappagina import Gemeentepagina, gemeentepagina
from portal.services.migratie.oordeel import keur_aanlevering_goed, registreer_belresultaat, sluit_oude_kanalen
from portal.services.migratie.overgang import vereis_rol
from portal.services.migratie.overzicht import (
    GEEN_TIMESLOT,
    Stand,
    Status,
    actie_nodig,
    mogelijke_acties,
    overzicht,
    stand,
    status,
    volgende_deadline,
)
from portal.services.migratie.planning import meld_aan, plan_timeslot
from portal.services.migratie.terugkoppeling import (
    TerugkoppelingUitkomst,
    controleer_terugkoppeling,
    ontvang_terugkoppeling,
    ontvangstbewijs,
)
from portal.services.migratie.vergelijking import Stand as VergelijkingStand
from portal.services.migratie.verschillen import (
    Export,
    Gemeenteregel,
    Verschillenlijst,
    aantal_open_verschillen,
    exporteer_verschillen,
    handel_verschil_af,
    verschillenlijst,
    verschillenoverzicht,
)
from portal.services.planner import Uitvoerder

PLANNER_ACTIES: Mapping[str, Uitvoerder] = {
    Actiesoort.B4_PUBLICEREN: Uitvoerder(b4.publiceer_b4, "bestandsvergelijking (B4) plaatsen"),
    Actiesoort.TERUGKOPPELING_TE_LAAT: Uitvoerder(controleer_terugkoppeling, "controle: terugkoppeling op tijd"),
    Actiesoort.AKKOORD_TE_LAAT: Uitvoerder(controleer_akkoord, "controle: akkoord van het CAK op tijd"),
    Actiesoort.AANLEVERING_TE_LAAT: Uitvoerder(controleer_aanlevering, "controle: aanlevering op tijd"),
    Actiesoort.AANLEVERRAPPORTAGE: Uitvoerder(rapportage.maak_aanleverrapportage,
                                              "aanleverrapportage plaatsen en aansluiting bepalen"),
    Actiesoort.SLUIT_OUDE_KANALEN: Uitvoerder(sluit_oude_kanalen, "oude kanalen sluiten (H&V-app, Excel, 60-record)"),
    Actiesoort.WEKELIJKS: Uitvoerder(periode.wekelijkse_rapportage, "wekelijkse aanleverrapportage plaatsen"),
    Actiesoort.EINDE_PERIODE: Uitvoerder(periode.einde_migratieperiode,
                                         "einde migratieperiode: ontbrekende WMO407-berichten melden"),
    Actiesoort.BIMAANDELIJKS: Uitvoerder(periode.bimaandelijkse_vergelijking,
                                         "tweemaandelijkse bestandsvergelijking plaatsen"),
}
"""Every kind of scheduled action of a migration, with the function that carries it out."""

__all__ = [
    "GEEN_TIMESLOT",
    "PLANNER_ACTIES",
    "Actiesoort",
    "Gemeentepagina",
    "MigratieFout",
    "Registratie",
    "RolFout",
    "Stand",
    "Status",
    "TerugkoppelingUitkomst",
    "actie_nodig",
    "actuele_terugkoppeling",
    "bereken_aansluiting",
    "gebeurtenissen",
    "geef_akkoord_aanleveren",
    "gemeentepagina",
    "is_te_laat",
    "keur_aanlevering_goed",
    "laatste_b4",
    "mag_aanleveren",
    "meld_aan",
    "migratie_startdatum",
    "migratie_van",
    "mogelijke_acties",
    "na_wmo407",
    "ontvang_terugkoppeling",
    "ontvangstbewijs",
    "open_belactie",
    "open_timeslots",
    "overzicht",
    "peildatum_oude_kanalen",
    "plan_timeslot",
    "registraties",
    "registreer_belresultaat",
    "stand",
    "status",
    "timeslots",
    "toestand_op",
    "verwachte_codes",
    "volgende_deadline",
]
# Whether a role may take a step, asked before its input is read.
__all__ += ["vereis_rol"]
# The bimonthly comparison and the CAK's follow-up of its differences.
__all__ += [
    "Export", "Gemeenteregel", "VergelijkingStand", "Verschillenlijst", "aantal_open_verschillen",
    "exporteer_verschillen", "handel_verschil_af", "verschillenlijst", "verschillenoverzicht",
]
