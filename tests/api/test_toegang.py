"""Who may call which endpoint of the API: no token, a revoked token and a session cookie get 401; a token
of another gemeente gets 404; a role that may not take the step gets 403; every error is a Dutch JSON
sentence. Every test reads the one scenario built for this module (a refused request changes nothing)."""
from __future__ import annotations

import pytest

from portal.services import apitokens
from portal.services.audit import Actor
from portal.toestanden import Toestand
from tests.conftest import Session
from tests.scenario import (
    BEHEER,
    CAK,
    MEDEWERKER,
    UTRECHT,
    api_token,
    b4_van,
    bearer,
    gebruiker,
    leverende_gemeente,
    naar_toestand,
    stuur_gegenereerde_wmo407,
)


@pytest.fixture(scope="module")
def scenario(module_app, module_clock):
    """Amsterdam delivered (AANGELEVERD) on 03-10-2022; Utrecht is only there with its own user."""
    with module_app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=2)
        leverende_gemeente("0344", "Utrecht", clients=1)
        naar_toestand(module_clock, Toestand.AKKOORD_AANLEVEREN, amsterdam)
        verwerking = stuur_gegenereerde_wmo407(amsterdam)
        ingetrokken = apitokens.maak_token(Actor(user=gebruiker(MEDEWERKER)), gebruiker(MEDEWERKER), "oud")
        apitokens.trek_in(Actor(user=gebruiker(MEDEWERKER)), ingetrokken.token.id)
        return {"b4": b4_van(amsterdam).id, "bericht": verwerking.ontvangst_id,
                "amsterdam": api_token(MEDEWERKER), "utrecht": api_token(UTRECHT), "cak": api_token(CAK),
                "beheer": api_token(BEHEER), "ingetrokken": ingetrokken.geheim}


@pytest.fixture
def app(module_app, scenario):
    return module_app


XLSX = b"PK\x03\x04 geen echte terugkoppeling"
XML = b"<?xml version='1.0'?><niets/>"

# (method, address, body): every endpoint that concerns Amsterdam's data.
AMSTERDAM = [
    ("get", "/api/v1/gemeenten/0363", None),
    ("get", "/api/v1/gemeenten/0363/bestanden", None),
    ("get", "/api/v1/bestanden/{b4}", None),
    ("post", "/api/v1/gemeenten/0363/terugkoppeling", XLSX),
    ("post", "/api/v1/gemeenten/0363/berichten", XML),
    ("get", "/api/v1/gemeenten/0363/berichten", None),
    ("get", "/api/v1/berichten/{bericht}", None),
    ("get", "/api/v1/berichten/{bericht}/retour", None),
    ("post", "/api/v1/gemeenten/0363/akkoord-aanleveren", {}),
    ("post", "/api/v1/gemeenten/0363/akkoord-aanlevering", {"afwijking": "akkoord"}),
    ("post", "/api/v1/gemeenten/0363/belnotitie", {"notitie": "gebeld", "nieuwe_datum": "2022-10-20"}),
    ("put", "/api/v1/gemeenten/0363/timeslot", {"maandag": "2022-10-17"}),
    ("get", "/api/v1/gemeenten/0363/uitval", None),
    ("post", "/api/v1/gemeenten/0363/oude-kanalen/excel", XLSX),
    ("post", "/api/v1/gemeenten/0363/oude-kanalen/record60", b"60" + b" " * 58),
    ("post", "/api/v1/gemeenten/0363/oude-kanalen/hv", {"bsn": "123456782"}),
]
ALLE = [("get", "/api/v1/gemeenten", None), *AMSTERDAM]
CAK_ALLEEN = [e for e in AMSTERDAM if "akkoord" in e[1] or "belnotitie" in e[1] or "timeslot" in e[1]]
# The CAK's refusal to submit mutations (403, the input kept all the same) is in test_oude_kanalen.py.


def _vraag(client, scenario, methode: str, adres: str, body, token: str | None):
    kwargs: dict = {"headers": bearer(token) if token else {}}
    if isinstance(body, dict):
        kwargs["json"] = body
    elif body is not None:
        kwargs["data"] = body
    return getattr(client, methode)(adres.format(**scenario), **kwargs)


def _naam(endpoint) -> str:
    return f"{endpoint[0].upper()} {endpoint[1]}"


