"""The one clock every service reads the time from; it gives the time and nothing else.

Outside the ketentest it is the system clock. In ketentest mode it is a virtual clock kept in the
database, so every process sees the same time: it runs like a real clock from the moment it was last
set (moving it is `portal.services.ketentestklok`). Tests install a fixed clock.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import select

from portal.extensions import db
from portal.kalender import NL, lokale_datum
from portal.models import KlokStand

EXTENSION_KEY = "portal.clock"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; used by tests."""

    def __init__(self, moment: datetime) -> None:
        self.moment = als_utc(moment)

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = als_utc(moment)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


class VirtualClock:
    """The ketentest clock: the virtual instant last set (its KlokStand row), plus the real time
    passed since then; before it was ever set, its start moment."""

    def __init__(self, startmoment: datetime) -> None:
        self.startmoment = als_utc(startmoment)

    def stand(self) -> KlokStand | None:
        return db.session.scalar(select(KlokStand).where(KlokStand.id == 1))

    def now(self) -> datetime:
        stand = self.stand()
        if stand is None:
            return self.startmoment
        verstreken = max(datetime.now(UTC) - (stand.gewijzigd_op or stand.moment), timedelta(0))
        return stand.moment + verstreken


def als_utc(moment: datetime) -> datetime:
    """An instant in UTC; a naive datetime is read as Dutch local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=NL)
    return moment.astimezone(UTC)


def install(app: Flask, clock: Clock) -> None:
    app.extensions[EXTENSION_KEY] = clock


def klok() -> Clock:
    clock: Clock = current_app.extensions[EXTENSION_KEY]
    return clock


def nu() -> datetime:
    """The current instant from the portal's clock (UTC, aware)."""
    return klok().now()


def vandaag() -> date:
    """Today's date in Dutch local time, by the portal's clock."""
    return lokale_datum(nu())
