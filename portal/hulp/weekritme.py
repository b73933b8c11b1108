"""The weekly rhythm of the migration as the help page tells it, read from the calendar (`portal.kalender`).

Nothing here knows a time of its own: every weekday and clock time comes from the calendar of a
timeslot, so the help page changes when the calendar does.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal import kalender
from portal.kalender import Kalenderstap, Stap

DAGNAMEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

WIE = {
    kalender.WIE_PLANNER: "het portaal",
    kalender.WIE_GEMEENTE: "de gemeente",
    kalender.WIE_CAK: "het CAK",
}

# How many bimonthly comparisons the help page lists by date.
BIMAANDELIJKS_GETOOND = 3


@dataclass(frozen=True)
class Ritmeregel:
    stap: Stap
    wanneer: str  # "maandag 10:30", or "elke dinsdag 10:00"
    week: str  # which week, counted from the gemeente's migration week
    wie: str
    wat: str


@dataclass(frozen=True)
class Periode:
    """The steps after the last migration week: the end of the period and the bimonthly comparisons."""

    einde: datetime
    vergelijkingen: tuple[datetime, ...]


def dag_en_tijd(moment: datetime) -> str:
    """'maandag 10:30': the Dutch weekday and local clock time of a moment."""
    lokaal = kalender.to_local(moment)
    return f"{DAGNAMEN[lokaal.weekday()]} {lokaal:%H:%M}"


def _week(timeslot: date, moment: datetime) -> str:
    weken = (kalender.lokale_datum(moment) - timeslot).days // 7
    if weken == 0:
        return "uw migratieweek"
    if weken == -1:
        return "de week vóór uw migratieweek"
    if weken == 1:
        return "de week na uw migratieweek"
    return f"{abs(weken)} weken {'vóór' if weken < 0 else 'na'} uw migratieweek"


def _regel(timeslot: date, stap: Kalenderstap) -> Ritmeregel:
    if stap.stap == Stap.WEKELIJKSE_RAPPORTAGE:
        # The calendar gives the first weekly report; the next ones follow at the same weekday and time.
        return Ritmeregel(stap.stap, f"elke {dag_en_tijd(stap.moment)}", f"vanaf {_week(timeslot, stap.moment)}",
                          WIE[stap.wie], "Wekelijkse aanleverrapportage geplaatst: de berichten van de afgelopen "
                          "week met hun retourcodes, en de productafname")
    return Ritmeregel(stap.stap, dag_en_tijd(stap.moment), _week(timeslot, stap.moment), WIE[stap.wie],
                      stap.omschrijving)


def weekritme(timeslot: date) -> list[Ritmeregel]:
    """The steps of a migration, told by weekday and time relative to the gemeente's migration week.

    Every timeslot has the same rhythm; `timeslot` is the Monday it is read from."""
    return [_regel(timeslot, stap) for stap in kalender.kalender(timeslot)]


def periode(timeslots: Sequence[date]) -> Periode | None:
    """The end of the migration period and the first bimonthly comparisons; None without timeslots."""
    if not timeslots:
        return None
    einde = kalender.einde_migratieperiode(timeslots)
    vergelijkingen = kalender.bimaandelijkse_vergelijkingen(timeslots, until=einde.date() + timedelta(days=365))
    return Periode(einde, tuple(vergelijkingen[:BIMAANDELIJKS_GETOOND]))