@pytest.mark.parametrize("endpoint", ALLE, ids=_naam)
def test_a_request_without_a_token_is_refused_with_401_and_a_dutch_sentence(client, scenario, endpoint):
    antwoord = _vraag(client, scenario, *endpoint, token=None)
    assert antwoord.status_code == 401
    assert antwoord.headers["WWW-Authenticate"].startswith("Bearer")
    assert antwoord.get_json() == {"fout": apitokens.ONGELDIG, "details": []}


@pytest.mark.parametrize("endpoint", ALLE, ids=_naam)
def test_a_revoked_token_is_refused_with_401(client, scenario, endpoint):
    antwoord = _vraag(client, scenario, *endpoint, token=scenario["ingetrokken"])
    assert antwoord.status_code == 401
    assert "ingetrokken" in antwoord.get_json()["fout"]


def test_an_unknown_token_is_refused_with_401(client, scenario):
    antwoord = client.get("/api/v1/gemeenten", headers=bearer("bwp_verzonnen-token"))
    assert antwoord.status_code == 401


@pytest.mark.parametrize("endpoint", AMSTERDAM, ids=_naam)
def test_a_token_of_another_gemeente_gets_404_as_if_nothing_were_there(client, scenario, endpoint):
    antwoord = _vraag(client, scenario, *endpoint, token=scenario["utrecht"])
    assert antwoord.status_code == 404
    assert antwoord.get_json()["fout"].startswith("Dit adres bestaat niet, of u heeft er geen toegang toe.")


@pytest.mark.parametrize("endpoint", CAK_ALLEEN, ids=_naam)
def test_a_gemeente_token_may_not_take_the_steps_of_the_cak(client, scenario, endpoint):
    antwoord = _vraag(client, scenario, *endpoint, token=scenario["amsterdam"])
    assert antwoord.status_code == 403
    assert "CAK" in antwoord.get_json()["fout"]


def test_only_a_beheerder_of_the_cak_plans_a_timeslot(client, scenario):
    antwoord = _vraag(client, scenario, "put", "/api/v1/gemeenten/0363/timeslot", {"maandag": "2022-10-17"},
                      token=scenario["cak"])
    assert antwoord.status_code == 403
    assert antwoord.get_json()["fout"] == "Alleen een beheerder van het CAK kan dit doen."


def test_a_step_that_does_not_fit_the_state_is_refused_with_409(client, scenario):
    antwoord = _vraag(client, scenario, "put", "/api/v1/gemeenten/0363/timeslot", {"maandag": "2022-10-17"},
                      token=scenario["beheer"])
    assert antwoord.status_code == 409
    assert "kan niet meer worden verplaatst" in antwoord.get_json()["fout"]


def test_the_list_of_gemeenten_holds_only_those_the_token_may_see(client, scenario):
    utrecht = client.get("/api/v1/gemeenten", headers=bearer(scenario["utrecht"])).get_json()
    cak = client.get("/api/v1/gemeenten", headers=bearer(scenario["cak"])).get_json()
    assert [g["code"] for g in utrecht["gemeenten"]] == ["0344"]
    assert sorted(g["code"] for g in cak["gemeenten"]) == ["0344", "0363"]


def test_a_logged_in_session_does_not_authenticate_the_api(client, scenario):
    Session(client).login(MEDEWERKER)
    assert client.get("/gemeenten/0363/").status_code == 200
    antwoord = client.get("/api/v1/gemeenten/0363")
    assert antwoord.status_code == 401


def test_the_api_needs_no_csrf_token_for_a_write(client, scenario):
    antwoord = client.post("/api/v1/gemeenten/0363/akkoord-aanleveren", json={}, headers=bearer(scenario["cak"]))
    assert antwoord.status_code == 409  # refused by the state, not by a missing CSRF token
    assert "csrf" not in antwoord.get_json()["fout"].lower()


def test_an_unknown_address_and_a_wrong_method_answer_json(client, scenario):
    onbekend = client.get("/api/v1/bestaat-niet", headers=bearer(scenario["cak"]))
    methode = client.delete("/api/v1/gemeenten", headers=bearer(scenario["cak"]))
    assert onbekend.status_code == 404
    assert onbekend.get_json()["fout"].startswith("Dit adres bestaat niet")
    assert methode.status_code == 405
    assert methode.get_json()["fout"].startswith("Deze methode kan niet op dit adres.")
