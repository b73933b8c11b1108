"""Properties of the calendar for every Monday of 2022 to 2030: the steps come in order, each on its own
weekday at its own local time, and the instant stored in UTC is right on both sides of both yearly
time changes. The expected offsets come from the EU rule itself (summer time from the last Sunday of
March to the last Sunday of October), not from the time zone database the portal uses."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from hypothesis import example, given
from hypothesis import strategies as st

from portal.kalender import (
    NL,
    Stap,
    aanleverdeadline,
    bimaandelijkse_vergelijkingen,
    format_datum,
    format_invoer,
    format_moment,
    kalender,
    lees_moment,
    lokale_datum,
    rapportagemoment,
    to_local,
    to_utc,
    week_later,
    wekelijkse_rapportages,
)

EERSTE_MAANDAG = date(2022, 1, 3)
LAATSTE_MAANDAG = date(2030, 12, 30)
ALLE_MAANDAGEN = [EERSTE_MAANDAG + timedelta(weeks=n)
                  for n in range((LAATSTE_MAANDAG - EERSTE_MAANDAG).days // 7 + 1)]

# Per step: days from the timeslot's Monday, its weekday (0 = Monday) and its local time (proces.md section 2).
STAPPEN = {
    Stap.B4_PUBLICEREN: (-7, 0, time(10, 30)),
    Stap.TERUGKOPPELING_DEADLINE: (-4, 3, time(17, 0)),
    Stap.TERUGKOPPELING_TE_LAAT_CONTROLE: (-4, 3, time(17, 0)),
    Stap.AKKOORD_UITERLIJK: (-3, 4, time(17, 0)),
    Stap.AANLEVERING_DEADLINE: (1, 1, time(15, 0)),
    Stap.AANLEVERRAPPORTAGE: (2, 2, time(10, 0)),
    Stap.OORDEEL_AANLEVERING: (2, 2, time(10, 0)),
    Stap.WEKELIJKSE_RAPPORTAGE: (8, 1, time(10, 0)),
}

maandagen = st.sampled_from(ALLE_MAANDAGEN)
dagen = st.dates(date(2022, 1, 1), date(2030, 12, 31))


def _laatste_zondag(jaar: int, maand: int) -> date:
    dag = date(jaar, maand + 1, 1) - timedelta(days=1)
    return dag - timedelta(days=(dag.weekday() + 1) % 7)


def verwachte_offset(dag: date, tijd: time) -> timedelta:
    """UTC+2 in summer time, UTC+1 in winter time; the change happens at night, before any step."""
    assert time(4, 0) <= tijd, "only for times after the night of a change"
    zomer = _laatste_zondag(dag.year, 3) <= dag < _laatste_zondag(dag.year, 10)
    return timedelta(hours=2 if zomer else 1)


def test_the_mondays_of_2022_to_2030_are_all_there_and_cross_eighteen_time_changes():
    assert len(ALLE_MAANDAGEN) == 470
    assert all(d.weekday() == 0 for d in ALLE_MAANDAGEN)
    wissels = {(jaar, maand) for jaar in range(2022, 2031) for maand in (3, 10)}
    assert len(wissels) == 18


def test_every_monday_of_2022_to_2030_has_its_steps_in_order_on_their_weekday_and_local_time():
    for timeslot in ALLE_MAANDAGEN:
        stappen = kalender(timeslot)
        assert [s.stap for s in stappen] == list(STAPPEN)
        assert [s.moment for s in stappen] == sorted(s.moment for s in stappen)
        for stap in stappen:
            dagen_van_t, weekdag, tijd = STAPPEN[stap.stap]
            lokaal = to_local(stap.moment)
            assert lokaal.date() == timeslot + timedelta(days=dagen_van_t), (timeslot, stap.stap)
            assert lokaal.weekday() == weekdag, (timeslot, stap.stap)
            assert lokaal.time() == tijd, (timeslot, stap.stap)
            assert lokaal.utcoffset() == verwachte_offset(lokaal.date(), tijd), (timeslot, stap.stap)
            assert to_utc(stap.moment) == datetime.combine(lokaal.date(), tijd, tzinfo=UTC) - \
                verwachte_offset(lokaal.date(), tijd)


@given(maandagen)
@example(date(2022, 3, 28))     # the week after the spring change: its B4 is still in winter time
@example(date(2022, 10, 31))    # the week after the autumn change: its B4 is in summer time
def test_the_steps_of_a_timeslot_lie_strictly_between_its_b4_and_its_first_weekly_report(timeslot):
    stappen = {s.stap: to_utc(s.moment) for s in kalender(timeslot)}
    b4, wekelijks = stappen[Stap.B4_PUBLICEREN], stappen[Stap.WEKELIJKSE_RAPPORTAGE]
    assert all(b4 <= m <= wekelijks for m in stappen.values())
    # In UTC the week may be an hour longer or shorter across a change, never more.
    assert timedelta(days=15, hours=-1, minutes=-30) <= wekelijks - b4 <= timedelta(days=15, minutes=30)
    assert stappen[Stap.AANLEVERRAPPORTAGE] == to_utc(rapportagemoment(stappen[Stap.AANLEVERING_DEADLINE]))
    assert stappen[Stap.AANLEVERING_DEADLINE] == to_utc(aanleverdeadline(timeslot + timedelta(days=1)))


@given(maandagen, st.integers(min_value=0, max_value=60))
def test_weekly_reports_are_every_tuesday_at_ten_local_time(timeslot, weken):
    rapportages = wekelijkse_rapportages(timeslot, timeslot + timedelta(days=8, weeks=weken))
    assert len(rapportages) == weken + 1
    for vorige, volgende in pairwise(rapportages):
        assert week_later(vorige) == volgende
    for rapportage in rapportages:
        assert (rapportage.weekday(), rapportage.time()) == (1, time(10, 0))
        assert rapportage.utcoffset() == verwachte_offset(rapportage.date(), rapportage.time())


@given(dagen, st.times(min_value=time(4, 0)))
def test_a_week_later_keeps_the_local_wall_clock_time_across_a_time_change(dag, tijd):
    moment = datetime.combine(dag, tijd, tzinfo=NL)
    later = to_local(week_later(moment))
    assert (later.date(), later.time()) == (dag + timedelta(weeks=1), tijd)
    verschil = to_utc(later) - to_utc(moment)
    assert verschil == timedelta(weeks=1) + verwachte_offset(dag, tijd) - verwachte_offset(later.date(), tijd)


@given(dagen)
def test_a_delivery_deadline_is_at_three_and_its_report_the_next_morning_at_ten(dag):
    deadline = aanleverdeadline(dag)
    rapport = rapportagemoment(deadline)
    assert (deadline.date(), deadline.time()) == (dag, time(15, 0))
    assert (to_local(rapport).date(), to_local(rapport).time()) == (dag + timedelta(days=1), time(10, 0))
    assert timedelta(hours=18) <= to_utc(rapport) - to_utc(deadline) <= timedelta(hours=20)


@given(st.datetimes(datetime(2022, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)))
def test_an_instant_is_shown_and_dated_in_dutch_local_time(moment):
    lokaal = moment.astimezone(NL)
    assert format_moment(moment) == f"{lokaal:%d-%m-%Y %H:%M}"
    assert format_datum(moment) == f"{lokaal:%d-%m-%Y}" == format_datum(lokale_datum(moment))
    assert lees_moment(format_invoer(moment)).replace(tzinfo=None) == lokaal.replace(tzinfo=None, second=0,
                                                                                      microsecond=0)


@given(st.sampled_from([m for m in ALLE_MAANDAGEN if m.year <= 2028]))
def test_the_bimonthly_comparisons_are_first_mondays_two_months_apart_at_half_past_ten(laatste_timeslot):
    momenten = bimaandelijkse_vergelijkingen([laatste_timeslot], laatste_timeslot + timedelta(days=400))
    assert len(momenten) >= 5
    for moment in momenten:
        assert (moment.weekday(), moment.day <= 7, moment.time()) == (0, True, time(10, 30))
        assert moment.utcoffset() == verwachte_offset(moment.date(), moment.time())
    maanden = [m.year * 12 + m.month for m in momenten]
    assert all(b - a == 2 for a, b in pairwise(maanden))
    einde = laatste_timeslot + timedelta(weeks=1)
    assert maanden[0] == einde.year * 12 + einde.month + 2
