"""In a real browser, on the ketentest's virtual clock: after the migration, by the screens alone.

Rotterdam has the CAK's akkoord to deliver (built server-side: B4, terugkoppeling with its third client marked X,
akkoord). Then everything goes through the pages: the gemeente sends the WMO407 the portal makes for it (accepted)
and one it altered by hand for the third client (rejected at level 3: the BwStartNummer is in use); the CAK
approves the delivery; the old channels close and apply the one closing rule; the uitval page shows the rejected
period and exports it; past the end of the migration period the CAK follows up the client without WMO407 and
records the outcome; at the first bimonthly comparison the gemeente answers with one difference, which the CAK
handles with a note.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from lxml import etree
from playwright.sync_api import expect

from portal.services import migratie
from tests.browser.conftest import context_en_pagina, zet_klok
from tests.scenario import (
    BEHEER,
    CAK,
    WACHTWOORD,
    actor,
    akkoord_moment,
    b4_bsns,
    b4_moment,
    elfproef_bsn,
    klok_naar,
    lees_xlsx,
    leverende_gemeente,
    medewerker,
    plan,
    stuur_terugkoppeling,
    terugkoppeling_moment,
    vul_b4,
)

GEMEENTE = medewerker("Rotterdam")
WMO407 = "{http://www.istandaarden.nl/ieb/2_0/wmo407/schema}"
IEB = "{http://www.istandaarden.nl/ieb/2_0/basisschema/schema}"
NIEUWE_CLIENT = elfproef_bsn(990599500)


@pytest.fixture
def app_config():
    # the ketentest, on the test's clock: the clock page moves it
    return {"PORTAL_MODE": "ketentest"}


def _download(page, tmp_path, klik):
    with page.expect_download() as download:
        klik()
    pad = tmp_path / download.value.suggested_filename
    download.value.save_as(pad)
    return pad


def _met_de_hand(inhoud: bytes, identificatie: str, bsn: str) -> bytes:
    """The generated message altered by hand: a new identificatie and only its first period, now for another
    client, so it reuses a BwStartNummer the CAK has already registered."""
    bericht = etree.fromstring(inhoud)
    bericht.find(f"{WMO407}Header/{WMO407}BerichtIdentificatie/{IEB}Identificatie").text = identificatie
    eerste, *rest = bericht.findall(f"{WMO407}Client")
    for client in rest:
        bericht.remove(client)
    eerste.find(f"{WMO407}Bsn").text = bsn
    return etree.tostring(bericht, xml_declaration=True, encoding="UTF-8")


def _hv_start(page, start: str, einde: str = "") -> None:
    """The H&V form: a new client starts with beschermd wonen."""
    page.get_by_label("BSN", exact=True).fill(NIEUWE_CLIENT)
    page.get_by_label("Geslachtsnaam").fill("Jansen")
    page.get_by_label("Voorletters").fill("P.")
    page.get_by_label("Geboortedatum (dd-mm-jjjj)").fill("12-03-1961")
    page.get_by_label("Soort mutatie").select_option("START")
    page.get_by_label("Begindatum beschermd wonen (dd-mm-jjjj)").fill(start)
    page.get_by_label("Einddatum beschermd wonen (dd-mm-jjjj, verplicht bij STOP)").fill(einde)
    page.get_by_label("AGB-code zorgaanbieder (8 cijfers)").fill("01234567")
    page.get_by_label("Naam zorgaanbieder").fill("Zorg BV")
    page.get_by_label("Leveringsvorm").select_option("ZIN")
    page.get_by_label("Soort eigen bijdrage").select_option("LEB")
    page.get_by_label("Woonsituatie").select_option("ALLEENSTAAND")
    page.get_by_role("button", name="Mutatie versturen").click()


def test_after_the_migration_uitval_old_channels_follow_up_and_the_bimonthly_comparison_work_by_the_screens(
        app, clock, live_server, browser, tmp_path):
    with app.app_context():
        rotterdam = leverende_gemeente("0599", "Rotterdam", clients=3)
        plan(rotterdam)
        klok_naar(clock, b4_moment())
        a, b, c = b4_bsns(rotterdam)
        clock.set(terugkoppeling_moment())
        uitkomst = stuur_terugkoppeling(rotterdam, {c: "X"}, extra={c: {"N": "Nog in onderzoek"}})
        assert uitkomst.geldig, uitkomst.problemen
        clock.set(akkoord_moment())
        migratie.geef_akkoord_aanleveren(actor(CAK), rotterdam)
        nummer = rotterdam.bw_startnummer

    gemeente_context, gemeente = context_en_pagina(browser, live_server, GEMEENTE, WACHTWOORD)
    cak_context, cak = context_en_pagina(browser, live_server, BEHEER, WACHTWOORD)
    try:
        # The gemeente sends the WMO407 the portal makes for its clients marked J: accepted.
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        gegenereerd = _download(gemeente, tmp_path, gemeente.get_by_role(
            "button", name="WMO407 maken uit de terugkoppeling (downloaden)").click)
        bestandsveld = gemeente.get_by_label("WMO407-bericht (.xml, hoogstens 25 MB)")
        bestandsveld.set_input_files(gegenereerd)
        gemeente.get_by_role("button", name="Bericht versturen").click()
        expect(gemeente.get_by_test_id("wmo407-uitkomst")).to_contain_text("Bericht geaccepteerd")
        expect(gemeente.get_by_test_id("toestand")).to_have_text("aangeleverd")

        # Then one altered by hand for the third client: rejected, and the uitval link counts it at once.
        met_de_hand = tmp_path / "met-de-hand.xml"
        met_de_hand.write_bytes(_met_de_hand(gegenereerd.read_bytes(), "HAND0599-001", c))
        bestandsveld.set_input_files(met_de_hand)
        gemeente.get_by_role("button", name="Bericht versturen").click()
        afgekeurd = gemeente.get_by_test_id("wmo407-uitkomst")
        expect(afgekeurd).to_contain_text("Bericht afgekeurd HAND0599-001")
        expect(afgekeurd).to_contain_text("retourcodes 9404")
        expect(gemeente.get_by_test_id("uitval-link")).to_have_text("Uitval: 1 periode te herstellen")

        # The aanleverrapportage finds the delivery correct; the CAK approves it; the planner closes the channels.
        zet_klok(cak, live_server, "2022-10-05 10:01")
        cak.goto(f"{live_server}/cak/gemeenten/0599")
        cak.get_by_role("button", name="Akkoord geven op de aanlevering").click()
        expect(cak.locator(".melding-succes")).to_contain_text("gemigreerd")
        cak.goto(f"{live_server}/ketentest/klok")
        cak.get_by_role("button", name="+ 1 uur").click()
        expect(cak.locator(".melding-succes")).to_contain_text("oude kanalen sluiten")

        # The old channels: each closed, with the one closing rule.
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        expect(gemeente.get_by_test_id("toestand")).to_have_text("gemigreerd")
        gemeente.get_by_role("link", name="Aan- en afmelden via de oude kanalen (H&V-app, Excel, 60-record)").click()
        for kanaal in ("HV_APP", "EXCEL", "RECORD60"):
            expect(gemeente.get_by_test_id(f"stand-{kanaal}")).to_have_text("Stand: gesloten sinds 05-10-2022 10:01")
            expect(gemeente.get_by_test_id(f"regel-{kanaal}")).to_contain_text(
                "alleen mutaties met een start- of einddatum vóór 01-10-2022 worden nog aangenomen")

        # A start after the cut-over is refused and kept; a care period before it is accepted.
        _hv_start(gemeente, "01-11-2022")
        uitkomst_hv = gemeente.get_by_test_id("oude-kanalen-uitkomst")
        expect(uitkomst_hv).to_contain_text("H&V-app (webformulier): geweigerd")
        expect(uitkomst_hv).to_contain_text("Meld deze cliënt aan of af met een WMO407-bericht.")
        expect(gemeente.get_by_test_id("weigeringen").locator("tbody tr")).to_have_count(1)
        _hv_start(gemeente, "01-06-2022", "31-08-2022")
        expect(uitkomst_hv).to_contain_text("H&V-app (webformulier): aangenomen")
        mutaties = gemeente.get_by_test_id("mutaties").locator("tbody tr")
        expect(mutaties).to_have_count(1)
        expect(mutaties).to_contain_text(f"START BSN {NIEUWE_CLIENT} (P. Jansen), gemeente 0599, start 01-06-2022")

        # The uitval page: the rejected period, with what to do; its export downloads.
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        gemeente.get_by_test_id("uitval-link").click()
        expect(gemeente.get_by_test_id("aantal-uitval")).to_have_text("1 periode uitval")
        expect(gemeente.get_by_test_id("uitval").locator("tbody tr td")).to_have_text(
            [c, str(nummer), "01-10-2022", "open", re.compile("9404 Er bestaat al een aanlevering"),
             "HAND0599-001", "28-09-2022 10:00"])
        export = _download(gemeente, tmp_path, gemeente.get_by_role(
            "link", name="Alle uitval exporteren naar Excel (.xlsx)").click)
        assert export.name == "680599_Uitval_20221005.xlsx"
        [kop, rij] = lees_xlsx(export.read_bytes())["Uitval"]
        assert dict(zip(kop, rij, strict=True)) | {"BW_STARTDATUM": None, "ONTVANGEN_OP": None} == {
            "BSN": c, "BW_STARTNUMMER": nummer, "BW_STARTDATUM": None, "BW_EINDDATUM": None, "RETOURCODES": "9404",
            "OMSCHRIJVING": "9404: Er bestaat al een aanlevering met dit BwStartNummer",
            "WAT_TE_DOEN": rij[6], "BERICHT_IDENTIFICATIE": "HAND0599-001", "ONTVANGEN_OP": None}

        # Past the end of the migration period: the CAK follows up the client without an accepted WMO407.
        zet_klok(cak, live_server, "2022-11-14 10:30")
        cak.goto(f"{live_server}/cak/")
        opvolging = cak.get_by_role("region", name="Opvolging ontbrekende WMO407")
        expect(opvolging.get_by_role("row").filter(has_text="Rotterdam")).to_contain_text("1 van 1 cliënt ")
        opvolging.get_by_role("link", name="1 van 1 cliënt").click()
        expect(cak.get_by_test_id("taakclienten").locator("tbody tr td")).to_have_text(
            [c, "A. Cliënt002", "nog geen goedgekeurd WMO407"])
        cak.get_by_label("Uitkomst van het contact met de gemeente").fill(
            "De gemeente zoekt uit of de cliënt bij haar hoort en stuurt dan een WMO407.")
        cak.get_by_role("button", name="Uitkomst vastleggen en taak sluiten").click()
        expect(cak.get_by_test_id("taakstand")).to_contain_text(
            f"Afgesloten op 14-11-2022 10:30 door {BEHEER}: de uitkomst van het contact met de gemeente is "
            "vastgelegd. Uitkomst: De gemeente zoekt uit")
        cak.goto(f"{live_server}/cak/")
        expect(cak.get_by_role("region", name="Opvolging ontbrekende WMO407")).to_have_count(0)

        # The first bimonthly comparison: the gemeente answers it with one client whose care ended.
        zet_klok(cak, live_server, "2023-01-02 10:30")
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        expect(gemeente.get_by_test_id("vergelijking-stand")).to_contain_text(
            "De bestandsvergelijking van 02-01-2023 met 2 cliënten wacht op uw terugkoppeling.")
        bimaandelijks = _download(gemeente, tmp_path, gemeente.get_by_role(
            "link", name="680599_Bestandsvergelijking_BW_20230102.xlsx").first.click)
        assert [r[1] for r in lees_xlsx(bimaandelijks.read_bytes())["Bestandsvergelijking"][1:] if r[1]] == [a, b]
        antwoord = tmp_path / "antwoord.xlsx"
        antwoord.write_bytes(vul_b4(bimaandelijks.read_bytes(), codes={b: "U"}, extra={b: {"M": date(2022, 12, 1)}}))
        gemeente.get_by_label("Ingevulde tweemaandelijkse bestandsvergelijking (.xlsx)").set_input_files(antwoord)
        gemeente.get_by_role("button", name="Terugkoppeling uploaden").click()
        expect(gemeente.get_by_test_id("terugkoppeling-uitkomst")).to_contain_text(
            "Terugkoppeling aangenomen (tweemaandelijkse bestandsvergelijking van 02-01-2023)")
        expect(gemeente.get_by_test_id("vergelijking-stand")).to_contain_text("1 verschil voor het CAK")

        # The CAK finds the difference from its dashboard and handles it with a note.
        cak.goto(f"{live_server}/cak/")
        cak.get_by_role("link", name="Verschillen uit de tweemaandelijkse bestandsvergelijking").click()
        per_gemeente = cak.get_by_test_id("verschillen-per-gemeente").get_by_role("row").filter(has_text="Rotterdam")
        expect(per_gemeente.locator("td")).to_have_text(["0599", "Rotterdam", "1", "0", "02-01-2023 10:30"])
        per_gemeente.get_by_role("link", name="Rotterdam").click()
        open_verschil = cak.get_by_test_id("open-verschillen").locator(f'tr[data-bsn="{b}"]')
        expect(open_verschil).to_contain_text("zorg beëindigd of cliënt vertrokken")
        expect(open_verschil).to_contain_text("einddatum 01-12-2022")
        open_verschil.get_by_label("Notitie: wat heeft het CAK met dit verschil gedaan?").fill(
            "Einde zorg verwerkt per 01-12-2022.")
        open_verschil.get_by_role("button", name="Afgehandeld").click()
        expect(cak.locator(".melding-succes")).to_have_text(
            f"Het verschil voor BSN {b} is afgehandeld; de notitie staat bij de afgehandelde verschillen.")
        expect(cak.get_by_test_id("aantal-open")).to_have_text("(0)")
        expect(cak.get_by_test_id("afgehandelde-verschillen").locator(f'tr[data-bsn="{b}"]')).to_contain_text(
            "Einde zorg verwerkt per 01-12-2022.")
    finally:
        gemeente_context.close()
        cak_context.close()
