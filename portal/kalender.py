"""The calendar of the migration: every step of a timeslot and of the whole period, and the one place
for Dutch local time (Europe/Amsterdam) and the portal's date formats.

Pure functions only: nothing here reads the clock. Every moment is a Dutch local wall-clock time
(summer and winter time included) returned as an aware ``datetime``; use ``to_utc`` to store it.
The table behind this module is in ``shared/domain/proces.md`` section 2.

A timeslot is identified by its Monday (a ``date``); T is that Monday at 00:00 local time.
Dates are shown as ``dd-mm-jjjj`` and moments as ``dd-mm-jjjj hh:mm``, always in Dutch local time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

NL = ZoneInfo("Europe/Amsterdam")

# --- Defaults (proces.md section 1); the services may override them from configuration. ---
MIGRATIE_STARTDATUM = date(2022, 10, 1)
"""The BwStartdatum every migrated client gets in its WMO407, whatever the timeslot."""

TIMESLOTS: tuple[date, ...] = tuple(date(2022, 10, 3) + timedelta(weeks=week) for week in range(6))
"""The six migration weeks, each identified by its Monday: 03-10-2022 up to and including 07-11-2022."""

MIGRATIE_PEILDATUM_OUDE_KANALEN = date(2022, 10, 1)
"""After closing, the old channels still accept mutations dated before this day."""

# Who carries out a step.
WIE_PLANNER = "planner"
WIE_GEMEENTE = "gemeente"
WIE_CAK = "CAK"


class Stap(StrEnum):
    """A step of the calendar. The values are stable machine names (safe to store)."""

    B4_PUBLICEREN = "B4_PUBLICEREN"
    TERUGKOPPELING_DEADLINE = "TERUGKOPPELING_DEADLINE"
    TERUGKOPPELING_TE_LAAT_CONTROLE = "TERUGKOPPELING_TE_LAAT_CONTROLE"
    AKKOORD_UITERLIJK = "AKKOORD_UITERLIJK"
    AANLEVERING_DEADLINE = "AANLEVERING_DEADLINE"
    AANLEVERRAPPORTAGE = "AANLEVERRAPPORTAGE"
    OORDEEL_AANLEVERING = "OORDEEL_AANLEVERING"
    WEKELIJKSE_RAPPORTAGE = "WEKELIJKSE_RAPPORTAGE"
    # Steps of the whole migration period, not of one timeslot.
    EINDE_MIGRATIEPERIODE = "EINDE_MIGRATIEPERIODE"
    BIMAANDELIJKSE_VERGELIJKING = "BIMAANDELIJKSE_VERGELIJKING"


@dataclass(frozen=True)
class Kalenderstap:
    stap: Stap
    moment: datetime  # aware, Europe/Amsterdam
    wie: str
    omschrijving: str


@dataclass(frozen=True)
class _Regel:
    """One row of the timeslot table: days from T, local clock time, who, what."""

    stap: Stap
    dagen: int
    tijd: time
    wie: str
    omschrijving: str


AANLEVER_TIJD = time(15, 0)
"""The local time of every delivery deadline: the calendar's Tuesday, or a date the CAK sets."""
RAPPORTAGE_TIJD = time(10, 0)
"""The local time of the aanleverrapportage, the day after its delivery deadline."""
_WEKELIJKSE_TIJD = time(10, 0)

