"""`portal seed schaal`: the national scenario for the measurements, only outside productie."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from portal.bsn import voldoet_aan_elfproef
from portal.cli import cli
from portal.extensions import db
from portal.models import B4Regel, BwClient, Gemeente, Migratie, TerugkoppelingRegel, Wmo407Bericht
from portal.services import migratie, uitval


@pytest.fixture
def app_config():
    return {"PORTAL_MODE": "ketentest", "CLOCK": None}


def test_seed_schaal_loads_delivering_gemeenten_over_every_timeslot_with_valid_bsns(app):
    result = app.test_cli_runner().invoke(cli, ["seed", "schaal", "--gemeenten", "30", "--clients", "12"])
    assert result.exit_code == 0, result.output
    assert "Schaalscenario geladen: 30 gemeenten met samen 360 synthetische BW-cliënten" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Gemeente)) == 30
        bsns = db.session.scalars(select(BwClient.bsn)).all()
        assert len(bsns) == len(set(bsns)) == 360 and all(voldoet_aan_elfproef(b) for b in bsns)
        statussen = migratie.overzicht()
        assert len(statussen) == 30
        assert {s.migratie.timeslot for s in statussen} == set(app.config["TIMESLOTS"])
        toestanden = Counter(s.toestand.value for s in statussen)
        assert set(toestanden) == {"GEPLAND", "BV_GEPUBLICEERD", "TERUGGEKOPPELD", "AKKOORD_AANLEVEREN", "AANGELEVERD",
                                   "GERAPPORTEERD", "NABELLEN", "GEMIGREERD"}
        assert any(s.vlaggen for s in statussen)
        # Published B4s have their rows, terugkoppelingen their codes, deliveries their messages and uitval.
        assert db.session.scalar(select(func.count()).select_from(B4Regel)) > 0
        assert set(db.session.scalars(select(TerugkoppelingRegel.code))) > {"J"}
        assert db.session.scalar(select(func.count()).select_from(Wmo407Bericht)) > 0
        per_gemeente = uitval.aantallen()
        assert len(per_gemeente) == 3 and set(per_gemeente.values()) == {3}
        b4_aantallen = [s.aantallen["in_b4"] for s in statussen if s.toestand.value != "GEPLAND"]
        assert set(b4_aantallen) == {12}


def test_seed_schaal_twice_leaves_the_loaded_gemeenten_alone(app):
    runner = app.test_cli_runner()
    runner.invoke(cli, ["seed", "schaal", "--gemeenten", "3", "--clients", "2"])
    tweede = runner.invoke(cli, ["seed", "schaal", "--gemeenten", "4", "--clients", "2"])
    assert tweede.exit_code == 0, tweede.output
    assert "1 gemeenten met samen 2" in tweede.output and "3 gemeenten bestonden al" in tweede.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Migratie)) == 4


@pytest.mark.parametrize("app_config", [{"PORTAL_MODE": "productie", "CLOCK": None}])
def test_seed_schaal_refuses_in_productie(app):
    result = app.test_cli_runner().invoke(cli, ["seed", "schaal", "--gemeenten", "2"])
    assert result.exit_code == 1
    assert "Fout: Het schaalscenario laadt synthetische gemeenten" in result.output
    assert "alleen in de ketentest of in ontwikkeling" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Gemeente)) == 0
