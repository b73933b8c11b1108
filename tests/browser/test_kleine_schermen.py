"""Every kind of page reflows on a small screen (WCAG 1.4.10): at 390 and at 320 pixels wide nothing makes the
page wider than the screen; a wide table scrolls inside its own box instead."""
from __future__ import annotations

from datetime import date

import pytest

from portal.services import migratie, opvolging, oude_kanalen
from portal.toestanden import Toestand
from tests.browser.conftest import log_in
from tests.conftest import WACHTWOORD
from tests.mutatiebestanden import BSN_DE_VRIES, formulier
from tests.scenario import (
    BEHEER,
    BIMAANDELIJKS_MOMENT,
    MEDEWERKER,
    WEEK_2,
    WEEK_3,
    actor,
    b4_bsns,
    client,
    gemeente_in,
    klok_naar,
    leverende_gemeente,
    mails,
    naar_toestand,
    ontvangsten,
    periode,
    stuur_bimaandelijkse_terugkoppeling,
    stuur_wmo407,
)

GEMEENTE_PAGINAS = ["/gemeenten/0363/", "/gemeenten/0363/berichten", "/gemeenten/0363/berichten?retourcode=9404",
                    "/gemeenten/0363/uitval", "/gemeenten/0363/oude-kanalen/",
                    "/account/tokens/"]
CAK_PAGINAS = ["/cak/", "/cak/gemeenten", "/cak/gemeenten/0363", "/cak/uitbak", "/ketentest/klok", "/cak/verschillen",
               "/cak/gemeenten/0193/verschillen", "/cak/taken", "/cak/gemeenten/0363/instellingen", "/ketentest/kit",
               "/cak/toegangsverzoeken", "/gemeenten/0363/gebruikers"]
OPENBARE_PAGINAS = ["/login", "/wachtwoord-vergeten", "/help", "/privacy", "/toegankelijkheid", "/bestaat-niet", "/api",
                    "/toegang-aanvragen"]


@pytest.fixture
def app_config():
    return {"PORTAL_MODE": "ketentest"}


@pytest.fixture
def scenario(app, clock) -> dict[str, str]:
    """Amsterdam on the call list (B4, terugkoppeling, messages, report, differences) with one rejected message
    (uitval) and a mutation accepted and one refused through the H&V form; Utrecht planned; Zwolle migrated in
    week 3. The clock on the first bimonthly comparison: follow-up tasks for Amsterdam and Utrecht, and Zwolle answered
    its comparison with one difference."""
    with app.app_context():
        utrecht = leverende_gemeente("0344", "Utrecht", 3)
        migratie.plan_timeslot(actor(BEHEER), utrecht, WEEK_2)
        amsterdam = gemeente_in(clock, Toestand.NABELLEN, clients=12)
        bericht = next(o for o in ontvangsten(soort="WMO407"))
        terugkoppeling = next(o for o in ontvangsten(soort="terugkoppeling"))
        afgekeurd = stuur_wmo407(amsterdam, client(b4_bsns(amsterdam)[-1], periode(amsterdam.bw_startnummer)))
        assert afgekeurd.uitkomst == "afgekeurd", afgekeurd.melding
        assert oude_kanalen.registreer_hv(actor(MEDEWERKER), "0363", formulier()).geaccepteerd
        assert not oude_kanalen.registreer_hv(actor(MEDEWERKER), "0363",
                                              formulier(bsn=BSN_DE_VRIES, aanbieder_agb="123")).geaccepteerd
        zwolle = leverende_gemeente("0193", "Zwolle", 3)
        naar_toestand(clock, Toestand.GEMIGREERD, zwolle, timeslot=WEEK_3)
        klok_naar(clock, BIMAANDELIJKS_MOMENT)
        eerste = b4_bsns(zwolle)[0]
        antwoord = stuur_bimaandelijkse_terugkoppeling(zwolle, {eerste: "U"}, extra={eerste: {"M": date(2022, 12, 1)}})
        assert antwoord.geldig, antwoord.problemen
        [taak] = [t for t in opvolging.open_taken(actor(BEHEER).user) if t.gemeente.code == "0363"]
        return {"bericht": f"/gemeenten/0363/berichten/{bericht.id}",
                "bewijs": f"/gemeenten/0363/terugkoppeling/{terugkoppeling.id}",
                "mail": f"/cak/uitbak/{mails()[0].id}", "taak": f"/cak/taken/{taak.taak.id}"}


def _breedte(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("breedte", [390, 320])
def test_every_kind_of_page_fits_a_small_screen(app, live_server, browser, scenario, breedte):
    te_breed = []
    for email, paginas in ((None, OPENBARE_PAGINAS),
                           (MEDEWERKER, [*GEMEENTE_PAGINAS, scenario["bericht"], scenario["bewijs"]]),
                           (BEHEER, [*CAK_PAGINAS, scenario["mail"], scenario["taak"]])):
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
