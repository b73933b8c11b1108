"""What the ketentest clock page shows: the clock, the steps to come and the steps just carried out.

Moving the clock is `portal.services.ketentestklok.zet` / `verzet`, which also carry out what fell due and
say what they did; this module only shapes that for the screen.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal import kalender
from portal.extensions import db
from portal.models import GeplandeActie
from portal.services import ketentestklok, klok, planner
from portal.services.audit import Actor


@dataclass(frozen=True)
class Stap:
    id: int
    due_op: datetime
    omschrijving: str
    gemeente_code: str | None
    gemeente_naam: str | None
    status: str
    pogingen: int
    uitgevoerd_op: datetime | None
    fout: str | None
    resultaat: str | None = None


def _stap(actie: GeplandeActie) -> Stap:
    gemeente = actie.gemeente
    return Stap(actie.id, actie.due_op, planner.omschrijving(actie.soort),
                gemeente.code if gemeente else None, gemeente.naam if gemeente else None,
                actie.status, actie.pogingen, actie.uitgevoerd_op, actie.fout)


@dataclass(frozen=True)
class Klokpagina:
    moment: datetime
    komend: list[Stap]          # pending, earliest first
    aantal_komend: int
    recent: list[Stap]          # carried out (or given up), latest first
    volgende: Stap | None       # the first pending step after now

    @property
    def invoerwaarde(self) -> str:
        """The clock's local time as the field shows it and a user types it: JJJJ-MM-DD UU:MM."""
        return kalender.format_typbaar(self.moment)


def klokpagina(aantal: int = 20) -> Klokpagina:
    moment = klok.nu()
    komend = [_stap(a) for a in planner.openstaande(aantal)]
    volgende = next((s for s in komend if s.due_op > moment), None)
    if volgende is None and len(komend) == aantal:
        volgende = next((_stap(a) for a in planner.openstaande(10 * aantal) if a.due_op > moment), None)
    return Klokpagina(moment, komend, planner.aantal_openstaande(),
                      [_stap(a) for a in planner.recent_uitgevoerd(10)], volgende)


@dataclass(frozen=True)
class Verzetting:
    van: datetime
    naar: datetime
    uitgevoerd: list[Stap]      # carried out by this move
    mislukt: list[Stap]         # tried by this move and failed (retried later)


def _vertaal(verzetting: ketentestklok.Verzetting) -> Verzetting:
    def stap(uitvoering: planner.Uitvoering) -> Stap:
        actie = db.session.get_one(GeplandeActie, uitvoering.actie_id)
        basis = _stap(actie)
        return Stap(**{**basis.__dict__, "resultaat": uitvoering.resultaat})

    return Verzetting(verzetting.van, verzetting.naar, [stap(u) for u in verzetting.gelukt],
                      [stap(u) for u in verzetting.mislukt])


def zet(actor: Actor, moment: datetime) -> Verzetting:
    """Set the clock forward to `moment` (KlokFout when that lies in the past)."""
    return _vertaal(ketentestklok.zet(moment, actor))


def verzet(actor: Actor, duur: timedelta) -> Verzetting:
    """Advance the clock by `duur`."""
    return _vertaal(ketentestklok.verzet(duur, actor))


def naar_volgende_stap(actor: Actor) -> Verzetting:
    """Set the clock to the due time of the first pending step after now."""
    volgende = klokpagina().volgende
    if volgende is None:
        raise ketentestklok.KlokFout("Er staat geen stap meer gepland na het huidige tijdstip; "
                            "zet de klok zelf op een tijdstip of verzet haar met een uur, dag of week.")
    return zet(actor, volgende.due_op)
