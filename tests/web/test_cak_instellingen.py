"""The CAK beheerder's page with a gemeente's settings: a form with the errors at the fields, read-only for a
plain CAK user, not found for anyone else; and the region switch from it."""
from __future__ import annotations

import pytest

from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    gemeente_met_code,
    leverende_gemeente,
    maak_gebruiker,
    medewerker,
    pagina,
    tekst,
    toestand,
)

URL = "/cak/gemeenten/0384/instellingen"
FORMULIER = {"startnummer": "38400001", "prefix": "680384", "regio": "0363", "levert_zelf_aan": "nee",
             "contact_naam": "Ria Diemen", "contact_email": "bw@diemen.example.nl", "contact_telefoon": "020-5550384"}


@pytest.fixture
def regio(app):
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", 3, regio=(("0384", "Diemen", 2),))
        leverende_gemeente("0344", "Utrecht", 1)


def test_the_beheerder_saves_the_settings_and_returns_to_the_gemeente_page_with_what_changed(regio, session):
    session.login(BEHEER)
    assert "instellingen" in tekst(session.client.get("/cak/gemeenten/0384").get_data(as_text=True))

    response = session.post(URL, {**FORMULIER, "levert_zelf_aan": "ja"})

    assert response.status_code == 302 and response.headers["Location"].endswith("/cak/gemeenten/0384")
    gemeentepagina = tekst(session.client.get("/cak/gemeenten/0384").get_data(as_text=True))
    assert "Instellingen opgeslagen: eerste BwStartNummer: leeg → 38400001;" in gemeentepagina
    assert "levert zelf aan: nee → ja" in gemeentepagina
    assert "Diemen levert vanaf" in gemeentepagina   # the region switch on its own timeline
    with session.client.application.app_context():
        diemen = gemeente_met_code("0384")
        assert diemen.levert_aan and diemen.contact_naam == "Ria Diemen"
        assert toestand(diemen) == Toestand.NIET_GEPLAND


def test_the_form_as_the_page_renders_it_shows_the_current_settings_and_saves_one_change(regio, session):
    session.login(BEHEER)
    [form] = pagina(session.client.get(URL)).xpath('//form[contains(@action, "/instellingen")]')
    velden = dict(form.form_values())
    assert {naam: velden.get(naam) for naam in ("startnummer", "prefix", "regio", "contact_naam")} == {
        "startnummer": "", "prefix": "680384", "regio": "0363", "contact_naam": ""}

    response = session.client.post(URL, data={**velden, "contact_naam": "Ria Diemen"})

    assert response.status_code == 302
    assert "Instellingen opgeslagen: contactpersoon: leeg → Ria Diemen." in tekst(
        session.client.get("/cak/gemeenten/0384").get_data(as_text=True))
    with session.client.application.app_context():
        diemen = gemeente_met_code("0384")
        assert (diemen.bestandsprefix, diemen.centrumgemeente.code) == ("680384", "0363")


def test_wrong_settings_come_back_with_the_message_at_each_field_and_nothing_changes(regio, session):
    session.login(BEHEER)

    response = session.post(URL, {**FORMULIER, "startnummer": "34400500", "contact_email": "geen adres"})

    assert response.status_code == 422
    boom = pagina(response)
    assert tekst(boom.get_element_by_id("startnummer-fout")).startswith(
        "Het startnummer 34400500 is geweigerd: het blok 34400500 t/m 34500499 overlapt met het blok van "
        "Utrecht (0344)")
    assert tekst(boom.get_element_by_id("contact_email-fout")) == (
        "'geen adres' is geen e-mailadres; vul een adres in zoals bw@gemeente.nl.")
    assert "Er is een probleem" in tekst(boom)
    with session.client.application.app_context():
        assert gemeente_met_code("0384").bw_startnummer is None


def test_a_plain_cak_user_sees_the_settings_read_only_and_cannot_post_them(regio, session):
    session.login(CAK)
    lezen = session.client.get(URL)
    assert lezen.status_code == 200
    inhoud = tekst(lezen.get_data(as_text=True))
    assert "Alleen een beheerder van het CAK kan deze instellingen wijzigen." in inhoud
    assert "Instellingen opslaan" not in inhoud

    response = session.post(URL, FORMULIER, form_url="/cak/gemeenten/0384")

    assert response.status_code == 403
    assert "Alleen een beheerder van het CAK kan de instellingen van een gemeente wijzigen." in tekst(
        response.get_data(as_text=True))
    with session.client.application.app_context():
        assert gemeente_met_code("0384").contact_naam is None


@pytest.mark.parametrize("rol", ["gemeente", "gemeente_beheerder", "leverancier"])
def test_a_gemeente_or_supplier_user_gets_not_found(regio, session, rol):
    with session.client.application.app_context():
        maak_gebruiker(f"{rol}@diemen.example.nl", rol, ("0384",))
    session.login(f"{rol}@diemen.example.nl")
    assert session.client.get(URL).status_code == 404
    token = session.csrf("/gemeenten/0384/")
    assert session.client.post(URL, data={**FORMULIER, "csrf_token": token}).status_code == 404


def test_the_gemeente_own_user_gets_not_found(regio, session):
    session.login(medewerker("Amsterdam"))
    assert session.client.get("/cak/gemeenten/0363/instellingen").status_code == 404
