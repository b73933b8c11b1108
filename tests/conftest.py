"""Shared fixtures: an app on a fresh database, clients that log in through the real form, a clock.

The suite runs on SQLite by default and on the database in TEST_DATABASE_URL when that is set.
The schema is made once per run by the Alembic migrations. A test starts with empty tables (`app`),
unless its module only reads one scenario that it builds once for all its tests (`module_app`).
Heavy imports happen inside the fixtures, so the pure-core tests need none of this.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

NL = ZoneInfo("Europe/Amsterdam")
TEST_SECRET = "test-geheim-niet-voor-productie-0123456789"
WACHTWOORD = "Wachtwoord-123"
START = datetime(2022, 9, 19, 9, 0, tzinfo=NL)
TOTP_BEGIN = 1_700_000_000.0
"""Where the second factor's clock of the tests starts (Unix seconds)."""


class TotpKlok:
    """The real-time clock the second factor reads (the app's TOTP_TIJD), held still in tests: `volgende_stap`
    moves it one code (30 s) on, so every login of a test user has a fresh, unused code."""

    def __init__(self, begin: float = TOTP_BEGIN) -> None:
        self.tijd = begin

    def __call__(self) -> float:
        return self.tijd

    def volgende_stap(self) -> float:
        self.tijd += 30
        return self.tijd


TOTP_KLOK = TotpKlok()
# The modules whose tests share one scenario, while it is in use (see `module_app`).
_GEDEELDE_MODULES: set[str] = set()


def pytest_configure(config: pytest.Config) -> None:
    # The suite never reads the settings a developer's `make run` left in instance/portal.env: every
    # `portal` process a test starts inherits this, and a test that means to read an env file names its own.
    os.environ["PORTAL_ENV_FILE"] = ""


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {url if url else 'SQLite (tijdelijk bestand)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        from portal.config import normalise_database_url
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "portal-test.sqlite")


