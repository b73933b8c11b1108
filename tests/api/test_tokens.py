"""API tokens: made and shown once, stored only as a hash, listed and revoked by their owner and by a
beheerder, counted against a rate limit; the token page in the portal, and `portal token maak`."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.cli import cli
from portal.extensions import db
from portal.models import AuditEvent
from portal.models.apitoken import ApiToken
from portal.services import apitokens
from portal.services.audit import Actor
from tests.conftest import Session
from tests.scenario import (
    BEHEER,
    CAK,
    MEDEWERKER,
    UTRECHT,
    api_token,
    bearer,
    gebruiker,
    leverende_gemeente,
    maak_gebruiker,
    tekst,
)

BEHEERDER_AMSTERDAM = "beheerder@amsterdam.example.nl"


@pytest.fixture
def gemeenten(app):
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", clients=0)
        leverende_gemeente("0344", "Utrecht", clients=0)
        maak_gebruiker(BEHEERDER_AMSTERDAM, "gemeente_beheerder", gemeenten=("0363",))


def _token_van(email: str, naam: str) -> int:
    eigenaar = gebruiker(email)
    return apitokens.maak_token(Actor(user=eigenaar), eigenaar, naam).token.id


def test_a_token_is_stored_only_as_its_hash_with_a_short_prefix(app, gemeenten):
    with app.app_context():
        geheim = api_token(MEDEWERKER)
        [token] = db.session.scalars(select(ApiToken)).all()
        assert token.token_hash == apitokens.hash_van(geheim) != geheim
        assert geheim.startswith(token.prefix) and len(token.prefix) == 12
        assert geheim not in str(db.session.scalars(select(AuditEvent.details)).all())


def test_a_token_acts_as_its_user_and_records_when_it_was_last_used(app, client, clock, gemeenten):
    with app.app_context():
        geheim = api_token(MEDEWERKER)
    assert client.get("/api/v1/gemeenten", headers=bearer(geheim)).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.laatst_gebruikt_op)) == clock.now()


def test_each_sees_their_own_tokens_a_gemeente_beheerder_those_of_its_gemeente_the_cak_beheerder_all(app, gemeenten):
    with app.app_context():
        for email in (MEDEWERKER, UTRECHT, CAK, BEHEERDER_AMSTERDAM):
            _token_van(email, f"token van {email}")

        def zichtbaar(email: str) -> list[str]:
            return sorted(t.gebruiker.email for t in apitokens.zichtbare_tokens(gebruiker(email)))

        assert zichtbaar(MEDEWERKER) == [MEDEWERKER]
        assert zichtbaar(CAK) == [CAK]
        assert zichtbaar(BEHEERDER_AMSTERDAM) == sorted([BEHEERDER_AMSTERDAM, MEDEWERKER])
        assert zichtbaar(BEHEER) == sorted([MEDEWERKER, UTRECHT, CAK, BEHEERDER_AMSTERDAM])


def test_a_token_is_revoked_by_its_owner_or_a_beheerder_and_by_nobody_else(app, client, gemeenten):
    with app.app_context():
        amsterdam = _token_van(MEDEWERKER, "eigen")
        with pytest.raises(apitokens.NietGevonden):
            apitokens.trek_in(Actor(user=gebruiker(UTRECHT)), amsterdam)
        with pytest.raises(apitokens.NietGevonden):
            apitokens.trek_in(Actor(user=gebruiker(CAK)), amsterdam)
        apitokens.trek_in(Actor(user=gebruiker(BEHEERDER_AMSTERDAM)), amsterdam)
        cak = _token_van(CAK, "cak")
        with pytest.raises(apitokens.NietGevonden):
            apitokens.trek_in(Actor(user=gebruiker(BEHEERDER_AMSTERDAM)), cak)
        apitokens.trek_in(Actor(user=gebruiker(BEHEER)), cak)
        acties = db.session.scalars(select(AuditEvent.actie).where(AuditEvent.actie.like("api_token_%"))).all()
        assert acties.count("api_token_gemaakt") == 2 and acties.count("api_token_ingetrokken") == 2


def test_a_user_makes_tokens_only_for_themselves(app, gemeenten):
    with app.app_context(), pytest.raises(apitokens.TokenFout, match="alleen voor uzelf"):
        apitokens.maak_token(Actor(user=gebruiker(BEHEER)), gebruiker(MEDEWERKER), "namens")


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"API_LIMIET": 3, "API_VENSTER": 60}


def test_over_the_limit_a_token_gets_429_with_retry_after_until_the_window_has_passed(app, client, clock, gemeenten):
    with app.app_context():
        geheim, ander = api_token(MEDEWERKER), api_token(UTRECHT)
    for _ in range(3):
        assert client.get("/api/v1/gemeenten", headers=bearer(geheim)).status_code == 200
    clock.set(clock.now() + timedelta(seconds=20))
    teveel = client.get("/api/v1/gemeenten", headers=bearer(geheim))
    assert teveel.status_code == 429
    assert teveel.headers["Retry-After"] == "40"
    assert teveel.get_json()["fout"].startswith("Te veel verzoeken met dit API-token: hooguit 3 per 60 seconden.")
    assert client.get("/api/v1/gemeenten", headers=bearer(ander)).status_code == 200  # per token
    clock.set(clock.now() + timedelta(seconds=40))
    assert client.get("/api/v1/gemeenten", headers=bearer(geheim)).status_code == 200


def test_the_token_page_makes_a_token_shown_once_and_revokes_it(app, client, gemeenten):
    sessie = Session(client)
    sessie.login(MEDEWERKER)
    gemaakt = sessie.post("/account/tokens/", {"naam": "Ons zorgsysteem"}, form_url="/account/tokens/")
    assert gemaakt.status_code == 201
    geheim = re.search(r'data-testid="token">([^<]+)<', gemaakt.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/gemeenten", headers=bearer(geheim)).status_code == 200
    lijst = client.get("/account/tokens/").get_data(as_text=True)
    assert geheim not in lijst
    assert "Ons zorgsysteem" in tekst(lijst) and geheim[:12] in lijst
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    ingetrokken = sessie.post(f"/account/tokens/{token_id}/intrekken", form_url="/account/tokens/",
                              follow_redirects=True)
    assert "is ingetrokken; het werkt niet meer" in tekst(ingetrokken.get_data(as_text=True))
    assert client.get("/api/v1/gemeenten", headers=bearer(geheim)).status_code == 401


def test_the_token_page_refuses_a_form_without_csrf_and_another_users_token(app, client, gemeenten):
    with app.app_context():
        andermans = _token_van(UTRECHT, "van utrecht")
    sessie = Session(client)
    sessie.login(MEDEWERKER)
    assert client.post("/account/tokens/", data={"naam": "x"}).status_code == 400
    assert sessie.post(f"/account/tokens/{andermans}/intrekken", form_url="/account/tokens/").status_code == 404
    te_lang = sessie.post("/account/tokens/", {"naam": "x" * 101}, form_url="/account/tokens/")
    assert te_lang.status_code == 422
    assert "Gebruik hooguit 100 tekens." in tekst(te_lang.get_data(as_text=True))


def test_portal_token_maak_prints_a_working_token_once(app, client, gemeenten):
    runner = app.test_cli_runner()
    uitvoer = runner.invoke(cli, ["token", "maak", "--email", MEDEWERKER, "--naam", "koppeling"])
    assert uitvoer.exit_code == 0, uitvoer.output
    geheim = uitvoer.output.strip().splitlines()[-1]
    assert client.get("/api/v1/gemeenten", headers=bearer(geheim)).status_code == 200
    onbekend = runner.invoke(cli, ["token", "maak", "--email", "niemand@example.nl"])
    assert onbekend.exit_code == 1
    assert "Er is geen gebruiker met e-mailadres niemand@example.nl" in onbekend.output
