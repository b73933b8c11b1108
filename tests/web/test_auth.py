"""Logging in and out, CSRF and the `next` parameter (the counting of attempts: test_inlogpogingen)."""
from __future__ import annotations

import pytest

from tests.scenario import maak_gebruiker, maak_gemeente

ONJUIST = "Het e-mailadres of wachtwoord is onjuist"


@pytest.fixture
def amsterdam(app) -> None:
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker("medewerker@amsterdam.example.nl", gemeenten=("0363",))


def test_login_with_the_right_password_opens_the_gemeente_folder(session, amsterdam):
    response = session.login("medewerker@amsterdam.example.nl")
    assert response.status_code == 302
    page = session.client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Map van Amsterdam" in page


def test_login_ignores_the_case_of_the_email_address(session, amsterdam):
    response = session.login("Medewerker@Amsterdam.EXAMPLE.nl")
    assert response.status_code == 302


def test_a_wrong_password_and_an_unknown_address_get_the_same_dutch_message(session, amsterdam):
    wrong_password = session.login("medewerker@amsterdam.example.nl", "fout-wachtwoord")
    unknown = session.login("niemand@amsterdam.example.nl", "fout-wachtwoord")
    assert wrong_password.status_code == unknown.status_code == 401
    assert ONJUIST in wrong_password.get_data(as_text=True)
    assert ONJUIST in unknown.get_data(as_text=True)
    assert session.client.get("/").status_code == 302  # still not logged in


def test_a_login_without_the_csrf_field_is_refused(client, amsterdam):
    response = client.post("/login", data={"email": "medewerker@amsterdam.example.nl",
                                           "password": "Wachtwoord-123"})
    assert response.status_code == 400
    assert "Laad de pagina opnieuw" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_deactivated_user_cannot_log_in(session, amsterdam, app):
    from portal.extensions import db
    from portal.services.accounts import zoek_op_email

    with app.app_context():
        zoek_op_email("medewerker@amsterdam.example.nl").active = False
        db.session.commit()
    assert ONJUIST in session.login("medewerker@amsterdam.example.nl").get_data(as_text=True)


def test_next_redirects_within_the_portal(session, amsterdam):
    response = session.login("medewerker@amsterdam.example.nl", next_url="/gemeenten/0363/")
    assert response.headers["Location"] == "/gemeenten/0363/"


@pytest.mark.parametrize("target", [
    "https://phishing.example.com/", "//phishing.example.com/", "/\\phishing.example.com",
    "javascript:alert(1)", "http:/phishing.example.com",
])
def test_next_never_redirects_outside_the_portal(session, amsterdam, target):
    from urllib.parse import quote

    response = session.login("medewerker@amsterdam.example.nl", next_url=quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_pages_ask_anonymous_visitors_to_log_in_first(client):
    response = client.get("/gemeenten/0363/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_session_cookie_is_httponly_and_samesite_lax(session, amsterdam):
    response = session.login("medewerker@amsterdam.example.nl")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logout_ends_the_session(session, amsterdam):
    session.login("medewerker@amsterdam.example.nl")
    response = session.post("/logout", form_url="/logout")
    assert response.status_code == 302
    assert session.client.get("/gemeenten/0363/").status_code == 302


def test_logins_and_failures_are_in_the_audit_trail(session, amsterdam, app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import AuditEvent

    session.login("medewerker@amsterdam.example.nl", "fout")
    session.login("medewerker@amsterdam.example.nl")
    with app.app_context():
        acties = db.session.scalars(select(AuditEvent.actie).order_by(AuditEvent.id)).all()
    assert acties[-2:] == ["inloggen_mislukt", "ingelogd"]


def test_outside_the_tests_passwords_are_stored_as_scrypt_hashes(migrated_database):
    from portal import create_app
    from portal.extensions import db
    from portal.services import accounts
    from portal.services.audit import Actor

    app = create_app({"TESTING": True, "SECRET_KEY": "test-geheim", "SQLALCHEMY_DATABASE_URI": migrated_database,
                      "PORTAL_MODE": "ontwikkeling"})
    with app.app_context():
        user = accounts.maak_gebruiker(accounts.NieuweGebruiker("sterk@cak.example.nl", "Wachtwoord-123", "cak"),
                                       Actor.job_named("test"))
        assert user.password_hash.startswith("scrypt:")
        db.session.rollback()
        db.engine.dispose()
