"""The one clock every service reads the time from.

Outside the ketentest it is the system clock and cannot be moved. In ketentest mode it is a virtual
clock kept in the database, so every process sees the same time: it runs like a real clock from
the moment it was last set, and a CAK user or the command line can set or advance it, never back.
Tests install a fixed clock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

NL = ZoneInfo("Europe/Amsterdam")
EXTENSION_KEY = "portal.clock"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""


class SystemClock:
    verstelbaar = False

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that only moves when told to; used by tests."""

    verstelbaar = True

    def __init__(self, moment: datetime) -> None:
        self.moment = _utc(moment)

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = _utc(moment)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


class VirtualClock:
    """The ketentest clock: the virtual instant last set, plus the real time passed since then."""

    verstelbaar = True

    def __init__(self, startmoment: datetime) -> None:
        self.startmoment = _utc(startmoment)

    def _stand(self):
        from portal.extensions import db
        from portal.models import KlokStand

        return db.session.scalar(select(KlokStand).where(KlokStand.id == 1))

    def now(self) -> datetime:
        stand = self._stand()
        if stand is None:
            return self.startmoment
        verstreken = max(datetime.now(timezone.utc) - (stand.gewijzigd_op or stand.moment), timedelta(0))
        return stand.moment + verstreken

    def set(self, moment: datetime, door: str = "onbekend") -> None:
        from portal.extensions import db
        from portal.models import KlokStand

        stand = self._stand()
        if stand is None:
            stand = KlokStand(id=1)
            db.session.add(stand)
        stand.moment = _utc(moment)
        stand.gewijzigd_op = datetime.now(timezone.utc)
        stand.gewijzigd_door = door

    def advance(self, delta: timedelta, door: str = "onbekend") -> None:
        self.set(self.now() + delta, door)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=NL)
    return moment.astimezone(timezone.utc)


def install(app, clock: Clock) -> None:
    app.extensions[EXTENSION_KEY] = clock


def klok() -> Clock:
    return current_app.extensions[EXTENSION_KEY]


def nu() -> datetime:
    """The current instant from the portal's clock (UTC, aware)."""
    return klok().now()


def vandaag():
    """Today's date in Dutch local time, by the portal's clock."""
    return nu().astimezone(NL).date()


def lokaal(moment: datetime) -> datetime:
    return moment.astimezone(NL)


class KlokFout(ValueError):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


def _controleer_verstelbaar() -> Clock:
    if current_app.config.get("PORTAL_MODE") != "ketentest":
        raise KlokFout("De klok kan alleen in de ketentest worden verzet (PORTAL_MODE=ketentest). "
                       "Buiten de ketentest loopt het portaal op de echte tijd.")
    clock = klok()
    if not getattr(clock, "verstelbaar", False):
        raise KlokFout("Deze klok kan niet worden verzet.")
    return clock


def lees_moment(tekst: str) -> datetime:
    """'YYYY-MM-DD HH:MM' (or with a T) in Dutch local time."""
    try:
        moment = datetime.fromisoformat(tekst.strip().replace("T", " "))
    except ValueError:
        raise KlokFout(f"'{tekst}' is geen tijdstip; schrijf het als JJJJ-MM-DD UU:MM, "
                       "bijvoorbeeld 2022-09-26 10:30.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=NL)
    return moment


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
    uitgevoerd: list        # planner.Uitvoering, in the order they ran

    @property
    def gelukt(self) -> list:
        return [u for u in self.uitgevoerd if u.gelukt]

    @property
    def mislukt(self) -> list:
        return [u for u in self.uitgevoerd if not u.gelukt]


def zet(moment: datetime, actor) -> Verzetting:
    """Set the ketentest clock forward to `moment`, then carry out what fell due."""
    clock = _controleer_verstelbaar()
    huidig = clock.now()
    doel = _utc(moment)
    if doel < huidig:
        raise KlokFout(
            f"De klok kan niet terug: het is nu {huidig.astimezone(NL):%d-%m-%Y %H:%M} en "
            f"{doel.astimezone(NL):%d-%m-%Y %H:%M} ligt daarvoor. Kies een later tijdstip.")
    return _verzet_naar(clock, doel, actor)


def verzet(duur: timedelta, actor) -> Verzetting:
    """Advance the ketentest clock by `duur`, then carry out what fell due."""
    clock = _controleer_verstelbaar()
    if duur <= timedelta(0):
        raise KlokFout("De klok kan alleen vooruit: geef een positieve duur op.")
    return _verzet_naar(clock, clock.now() + duur, actor)


def _verzet_naar(clock, doel: datetime, actor) -> Verzetting:
    from portal.extensions import db
    from portal.services import audit, planner

    vorig = clock.now()
    if isinstance(clock, VirtualClock):
        clock.set(doel, actor.naam)
    else:
        clock.set(doel)
    audit.registreer(actor, "klok_verzet", object_type="klok",
                     details={"van": vorig.isoformat(), "naar": doel.isoformat()})
    db.session.commit()
    return Verzetting(vorig, doel, planner.tick())
