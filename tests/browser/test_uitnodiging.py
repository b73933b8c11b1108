"""In a real browser: a gemeente's beheerder invites a colleague (the form answers in place), the colleague opens
the link from the mail in the outbox, sets a password and logs in."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.scenario import WACHTWOORD, maak_gebruiker, maak_gemeente, mails

BEHEERDER = "beheer@amsterdam.example.nl"
NIEUW = "nieuw@amsterdam.example.nl"
NIEUW_WACHTWOORD = "Een-goed-wachtwoord-42"


def test_an_invited_colleague_sets_a_password_from_the_mail_and_logs_in(app, live_server, page):
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(BEHEERDER, "gemeente_beheerder", gemeenten=("0363",))

    log_in(page, live_server, BEHEERDER, WACHTWOORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gebruikers").click()
    expect(page.get_by_role("heading", name=re.compile("^Gebruikers van Amsterdam"))).to_be_visible()
    page.get_by_label("Naam", exact=True).fill("Nieuwe Collega")
    page.get_by_label("E-mailadres", exact=True).fill(NIEUW)
    page.get_by_label("Rol").select_option("gemeente")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status").filter(has_text=f"{NIEUW} is uitgenodigd")).to_be_visible()
    expect(page.locator(f'tr[data-gebruiker="{NIEUW}"]')).to_contain_text("uitgenodigd, nog geen wachtwoord")

    with app.app_context():
        [uitnodiging] = mails("Uitnodiging")
        [link] = re.findall(r"https?://\S+/uitnodiging/\S+", uitnodiging.tekst)

    page.get_by_role("button", name="Uitloggen").click()
    page.goto(live_server + urlsplit(link).path)
    expect(page.get_by_role("heading", name="Welkom bij het BW-portaal")).to_be_visible()
    page.get_by_label("Wachtwoord", exact=True).fill(NIEUW_WACHTWOORD)
    page.get_by_label("Herhaal het wachtwoord").fill(NIEUW_WACHTWOORD)
    page.get_by_role("button", name="Wachtwoord instellen").click()
    expect(page.get_by_text("Uw wachtwoord is ingesteld en uw account is actief.")).to_be_visible()

    log_in(page, live_server, NIEUW, NIEUW_WACHTWOORD)
    expect(page.get_by_role("heading", name="Map van Amsterdam")).to_be_visible()
