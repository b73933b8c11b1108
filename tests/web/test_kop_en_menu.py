"""The header and the menu: who is logged in (the name, and the role once), "Mijn gemeente" or "Mijn
gemeenten", and which menu item is the page being shown (aria-current)."""
from __future__ import annotations

import pytest

from portal.demo import demo_scenario
from portal.rollen import ROL_TEKST, Rol
from tests.scenario import CAK, MEDEWERKER, maak_gebruiker, maak_gemeente, pagina, tekst

LEVERANCIER = "leverancier@zorgsoftware.example.nl"


@pytest.fixture
def gebruikers(app) -> None:
    """Amsterdam's own user, a supplier working for Amsterdam and Utrecht, and a CAK user."""
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gemeente("0344", "Utrecht")
        maak_gebruiker(MEDEWERKER, gemeenten=("0363",))
        maak_gebruiker(LEVERANCIER, "leverancier", gemeenten=("0363", "0344"))
        maak_gebruiker(CAK, "cak")


def _menu(response) -> list[tuple[str, str, str | None]]:
    """The main menu's links: text, address and aria-current."""
    return [(tekst(a), a.get("href"), a.get("aria-current"))
            for a in pagina(response).xpath("//nav[@aria-label='Hoofdmenu']//a")]


def _huidig(response) -> list[str]:
    return [naam for naam, _, huidig in _menu(response) if huidig == "page"]


def test_each_demo_login_shows_its_name_and_its_role_once_in_the_header(app, session):
    from portal.extensions import db
    from portal.services import accounts
    from portal.services.audit import Actor

    demo = demo_scenario()
    with app.app_context():
        for code in sorted({c for g in demo.gebruikers for c in g.gemeenten}):
            maak_gemeente(code, next(g.naam for g in demo.gemeenten if g.code == code))
        for g in demo.gebruikers:
            accounts.maak_gebruiker(accounts.NieuweGebruiker(g.email, g.password, g.role, g.gemeenten, g.naam),
                                    Actor.job_named("test"))
        db.session.commit()
    for g in demo.gebruikers:
        session.login(g.email, g.password)
        [wie] = pagina(session.client.get("/help")).xpath("//div[@class='gebruiker']/span")
        rol = ROL_TEKST[Rol(g.role)]
        assert tekst(wie) == f"{g.naam} ({rol})"
        assert tekst(wie).count("(") == 1, f"de rol staat dubbel in de kop: {tekst(wie)}"
        session.post("/logout", form_url="/logout")


def test_a_user_of_one_gemeente_finds_mijn_gemeente_leading_to_its_folder(session, gebruikers):
    session.login(MEDEWERKER)
    response = session.client.get("/gemeenten/0363/")
    assert _menu(response) == [("Mijn gemeente", "/gemeenten/0363/", "page"), ("API-tokens", "/account/tokens/", None),
                               ("Help", "/help", None)]


def test_a_user_of_several_gemeenten_finds_mijn_gemeenten_in_the_menu(session, gebruikers):
    session.login(LEVERANCIER)
    keuze = session.client.get("/")
    assert _menu(keuze) == [("Mijn gemeenten", "/", "page"), ("API-tokens", "/account/tokens/", None),
                            ("Help", "/help", None)]
    # In the folder of one of them, the menu item leads back to the list and is not the page being shown.
    assert _menu(session.client.get("/gemeenten/0344/")) == [("Mijn gemeenten", "/", None),
                                                             ("API-tokens", "/account/tokens/", None),
                                                             ("Help", "/help", None)]


@pytest.mark.parametrize(("url", "huidig"), [("/cak/", "Dashboard"), ("/cak/gemeenten", "Gemeenten"),
                                             ("/cak/uitbak", "Uitbak"), ("/account/tokens/", "API-tokens"),
                                             ("/help", "Help")])
def test_the_cak_menu_marks_the_page_being_shown_and_only_that_one(session, gebruikers, url, huidig):
    session.login(CAK)
    response = session.client.get(url)
    assert [naam for naam, _, _ in _menu(response)] == ["Dashboard", "Gemeenten", "Uitbak", "API-tokens", "Help"]
    assert _huidig(response) == [huidig]


def test_a_page_outside_the_menu_marks_no_menu_item(session, gebruikers):
    session.login(CAK)
    assert _huidig(session.client.get("/privacy")) == []
