"""Issue 11, point 8 (configuration): productie refuses a short SECRET_KEY, SQLite and debug, each with a Dutch
message that names the setting; in productie every answer carries HSTS."""
from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigurationError

POSTGRES = "postgresql://portal@db.example.nl/portal"
LANG_GEHEIM = "een-echt-lang-geheim-van-de-beheerder-0123456789"


@pytest.fixture(autouse=True)
def zonder_debug(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def productie(**instellingen: str) -> dict[str, str]:
    return {"PORTAL_MODE": "productie", "SECRET_KEY": LANG_GEHEIM, "DATABASE_URL": POSTGRES, **instellingen}


def test_productie_refuses_a_secret_key_shorter_than_32_characters_and_names_the_setting():
    with pytest.raises(ConfigurationError) as fout:
        create_app(environ=productie(SECRET_KEY="x" * 31))
    assert "SECRET_KEY van 31 tekens" in str(fout.value)
    assert "minstens 32" in str(fout.value)


def test_productie_refuses_sqlite_and_names_database_url():
    with pytest.raises(ConfigurationError) as fout:
        create_app(environ=productie(DATABASE_URL="sqlite:////srv/portal.sqlite"))
    assert "niet in productie op SQLite" in str(fout.value)
    assert "Zet DATABASE_URL op een PostgreSQL-database" in str(fout.value)


def test_productie_refuses_sqlite_also_as_the_default_database():
    omgeving = productie()
    del omgeving["DATABASE_URL"]
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app(environ=omgeving)


def test_productie_refuses_debug_and_names_flask_debug(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigurationError) as fout:
        create_app(environ=productie())
    assert "niet in productie met debug aan" in str(fout.value)
    assert "FLASK_DEBUG=0" in str(fout.value)


def test_productie_refuses_debug_set_in_the_config():
    with pytest.raises(ConfigurationError, match="FLASK_DEBUG"):
        create_app({"DEBUG": True}, environ=productie())


def test_productie_starts_with_a_long_key_postgresql_and_no_debug_and_sends_hsts():
    app = create_app(environ=productie())
    antwoord = app.test_client().get("/static/portal.css")
    assert antwoord.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_other_modes_send_no_hsts_and_may_use_sqlite():
    app = create_app(environ={"PORTAL_MODE": "ontwikkeling", "SECRET_KEY": "kort",
                              "DATABASE_URL": "sqlite:////tmp/niet-gebruikt.sqlite"})
    antwoord = app.test_client().get("/static/portal.css")
    assert "Strict-Transport-Security" not in antwoord.headers
