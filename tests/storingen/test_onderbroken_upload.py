"""An upload whose worker is killed mid-processing (issue 11, point 10), and the database failing under an
upload (point 12): the stored upload is shown "in behandeling", never as refused, and the next tick of the
planner processes it once, with its proper outcome."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.cli import cli
from portal.extensions import db
from portal.models import BerichtPeriode, BwPeriode, OntvangstStatus, Wmo407Bericht
from portal.services import apitokens, delivery, herverwerking, storage
from portal.services.migratie.bestanden import berichtrijen
from tests import scenario

ROOT = Path(__file__).resolve().parents[2]


def _start_werker(database_url: str, *argumenten: str) -> tuple[subprocess.Popen[str], str]:
    """A real worker process that stops at the point the test names and says so; returns its line."""
    proces = subprocess.Popen([sys.executable, "-m", "tests.storingen.werker", database_url, *argumenten],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.PIPE, text=True)
    assert proces.stdout is not None
    regel = proces.stdout.readline().strip()
    return proces, regel


def _dood(proces: subprocess.Popen[str]) -> None:
    os.kill(proces.pid, signal.SIGKILL)
    proces.wait(timeout=30)
    assert proces.returncode == -signal.SIGKILL


def _tel(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_an_upload_whose_worker_is_killed_shows_in_behandeling_and_the_next_tick_processes_it_once(
        app, clock, session, migrated_database: str, tmp_path: Path):
    with app.app_context():
        gemeente = scenario.mag_aanleveren(clock)
        bericht = delivery.genereer_wmo407(scenario.actor(scenario.medewerker("Amsterdam")), gemeente.code)
        db.session.commit()
    pad = tmp_path / bericht.bestandsnaam
    pad.write_bytes(bericht.inhoud)

    werker, regel = _start_werker(migrated_database, clock.now().isoformat(), "upload",
                                  scenario.medewerker("Amsterdam"), "0363", str(pad))
    assert regel.startswith("opgeslagen "), regel
    _dood(werker)

    session.login(scenario.medewerker("Amsterdam"))
    lijst = scenario.tekst(session.client.get("/gemeenten/0363/berichten").get_data(as_text=True))
    assert "in behandeling" in lijst and "ongeldig" not in lijst and "afgekeurd" not in lijst.split("Berichten")[-1]
    with app.app_context():
        assert list(berichtrijen(scenario.gemeente_met_code("0363"))) == []  # not listed as afgekeurd in a report
        assert _tel(Wmo407Bericht) == 0 and _tel(BwPeriode) == 0
        # A worker that may still be busy keeps its upload for the grace period: nothing is taken yet.
        assert herverwerking.verwerk_achtergebleven() == []

    app.config["ONTVANGST_WACHTTIJD_SECONDEN"] = 0
    runner = app.test_cli_runner()
    eerste = runner.invoke(cli, ["tick"])
    assert "alsnog verwerkt: verwerkt" in eerste.output, eerste.output
    tweede = runner.invoke(cli, ["tick"])
    assert "alsnog verwerkt" not in tweede.output
    with app.app_context():
        [ontvangst] = scenario.ontvangsten(soort="WMO407")
        assert ontvangst.status == OntvangstStatus.VERWERKT
        [judged] = scenario.wmo407_berichten(scenario.gemeente_met_code("0363"))
        assert judged.geaccepteerd and _tel(BwPeriode) > 0
    lijst = scenario.tekst(session.client.get("/gemeenten/0363/berichten").get_data(as_text=True))
    assert "geaccepteerd" in lijst and "in behandeling" not in lijst


def test_uploads_left_behind_are_processed_in_order_of_arrival_each_by_one_planner(app, clock):
    with app.app_context():
        gemeente = scenario.mag_aanleveren(clock)
        wie = scenario.actor(scenario.medewerker("Amsterdam"))
        bericht = delivery.genereer_wmo407(wie, gemeente.code)
        ids = []
        for naam in ("eerste.xml", "tweede.xml"):  # the same bytes twice: the second repeats the first
            ontvangst = storage.bewaar_ontvangst(inhoud=bericht.inhoud, bestandsnaam=naam, soort="WMO407",
                                                 kanaal="web", actor=wie, gemeente=gemeente)
            ids.append(ontvangst.id)
            clock.advance(timedelta(minutes=1))
        gedaan = herverwerking.verwerk_achtergebleven(na=timedelta(0))
        assert [h.ontvangst_id for h in gedaan] == ids
        assert [h.status for h in gedaan] == ["verwerkt", "afgekeurd"]  # the first accepted, its repeat not
        assert herverwerking.verwerk_achtergebleven(na=timedelta(0)) == []


def test_a_database_failure_under_an_upload_answers_a_dutch_503_and_writes_nothing_half(
        app, clock, session, monkeypatch: pytest.MonkeyPatch):
    with app.app_context():
        gemeente = scenario.mag_aanleveren(clock)
        bericht = delivery.genereer_wmo407(scenario.actor(scenario.medewerker("Amsterdam")), gemeente.code)
        db.session.commit()
    session.login(scenario.medewerker("Amsterdam"))

    def verbinding_weg(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT INTO bestand", {}, Exception("server closed the connection unexpectedly"))

    # The connection drops after the message was applied and before its WMO408 was placed.
    monkeypatch.setattr(storage, "plaats_bestand", verbinding_weg)
    antwoord = scenario.upload(session.client, "wmo407", bericht.inhoud, bericht.bestandsnaam, htmx=False)
    assert antwoord.status_code == 503
    assert antwoord.headers["Retry-After"].isdigit()
    assert "tijdelijk niet bereikbaar" in scenario.tekst(antwoord.get_data(as_text=True))
    with app.app_context():
        assert _tel(Wmo407Bericht) == 0 and _tel(BerichtPeriode) == 0 and _tel(BwPeriode) == 0
        [ontvangst] = scenario.ontvangsten(soort="WMO407")  # stored first, so nothing is lost
        assert ontvangst.status == OntvangstStatus.ONTVANGEN


def _database_weg(app) -> None:
    """Point the running app at a port where no database listens (as when the server goes down)."""
    import sqlalchemy as sa

    from portal.extensions import db as extensie

    with app.app_context():
        extensie.session.remove()
        extensie._app_engines[app][None] = sa.create_engine(  # the app's one engine
            "postgresql+psycopg://postgres@127.0.0.1:1/portaal", connect_args={"connect_timeout": 2})


def test_an_unreachable_database_answers_a_dutch_503_page_and_json_under_the_api_with_retry_after(app, clock, session):
    with app.app_context():
        scenario.leverende_gemeente()
        medewerker = scenario.gebruiker(scenario.medewerker("Amsterdam"))
        geheim = apitokens.maak_token(scenario.actor(medewerker.email), medewerker).geheim
        db.session.commit()
    session.login(scenario.medewerker("Amsterdam"))
    _database_weg(app)

    pagina = session.client.get("/gemeenten/0363/berichten")
    assert pagina.status_code == 503 and pagina.mimetype == "text/html"
    assert int(pagina.headers["Retry-After"]) > 0
    assert "Het portaal is tijdelijk niet bereikbaar" in scenario.tekst(pagina.get_data(as_text=True))

    api = app.test_client().get("/api/v1/gemeenten", headers={"Authorization": f"Bearer {geheim}"})
    assert api.status_code == 503 and api.is_json
    assert int(api.headers["Retry-After"]) > 0
    assert "database" in api.get_json()["fout"]
