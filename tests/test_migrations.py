"""The Alembic migrations build the whole schema from an empty database, on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal import create_app
from portal.cli import cli
from portal.models import Base


@contextmanager
def _lege_schema_op_postgresql() -> Iterator[str]:
    """The URL of a new, empty schema on the PostgreSQL of TEST_DATABASE_URL, dropped afterwards."""
    from portal.config import normalise_database_url

    base = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    schema = "migratietest_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _upgrade_with_the_cli_and_compare(url: str, clock) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "PORTAL_MODE": "ontwikkeling",
                      "SQLALCHEMY_DATABASE_URI": url, "CLOCK": clock})
    result = app.test_cli_runner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            assert {t.name for t in Base.metadata.sorted_tables} <= tables
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
            assert differences == [], f"the models differ from the migrated schema: {differences}"
    finally:
        engine.dispose()
    with app.app_context():
        from portal.extensions import db
        db.engine.dispose()


def test_the_migrations_create_the_schema_from_empty_on_sqlite(tmp_path, clock):
    _upgrade_with_the_cli_and_compare("sqlite:///" + str(tmp_path / "leeg.sqlite"), clock)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="runs when TEST_DATABASE_URL points at PostgreSQL")
def test_the_migrations_create_the_schema_from_empty_on_postgresql(clock):
    with _lege_schema_op_postgresql() as url:
        _upgrade_with_the_cli_and_compare(url, clock)


def _files_stored_before_0016_survive_it_and_its_downgrade(url: str, clock) -> None:
    """A file stored before migration 0016 reads unchanged after it; the bulk tables lose their foreign keys;
    the downgrade gives every compressed file back its original bytes."""
    import zlib

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "PORTAL_MODE": "ontwikkeling",
                      "SQLALCHEMY_DATABASE_URI": url, "CLOCK": clock})
    runner = app.test_cli_runner()
    oud, nieuw = b"PK\x03\x04 opgeslagen voor 0016" * 10, b"<nieuw/>" * 500
    result = runner.invoke(cli, ["db", "upgrade", "0015"])
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO gemeente (id, code, naam, soort, levert_zelf_aan, bestandsprefix) "
                                 "VALUES (1, '0363', 'Amsterdam', 'centrumgemeente', false, '680363')"))
            conn.execute(sa.text("INSERT INTO bestand (id, gemeente_id, categorie, naam, mediatype, inhoud, sha256, "
                                 "grootte, gepubliceerd_op) VALUES (1, 1, 'verslag', 'oud.xlsx', 'x', :inhoud, 'h', "
                                 ":grootte, '2022-10-01 10:00:00+00')"), {"inhoud": oud, "grootte": len(oud)})
        result = runner.invoke(cli, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            from portal.extensions import db
            from portal.models import Bestand

            bestand = db.session.get_one(Bestand, 1)
            assert bestand.inhoud_opslag == "ruw" and bestand.inhoud == oud
            bestand.inhoud = nieuw
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert inspector.get_foreign_keys("bericht_periode") == []
            assert inspector.get_foreign_keys("bw_periode") == []
            opgeslagen = conn.execute(sa.text("SELECT inhoud FROM bestand WHERE id = 1")).scalar_one()
            assert zlib.decompress(opgeslagen) == nieuw
        result = runner.invoke(cli, ["db", "downgrade", "0015"])
        assert result.exit_code == 0, result.output
        with engine.connect() as conn:
            assert bytes(conn.execute(sa.text("SELECT inhoud FROM bestand WHERE id = 1")).scalar_one()) == nieuw
            assert "inhoud_opslag" not in {k["name"] for k in sa.inspect(conn).get_columns("bestand")}
            assert len(sa.inspect(conn).get_foreign_keys("bw_periode")) == 2
    finally:
        engine.dispose()
        with app.app_context():
            from portal.extensions import db
            db.engine.dispose()


def test_a_file_stored_before_compression_reads_unchanged_after_migration_0016_on_sqlite(tmp_path, clock):
    _files_stored_before_0016_survive_it_and_its_downgrade("sqlite:///" + str(tmp_path / "oud.sqlite"), clock)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="runs when TEST_DATABASE_URL points at PostgreSQL")
def test_a_file_stored_before_compression_reads_unchanged_after_migration_0016_on_postgresql(clock):
    with _lege_schema_op_postgresql() as url:
        _files_stored_before_0016_survive_it_and_its_downgrade(url, clock)
