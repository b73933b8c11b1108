"""The button 'WMO407 maken uit de terugkoppeling': a download, which the gemeente then sends back."""
from __future__ import annotations

import pytest

from portal import ieb
from portal.toestanden import Toestand
from tests.scenario import MEDEWERKER, b4_bsns, fragment, gemeente_in, mag_aanleveren, pagina, tekst, upload


def _knoptoken(session) -> str | None:
    """The CSRF token of the generate form, or None when the page does not offer the button."""
    boom = pagina(session.client.get("/gemeenten/0363/"))
    formulieren = boom.xpath('//form[@action="/gemeenten/0363/wmo407/genereer"]')
    if not formulieren:
        return None
    return formulieren[0].xpath('.//input[@name="csrf_token"]')[0].get("value")


@pytest.fixture
def bsns(app, clock) -> list[str]:
    """Amsterdam may deliver its three clients; the clock: Monday 03-10-2022 09:00."""
    with app.app_context():
        return b4_bsns(mag_aanleveren(clock))


def test_the_button_downloads_the_generated_wmo407_which_is_accepted_when_sent(app, session, bsns):
    session.login(MEDEWERKER)

    response = session.client.post("/gemeenten/0363/wmo407/genereer", data={"csrf_token": _knoptoken(session)})

    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"680363_WMO407_MIG0363-0001.xml\"; filename*=UTF-8''680363_WMO407_MIG0363-0001.xml")
    bericht = ieb.lees_wmo407(response.data).bericht
    assert [c.bsn for c in bericht.clients] == bsns
    verstuurd = upload(session.client, "wmo407", response.data, "680363_WMO407_MIG0363-0001.xml")
    [uitkomst] = fragment(verstuurd).xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht geaccepteerd MIG0363-0001"


def test_when_everything_was_delivered_the_button_answers_with_a_dutch_message_on_the_folder_page(
        app, session, bsns):
    session.login(MEDEWERKER)
    bericht = session.client.post("/gemeenten/0363/wmo407/genereer", data={"csrf_token": _knoptoken(session)}).data
    upload(session.client, "wmo407", bericht, "bericht.xml")

    response = session.client.post("/gemeenten/0363/wmo407/genereer", data={"csrf_token": _knoptoken(session)},
                                   follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path == "/gemeenten/0363/"
    assert "er is niets meer aan te leveren" in response.get_data(as_text=True)


def test_before_the_akkoord_the_folder_offers_no_button_and_a_post_is_answered_in_dutch(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD)
    session.login(MEDEWERKER)

    assert _knoptoken(session) is None
    response = session.post("/gemeenten/0363/wmo407/genereer", form_url="/gemeenten/0363/", follow_redirects=True)

    assert response.request.path == "/gemeenten/0363/"
    assert "nog geen akkoord om aan te leveren" in response.get_data(as_text=True)


def test_generating_without_a_csrf_token_is_refused(app, session, bsns):
    session.login(MEDEWERKER)

    response = session.client.post("/gemeenten/0363/wmo407/genereer")

    assert response.status_code == 400
