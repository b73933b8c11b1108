"""One gemeente's page for the CAK: its state, calendar, timeline, channels and the actions the CAK can take."""
from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from portal.kalender import lees_moment
from portal.services import kanalen, mail, migratie
from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    CONTACT_TELEFOON,
    WEEK_1,
    WEEK_2,
    WEEK_3,
    actor,
    b4_bsns,
    gemeente_met_code,
    klok_naar,
    leverende_gemeente,
    maak_gebruiker,
    maak_gemeente,
    medewerker,
    ontvangsten,
    plan,
    sectie,
    stuur_terugkoppeling,
    tabelrijen,
    tekst,
    toestand,
)

PAGINA = "/cak/gemeenten/0363"


@pytest.fixture
def aangemeld(app) -> None:
    """Amsterdam signed up for the second week, with the third as its second choice."""
    with app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", 4)
        migratie.meld_aan(actor(medewerker("Amsterdam")), amsterdam, WEEK_2, WEEK_3, None)


@pytest.fixture
def teruggekoppeld(app, clock) -> list[str]:
    """Amsterdam in the first week, its terugkoppeling in: waiting for the CAK's akkoord. Its B4's BSNs."""
    with app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", 5)
        plan(amsterdam, WEEK_1)
        klok_naar(clock, "2022-09-27 11:00")
        bsns = b4_bsns(amsterdam)
        uitkomst = stuur_terugkoppeling(amsterdam, dict(zip(bsns, "JJJON", strict=True)),
                                        extra={bsns[3]: {"M": date(2022, 9, 15)}})
        assert uitkomst.geldig, uitkomst.problemen
        return bsns


@pytest.fixture
def nabellen(app, teruggekoppeld, clock) -> list[str]:
    """Amsterdam had the akkoord but delivered nothing: on the call list after the Wednesday report."""
    with app.app_context():
        klok_naar(clock, "2022-09-28 09:00")
        amsterdam = gemeente_met_code("0363")
        migratie.geef_akkoord_aanleveren(actor(CAK), amsterdam)
        klok_naar(clock, "2022-10-05 10:00")
        assert toestand(amsterdam) == Toestand.NABELLEN
        return teruggekoppeld


def _toestand(app) -> Toestand:
    with app.app_context():
        return toestand(gemeente_met_code("0363"))


def pagina(session) -> str:
    response = session.client.get(PAGINA)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(session, actie: str, data: dict, volgen: bool = True):
    return session.post(f"{PAGINA}/acties/{actie}", data, form_url=PAGINA, follow_redirects=volgen)


# ---------------------------------------------------------------- planning

def test_only_a_cak_beheerder_sees_the_plan_form_with_the_preference_selected(session, aangemeld):
    session.login(BEHEER)
    page = pagina(session)
    assert 'action="/cak/gemeenten/0363/acties/plannen"' in page
    assert '<option selected value="2022-10-10">' in page
    assert "Voorkeur van de gemeente: 10-10-2022, tweede keus 17-10-2022." in page
    session.client.post("/logout", data={"csrf_token": session.csrf(PAGINA)})
    session.login(CAK)
    page = pagina(session)
    assert "/acties/plannen" not in page
    assert "Op dit moment kunt u bij Amsterdam zelf niets doen." in page


def test_a_plain_cak_user_who_posts_the_plan_form_is_refused_with_the_message(app, session, aangemeld):
    session.login(CAK)
    response = post(session, "plannen", {"timeslot": "2022-10-10"})
    page = response.get_data(as_text=True)
    assert "Alleen een beheerder van het CAK kan dit doen." in page
    assert "melding-fout" in page
    assert _toestand(app) == Toestand.NIET_GEPLAND
    assert "Geplande stappen" in page and "Er staan geen stappen gepland." in page


