"""The one clock every service reads the time from.

Outside the ketentest it is the system clock. In ketentest mode the migration flow replaces it
with a virtual clock kept in the database. Tests install a fixed clock.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

from flask import current_app

NL = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that only moves when told to; used by tests."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=NL)
        self.moment = moment.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=NL)
        self.moment = moment.astimezone(timezone.utc)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


EXTENSION_KEY = "portal.clock"


def install(app, clock: Clock) -> None:
    app.extensions[EXTENSION_KEY] = clock


def klok() -> Clock:
    return current_app.extensions[EXTENSION_KEY]


def nu() -> datetime:
    """The current instant from the portal's clock (UTC, aware)."""
    return klok().now()


def lokaal(moment: datetime) -> datetime:
    return moment.astimezone(NL)
