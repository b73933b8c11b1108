"""In a real browser, on the ketentest's virtual clock: one gemeente from its aanmelding to GEMIGREERD
with its old channels closed, by the screens alone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import context_en_pagina, zet_klok
from tests.scenario import BEHEER, WACHTWOORD, lees_xlsx, leverende_gemeente, medewerker, vul_b4

GEMEENTE = medewerker("Rotterdam")


@pytest.fixture
def app_config():
    # the ketentest with its database-backed virtual clock, which starts at 19-09-2022 09:00
    return {"PORTAL_MODE": "ketentest", "CLOCK": None}


def test_a_gemeente_walks_from_its_aanmelding_to_gemigreerd_on_the_virtual_clock(
        app, live_server, browser, tmp_path):
    with app.app_context():
        leverende_gemeente("0599", "Rotterdam", clients=3)

    gemeente_context, gemeente = context_en_pagina(browser, live_server, GEMEENTE, WACHTWOORD)
    cak_context, cak = context_en_pagina(browser, live_server, BEHEER, WACHTWOORD)
    try:
        # The gemeente signs up for its preferred week.
        expect(gemeente.get_by_role("heading", name="Map van Rotterdam")).to_be_visible()
        expect(gemeente.get_by_test_id("toestand")).to_have_text("nog niet gepland")
        gemeente.get_by_label("Voorkeursweek (timeslot)").select_option("2022-10-10")
        gemeente.get_by_role("button", name="Aanmelden").click()
        expect(gemeente.locator(".melding-succes")).to_contain_text("Uw aanmelding is ontvangen")

        # The CAK sees it under "actie nodig" and plans it.
        cak.goto(f"{live_server}/cak/")
        expect(cak.locator("body")).to_contain_text("Rotterdam")
        cak.goto(f"{live_server}/cak/gemeenten/0599")
        cak.get_by_label("Timeslot", exact=True).select_option("2022-10-10")
        cak.get_by_role("button", name="Timeslot bevestigen of toewijzen").click()
        expect(cak.locator(".melding-succes")).to_contain_text("ingepland in de week van 10-10-2022")

        # The clock moves to Monday 03-10-2022 10:31: the B4 appears.
        melding = zet_klok(cak, live_server, "2022-10-03 10:31")
        expect(melding).to_contain_text("bestandsvergelijking", ignore_case=True)

        # The gemeente downloads the B4, sends feedback with one error, fixes it.
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        expect(gemeente.get_by_test_id("toestand")).to_have_text("bestandsvergelijking geplaatst")
        with gemeente.expect_download() as b4_download:
            gemeente.get_by_role("link", name="680599_B4_Bestandsvergelijking_20221003.xlsx").first.click()
        b4_pad = tmp_path / "b4.xlsx"
        b4_download.value.save_as(b4_pad)
        b4 = b4_pad.read_bytes()
        eerste_bsn = lees_xlsx(b4)["Bestandsvergelijking"][1][1]

        fout_pad = tmp_path / "terugkoppeling-met-fout.xlsx"
        fout_pad.write_bytes(vul_b4(b4, codes={eerste_bsn: "Q"}))
        gemeente.get_by_label("Ingevulde bestandsvergelijking (.xlsx)").set_input_files(fout_pad)
        gemeente.get_by_role("button", name="Terugkoppeling uploaden").click()
        uitkomst = gemeente.get_by_test_id("terugkoppeling-uitkomst")
        expect(uitkomst).to_contain_text("Terugkoppeling niet aangenomen")
        expect(uitkomst.locator("tbody tr")).to_have_count(1)
        expect(uitkomst.locator("tbody tr td")).to_have_text(
            ["2", "L (TERUGKOPPELING)", re.compile(r"^\s*'Q' is geen geldige code")])
        expect(gemeente.get_by_test_id("toestand")).to_have_text("bestandsvergelijking geplaatst")

        goed_pad = tmp_path / "terugkoppeling.xlsx"
        goed_pad.write_bytes(vul_b4(b4))
        gemeente.get_by_label("Ingevulde bestandsvergelijking (.xlsx)").set_input_files(goed_pad)
        gemeente.get_by_role("button", name="Terugkoppeling uploaden").click()
        expect(uitkomst).to_contain_text("Terugkoppeling aangenomen")
        expect(gemeente.get_by_test_id("toestand")).to_have_text("terugkoppeling ontvangen")

        # The CAK gives akkoord to deliver.
        cak.goto(f"{live_server}/cak/gemeenten/0599")
        cak.get_by_role("button", name="Akkoord geven om aan te leveren").click()
        expect(cak.locator(".melding-succes")).to_contain_text("Akkoord om aan te leveren gegeven")

        # The gemeente lets the portal make its WMO407 and sends it.
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        with gemeente.expect_download() as wmo407_download:
            gemeente.get_by_role("button", name="WMO407 maken uit de terugkoppeling (downloaden)").click()
        wmo407_pad = tmp_path / wmo407_download.value.suggested_filename
        wmo407_download.value.save_as(wmo407_pad)
        gemeente.get_by_label("WMO407-bericht (.xml, hoogstens 25 MB)").set_input_files(wmo407_pad)
        gemeente.get_by_role("button", name="Bericht versturen").click()
        expect(gemeente.get_by_test_id("wmo407-uitkomst")).to_contain_text("Bericht geaccepteerd")
        expect(gemeente.get_by_test_id("toestand")).to_have_text("aangeleverd")
        expect(gemeente.locator("#bestanden").get_by_text("_WMO408_")).to_have_count(1)

        # The clock reaches Wednesday 12-10-2022 10:00: the aanleverrapportage, verdict correct.
        zet_klok(cak, live_server, "2022-10-12 10:01")
        cak.goto(f"{live_server}/cak/gemeenten/0599")
        expect(cak.locator("body")).to_contain_text("aanleverrapportage geplaatst")
        cak.get_by_role("button", name="Akkoord geven op de aanlevering").click()
        expect(cak.locator(".melding-succes")).to_contain_text("gemigreerd")

        # The next round of the planner closes the old channels.
        cak.goto(f"{live_server}/ketentest/klok")
        cak.get_by_role("button", name="+ 1 uur").click()
        expect(cak.locator(".melding-succes")).to_contain_text("oude kanalen sluiten")
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        expect(gemeente.get_by_test_id("toestand")).to_have_text("gemigreerd")
        kanalen = gemeente.get_by_role("region", name="Kanalen")
        for naam in ("H&V-app", "Excel", "60-record"):
            expect(kanalen.get_by_role("row").filter(has_text=naam)).to_contain_text("gesloten")
        expect(kanalen.get_by_role("row").filter(has_text="iEb")).to_contain_text("open")
        bestanden = gemeente.locator("#bestanden")
        expect(bestanden).to_contain_text("680599_AanleverrapportageBW_20221012.xlsx")
        expect(bestanden).to_contain_text("680599_Verslag_Migratie_20221012.xlsx")
    finally:
        gemeente_context.close()
        cak_context.close()
