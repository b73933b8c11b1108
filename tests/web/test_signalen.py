"""What a gemeente employee and a CAK operator see of the flow's signals: only weeks still ahead to choose,
no verdict before the delivery deadline, what to do once a deadline has passed, and the CAK's own flags."""
from __future__ import annotations

import pytest

from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    MEDEWERKER,
    dashboard_zoals_getoond,
    element,
    gemeente_in,
    klok_naar,
    leverende_gemeente,
    pagina,
    rij,
    tekst,
)

MAP = "/gemeenten/0363/"


def _opties(boom, naam: str) -> list[str]:
    return [tekst(o) for o in boom.xpath(f'//select[@name="{naam}"]/option')]


@pytest.fixture
def aangemeld_na_de_eerste_b4(app, clock) -> None:
    with app.app_context():
        leverende_gemeente()
        klok_naar(clock, "2022-09-26 10:31")


def test_the_sign_up_form_offers_only_the_weeks_still_ahead(session, aangemeld_na_de_eerste_b4):
    session.login(MEDEWERKER)

    boom = pagina(session.client.get(MAP))

    assert _opties(boom, "aanmelding-voorkeur") == [
        "week van maandag 10-10-2022", "week van maandag 17-10-2022", "week van maandag 24-10-2022",
        "week van maandag 31-10-2022", "week van maandag 07-11-2022"]


def test_signing_up_for_a_past_week_by_hand_is_refused_with_the_reason(session, aangemeld_na_de_eerste_b4):
    session.login(MEDEWERKER)

    response = session.post("/gemeenten/0363/aanmelding", {"aanmelding-voorkeur": "2022-10-03",
                                                           "aanmelding-tweede_keus": ""},
                            form_url=MAP, follow_redirects=True)

    assert ("De week van 03-10-2022 kan niet meer: de bestandsvergelijking voor die week had op 26-09-2022 10:30 "
            "geplaatst moeten worden en dat moment is voorbij.") in tekst(response.get_data(as_text=True))


def test_when_no_week_is_left_the_folder_says_so_instead_of_a_form(app, session, clock):
    with app.app_context():
        leverende_gemeente()
        klok_naar(clock, "2022-11-01 09:00")
    session.login(MEDEWERKER)

    boom = pagina(session.client.get(MAP))

    assert boom.xpath('//select[@name="aanmelding-voorkeur"]') == []
    assert "Er is geen migratieweek meer om u voor aan te melden" in tekst(element(boom, "aanmelding-kop").getparent())


def test_the_cak_plan_form_offers_the_open_weeks_and_explains_when_there_are_none(app, session, clock):
    with app.app_context():
        leverende_gemeente()
        klok_naar(clock, "2022-10-10 10:31")
    session.login(BEHEER)
    assert _opties(pagina(session.client.get("/cak/gemeenten/0363")), "timeslot") == [
        "week van maandag 24-10-2022", "week van maandag 31-10-2022", "week van maandag 07-11-2022"]

    with app.app_context():
        klok_naar(clock, "2022-11-01 09:00")
    boom = pagina(session.client.get("/cak/gemeenten/0363"))

    assert boom.xpath('//form[contains(@action, "/acties/plannen")]') == []
    [reden] = boom.xpath('//*[@data-testid="kan-niet-plannen"]')
    assert tekst(reden).startswith("Plannen kan niet meer: van elke migratieweek is het moment voor de "
                                   "bestandsvergelijking voorbij.")


def test_before_the_delivery_deadline_the_gemeente_sees_nothing_received_instead_of_a_verdict(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=3)
    session.login(MEDEWERKER)

    paneel = tekst(element(pagina(session.client.get(MAP)), "aansluiting"))

    assert ("Nog niets ontvangen. Verwacht: 3 cliënten met code J, aan te leveren uiterlijk 04-10-2022 15:00."
            in paneel)
    assert "Oordeel" not in paneel and "ontbreekt" not in paneel


def test_after_the_delivery_deadline_the_verdict_is_shown(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=3)
        klok_naar(clock, "2022-10-04 15:01")
    session.login(MEDEWERKER)

    paneel = tekst(element(pagina(session.client.get(MAP)), "aansluiting"))

    assert "Oordeel: niet correct" in paneel and "Nog niets ontvangen" not in paneel


@pytest.mark.parametrize(("toestand", "moment", "verwacht"), [
    (Toestand.BV_GEPUBLICEERD, "2022-09-29 17:01",
     "De deadline voor de terugkoppeling (29-09-2022 17:00) is voorbij. Upload uw ingevulde bestandsvergelijking "
     "zo snel mogelijk hieronder: ze wordt nog aangenomen en als te laat gemarkeerd. Neem contact op met het CAK "
     "over de gevolgen voor uw migratieweek."),
    (Toestand.AKKOORD_AANLEVEREN, "2022-10-04 15:01",
     "De aanleverdeadline (04-10-2022 15:00) is voorbij. Stuur uw WMO407-berichten zo snel mogelijk: ze worden "
     "nog verwerkt en als te laat gemarkeerd. Neem contact op met het CAK om een nieuwe aanleverdatum af te "
     "spreken."),
])
def test_a_late_gemeente_is_told_the_deadline_passed_and_what_to_do_now(app, session, clock, toestand, moment,
                                                                         verwacht):
    with app.app_context():
        gemeente_in(clock, toestand, clients=3)
        clock.set(clock.now().replace(hour=0))   # before the deadline: the plain instruction
    session.login(MEDEWERKER)
    assert verwacht not in tekst(session.client.get(MAP).get_data(as_text=True))

    with app.app_context():
        klok_naar(clock, moment)
    status = tekst(element(pagina(session.client.get(MAP)), "migratie-status"))

    assert f"Wat nu: {verwacht}" in status
    assert "vóór de deadline" not in status


def test_the_dashboard_shows_the_cak_its_own_late_akkoord_and_why_weekly_reports_do_not_come(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)
        klok_naar(clock, "2022-10-11 10:00")
    session.login(CAK)

    regel = tekst(rij(dashboard_zoals_getoond(session.client), "0363", begin="Week van maandag"))

    assert "akkoord CAK te laat" in regel
    assert "geen wekelijkse aanleverrapportage: nog geen akkoord om aan te leveren" in regel
