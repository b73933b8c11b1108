"""One gemeente's page for the CAK: its state, calendar, timeline, channels and the actions the CAK can take."""
from __future__ import annotations

import re

import pytest

from portal.toestanden import Toestand
from portal.services import kanalen, mail, migratie
from portal.services.accounts import zoek_op_email
from tests.web.cak_scenario import (TEST, WEEK_1, WEEK_2, WEEK_3, akkoord, klok_naar, leverende_gemeente,
                                         lokaal, plan, terugkoppeling, tekst)

BEHEERDER = "beheerder@cak.example.nl"
MEDEWERKER = "medewerker@cak.example.nl"
PAGINA = "/cak/gemeenten/0363"


@pytest.fixture
def cak(factory):
    factory.user(BEHEERDER, role="cak_beheerder")
    factory.user(MEDEWERKER, role="cak")


@pytest.fixture
def aangemeld(factory, cak):
    """Amsterdam signed up for the second week, with the third as its second choice."""
    amsterdam = leverende_gemeente(factory, "0363", "Amsterdam", 4, gebruiker=True)
    migratie.meld_aan(TEST, amsterdam, WEEK_2, WEEK_3, None)
    return amsterdam


@pytest.fixture
def teruggekoppeld(factory, cak, clock):
    """Amsterdam in the first week, its terugkoppeling in: waiting for the CAK's akkoord."""
    amsterdam = leverende_gemeente(factory, "0363", "Amsterdam", 5, gebruiker=True)
    plan(amsterdam, WEEK_1)
    klok_naar(clock, lokaal(2022, 9, 27, 11, 0))
    terugkoppeling(amsterdam, ["J", "J", "J", "O", "N"])
    return amsterdam


@pytest.fixture
def nabellen(teruggekoppeld, clock):
    """Amsterdam had the akkoord but delivered nothing: on the call list after the Wednesday report."""
    klok_naar(clock, lokaal(2022, 9, 28, 9, 0))
    akkoord(teruggekoppeld, zoek_op_email(MEDEWERKER))
    klok_naar(clock, lokaal(2022, 10, 5, 10, 0))
    assert migratie.status(teruggekoppeld).toestand == Toestand.NABELLEN
    return teruggekoppeld


def pagina(session) -> str:
    response = session.client.get(PAGINA)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(session, actie: str, data: dict, volgen: bool = True):
    return session.post(f"{PAGINA}/acties/{actie}", data, form_url=PAGINA, follow_redirects=volgen)


def sectie(html: str, kop_id: str) -> str:
    begin = html.index(f'id="{kop_id}"')
    einde = html.find("<section", begin)
    return html[begin:einde if einde != -1 else len(html)]


# ---------------------------------------------------------------- planning

def test_only_a_cak_beheerder_sees_the_plan_form_with_the_preference_selected(session, aangemeld):
    session.login(BEHEERDER)
    page = pagina(session)
    assert 'action="/cak/gemeenten/0363/acties/plannen"' in page
    assert '<option selected value="2022-10-10">' in page
    assert "Voorkeur van de gemeente: 10-10-2022, tweede keus 17-10-2022." in page
    session.client.post("/logout", data={"csrf_token": session.csrf(PAGINA)})
    session.login(MEDEWERKER)
    page = pagina(session)
    assert "/acties/plannen" not in page
    assert "Op dit moment kunt u bij Amsterdam zelf niets doen." in page


def test_a_plain_cak_user_who_posts_the_plan_form_is_refused_with_the_message(session, aangemeld):
    session.login(MEDEWERKER)
    response = post(session, "plannen", {"timeslot": "2022-10-10"})
    page = response.get_data(as_text=True)
    assert "Alleen een beheerder van het CAK kan dit doen." in page
    assert "melding-fout" in page
    assert migratie.status(aangemeld).toestand == Toestand.NIET_GEPLAND
    assert "Geplande stappen" in page and "Er staan geen stappen gepland." in page


