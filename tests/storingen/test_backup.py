"""`portal backup FILE` and `portal herstel FILE` (issue 11, point 14): the demo survives a round trip with
the same number of rows in every table and the same bytes in its files; a restore does not overwrite data
unless told to with --ja.

Precondition on PostgreSQL: pg_dump and pg_restore are installed (`make test` installs postgresql-client);
without them the PostgreSQL run of this test is skipped, the SQLite run always runs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.cli import cli
from portal.extensions import db
from portal.models import Bestand, Ontvangst
from portal.services import backup


@pytest.fixture
def app_config():
    return {"PORTAL_MODE": "ketentest", "CLOCK": None}


def _stand(app) -> tuple[dict[str, int], dict[str, str]]:
    with app.app_context():
        tellingen = backup.tellingen().per_tabel
        bestanden = {f"bestand:{b.naam}": b.sha256 for b in db.session.scalars(select(Bestand))}
        bestanden.update({f"ontvangst:{o.id}": o.sha256 for o in db.session.scalars(select(Ontvangst))})
        db.session.remove()
        return tellingen, bestanden


def _maak_leeg(app) -> None:
    from tests.conftest import _empty_tables

    with app.app_context():
        db.session.remove()
        _empty_tables(db)


def test_a_backup_of_the_demo_restores_every_row_and_file_and_refuses_to_overwrite_without_ja(app, tmp_path: Path):
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump/pg_restore ontbreken (apt-get install postgresql-client)")
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["seed", "demo"]).exit_code == 0
    voor, bestanden = _stand(app)
    assert voor["bw_client"] > 1000 and any(n.startswith("bestand:") for n in bestanden)

    kopie = tmp_path / "portaal.backup"
    gemaakt = runner.invoke(cli, ["backup", str(kopie)])
    assert gemaakt.exit_code == 0, gemaakt.output
    assert "Back-up geschreven" in gemaakt.output and kopie.stat().st_size > 0

    geweigerd = runner.invoke(cli, ["herstel", str(kopie)])
    assert geweigerd.exit_code == 1
    assert "niet leeg" in geweigerd.output and "--ja" in geweigerd.output

    _maak_leeg(app)
    assert sum(_stand(app)[0].values()) == 0
    hersteld = runner.invoke(cli, ["herstel", str(kopie)])
    assert hersteld.exit_code == 0, hersteld.output
    assert _stand(app) == (voor, bestanden)

    nogmaals = runner.invoke(cli, ["herstel", "--ja", str(kopie)])
    assert nogmaals.exit_code == 0, nogmaals.output
    assert _stand(app) == (voor, bestanden)


def test_restoring_a_file_that_is_no_backup_is_refused_with_what_to_do(app, tmp_path: Path):
    runner = app.test_cli_runner()
    ontbreekt = runner.invoke(cli, ["herstel", str(tmp_path / "bestaat-niet.backup")])
    assert ontbreekt.exit_code == 1 and "bestaat niet" in ontbreekt.output
