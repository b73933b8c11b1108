"""Moving the ketentest clock: set it forward or advance it (never back), then carry out every
scheduled step that fell due, in order. Only in ketentest mode (proces.md section 8)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal import kalender
from portal.extensions import db
from portal.kalender import format_moment
from portal.models import KlokStand
from portal.services import audit, demogedrag, planner
from portal.services.audit import Actor
from portal.services.klok import Clock, FixedClock, VirtualClock, als_utc, klok
from portal.services.toegang import GeenToegang


class KlokFout(ValueError):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


def lees_moment(tekst: str) -> datetime:
    """'JJJJ-MM-DD UU:MM' (or with a T) in Dutch local time."""
    try:
        return kalender.lees_moment(tekst)
    except ValueError as fout:
        raise KlokFout(str(fout)) from None


_DUUR = re.compile(r"^\s*(\d+)\s*([mhdw]?)\s*$")


def lees_duur(tekst: str) -> timedelta:
    """'90' or '90m' minutes, '2h' hours, '1d' days, '1w' weeks."""
    match = _DUUR.match(tekst.lower())
    if not match:
        raise KlokFout(f"'{tekst}' is geen duur; gebruik minuten (90), uren (2h), dagen (1d) of weken (1w).")
    aantal, eenheid = int(match.group(1)), match.group(2) or "m"
    return {"m": timedelta(minutes=aantal), "h": timedelta(hours=aantal),
            "d": timedelta(days=aantal), "w": timedelta(weeks=aantal)}[eenheid]


@dataclass(frozen=True)
class Verzetting:
    """A move of the ketentest clock and the scheduled actions it carried out."""

    van: datetime
    naar: datetime
    uitgevoerd: list[planner.Uitvoering]        # in the order they ran

    @property
    def gelukt(self) -> list[planner.Uitvoering]:
        return [u for u in self.uitgevoerd if u.gelukt]

    @property
    def mislukt(self) -> list[planner.Uitvoering]:
        return [u for u in self.uitgevoerd if not u.gelukt]


def _verstelbare_klok() -> Clock:
    if current_app.config.get("PORTAL_MODE") != "ketentest":
        raise KlokFout("De klok kan alleen in de ketentest worden verzet (PORTAL_MODE=ketentest). "
                       "Buiten de ketentest loopt het portaal op de echte tijd.")
    clock = klok()
    if not isinstance(clock, VirtualClock | FixedClock):
        raise KlokFout("Deze klok kan niet worden verzet.")
    return clock


def vereis_mag_verzetten(actor: Actor) -> None:
    """Only the CAK (or the command line, without a user) moves the clock; it moves for every gemeente."""
    if actor.user is not None and not actor.user.is_cak:
        raise GeenToegang("Alleen een medewerker van het CAK kan de klok van de ketentest verzetten; "
                          "de klok geldt voor alle gemeenten. Vraag het CAK de klok te verzetten.")


def zet(moment: datetime, actor: Actor) -> Verzetting:
    """Set the ketentest clock forward to `moment`, then carry out what fell due."""
    clock = _verstelbare_klok()
    vereis_mag_verzetten(actor)
    huidig = clock.now()
    doel = als_utc(moment)
    if doel < huidig:
        raise KlokFout(
            f"De klok kan niet terug: het is nu {format_moment(huidig)} en "
            f"{format_moment(doel)} ligt daarvoor. Kies een later tijdstip.")
    return _verzet_naar(clock, doel, actor)


def verzet(duur: timedelta, actor: Actor) -> Verzetting:
    """Advance the ketentest clock by `duur`, then carry out what fell due."""
    clock = _verstelbare_klok()
    vereis_mag_verzetten(actor)
    if duur <= timedelta(0):
        raise KlokFout("De klok kan alleen vooruit: geef een positieve duur op.")
    return _verzet_naar(clock, clock.now() + duur, actor)


def start_virtuele_klok(door: str) -> datetime | None:
    """Give a fresh ketentest its clock setting (the start moment); None when it already has one."""
    clock = klok()
    if not isinstance(clock, VirtualClock) or clock.stand() is not None:
        return None
    _stel_in(clock, clock.startmoment, door)
    return clock.startmoment


def _stel_in(clock: Clock, doel: datetime, door: str) -> None:
    if isinstance(clock, VirtualClock):
        # Locked until the commit, and never back: when another process moved the clock past `doel` meanwhile
        # (two testers, or two portal instances, at once), that later setting stays.
        stand = db.session.scalar(select(KlokStand).where(KlokStand.id == 1).with_for_update()
                                  .execution_options(populate_existing=True))
        if stand is None:
            stand = KlokStand(id=1)
            db.session.add(stand)
        elif clock.now() >= doel:
            return
        stand.moment = doel
        stand.gewijzigd_op = datetime.now(UTC)
        stand.gewijzigd_door = door
    elif isinstance(clock, FixedClock):
        clock.set(doel)


def _verzet_naar(clock: Clock, doel: datetime, actor: Actor) -> Verzetting:
    vorig = clock.now()
    uitgevoerd: list[planner.Uitvoering] = []
    # The clock stops at every moment a demo gemeente acts, so its upload gets the time it would have had.
    for tussenstop in [*demogedrag.momenten(vorig, doel), doel]:
        _stel_in(clock, tussenstop, actor.naam)
        db.session.commit()
        uitgevoerd.extend(planner.tick_en_wacht(tussenstop))
        demogedrag.handel()
    audit.registreer(actor, "klok_verzet", object_type="klok",
                     details={"van": vorig.isoformat(), "naar": doel.isoformat()})
    db.session.commit()
    return Verzetting(vorig, doel, uitgevoerd)
