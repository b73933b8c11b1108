"""In a real browser: log in, open the folder, download a file."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.scenario import WACHTWOORD, maak_bestand, maak_gebruiker, maak_gemeente

MEDEWERKER = "medewerker@amsterdam.example.nl"


def test_a_gemeente_user_logs_in_opens_the_folder_and_downloads_the_b4(app, live_server, page):
    inhoud = b"PK\x03\x04 dit is de bestandsvergelijking"
    with app.app_context():
        amsterdam = maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))
        maak_bestand(amsterdam, naam="680363_B4_Bestandsvergelijking_20220926.xlsx", inhoud=inhoud)

    log_in(page, live_server, MEDEWERKER, WACHTWOORD)
    expect(page.get_by_role("heading", name="Map van Amsterdam")).to_be_visible()
    expect(page.get_by_text("nee, nieuw")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="680363_B4_Bestandsvergelijking_20220926.xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "680363_B4_Bestandsvergelijking_20220926.xlsx"
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == hashlib.sha256(inhoud).hexdigest()

    page.reload()
    expect(page.get_by_text("ja, 19-09-2022 09:00")).to_be_visible()


def test_a_wrong_password_shows_the_dutch_message_in_the_browser(app, live_server, page):
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))

    log_in(page, live_server, MEDEWERKER, "verkeerd-wachtwoord")

    samenvatting = page.get_by_role("alert")
    expect(samenvatting).to_contain_text("Er is een probleem")
    link = samenvatting.get_by_role("link", name=re.compile(r"^Het e-mailadres of wachtwoord is onjuist"))
    expect(link).to_have_attribute("href", "#email")
    expect(page).to_have_title("Fout: Inloggen · BW-portaal")
