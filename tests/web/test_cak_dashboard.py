"""The CAK dashboard: gemeenten by timeslot, what needs action first, counts, flags and the chart."""
from __future__ import annotations

import re

import pytest

from portal.toestanden import Toestand
from portal.services import migratie
from portal.services.accounts import zoek_op_email
from tests.web.cak_scenario import (TEST, WEEK_1, WEEK_2, WEEK_3, akkoord, getallen, klok_naar,
                                         leverende_gemeente, lokaal, plan, rij, terugkoppeling, tekst)

CAK = "cak@cak.example.nl"


@pytest.fixture
def drie_weken(factory, clock):
    """Week 1: Amsterdam gave its terugkoppeling, Almere and Utrecht did not (yet).
    Week 2: Zwolle, planned. Not planned: Lelystad signed up, Emmen did not."""
    amsterdam = leverende_gemeente(factory, "0363", "Amsterdam", 8, gebruiker=True)
    almere = leverende_gemeente(factory, "0034", "Almere", 2)
    utrecht = leverende_gemeente(factory, "0344", "Utrecht", 3)
    zwolle = leverende_gemeente(factory, "0193", "Zwolle", 1)
    lelystad = leverende_gemeente(factory, "0995", "Lelystad")
    leverende_gemeente(factory, "0114", "Emmen")
    factory.user(CAK, role="cak")
    for gemeente in (amsterdam, almere, utrecht):
        plan(gemeente, WEEK_1)
    plan(zwolle, WEEK_2)
    migratie.meld_aan(TEST, lelystad, WEEK_3, WEEK_2, "Liever na de herfstvakantie")
    klok_naar(clock, lokaal(2022, 9, 27, 11, 0))
    terugkoppeling(amsterdam, ["J", "J", "J", "O", "U", "V", "N", "X"])
    return {"amsterdam": amsterdam, "utrecht": utrecht, "almere": almere}


