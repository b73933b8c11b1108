"""Sessions that end: logging out ends the session on the server (a copied cookie no longer works), a session
expires after 30 minutes without a request and 12 hours after the login (in real time, not the ketentest clock),
a new password or a switched-off account ends every session of that user, and the CSRF token is new after login."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from tests.conftest import Session, csrf_token_from
from tests.scenario import MEDEWERKER, gebruiker, maak_gebruiker, maak_gemeente, mails, pagina, tekst

MAP = "/gemeenten/0363/"
VERLOPEN = "Uw sessie is verlopen"
BEEINDIGD = "Uw sessie is beëindigd"
NIEUW = "Een-nieuw-wachtwoord-42"


class EchteTijd:
    """The real time as the sessions read it, moved by the test (the seam `SESSIE_TIJD`)."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def verder(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def tijd() -> EchteTijd:
    return EchteTijd()


@pytest.fixture
def app_config(tijd: EchteTijd) -> dict[str, object]:
    return {"SESSIE_TIJD": tijd}


@pytest.fixture
def amsterdam(app) -> None:
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))


def ingelogd(app) -> Session:
    sessie = Session(app.test_client())
    assert sessie.login(MEDEWERKER).status_code == 302
    assert sessie.client.get(MAP).status_code == 200
    return sessie


def sessiecookie(sessie: Session) -> str:
    cookie = sessie.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def naar_login_met(sessie: Session, melding: str) -> None:
    """The next page sends the user to the login page, which says why."""
    antwoord = sessie.client.get(MAP)
    assert antwoord.status_code == 302 and antwoord.headers["Location"].startswith("/login")
    login = sessie.client.get(antwoord.headers["Location"])
    assert melding in tekst(pagina(login).xpath("//main")[0])
    assert sessie.client.get(MAP).status_code == 302


def test_a_cookie_replayed_after_logout_is_not_logged_in(app, amsterdam):
    sessie = ingelogd(app)
    bewaard = sessiecookie(sessie)
    assert sessie.post("/logout", form_url="/logout").status_code == 302

    dief = app.test_client()
    dief.set_cookie("session", bewaard)
    antwoord = dief.get(MAP)
    assert antwoord.status_code == 302 and antwoord.headers["Location"].startswith("/login")
    assert "Map van Amsterdam" not in dief.get(MAP, follow_redirects=True).get_data(as_text=True)


def test_a_session_is_kept_while_the_user_is_active(app, amsterdam, tijd):
    sessie = ingelogd(app)
    for _ in range(4):
        tijd.verder(minutes=29)
        assert sessie.client.get(MAP).status_code == 200


def test_a_session_expires_after_30_minutes_without_a_request(app, amsterdam, tijd):
    sessie = ingelogd(app)
    tijd.verder(minutes=30, seconds=1)
    naar_login_met(sessie, VERLOPEN)


def test_the_idle_timeout_is_a_setting(app, amsterdam, tijd):
    app.config["SESSIE_INACTIEF_MINUTEN"] = 5
    sessie = ingelogd(app)
    tijd.verder(minutes=4)
    assert sessie.client.get(MAP).status_code == 200
    tijd.verder(minutes=5, seconds=1)
    naar_login_met(sessie, VERLOPEN)


def test_a_session_expires_12_hours_after_the_login_however_active_the_user_is(app, amsterdam, tijd):
    sessie = ingelogd(app)
    for _ in range(12 * 3):
        tijd.verder(minutes=20)
        assert sessie.client.get(MAP).status_code == 200
    tijd.verder(seconds=1)
    naar_login_met(sessie, VERLOPEN)
    assert sessie.login(MEDEWERKER).status_code == 302
    assert sessie.client.get(MAP).status_code == 200


def test_the_ketentest_clock_does_not_end_a_session(app, amsterdam, clock):
    sessie = ingelogd(app)
    clock.advance(timedelta(days=3))
    assert sessie.client.get(MAP).status_code == 200


def test_a_new_password_in_one_browser_ends_the_session_in_another(app, amsterdam):
    kantoor = ingelogd(app)
    thuis = Session(app.test_client())
    thuis.post("/wachtwoord-vergeten", {"email": MEDEWERKER})
    with app.app_context():
        [link] = re.findall(r"https?://\S+", mails("Wachtwoord herstellen")[-1].tekst)
    pad = "/" + link.split("/", 3)[3]
    assert thuis.post(pad, {"password": NIEUW, "herhaling": NIEUW}).status_code == 302
    naar_login_met(kantoor, BEEINDIGD)
    assert thuis.login(MEDEWERKER, NIEUW).status_code == 302
    assert thuis.client.get(MAP).status_code == 200


def test_logging_out_in_one_browser_ends_the_session_in_another(app, amsterdam):
    kantoor = ingelogd(app)
    thuis = ingelogd(app)
    assert thuis.post("/logout", form_url="/logout").status_code == 302
    naar_login_met(kantoor, BEEINDIGD)


def test_a_switched_off_account_stays_logged_out_when_it_is_switched_on_again(app, amsterdam):
    sessie = ingelogd(app)
    with app.app_context():
        gebruiker(MEDEWERKER).active = False
        db.session.commit()
        gebruiker(MEDEWERKER).active = True
        db.session.commit()
    naar_login_met(sessie, BEEINDIGD)


def test_the_csrf_token_is_new_after_login(app, amsterdam):
    sessie = Session(app.test_client())
    voor = csrf_token_from(sessie.client.get("/login").get_data(as_text=True))
    assert sessie.login(MEDEWERKER).status_code == 302
    na = csrf_token_from(sessie.client.get("/logout").get_data(as_text=True))
    assert voor != na
    # The token of the anonymous session no longer works for a form of the logged-in one.
    oud = sessie.client.post("/logout", data={"csrf_token": voor})
    assert oud.status_code == 400
