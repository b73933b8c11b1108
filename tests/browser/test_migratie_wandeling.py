"""In a real browser, on the ketentest's virtual clock: one gemeente from its aanmelding to GEMIGREERD
with its old channels closed, by the screens alone."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import log_in
from tests.scenario import WACHTWOORD, leverende_gemeente

GEMEENTE = "medewerker@rotterdam.example.nl"
CAK_BEHEERDER = "beheer@cak.example.nl"


@pytest.fixture
def app_config():
    # the ketentest with its database-backed virtual clock, which starts at 19-09-2022 09:00
    return {"PORTAL_MODE": "ketentest", "CLOCK": None}


def _context_page(browser, base_url: str, email: str):
    context = browser.new_context(accept_downloads=True, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20000)
    log_in(page, base_url, email, WACHTWOORD)
    return context, page


def _zet_klok(page, base_url: str, moment: str) -> str:
    page.goto(f"{base_url}/ketentest/klok")
    page.get_by_label("Nieuw tijdstip").fill(moment)
    page.get_by_role("button", name="Klok zetten").click()
    return page.locator(".melding-succes").inner_text()


def _vul_in(pad: Path, fout_bij: str | None = None) -> bytes:
    """Fill column L with J for every client, as a gemeente user would in Excel; one wrong code if asked."""
    workbook = load_workbook(pad)
    sheet = workbook["Bestandsvergelijking"]
    for rij in range(2, sheet.max_row + 1):
        bsn = sheet[f"B{rij}"].value
        if bsn:
            sheet[f"L{rij}"] = "Q" if bsn == fout_bij else "J"
    uitvoer = BytesIO()
    workbook.save(uitvoer)
    return uitvoer.getvalue()


def test_a_gemeente_walks_from_its_aanmelding_to_gemigreerd_on_the_virtual_clock(
        app, live_server, browser, tmp_path):
    with app.app_context():
        leverende_gemeente("0599", "Rotterdam", clients=3)

    gemeente_context, gemeente = _context_page(browser, live_server, GEMEENTE)
    cak_context, cak = _context_page(browser, live_server, CAK_BEHEERDER)
    try:
        # The gemeente signs up for its preferred week.
        gemeente.get_by_role("heading", name="Map van Rotterdam").wait_for()
        assert gemeente.get_by_test_id("toestand").inner_text() == "NIET_GEPLAND"
        gemeente.get_by_label("Voorkeursweek (timeslot)").select_option("2022-10-10")
        gemeente.get_by_role("button", name="Aanmelden").click()
        assert "Uw aanmelding is ontvangen" in gemeente.locator(".melding-succes").inner_text()

        # The CAK sees it under "actie nodig" and plans it.
        cak.goto(f"{live_server}/cak/")
        assert "Rotterdam" in cak.locator("body").inner_text()
        cak.goto(f"{live_server}/cak/gemeenten/0599")
        cak.get_by_label("Timeslot", exact=True).select_option("2022-10-10")
        cak.get_by_role("button", name="Timeslot bevestigen of toewijzen").click()
        assert "ingepland in de week van 10-10-2022" in cak.locator(".melding-succes").inner_text()

        # The clock moves to Monday 03-10-2022 10:31: the B4 appears.
        melding = _zet_klok(cak, live_server, "2022-10-03 10:31")
        assert "bestandsvergelijking" in melding.lower()

        # The gemeente downloads the B4, sends feedback with one error, fixes it.
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        assert gemeente.get_by_test_id("toestand").inner_text() == "BV_GEPUBLICEERD"
        with gemeente.expect_download() as b4_download:
            gemeente.get_by_role("link", name="680599_B4_Bestandsvergelijking_20221003.xlsx").first.click()
        b4_pad = tmp_path / "b4.xlsx"
        b4_download.value.save_as(b4_pad)
        eerste_bsn = load_workbook(b4_pad)["Bestandsvergelijking"]["B2"].value

        fout_pad = tmp_path / "terugkoppeling-met-fout.xlsx"
        fout_pad.write_bytes(_vul_in(b4_pad, fout_bij=eerste_bsn))
        gemeente.get_by_label("Ingevulde bestandsvergelijking (.xlsx)").set_input_files(fout_pad)
        gemeente.get_by_role("button", name="Terugkoppeling uploaden").click()
        uitkomst = gemeente.get_by_test_id("terugkoppeling-uitkomst")
        assert "Terugkoppeling niet aangenomen" in uitkomst.inner_text()
        assert "Rij 2" in uitkomst.inner_text() or ">2<" in uitkomst.inner_html()
        assert gemeente.get_by_test_id("toestand").inner_text() == "BV_GEPUBLICEERD"

        goed_pad = tmp_path / "terugkoppeling.xlsx"
        goed_pad.write_bytes(_vul_in(b4_pad))
        gemeente.get_by_label("Ingevulde bestandsvergelijking (.xlsx)").set_input_files(goed_pad)
        gemeente.get_by_role("button", name="Terugkoppeling uploaden").click()
        gemeente.get_by_text("Terugkoppeling aangenomen").wait_for()
        assert gemeente.get_by_test_id("toestand").inner_text() == "TERUGGEKOPPELD"

        # The CAK gives akkoord to deliver.
        cak.goto(f"{live_server}/cak/gemeenten/0599")
        cak.get_by_role("button", name="Akkoord geven om aan te leveren").click()
        assert "Akkoord om aan te leveren gegeven" in cak.locator(".melding-succes").inner_text()

        # The gemeente lets the portal make its WMO407 and sends it.
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        with gemeente.expect_download() as wmo407_download:
            gemeente.get_by_role("button", name="WMO407 maken uit de terugkoppeling (downloaden)").click()
        wmo407_pad = tmp_path / wmo407_download.value.suggested_filename
        wmo407_download.value.save_as(wmo407_pad)
        gemeente.get_by_label("WMO407-bericht (.xml, hoogstens 25 MB)").set_input_files(wmo407_pad)
        gemeente.get_by_role("button", name="Bericht versturen").click()
        assert "Bericht geaccepteerd" in gemeente.get_by_test_id("wmo407-uitkomst").inner_text()
        assert gemeente.get_by_test_id("toestand").inner_text() == "AANGELEVERD"
        assert gemeente.locator("#bestanden").get_by_text("_WMO408_").count() == 1

        # The clock reaches Wednesday 12-10-2022 10:00: the aanleverrapportage, verdict correct.
        _zet_klok(cak, live_server, "2022-10-12 10:01")
        cak.goto(f"{live_server}/cak/gemeenten/0599")
        assert "aanleverrapportage geplaatst" in cak.locator("body").inner_text()
        cak.get_by_role("button", name="Akkoord geven op de aanlevering").click()
        assert "gemigreerd" in cak.locator(".melding-succes").inner_text()

        # The next round of the planner closes the old channels.
        cak.goto(f"{live_server}/ketentest/klok")
        cak.get_by_role("button", name="+ 1 uur").click()
        gemeente.goto(f"{live_server}/gemeenten/0599/")
        assert gemeente.get_by_test_id("toestand").inner_text() == "GEMIGREERD"
        kanalen = gemeente.locator("#kanalen-kop").locator("xpath=..").inner_text()
        for naam in ("H&V-app", "Excel", "60-record"):
            regel = next(r for r in kanalen.splitlines() if r.startswith(naam))
            assert "gesloten" in regel, regel
        assert "iEb" in kanalen and "open" in next(r for r in kanalen.splitlines() if r.startswith("iEb"))
        bestanden = gemeente.locator("#bestanden").inner_text()
        assert "680599_AanleverrapportageBW_20221012.xlsx" in bestanden
        assert "680599_Verslag_Migratie_20221012.xlsx" in bestanden
    finally:
        gemeente_context.close()
        cak_context.close()
