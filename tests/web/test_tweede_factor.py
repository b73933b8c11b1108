"""The second factor (issue 11, point 4): CAK roles must enrol and then give a code after the password; others
may switch it on and off; recovery codes work once; codes are not replayed; wrong codes count like wrong
passwords. The codes are computed with pyotp from the secret the enrolment page shows, on the test's own clock."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from tests.conftest import TotpKlok, geheim_op_pagina
from tests.scenario import api_token, bearer, maak_gebruiker, maak_gemeente, pagina, tekst

CAK = "medewerker@cak.example.nl"
MEDEWERKER = "medewerker@amsterdam.example.nl"
TE_VAAK = "Er is te vaak een verkeerd wachtwoord ingevoerd voor dit e-mailadres. Probeer het over"
CODE_ONJUIST = "De code is onjuist, verlopen of al gebruikt"


@pytest.fixture
def totp_klok() -> TotpKlok:
    return TotpKlok()


@pytest.fixture
def app_config(totp_klok) -> dict[str, object]:
    return {"TOTP_TIJD": totp_klok}


@pytest.fixture
def gebruikers(app) -> None:
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))
        maak_gebruiker(CAK, "cak")


def wachtwoord(session, email: str, next_url: str | None = None):
    """Only the password step, as a user types it."""
    token = session.csrf("/login")
    url = "/login" + (f"?next={next_url}" if next_url else "")
    from tests.conftest import WACHTWOORD
    return session.client.post(url, data={"email": email, "password": WACHTWOORD, "csrf_token": token})


def schrijf_in(session, url: str, klok: TotpKlok) -> tuple[str, list[str]]:
    """Set up the second factor on the enrolment page at `url`: the secret and the recovery codes shown."""
    geheim = geheim_op_pagina(session.client.get(url).get_data(as_text=True))
    antwoord = session.post(url, {"code": pyotp.TOTP(geheim).at(klok())})
    assert antwoord.status_code == 200, antwoord.get_data(as_text=True)
    codes = [tekst(li) for li in pagina(antwoord).xpath("//ul[@data-testid='herstelcodes']/li")]
    return geheim, codes


def code_stap(session, code: str):
    return session.post("/login/code", {"code": code})


@pytest.fixture
def cak_ingeschreven(session, gebruikers, totp_klok) -> tuple[str, list[str]]:
    """The CAK user enrolled at a first login, then logged out: (secret, recovery codes)."""
    assert wachtwoord(session, CAK).headers["Location"] == "/login/tweede-factor-instellen"
    geheim, codes = schrijf_in(session, "/login/tweede-factor-instellen", totp_klok)
    session.post("/logout", form_url="/logout")
    totp_klok.volgende_stap()
    return geheim, codes


def test_a_cak_user_must_set_up_the_second_factor_before_reaching_any_page(session, gebruikers, totp_klok):
    eerst = wachtwoord(session, CAK, next_url="/cak/gemeenten")
    assert eerst.status_code == 302 and eerst.headers["Location"] == "/login/tweede-factor-instellen"
    for adres in ("/cak/", "/gemeenten/0363/", "/account/tweede-factor", "/account/tokens/"):
        assert session.client.get(adres).status_code == 302, adres
        assert session.client.get(adres).headers["Location"].startswith("/login")

    instellen = session.client.get("/login/tweede-factor-instellen")
    boom = pagina(instellen)
    assert instellen.headers["Cache-Control"] == "no-store"
    assert boom.xpath("//div[@data-testid='qr']/svg"), "de QR-code staat als SVG in de pagina"
    geheim = geheim_op_pagina(instellen.get_data(as_text=True))
    assert len(geheim) == 32

    fout = session.post("/login/tweede-factor-instellen", {"code": "000000"})
    assert fout.status_code == 401 and "hoort niet bij de QR-code" in tekst(pagina(fout))
    assert session.client.get("/cak/").status_code == 302

    goed = session.post("/login/tweede-factor-instellen", {"code": pyotp.TOTP(geheim).at(totp_klok())})
    assert goed.status_code == 200
    codes = [tekst(li) for li in pagina(goed).xpath("//ul[@data-testid='herstelcodes']/li")]
    assert len(codes) == 10 == len(set(codes))
    assert pagina(goed).xpath("//a[text()='Ik heb de codes bewaard, verder']/@href") == ["/cak/gemeenten"]
    assert session.client.get("/cak/").status_code == 200


def test_after_enrolment_a_cak_user_logs_in_with_password_and_code(session, cak_ingeschreven, totp_klok):
    geheim, _ = cak_ingeschreven
    eerst = wachtwoord(session, CAK, next_url="/cak/gemeenten")
    assert eerst.headers["Location"] == "/login/code"
    assert session.client.get("/cak/").status_code == 302  # the password alone logs nobody in
    assert "Code invullen" in tekst(pagina(session.client.get("/login/code")))
    antwoord = code_stap(session, pyotp.TOTP(geheim).at(totp_klok()))
    assert antwoord.status_code == 302 and antwoord.headers["Location"] == "/cak/gemeenten"
    assert session.client.get("/cak/").status_code == 200


def test_a_code_of_one_step_early_or_late_is_accepted_but_not_of_two(session, cak_ingeschreven, totp_klok):
    geheim, _ = cak_ingeschreven
    totp = pyotp.TOTP(geheim)
    totp_klok.volgende_stap()  # the enrolment's code is two steps back now
    wachtwoord(session, CAK)
    assert code_stap(session, totp.at(totp_klok() - 60)).status_code == 401
    assert code_stap(session, totp.at(totp_klok() + 60)).status_code == 401
    assert code_stap(session, totp.at(totp_klok() - 30)).status_code == 302
    session.post("/logout", form_url="/logout")
    wachtwoord(session, CAK)
    assert code_stap(session, totp.at(totp_klok() + 30)).status_code == 302


def test_a_code_that_was_used_cannot_be_used_again_within_its_window(session, cak_ingeschreven, totp_klok):
    geheim, _ = cak_ingeschreven
    totp = pyotp.TOTP(geheim)
    wachtwoord(session, CAK)
    assert code_stap(session, totp.at(totp_klok())).status_code == 302
    session.post("/logout", form_url="/logout")

    wachtwoord(session, CAK)
    opnieuw = code_stap(session, totp.at(totp_klok()))
    assert opnieuw.status_code == 401 and CODE_ONJUIST in tekst(pagina(opnieuw))
    ouder = code_stap(session, totp.at(totp_klok() - 30))  # an earlier code, also still in the window
    assert ouder.status_code == 401
    assert session.client.get("/cak/").status_code == 302
    assert code_stap(session, totp.at(totp_klok() + 30)).status_code == 302  # the next code works


def test_wrong_codes_count_like_wrong_passwords_and_slow_the_address_down(session, cak_ingeschreven, totp_klok, app):
    from portal.services import inlogpogingen
    from portal.services.klok import FixedClock
    from tests.conftest import START, WACHTWOORD

    echte_klok = FixedClock(START)   # the waits run on real time; the test moves it without sleeping
    inlogpogingen.installeer_echte_klok(app, echte_klok)
    geheim, _ = cak_ingeschreven
    totp = pyotp.TOTP(geheim)
    assert session.login(CAK, "fout-wachtwoord").status_code == 401
    wachtwoord(session, CAK)   # right: it does not count, but it does not end the series either
    for _ in range(3):
        fout = code_stap(session, "123456")
        assert fout.status_code == 401 and CODE_ONJUIST in tekst(pagina(fout))
    vijfde = code_stap(session, "654321")
    assert vijfde.status_code == 401 and TE_VAAK in tekst(pagina(vijfde))

    # Now the address waits: neither the password nor the waiting login gets in.
    geweigerd = session.login(CAK, WACHTWOORD)
    assert geweigerd.status_code == 429 and TE_VAAK in tekst(pagina(geweigerd))
    geen_wachtende = session.client.get("/login/code")  # the wait ended the waiting login too
    assert geen_wachtende.status_code == 302 and geen_wachtende.headers["Location"] == "/login"
    assert session.client.get("/cak/").status_code == 302

    echte_klok.advance(timedelta(seconds=31))
    assert wachtwoord(session, CAK).headers["Location"] == "/login/code"
    assert code_stap(session, totp.at(totp_klok())).status_code == 302
    assert session.client.get("/cak/").status_code == 200


def test_a_recovery_code_logs_in_once_and_its_use_is_audited(session, cak_ingeschreven, app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import AuditEvent

    _, codes = cak_ingeschreven
    wachtwoord(session, CAK)
    assert code_stap(session, codes[3].upper()).status_code == 302
    assert session.client.get("/cak/").status_code == 200
    assert "nog 9 ongebruikte herstelcodes" in tekst(pagina(session.client.get("/account/tweede-factor")))
    session.post("/logout", form_url="/logout")

    wachtwoord(session, CAK)
    nogmaals = code_stap(session, codes[3])
    assert nogmaals.status_code == 401 and CODE_ONJUIST in tekst(pagina(nogmaals))
    assert code_stap(session, codes[4]).status_code == 302
    with app.app_context():
        gebruikt = db.session.scalars(select(AuditEvent.actor).where(AuditEvent.actie == "herstelcode_gebruikt")).all()
    assert gebruikt == [CAK, CAK]


def test_the_secret_and_recovery_codes_are_not_stored_readably(session, cak_ingeschreven, app):
    import sqlalchemy as sa

    from portal.extensions import db

    geheim, codes = cak_ingeschreven
    with app.app_context():
        rijen = [" ".join(map(str, r)) for tabel in ("tweede_factor", "herstelcode")
                 for r in db.session.execute(sa.text(f"SELECT * FROM {tabel}"))]
    opgeslagen = "\n".join(rijen)
    assert len(rijen) == 11
    assert geheim not in opgeslagen and geheim.lower() not in opgeslagen
    assert not any(code in opgeslagen or code.replace("-", "") in opgeslagen for code in codes)


def test_a_gemeente_user_without_a_second_factor_logs_in_with_the_password_alone(session, gebruikers):
    antwoord = wachtwoord(session, MEDEWERKER)
    assert antwoord.status_code == 302 and antwoord.headers["Location"] == "/"
    assert session.client.get("/gemeenten/0363/").status_code == 200
    assert "staat uit" in tekst(pagina(session.client.get("/account/tweede-factor")))


def test_a_gemeente_user_who_switched_it_on_needs_the_code_and_may_switch_it_off(session, gebruikers, totp_klok):
    wachtwoord(session, MEDEWERKER)
    assert "Tweede factor instellen" in tekst(pagina(session.client.get("/account/tweede-factor")))
    geheim, _ = schrijf_in(session, "/account/tweede-factor/instellen", totp_klok)
    assert "staat aan" in tekst(pagina(session.client.get("/account/tweede-factor")))
    session.post("/logout", form_url="/logout")
    totp_klok.volgende_stap()

    assert wachtwoord(session, MEDEWERKER).headers["Location"] == "/login/code"
    assert session.client.get("/gemeenten/0363/").status_code == 302
    assert code_stap(session, pyotp.TOTP(geheim).at(totp_klok())).status_code == 302

    totp_klok.volgende_stap()
    fout = session.post("/account/tweede-factor/uitzetten", {"code": "111111"}, form_url="/account/tweede-factor")
    assert fout.status_code == 401 and CODE_ONJUIST in tekst(pagina(fout))
    uit = session.post("/account/tweede-factor/uitzetten", {"code": pyotp.TOTP(geheim).at(totp_klok())},
                       form_url="/account/tweede-factor")
    assert uit.status_code == 302
    assert "De tweede factor staat uit" in tekst(pagina(session.client.get(uit.headers["Location"])))
    session.post("/logout", form_url="/logout")
    assert wachtwoord(session, MEDEWERKER).headers["Location"] == "/"


def test_a_cak_user_cannot_switch_the_second_factor_off(session, cak_ingeschreven, totp_klok):
    geheim, _ = cak_ingeschreven
    totp = pyotp.TOTP(geheim)
    wachtwoord(session, CAK)
    code_stap(session, totp.at(totp_klok()))
    assert "kan niet worden uitgezet" in tekst(pagina(session.client.get("/account/tweede-factor")))
    antwoord = session.post("/account/tweede-factor/uitzetten", {"code": totp.at(totp_klok() + 30)},
                            form_url="/account/tweede-factor")
    assert antwoord.status_code == 403 and "verplicht" in tekst(pagina(antwoord))
    session.post("/logout", form_url="/logout")
    assert wachtwoord(session, CAK).headers["Location"] == "/login/code"


def test_the_wait_for_the_code_expires_after_five_minutes(session, cak_ingeschreven, totp_klok):
    geheim, _ = cak_ingeschreven
    wachtwoord(session, CAK)
    totp_klok.tijd += 5 * 60 + 1
    antwoord = session.post("/login/code", {"code": pyotp.TOTP(geheim).at(totp_klok())}, form_url="/login")
    assert antwoord.status_code == 302 and antwoord.headers["Location"] == "/login"
    assert "Uw inlogpoging is verlopen" in tekst(pagina(session.client.get("/login")))
    assert session.client.get("/cak/").status_code == 302


def test_a_cak_session_without_a_second_factor_is_sent_back_to_log_in(client, gebruikers, app):
    from portal.services import accounts

    with app.app_context():
        user_id = accounts.zoek_op_email(CAK).id
    with client.session_transaction() as sessie:  # a session from before the second factor was required
        sessie["_user_id"] = str(user_id)
        sessie["_fresh"] = True
    antwoord = client.get("/cak/")
    assert antwoord.status_code == 302 and antwoord.headers["Location"].startswith("/login")
    assert client.get("/cak/").status_code == 302


def test_the_api_with_a_bearer_token_asks_no_second_factor(client, gebruikers, app):
    with app.app_context():
        token = api_token(CAK)
    assert client.get("/api/v1/gemeenten/0363/bestanden", headers=bearer(token)).status_code == 200


def test_the_command_line_wipes_a_lost_second_factor_and_the_cak_user_enrols_anew(session, cak_ingeschreven, app):
    from portal.cli import cli

    onbekend = app.test_cli_runner().invoke(cli, ["user", "tweede-factor-wissen", "--email", "niemand@cak.example.nl"])
    assert onbekend.exit_code == 1 and "Er is geen gebruiker met e-mailadres niemand@cak.example.nl" in onbekend.output
    gewist = app.test_cli_runner().invoke(cli, ["user", "tweede-factor-wissen", "--email", CAK])
    assert gewist.exit_code == 0, gewist.output
    assert f"De tweede factor van {CAK} is gewist." in gewist.output
    assert wachtwoord(session, CAK).headers["Location"] == "/login/tweede-factor-instellen"