# The table of proces.md section 2, in time order (steps at the same moment in the order listed).
_TIMESLOT_REGELS: tuple[_Regel, ...] = (
    _Regel(Stap.B4_PUBLICEREN, -7, time(10, 30), WIE_PLANNER,
           "Bestandsvergelijking (B4) geplaatst in de map van de gemeente"),
    _Regel(Stap.TERUGKOPPELING_DEADLINE, -4, time(17, 0), WIE_GEMEENTE,
           "Uiterste moment voor de terugkoppeling op de bestandsvergelijking"),
    _Regel(Stap.TERUGKOPPELING_TE_LAAT_CONTROLE, -4, time(17, 0), WIE_PLANNER,
           "Controle: nog geen geldige terugkoppeling, dan is de terugkoppeling te laat"),
    _Regel(Stap.AKKOORD_UITERLIJK, -3, time(17, 0), WIE_CAK,
           "Uiterlijk akkoord van het CAK om aan te leveren"),
    _Regel(Stap.AANLEVERING_DEADLINE, 1, AANLEVER_TIJD, WIE_GEMEENTE,
           "Uiterste moment voor de aanlevering van de WMO407-berichten"),
    _Regel(Stap.AANLEVERRAPPORTAGE, 2, RAPPORTAGE_TIJD, WIE_PLANNER,
           "Aanleverrapportage geplaatst en aansluiting bepaald"),
    _Regel(Stap.OORDEEL_AANLEVERING, 2, RAPPORTAGE_TIJD, WIE_CAK,
           "Vanaf nu: akkoord van het CAK op de aanlevering, of nabellen"),
    _Regel(Stap.WEKELIJKSE_RAPPORTAGE, 8, _WEKELIJKSE_TIJD, WIE_PLANNER,
           "Eerste wekelijkse aanleverrapportage geplaatst"),
)

_PERIODE_TIJD = time(10, 30)


def local_moment(dag: date, tijd: time) -> datetime:
    """The aware Dutch local moment of a wall-clock time on a day."""
    return datetime.combine(dag, tijd, tzinfo=NL)


def to_utc(moment: datetime) -> datetime:
    """The same instant in UTC. A naive datetime is refused: its instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Tijdstip zonder tijdzone: geef een tijdstip met tijdzone op.")
    return moment.astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """The same instant in Dutch local time. A naive datetime is taken to be UTC (as stored)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(NL)


def check_timeslot(timeslot: date) -> date:
    """Return the timeslot when it is a Monday; otherwise a ValueError with a Dutch message."""
    if isinstance(timeslot, datetime) or not isinstance(timeslot, date):
        raise ValueError(
            f"Een timeslot is een datum (de maandag van de week), geen {type(timeslot).__name__}."
        )
    if timeslot.weekday() != 0:
        raise ValueError(
            f"Een timeslot begint op een maandag; {timeslot:%d-%m-%Y} is geen maandag. "
            "Kies de maandag van de migratieweek."
        )
    return timeslot


def kalender(timeslot: date) -> list[Kalenderstap]:
    """Every step of one timeslot, in time order."""
    check_timeslot(timeslot)
    return [
        Kalenderstap(
            stap=regel.stap,
            moment=local_moment(timeslot + timedelta(days=regel.dagen), regel.tijd),
            wie=regel.wie,
            omschrijving=regel.omschrijving,
        )
        for regel in _TIMESLOT_REGELS
    ]


@lru_cache(maxsize=1024)
def moment(timeslot: date, stap: Stap) -> datetime:
    """The moment of one step of a timeslot (only the steps that ``kalender`` returns). Kept per timeslot and
    step: the dashboard asks it for every gemeente."""
    check_timeslot(timeslot)
    for regel in _TIMESLOT_REGELS:
        if regel.stap == stap:
            return local_moment(timeslot + timedelta(days=regel.dagen), regel.tijd)
    raise ValueError(
        f"De stap {stap} hoort bij de hele migratieperiode, niet bij één timeslot."
    )


def wekelijkse_rapportages(timeslot: date, until: date) -> list[datetime]:
    """The weekly reports of a timeslot: every Tuesday 10:00 from the week after the timeslot,
    up to and including the day ``until``."""
    check_timeslot(timeslot)
    momenten = []
    dag = timeslot + timedelta(days=8)
    while dag <= until:
        momenten.append(local_moment(dag, _WEKELIJKSE_TIJD))
        dag += timedelta(weeks=1)
    return momenten


def _laatste_timeslot(timeslots: Iterable[date]) -> date:
    alle = [check_timeslot(timeslot) for timeslot in timeslots]
    if not alle:
        raise ValueError("Er zijn geen timeslots opgegeven; plan eerst minstens één timeslot.")
    return max(alle)


