"""Planner recovery (issue 11, point 11): a tick process killed after claiming an action, and a restart, give
the same files and mails as an uninterrupted run; a gemeente's later actions wait for an earlier one that
another tick still holds, and an action whose claim expired runs before them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from portal.extensions import db
from portal.kalender import lees_moment
from portal.models import ActieStatus, Bestand, GeplandeActie, Mail
from portal.services import planner
from portal.toestanden import Toestand
from tests import scenario
from tests.conftest import _empty_tables

ROOT = Path(__file__).resolve().parents[2]
TOT = "2022-10-06 12:00"  # past the B4, the terugkoppeling deadline and the akkoord of the week-1 timeslot


def _uitkomst() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    db.session.expire_all()
    bestanden = sorted((b.naam, b.sha256) for b in db.session.scalars(select(Bestand)))
    mails = sorted((m.soort, str(m.aan), m.onderwerp + m.tekst)
                   for m in db.session.scalars(select(Mail)))
    return bestanden, mails


def _scenario(clock) -> None:
    gemeente = scenario.leverende_gemeente()
    scenario.naar_toestand(clock, Toestand.GEPLAND, gemeente)
    db.session.commit()


def test_a_tick_killed_after_its_claim_and_a_restart_give_the_same_files_and_mails_as_an_uninterrupted_run(
        app, clock, migrated_database: str):
    start = clock.now()
    with app.app_context():
        _scenario(clock)
        scenario.klok_naar(clock, TOT)
        ononderbroken = _uitkomst()
        assert ononderbroken[0] and ononderbroken[1]
        db.session.remove()
        _empty_tables(db)

        clock.set(start)
        _scenario(clock)
        clock.set(lees_moment(TOT))
        db.session.remove()
    werker = subprocess.Popen([sys.executable, "-m", "tests.storingen.werker", migrated_database,
                               clock.now().isoformat(), "tick"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.PIPE, text=True)
    assert werker.stdout is not None
    regel = werker.stdout.readline().strip()
    assert regel.startswith("geclaimd "), regel
    os.kill(werker.pid, signal.SIGKILL)
    werker.wait(timeout=30)

    with app.app_context():
        # The restart: the planner frees what the dead process held, then ticks.
        assert planner.geef_claims_van_dode_processen_vrij() == 1
        planner.tick()
        assert _uitkomst() == ononderbroken


def test_a_gemeente_s_later_actions_wait_for_an_earlier_one_another_tick_holds_until_its_claim_expires(app, clock):
    with app.app_context():
        _scenario(clock)
        acties = scenario.geplande_acties(scenario.gemeente_met_code("0363"))
        eerste = acties[0]
        # Another planner, on another host, claimed the first step and has not finished it.
        db.session.execute(update(GeplandeActie).where(GeplandeActie.id == eerste.id).values(
            status=ActieStatus.BEZIG, geclaimd_door="andere-host:1:abc", geclaimd_op=planner._echte_tijd()))
        db.session.commit()
        assert scenario.klok_naar(clock, TOT) == []  # nothing of this gemeente runs past its first step

        db.session.execute(update(GeplandeActie).where(GeplandeActie.id == eerste.id).values(
            geclaimd_op=planner._echte_tijd() - planner.CLAIM_DUUR - timedelta(seconds=1)))
        db.session.commit()
        uitgevoerd = planner.tick()
        assert uitgevoerd[0].actie_id == eerste.id and len(uitgevoerd) > 1
        assert [u.due_op for u in uitgevoerd] == sorted(u.due_op for u in uitgevoerd)
