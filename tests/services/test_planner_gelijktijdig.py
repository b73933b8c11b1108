"""Two schedulers ticking at the same moment still carry out every action exactly once: threads with their
own app context, and (on PostgreSQL) separate processes with their own app."""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.kalender import lees_moment
from portal.models import ActieStatus, B4Regel, Bestand, Categorie, GeplandeActie
from portal.services import migratie, planner
from portal.toestanden import Toestand
from tests.scenario import gemeente_met_code, leverende_gemeente, mails, plan, tijdlijn, toestand

GEMEENTEN = (("0363", "Amsterdam"), ("0344", "Utrecht"), ("0599", "Rotterdam"))


def _drie_geplande_gemeenten(clock) -> None:
    for code, naam in GEMEENTEN:
        plan(leverende_gemeente(code, naam, clients=3), date(2022, 10, 3))
    # Thursday 17:00: per gemeente the B4 (Monday 10:30) and the lateness check are due.
    clock.set(lees_moment("2022-09-29 17:00"))
    db.session.commit()


def _alles_precies_een_keer(uitkomsten: list[list[tuple]]) -> None:
    uitgevoerd = [u for lijst in uitkomsten for u in lijst]
    assert all(gelukt for _, _, gelukt, _ in uitgevoerd), uitgevoerd
    assert sorted((code, soort) for code, soort, _, _ in uitgevoerd) == sorted(
        [(code, migratie.Actiesoort.B4_PUBLICEREN) for code, _ in GEMEENTEN]
        + [(code, migratie.Actiesoort.TERUGKOPPELING_TE_LAAT) for code, _ in GEMEENTEN])
    db.session.expire_all()
    b4_per_gemeente = Counter(db.session.scalars(
        select(Bestand.naam).where(Bestand.categorie == Categorie.BESTANDSVERGELIJKING)))
    assert b4_per_gemeente == {f"68{code}_B4_Bestandsvergelijking_20220926.xlsx": 1 for code, _ in GEMEENTEN}
    assert db.session.scalar(select(func.count()).select_from(B4Regel)) == 9
    assert Counter(m.onderwerp for m in mails("Bestandsvergelijking geplaatst")) == {
        f"Bestandsvergelijking geplaatst voor {naam} ({code})": 1 for code, naam in GEMEENTEN}
    assert len(mails("Terugkoppeling te laat")) == 3
    for code, _ in GEMEENTEN:
        gemeente = gemeente_met_code(code)
        assert [g.soort for g in tijdlijn(gemeente) if g.door == "planner"] == [
            "b4_publiceren", "terugkoppeling_te_laat"]
        assert toestand(gemeente) == Toestand.BV_GEPUBLICEERD
    acties = db.session.scalars(select(GeplandeActie).where(GeplandeActie.status == ActieStatus.KLAAR)).all()
    assert sorted((a.gemeente.code, a.soort, a.pogingen) for a in acties) == sorted(
        [(code, soort, 1) for code, _ in GEMEENTEN
         for soort in (migratie.Actiesoort.B4_PUBLICEREN, migratie.Actiesoort.TERUGKOPPELING_TE_LAAT)])


def tick_in_eigen_proces(database_url: str, moment: str, barrier, uitkomsten) -> None:
    """Run in a spawned process: its own app on the same database, a fixed clock at `moment` (ISO, UTC),
    wait for the others at the barrier, then tick once and report what it carried out."""
    from portal import create_app
    from portal.services.klok import FixedClock

    app = create_app({"TESTING": True, "SECRET_KEY": "test-geheim", "SQLALCHEMY_DATABASE_URI": database_url,
                      "PORTAL_MODE": "ontwikkeling", "CLOCK": FixedClock(datetime.fromisoformat(moment))})
    with app.app_context():
        db.session.execute(select(1))  # connect before the start signal
        db.session.rollback()
        barrier.wait(timeout=120)
        try:
            uitgevoerd = planner.tick()
        except Exception as fout:  # reported to the test, which fails on it
            uitkomsten.put(("fout", repr(fout)))
        else:
            uitkomsten.put(("ok", [(u.gemeente, u.soort, u.gelukt, u.resultaat) for u in uitgevoerd]))
        finally:
            db.session.remove()
            db.engine.dispose()


def test_ticks_in_several_threads_at_the_same_moment_run_each_action_exactly_once(app, app_ctx, clock):
    _drie_geplande_gemeenten(clock)
    db.session.remove()
    aantal = 4
    barrier = threading.Barrier(aantal)
    uitkomsten: list[list[tuple]] = []
    fouten: list[str] = []

    def planner_draad() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                uitkomsten.append([(u.gemeente, u.soort, u.gelukt, u.resultaat) for u in planner.tick()])
            except Exception as fout:  # reported below, so the test fails with it
                fouten.append(repr(fout))
            finally:
                db.session.remove()

    draden = [threading.Thread(target=planner_draad) for _ in range(aantal)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(timeout=120)

    assert not any(d.is_alive() for d in draden)
    assert fouten == []
    assert len(uitkomsten) == aantal
    _alles_precies_een_keer(uitkomsten)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="Gelijktijdige processen worden op PostgreSQL getest (TEST_DATABASE_URL); "
                           "SQLite wordt met threads getest.")
def test_ticks_in_several_processes_at_the_same_moment_run_each_action_exactly_once(
        app, app_ctx, clock, database_url):
    _drie_geplande_gemeenten(clock)
    moment = clock.now().isoformat()
    db.session.remove()
    context = multiprocessing.get_context("spawn")
    aantal = 3
    barrier = context.Barrier(aantal)
    wachtrij = context.Queue()
    processen = [context.Process(target=tick_in_eigen_proces, args=(database_url, moment, barrier, wachtrij))
                 for _ in range(aantal)]
    for proces in processen:
        proces.start()
    berichten = [wachtrij.get(timeout=180) for _ in range(aantal)]
    for proces in processen:
        proces.join(timeout=60)

    assert [p.exitcode for p in processen] == [0] * aantal
    assert [soort for soort, _ in berichten] == ["ok"] * aantal, berichten
    _alles_precies_een_keer([uitgevoerd for _, uitgevoerd in berichten])