def einde_migratieperiode(timeslots: Iterable[date] = TIMESLOTS) -> datetime:
    """The Monday after the last timeslot week, 10:30."""
    return local_moment(_laatste_timeslot(timeslots) + timedelta(weeks=1), _PERIODE_TIJD)


def _eerste_maandag(jaar: int, maand: int) -> date:
    eerste = date(jaar, maand, 1)
    return eerste + timedelta(days=(7 - eerste.weekday()) % 7)


def bimaandelijkse_vergelijkingen(timeslots: Iterable[date], until: date) -> list[datetime]:
    """The bimonthly comparisons up to and including the day ``until``: the first Monday of the
    second month after the month in which the migration period ends, 10:30, then the first Monday
    of every second month after that (default 02-01-2023, 06-03-2023, 01-05-2023, ...)."""
    einde = einde_migratieperiode(timeslots).date()
    maandnummer = einde.year * 12 + (einde.month - 1) + 2
    momenten: list[datetime] = []
    while True:
        dag = _eerste_maandag(maandnummer // 12, maandnummer % 12 + 1)
        if dag > until:
            return momenten
        momenten.append(local_moment(dag, _PERIODE_TIJD))
        maandnummer += 2


def aanleverdeadline(dag: date) -> datetime:
    """The delivery deadline on a day: 15:00 local time, as the calendar's Tuesday."""
    return local_moment(dag, AANLEVER_TIJD)


def rapportagemoment(deadline: datetime) -> datetime:
    """The aanleverrapportage that judges a delivery deadline: the next day, 10:00 local time."""
    return local_moment(to_local(deadline).date() + timedelta(days=1), RAPPORTAGE_TIJD)


def week_later(moment_: datetime) -> datetime:
    """The same local wall-clock time seven days later (so 10:00 stays 10:00 across a time change)."""
    lokaal = to_local(moment_)
    return local_moment(lokaal.date() + timedelta(weeks=1), lokaal.time())


def lokale_datum(moment_: datetime) -> date:
    """The Dutch calendar day of an instant (what a file name or a report date shows)."""
    return to_local(moment_).date()


def lees_moment(tekst: str) -> datetime:
    """'JJJJ-MM-DD UU:MM' (or with a T between them) in Dutch local time; ValueError in Dutch otherwise."""
    try:
        gelezen = datetime.fromisoformat(tekst.strip().replace("T", " "))
    except ValueError:
        raise ValueError(f"'{tekst}' is geen tijdstip; schrijf het als JJJJ-MM-DD UU:MM, "
                         "bijvoorbeeld 2022-09-26 10:30.") from None
    if gelezen.tzinfo is None:
        gelezen = gelezen.replace(tzinfo=NL)
    return gelezen


def format_moment(moment_: datetime) -> str:
    """``dd-mm-jjjj hh:mm`` in Dutch local time."""
    return to_local(moment_).strftime("%d-%m-%Y %H:%M")


def format_datum(dag: date | datetime) -> str:
    """``dd-mm-jjjj``; an instant is shown as its Dutch calendar day."""
    if isinstance(dag, datetime):
        dag = to_local(dag).date()
    return dag.strftime("%d-%m-%Y")


def format_invoer(moment_: datetime) -> str:
    """``JJJJ-MM-DDTUU:MM`` in Dutch local time: a moment in JSON output."""
    return to_local(moment_).strftime("%Y-%m-%dT%H:%M")


def format_typbaar(moment_: datetime) -> str:
    """``JJJJ-MM-DD UU:MM`` in Dutch local time: a moment as a user types it (and `lees_moment` reads it)."""
    return to_local(moment_).strftime("%Y-%m-%d %H:%M")


def format_kalender(stappen: Iterable[Kalenderstap]) -> str:
    """One line per step for the command line: ``dd-mm-jjjj hh:mm  <omschrijving>``."""
    return "\n".join(f"{format_moment(stap.moment)}  {stap.omschrijving}" for stap in stappen)
