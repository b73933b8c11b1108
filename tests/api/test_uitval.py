"""A gemeente's uitval through the API: each period still to fix with its retourcodes and what to do, the
count per code, a filter on one code, and the count on the gemeente itself. Every test reads the one scenario
built for this module."""
from __future__ import annotations

import pytest

from portal.ieb.retourcodes import WAT_TE_DOEN
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    MEDEWERKER,
    UTRECHT,
    api_token,
    b4_bsns,
    bearer,
    client,
    leverende_gemeente,
    naar_toestand,
    periode,
    stuur_wmo407,
)

URL = "/api/v1/gemeenten/0363/uitval"


@pytest.fixture(scope="module")
def scenario(module_app, module_clock):
    """Amsterdam on 28-09-2022 10:00 (its akkoord) sent a message that was rejected: client a changes a period it never
    delivered (9103). Utrecht sent nothing."""
    with module_app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=3)
        utrecht = leverende_gemeente("0344", "Utrecht", clients=1)
        naar_toestand(module_clock, Toestand.AKKOORD_AANLEVEREN, amsterdam, utrecht)
        a = b4_bsns(amsterdam)[0]
        verwerking = stuur_wmo407(amsterdam, client(a, periode(amsterdam.bw_startnummer, status=2)),
                                  identificatie="WIJZIG-1")
        assert verwerking.uitkomst == "afgekeurd"
        return {"a": a, "nummer": amsterdam.bw_startnummer, "bericht": verwerking.ontvangst_id,
                "amsterdam": api_token(MEDEWERKER), "utrecht": api_token(UTRECHT), "cak": api_token(CAK)}


@pytest.fixture
def app(module_app, scenario):
    return module_app


def test_the_uitval_lists_each_period_with_its_code_what_to_do_and_its_message(client, scenario):
    antwoord = client.get(URL, headers=bearer(scenario["amsterdam"]))
    assert antwoord.status_code == 200
    body = antwoord.get_json()
    assert (body["gemeente"], body["aantal"], body["aantal_gefilterd"], body["weggelaten"]) == ("0363", 1, 1, 0)
    [regel] = body["perioden"]
    assert (regel["bsn"], regel["bw_startnummer"], regel["bw_startdatum"]) == (scenario["a"], scenario["nummer"],
                                                                               "2022-10-01")
    assert regel["retourcodes"] == [{"code": "9103", "omschrijving": "Wijzigen zonder eerdere aanlevering met "
                                     "hetzelfde BwStartNummer", "wat_te_doen": WAT_TE_DOEN["9103"]}]
    assert regel["bericht"]["identificatie"] == "WIJZIG-1"
    assert regel["bericht"]["ontvangen_op"] == "2022-09-28T10:00:00+02:00"
    assert client.get(regel["bericht"]["url"], headers=bearer(scenario["amsterdam"])).get_json()["id"] == \
        scenario["bericht"]
    assert [(c["code"], c["aantal"]) for c in body["per_code"]] == [("9103", 1)]


def test_a_filter_on_a_retourcode_keeps_only_its_periods_and_still_tells_the_total(client, scenario):
    body = client.get(f"{URL}?retourcode=8001", headers=bearer(scenario["amsterdam"])).get_json()
    assert (body["retourcode"], body["aantal"], body["aantal_gefilterd"], body["perioden"]) == ("8001", 1, 0, [])


@pytest.mark.parametrize("retourcode", ["abc", "91033", "९१०३"])
def test_a_retourcode_that_is_not_four_digits_is_a_422_naming_the_field(client, scenario, retourcode):
    antwoord = client.get(URL, query_string={"retourcode": retourcode}, headers=bearer(scenario["amsterdam"]))
    assert antwoord.status_code == 422
    assert [d["veld"] for d in antwoord.get_json()["details"]] == ["retourcode"]


def test_the_cak_reads_the_uitval_of_every_gemeente_and_the_gemeente_tells_its_count(client, scenario):
    assert client.get(URL, headers=bearer(scenario["cak"])).get_json()["aantal"] == 1
    assert client.get("/api/v1/gemeenten/0363", headers=bearer(scenario["cak"])).get_json()["uitval"] == 1
    assert client.get("/api/v1/gemeenten/0344", headers=bearer(scenario["cak"])).get_json()["uitval"] == 0
    leeg = client.get("/api/v1/gemeenten/0344/uitval", headers=bearer(scenario["utrecht"])).get_json()
    assert (leeg["aantal"], leeg["perioden"], leeg["per_code"]) == (0, [], [])
