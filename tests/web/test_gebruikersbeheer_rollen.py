"""Who may use the users pages: a gemeente's beheerder for its own gemeente, the CAK's beheerder for every
gemeente; every other role finds nothing there (404), and without logging in the portal asks to log in."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.services import gebruikersbeheer
from tests.conftest import Session
from tests.scenario import BEHEER, CAK, MEDEWERKER, gebruiker, leverende_gemeente, maak_gebruiker

BEHEERDER = "beheer@amsterdam.example.nl"
UTRECHT_BEHEERDER = "beheer@utrecht.example.nl"
LEVERANCIER = "support@leverancier.example.nl"

ROLLEN = {"niemand": None, "gemeente": MEDEWERKER, "gemeente_beheerder": BEHEERDER,
          "beheerder_andere_gemeente": UTRECHT_BEHEERDER, "leverancier": LEVERANCIER, "cak": CAK,
          "cak_beheerder": BEHEER}


@pytest.fixture(scope="module")
def scenario(module_app) -> dict[str, int]:
    with module_app.app_context():
        leverende_gemeente("0363", "Amsterdam", clients=0)
        leverende_gemeente("0344", "Utrecht", clients=0)
        maak_gebruiker(BEHEERDER, "gemeente_beheerder", gemeenten=("0363",))
        maak_gebruiker(UTRECHT_BEHEERDER, "gemeente_beheerder", gemeenten=("0344",))
        maak_gebruiker(LEVERANCIER, "leverancier", gemeenten=("0363",))
        verzoek = gebruikersbeheer.dien_in(gebruikersbeheer.Verzoekgegevens(
            naam="Anna", email="anna@amsterdam.example.nl", gemeente_code="0363", rol="gemeente",
            reden="Nieuwe collega."), None, gebruikersbeheer.Adressen(
            uitnodiging=lambda t: t, gebruikers=lambda c: c, inloggen="/login"))
        ids = {"verzoek": verzoek.id, "medewerker": gebruiker(MEDEWERKER).id,
               "leverancier": gebruiker(LEVERANCIER).id}
        db.session.remove()
        return ids


@pytest.fixture
def app(module_app, scenario):
    return module_app


def sessie_als(app, rol: str) -> Session:
    sessie = Session(app.test_client())
    if ROLLEN[rol] is not None:
        assert sessie.login(ROLLEN[rol]).status_code == 302
    return sessie


BEHEERPAGINA = {"niemand": 302, "gemeente": 404, "gemeente_beheerder": 200, "beheerder_andere_gemeente": 404,
                "leverancier": 404, "cak": 404, "cak_beheerder": 200}
CAKPAGINA = {**dict.fromkeys(ROLLEN, 404), "niemand": 302, "cak_beheerder": 200}


@pytest.mark.parametrize("rol", ROLLEN)
def test_the_users_page_of_a_gemeente_opens_only_for_its_beheerder_and_the_cak_beheerder(app, rol):
    antwoord = sessie_als(app, rol).client.get("/gemeenten/0363/gebruikers")
    assert antwoord.status_code == BEHEERPAGINA[rol]
    if antwoord.status_code == 302:
        assert antwoord.headers["Location"].startswith("/login")
    if antwoord.status_code == 404:
        assert "Pagina niet gevonden" in antwoord.get_data(as_text=True)


@pytest.mark.parametrize("rol", ROLLEN)
def test_the_cak_overview_of_access_requests_opens_only_for_the_cak_beheerder(app, rol):
    antwoord = sessie_als(app, rol).client.get("/cak/toegangsverzoeken")
    assert antwoord.status_code == CAKPAGINA[rol]
    if rol == "cak_beheerder":
        assert "anna@amsterdam.example.nl" in antwoord.get_data(as_text=True)


@pytest.mark.parametrize("rol", ROLLEN)
def test_the_public_pages_open_for_everyone(app, rol):
    sessie = sessie_als(app, rol)
    assert sessie.client.get("/toegang-aanvragen").status_code == 200
    assert sessie.client.get("/toegang-aanvragen/verstuurd").status_code == 200
    assert sessie.client.get("/uitnodiging/geen-echte-link").status_code == 400


ACTIES = ["/gemeenten/0363/gebruikers/uitnodigen", "/gemeenten/0363/gebruikers/{medewerker}/uitschakelen",
          "/gemeenten/0363/gebruikers/{medewerker}/inschakelen", "/gemeenten/0363/leveranciers",
          "/gemeenten/0363/leveranciers/{leverancier}/ontkoppelen", "/toegangsverzoeken/{verzoek}/verlenen",
          "/toegangsverzoeken/{verzoek}/weigeren"]


@pytest.mark.parametrize("actie", ACTIES)
@pytest.mark.parametrize("rol", [r for r, status in BEHEERPAGINA.items() if status != 200])
def test_every_action_is_refused_to_whoever_may_not_manage_the_gemeente(app, scenario, rol, actie):
    sessie = sessie_als(app, rol)
    antwoord = sessie.post(actie.format(**scenario), {"uitnodiging-email": "x@example.nl", "uitnodiging-naam": "X",
                                                      "uitnodiging-rol": "gemeente",
                                                      "leverancier-email": LEVERANCIER,
                                                      f"weigeren{scenario['verzoek']}-reden": "nee"},
                           form_url="/toegang-aanvragen")
    assert antwoord.status_code == (302 if rol == "niemand" else 404)
    if rol == "niemand":
        assert antwoord.headers["Location"].startswith("/login")
    with app.app_context():
        assert gebruiker(MEDEWERKER).active and gebruikersbeheer.open_verzoeken(gebruiker(BEHEER))


def test_an_action_without_the_form_token_is_refused(app, scenario):
    sessie = sessie_als(app, "gemeente_beheerder")
    antwoord = sessie.client.post(f"/gemeenten/0363/gebruikers/{scenario['medewerker']}/uitschakelen")
    assert antwoord.status_code == 400
    assert "Formulier verlopen of onvolledig" in antwoord.get_data(as_text=True)