def dashboard(session) -> str:
    session.login(CAK)
    response = session.client.get("/cak/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def sectie(html: str, kop: str) -> str:
    """The part of the page from a section heading to the next section."""
    begin = html.index(kop)
    einde = html.find("<section", begin)
    return html[begin:einde if einde != -1 else len(html)]


def test_the_dashboard_groups_gemeenten_by_timeslot_in_date_order_with_the_unplanned_last(
        session, drie_weken):
    page = dashboard(session)
    week_1 = page.index("Week van maandag 03-10-2022")
    week_2 = page.index("Week van maandag 10-10-2022")
    niet_gepland = page.index("Nog niet gepland <span")
    assert week_1 < week_2 < niet_gepland
    assert 'data-gemeente="0363"' in sectie(page, "Week van maandag 03-10-2022")
    assert 'data-gemeente="0193"' in sectie(page, "Week van maandag 10-10-2022")
    assert 'data-gemeente="0193"' not in sectie(page, "Week van maandag 03-10-2022")
    assert "Nog geen gemeenten in de weken van 17-10-2022, 24-10-2022, 31-10-2022 en 07-11-2022." in tekst(page)


def test_unplanned_gemeenten_show_their_aanmelding(session, drie_weken):
    page = dashboard(session)
    lelystad = tekst(rij(page, "0995", begin="Nog niet gepland <span"))
    assert "17-10-2022" in lelystad and "10-10-2022" in lelystad
    assert "19-09-2022 09:00" in lelystad                    # aangemeld op
    assert "Liever na de herfstvakantie" in lelystad
    assert "aanmelding bevestigen of een andere timeslot toewijzen" in lelystad
    emmen = tekst(rij(page, "0114", begin="Nog niet gepland <span"))
    assert "nog niet aangemeld" in emmen


def test_gemeenten_that_need_action_come_first_in_their_timeslot(session, drie_weken):
    page = sectie(dashboard(session), "Week van maandag 03-10-2022")
    volgorde = re.findall(r'data-gemeente="(\d{4})"', page)
    # Amsterdam waits for the CAK's akkoord; Almere and Utrecht wait for the gemeente (alphabetical).
    assert volgorde == ["0363", "0034", "0344"]
    assert "actie nodig" in rij(page, "0363")
    assert "actie nodig" not in rij(page, "0034")


def test_the_actie_nodig_list_says_what_to_do_and_links_to_the_gemeente(session, drie_weken):
    page = dashboard(session)
    actie = sectie(page, "Actie nodig <span")
    assert re.findall(r'data-gemeente="(\d{4})"', actie) == ["0363", "0995"]
    amsterdam = rij(actie, "0363")
    assert "terugkoppeling beoordelen en akkoord geven om aan te leveren" in amsterdam
    assert 'href="/cak/gemeenten/0363#acties"' in amsterdam
    assert "terugkoppeling ontvangen" in amsterdam          # the state, in Dutch
    assert "30-09-2022 17:00" in amsterdam                  # akkoord CAK uiterlijk
    assert "akkoord CAK uiterlijk" in amsterdam


def test_the_table_shows_the_counts_per_code(session, drie_weken):
    page = sectie(dashboard(session), "Week van maandag 03-10-2022")
    # in B4, J, O, U, V, N, X, ontvangen, berichten goedgekeurd, ok, ontbreekt, afw. startdatum, onverwacht, afgekeurd
    assert getallen(rij(page, "0363")) == [8, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert getallen(rij(page, "0344")) == [3] + [0] * 13
    assert "bestandsvergelijking geplaatst" in rij(page, "0344")
    assert "29-09-2022 17:00" in rij(page, "0344") and "terugkoppeling uiterlijk" in rij(page, "0344")


def test_late_gemeenten_get_their_flags_and_the_reconciliation_counts_show_after_the_report(
        session, drie_weken, clock, factory):
    klok_naar(clock, lokaal(2022, 9, 28, 9, 0))
    akkoord(drie_weken["amsterdam"], zoek_op_email(CAK))
    klok_naar(clock, lokaal(2022, 10, 5, 10, 0))    # Wednesday report: Amsterdam delivered nothing
    page = dashboard(session)
    week = sectie(page, "Week van maandag 03-10-2022")

    utrecht = rij(week, "0344")
    assert "terugkoppeling te laat" in utrecht and "aanlevering te laat" in utrecht
    assert "verlopen" in utrecht
    amsterdam = rij(week, "0363")
    assert "nabellen" in amsterdam and "aanlevering te laat" in amsterdam
    assert "terugkoppeling te laat" not in amsterdam
    assert getallen(amsterdam) == [8, 3, 1, 1, 1, 1, 1, 0, 0, 0, 3, 0, 0, 0]
    assert "(3 gemeenten, 3 actie nodig, 3 te laat)" in week
    actie = sectie(page, "Actie nodig <span")
    assert "gemeente nabellen over de verschillen" in rij(actie, "0363")
    assert "terugkoppeling te laat: gemeente benaderen" in rij(actie, "0344")


def test_the_chart_has_one_bar_per_state_with_the_number_of_gemeenten(session, drie_weken):
    week = sectie(dashboard(session), "Week van maandag 03-10-2022")
    svg = week[week.index("<svg"):week.index("</svg>")]
    staven = dict(re.findall(r'<rect class="staaf[^"]*" data-toestand="(\w+)" data-aantal="(\d+)"', svg))
    assert staven == {
        "GEPLAND": "0", "BV_GEPUBLICEERD": "2", "TERUGGEKOPPELD": "1", "AKKOORD_AANLEVEREN": "0",
        "AANGELEVERD": "0", "GERAPPORTEERD": "0", "NABELLEN": "0", "GEMIGREERD": "0"}
    assert "<title>bestandsvergelijking geplaatst: 2 gemeenten</title>" in svg
    assert "<title>terugkoppeling ontvangen: 1 gemeente</title>" in svg
    assert "Aantal gemeenten per toestand, week van 03-10-2022" in svg
    breedtes = dict(re.findall(r'data-toestand="(\w+)" data-aantal="\d+"\s+x="\d+" y="\d+" width="(\d+)"', svg))
    assert int(breedtes["BV_GEPUBLICEERD"]) == 2 * int(breedtes["TERUGGEKOPPELD"]) > 0
    assert breedtes["GEMIGREERD"] == "0"


def test_the_dashboard_uses_no_inline_styles_or_scripts(session, drie_weken):
    page = dashboard(session)
    assert "style=" not in page
    assert "<script>" not in page and "onclick" not in page


def test_an_htmx_refresh_gets_only_the_dashboard_fragment(session, drie_weken):
    session.login(CAK)
    fragment = session.client.get("/cak/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in fragment and 'data-gemeente="0363"' in fragment


def test_the_gemeenten_list_links_to_the_folder_and_the_gemeente_page(session, factory):
    amsterdam = factory.gemeente("0363", "Amsterdam", contact_naam="Mw. De Boer", contact_telefoon="020-5551234")
    factory.gemeente("0437", "Ouder-Amstel", soort="regiogemeente", centrumgemeente_id=amsterdam.id)
    factory.user(CAK, role="cak")
    session.login(CAK)
    page = session.client.get("/cak/gemeenten").get_data(as_text=True)
    amsterdam_rij = page[page.index(">0363<"):].split("</tr>")[0]
    assert 'href="/cak/gemeenten/0363"' in amsterdam_rij and 'href="/gemeenten/0363/"' in amsterdam_rij
    assert "Mw. De Boer" in amsterdam_rij and "020-5551234" in amsterdam_rij
    ouder_amstel = page[page.index(">0437<"):].split("</tr>")[0]
    assert "regiogemeente" in ouder_amstel and "via Amsterdam" in ouder_amstel
    assert 'href="/cak/gemeenten/0437"' in ouder_amstel


@pytest.mark.parametrize("url", ["/cak/", "/cak/gemeenten", "/cak/gemeenten/0363", "/cak/uitbak",
                                 "/cak/uitbak/1"])
def test_a_gemeente_user_gets_not_found_on_every_cak_page(session, drie_weken, url):
    session.login("medewerker@amsterdam.example.nl")
    response = session.client.get(url)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_a_gemeente_user_cannot_post_a_cak_action(session, drie_weken):
    session.login("medewerker@amsterdam.example.nl")
    response = session.post("/cak/gemeenten/0363/acties/akkoord_aanleveren", {}, form_url="/gemeenten/0363/")
    assert response.status_code == 404
    assert migratie.status(drie_weken["amsterdam"]).toestand == Toestand.TERUGGEKOPPELD


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get("/cak/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
