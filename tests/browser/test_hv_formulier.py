"""In a real browser: a gemeente user looks up a client on the old-channels page, sees the registration, and
stops it with the H&V form; after the channel is closed, a stop after the peildatum is refused with the pointer
to WMO407, and one before it is still accepted."""
from __future__ import annotations

from playwright.sync_api import expect

from portal.extensions import db
from portal.services import kanalen
from portal.services.audit import Actor
from tests.browser.conftest import log_in
from tests.scenario import MEDEWERKER, WACHTWOORD, client_bsns, leverende_gemeente


def stop_via_formulier(page, base_url: str, bsn: str, naam: str, einde: str) -> None:
    page.goto(f"{base_url}/gemeenten/0363/oude-kanalen/")
    page.get_by_label("Zoek eerst de huidige registratie op BSN").fill(bsn)
    page.get_by_role("button", name="Registratie opzoeken").click()
    expect(page.get_by_test_id("registratie")).to_contain_text("vanaf 01-01-2018")
    expect(page.get_by_label("Geslachtsnaam")).to_have_value(naam)
    page.get_by_label("Soort mutatie").select_option("STOP")
    page.get_by_label("Einddatum beschermd wonen (dd-mm-jjjj, verplicht bij STOP)").fill(einde)
    page.get_by_label("Naam zorgaanbieder").fill("Zorg BV")
    page.get_by_label("Leveringsvorm").select_option("ZIN")
    page.get_by_label("Woonsituatie").select_option("ALLEENSTAAND")
    page.get_by_role("button", name="Mutatie versturen").click()


def test_the_hv_form_stops_a_client_while_open_and_refuses_a_late_stop_when_closed(app, live_server, page):
    with app.app_context():
        gemeente = leverende_gemeente("0363", "Amsterdam", clients=2)
        eerste, tweede = client_bsns("0363", 2)
    log_in(page, live_server, MEDEWERKER, WACHTWOORD)

    stop_via_formulier(page, live_server, eerste, "Cliënt000", "15-10-2022")
    uitkomst = page.get_by_test_id("oude-kanalen-uitkomst")
    expect(uitkomst.get_by_role("heading")).to_have_text("H&V-app (webformulier): aangenomen")
    expect(page.get_by_test_id("mutaties")).to_contain_text(f"STOP BSN {eerste}")
    expect(page.get_by_test_id("stand-HV_APP")).to_contain_text("open sinds het begin")
    expect(page.get_by_label("Geslachtsnaam")).to_have_value("")   # accepted: the form is empty again

    with app.app_context():
        kanalen.sluit_oude_kanalen(db.session.merge(gemeente), Actor.job_named("test"))
        db.session.commit()
    stop_via_formulier(page, live_server, tweede, "Cliënt001", "15-10-2022")
    expect(page.get_by_test_id("stand-HV_APP")).to_contain_text("gesloten sinds")
    expect(page.get_by_test_id("regel-HV_APP")).to_contain_text(
        "meld andere aan- en afmeldingen met een WMO407-bericht")
    uitkomst = page.get_by_test_id("oude-kanalen-uitkomst")
    expect(uitkomst.get_by_role("heading")).to_have_text("H&V-app (webformulier): geweigerd")
    expect(uitkomst).to_contain_text("Meld deze cliënt aan of af met een WMO407-bericht.")
    expect(page.get_by_test_id("weigeringen")).to_contain_text("geweigerd")
    expect(page.get_by_label("Geslachtsnaam")).to_have_value("Cliënt001")   # refused: kept, to be corrected

    stop_via_formulier(page, live_server, tweede, "Cliënt001", "15-09-2022")
    expect(page.get_by_test_id("oude-kanalen-uitkomst").get_by_role("heading")).to_have_text(
        "H&V-app (webformulier): aangenomen")
    expect(page.get_by_test_id("mutaties")).to_contain_text(f"STOP BSN {tweede}")