def test_planning_from_the_page_creates_the_scheduled_steps_and_a_timeline_entry(session, aangemeld):
    session.login(BEHEER)
    response = post(session, "plannen", {"timeslot": "2022-10-10"})
    page = response.get_data(as_text=True)
    assert "Amsterdam is ingepland in de week van 10-10-2022." in page
    stappen = tekst(sectie(page, 'id="planning-kop"'))
    assert "03-10-2022 10:30 bestandsvergelijking (B4) plaatsen gepland" in stappen
    assert "06-10-2022 17:00 controle: terugkoppeling op tijd gepland" in stappen
    assert "11-10-2022 15:00 controle: aanlevering op tijd gepland" in stappen
    assert "12-10-2022 10:00 aanleverrapportage plaatsen en aansluiting bepalen gepland" in stappen
    tijdlijn = tekst(sectie(page, 'id="tijdlijn-kop"'))
    assert f"19-09-2022 09:00 · {BEHEER}" in tijdlijn
    assert "nog niet gepland → gepland" in tijdlijn
    assert "Ingepland in de week van 10-10-2022. De bestandsvergelijking volgt op 03-10-2022 10:30." in tijdlijn
    kalender = tekst(sectie(page, 'id="kalender-kop"'))
    assert f"Week van maandag 10-10-2022, gepland op 19-09-2022 09:00 door {BEHEER}" in kalender
    assert "11-10-2022 15:00 gemeente Uiterste moment voor de aanlevering van de WMO407-berichten" in kalender


