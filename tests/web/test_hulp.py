"""Help and contact, the accessibility statement, the privacy statement and the favicon: what anyone sees,
logged in or not, and the footer that leads there from every page."""
from __future__ import annotations

from datetime import date

import pytest

from portal.ieb.retourcodes import ALGEMEEN_ADVIES, RETOURCODES, WAT_TE_DOEN
from tests.scenario import CAK, MEDEWERKER, element, maak_gebruiker, maak_gemeente, pagina, tabelrijen, tekst

SERVICEDESK = "wmoservicedesk@hetcak.nl"


@pytest.fixture
def gebruikers(app) -> None:
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))
        maak_gebruiker(CAK, "cak")


def _sectie(boom, sectie_id: str) -> str:
    return tekst(element(boom, sectie_id))


@pytest.mark.parametrize(("url", "titel"), [("/help", "Help en contact"),
                                            ("/toegankelijkheid", "Toegankelijkheidsverklaring"),
                                            ("/privacy", "Privacyverklaring")])
def test_help_accessibility_and_privacy_are_readable_without_logging_in(client, url, titel):
    response = client.get(url)
    assert response.status_code == 200
    assert tekst(pagina(response).xpath("//main//h1")[0]) == titel


def test_the_help_page_names_the_servicedesk_and_what_to_put_in_a_mail(client):
    boom = pagina(client.get("/help"))
    [link] = element(boom, "contact").xpath(".//a[@data-testid='servicedesk']")
    assert link.get("href") == f"mailto:{SERVICEDESK}" and tekst(link) == SERVICEDESK
    assert "Zet geen BSN's, namen of andere gegevens van cliënten in uw e-mail." in _sectie(boom, "contact")


def test_the_weekly_rhythm_on_the_help_page_is_the_calendar_of_a_migration_week(client):
    ritme = element(pagina(client.get("/help")), "ritme")
    rijen = {rij.get("data-stap"): [tekst(cel) for cel in rij.xpath("./th | ./td")]
             for rij in ritme.xpath("./tbody/tr")}
    assert rijen["B4_PUBLICEREN"][:3] == ["maandag 10:30", "de week vóór uw migratieweek", "het portaal"]
    assert rijen["TERUGKOPPELING_DEADLINE"][:3] == ["donderdag 17:00", "de week vóór uw migratieweek", "de gemeente"]
    assert rijen["AKKOORD_UITERLIJK"][:3] == ["vrijdag 17:00", "de week vóór uw migratieweek", "het CAK"]
    assert rijen["AANLEVERING_DEADLINE"][:3] == ["dinsdag 15:00", "uw migratieweek", "de gemeente"]
    assert rijen["AANLEVERRAPPORTAGE"][:3] == ["woensdag 10:00", "uw migratieweek", "het portaal"]
    assert rijen["WEKELIJKSE_RAPPORTAGE"][:3] == ["elke dinsdag 10:00", "vanaf de week na uw migratieweek",
                                                  "het portaal"]
    assert list(rijen) == ["B4_PUBLICEREN", "TERUGKOPPELING_DEADLINE", "TERUGKOPPELING_TE_LAAT_CONTROLE",
                           "AKKOORD_UITERLIJK", "AANLEVERING_DEADLINE", "AANLEVERRAPPORTAGE", "OORDEEL_AANLEVERING",
                           "WEKELIJKSE_RAPPORTAGE"]


def test_the_help_page_lists_the_deadlines_of_every_migration_week_in_dutch_time(client):
    boom = pagina(client.get("/help"))
    [tabel] = boom.xpath("//table[.//tr[@data-timeslot]]")
    rijen = [[tekst(cel) for cel in rij.xpath("./th | ./td")] for rij in tabel.xpath("./tbody/tr")]
    assert len(rijen) == 6
    assert rijen[0] == ["week van 03-10-2022", "26-09-2022 10:30", "29-09-2022 17:00", "30-09-2022 17:00",
                        "04-10-2022 15:00", "05-10-2022 10:00"]
    # The week after the change to winter time keeps its clock times.
    assert rijen[4] == ["week van 31-10-2022", "24-10-2022 10:30", "27-10-2022 17:00", "28-10-2022 17:00",
                        "01-11-2022 15:00", "02-11-2022 10:00"]
    na = _sectie(boom, "weekritme")
    assert "Op 14-11-2022 10:30, de maandag na de laatste migratieweek" in na
    assert "De eerste 3: 02-01-2023 10:30, 06-03-2023 10:30, 01-05-2023 10:30." in na


@pytest.mark.parametrize("app_config", [{"TIMESLOTS": (date(2023, 1, 9),), "MIGRATIE_STARTDATUM": date(2023, 1, 1),
                                         "MIGRATIE_PEILDATUM_OUDE_KANALEN": date(2023, 1, 1)}])
def test_the_help_page_follows_the_configured_weeks_and_dates(client):
    boom = pagina(client.get("/help"))
    [tabel] = boom.xpath("//table[.//tr[@data-timeslot]]")
    assert tabelrijen(tabel) == [["02-01-2023 10:30", "05-01-2023 17:00", "06-01-2023 17:00",
                                  "10-01-2023 15:00", "11-01-2023 10:00"]]
    vragen = _sectie(boom, "vragen")
    assert "krijgt als BwStartdatum 01-01-2023" in vragen
    assert "met een start- of einddatum vóór 01-01-2023" in vragen


