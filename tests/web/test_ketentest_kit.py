"""The ketentest kit page: who sees what, the promises table and the zip, a reset through the page, and
no kit in productie mode."""
from __future__ import annotations

import io
import zipfile

import pytest

from portal.extensions import db
from portal.services import demogedrag
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    MEDEWERKER,
    gemeente_met_code,
    leverende_gemeente,
    maak_gebruiker,
    naar_toestand,
    plan,
    tekst,
    toestand,
)


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PORTAL_MODE": "ketentest"}


@pytest.fixture
def twee(app):
    with app.app_context():
        plan(leverende_gemeente("0363", "Amsterdam", clients=2))
        utrecht = leverende_gemeente("0344", "Utrecht", clients=2)
        plan(utrecht)
        demogedrag.zet(utrecht, "op_tijd", True, "test")
        maak_gebruiker("leverancier@zorgsoft.example.nl", "leverancier", ("0344",))
        db.session.commit()


def test_the_cak_sees_every_gemeente_with_its_behaviour_and_a_reset_button(session, twee):
    session.login(CAK)
    pagina = tekst(session.client.get("/ketentest/kit").get_data(as_text=True))
    assert "Amsterdam (0363)" in pagina and "Utrecht (0344)" in pagina
    assert "aan: op tijd en foutloos" in pagina
    assert pagina.count("Terugzetten naar het begin") == 2
    assert "Naar de klok" in pagina


def test_a_gemeente_user_sees_only_its_own_files_and_no_reset_and_may_not_reset(session, twee):
    session.login(MEDEWERKER)
    antwoord = session.client.get("/ketentest/kit")
    pagina = tekst(antwoord.get_data(as_text=True))
    assert "Utrecht" not in pagina
    assert "WMO407-testbestanden voor Amsterdam" in pagina
    assert "Terugzetten naar het begin" not in pagina and "Vraag het CAK" in pagina
    assert "9404 (Er bestaat al een aanlevering met dit BwStartNummer)" in pagina
    assert session.client.get("/ketentest/kit?gemeente=0344").status_code == 404
    assert session.client.get("/ketentest/kit/0344/testset.zip").status_code == 404
    assert session.post("/ketentest/kit/0363/reset", form_url="/ketentest/kit").status_code == 403
    assert session.post("/ketentest/kit/0344/demogedrag", {"aan": "0"}, form_url="/ketentest/kit").status_code == 404


def test_a_leverancier_downloads_the_set_of_its_gemeente_with_the_promises_inside(session, twee):
    session.login("leverancier@zorgsoft.example.nl")
    antwoord = session.client.get("/ketentest/kit/0344/testset.zip")
    assert antwoord.status_code == 200
    archief = zipfile.ZipFile(io.BytesIO(antwoord.data))
    namen = archief.namelist()
    assert namen[0] == "LEESMIJ.txt" and len(namen) == 15
    assert "Stuur eerst bestand 01" in archief.read("LEESMIJ.txt").decode()
    assert any(naam.endswith("_01_GELDIG.xml") for naam in namen)


def test_the_cak_switches_a_demo_gemeente_off_and_on(session, twee):
    session.login(CAK)
    antwoord = session.post("/ketentest/kit/0344/demogedrag", {"aan": "0"}, form_url="/ketentest/kit",
                            follow_redirects=True)
    assert "handelt niet meer zelf" in tekst(antwoord.get_data(as_text=True))
    assert "uit: op tijd en foutloos" in tekst(antwoord.get_data(as_text=True))


def test_reset_through_the_kit_page_returns_one_gemeente_to_its_start(app, session, clock):
    with app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=2)
        utrecht = leverende_gemeente("0344", "Utrecht", clients=2)
        naar_toestand(clock, Toestand.TERUGGEKOPPELD, amsterdam, utrecht)
    session.login(CAK)
    antwoord = session.post("/ketentest/kit/0363/reset", form_url="/ketentest/kit", follow_redirects=True)
    assert "Amsterdam is teruggezet naar het begin van de demo" in tekst(antwoord.get_data(as_text=True))
    with app.app_context():
        assert toestand(gemeente_met_code("0363")) != Toestand.TERUGGEKOPPELD
        assert toestand(gemeente_met_code("0344")) == Toestand.TERUGGEKOPPELD


class TestInProductie:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"PORTAL_MODE": "productie", "SESSION_COOKIE_SECURE": False}

    def test_there_is_no_kit_in_productie(self, session, twee):
        session.login(CAK)
        assert session.client.get("/ketentest/kit").status_code == 404
        assert session.client.get("/ketentest/kit/0363/testset.zip").status_code == 404


def test_the_kit_exists_in_ontwikkeling_without_clock_and_reset(app, session, twee):
    app.config["PORTAL_MODE"] = "ontwikkeling"
    session.login(CAK)
    pagina = tekst(session.client.get("/ketentest/kit?gemeente=0363").get_data(as_text=True))
    assert "ontwikkelmodus" in pagina and "Terugzetten naar het begin" not in pagina
    assert "Download de set" in pagina
