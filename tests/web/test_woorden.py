"""The words a gemeente and the CAK read: no internal codes on the gemeente's page, a form only where it
can work (otherwise the reason), and no claim that a mail went out when it was only put in the outbox."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.toestanden import Toestand
from tests.scenario import CAK, MEDEWERKER, element, gemeente_in, pagina, tekst

MAP = "/gemeenten/0363/"
INTERNE_CODES = [t.value for t in Toestand] + ["afwijkende_startdatum", "terugkoppeling_te_laat",
                                               "aanlevering_te_laat", "akkoord_te_laat"]


@pytest.mark.parametrize("toestand", [Toestand.GEPLAND, Toestand.BV_GEPUBLICEERD, Toestand.TERUGGEKOPPELD,
                                      Toestand.AKKOORD_AANLEVEREN, Toestand.NABELLEN, Toestand.GEMIGREERD])
def test_the_gemeente_page_shows_states_and_outcomes_in_words_not_internal_codes(app, session, clock, toestand):
    with app.app_context():
        gemeente_in(clock, toestand, clients=3)
    session.login(MEDEWERKER)

    zichtbaar = tekst(pagina(session.client.get(MAP)).body)

    assert [code for code in INTERNE_CODES if code in zichtbaar] == []


def test_before_the_akkoord_the_gemeente_sees_why_it_cannot_send_a_wmo407_instead_of_the_form(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)
    session.login(MEDEWERKER)

    boom = pagina(session.client.get(MAP))

    assert boom.xpath('//input[@id="wmo407-bestand"]') == []
    [reden] = boom.xpath('//*[@data-testid="aanleveren-kan-niet"]')
    assert tekst(reden).startswith("Er is nog geen akkoord om aan te leveren voor Amsterdam.")
    assert boom.xpath('//input[@id="terugkoppeling-bestand"]')   # an improved terugkoppeling can still come


def test_after_the_akkoord_the_form_is_there(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=3)
    session.login(MEDEWERKER)

    boom = pagina(session.client.get(MAP))

    assert boom.xpath('//input[@id="wmo407-bestand"]')
    assert boom.xpath('//*[@data-testid="aanleveren-kan-niet"]') == []
    assert "WMO407 maken uit de terugkoppeling" in tekst(element(boom, "wmo407-kop").getparent())


def test_the_cak_is_told_a_mail_is_put_in_the_outbox_not_that_it_was_sent(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)
    session.login(CAK)

    response = session.post("/cak/gemeenten/0363/acties/akkoord_aanleveren", {"nieuwe_aanleverdatum": ""},
                            form_url="/cak/gemeenten/0363", follow_redirects=True)

    melding = tekst(response.get_data(as_text=True))
    assert "de e-mail aan de gemeente is klaargezet in de uitbak" in melding
    assert "gemaild" not in melding and "krijgt een e-mail" not in melding


def test_without_a_first_bwstartnummer_the_gemeente_is_told_why_the_portal_cannot_make_its_wmo407(
        app, session, clock):
    with app.app_context():
        gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=3)
        gemeente.bw_startnummer = None
        db.session.commit()
    session.login(MEDEWERKER)

    boom = pagina(session.client.get(MAP))

    assert boom.xpath('//form[contains(@action, "/wmo407/genereer")]') == []
    [reden] = boom.xpath('//*[@data-testid="genereren-kan-niet"]')
    assert "er is nog geen eerste BwStartNummer ingesteld. Vraag het CAK dit in te stellen" in tekst(reden)
