"""Demo gemeenten act by themselves as the ketentest clock moves, each to its own situation; the CAK
still gives its own akkoord. Few clients, one timeslot (03-10-2022, B4 on 26-09 10:30)."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.kalender import lees_moment
from portal.services import demogedrag, ketentestklok, migratie
from portal.services.klok import als_utc
from portal.toestanden import Toestand
from tests.scenario import CAK, actor, leverende_gemeente, migratie_rij, plan, toestand, wmo407_berichten


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PORTAL_MODE": "ketentest"}


def _demo(gedrag: str):
    gemeente = leverende_gemeente("0363", "Amsterdam", clients=2)
    plan(gemeente)
    demogedrag.zet(gemeente, gedrag, True, "test")
    db.session.commit()
    return gemeente


def _klok(moment: str) -> None:
    ketentestklok.zet(als_utc(lees_moment(moment)), actor(CAK))


def _akkoord(gemeente) -> None:
    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente)


def test_a_gemeente_on_time_sends_its_terugkoppeling_on_tuesday_and_a_clean_wmo407_after_the_akkoord(app_ctx):
    amsterdam = _demo("op_tijd")
    _klok("2022-09-28 12:00")
    assert toestand(amsterdam) == Toestand.TERUGGEKOPPELD
    assert not migratie_rij(amsterdam).terugkoppeling_te_laat
    _klok("2022-10-03 12:00")
    assert wmo407_berichten(amsterdam) == []          # no akkoord yet: the demo gemeente waits for the CAK
    _akkoord(amsterdam)
    _klok("2022-10-03 13:00")
    assert toestand(amsterdam) == Toestand.AANGELEVERD
    assert [b.geaccepteerd for b in wmo407_berichten(amsterdam)] == [True]


def test_a_late_gemeente_sends_its_terugkoppeling_after_the_thursday_deadline(app_ctx):
    amsterdam = _demo("te_laat")
    _klok("2022-09-29 18:00")
    assert toestand(amsterdam) == Toestand.BV_GEPUBLICEERD
    _klok("2022-09-30 12:00")
    assert toestand(amsterdam) == Toestand.TERUGGEKOPPELD
    assert migratie_rij(amsterdam).terugkoppeling_te_laat
    _akkoord(amsterdam)
    _klok("2022-10-03 12:00")
    assert [b.geaccepteerd for b in wmo407_berichten(amsterdam)] == [True]


def test_a_gemeente_that_corrects_sends_rejected_records_and_the_corrected_message_a_week_later(app_ctx):
    amsterdam = _demo("herstelt")
    _klok("2022-09-28 12:00")
    _akkoord(amsterdam)
    _klok("2022-10-04 12:00")
    eerste = wmo407_berichten(amsterdam)
    assert [(b.geaccepteerd, b.codes) for b in eerste] == [(False, ["9395"])]
    _klok("2022-10-10 08:00")
    assert len(wmo407_berichten(amsterdam)) == 1
    _klok("2022-10-10 12:00")
    assert [b.geaccepteerd for b in wmo407_berichten(amsterdam)] == [False, True]


def test_a_gemeente_that_never_delivers_is_to_be_called_after_the_report(app_ctx):
    amsterdam = _demo("levert_niet")
    _klok("2022-09-28 12:00")
    assert toestand(amsterdam) == Toestand.TERUGGEKOPPELD
    _akkoord(amsterdam)
    _klok("2022-10-06 12:00")
    assert wmo407_berichten(amsterdam) == []
    assert toestand(amsterdam) == Toestand.NABELLEN


def test_a_switched_off_demo_gemeente_does_nothing(app_ctx):
    amsterdam = _demo("op_tijd")
    demogedrag.stel_in(actor(CAK), "0363", False)
    _klok("2022-09-28 12:00")
    assert toestand(amsterdam) == Toestand.BV_GEPUBLICEERD


def test_the_planner_lets_the_demo_gemeenten_act_as_time_passes_by_itself(app, app_ctx, clock):
    from portal import scheduler
    from tests.scenario import gemeente_met_code

    _demo("op_tijd")
    clock.set(als_utc(lees_moment("2022-09-28 12:00")))   # time passed; nobody moved the clock by hand
    scheduler.tick_in_app(app)
    assert toestand(gemeente_met_code("0363")) == Toestand.TERUGGEKOPPELD
