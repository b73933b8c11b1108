"""The CAK's dashboard loads a timeslot's list when the CAK scrolls to it; without JavaScript the link to that
list leads to the same gemeenten on a page of their own."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import WACHTWOORD
from tests.scenario import CAK, drie_weken


@pytest.fixture
def scenario(app, clock) -> None:
    with app.app_context():
        drie_weken(clock)


def test_a_timeslots_list_appears_when_the_cak_scrolls_to_it(app, live_server, browser, scenario):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, CAK, WACHTWOORD)
    page.goto(f"{live_server}/cak/")
    week = page.locator("#week-2022-10-03")
    week.scroll_into_view_if_needed()
    for naam in ("Amsterdam", "Almere", "Utrecht"):
        expect(week.locator("tr[data-gemeente]").filter(has_text=naam)).to_be_visible()
    context.close()


def test_without_javascript_the_link_shows_the_timeslots_list(app, live_server, browser, scenario):
    # Logging in sets up the second factor with the page's own script off too: the forms are plain HTML.
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, CAK, WACHTWOORD)
    page.goto(f"{live_server}/cak/")
    week = page.locator("#week-2022-10-03")
    expect(week.locator("tr[data-gemeente]")).to_have_count(0)
    week.get_by_role("link", name="De 3 gemeenten van de week van 03-10-2022 met hun aantallen").click()
    expect(page.get_by_role("heading", name="Week van maandag 03-10-2022")).to_be_visible()
    for naam in ("Amsterdam", "Almere", "Utrecht"):
        expect(page.locator("tr[data-gemeente]").filter(has_text=naam)).to_be_visible()
    context.close()