def _reset_schema(url: str) -> None:
    """Make the database empty, then build the schema with the migrations."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            meta.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    from flask_migrate import upgrade

    from portal import create_app

    _reset_schema(database_url)
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                      "SQLALCHEMY_DATABASE_URI": database_url, "PORTAL_MODE": "ontwikkeling"})
    with app.app_context():
        upgrade()
        from portal.extensions import db
        db.engine.dispose()
    return database_url


def _empty_tables(db) -> None:
    import sqlalchemy as sa

    from portal.models import Base

    if _GEDEELDE_MODULES:
        pytest.fail(f"{', '.join(sorted(_GEDEELDE_MODULES))} deelt één scenario over al zijn tests; een test die "
                    "met lege tabellen begint, hoort in een andere module.", pytrace=False)

    tables = list(Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())
            has_seq = conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first()
            if has_seq:
                conn.execute(sa.text("DELETE FROM sqlite_sequence"))


@pytest.fixture(scope="session")
def trage_functies_onthouden() -> Iterator[None]:
    """The services remember the answers of their slow pure functions across the whole run."""
    from tests.scenario import trage_functies_onthouden

    with trage_functies_onthouden():
        yield


def _maak_app(database_url: str, clock, extra: dict[str, object]):
    """The app as the tests use it, on empty tables."""
    from portal import create_app
    from portal.extensions import db

    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PORTAL_MODE": "ontwikkeling",
        "SERVER_NAME": None,
        "CLOCK": clock,
        # Passwords are hashed cheaply in tests; logging in still checks the stored hash for real.
        "WACHTWOORD_HASH": "pbkdf2:sha256:1000",
        "TOTP_TIJD": TOTP_KLOK,
    }
    config.update(extra)
    app = create_app(config)
    with app.app_context():
        _empty_tables(db)
        db.session.remove()
    return app


def _sluit(app) -> None:
    from portal.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def clock():
    from portal.services.klok import FixedClock

    return FixedClock(START)


@pytest.fixture
def app_config() -> dict[str, object]:
    """Extra configuration for one test module: override this fixture to change it."""
    return {}


@pytest.fixture
def app(migrated_database: str, clock, app_config, trage_functies_onthouden):
    """An app on empty tables, for one test."""
    app = _maak_app(migrated_database, clock, app_config)
    yield app
    _sluit(app)


@pytest.fixture(scope="module")
def module_clock():
    """The fixed clock of a module whose tests share one scenario."""
    from portal.services.klok import FixedClock

    return FixedClock(START)


@pytest.fixture(scope="module")
def module_app(request: pytest.FixtureRequest, migrated_database: str, module_clock, trage_functies_onthouden):
    """One app for all tests of a module that only read a scenario, built once for the module.

    Such a module builds its scenario in a module-scoped fixture inside `module_app.app_context()`, and
    overrides `app` (and `clock`, when its tests read it) to return `module_app` (`module_clock`), so that
    `client`, `session` and `app_ctx` use it too. No test of the module may start on empty tables while the
    scenario is in use: `_empty_tables` refuses that, so a test that changes things belongs in another module.
    """
    app = _maak_app(migrated_database, module_clock, {})
    _GEDEELDE_MODULES.add(request.module.__name__)
    yield app
    _GEDEELDE_MODULES.discard(request.module.__name__)
    _sluit(app)


@pytest.fixture
def app_ctx(app) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "de pagina bevat geen CSRF-veld"
    return match.group(1)


def totp_code(app, email: str, geheim: str | None = None) -> str:
    """The code a user's authenticator app shows now, a step after the last one asked for (so it is unused):
    from `geheim`, or from the secret the portal keeps for this user."""
    import pyotp

    from portal.extensions import db
    from portal.models.tweede_factor import TweedeFactor
    from portal.services import accounts, tweede_factor

    klok = app.config["TOTP_TIJD"]
    moment = klok.volgende_stap() if hasattr(klok, "volgende_stap") else klok()
    if geheim is None:
        with app.app_context():
            user = accounts.zoek_op_email(email)
            rij = db.session.get(TweedeFactor, user.id) if user is not None else None
            assert rij is not None, f"{email} heeft geen tweede factor"
            geheim = tweede_factor.ontsleutel(rij.geheim)
    return pyotp.TOTP(geheim).at(moment)


def geheim_op_pagina(html: str) -> str:
    """The secret that the enrolment page shows as text (next to its QR code)."""
    match = re.search(r'data-testid="geheim">([A-Z2-7 ]+)<', html)
    assert match, "de pagina toont geen geheim om in te stellen"
    return match.group(1).replace(" ", "")


class Session:
    """A browser-like session on the test client: it logs in through the real form."""

    def __init__(self, client) -> None:
        self.client = client

    def csrf(self, url: str = "/login") -> str:
        return csrf_token_from(self.client.get(url).get_data(as_text=True))

    def login(self, email: str, password: str = WACHTWOORD, next_url: str | None = None):
        token = self.csrf("/login")
        url = "/login" + (f"?next={next_url}" if next_url else "")
        response = self.client.post(url, data={"email": email, "password": password, "csrf_token": token})
        return self.tweede_stap(email, password, next_url, response)

    def tweede_stap(self, email: str, password: str, next_url: str | None, response):
        """After a right password: enrol (a CAK user's first login) or give the code, as the user would."""
        app = self.client.application
        plaats = response.headers.get("Location", "") if response.status_code == 302 else ""
        if plaats.startswith("/login/code"):
            return self.post("/login/code", {"code": totp_code(app, email)})
        if plaats.startswith("/login/tweede-factor-instellen"):
            # The first login of a CAK user sets the second factor up; then the user logs in as always after,
            # so that the answer is the usual redirect to where the login leads.
            geheim = geheim_op_pagina(self.client.get(plaats).get_data(as_text=True))
            ingesteld = self.post(plaats, {"code": totp_code(app, email, geheim)})
            assert ingesteld.status_code == 200, ingesteld.get_data(as_text=True)
            self.post("/logout", form_url="/logout")
            return self.login(email, password, next_url)
        return response

    def post(self, url: str, data: dict | None = None, form_url: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(form_url or url))
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def session(client) -> Session:
    return Session(client)
