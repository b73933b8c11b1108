"""The migration commands of the `portal` command line: `kalender`, `tick`, `migratie status`, and `klok`
outside the ketentest (the ketentest clock itself: tests/services/test_klok_cli.py)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from portal.cli import cli
from portal.extensions import db
from portal.kalender import format_moment, lees_moment
from portal.services import migratie, planner
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    actor,
    b4_bsns,
    bestanden,
    gemeente_in,
    gemeente_met_code,
    klok_naar,
    leverende_gemeente,
    plan,
    stuur_terugkoppeling,
    toestand,
)


def _portal(app, *args: str):
    return app.test_cli_runner().invoke(cli, list(args))


# ---------------------------------------------------------------- kalender

def test_kalender_prints_every_step_of_a_timeslot_in_dutch_local_time_across_the_change_to_winter_time(app):
    uitvoer = _portal(app, "kalender", "2022-10-31")

    assert uitvoer.exit_code == 0, uitvoer.output
    # 30-10-2022 03:00 the clocks go back: before it summer time (UTC+2), after it winter time (UTC+1);
    # every step keeps its wall-clock time.
    assert uitvoer.output.splitlines() == [
        "24-10-2022 10:30  Bestandsvergelijking (B4) geplaatst in de map van de gemeente",
        "27-10-2022 17:00  Uiterste moment voor de terugkoppeling op de bestandsvergelijking",
        "27-10-2022 17:00  Controle: nog geen geldige terugkoppeling, dan is de terugkoppeling te laat",
        "28-10-2022 17:00  Uiterlijk akkoord van het CAK om aan te leveren",
        "01-11-2022 15:00  Uiterste moment voor de aanlevering van de WMO407-berichten",
        "02-11-2022 10:00  Aanleverrapportage geplaatst en aansluiting bepaald",
        "02-11-2022 10:00  Vanaf nu: akkoord van het CAK op de aanlevering, of nabellen",
        "08-11-2022 10:00  Eerste wekelijkse aanleverrapportage geplaatst",
    ]


def test_kalender_refuses_a_day_that_is_not_a_monday_in_dutch(app):
    uitvoer = _portal(app, "kalender", "2022-11-01")

    assert uitvoer.exit_code == 1
    assert uitvoer.output.strip() == ("Fout: Een timeslot begint op een maandag; 01-11-2022 is geen maandag. "
                                      "Kies de maandag van de migratieweek.")


def test_kalender_refuses_text_that_is_not_a_date_in_dutch(app):
    uitvoer = _portal(app, "kalender", "31-10-2022")

    assert uitvoer.exit_code == 1
    assert uitvoer.output.strip() == "Fout: '31-10-2022' is geen datum; schrijf JJJJ-MM-DD."


# ---------------------------------------------------------------- tick

def test_tick_prints_what_it_carried_out_and_then_that_nothing_is_due(app, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.GEPLAND)
    clock.set(lees_moment("2022-09-29 17:00"))

    eerste = _portal(app, "tick")
    tweede = _portal(app, "tick")

    assert eerste.exit_code == 0, eerste.output
    assert eerste.output.splitlines() == [
        "26-09-2022 10:30  0363  bestandsvergelijking (B4) plaatsen: ok "
        "680363_B4_Bestandsvergelijking_20220926.xlsx (4 cliënten)",
        "29-09-2022 17:00  0363  controle: terugkoppeling op tijd: ok te laat",
    ]
    assert (tweede.exit_code, tweede.output) == (0, "Niets aan de beurt.\n")


def test_tick_reports_a_failed_action_and_exits_with_1(app, clock, monkeypatch):
    def kapot(actie):
        raise RuntimeError("Opslag niet bereikbaar")

    monkeypatch.setitem(app.extensions[planner.EXTENSION_KEY], migratie.Actiesoort.B4_PUBLICEREN,
                        planner.Uitvoerder(kapot, "bestandsvergelijking (B4) plaatsen"))
    with app.app_context():
        gemeente_in(clock, Toestand.GEPLAND)
    clock.set(lees_moment("2022-09-26 10:30"))

    uitvoer = _portal(app, "tick")

    assert uitvoer.exit_code == 1
    assert uitvoer.output.splitlines() == [
        "26-09-2022 10:30  0363  bestandsvergelijking (B4) plaatsen: MISLUKT RuntimeError: Opslag niet bereikbaar"]


# ---------------------------------------------------------------- klok outside the ketentest

@pytest.mark.parametrize("opdracht", [("zet", "2022-09-26 10:31"), ("verzet", "1d")])
def test_the_clock_cannot_be_moved_outside_the_ketentest(app, clock, opdracht):
    with app.app_context():
        gemeente_in(clock, Toestand.GEPLAND)

    uitvoer = _portal(app, "klok", *opdracht)

    assert uitvoer.exit_code == 1
    assert uitvoer.output.strip() == (
        "Fout: De klok kan alleen in de ketentest worden verzet (PORTAL_MODE=ketentest). "
        "Buiten de ketentest loopt het portaal op de echte tijd.")
    assert format_moment(clock.now()) == "19-09-2022 09:00"
    with app.app_context():
        gemeente = gemeente_met_code("0363")
        assert toestand(gemeente) == Toestand.GEPLAND
        assert bestanden(gemeente) == []
    assert _portal(app, "klok").output == "19-09-2022 09:00  (systeemklok)\n"


# ---------------------------------------------------------------- migratie status

SLEUTELS = ["code", "naam", "toestand", "timeslot", "vlaggen", "volgende_deadline", "aantallen"]


@pytest.fixture
def drie_gemeenten(app, clock):
    """Amsterdam (timeslot 03-10) with its B4 and no terugkoppeling at Thursday 17:00 (late); Utrecht
    planned for 07-11 (its B4 comes after the change to winter time); Rotterdam not planned; Diemen is a
    region member of Amsterdam and does not deliver itself."""
    with app.app_context():
        amsterdam = leverende_gemeente(clients=4, regio=(("0384", "Diemen", 1),))
        plan(amsterdam)
        plan(leverende_gemeente("0344", "Utrecht", clients=3), date(2022, 11, 7))
        leverende_gemeente("0599", "Rotterdam", clients=2)
        klok_naar(clock, "2022-09-29 17:05")
        db.session.commit()


def _json(uitvoer):
    assert uitvoer.exit_code == 0, uitvoer.output
    return json.loads(uitvoer.output)


def test_migratie_status_json_lists_every_delivering_gemeente_with_exactly_the_documented_keys(
        app, drie_gemeenten):
    statussen = _json(_portal(app, "migratie", "status", "--json"))

    assert [list(s) for s in statussen] == [SLEUTELS] * 3
    assert [{k: v for k, v in s.items() if k != "aantallen"} for s in statussen] == [
        {"code": "0363", "naam": "Amsterdam", "toestand": "BV_GEPUBLICEERD", "timeslot": "2022-10-03",
         "vlaggen": ["terugkoppeling_te_laat"], "volgende_deadline": "2022-09-29T17:00"},
        {"code": "0344", "naam": "Utrecht", "toestand": "GEPLAND", "timeslot": "2022-11-07",
         "vlaggen": [], "volgende_deadline": "2022-10-31T10:30"},
        {"code": "0599", "naam": "Rotterdam", "toestand": "NIET_GEPLAND", "timeslot": None,
         "vlaggen": [], "volgende_deadline": None},
    ]
    nul = {"in_b4": 0, "terugkoppeling_J": 0, "terugkoppeling_O": 0, "terugkoppeling_U": 0,
           "terugkoppeling_V": 0, "terugkoppeling_N": 0, "terugkoppeling_X": 0, "verwacht": 0, "ontvangen": 0,
           "berichten_geaccepteerd": 0, "berichten_afgekeurd": 0, "ok": 0, "ontbreekt": 0,
           "afwijkende_startdatum": 0, "onverwacht": 0, "afgekeurd": 0}
    assert [s["aantallen"] for s in statussen] == [{**nul, "in_b4": 5}, nul, nul]


def test_migratie_status_of_one_gemeente_as_json(app, drie_gemeenten, clock):
    with app.app_context():
        gemeente = gemeente_met_code("0363")
        clock.set(lees_moment("2022-09-29 18:00"))
        assert stuur_terugkoppeling(gemeente, {b4_bsns(gemeente)[0]: "N"}).geldig
        clock.set(lees_moment("2022-09-30 09:00"))
        migratie.geef_akkoord_aanleveren(actor(CAK), gemeente)

    [status] = _json(_portal(app, "migratie", "status", "0363", "--json"))

    assert list(status) == SLEUTELS
    assert {k: status[k] for k in ("code", "toestand", "timeslot", "vlaggen", "volgende_deadline")} == {
        "code": "0363", "toestand": "AKKOORD_AANLEVEREN", "timeslot": "2022-10-03",
        "vlaggen": ["terugkoppeling_te_laat"], "volgende_deadline": "2022-10-04T15:00"}
    assert {k: status["aantallen"][k] for k in ("in_b4", "terugkoppeling_J", "terugkoppeling_N", "verwacht",
                                                "ontvangen")} == {
        "in_b4": 5, "terugkoppeling_J": 4, "terugkoppeling_N": 1, "verwacht": 4, "ontvangen": 0}


def test_migratie_status_without_json_prints_one_line_per_gemeente(app, drie_gemeenten):
    uitvoer = _portal(app, "migratie", "status")

    assert uitvoer.exit_code == 0, uitvoer.output
    regels = uitvoer.output.splitlines()
    assert [r.split()[0] for r in regels] == ["0363", "0344", "0599"]
    assert "03-10-2022" in regels[0] and "BV_GEPUBLICEERD" in regels[0] and "[terugkoppeling_te_laat]" in regels[0]
    assert regels[0].endswith("volgende: 29-09-2022 17:00 terugkoppeling uiterlijk")
    assert regels[1].endswith("volgende: 31-10-2022 10:30 bestandsvergelijking wordt geplaatst")
    assert "geen timeslot" in regels[2] and regels[2].endswith("volgende: -")


def test_migratie_status_of_an_unknown_or_non_delivering_gemeente_is_a_dutch_error(app, drie_gemeenten):
    for code in ("9999", "0384"):
        uitvoer = _portal(app, "migratie", "status", code, "--json")

        assert uitvoer.exit_code == 1
        assert uitvoer.output.strip() == f"Fout: Er is geen aanleverende gemeente met code {code}."
