"""`portal seed demo` in a fresh ketentest: the demo, planned through the services, loaded once."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.cli import cli
from portal.extensions import db
from portal.models import BwClient, Gemeente, Migratie, User


@pytest.fixture
def app_config():
    return {"PORTAL_MODE": "ketentest", "CLOCK": None}


def _tel(app) -> dict[str, int]:
    with app.app_context():
        return {naam: db.session.scalar(select(func.count()).select_from(model))
                for naam, model in (("gemeenten", Gemeente), ("clients", BwClient), ("gebruikers", User))}


def test_seed_demo_loads_the_scenario_once_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    eerste = runner.invoke(cli, ["seed", "demo"])
    assert eerste.exit_code == 0, eerste.output
    assert "cak-beheerder@demo.example.nl" in eerste.output and "Demo-cakbeheer-2022" in eerste.output
    na_eerste = _tel(app)
    assert na_eerste["clients"] == 1452 and na_eerste["gebruikers"] == 6

    tweede = runner.invoke(cli, ["seed", "demo"])
    assert tweede.exit_code == 0, tweede.output
    assert "0 gemeenten, 0 BW-cliënten en 0 gebruikers toegevoegd" in tweede.output
    assert _tel(app) == na_eerste

    leeg_niet = runner.invoke(cli, ["seed", "demo", "--if-empty"])
    assert "niet opnieuw geladen" in leeg_niet.output


def test_the_fresh_ketentest_demo_starts_before_the_first_b4_with_every_timeslot_planned(app):
    result = app.test_cli_runner().invoke(cli, ["seed", "demo"])
    assert "de virtuele klok start op 19-09-2022 09:00" in result.output
    klok = app.test_cli_runner().invoke(cli, ["klok"])
    assert klok.output.startswith("19-09-2022 09:")
    with app.app_context():
        gepland = db.session.scalars(select(Migratie.timeslot).where(Migratie.toestand == "GEPLAND")).all()
        assert set(gepland) == set(app.config["TIMESLOTS"])
        rotterdam = db.session.scalar(select(Migratie).join(Gemeente).where(Gemeente.code == "0599"))
        assert rotterdam.toestand == "NIET_GEPLAND" and rotterdam.aangemeld_op is not None
