"""Login that cannot be raced or turned against its owner (issue 11, point 3 a and b).

Parallel attempts are counted exactly and get no extra guesses; after five failures an e-mail address waits,
longer after every next failure but never more than 15 minutes, in real time; one network address that fails
too often waits as a whole. The messages say when to try again and are the same whether an account exists.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest

from tests.conftest import START, WACHTWOORD, Session
from tests.scenario import maak_gebruiker, maak_gemeente

MEDEWERKER = "medewerker@amsterdam.example.nl"
ONJUIST = "Het e-mailadres of wachtwoord is onjuist"
TE_VAAK = "Er is te vaak een verkeerd wachtwoord ingevoerd voor dit e-mailadres. Probeer het over"
ADRES_TE_VAAK = "Vanaf uw netwerkadres is te vaak geprobeerd in te loggen"


@pytest.fixture
def echte_klok(app):
    """The real-time clock of the login counters, fixed so a test can move it without sleeping."""
    from portal.services import inlogpogingen
    from portal.services.klok import FixedClock

    klok = FixedClock(START)
    inlogpogingen.installeer_echte_klok(app, klok)
    return klok


@pytest.fixture
def amsterdam(app, echte_klok) -> None:
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))


def tekst(response) -> str:
    return response.get_data(as_text=True)


def aantal_mislukt(app, email: str) -> int:
    from portal.services import inlogpogingen

    with app.app_context():
        return inlogpogingen.aantal_mislukt(email)


def parallel_inloggen(app, email: str, aantal: int, wachtwoord: str = "fout-wachtwoord") -> list[int]:
    """`aantal` browsers, each with its own client, CSRF token and network address, post the login form at the same
    moment."""
    # Each from its own network address, so only the e-mail address's counter is shared between them.
    sessies = [vanaf(app, f"10.0.0.{i + 1}") for i in range(aantal)]
    tokens = [sessie.csrf("/login") for sessie in sessies]
    start = threading.Barrier(aantal)
    statussen: list[int] = [0] * aantal

    def probeer(i: int) -> None:
        start.wait()
        response = sessies[i].client.post("/login", data={"email": email, "password": wachtwoord,
                                                           "csrf_token": tokens[i]})
        statussen[i] = response.status_code

    threads = [threading.Thread(target=probeer, args=(i,)) for i in range(aantal)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statussen


@pytest.mark.parametrize("app_config", [{"INLOG_MAX_MISLUKT": 1000, "INLOG_ADRES_MAX_MISLUKT": 1000}])
def test_parallel_wrong_logins_are_all_counted_exactly_once_and_none_gives_a_server_error(app, amsterdam):
    statussen = parallel_inloggen(app, MEDEWERKER, 16)
    assert statussen == [401] * 16
    assert aantal_mislukt(app, MEDEWERKER) == 16


@pytest.mark.parametrize("app_config", [{"INLOG_MAX_MISLUKT": 1000, "INLOG_ADRES_MAX_MISLUKT": 1000}])
def test_parallel_first_attempts_for_a_new_address_do_not_fail_on_creating_its_counter(app, echte_klok):
    statussen = parallel_inloggen(app, "nog-nooit-gezien@example.nl", 12)
    assert statussen == [401] * 12
    assert aantal_mislukt(app, "nog-nooit-gezien@example.nl") == 12


def test_a_burst_of_parallel_guesses_gets_no_more_passwords_checked_than_the_limit(app, amsterdam):
    statussen = parallel_inloggen(app, MEDEWERKER, 16)
    # Five guesses are checked (401); the rest arrive while the address waits and are refused unchecked (429).
    assert Counter(statussen) == {401: 5, 429: 11}
    assert aantal_mislukt(app, MEDEWERKER) == 5


def test_after_five_failures_even_the_right_password_waits_and_the_page_says_until_when(session, amsterdam):
    for _ in range(4):
        assert ONJUIST in tekst(session.login(MEDEWERKER, "fout"))
    vijfde = session.login(MEDEWERKER, "fout")
    assert vijfde.status_code == 401
    assert "Probeer het over 30 seconden (om 09:00) opnieuw" in tekst(vijfde)
    juist = session.login(MEDEWERKER)
    assert juist.status_code == 429
    assert juist.headers["Retry-After"] == "30"
    assert TE_VAAK in tekst(juist)
    assert session.client.get("/gemeenten/0363/").status_code == 302  # not logged in


def test_the_owner_logs_in_with_the_right_password_once_the_wait_is_over(session, amsterdam, echte_klok):
    for _ in range(5):
        session.login(MEDEWERKER, "fout")
    echte_klok.advance(timedelta(seconds=29))
    assert session.login(MEDEWERKER).status_code == 429
    echte_klok.advance(timedelta(seconds=1))
    assert session.login(MEDEWERKER).status_code == 302
    assert "Map van Amsterdam" in tekst(session.client.get("/", follow_redirects=True))


def test_every_further_failure_doubles_the_wait_up_to_fifteen_minutes(session, amsterdam, echte_klok):
    for _ in range(5):
        session.login(MEDEWERKER, "fout")
    echte_klok.advance(timedelta(seconds=30))
    wachttijden = []
    for _ in range(7):
        wacht = int(session.login(MEDEWERKER, "fout").headers["Retry-After"])
        wachttijden.append(wacht)
        echte_klok.advance(timedelta(seconds=wacht))
    assert wachttijden == [60, 120, 240, 480, 900, 900, 900]
    assert session.login(MEDEWERKER).status_code == 302


def test_attempts_during_a_wait_are_not_counted_so_they_do_not_lengthen_it(session, amsterdam, echte_klok):
    for _ in range(5):
        session.login(MEDEWERKER, "fout")
    for _ in range(10):
        assert session.login(MEDEWERKER, "fout").status_code == 429
    assert aantal_mislukt(session.client.application, MEDEWERKER) == 5
    echte_klok.advance(timedelta(seconds=30))
    assert session.login(MEDEWERKER).status_code == 302


def test_moving_the_ketentest_clock_neither_ends_nor_lengthens_a_wait(session, amsterdam, clock):
    for _ in range(5):
        session.login(MEDEWERKER, "fout")
    clock.advance(timedelta(days=2))
    assert session.login(MEDEWERKER).status_code == 429


def test_an_unknown_address_waits_with_the_same_answer_so_nobody_learns_which_accounts_exist(session, amsterdam):
    def antwoorden(email: str) -> list[tuple[int, bool, bool, str | None]]:
        return [(r.status_code, ONJUIST in tekst(r), TE_VAAK in tekst(r), r.headers.get("Retry-After"))
                for r in (session.login(email, "fout") for _ in range(7))]

    assert antwoorden(MEDEWERKER) == antwoorden("niemand@amsterdam.example.nl")


def test_a_successful_login_ends_the_series_of_failures(session, amsterdam):
    for _ in range(4):
        session.login(MEDEWERKER, "fout")
    assert session.login(MEDEWERKER).status_code == 302
    session.post("/logout", form_url="/logout")
    for _ in range(4):
        assert session.login(MEDEWERKER, "fout").status_code == 401
    assert session.login(MEDEWERKER).status_code == 302


def test_a_new_password_set_by_a_reset_link_ends_the_wait(session, amsterdam, app):
    from portal.extensions import db
    from portal.services import accounts

    for _ in range(5):
        session.login(MEDEWERKER, "fout")
    with app.app_context():
        token = accounts.herstel_token(accounts.zoek_op_email(MEDEWERKER))
        accounts.herstel_wachtwoord(token, "Een-nieuw-lang-wachtwoord", None)
        db.session.commit()
    assert session.login(MEDEWERKER, "Een-nieuw-lang-wachtwoord").status_code == 302


def test_the_count_is_kept_in_the_database_so_it_holds_across_processes(app, amsterdam, migrated_database, clock,
                                                                        echte_klok):
    from portal import create_app
    from portal.services import inlogpogingen
    from tests.conftest import TEST_SECRET

    ander_proces = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "CLOCK": clock,
                               "SQLALCHEMY_DATABASE_URI": migrated_database, "PORTAL_MODE": "ontwikkeling"})
    inlogpogingen.installeer_echte_klok(ander_proces, echte_klok)
    eerste, tweede = Session(app.test_client()), Session(ander_proces.test_client())
    for _ in range(3):
        eerste.login(MEDEWERKER, "fout")
    for _ in range(2):
        tweede.login(MEDEWERKER, "fout")
    assert TE_VAAK in tekst(eerste.login(MEDEWERKER))


def vanaf(app, adres: str) -> Session:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = adres
    return Session(client)


def test_one_network_address_that_tries_many_accounts_waits_as_a_whole(app, amsterdam, echte_klok):
    aanvaller = vanaf(app, "203.0.113.9")
    for i in range(20):
        assert aanvaller.login(f"gok{i}@amsterdam.example.nl", "fout").status_code == 401
    geweigerd = aanvaller.login(MEDEWERKER)
    assert geweigerd.status_code == 429
    assert ADRES_TE_VAAK in tekst(geweigerd)
    assert geweigerd.headers["Retry-After"] == "900"
    # The owner, from another address, is not held back by the stranger's guesses.
    assert vanaf(app, "198.51.100.4").login(MEDEWERKER).status_code == 302
    echte_klok.advance(timedelta(minutes=15))
    assert aanvaller.login(MEDEWERKER).status_code == 302


def test_a_stranger_cannot_keep_the_owner_out_longer_than_fifteen_minutes(app, amsterdam, echte_klok):
    vreemde, eigenaar = vanaf(app, "203.0.113.9"), vanaf(app, "198.51.100.4")
    # The stranger guesses as often as the account lets them for an hour...
    wacht = 0
    for _ in range(12):
        echte_klok.advance(timedelta(seconds=wacht))
        antwoord = vreemde.login(MEDEWERKER, "fout")
        assert antwoord.status_code == 401
        wacht = int(antwoord.headers.get("Retry-After", 0))
    # ...and the longest the owner has to wait after that is fifteen minutes.
    antwoord = eigenaar.login(MEDEWERKER)
    assert antwoord.status_code == 429
    assert int(antwoord.headers["Retry-After"]) <= 900
    echte_klok.advance(timedelta(seconds=int(antwoord.headers["Retry-After"])))
    assert eigenaar.login(MEDEWERKER).status_code == 302


def test_right_logins_do_not_count_against_the_network_address(app, amsterdam):
    kantoor = vanaf(app, "192.0.2.1")
    for _ in range(25):
        assert kantoor.login(MEDEWERKER, WACHTWOORD).status_code == 302
        kantoor.post("/logout", form_url="/logout")


def test_failed_and_refused_logins_are_in_the_audit_trail(session, amsterdam, app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import AuditEvent

    for _ in range(6):
        session.login(MEDEWERKER, "fout")
    with app.app_context():
        acties = db.session.scalars(select(AuditEvent.actie).order_by(AuditEvent.id)).all()
    assert Counter(acties) == {"gebruiker_aangemaakt": 1, "inloggen_mislukt": 4, "inloggen_geblokkeerd": 2}