def test_planning_from_the_page_creates_the_scheduled_steps_and_a_timeline_entry(session, aangemeld):
    session.login(BEHEERDER)
    response = post(session, "plannen", {"timeslot": "2022-10-10"})
    page = response.get_data(as_text=True)
    assert "Amsterdam is ingepland in de week van 10-10-2022." in page
    stappen = tekst(sectie(page, "planning-kop"))
    assert "03-10-2022 10:30 bestandsvergelijking (B4) plaatsen gepland" in stappen
    assert "06-10-2022 17:00 controle: terugkoppeling op tijd gepland" in stappen
    assert "11-10-2022 15:00 controle: aanlevering op tijd gepland" in stappen
    assert "12-10-2022 10:00 aanleverrapportage plaatsen en aansluiting bepalen gepland" in stappen
    tijdlijn = tekst(sectie(page, "tijdlijn-kop"))
    assert "19-09-2022 09:00 · beheerder@cak.example.nl" in tijdlijn
    assert "nog niet gepland → gepland" in tijdlijn
    assert "Ingepland in de week van 10-10-2022. De bestandsvergelijking volgt op 03-10-2022 10:30." in tijdlijn
    kalender = tekst(sectie(page, "kalender-kop"))
    assert "Week van maandag 10-10-2022, gepland op 19-09-2022 09:00 door beheerder@cak.example.nl" in kalender
    assert "11-10-2022 15:00 gemeente Uiterste moment voor de aanlevering van de WMO407-berichten" in kalender


