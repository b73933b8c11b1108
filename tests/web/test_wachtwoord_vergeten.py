"""Wachtwoord vergeten: a link by e-mail that works once and for an hour of the portal's clock, the same answer
whether the address has an account or not, a new password with Dutch errors at the field, and logging in with it."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from tests.conftest import WACHTWOORD
from tests.scenario import MEDEWERKER, element, maak_gebruiker, maak_gemeente, mails, pagina, tekst

NIEUW = "Een-nieuw-wachtwoord-42"
ANTWOORD = "Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail"
ONGELDIG = "Deze link om een nieuw wachtwoord in te stellen werkt niet meer"


@pytest.fixture
def amsterdam(app) -> None:
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))


def vraag_aan(session, email: str):
    return session.post("/wachtwoord-vergeten", {"email": email})


def herstelmails(app) -> list:
    with app.app_context():
        return [(m.aan, m.onderwerp, m.tekst) for m in mails("Wachtwoord herstellen")]


def link_uit(tekst_: str) -> str:
    """The path of the reset link in a mail."""
    [link] = re.findall(r"https?://\S+", tekst_)
    return urlsplit(link).path


def herstellink(app, session) -> str:
    vraag_aan(session, MEDEWERKER)
    return link_uit(herstelmails(app)[-1][2])


def zet_wachtwoord(session, link: str, wachtwoord: str = NIEUW, herhaling: str | None = None):
    return session.post(link, {"password": wachtwoord, "herhaling": wachtwoord if herhaling is None else herhaling})


def acties(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.actie).order_by(AuditEvent.id)))


def test_the_login_page_links_to_wachtwoord_vergeten(client):
    [link] = pagina(client.get("/login")).xpath("//main//a[text()='Wachtwoord vergeten?']")
    assert link.get("href") == "/wachtwoord-vergeten"
    assert client.get("/wachtwoord-vergeten").status_code == 200


def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_the_known_one_a_mail(app, session, amsterdam):
    bekend = vraag_aan(session, "Medewerker@Amsterdam.example.nl")
    onbekend = vraag_aan(session, "niemand@amsterdam.example.nl")
    assert bekend.status_code == onbekend.status_code == 302
    assert bekend.headers["Location"] == onbekend.headers["Location"] == "/wachtwoord-vergeten/aangevraagd"
    antwoord = session.client.get(bekend.headers["Location"])
    assert ANTWOORD in tekst(element(pagina(antwoord), "inhoud"))
    [(aan, onderwerp, _)] = herstelmails(app)
    assert aan == [MEDEWERKER] and onderwerp == "Nieuw wachtwoord instellen voor het BW-portaal"


def test_the_mail_holds_a_link_to_set_a_new_password_and_the_user_logs_in_with_it(app, session, amsterdam):
    link = herstellink(app, session)
    formulier = pagina(session.client.get(link))
    assert tekst(formulier.xpath("//*[@data-testid='account']")[0]) == MEDEWERKER
    opgeslagen = zet_wachtwoord(session, link)
    assert opgeslagen.status_code == 302 and opgeslagen.headers["Location"] == "/login"
    assert "Uw nieuwe wachtwoord is opgeslagen." in session.client.get("/login").get_data(as_text=True)
    assert session.login(MEDEWERKER, WACHTWOORD).status_code == 401
    assert session.login(MEDEWERKER, NIEUW).status_code == 302
    assert "Map van Amsterdam" in session.client.get("/", follow_redirects=True).get_data(as_text=True)


def test_the_mail_says_until_when_the_link_works_by_the_portal_clock(app, session, amsterdam):
    vraag_aan(session, MEDEWERKER)
    [(_, _, inhoud)] = herstelmails(app)
    # The test clock stands on 19-09-2022 09:00.
    assert "De link werkt één keer en is geldig tot 19-09-2022 10:00." in " ".join(inhoud.split())


def test_the_link_works_only_once(app, session, amsterdam):
    link = herstellink(app, session)
    zet_wachtwoord(session, link)
    nogmaals = session.client.get(link)
    assert nogmaals.status_code == 400
    assert ONGELDIG in tekst(pagina(nogmaals).xpath("//main")[0])
    # Posting the form again with the used link changes nothing either.
    nog_een = session.post(link, {"password": "Nog-een-ander-wachtwoord", "herhaling": "Nog-een-ander-wachtwoord"},
                           form_url="/wachtwoord-vergeten")
    assert nog_een.status_code == 400
    assert session.login(MEDEWERKER, NIEUW).status_code == 302


def test_the_link_expires_after_an_hour_of_the_portal_clock(app, session, amsterdam, clock):
    link = herstellink(app, session)
    clock.advance(timedelta(minutes=59, seconds=59))
    assert session.client.get(link).status_code == 200
    clock.advance(timedelta(seconds=2))
    verlopen = session.client.get(link)
    assert verlopen.status_code == 400 and ONGELDIG in verlopen.get_data(as_text=True)
    assert session.login(MEDEWERKER, WACHTWOORD).status_code == 302


def test_a_damaged_link_is_refused(app, session, amsterdam):
    link = herstellink(app, session)
    beschadigd = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    for pad in (beschadigd, "/wachtwoord-herstellen/zomaar-iets"):
        response = session.client.get(pad)
        assert response.status_code == 400 and ONGELDIG in response.get_data(as_text=True)


def test_a_too_short_password_gets_a_dutch_error_at_the_field_and_in_the_summary(app, session, amsterdam):
    link = herstellink(app, session)
    boom = pagina(zet_wachtwoord(session, link, "kort"))
    melding = ("Het wachtwoord is te kort: gebruik minstens 12 tekens. Een zin van een paar woorden is lang en goed "
               "te onthouden.")
    assert [(tekst(a), a.get("href")) for a in boom.xpath("//div[@class='foutoverzicht']//a")] == [
        (melding, "#password")]
    veld = element(boom, "password")
    assert veld.get("aria-invalid") == "true"
    assert veld.get("aria-describedby") == "password-hulp password-fout"
    assert tekst(element(boom, "password-fout")) == melding
    assert session.login(MEDEWERKER, WACHTWOORD).status_code == 302


@pytest.mark.parametrize(("wachtwoord", "melding"), [
    ("Welkom123456", "Dit wachtwoord komt voor op de lijst van veelgebruikte wachtwoorden"),
    ("medewerker@amsterdam.example.nl", "Het wachtwoord is (een deel van) uw e-mailadres"),
    ("Medewerker2024", "Het wachtwoord is (een deel van) uw e-mailadres"),
])
def test_a_common_password_or_the_email_address_is_refused_at_the_field(app, session, amsterdam, wachtwoord,
                                                                          melding):
    link = herstellink(app, session)
    antwoord = zet_wachtwoord(session, link, wachtwoord)
    assert antwoord.status_code == 422
    assert tekst(element(pagina(antwoord), "password-fout")).startswith(melding)
    # Nothing changed: the old password still works, and so does the link.
    assert session.login(MEDEWERKER, WACHTWOORD).status_code == 302
    session.post("/logout", form_url="/logout")
    assert zet_wachtwoord(session, link).status_code == 302
    assert session.login(MEDEWERKER, NIEUW).status_code == 302


def test_two_different_passwords_get_a_dutch_error_at_the_repetition(app, session, amsterdam):
    link = herstellink(app, session)
    boom = pagina(zet_wachtwoord(session, link, NIEUW, NIEUW + "!"))
    assert element(boom, "herhaling").get("aria-invalid") == "true"
    assert tekst(element(boom, "herhaling-fout")).startswith("De twee wachtwoorden zijn niet gelijk.")
    assert element(boom, "password").get("aria-invalid") is None
    # The link still works: nothing was changed.
    assert zet_wachtwoord(session, link).status_code == 302


def test_an_address_that_is_no_address_gets_a_dutch_error_at_the_field(app, session, amsterdam):
    boom = pagina(vraag_aan(session, "medewerker"))
    assert tekst(element(boom, "email-fout")) == "Vul een volledig e-mailadres in, zoals naam@gemeente.nl."
    assert element(boom, "email").get("aria-invalid") == "true"
    assert herstelmails(app) == []


def test_a_deactivated_account_gets_the_same_answer_and_no_mail(app, session, amsterdam):
    from portal.services.accounts import zoek_op_email

    with app.app_context():
        zoek_op_email(MEDEWERKER).active = False
        db.session.commit()
    response = vraag_aan(session, MEDEWERKER)
    assert response.headers["Location"] == "/wachtwoord-vergeten/aangevraagd"
    assert herstelmails(app) == []


def test_more_than_three_requests_in_an_hour_send_no_more_mails(app, session, amsterdam, clock):
    for _ in range(4):
        assert vraag_aan(session, MEDEWERKER).headers["Location"] == "/wachtwoord-vergeten/aangevraagd"
        clock.advance(timedelta(minutes=5))
    assert len(herstelmails(app)) == 3
    assert acties(app)[-1] == "wachtwoordherstel_beperkt"
    clock.advance(timedelta(minutes=45))
    vraag_aan(session, MEDEWERKER)
    assert len(herstelmails(app)) == 4


def test_a_new_password_ends_a_login_lockout(app, session, amsterdam):
    for _ in range(5):
        session.login(MEDEWERKER, "fout")
    assert session.login(MEDEWERKER, WACHTWOORD).status_code == 429
    zet_wachtwoord(session, herstellink(app, session))
    assert session.login(MEDEWERKER, NIEUW).status_code == 302


def test_every_request_and_every_new_password_is_in_the_audit_trail(app, session, amsterdam):
    vraag_aan(session, "niemand@amsterdam.example.nl")
    zet_wachtwoord(session, herstellink(app, session))
    assert acties(app)[-3:] == ["wachtwoordherstel_onbekend", "wachtwoordherstel_gemaild", "wachtwoord_hersteld"]
    with app.app_context():
        onbekend = db.session.scalar(select(AuditEvent).where(AuditEvent.actie == "wachtwoordherstel_onbekend"))
        assert onbekend.actor == "niemand@amsterdam.example.nl" and onbekend.details["reden"] == "geen account"


def test_both_forms_refuse_a_post_without_the_csrf_field(app, session, amsterdam):
    assert session.client.post("/wachtwoord-vergeten", data={"email": MEDEWERKER}).status_code == 400
    assert herstelmails(app) == []
    link = herstellink(app, session)
    assert session.client.post(link, data={"password": NIEUW, "herhaling": NIEUW}).status_code == 400
    assert session.login(MEDEWERKER, NIEUW).status_code == 401


def test_the_cak_outbox_does_not_show_the_reset_link_outside_the_ketentest(app, session, amsterdam):
    link = herstellink(app, session)
    with app.app_context():
        maak_gebruiker("cak@cak.example.nl", rol="cak")
        [herstel] = mails("Wachtwoord herstellen")
        mail_id = herstel.id
    session.login("cak@cak.example.nl")

    pagina_ = tekst(session.client.get(f"/cak/uitbak/{mail_id}").get_data(as_text=True))

    assert link not in pagina_
    assert "De tekst van deze e-mail wordt hier niet getoond: er staat een persoonlijke link in" in pagina_


def test_a_login_with_a_very_long_address_gets_the_dutch_message_not_an_error(session, amsterdam):
    response = session.login("a" * 120 + "@amsterdam.example.nl", "verkeerd")

    assert response.status_code == 401
    assert "Het e-mailadres of wachtwoord is onjuist" in response.get_data(as_text=True)
