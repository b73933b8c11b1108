"""The CAK dashboard: gemeenten by timeslot, what needs action first, counts, flags and the chart.

Every test reads the one scenario `drie_weken` (Tuesday 27-09-2022 11:00), built once for this module.
"""
from __future__ import annotations

import re

import pytest

from tests.scenario import CAK, dashboard_zoals_getoond, drie_weken, getallen, rij, sectie, tekst


@pytest.fixture(scope="module")
def dashboard_scenario(module_app, module_clock) -> None:
    with module_app.app_context():
        drie_weken(module_clock)


@pytest.fixture
def app(module_app, dashboard_scenario):
    return module_app


def dashboard(session) -> str:
    session.login(CAK)
    assert session.client.get("/cak/").status_code == 200
    return dashboard_zoals_getoond(session.client)


def test_the_dashboard_groups_gemeenten_by_timeslot_in_date_order_with_the_unplanned_last(session):
    page = dashboard(session)
    week_1 = page.index("Week van maandag 03-10-2022")
    week_2 = page.index("Week van maandag 10-10-2022")
    niet_gepland = page.index("Nog niet gepland <span")
    assert week_1 < week_2 < niet_gepland
    assert 'data-gemeente="0363"' in sectie(page, "Week van maandag 03-10-2022")
    assert 'data-gemeente="0193"' in sectie(page, "Week van maandag 10-10-2022")
    assert 'data-gemeente="0193"' not in sectie(page, "Week van maandag 03-10-2022")
    assert "Nog geen gemeenten in de weken van 17-10-2022, 24-10-2022, 31-10-2022 en 07-11-2022." in tekst(page)


def test_unplanned_gemeenten_show_their_aanmelding(session):
    page = dashboard(session)
    lelystad = tekst(rij(page, "0995", begin="Nog niet gepland <span"))
    assert "17-10-2022" in lelystad and "10-10-2022" in lelystad
    assert "19-09-2022 09:00" in lelystad                    # aangemeld op
    assert "Liever na de herfstvakantie" in lelystad
    assert "aanmelding bevestigen of een andere timeslot toewijzen" in lelystad
    emmen = tekst(rij(page, "0114", begin="Nog niet gepland <span"))
    assert "nog niet aangemeld" in emmen


def test_gemeenten_that_need_action_come_first_in_their_timeslot(session):
    page = sectie(dashboard(session), "Week van maandag 03-10-2022")
    volgorde = re.findall(r'data-gemeente="(\d{4})"', page)
    # Amsterdam waits for the CAK's akkoord; Almere and Utrecht wait for the gemeente (alphabetical).
    assert volgorde == ["0363", "0034", "0344"]
    assert "actie nodig" in rij(page, "0363")
    assert "actie nodig" not in rij(page, "0034")


def test_the_actie_nodig_list_says_what_to_do_and_links_to_the_gemeente(session):
    page = dashboard(session)
    actie = sectie(page, "Actie nodig <span")
    assert re.findall(r'data-gemeente="(\d{4})"', actie) == ["0363", "0995"]
    amsterdam = rij(actie, "0363")
    assert "terugkoppeling beoordelen en akkoord geven om aan te leveren" in amsterdam
    assert 'href="/cak/gemeenten/0363#acties"' in amsterdam
    assert "terugkoppeling ontvangen" in amsterdam          # the state, in Dutch
    assert "30-09-2022 17:00" in amsterdam                  # akkoord CAK uiterlijk
    assert "akkoord CAK uiterlijk" in amsterdam


def test_the_table_shows_the_counts_per_code(session):
    page = sectie(dashboard(session), "Week van maandag 03-10-2022")
    # in B4, J, O, U, V, N, X, ontvangen, berichten goedgekeurd, ok, ontbreekt, afw. startdatum, onverwacht, afgekeurd
    assert getallen(rij(page, "0363")) == [8, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert getallen(rij(page, "0344")) == [3] + [0] * 13
    assert "bestandsvergelijking geplaatst" in rij(page, "0344")
    assert "29-09-2022 17:00" in rij(page, "0344") and "terugkoppeling uiterlijk" in rij(page, "0344")


def test_the_chart_has_one_bar_per_state_with_the_number_of_gemeenten(session):
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


def test_the_dashboard_uses_no_inline_styles_or_scripts(session):
    page = dashboard(session)
    assert "style=" not in page
    assert "<script>" not in page and "onclick" not in page


def test_an_htmx_refresh_gets_only_the_dashboard_fragment(session):
    session.login(CAK)
    fragment = session.client.get("/cak/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in fragment and 'data-gemeente="0363"' in fragment
