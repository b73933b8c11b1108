from datetime import UTC, date, datetime

import pytest

from portal.kalender import (
    MIGRATIE_PEILDATUM_OUDE_KANALEN,
    MIGRATIE_STARTDATUM,
    NL,
    TIMESLOTS,
    Stap,
    bimaandelijkse_vergelijkingen,
    einde_migratieperiode,
    format_kalender,
    format_moment,
    kalender,
    moment,
    to_local,
    to_utc,
    wekelijkse_rapportages,
)

S = Stap

# Every step of every default timeslot, in Dutch local time, written out by hand from proces.md.
EXPECTED = {
    date(2022, 10, 3): [
        (S.B4_PUBLICEREN, "26-09-2022 10:30"),
        (S.TERUGKOPPELING_DEADLINE, "29-09-2022 17:00"),
        (S.TERUGKOPPELING_TE_LAAT_CONTROLE, "29-09-2022 17:00"),
        (S.AKKOORD_UITERLIJK, "30-09-2022 17:00"),
        (S.AANLEVERING_DEADLINE, "04-10-2022 15:00"),
        (S.AANLEVERRAPPORTAGE, "05-10-2022 10:00"),
        (S.OORDEEL_AANLEVERING, "05-10-2022 10:00"),
        (S.WEKELIJKSE_RAPPORTAGE, "11-10-2022 10:00"),
    ],
    date(2022, 10, 10): [
        (S.B4_PUBLICEREN, "03-10-2022 10:30"),
        (S.TERUGKOPPELING_DEADLINE, "06-10-2022 17:00"),
        (S.TERUGKOPPELING_TE_LAAT_CONTROLE, "06-10-2022 17:00"),
        (S.AKKOORD_UITERLIJK, "07-10-2022 17:00"),
        (S.AANLEVERING_DEADLINE, "11-10-2022 15:00"),
        (S.AANLEVERRAPPORTAGE, "12-10-2022 10:00"),
        (S.OORDEEL_AANLEVERING, "12-10-2022 10:00"),
        (S.WEKELIJKSE_RAPPORTAGE, "18-10-2022 10:00"),
    ],
    date(2022, 10, 17): [
        (S.B4_PUBLICEREN, "10-10-2022 10:30"),
        (S.TERUGKOPPELING_DEADLINE, "13-10-2022 17:00"),
        (S.TERUGKOPPELING_TE_LAAT_CONTROLE, "13-10-2022 17:00"),
        (S.AKKOORD_UITERLIJK, "14-10-2022 17:00"),
        (S.AANLEVERING_DEADLINE, "18-10-2022 15:00"),
        (S.AANLEVERRAPPORTAGE, "19-10-2022 10:00"),
        (S.OORDEEL_AANLEVERING, "19-10-2022 10:00"),
        (S.WEKELIJKSE_RAPPORTAGE, "25-10-2022 10:00"),
    ],
    date(2022, 10, 24): [
        (S.B4_PUBLICEREN, "17-10-2022 10:30"),
        (S.TERUGKOPPELING_DEADLINE, "20-10-2022 17:00"),
        (S.TERUGKOPPELING_TE_LAAT_CONTROLE, "20-10-2022 17:00"),
        (S.AKKOORD_UITERLIJK, "21-10-2022 17:00"),
        (S.AANLEVERING_DEADLINE, "25-10-2022 15:00"),
        (S.AANLEVERRAPPORTAGE, "26-10-2022 10:00"),
        (S.OORDEEL_AANLEVERING, "26-10-2022 10:00"),
        (S.WEKELIJKSE_RAPPORTAGE, "01-11-2022 10:00"),
    ],
    date(2022, 10, 31): [
        (S.B4_PUBLICEREN, "24-10-2022 10:30"),
        (S.TERUGKOPPELING_DEADLINE, "27-10-2022 17:00"),
        (S.TERUGKOPPELING_TE_LAAT_CONTROLE, "27-10-2022 17:00"),
        (S.AKKOORD_UITERLIJK, "28-10-2022 17:00"),
        (S.AANLEVERING_DEADLINE, "01-11-2022 15:00"),
        (S.AANLEVERRAPPORTAGE, "02-11-2022 10:00"),
        (S.OORDEEL_AANLEVERING, "02-11-2022 10:00"),
        (S.WEKELIJKSE_RAPPORTAGE, "08-11-2022 10:00"),
    ],
    date(2022, 11, 7): [
        (S.B4_PUBLICEREN, "31-10-2022 10:30"),
        (S.TERUGKOPPELING_DEADLINE, "03-11-2022 17:00"),
        (S.TERUGKOPPELING_TE_LAAT_CONTROLE, "03-11-2022 17:00"),
        (S.AKKOORD_UITERLIJK, "04-11-2022 17:00"),
        (S.AANLEVERING_DEADLINE, "08-11-2022 15:00"),
        (S.AANLEVERRAPPORTAGE, "09-11-2022 10:00"),
        (S.OORDEEL_AANLEVERING, "09-11-2022 10:00"),
        (S.WEKELIJKSE_RAPPORTAGE, "15-11-2022 10:00"),
    ],
}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_the_defaults_are_the_six_mondays_and_the_migration_date():
    assert TIMESLOTS == tuple(EXPECTED)
    assert all(timeslot.weekday() == 0 for timeslot in TIMESLOTS)
    assert MIGRATIE_STARTDATUM == date(2022, 10, 1)
    assert MIGRATIE_PEILDATUM_OUDE_KANALEN == date(2022, 10, 1)


