"""The application factory and its configuration."""
from __future__ import annotations

import pytest

from portal import create_app
from portal.config import DEFAULT_SECRET_KEY, ConfigurationError, from_environment


def test_factory_takes_the_test_config(app):
    assert app.testing
    assert app.config["PORTAL_MODE"] == "ontwikkeling"


def test_production_mode_refuses_to_start_with_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("PORTAL_MODE", "productie")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": DEFAULT_SECRET_KEY})


def test_production_mode_starts_with_a_real_secret_key_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("PORTAL_MODE", "productie")
    monkeypatch.setenv("SECRET_KEY", "een-echt-lang-geheim-van-de-beheerder-0123456789")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db.example.nl/portal")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_default_mode_is_production(monkeypatch):
    monkeypatch.delenv("PORTAL_MODE", raising=False)
    assert from_environment({})["PORTAL_MODE"] == "productie"


def test_an_unknown_mode_is_refused_with_the_choices():
    with pytest.raises(ConfigurationError, match="productie, ketentest, ontwikkeling"):
        from_environment({"PORTAL_MODE": "demo"})


def test_environment_settings_are_read_and_postgres_urls_get_the_psycopg_driver():
    config = from_environment({
        "DATABASE_URL": "postgres://portal@db.example.nl/portal",
        "SMTP_HOST": "smtp.example.nl",
        "SMTP_PORT": "2525",
        "PORTAL_MODE": "ketentest",
    }, instance_path="/srv/instance")
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.example.nl/portal"
    assert config["SMTP_HOST"] == "smtp.example.nl"
    assert config["SMTP_PORT"] == 2525
    assert config["PORTAL_MODE"] == "ketentest"


def test_the_embedded_default_database_is_a_sqlite_file_in_the_instance_folder():
    config = from_environment({}, instance_path="/srv/instance")
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/instance/portal.sqlite"


def test_an_unknown_page_gets_the_dutch_not_found_page(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_an_error_in_the_portal_shows_a_dutch_page_without_a_stack_trace(migrated_database, clock):
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "PORTAL_MODE": "ontwikkeling",
                      "SQLALCHEMY_DATABASE_URI": migrated_database, "CLOCK": clock,
                      "PROPAGATE_EXCEPTIONS": False})

    @app.route("/_fout")
    def fout():
        raise RuntimeError("geheime interne details")

    response = app.test_client().get("/_fout")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in html
    assert "geheime interne details" not in html and "Traceback" not in html


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_htmx_and_the_stylesheet_are_served_by_the_portal_itself(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/static/htmx.min.js" in page and "/static/portal.css" in page
    assert "https://" not in page.split("<body")[0]
    script = client.get("/static/htmx.min.js")
    assert script.status_code == 200 and b'version:"2.' in script.data


@pytest.mark.parametrize(("omgeving", "melding"), [
    ({"SMTP_PORT": "vijfentwintig"}, "SMTP_PORT: 'vijfentwintig' is geen geheel getal."),
    ({"SCHEDULER_INTERVAL": "0"}, "SCHEDULER_INTERVAL: '0' moet groter zijn dan 0."),
    ({"MAX_UPLOAD_MB": "50MB"}, "MAX_UPLOAD_MB: '50MB' is geen geheel getal."),
    ({"MIGRATIE_STARTDATUM": "1-10-2022"}, "MIGRATIE_STARTDATUM: '1-10-2022' is geen datum; schrijf JJJJ-MM-DD."),
    ({"TIMESLOTS": "2022-10-03,10-10-2022"}, "TIMESLOTS: '10-10-2022' is geen datum; schrijf JJJJ-MM-DD."),
    ({"KETENTEST_STARTMOMENT": "maandag"},
     "KETENTEST_STARTMOMENT: 'maandag' is geen tijdstip; schrijf het als JJJJ-MM-DD UU:MM, bijvoorbeeld "
     "2022-09-26 10:30."),
    ({"DATABASE_URL": "mysql://portal:geheim@db.example.nl/portal"},
     "DATABASE_URL 'mysql://portal:***@db.example.nl/portal' is geen database-URL voor het portaal; het werkt met "
     "SQLite of PostgreSQL, bijvoorbeeld sqlite:////pad/naar/portal.sqlite of postgresql+psycopg://gebruiker@host/db."),
    ({"DATABASE_URL": "portal.sqlite"}, "DATABASE_URL 'portal.sqlite' is geen database-URL voor het portaal; het werkt "
     "met SQLite of PostgreSQL, bijvoorbeeld sqlite:////pad/naar/portal.sqlite of postgresql+psycopg://gebruiker@host/db."),
])
def test_a_setting_that_cannot_be_read_is_refused_in_dutch_with_its_name(omgeving, melding):
    with pytest.raises(ConfigurationError) as fout:
        from_environment(omgeving)
    assert str(fout.value) == melding
