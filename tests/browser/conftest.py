"""Browser tests: the portal served on a loopback port, driven by Playwright in the system Chromium."""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
# The app behind each live server's address, so that `log_in` can compute a user's second-factor code.
_APPS: dict[str, object] = {}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def live_server(app) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    _APPS[base_url] = app
    try:
        yield base_url
    finally:
        _APPS.pop(base_url, None)
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the form; a user with a second factor types the code from their app next (a CAK user
    sets it up first, at the first login)."""
    from tests.conftest import geheim_op_pagina, totp_code

    page.goto(f"{base_url}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if "/login/code" in page.url:
        page.get_by_label("Code", exact=True).fill(totp_code(_APPS[base_url], email))
        with page.expect_navigation():
            page.get_by_role("button", name="Controleren").click()
    elif "/login/tweede-factor-instellen" in page.url:
        geheim = geheim_op_pagina(page.content())
        page.get_by_label("Code uit de app").fill(totp_code(_APPS[base_url], email, geheim))
        with page.expect_navigation():
            page.get_by_role("button", name="Tweede factor instellen").click()
        with page.expect_navigation():
            page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()


def context_en_pagina(browser, base_url: str, email: str, password: str):
    """A browser context of its own (downloads allowed) with a page logged in as `email`."""
    context = browser.new_context(accept_downloads=True, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20000)
    log_in(page, base_url, email, password)
    return context, page


def zet_klok(page, base_url: str, moment: str):
    """Set the virtual clock on the clock page ("JJJJ-MM-DD UU:MM"); the answer is the success message."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/ketentest/klok")
    page.get_by_label("Nieuw tijdstip").fill(moment)
    page.get_by_role("button", name="Klok zetten").click()
    melding = page.locator(".melding-succes")
    expect(melding).to_contain_text(f"De klok staat nu op {moment[8:10]}-{moment[5:7]}-{moment[:4]} {moment[11:]}")
    return melding
