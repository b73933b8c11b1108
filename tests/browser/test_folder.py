"""In a real browser: log in, open the folder, download a file."""
from __future__ import annotations

import hashlib
from pathlib import Path

from tests.browser.conftest import log_in
from tests.scenario import WACHTWOORD, maak_bestand, maak_gebruiker, maak_gemeente


def test_a_gemeente_user_logs_in_opens_the_folder_and_downloads_the_b4(app, live_server, page):
    inhoud = b"PK\x03\x04 dit is de bestandsvergelijking"
    with app.app_context():
        amsterdam = maak_gemeente("0363", "Amsterdam")
        maak_gebruiker("medewerker@amsterdam.example.nl", gemeenten=("0363",))
        maak_bestand(amsterdam, naam="680363_B4_Bestandsvergelijking_20220926.xlsx", inhoud=inhoud)

    log_in(page, live_server, "medewerker@amsterdam.example.nl", WACHTWOORD)
    page.get_by_role("heading", name="Map van Amsterdam").wait_for()
    assert page.get_by_text("nee, nieuw").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="680363_B4_Bestandsvergelijking_20220926.xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "680363_B4_Bestandsvergelijking_20220926.xlsx"
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == hashlib.sha256(inhoud).hexdigest()

    page.reload()
    assert page.get_by_text("ja, 19-09-2022 09:00").is_visible()


def test_a_wrong_password_shows_the_dutch_message_in_the_browser(app, live_server, page):
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker("medewerker@amsterdam.example.nl", gemeenten=("0363",))
    log_in(page, live_server, "medewerker@amsterdam.example.nl", "verkeerd-wachtwoord")
    assert page.get_by_role("alert").inner_text().startswith("Het e-mailadres of wachtwoord is onjuist")
