"""Errors where the eye is (GOV.UK / NL Design System pattern), on every form: a summary at the top that
links to each field, the message at the field, the field marked invalid and pointing to its message, and no
browser validation bubbles (every form has novalidate; the messages are the portal's Dutch ones)."""
from __future__ import annotations

import io

import pytest

from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    MEDEWERKER,
    gemeente_in,
    leverende_gemeente,
    pagina,
    tekst,
    zoek_bsn,
)


def samenvatting(boom) -> list[tuple[str, str]]:
    """(link target, message) of every line of the error summary at the top of the page."""
    [overzicht] = boom.xpath('//*[@data-testid="foutoverzicht"]')
    assert overzicht.get("role") == "alert"
    assert tekst(overzicht.xpath(".//h2")[0]) == "Er is een probleem"
    assert overzicht.xpath("following::h1"), "de samenvatting staat boven de kop van de pagina"
    return [(a.get("href"), tekst(a)) for a in overzicht.xpath(".//a")]


def aan_het_veld(boom, veld_id: str) -> str:
    """The field is marked invalid and points to its own message, which this returns."""
    [veld] = boom.xpath(f'//*[@id="{veld_id}"]')
    assert veld.get("aria-invalid") == "true"
    beschreven = veld.get("aria-describedby").split()
    assert f"{veld_id}-fout" in beschreven
    return tekst(boom.xpath(f'//*[@id="{veld_id}-fout"]')[0])


def test_an_empty_login_links_to_both_fields_from_the_summary(client):
    from tests.conftest import Session

    response = Session(client).post("/login", {"email": "", "password": ""})

    boom = pagina(response)
    assert samenvatting(boom) == [("#email", "Vul uw e-mailadres in."), ("#password", "Vul uw wachtwoord in.")]
    assert aan_het_veld(boom, "email") == "Vul uw e-mailadres in."
    assert tekst(boom.xpath("//title")[0]).startswith("Fout: ")


def test_a_wrong_password_is_in_the_summary_and_leads_to_the_address(app, session):
    with app.app_context():
        leverende_gemeente()
    response = session.login(MEDEWERKER, "verkeerd-wachtwoord")

    assert samenvatting(pagina(response)) == [
        ("#email", "Het e-mailadres of wachtwoord is onjuist. Controleer beide en probeer het opnieuw.")]


def test_a_sign_up_without_a_week_shows_the_summary_and_the_message_at_the_select(app, session):
    with app.app_context():
        leverende_gemeente()
    session.login(MEDEWERKER)

    response = session.post("/gemeenten/0363/aanmelding", {"aanmelding-voorkeur": ""}, form_url="/gemeenten/0363/")

    assert response.status_code == 422
    boom = pagina(response)
    [(doel, melding)] = samenvatting(boom)
    assert doel == "#aanmelding-voorkeur"
    assert aan_het_veld(boom, "aanmelding-voorkeur") == melding


@pytest.mark.parametrize("soort", ["terugkoppeling", "wmo407"])
def test_an_upload_without_a_file_without_javascript_shows_the_summary_and_the_message_at_the_field(
        app, session, clock, soort):
    with app.app_context():
        gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN if soort == "wmo407" else Toestand.BV_GEPUBLICEERD)
    session.login(MEDEWERKER)

    response = session.post(f"/gemeenten/0363/{soort}", {f"{soort}-bestand": (io.BytesIO(b""), "")},
                            form_url="/gemeenten/0363/", content_type="multipart/form-data")

    assert response.status_code == 422
    boom = pagina(response)
    assert samenvatting(boom) == [(f"#{soort}-bestand", "Kies een bestand om te uploaden.")]
    assert aan_het_veld(boom, f"{soort}-bestand") == "Kies een bestand om te uploaden."


def test_an_incomplete_call_result_on_the_cak_page_shows_the_summary(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.NABELLEN)
    session.login(CAK)

    response = session.post("/cak/gemeenten/0363/acties/belresultaat", {"uitkomst": "", "nieuwe_leverdatum": ""},
                            form_url="/cak/gemeenten/0363")

    assert response.status_code == 422
    boom = pagina(response)
    assert [doel for doel, _ in samenvatting(boom)] == ["#uitkomst", "#nieuwe_leverdatum"]
    assert aan_het_veld(boom, "uitkomst") == "Vul in wat er met de gemeente is afgesproken."


def test_an_unreadable_clock_moment_shows_the_summary(app, session):
    app.config["PORTAL_MODE"] = "ketentest"
    with app.app_context():
        leverende_gemeente()
    session.login(BEHEER)

    response = session.post("/ketentest/klok/zet", {"moment": "morgen"}, form_url="/ketentest/klok")

    boom = pagina(response)
    [(doel, melding)] = samenvatting(boom)
    assert doel == "#moment" and melding.startswith("'morgen' is geen tijdstip")
    assert aan_het_veld(boom, "moment") == melding


def test_a_bsn_that_is_no_bsn_shows_the_summary_on_the_messages_page(app, session):
    with app.app_context():
        leverende_gemeente()
    session.login(MEDEWERKER)

    boom = pagina(zoek_bsn(session, "0363", "12345"))

    [(doel, melding)] = samenvatting(boom)
    assert doel == "#bsn"
    assert aan_het_veld(boom, "bsn") == melding


@pytest.mark.parametrize("url", ["/login", "/wachtwoord-vergeten", "/gemeenten/0363/", "/gemeenten/0363/berichten",
                                 "/cak/gemeenten/0363"])
def test_every_form_leaves_validation_to_the_portal_not_to_browser_bubbles(app, session, clock, url):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD)
    if url != "/login" and url != "/wachtwoord-vergeten":
        session.login(BEHEER if url.startswith("/cak") else MEDEWERKER)

    boom = pagina(session.client.get(url))

    formulieren = boom.xpath("//form")
    assert formulieren
    assert [f.get("action") for f in formulieren if f.get("novalidate") is None] == []
