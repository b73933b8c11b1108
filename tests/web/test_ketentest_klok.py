"""The ketentest clock page: moving the virtual clock carries out the calendar; it never goes back."""
from __future__ import annotations

import pytest

from portal.kalender import lees_moment
from portal.services import klok
from tests.scenario import CAK, MEDEWERKER, WEEK_1, WEEK_2, cak_gebruikers, leverende_gemeente, plan, tekst

KLOK = "/ketentest/klok"
B4 = "680363_B4_Bestandsvergelijking_20220926.xlsx"


@pytest.fixture
def app_config():
    return {"PORTAL_MODE": "ketentest"}


@pytest.fixture
def gepland(app) -> None:
    """Amsterdam (3 clients) planned in the first week, Utrecht (2 clients) in the second."""
    with app.app_context():
        plan(leverende_gemeente("0363", "Amsterdam", 3), WEEK_1)
        plan(leverende_gemeente("0344", "Utrecht", 2), WEEK_2)


@pytest.fixture
def alleen_gebruikers(app) -> None:
    """Amsterdam with its user, and the CAK's users; nothing planned."""
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", 0)
        cak_gebruikers()


def klok_nu(app):
    with app.app_context():
        return klok.nu()


def zet(session, data: dict, url: str = f"{KLOK}/zet", volgen: bool = True):
    return session.post(url, data, form_url=KLOK, follow_redirects=volgen)


def test_the_clock_page_shows_the_virtual_time_and_the_next_scheduled_steps(session, gepland):
    session.login(CAK)
    page = session.client.get(KLOK).get_data(as_text=True)
    assert 'data-testid="klokstand"' in page and "19-09-2022 09:00" in page
    # the field holds the moment the way the label and the README write it, and takes it typed that way
    assert 'value="2022-09-19 09:00"' in page and 'type="datetime-local"' not in page
    komend = tekst(page.split('id="komend-kop"')[1].split("</section>")[0])
    # per gemeente its five timeslot steps and its first weekly report, and the two period-wide steps
    assert "(14 van 14)" in komend
    assert "tweemaandelijkse bestandsvergelijking plaatsen alle gemeenten" in komend
    assert komend.index("26-09-2022 10:30 bestandsvergelijking (B4) plaatsen Amsterdam") < komend.index(
        "03-10-2022 10:30 bestandsvergelijking (B4) plaatsen Utrecht")
    assert "Naar 26-09-2022 10:30" in page


def test_setting_the_clock_past_monday_1030_publishes_the_b4(app, session, gepland):
    session.login(CAK)
    assert B4 not in session.client.get("/gemeenten/0363/").get_data(as_text=True)
    page = zet(session, {"moment": "2022-09-26T10:30"}).get_data(as_text=True)
    assert "De klok staat nu op 26-09-2022 10:30." in page
    assert "1 geplande stap uitgevoerd: bestandsvergelijking (B4) plaatsen (Amsterdam, 26-09-2022 10:30)." in page
    assert klok_nu(app) == lees_moment("2022-09-26 10:30")
    laatst = tekst(page.split('id="recent-kop"')[1])
    assert "26-09-2022 10:30 bestandsvergelijking (B4) plaatsen Amsterdam uitgevoerd 26-09-2022 10:30" in laatst
    assert B4 in session.client.get("/gemeenten/0363/").get_data(as_text=True)
    assert "Bestandsvergelijking geplaatst voor Amsterdam (0363)" in session.client.get(
        "/cak/uitbak").get_data(as_text=True)


def test_going_back_is_refused_with_a_dutch_message(app, session, gepland):
    session.login(CAK)
    zet(session, {"moment": "2022-09-26 10:30"})
    page = zet(session, {"moment": "2022-09-20 08:00"}).get_data(as_text=True)
    assert ("De klok kan niet terug: het is nu 26-09-2022 10:30 en 20-09-2022 08:00 ligt daarvoor. "
            "Kies een later tijdstip.") in page
    assert "melding-fout" in page
    assert klok_nu(app) == lees_moment("2022-09-26 10:30")


def test_an_unreadable_moment_gets_a_field_error(app, session, gepland):
    session.login(CAK)
    response = zet(session, {"moment": "morgen"}, volgen=False)
    assert response.status_code == 422
    assert "&#39;morgen&#39; is geen tijdstip; schrijf het als JJJJ-MM-DD UU:MM" in response.get_data(as_text=True)
    assert klok_nu(app) == lees_moment("2022-09-19 09:00")


