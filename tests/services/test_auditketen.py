"""The audit trail as a hash chain (issue 11, point 5): every event chained to the one before it,
`portal audit controleer` finds the first changed, removed or moved event, and appends from several
workers at once never fork the chain."""
from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import select

from portal.cli import cli
from portal.extensions import db
from portal.models import AuditEvent
from portal.services import audit
from portal.services.audit import Actor


def _vijf_events(app) -> list[int]:
    with app.app_context():
        for nummer in range(5):
            audit.registreer(Actor.job_named("test"), "iets_gedaan", object_type="ding", object_id=nummer,
                             details={"nummer": nummer, "datum": "2022-10-03"}, bsns=["123456782"] if nummer else None)
        db.session.commit()
        return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.volgnummer)))


def _controleer(app):
    return app.test_cli_runner().invoke(cli, ["audit", "controleer"])


def _sql(app, opdracht: str, **waarden: object) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text(opdracht), waarden)


def test_an_untouched_trail_checks_out_with_a_dutch_summary_and_exit_0(app):
    _vijf_events(app)

    uitkomst = _controleer(app)

    assert uitkomst.exit_code == 0, uitkomst.output
    assert "De audittrail klopt: 5 gebeurtenissen, de hashketen is ongebroken" in uitkomst.output


def test_each_event_holds_the_previous_hash_the_wall_clock_and_the_shown_bsns(app):
    ids = _vijf_events(app)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.volgnummer)).all()
        assert [e.id for e in events] == ids
        assert events[0].vorige_hash == "0" * 64
        assert all(later.vorige_hash == eerder.hash for eerder, later in itertools.pairwise(events))
        assert (events[1].bsns, events[1].aantal_bsns) == (["123456782"], 1)
        assert abs((events[0].op_echt - datetime.now(UTC)).total_seconds()) < 60
        assert events[0].op.year == 2022  # the portal's (test) clock, kept beside the real time


def test_a_changed_row_is_named_as_the_first_broken_event(app):
    ids = _vijf_events(app)
    _sql(app, "UPDATE audit_event SET actor = 'iemand anders' WHERE id = :id", id=ids[2])

    uitkomst = _controleer(app)

    assert uitkomst.exit_code == 1
    assert f"gebroken bij gebeurtenis {ids[2]} (plaats 3 in de keten): de inhoud is gewijzigd" in uitkomst.output


def test_a_changed_bsn_list_breaks_the_chain_too(app):
    ids = _vijf_events(app)
    _sql(app, "UPDATE audit_event SET bsns = NULL, aantal_bsns = 0 WHERE id = :id", id=ids[3])

    uitkomst = _controleer(app)

    assert uitkomst.exit_code == 1 and f"gebeurtenis {ids[3]} " in uitkomst.output


def test_a_removed_row_is_found_at_the_event_after_it(app):
    ids = _vijf_events(app)
    _sql(app, "DELETE FROM audit_event WHERE id = :id", id=ids[1])

    uitkomst = _controleer(app)

    assert uitkomst.exit_code == 1
    assert f"gebroken bij gebeurtenis {ids[2]} (plaats 3 in de keten): gebeurtenis 2 tot en met 2 ontbreekt" \
        in uitkomst.output


def test_removing_the_last_row_is_found_at_the_end_of_the_chain(app):
    ids = _vijf_events(app)
    _sql(app, "DELETE FROM audit_event WHERE id = :id", id=ids[-1])

    uitkomst = _controleer(app)

    assert uitkomst.exit_code == 1
    assert "gebroken bij het einde van de keten" in uitkomst.output


def test_a_removed_row_with_its_successors_renumbered_and_rehashed_links_is_still_found(app):
    ids = _vijf_events(app)
    _sql(app, "DELETE FROM audit_event WHERE id = :id", id=ids[1])
    _sql(app, "UPDATE audit_event SET volgnummer = volgnummer - 1 WHERE id > :id", id=ids[1])

    uitkomst = _controleer(app)

    assert uitkomst.exit_code == 1 and f"gebeurtenis {ids[2]} " in uitkomst.output


def test_two_swapped_events_are_found(app):
    ids = _vijf_events(app)
    _sql(app, "UPDATE audit_event SET volgnummer = -1 WHERE id = :id", id=ids[1])
    _sql(app, "UPDATE audit_event SET volgnummer = 2 WHERE id = :id", id=ids[2])
    _sql(app, "UPDATE audit_event SET volgnummer = 3 WHERE id = :id", id=ids[1])

    uitkomst = _controleer(app)

    assert uitkomst.exit_code == 1 and f"gebeurtenis {ids[2]} (plaats 2" in uitkomst.output


def test_many_workers_appending_at_once_make_one_unbroken_chain(app):
    def schrijf(nummer: int) -> None:
        with app.app_context():
            for keer in range(5):
                audit.registreer(Actor.job_named(f"werker-{nummer}"), "gelijktijdig", object_id=keer)
                db.session.commit()
            db.session.remove()

    werkers = [threading.Thread(target=schrijf, args=(n,)) for n in range(8)]
    for werker in werkers:
        werker.start()
    for werker in werkers:
        werker.join()

    with app.app_context():
        assert db.session.scalar(select(sa.func.count()).select_from(AuditEvent)) == 40
        assert audit.controleer().in_orde
    assert _controleer(app).exit_code == 0
