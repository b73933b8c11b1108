"""Every kind of page reflows on a small screen (WCAG 1.4.10): at 390 and at 320 pixels wide nothing makes the
page wider than the screen; a wide table scrolls inside its own box instead."""
from __future__ import annotations

import pytest

from portal.services import migratie
from portal.toestanden import Toestand
from tests.browser.conftest import log_in
from tests.conftest import WACHTWOORD
from tests.scenario import BEHEER, MEDEWERKER, WEEK_2, actor, gemeente_in, leverende_gemeente, mails, ontvangsten

GEMEENTE_PAGINAS = ["/gemeenten/0363/", "/gemeenten/0363/berichten", "/gemeenten/0363/berichten?retourcode=9404",
                    "/gemeenten/0363/berichten?bsn=12345"]
CAK_PAGINAS = ["/cak/", "/cak/gemeenten", "/cak/gemeenten/0363", "/cak/uitbak", "/ketentest/klok"]
OPENBARE_PAGINAS = ["/login", "/wachtwoord-vergeten", "/help", "/privacy", "/toegankelijkheid", "/bestaat-niet", "/api"]


@pytest.fixture
def app_config():
    return {"PORTAL_MODE": "ketentest"}


@pytest.fixture
def scenario(app, clock) -> dict[str, str]:
    """Amsterdam on the call list (B4, terugkoppeling, messages, report, differences), Utrecht planned."""
    with app.app_context():
        utrecht = leverende_gemeente("0344", "Utrecht", 3)
        migratie.plan_timeslot(actor(BEHEER), utrecht, WEEK_2)
        gemeente_in(clock, Toestand.NABELLEN, clients=12)
        bericht = next(o for o in ontvangsten(soort="WMO407"))
        terugkoppeling = next(o for o in ontvangsten(soort="terugkoppeling"))
        return {"bericht": f"/gemeenten/0363/berichten/{bericht.id}",
                "bewijs": f"/gemeenten/0363/terugkoppeling/{terugkoppeling.id}",
                "mail": f"/cak/uitbak/{mails()[0].id}"}


def _breedte(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("breedte", [390, 320])
def test_every_kind_of_page_fits_a_small_screen(app, live_server, browser, scenario, breedte):
    te_breed = []
    for email, paginas in ((None, OPENBARE_PAGINAS),
                           (MEDEWERKER, [*GEMEENTE_PAGINAS, scenario["bericht"], scenario["bewijs"]]),
                           (BEHEER, [*CAK_PAGINAS, scenario["mail"]])):
        context = browser.new_context(viewport={"width": breedte, "height": 800}, locale="nl-NL")
        page = context.new_page()
        if email:
            log_in(page, live_server, email, WACHTWOORD)
        for pad in paginas:
            page.goto(live_server + pad)
            if _breedte(page) > breedte:
                te_breed.append((pad, _breedte(page)))
        context.close()

    assert te_breed == [], te_breed


def test_the_dashboard_chart_stays_readable_on_a_small_screen(app, live_server, browser, scenario):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, BEHEER, WACHTWOORD)
    page.goto(live_server + "/cak/")

    grafiek = page.locator("svg.grafiek").first
    schaal = grafiek.evaluate("svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width")
    assert schaal >= 0.7, f"de grafiek staat op {schaal:.0%} van haar grootte: de tekst wordt te klein"
    assert _breedte(page) <= 390
    context.close()