@pytest.mark.parametrize("timeslot", TIMESLOTS, ids=lambda d: d.isoformat())
def test_every_step_of_every_default_timeslot_falls_on_its_local_time(timeslot):
    stappen = kalender(timeslot)
    assert [(stap.stap, format_moment(stap.moment)) for stap in stappen] == EXPECTED[timeslot]
    assert all(stap.moment.tzinfo == NL for stap in stappen)
    assert [stap.moment for stap in stappen] == sorted(stap.moment for stap in stappen)


@pytest.mark.parametrize("timeslot", TIMESLOTS, ids=lambda d: d.isoformat())
def test_each_step_can_be_looked_up_by_its_name(timeslot):
    for stap, verwacht in EXPECTED[timeslot]:
        assert format_moment(moment(timeslot, stap)) == verwacht


def test_the_timeslot_across_the_time_change_keeps_local_wall_clock_times_in_utc():
    # Sunday 30-10-2022 the clocks go back: before it CEST (UTC+2), after it CET (UTC+1).
    timeslot = date(2022, 10, 31)
    in_utc = {stap.stap: to_utc(stap.moment) for stap in kalender(timeslot)}
    assert in_utc[S.B4_PUBLICEREN] == utc(2022, 10, 24, 8, 30)
    assert in_utc[S.TERUGKOPPELING_DEADLINE] == utc(2022, 10, 27, 15, 0)
    assert in_utc[S.AKKOORD_UITERLIJK] == utc(2022, 10, 28, 15, 0)
    assert in_utc[S.AANLEVERING_DEADLINE] == utc(2022, 11, 1, 14, 0)
    assert in_utc[S.AANLEVERRAPPORTAGE] == utc(2022, 11, 2, 9, 0)
    assert in_utc[S.WEKELIJKSE_RAPPORTAGE] == utc(2022, 11, 8, 9, 0)


def test_the_timeslot_before_the_time_change_has_its_first_weekly_report_in_winter_time():
    timeslot = date(2022, 10, 24)
    in_utc = {stap.stap: to_utc(stap.moment) for stap in kalender(timeslot)}
    assert in_utc[S.B4_PUBLICEREN] == utc(2022, 10, 17, 8, 30)
    assert in_utc[S.AANLEVERING_DEADLINE] == utc(2022, 10, 25, 13, 0)
    assert in_utc[S.AANLEVERRAPPORTAGE] == utc(2022, 10, 26, 8, 0)
    assert in_utc[S.WEKELIJKSE_RAPPORTAGE] == utc(2022, 11, 1, 9, 0)


def test_the_steps_name_who_acts():
    wie = {stap.stap: stap.wie for stap in kalender(date(2022, 10, 3))}
    assert wie[S.B4_PUBLICEREN] == "planner"
    assert wie[S.TERUGKOPPELING_DEADLINE] == "gemeente"
    assert wie[S.AKKOORD_UITERLIJK] == "CAK"
    assert wie[S.AANLEVERING_DEADLINE] == "gemeente"
    assert wie[S.OORDEEL_AANLEVERING] == "CAK"


