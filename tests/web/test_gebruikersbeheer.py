"""A gemeente's beheerder runs its own users through the screens: inviting (the mail's link sets the password
once), switching accounts off (then the login is refused) and on, linking and unlinking a software supplier,
and granting or refusing access requests, with a mail to the requester either way. Every change is audited."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.services.accounts import ONJUIST
from tests.conftest import Session
from tests.scenario import (
    BEHEER,
    MEDEWERKER,
    element,
    leverende_gemeente,
    maak_gebruiker,
    mails,
    pagina,
    tekst,
)

BEHEERDER = "beheer@amsterdam.example.nl"
LEVERANCIER = "support@leverancier.example.nl"
NIEUW = "nieuw@amsterdam.example.nl"
AANVRAGER = "aanvrager@amsterdam.example.nl"
NIEUW_WACHTWOORD = "Een-goed-wachtwoord-42"


@pytest.fixture
def amsterdam(app) -> None:
    """Amsterdam with a medewerker and a beheerder, Utrecht with its own, a supplier for Utrecht, the CAK."""
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", clients=0)
        leverende_gemeente("0344", "Utrecht", clients=0)
        maak_gebruiker(BEHEERDER, "gemeente_beheerder", gemeenten=("0363",))
        maak_gebruiker("beheer@utrecht.example.nl", "gemeente_beheerder", gemeenten=("0344",))
        maak_gebruiker(LEVERANCIER, "leverancier", gemeenten=("0344",))


def ingelogd(app, email: str) -> Session:
    sessie = Session(app.test_client())
    assert sessie.login(email).status_code == 302
    return sessie


def gebruikerspagina(sessie: Session, code: str = "0363"):
    antwoord = sessie.client.get(f"/gemeenten/{code}/gebruikers")
    assert antwoord.status_code == 200
    return pagina(antwoord)


def rij_van(boom, email: str) -> str:
    [rij] = boom.xpath(f'//tr[@data-gebruiker="{email}"]')
    return tekst(rij)


def meldingen(antwoord) -> str:
    return " ".join(tekst(m) for m in pagina(antwoord).xpath('//*[contains(@class, "melding")]'))


def nodig_uit(sessie: Session, email: str = NIEUW, naam: str = "Nieuwe Collega", rol: str = "gemeente",
              code: str = "0363", **kwargs):
    return sessie.post(f"/gemeenten/{code}/gebruikers/uitnodigen",
                       {"uitnodiging-email": email, "uitnodiging-naam": naam, "uitnodiging-rol": rol},
                       form_url=f"/gemeenten/{code}/gebruikers", **kwargs)


def link_uit(inhoud: str) -> str:
    [link] = [regel for regel in re.findall(r"https?://\S+", inhoud) if "/uitnodiging/" in regel]
    return urlsplit(link).path


def mailteksten(app, soort: str) -> list[tuple[list[str], str, str]]:
    with app.app_context():
        return [(m.aan, m.onderwerp, m.tekst) for m in mails(soort)]


def zet_wachtwoord(client, link: str, wachtwoord: str = NIEUW_WACHTWOORD, herhaling: str | None = None):
    sessie = Session(client)
    return sessie.post(link, {"password": wachtwoord, "herhaling": wachtwoord if herhaling is None else herhaling})


def audit(app, actie: str) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.actie == actie)))
        db.session.expunge_all()
        return events


def gebruiker_id(app, email: str) -> int:
    from tests.scenario import gebruiker
    with app.app_context():
        return gebruiker(email).id


# ---------------------------------------------------------------- invite

def test_the_beheerder_sees_its_users_with_role_status_and_last_login(app, amsterdam):
    ingelogd(app, MEDEWERKER)
    beheerder = ingelogd(app, BEHEERDER)
    boom = gebruikerspagina(beheerder)
    assert "Gebruikers van Amsterdam" in tekst(boom.xpath("//h1")[0])
    medewerker = rij_van(boom, MEDEWERKER)
    assert "medewerker gemeente" in medewerker and "actief" in medewerker and "19-09-2022 09:00" in medewerker
    assert "beheerder gemeente" in rij_van(boom, BEHEERDER)
    assert "U kunt uw eigen account niet uitschakelen" in rij_van(boom, BEHEERDER)
    assert "Er is geen softwareleverancier gekoppeld." in tekst(boom)


def test_the_folder_and_the_menu_lead_a_beheerder_to_the_users_page_and_a_medewerker_not(app, amsterdam):
    beheerder = pagina(ingelogd(app, BEHEERDER).client.get("/gemeenten/0363/"))
    assert beheerder.xpath("//nav//a[@href='/gemeenten/0363/gebruikers']")
    assert beheerder.xpath("//main//a[@href='/gemeenten/0363/gebruikers']")
    medewerker = pagina(ingelogd(app, MEDEWERKER).client.get("/gemeenten/0363/"))
    assert not medewerker.xpath("//a[@href='/gemeenten/0363/gebruikers']")


def test_an_invitation_mails_a_link_that_sets_the_password_once_and_then_the_user_logs_in(app, amsterdam):
    beheerder = ingelogd(app, BEHEERDER)
    antwoord = nodig_uit(beheerder)
    assert antwoord.status_code == 302
    volgende = beheerder.client.get(antwoord.headers["Location"])
    assert f"{NIEUW} is uitgenodigd als medewerker gemeente van Amsterdam" in meldingen(volgende)
    assert "uitgenodigd, nog geen wachtwoord" in rij_van(pagina(volgende), NIEUW)

    [(aan, onderwerp, inhoud)] = mailteksten(app, "Uitnodiging")
    assert aan == [NIEUW] and onderwerp == "Uitnodiging voor het BW-portaal: Amsterdam"
    assert "geldig tot 26-09-2022 09:00" in " ".join(inhoud.split())
    link = link_uit(inhoud)

    bezoeker = Session(app.test_client())
    assert bezoeker.login(NIEUW, NIEUW_WACHTWOORD).status_code == 401
    formulier = pagina(bezoeker.client.get(link))
    assert tekst(formulier.xpath("//*[@data-testid='account']")[0]) == NIEUW
    gezet = zet_wachtwoord(bezoeker.client, link)
    assert gezet.status_code == 302 and gezet.headers["Location"] == "/login"
    assert "Uw wachtwoord is ingesteld" in bezoeker.client.get("/login").get_data(as_text=True)
    assert bezoeker.login(NIEUW, NIEUW_WACHTWOORD).status_code == 302
    assert "Map van Amsterdam" in bezoeker.client.get("/", follow_redirects=True).get_data(as_text=True)

    nogmaals = Session(app.test_client()).client.get(link)
    assert nogmaals.status_code == 400
    assert "Deze uitnodiging is al gebruikt" in tekst(element(pagina(nogmaals), "inhoud"))
    assert "actief" in rij_van(gebruikerspagina(beheerder), NIEUW)
    [event] = audit(app, "uitnodiging_verstuurd")
    assert event.actor == BEHEERDER and event.details["email"] == NIEUW and event.gemeente_id is not None


def test_an_invitation_link_expires_after_seven_days_and_says_what_to_do(app, amsterdam, clock):
    nodig_uit(ingelogd(app, BEHEERDER))
    link = link_uit(mailteksten(app, "Uitnodiging")[0][2])
    clock.advance(timedelta(days=7, seconds=1))
    verlopen = app.test_client().get(link)
    assert verlopen.status_code == 400
    assert ("Deze uitnodiging is verlopen: de link werkte tot 26-09-2022 09:00. Vraag de beheerder van uw gemeente "
            "om u opnieuw uit te nodigen") in tekst(element(pagina(verlopen), "inhoud"))


def test_a_damaged_invitation_link_is_refused_in_dutch(app, amsterdam):
    verkeerd = app.test_client().get("/uitnodiging/zomaar-iets")
    assert verkeerd.status_code == 400
    assert "Deze link klopt niet of is niet compleet" in verkeerd.get_data(as_text=True)


def test_a_password_that_is_too_short_or_not_repeated_is_refused_at_the_field(app, amsterdam):
    nodig_uit(ingelogd(app, BEHEERDER))
    link = link_uit(mailteksten(app, "Uitnodiging")[0][2])
    client = app.test_client()
    kort = zet_wachtwoord(client, link, "kort")
    assert kort.status_code == 422
    assert "gebruik minstens 12 tekens" in tekst(pagina(kort).xpath("//*[@id='password-fout']")[0])
    veelgebruikt = zet_wachtwoord(client, link, "wachtwoord2024")
    assert veelgebruikt.status_code == 422
    assert "lijst van veelgebruikte wachtwoorden" in tekst(pagina(veelgebruikt).xpath("//*[@id='password-fout']")[0])
    anders = zet_wachtwoord(client, link, NIEUW_WACHTWOORD, "iets-heel-anders")
    assert "niet gelijk" in tekst(pagina(anders).xpath("//*[@id='herhaling-fout']")[0])


def test_an_invitation_with_errors_shows_them_at_the_fields(app, amsterdam):
    antwoord = nodig_uit(ingelogd(app, BEHEERDER), email="geen-adres", naam="")
    assert antwoord.status_code == 422
    boom = pagina(antwoord)
    assert "Vul de naam in" in tekst(boom.xpath("//*[@id='uitnodiging-naam-fout']")[0])
    assert "volledig e-mailadres" in tekst(boom.xpath("//*[@id='uitnodiging-email-fout']")[0])
    assert boom.xpath("//*[@data-testid='foutoverzicht']")
    assert mailteksten(app, "Uitnodiging") == []


def test_a_beheerder_cannot_give_a_cak_role(app, amsterdam):
    antwoord = nodig_uit(ingelogd(app, BEHEERDER), rol="cak_beheerder")
    assert antwoord.status_code == 422
    assert "Kies een rol uit de lijst" in tekst(pagina(antwoord).xpath("//*[@id='uitnodiging-rol-fout']")[0])
    opties = pagina(antwoord).xpath("//select[@id='uitnodiging-rol']/option/@value")
    assert opties == ["gemeente", "gemeente_beheerder", "leverancier"]


def test_inviting_an_existing_account_links_it_or_says_what_is_the_matter(app, amsterdam):
    beheerder = ingelogd(app, BEHEERDER)
    utrechter = "medewerker@utrecht.example.nl"
    assert nodig_uit(beheerder, email=utrechter).status_code == 302
    assert "heeft nu ook toegang tot Amsterdam" in meldingen(beheerder.client.get("/gemeenten/0363/gebruikers"))
    [(aan, _, inhoud)] = mailteksten(app, "Toegang verleend")
    assert aan == [utrechter] and "U heeft toegang gekregen tot Amsterdam" in inhoud
    ander = ingelogd(app, utrechter)
    assert ander.client.get("/gemeenten/0363/").status_code == 200

    al = nodig_uit(beheerder, email=MEDEWERKER)
    assert "heeft al toegang tot Amsterdam" in tekst(pagina(al).xpath("//*[@id='uitnodiging-email-fout']")[0])
    rol = nodig_uit(beheerder, email="beheer@utrecht.example.nl", rol="gemeente")
    assert "heeft al een account als beheerder gemeente" in tekst(
        pagina(rol).xpath("//*[@id='uitnodiging-rol-fout']")[0])
    cak = nodig_uit(beheerder, email=BEHEER)
    assert "is een account van het CAK" in tekst(pagina(cak).xpath("//*[@id='uitnodiging-email-fout']")[0])


def test_with_htmx_the_invitation_answers_the_panel_in_place(app, amsterdam):
    antwoord = nodig_uit(ingelogd(app, BEHEERDER), headers={"HX-Request": "true"})
    assert antwoord.status_code == 200
    inhoud = antwoord.get_data(as_text=True)
    assert inhoud.lstrip().startswith('<div id="gebruikersbeheer">') and "<html" not in inhoud
    assert f"{NIEUW} is uitgenodigd" in inhoud
    fout = nodig_uit(ingelogd(app, BEHEERDER), email="", headers={"HX-Request": "true"})
    assert fout.status_code == 200 and "Vul het e-mailadres in" in fout.get_data(as_text=True)


# ---------------------------------------------------------------- deactivate

def test_a_switched_off_user_cannot_log_in_and_is_logged_out(app, amsterdam):
    medewerker = ingelogd(app, MEDEWERKER)
    beheerder = ingelogd(app, BEHEERDER)
    uit = beheerder.post(f"/gemeenten/0363/gebruikers/{gebruiker_id(app, MEDEWERKER)}/uitschakelen",
                         form_url="/gemeenten/0363/gebruikers")
    assert uit.status_code == 302
    na = beheerder.client.get(uit.headers["Location"])
    assert f"{MEDEWERKER} is uitgeschakeld en kan niet meer inloggen." in meldingen(na)
    assert "uitgeschakeld" in rij_van(pagina(na), MEDEWERKER)
    assert "Weer inschakelen" in rij_van(pagina(na), MEDEWERKER)

    assert medewerker.client.get("/gemeenten/0363/").status_code == 302   # to the login page
    opnieuw = Session(app.test_client()).login(MEDEWERKER)
    # The same answer as a wrong password: the login form tells nobody which accounts exist.
    assert opnieuw.status_code == 401 and ONJUIST in tekst(element(pagina(opnieuw), "inhoud"))

    aan = beheerder.post(f"/gemeenten/0363/gebruikers/{gebruiker_id(app, MEDEWERKER)}/inschakelen",
                         form_url="/gemeenten/0363/gebruikers")
    assert aan.status_code == 302
    assert Session(app.test_client()).login(MEDEWERKER).status_code == 302
    assert [e.actie for e in audit(app, "gebruiker_uitgeschakeld") + audit(app, "gebruiker_ingeschakeld")] == [
        "gebruiker_uitgeschakeld", "gebruiker_ingeschakeld"]


def test_a_beheerder_cannot_switch_off_itself_or_the_last_beheerder(app, amsterdam):
    beheerder = ingelogd(app, BEHEERDER)
    zelf = beheerder.post(f"/gemeenten/0363/gebruikers/{gebruiker_id(app, BEHEERDER)}/uitschakelen",
                          form_url="/gemeenten/0363/gebruikers", follow_redirects=True)
    assert "U kunt uw eigen account niet uitschakelen" in meldingen(zelf)
    cak = ingelogd(app, BEHEER)
    laatste = cak.post(f"/gemeenten/0363/gebruikers/{gebruiker_id(app, BEHEERDER)}/uitschakelen",
                       form_url="/gemeenten/0363/gebruikers", follow_redirects=True)
    assert f"{BEHEERDER} is de enige actieve beheerder van Amsterdam" in meldingen(laatste)
    assert Session(app.test_client()).login(BEHEERDER).status_code == 302


def test_switching_off_an_invited_user_withdraws_the_link_and_switching_on_sends_a_new_one(app, amsterdam):
    beheerder = ingelogd(app, BEHEERDER)
    nodig_uit(beheerder)
    eerste = link_uit(mailteksten(app, "Uitnodiging")[0][2])
    beheerder.post(f"/gemeenten/0363/gebruikers/{gebruiker_id(app, NIEUW)}/uitschakelen",
                   form_url="/gemeenten/0363/gebruikers")
    assert "ingetrokken" in app.test_client().get(eerste).get_data(as_text=True)
    assert "Uitnodiging opnieuw sturen" in rij_van(gebruikerspagina(beheerder), NIEUW)
    beheerder.post(f"/gemeenten/0363/gebruikers/{gebruiker_id(app, NIEUW)}/inschakelen",
                   form_url="/gemeenten/0363/gebruikers")
    tweede = link_uit(mailteksten(app, "Uitnodiging")[1][2])
    assert zet_wachtwoord(app.test_client(), tweede).status_code == 302
    assert Session(app.test_client()).login(NIEUW, NIEUW_WACHTWOORD).status_code == 302


# ---------------------------------------------------------------- delegate

def test_a_linked_supplier_sees_the_gemeente_and_after_unlinking_gets_not_found(app, amsterdam):
    leverancier = ingelogd(app, LEVERANCIER)
    assert leverancier.client.get("/gemeenten/0363/").status_code == 404
    beheerder = ingelogd(app, BEHEERDER)
    koppel = beheerder.post("/gemeenten/0363/leveranciers", {"leverancier-email": LEVERANCIER.upper()},
                            form_url="/gemeenten/0363/gebruikers")
    assert koppel.status_code == 302
    boom = gebruikerspagina(beheerder)
    assert LEVERANCIER in tekst(boom.xpath("//table[@data-testid='leveranciers']")[0])
    assert leverancier.client.get("/gemeenten/0363/").status_code == 200
    assert leverancier.client.get("/gemeenten/0344/").status_code == 200   # still Utrecht's too

    los = beheerder.post(f"/gemeenten/0363/leveranciers/{gebruiker_id(app, LEVERANCIER)}/ontkoppelen",
                         form_url="/gemeenten/0363/gebruikers")
    assert los.status_code == 302
    assert leverancier.client.get("/gemeenten/0363/").status_code == 404
    assert leverancier.client.get("/gemeenten/0344/").status_code == 200
    assert [e.actie for e in audit(app, "leverancier_gekoppeld") + audit(app, "leverancier_ontkoppeld")] == [
        "leverancier_gekoppeld", "leverancier_ontkoppeld"]


def test_linking_an_address_that_is_no_supplier_says_what_to_do(app, amsterdam):
    antwoord = ingelogd(app, BEHEERDER).post("/gemeenten/0363/leveranciers", {"leverancier-email": MEDEWERKER},
                                            form_url="/gemeenten/0363/gebruikers")
    assert antwoord.status_code == 422
    assert "Er is geen softwareleverancier met e-mailadres" in tekst(
        pagina(antwoord).xpath("//*[@id='leverancier-email-fout']")[0])


def test_a_gemeente_beheerder_cannot_switch_off_a_supplier_that_works_for_other_gemeenten(app, amsterdam):
    beheerder = ingelogd(app, BEHEERDER)
    beheerder.post("/gemeenten/0363/leveranciers", {"leverancier-email": LEVERANCIER},
                   form_url="/gemeenten/0363/gebruikers")
    uit = beheerder.post(f"/gemeenten/0363/gebruikers/{gebruiker_id(app, LEVERANCIER)}/uitschakelen",
                         form_url="/gemeenten/0363/gebruikers", follow_redirects=True)
    assert "werkt ook voor andere gemeenten" in meldingen(uit)
    assert Session(app.test_client()).login(LEVERANCIER).status_code == 302


# ---------------------------------------------------------------- access requests

def vraag_toegang(client, email: str = AANVRAGER, gemeente: str = "0363", rol: str = "gemeente",
                  reden: str = "Ik ben de nieuwe contactpersoon Beschermd Wonen."):
    return Session(client).post("/toegang-aanvragen", {"naam": "Anna Aanvrager", "email": email,
                                                       "gemeente": gemeente, "rol": rol, "reden": reden})


def test_the_login_page_links_to_the_access_request_form(client):
    [link] = pagina(client.get("/login")).xpath("//main//a[text()='Toegang aanvragen']")
    assert link.get("href") == "/toegang-aanvragen"


def test_an_access_request_gets_the_same_answer_for_a_known_and_an_unknown_address(app, amsterdam):
    onbekend = vraag_toegang(app.test_client())
    bekend = vraag_toegang(app.test_client(), email=MEDEWERKER)
    assert onbekend.status_code == bekend.status_code == 302
    assert onbekend.headers["Location"] == bekend.headers["Location"] == "/toegang-aanvragen/verstuurd"
    bevestiging = app.test_client().get("/toegang-aanvragen/verstuurd")
    assert "Uw verzoek is ontvangen" in tekst(element(pagina(bevestiging), "inhoud"))
    ontvangen = mailteksten(app, "Toegangsverzoek ontvangen")
    assert len(ontvangen) == 2
    assert ontvangen[0][0] == sorted([BEHEERDER, BEHEER])
    assert "Anna Aanvrager (aanvrager@amsterdam.example.nl) vraagt toegang tot Amsterdam" in ontvangen[0][2]


def test_an_access_request_with_errors_shows_them_at_the_fields(app, amsterdam):
    antwoord = vraag_toegang(app.test_client(), email="", gemeente="9999", reden="")
    assert antwoord.status_code == 422
    boom = pagina(antwoord)
    assert "Vul uw e-mailadres in" in tekst(boom.xpath("//*[@id='email-fout']")[0])
    assert "Schrijf kort waarom" in tekst(boom.xpath("//*[@id='reden-fout']")[0])
    goed_behalve_gemeente = vraag_toegang(app.test_client(), gemeente="9999")
    assert goed_behalve_gemeente.status_code == 422
    assert "Kies uit de lijst de gemeente" in tekst(pagina(goed_behalve_gemeente).xpath("//*[@id='gemeente-fout']")[0])


def test_a_granted_request_invites_the_requester_who_then_logs_in(app, amsterdam):
    vraag_toegang(app.test_client())
    beheerder = ingelogd(app, BEHEERDER)
    boom = gebruikerspagina(beheerder)
    [verzoek] = boom.xpath(f"//article[@data-verzoek='{AANVRAGER}']")
    assert "Ik ben de nieuwe contactpersoon" in tekst(verzoek)
    verzoek_id = verzoek.get("id").removeprefix("verzoek-")
    verleend = beheerder.post(f"/toegangsverzoeken/{verzoek_id}/verlenen", {"terug": "gemeente"},
                              form_url="/gemeenten/0363/gebruikers", follow_redirects=True)
    assert "Het verzoek van Anna Aanvrager is verleend" in meldingen(verleend)
    assert "Er zijn geen open verzoeken om toegang." in tekst(pagina(verleend))
    [(aan, _, inhoud)] = mailteksten(app, "Uitnodiging")
    assert aan == [AANVRAGER] and "Uw verzoek om toegang tot Amsterdam in het BW-portaal is verleend" in inhoud
    assert zet_wachtwoord(app.test_client(), link_uit(inhoud)).status_code == 302
    assert Session(app.test_client()).login(AANVRAGER, NIEUW_WACHTWOORD).status_code == 302
    assert [e.actor for e in audit(app, "toegangsverzoek_verleend")] == [BEHEERDER]


def test_a_refused_request_needs_a_reason_and_mails_it_to_the_requester(app, amsterdam):
    vraag_toegang(app.test_client(), rol="leverancier")
    cak = ingelogd(app, BEHEER)
    boom = pagina(cak.client.get("/cak/toegangsverzoeken"))
    [verzoek] = boom.xpath(f"//article[@data-verzoek='{AANVRAGER}']")
    assert "softwareleverancier" in tekst(verzoek)
    verzoek_id = verzoek.get("id").removeprefix("verzoek-")
    zonder = cak.post(f"/toegangsverzoeken/{verzoek_id}/weigeren",
                      {f"weigeren{verzoek_id}-reden": "", f"weigeren{verzoek_id}-terug": "cak"},
                      form_url="/cak/toegangsverzoeken")
    assert zonder.status_code == 422
    assert "Schrijf waarom u het verzoek weigert" in tekst(
        pagina(zonder).xpath(f"//*[@id='weigeren{verzoek_id}-reden-fout']")[0])
    geweigerd = cak.post(f"/toegangsverzoeken/{verzoek_id}/weigeren",
                         {f"weigeren{verzoek_id}-reden": "Onbekend bij de gemeente.",
                          f"weigeren{verzoek_id}-terug": "cak"},
                         form_url="/cak/toegangsverzoeken")
    assert geweigerd.status_code == 302 and geweigerd.headers["Location"] == "/cak/toegangsverzoeken"
    assert "is geweigerd" in meldingen(cak.client.get("/cak/toegangsverzoeken"))
    [(aan, _, inhoud)] = mailteksten(app, "Toegang geweigerd")
    assert aan == [AANVRAGER] and "Onbekend bij de gemeente." in inhoud and "niet verleend" in inhoud
    assert Session(app.test_client()).login(AANVRAGER).status_code == 401
    nogmaals = cak.post(f"/toegangsverzoeken/{verzoek_id}/verlenen", {"terug": "cak"},
                        form_url="/cak/toegangsverzoeken", follow_redirects=True)
    assert "is al geweigerd" in meldingen(nogmaals)


def test_the_other_gemeentes_beheerder_neither_sees_nor_judges_the_request(app, amsterdam):
    vraag_toegang(app.test_client())
    utrecht = ingelogd(app, "beheer@utrecht.example.nl")
    assert AANVRAGER not in utrecht.client.get("/gemeenten/0344/gebruikers").get_data(as_text=True)
    assert utrecht.post("/toegangsverzoeken/1/verlenen", {}, form_url="/gemeenten/0344/gebruikers").status_code == 404
    assert utrecht.post("/toegangsverzoeken/1/weigeren", {"weigeren1-reden": "x"},
                        form_url="/gemeenten/0344/gebruikers").status_code == 404
    assert mailteksten(app, "Uitnodiging") == [] and mailteksten(app, "Toegang geweigerd") == []
