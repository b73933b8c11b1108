"""In a real browser: a gemeente user sends a WMO407 from the folder and gets the WMO408 without a page reload;
the BSNs of the result are folded until the user opens them."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from portal import ieb
from portal.extensions import db
from portal.models import Bestand
from tests.browser.conftest import log_in
from tests.ieb.berichten import lees_wmo408
from tests.scenario import MEDEWERKER, WACHTWOORD, b4_bsns, client, mag_aanleveren, periode, wmo407


def test_a_gemeente_user_sends_a_wmo407_and_sees_the_result_and_the_wmo408_without_a_reload(
        app, clock, live_server, page):
    with app.app_context():
        bsns = b4_bsns(mag_aanleveren(clock))
    inhoud = wmo407("BROWSER-1", client(bsns[0], periode(36300001)), client(bsns[1], periode(36300002)))

    log_in(page, live_server, MEDEWERKER, WACHTWOORD)
    expect(page.get_by_role("heading", name="Map van Amsterdam")).to_be_visible()
    retourberichten = page.locator("section.groep", has=page.get_by_role("heading", name="Retourberichten"))
    expect(retourberichten.get_by_role("heading")).to_have_text("Retourberichten (0)")
    page.evaluate("window.zelfdePagina = true")

    page.get_by_label("WMO407-bericht (.xml, hoogstens 25 MB)").set_input_files(
        files=[{"name": "aanlevering.xml", "mimeType": "application/xml", "buffer": inhoud}])
    page.get_by_role("button", name="Bericht versturen").click()

    uitkomst = page.get_by_test_id("wmo407-uitkomst")
    expect(uitkomst.get_by_role("heading", level=3)).to_have_text("Bericht geaccepteerd BROWSER-1")
    expect(uitkomst.get_by_role("heading", level=4)).to_have_text("0200 Geen opmerking")
    rij = uitkomst.get_by_role("row", name=f"{bsns[0]} 36300001")
    expect(rij).to_be_hidden()
    uitkomst.get_by_text("2 perioden van 2 cliënten: toon de BSN's").click()
    expect(rij).to_be_visible()
    link = page.get_by_test_id("wmo408-link")
    expect(link).to_have_text(re.compile(r"^\s*680363_WMO408_\S+\.xml\s*$"))
    naam = link.inner_text()
    expect(retourberichten.get_by_role("link", name=naam)).to_be_visible()
    expect(retourberichten.get_by_role("heading")).to_have_text("Retourberichten (1)")
    expect(page.get_by_test_id("toestand")).to_have_text("aangeleverd")
    assert page.evaluate("window.zelfdePagina") is True

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == naam
    gedownload = Path(download.path()).read_bytes()
    assert ieb.valideer_wmo408(gedownload) == []
    wmo408 = lees_wmo408(gedownload)
    assert wmo408.header["Identificatie"] == "BROWSER-1"
    assert [c.bsn for c in wmo408.clients] == bsns[:2]
    with app.app_context():
        opgeslagen = db.session.scalars(select(Bestand).where(Bestand.naam == naam)).one()
        assert hashlib.sha256(gedownload).hexdigest() == opgeslagen.sha256