@pytest.mark.parametrize("geen_maandag", [date(2022, 10, 4), date(2022, 10, 2), date(2022, 10, 1)])
def test_a_timeslot_that_is_not_a_monday_is_refused_in_dutch(geen_maandag):
    with pytest.raises(ValueError, match=f"{geen_maandag:%d-%m-%Y} is geen maandag"):
        kalender(geen_maandag)


def test_a_moment_instead_of_a_date_is_refused_as_timeslot():
    with pytest.raises(ValueError, match="geen datetime"):
        kalender(datetime(2022, 10, 3, 0, 0))


def test_a_period_wide_step_cannot_be_looked_up_for_one_timeslot():
    with pytest.raises(ValueError, match="hele migratieperiode"):
        moment(date(2022, 10, 3), S.EINDE_MIGRATIEPERIODE)


def test_the_migration_period_ends_the_monday_after_the_last_timeslot_week_at_half_past_ten():
    assert format_moment(einde_migratieperiode(TIMESLOTS)) == "14-11-2022 10:30"
    assert format_moment(einde_migratieperiode([date(2022, 10, 3)])) == "10-10-2022 10:30"


def test_no_timeslots_means_no_end_of_the_migration_period():
    with pytest.raises(ValueError, match="geen timeslots"):
        einde_migratieperiode([])


def test_the_bimonthly_comparisons_fall_on_the_first_monday_of_every_second_month():
    momenten = bimaandelijkse_vergelijkingen(TIMESLOTS, until=date(2023, 9, 30))
    assert [format_moment(m) for m in momenten] == [
        "02-01-2023 10:30",
        "06-03-2023 10:30",
        "01-05-2023 10:30",
        "03-07-2023 10:30",
        "04-09-2023 10:30",
    ]


def test_the_bimonthly_comparisons_include_the_given_day_and_nothing_after_it():
    assert len(bimaandelijkse_vergelijkingen(TIMESLOTS, until=date(2023, 3, 6))) == 2
    assert len(bimaandelijkse_vergelijkingen(TIMESLOTS, until=date(2023, 3, 5))) == 1
    assert bimaandelijkse_vergelijkingen(TIMESLOTS, until=date(2023, 1, 1)) == []


def test_a_migration_period_ending_in_december_has_its_first_comparison_in_february():
    momenten = bimaandelijkse_vergelijkingen([date(2022, 12, 19)], until=date(2023, 4, 30))
    assert [format_moment(m) for m in momenten] == ["06-02-2023 10:30", "03-04-2023 10:30"]


def test_the_weekly_reports_are_every_tuesday_from_the_week_after_the_timeslot():
    momenten = wekelijkse_rapportages(date(2022, 10, 3), until=date(2022, 11, 1))
    assert [format_moment(m) for m in momenten] == [
        "11-10-2022 10:00",
        "18-10-2022 10:00",
        "25-10-2022 10:00",
        "01-11-2022 10:00",
    ]
    assert to_utc(momenten[-1]) == utc(2022, 11, 1, 9, 0)
    assert momenten[0] == moment(date(2022, 10, 3), S.WEKELIJKSE_RAPPORTAGE)


def test_there_are_no_weekly_reports_before_the_first_one():
    assert wekelijkse_rapportages(date(2022, 10, 3), until=date(2022, 10, 10)) == []


def test_the_command_line_shows_each_step_as_date_time_two_spaces_description():
    lines = format_kalender(kalender(date(2022, 10, 31))).splitlines()
    assert len(lines) == 8
    assert lines[0] == "24-10-2022 10:30  Bestandsvergelijking (B4) geplaatst in de map van de gemeente"
    assert lines[4] == "01-11-2022 15:00  Uiterste moment voor de aanlevering van de WMO407-berichten"


def test_a_stored_utc_moment_is_shown_in_dutch_local_time():
    assert format_moment(utc(2022, 11, 1, 14, 0)) == "01-11-2022 15:00"
    assert format_moment(utc(2022, 10, 24, 8, 30)) == "24-10-2022 10:30"
    # a naive moment from the database is UTC
    assert to_local(datetime(2022, 10, 24, 8, 30)).hour == 10


def test_a_moment_without_time_zone_cannot_be_converted_to_utc():
    with pytest.raises(ValueError, match="zonder tijdzone"):
        to_utc(datetime(2022, 10, 24, 10, 30))


def test_step_names_are_stable_strings():
    assert S.B4_PUBLICEREN == "B4_PUBLICEREN"
    assert S("AANLEVERING_DEADLINE") is S.AANLEVERING_DEADLINE
