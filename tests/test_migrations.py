"""The Alembic migrations build the whole schema from an empty database, on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal import create_app
from portal.cli import cli
from portal.models import Base


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
    from portal.config import normalise_database_url

    base = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    schema = "migratietest_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in base else "?"
        _upgrade_with_the_cli_and_compare(f"{base}{separator}options=-csearch_path%3D{schema}", clock)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
