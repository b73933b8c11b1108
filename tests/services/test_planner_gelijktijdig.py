"""Two schedulers ticking at the same moment still carry out every action exactly once: threads with their
own app context, and (on PostgreSQL) separate processes with their own app."""
from __future__ import annotations

import os

import multiprocessing
import threading
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.toestanden import Toestand
from portal.extensions import db
from portal.models import ActieStatus, B4Regel, Bestand, Categorie, GeplandeActie
from portal.services import toegang
from portal.services import migratie, planner
from tests import flow
from tests.services import migratie_helpers as h
from tests.services.migratie_helpers import snel  # noqa: F401

pytestmark = pytest.mark.usefixtures("snel")

GEMEENTEN = (("0363", "Amsterdam"), ("0344", "Utrecht"), ("0599", "Rotterdam"))


def _drie_geplande_gemeenten(clock) -> None:
    for code, naam in GEMEENTEN:
        gemeente = flow.maak_gemeente(code=code, naam=naam, clients=3)
        migratie.plan_timeslot(flow.actor(h.BEHEER), gemeente, date(2022, 10, 3))
    # Thursday 17:00: per gemeente the B4 (Monday 10:30) and the lateness check are due.
    clock.set(flow.moment("2022-09-29 17:00"))
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
    assert Counter(m.onderwerp for m in h.mails("Bestandsvergelijking geplaatst")) == {
        f"Bestandsvergelijking geplaatst voor {naam} ({code})": 1 for code, naam in GEMEENTEN}
    assert len(h.mails("Terugkoppeling te laat")) == 3
    for code, _ in GEMEENTEN:
        gemeente = toegang.gemeente_voor(flow.gebruiker(h.CAK), code)
        assert [g.soort for g in h.tijdlijn(gemeente) if g.door == "planner"] == [
            "b4_publiceren", "terugkoppeling_te_laat"]
        assert h.toestand(gemeente) == Toestand.BV_GEPUBLICEERD
    acties = db.session.scalars(select(GeplandeActie).where(GeplandeActie.status == ActieStatus.KLAAR)).all()
    assert sorted((a.gemeente.code, a.soort, a.pogingen) for a in acties) == sorted(
        [(code, soort, 1) for code, _ in GEMEENTEN
         for soort in (migratie.Actiesoort.B4_PUBLICEREN, migratie.Actiesoort.TERUGKOPPELING_TE_LAAT)])


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
    processen = [context.Process(target=h.tick_in_eigen_proces, args=(database_url, moment, barrier, wachtrij))
                 for _ in range(aantal)]
    for proces in processen:
        proces.start()
    berichten = [wachtrij.get(timeout=180) for _ in range(aantal)]
    for proces in processen:
        proces.join(timeout=60)

    assert [p.exitcode for p in processen] == [0] * aantal
    assert [soort for soort, _ in berichten] == ["ok"] * aantal, berichten
    _alles_precies_een_keer([uitgevoerd for _, uitgevoerd in berichten])