def test_a_week_that_is_no_timeslot_gets_a_dutch_field_error_and_nothing_is_planned(app, session, aangemeld):
    session.login(BEHEER)
    response = post(session, "plannen", {"timeslot": "2022-10-04"}, volgen=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Deze week is geen timeslot van de migratie; kies een week uit de lijst." in page
    assert 'aria-invalid="true"' in page
    assert _toestand(app) == Toestand.NIET_GEPLAND


def test_an_action_without_the_csrf_field_is_refused_with_400(app, session, aangemeld):
    session.login(BEHEER)
    response = session.client.post(f"{PAGINA}/acties/plannen", data={"timeslot": "2022-10-10"})
    assert response.status_code == 400
    assert "Formulier verlopen of onvolledig" in response.get_data(as_text=True)
    assert _toestand(app) == Toestand.NIET_GEPLAND


def test_an_unknown_action_or_gemeente_answers_not_found(session, aangemeld):
    session.login(BEHEER)
    assert session.post(f"{PAGINA}/acties/verwijderen", {}, form_url=PAGINA).status_code == 404
    assert session.client.get("/cak/gemeenten/9999").status_code == 404


# ---------------------------------------------------------------- akkoord om aan te leveren

def test_the_page_shows_state_aanmelding_files_and_channels(session, teruggekoppeld):
    session.login(CAK)
    page = pagina(session)
    stand = tekst(sectie(page, 'id="stand-kop"'))
    assert "terugkoppeling ontvangen" in stand
    assert "30-09-2022 17:00 akkoord CAK uiterlijk" in stand
    assert "Actie nodig: terugkoppeling beoordelen en akkoord geven om aan te leveren" in stand
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx" in page
    assert 'href="/gemeenten/0363/"' in page
    kanalen_tekst = tekst(sectie(page, 'id="kanalen-kop"'))
    assert "iEb (WMO407, web of API) gesloten vanaf het begin" in kanalen_tekst
    assert "H&V-app (webformulier) open vanaf het begin" in kanalen_tekst
    aantallen = tekst(sectie(page, 'id="aantallen-kop"'))
    assert "5 in de bestandsvergelijking" in aantallen and "3 J (aanleveren)" in aantallen


def test_akkoord_from_the_page_opens_ieb_and_mails_the_gemeente(app, session, teruggekoppeld, clock):
    session.login(CAK)
    clock.set(lees_moment("2022-09-28 14:00"))
    page = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": ""}).get_data(as_text=True)
    assert "Akkoord om aan te leveren gegeven aan Amsterdam." in page
    assert "akkoord om aan te leveren" in tekst(sectie(page, 'id="stand-kop"'))
    assert "04-10-2022 15:00" in tekst(sectie(page, 'id="stand-kop"'))
    assert "iEb (WMO407, web of API) open 28-09-2022 14:00" in tekst(sectie(page, 'id="kanalen-kop"'))
    assert "Akkoord om aan te leveren: 3 cliënten verwacht (code J)" in tekst(sectie(page, 'id="tijdlijn-kop"'))
    with app.app_context():
        assert kanalen.is_open(gemeente_met_code("0363"), kanalen.Kanaalsoort.IEB)
        assert "Akkoord om aan te leveren voor Amsterdam (0363)" in [m.onderwerp for m in mail.uitbak()]


def test_after_the_tuesday_deadline_the_akkoord_needs_a_new_date(app, session, teruggekoppeld, clock):
    session.login(CAK)
    clock.set(lees_moment("2022-10-04 16:00"))
    page = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": ""}).get_data(as_text=True)
    assert "De aanleverdeadline van de timeslot is al voorbij: kies een nieuwe aanleverdatum." in page
    assert _toestand(app) == Toestand.TERUGGEKOPPELD

    fout = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": "31-02-2022"}, volgen=False)
    assert fout.status_code == 422
    assert "Dit is geen geldige datum; schrijf de datum als dd-mm-jjjj" in fout.get_data(as_text=True)

    page = post(session, "akkoord_aanleveren", {"nieuwe_aanleverdatum": "07-10-2022"}).get_data(as_text=True)
    assert "Akkoord om aan te leveren gegeven aan Amsterdam." in page
    assert "07-10-2022 15:00" in tekst(sectie(page, 'id="stand-kop"'))


# ---------------------------------------------------------------- nabellen and the verdict

def test_the_call_task_shows_the_contact_and_the_differences(session, nabellen):
    session.login(CAK)
    page = pagina(session)
    taak = tekst(page[page.index('id="nabellen"'):page.index('id="actie-belresultaat"')])
    assert "Contact Amsterdam" in taak and CONTACT_TELEFOON in taak and "bw@amsterdam.example.nl" in taak
    assert "Oordeel: niet correct. 0 van de 3 cliënten ok; verschillen: 3 ontbreekt." in taak
    assert [bsn for bsn in nabellen if bsn in taak] == nabellen[:3]   # the three marked J
    assert taak.count("ontbreekt verwacht, maar geen WMO407 ontvangen") == 3
    assert 'action="/cak/gemeenten/0363/acties/belresultaat"' in page


def test_an_incomplete_call_result_gets_dutch_field_errors(app, session, nabellen):
    session.login(CAK)
    response = post(session, "belresultaat", {"uitkomst": " ", "nieuwe_leverdatum": ""}, volgen=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul in wat er met de gemeente is afgesproken." in page
    assert "Vul de nieuwe aanleverdatum in." in page
    assert _toestand(app) == Toestand.NABELLEN


def test_recording_the_call_sets_a_new_delivery_date(session, nabellen):
    session.login(CAK)
    page = post(session, "belresultaat", {"uitkomst": "Levering vergeten, stuurt vrijdag.",
                                          "nieuwe_leverdatum": "2022-10-07"}).get_data(as_text=True)
    assert "Belresultaat vastgelegd voor Amsterdam. De gemeente levert opnieuw aan tot 07-10-2022 15:00." in page
    assert "akkoord om aan te leveren" in tekst(sectie(page, 'id="stand-kop"'))
    assert 'id="nabellen"' not in page
    assert ("Gebeld: Levering vergeten, stuurt vrijdag. Nieuwe aanleverdatum 07-10-2022 15:00."
            in tekst(sectie(page, 'id="tijdlijn-kop"')))
    assert "08-10-2022 10:00 aanleverrapportage plaatsen en aansluiting bepalen gepland" in tekst(
        sectie(page, 'id="planning-kop"'))


def test_accepting_a_deviating_delivery_needs_a_reason(app, session, nabellen):
    session.login(CAK)
    page = post(session, "goedkeuren", {"reden": ""}).get_data(as_text=True)
    assert "Akkoord geven kan alleen met een reden" in page
    assert _toestand(app) == Toestand.NABELLEN

    page = post(session, "goedkeuren", {"reden": "Drie cliënten zijn per 1-10 uit zorg."}).get_data(as_text=True)
    assert "Akkoord gegeven op de aanlevering van Amsterdam" in page
    assert "gemigreerd" in tekst(sectie(page, 'id="stand-kop"'))
    assert "afwijking geaccepteerd: Drie cliënten zijn per 1-10 uit zorg." in tekst(sectie(page, 'id="stand-kop"'))
    assert "oude kanalen sluiten (H&amp;V-app, Excel, 60-record)" in page
    with app.app_context():
        verslag = [m for m in mail.uitbak() if m.soort == "Akkoord op aanlevering"]
        assert len(verslag) == 1 and verslag[0].bijlagen


# ---------------------------------------------------------------- region members and the list of gemeenten

@pytest.fixture
def amsterdam_met_regio(app) -> None:
    """Amsterdam with its contact, Ouder-Amstel delivering through it, and a CAK user."""
    with app.app_context():
        amsterdam = maak_gemeente("0363", "Amsterdam", contact_naam="Mw. De Boer", contact_telefoon="020-5551234")
        maak_gemeente("0437", "Ouder-Amstel", soort="regiogemeente", centrumgemeente_id=amsterdam.id)
        maak_gebruiker(CAK, "cak")


def test_a_regiogemeente_that_does_not_deliver_points_to_its_centrumgemeente(session, amsterdam_met_regio):
    session.login(CAK)
    page = session.client.get("/cak/gemeenten/0437").get_data(as_text=True)
    assert "Ouder-Amstel levert niet zelf aan" in page
    assert 'href="/cak/gemeenten/0363"' in page
    refused = session.post("/cak/gemeenten/0437/acties/akkoord_aanleveren", {}, form_url="/cak/gemeenten/0437",
                           follow_redirects=True)
    assert "Ouder-Amstel levert niet zelf aan; de migratie loopt via Amsterdam." in refused.get_data(as_text=True)


def test_the_gemeenten_list_links_to_the_folder_and_the_gemeente_page(session, amsterdam_met_regio):
    session.login(CAK)
    page = session.client.get("/cak/gemeenten").get_data(as_text=True)
    amsterdam_rij = page[page.index(">0363<"):].split("</tr>")[0]
    assert 'href="/cak/gemeenten/0363"' in amsterdam_rij and 'href="/gemeenten/0363/"' in amsterdam_rij
    assert "Mw. De Boer" in amsterdam_rij and "020-5551234" in amsterdam_rij
    ouder_amstel = page[page.index(">0437<"):].split("</tr>")[0]
    assert "regiogemeente" in ouder_amstel and "via Amsterdam" in ouder_amstel
    assert 'href="/cak/gemeenten/0437"' in ouder_amstel


def test_the_cak_sees_every_upload_of_the_gemeente_with_its_receipt_and_can_download_it(
        app, session, teruggekoppeld):
    session.login(CAK)
    boom = lxml.html.document_fromstring(pagina(session))

    [tabel] = boom.xpath('//table[@data-testid="uploads"]')
    [[ontvangen, soort, bestandsnaam, door, _, uitkomst]] = tabelrijen(tabel)
    assert (ontvangen, soort, door) == ("27-09-2022 11:00", "terugkoppeling", "medewerker@amsterdam.example.nl")
    assert uitkomst == "verwerkt ontvangstbewijs"
    [download] = tabel.xpath(".//td[3]/a")
    with app.app_context():
        [upload] = ontvangsten(soort="terugkoppeling")
        inhoud, sha256, naam = upload.inhoud, upload.sha256, upload.bestandsnaam
    assert bestandsnaam == naam
    assert session.client.get(download.get("href")).data == inhoud
    [bewijs] = tabel.xpath('.//a[text()="ontvangstbewijs"]')
    receipt = tekst(session.client.get(bewijs.get("href")).get_data(as_text=True))
    assert "Terugkoppeling aangenomen" in receipt and sha256 in receipt