def test_a_week_that_is_no_timeslot_gets_a_dutch_field_error_and_nothing_is_planned(session, aangemeld):
    session.login(BEHEERDER)
    response = post(session, "plannen", {"timeslot": "2022-10-04"}, volgen=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Deze week is geen timeslot van de migratie; kies een week uit de lijst." in page
    assert 'aria-invalid="true"' in page
    assert migratie.status(aangemeld).toestand == Toestand.NIET_GEPLAND


def test_an_action_without_the_csrf_field_is_refused_with_400(session, aangemeld):
    session.login(BEHEERDER)
    response = session.client.post(f"{PAGINA}/acties/plannen", data={"timeslot": "2022-10-10"})
    assert response.status_code == 400
    assert "Formulier verlopen of onvolledig" in response.get_data(as_text=True)
    assert migratie.status(aangemeld).toestand == Toestand.NIET_GEPLAND


def test_an_unknown_action_or_gemeente_answers_not_found(session, aangemeld):
    session.login(BEHEERDER)
    assert session.post(f"{PAGINA}/acties/verwijderen", {}, form_url=PAGINA).status_code == 404
    assert session.client.get("/cak/gemeenten/9999").status_code == 404


# ---------------------------------------------------------------- akkoord om aan te leveren

def test_the_page_shows_state_aanmelding_files_and_channels(session, teruggekoppeld):
    session.login(MEDEWERKER)
    page = pagina(session)
    stand = tekst(sectie(page, "stand-kop"))
    assert "terugkoppeling ontvangen" in stand
    assert "30-09-2022 17:00 akkoord CAK uiterlijk" in stand
    assert "Actie nodig: terugkoppeling beoordelen en akkoord geven om aan te leveren" in stand
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx" in page
    assert 'href="/gemeenten/0363/"' in page
    kanalen_tekst = tekst(sectie(page, "kanalen-kop"))
    assert "iEb (WMO407, web of API) gesloten vanaf het begin" in kanalen_tekst
    assert "H&amp;V-app (webformulier) open vanaf het begin" in kanalen_tekst
    aantallen = tekst(sectie(page, "aantallen-kop"))
    assert "5 in de bestandsvergelijking" in aantallen and "3 J (aanleveren)" in aantallen


def test_akkoord_from_the_page_opens_ieb_and_mails_the_gemeente(session, teruggekoppeld, clock):
    session.login(MEDEWERKER)
    clock.set(lokaal(2022, 9, 28, 14, 0))
    page = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": ""}).get_data(as_text=True)
    assert "Akkoord om aan te leveren gegeven aan Amsterdam." in page
    assert "akkoord om aan te leveren" in tekst(sectie(page, "stand-kop"))
    assert "04-10-2022 15:00" in tekst(sectie(page, "stand-kop"))
    assert "iEb (WMO407, web of API) open 28-09-2022 14:00" in tekst(sectie(page, "kanalen-kop"))
    assert "Akkoord om aan te leveren: 3 cliënten verwacht (code J)" in tekst(sectie(page, "tijdlijn-kop"))
    assert kanalen.is_open(teruggekoppeld, kanalen.Kanaalsoort.IEB)
    assert "Akkoord om aan te leveren voor Amsterdam (0363)" in [m.onderwerp for m in mail.uitbak()]


def test_after_the_tuesday_deadline_the_akkoord_needs_a_new_date(session, teruggekoppeld, clock):
    session.login(MEDEWERKER)
    clock.set(lokaal(2022, 10, 4, 16, 0))
    page = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": ""}).get_data(as_text=True)
    assert "De aanleverdeadline van de timeslot is al voorbij: kies een nieuwe aanleverdatum." in page
    assert migratie.status(teruggekoppeld).toestand == Toestand.TERUGGEKOPPELD

    fout = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": "31-02-2022"}, volgen=False)
    assert fout.status_code == 422
    assert "Dit is geen geldige datum; schrijf de datum als dd-mm-jjjj" in fout.get_data(as_text=True)

    page = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": "07-10-2022"}).get_data(as_text=True)
    assert "Akkoord om aan te leveren gegeven aan Amsterdam." in page
    assert "07-10-2022 15:00" in tekst(sectie(page, "stand-kop"))


# ---------------------------------------------------------------- nabellen and the verdict

def test_the_call_task_shows_the_contact_and_the_differences(session, nabellen):
    session.login(MEDEWERKER)
    page = pagina(session)
    taak = tekst(page[page.index('id="nabellen"'):page.index('id="actie-belresultaat"')])
    assert "Contact Amsterdam" in taak and "020-1234567" in taak and "bw@amsterdam.example.nl" in taak
    assert "Oordeel: niet correct. 0 van de 3 cliënten ok; verschillen: 3 ontbreekt." in taak
    assert len(re.findall(r"\b9999\d{5}\b", taak)) == 3
    assert taak.count("ontbreekt verwacht, maar geen WMO407 ontvangen") == 3
    assert 'action="/cak/gemeenten/0363/acties/belresultaat"' in page


def test_an_incomplete_call_result_gets_dutch_field_errors(session, nabellen):
    session.login(MEDEWERKER)
    response = post(session, "belresultaat", {"uitkomst": " ", "nieuwe_leverdatum": ""}, volgen=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul in wat er met de gemeente is afgesproken." in page
    assert "Vul de nieuwe aanleverdatum in." in page
    assert migratie.status(nabellen).toestand == Toestand.NABELLEN


def test_recording_the_call_sets_a_new_delivery_date(session, nabellen):
    session.login(MEDEWERKER)
    page = post(session, "belresultaat", {"uitkomst": "Levering vergeten, stuurt vrijdag.",
                                          "nieuwe_leverdatum": "2022-10-07"}).get_data(as_text=True)
    assert "Belresultaat vastgelegd voor Amsterdam. De gemeente levert opnieuw aan tot 07-10-2022 15:00." in page
    assert "akkoord om aan te leveren" in tekst(sectie(page, "stand-kop"))
    assert 'id="nabellen"' not in page
    assert ("Gebeld: Levering vergeten, stuurt vrijdag. Nieuwe aanleverdatum 07-10-2022 15:00."
            in tekst(sectie(page, "tijdlijn-kop")))
    assert "08-10-2022 10:00 aanleverrapportage plaatsen en aansluiting bepalen gepland" in tekst(
        sectie(page, "planning-kop"))


def test_accepting_a_deviating_delivery_needs_a_reason(session, nabellen):
    session.login(MEDEWERKER)
    page = post(session, "goedkeuren", {"reden": ""}).get_data(as_text=True)
    assert "Akkoord geven kan alleen met een reden" in page
    assert migratie.status(nabellen).toestand == Toestand.NABELLEN

    page = post(session, "goedkeuren", {"reden": "Drie cliënten zijn per 1-10 uit zorg."}).get_data(as_text=True)
    assert "Akkoord gegeven op de aanlevering van Amsterdam" in page
    assert "gemigreerd" in tekst(sectie(page, "stand-kop"))
    assert "afwijking geaccepteerd: Drie cliënten zijn per 1-10 uit zorg." in tekst(sectie(page, "stand-kop"))
    assert "oude kanalen sluiten (H&amp;V-app, Excel, 60-record)" in page
    verslag = [m for m in mail.uitbak() if m.soort == "Akkoord op aanlevering"]
    assert len(verslag) == 1 and verslag[0].bijlagen


def test_a_regiogemeente_that_does_not_deliver_points_to_its_centrumgemeente(session, factory, cak):
    amsterdam = leverende_gemeente(factory, "0363", "Amsterdam")
    factory.gemeente("0437", "Ouder-Amstel", soort="regiogemeente", centrumgemeente_id=amsterdam.id)
    session.login(MEDEWERKER)
    page = session.client.get("/cak/gemeenten/0437").get_data(as_text=True)
    assert "Ouder-Amstel levert niet zelf aan" in page
    assert 'href="/cak/gemeenten/0363"' in page
    refused = session.post("/cak/gemeenten/0437/acties/akkoord_aanleveren", {}, form_url="/cak/gemeenten/0437",
                           follow_redirects=True)
    assert "Ouder-Amstel levert niet zelf aan; de migratie loopt via Amsterdam." in refused.get_data(as_text=True)
