"""The kinds of scheduled action of a migration, and which calendar step each carries out.

The handler of each kind is in the table of `portal.services.migratie.PLANNER_ACTIES`, which the
application registers with the planner when it starts."""
from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from portal import kalender


class Actiesoort(StrEnum):
    B4_PUBLICEREN = "B4_PUBLICEREN"
    TERUGKOPPELING_TE_LAAT = "TERUGKOPPELING_TE_LAAT_CONTROLE"
    AKKOORD_TE_LAAT = "AKKOORD_TE_LAAT_CONTROLE"
    AANLEVERING_TE_LAAT = "AANLEVERING_TE_LAAT_CONTROLE"
    AANLEVERRAPPORTAGE = "AANLEVERRAPPORTAGE"
    SLUIT_OUDE_KANALEN = "SLUIT_OUDE_KANALEN"
    WEKELIJKS = "WEKELIJKSE_RAPPORTAGE"
    EINDE_PERIODE = "EINDE_MIGRATIEPERIODE"
    BIMAANDELIJKS = "BIMAANDELIJKSE_VERGELIJKING"


KALENDER_ACTIES: Mapping[kalender.Stap, Actiesoort] = {
    kalender.Stap.B4_PUBLICEREN: Actiesoort.B4_PUBLICEREN,
    kalender.Stap.TERUGKOPPELING_TE_LAAT_CONTROLE: Actiesoort.TERUGKOPPELING_TE_LAAT,
    kalender.Stap.AKKOORD_UITERLIJK: Actiesoort.AKKOORD_TE_LAAT,
    kalender.Stap.AANLEVERING_DEADLINE: Actiesoort.AANLEVERING_TE_LAAT,
    kalender.Stap.AANLEVERRAPPORTAGE: Actiesoort.AANLEVERRAPPORTAGE,
    kalender.Stap.WEKELIJKSE_RAPPORTAGE: Actiesoort.WEKELIJKS,
}
"""The steps of a timeslot's calendar that the planner carries out, by the kind of their action."""