def test_the_help_page_explains_every_retourcode_and_what_to_do_about_it(client):
    boom = pagina(client.get("/help"))
    assert ALGEMEEN_ADVIES in _sectie(boom, "retourcodes")
    for code, betekenis in RETOURCODES.items():
        uitleg = _sectie(boom, f"retourcode-{code}")
        assert uitleg.startswith(f"{code} {betekenis}")
        assert f"Wat u doet: {WAT_TE_DOEN[code]}" in uitleg


def test_the_help_page_answers_the_questions_of_the_migration_in_its_own_words(client):
    boom = pagina(client.get("/help"))
    vragen = [tekst(h) for h in element(boom, "vragen").xpath(".//h3")]
    for vraag in ("Wanneer is mijn gemeente aan de beurt?", "Wat doe ik met de bestandsvergelijking (B4)?",
                  "Er ontbreekt een cliënt in de bestandsvergelijking. Wat nu?",
                  "Welke BwStartdatum en welke BwStartNummers gebruik ik?", "Mijn bericht is afgekeurd. Wat nu?",
                  "Wanneer gaan de oude kanalen dicht?", "Ik ben mijn wachtwoord vergeten."):
        assert vraag in vragen
    codes = [tekst(dt) for dt in element(boom, "vragen").xpath(".//dl[@class='codes']//dt")]
    assert codes == ["J", "O", "U", "V", "N", "X"]
    [link] = element(boom, "vragen").xpath(".//a[text()='Wachtwoord vergeten']")
    assert link.get("href") == "/wachtwoord-vergeten"


def test_the_accessibility_statement_follows_the_dutch_model_and_is_honest(client):
    boom = pagina(client.get("/toegankelijkheid"))
    koppen = [tekst(h) for h in boom.xpath("//main//h2")]
    assert koppen == ["Waarvoor deze verklaring geldt", "Status: eerste maatregelen genomen", "Wat er getest is",
                      "Wat nog niet goed is", "Wat we gaan doen", "Loopt u tegen een probleem aan?",
                      "Over deze verklaring"]
    assert "WCAG) 2.1 op niveau A en AA" in tekst(boom.xpath("//main")[0])
    getest = tekst(boom.xpath("//h2[@id='getest']/following-sibling::ul[1]")[0])
    assert "axe" in getest and "alleen het toetsenbord" in getest and "390 en van 320 pixels" in getest
    assert "bovenaan een overzicht met een link naar elk veld" in getest
    problemen = tekst(boom.xpath("//h2[@id='bekende-problemen']/following-sibling::ul[1]")[0])
    assert "Excelbestanden." in problemen and "Brede tabellen" not in problemen
    assert boom.xpath(f"//main//a[@href='mailto:{SERVICEDESK}']")


def test_the_privacy_statement_says_what_is_kept_why_who_sees_it_and_for_how_long(client):
    boom = pagina(client.get("/privacy"))
    hoofdtekst = tekst(boom.xpath("//main")[0])
    koppen = [tekst(h) for h in boom.xpath("//main//h2")]
    assert koppen[:5] == ["Wie is verantwoordelijk", "Welke gegevens het portaal verwerkt", "Waarom",
                          "Wie de gegevens ziet", "Hoe lang de gegevens bewaard blijven"]
    for gegeven in ("burgerservicenummer (BSN)", "geboortedatum", "de geslachtsnaam", "uw e-mailadres",
                    "de audittrail", "IP-adres"):
        assert gegeven in hoofdtekst
    assert "besluit van het CAK dat nog wordt vastgelegd" in hoofdtekst
    assert "Autoriteit Persoonsgegevens" in hoofdtekst
    assert boom.xpath(f"//main//a[@href='mailto:{SERVICEDESK}']")


def _voetlinks(response) -> dict[str, str]:
    boom = pagina(response)
    return {tekst(a): a.get("href") for a in boom.xpath("//footer//nav//a")}


VOETLINKS = {"Help en contact": "/help", "Toegankelijkheid": "/toegankelijkheid", "Privacy": "/privacy"}


@pytest.mark.parametrize("url", ["/login", "/help", "/privacy", "/wachtwoord-vergeten", "/bestaat-niet"])
def test_every_page_links_help_accessibility_and_privacy_in_its_footer(client, url):
    response = client.get(url)
    assert _voetlinks(response) == VOETLINKS
    assert f'href="mailto:{SERVICEDESK}"' in response.get_data(as_text=True).split("<footer")[1]


@pytest.mark.parametrize(("email", "url"), [(MEDEWERKER, "/gemeenten/0363/"), (CAK, "/cak/")])
def test_pages_behind_the_login_have_the_same_footer_and_help_in_the_menu(session, gebruikers, email, url):
    session.login(email)
    response = session.client.get(url)
    assert _voetlinks(response) == VOETLINKS
    menu = {tekst(a): a.get("href") for a in pagina(response).xpath("//nav[@aria-label='Hoofdmenu']//a")}
    assert menu["Help"] == "/help"


def test_anonymous_visitors_have_no_menu_but_reach_help_from_the_footer(client):
    boom = pagina(client.get("/help"))
    assert boom.xpath("//nav[@aria-label='Hoofdmenu']") == []
    assert boom.xpath("//footer//a[@aria-current='page']/text()") == ["Help en contact"]


def test_every_page_shows_the_portals_own_svg_favicon(client):
    boom = pagina(client.get("/login"))
    [icoon] = boom.xpath("//head/link[@rel='icon']")
    assert icoon.get("href") == "/static/favicon.svg" and icoon.get("type") == "image/svg+xml"
    response = client.get(icoon.get("href"))
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<svg")