@pytest.mark.parametrize(("duur", "verwacht"), [("1h", lees_moment("2022-09-19 10:00")),
                                                ("1d", lees_moment("2022-09-20 09:00")),
                                                ("1w", lees_moment("2022-09-26 09:00"))])
def test_the_buttons_advance_the_clock_by_an_hour_a_day_or_a_week(app, session, gepland, duur, verwacht):
    session.login(CAK)
    page = zet(session, {"duur": duur}, url=f"{KLOK}/verzet").get_data(as_text=True)
    assert klok_nu(app) == verwacht
    assert f"De klok staat nu op {verwacht:%d-%m-%Y %H:%M}. Er viel geen geplande stap in deze periode." in page


def test_a_week_ahead_carries_out_every_step_that_fell_due_in_order(session, gepland):
    session.login(CAK)
    zet(session, {"duur": "1w"}, url=f"{KLOK}/verzet")
    page = zet(session, {"duur": "1w"}, url=f"{KLOK}/verzet").get_data(as_text=True)
    assert ("De klok staat nu op 03-10-2022 09:00. 3 geplande stappen uitgevoerd: "
            "bestandsvergelijking (B4) plaatsen (Amsterdam, 26-09-2022 10:30); "
            "controle: terugkoppeling op tijd (Amsterdam, 29-09-2022 17:00); "
            "controle: akkoord van het CAK op tijd (Amsterdam, 30-09-2022 17:00).") in page
    assert "terugkoppeling te laat" in tekst(session.client.get("/cak/").get_data(as_text=True))


def test_an_unknown_step_is_refused(session, gepland):
    session.login(CAK)
    response = zet(session, {"duur": "1y"}, url=f"{KLOK}/verzet", volgen=False)
    assert response.status_code == 422
    assert "Kies 1 uur, 1 dag of 1 week." in response.get_data(as_text=True)


def test_the_next_step_button_goes_to_the_first_scheduled_step(app, session, gepland):
    session.login(CAK)
    page = zet(session, {}, url=f"{KLOK}/volgende").get_data(as_text=True)
    assert klok_nu(app) == lees_moment("2022-09-26 10:30")
    assert "bestandsvergelijking (B4) plaatsen (Amsterdam, 26-09-2022 10:30)" in page
    assert "Naar 29-09-2022 17:00" in page


def test_without_scheduled_steps_the_next_step_button_explains_why(app, session, alleen_gebruikers):
    session.login(CAK)
    page = session.client.get(KLOK).get_data(as_text=True)
    assert "Er staat geen stap meer gepland." in page
    page = zet(session, {}, url=f"{KLOK}/volgende").get_data(as_text=True)
    assert "Er staat geen stap meer gepland na het huidige tijdstip" in page
    assert klok_nu(app) == lees_moment("2022-09-19 09:00")


def test_moving_the_clock_without_the_csrf_field_is_refused(app, session, gepland):
    session.login(CAK)
    response = session.client.post(f"{KLOK}/verzet", data={"duur": "1w"})
    assert response.status_code == 400
    assert klok_nu(app) == lees_moment("2022-09-19 09:00")


@pytest.mark.parametrize("url", [KLOK, "/ketentest/"])
def test_a_gemeente_user_gets_not_found_on_the_ketentest_pages(app, session, alleen_gebruikers, url):
    session.login(MEDEWERKER)
    assert session.client.get(url).status_code == 404
    response = session.post(f"{KLOK}/verzet", {"duur": "1w"}, form_url="/gemeenten/0363/")
    assert response.status_code == 404
    assert klok_nu(app) == lees_moment("2022-09-19 09:00")


@pytest.mark.parametrize("app_config", [{"PORTAL_MODE": "ontwikkeling"}])
def test_the_clock_page_answers_not_found_outside_ketentest_mode(app, session, alleen_gebruikers, app_config):
    session.login(CAK)
    assert session.client.get(KLOK).status_code == 404
    assert session.post(f"{KLOK}/zet", {"moment": "2022-09-26 10:30"}, form_url="/cak/").status_code == 404
    assert "Ketentest: klok" not in session.client.get("/cak/").get_data(as_text=True)
    assert klok_nu(app) == lees_moment("2022-09-19 09:00")
