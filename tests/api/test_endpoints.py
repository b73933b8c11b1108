"""Each endpoint of the API: what it answers on success, and on input it cannot use."""
from __future__ import annotations

import pytest

from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    MEDEWERKER,
    api_token,
    b4_bsns,
    b4_van,
    bearer,
    gemeente_in,
    leverende_gemeente,
    mag_aanleveren,
    periode,
    vul_b4,
    wmo407,
)
from tests.scenario import (
    client as wmo_client,
)


def test_a_gemeente_tells_its_state_calendar_channels_and_counts(app, client, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
        token = api_token(MEDEWERKER)
    antwoord = client.get("/api/v1/gemeenten/0363", headers=bearer(token)).get_json()
    assert antwoord["toestand"] == "BV_GEPUBLICEERD"
    assert antwoord["timeslot"] == "2022-10-03"
    assert antwoord["volgende_deadline"] == {"moment": "2022-09-29T17:00:00+02:00",
                                             "omschrijving": "terugkoppeling uiterlijk"}
    assert antwoord["kalender"][0] == {"stap": "B4_PUBLICEREN", "moment": "2022-09-26T10:30:00+02:00",
                                       "omschrijving": antwoord["kalender"][0]["omschrijving"], "voorbij": True}
    assert {k["kanaal"]: k["open"] for k in antwoord["kanalen"]} == {
        "IEB": False, "HV_APP": True, "EXCEL": True, "RECORD60": True}
    assert antwoord["aantallen"]["in_b4"] == 4
    assert antwoord["uitval"] == 0


def test_a_file_is_listed_then_fetched_and_the_fetch_counts_as_a_download(app, client, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
        token = api_token(MEDEWERKER)
    [b4] = client.get("/api/v1/gemeenten/0363/bestanden", headers=bearer(token)).get_json()["bestanden"]
    assert b4["categorie"] == "bestandsvergelijking"
    assert b4["geplaatst_op"] == "2022-09-26T10:30:00+02:00"
    inhoud = client.get(f"/api/v1/bestanden/{b4['id']}", headers=bearer(token))
    assert inhoud.status_code == 200
    assert len(inhoud.data) == b4["grootte"]
    [opnieuw] = client.get("/api/v1/gemeenten/0363/bestanden", headers=bearer(token)).get_json()["bestanden"]
    assert opnieuw["gedownload_op"] == "2022-09-26T10:30:00+02:00"
    assert client.get("/api/v1/bestanden/999999", headers=bearer(token)).status_code == 404


def test_an_invalid_terugkoppeling_answers_422_with_every_problem_per_row_and_column(app, client, clock):
    with app.app_context():
        gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
        bsns = b4_bsns(gemeente)
        inhoud = vul_b4(b4_van(gemeente).inhoud, {bsns[0]: "Q", bsns[1]: None})
        token = api_token(MEDEWERKER)
    antwoord = client.post("/api/v1/gemeenten/0363/terugkoppeling", data=inhoud, headers=bearer(token))
    assert antwoord.status_code == 422
    fout = antwoord.get_json()
    assert fout["fout"].startswith("De terugkoppeling is niet aangenomen: 2 problemen gevonden.")
    assert [(d["rij"], d["kolom"]) for d in fout["details"]] == [(2, "L"), (3, "L")]
    assert all(d["melding"] for d in fout["details"])
    assert fout["ontvangst_id"]  # kept all the same


def test_a_terugkoppeling_without_a_body_is_a_400(app, client, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
        token = api_token(MEDEWERKER)
    antwoord = client.post("/api/v1/gemeenten/0363/terugkoppeling", headers=bearer(token))
    assert antwoord.status_code == 400
    assert antwoord.get_json()["fout"].startswith("Het verzoek heeft geen inhoud.")


def test_a_terugkoppeling_before_the_b4_is_refused_with_409(app, client, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.GEPLAND)
        token = api_token(MEDEWERKER)
    antwoord = client.post("/api/v1/gemeenten/0363/terugkoppeling", data=b"PK", headers=bearer(token))
    assert antwoord.status_code == 409
    assert "nog geen bestandsvergelijking" in antwoord.get_json()["fout"]


def test_a_wmo407_before_the_akkoord_is_refused_with_409(app, client, clock):
    with app.app_context():
        gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)
        bericht = wmo407("T1", wmo_client(b4_bsns(gemeente)[0], periode(36300001)))
        token = api_token(MEDEWERKER)
    antwoord = client.post("/api/v1/gemeenten/0363/berichten", data=bericht, content_type="application/xml",
                           headers=bearer(token))
    assert antwoord.status_code == 409
    assert "nog geen akkoord om aan te leveren" in antwoord.get_json()["fout"]


def test_a_wmo407_that_is_no_xml_or_breaks_the_schema_is_ongeldig_with_422(app, client, clock):
    with app.app_context():
        mag_aanleveren(clock)
        schemafout = wmo407("T2", wmo_client("12345", periode(6)))
        token = api_token(MEDEWERKER)
    kapot = client.post("/api/v1/gemeenten/0363/berichten", data=b"<wmo407:Bericht", headers=bearer(token))
    schema = client.post("/api/v1/gemeenten/0363/berichten", data=schemafout, headers=bearer(token))
    for antwoord, niveau in ((kapot, 0), (schema, 1)):
        assert antwoord.status_code == 422
        assert antwoord.get_json()["uitkomst"] == "ongeldig"
        assert antwoord.get_json()["niveau"] == niveau
        assert antwoord.get_json()["details"]


def test_a_rejected_wmo407_gets_201_with_its_retourcodes_and_the_lists_filter_it(app, client, clock):
    with app.app_context():
        gemeente = mag_aanleveren(clock)
        bsn = b4_bsns(gemeente)[0]
        afgekeurd = wmo407("T3", wmo_client("123456789", periode(36300001)))
        goed = wmo407("T4", wmo_client(bsn, periode(36300002)))
        token = api_token(MEDEWERKER)
    eerste = client.post("/api/v1/gemeenten/0363/berichten", data=afgekeurd, headers=bearer(token)).get_json()
    assert eerste["uitkomst"] == "afgekeurd"
    assert eerste["retourcodes"]
    code = eerste["retourcodes"][0]
    client.post("/api/v1/gemeenten/0363/berichten", data=goed, headers=bearer(token))
    alle = client.get("/api/v1/gemeenten/0363/berichten", headers=bearer(token)).get_json()["berichten"]
    assert [b["identificatie"] for b in alle] == ["T4", "T3"]
    met_code = client.get(f"/api/v1/gemeenten/0363/berichten?retourcode={code}", headers=bearer(token)).get_json()
    assert [b["identificatie"] for b in met_code["berichten"]] == ["T3"]
    sinds = client.get("/api/v1/gemeenten/0363/berichten?sinds=2022-10-03T09:01", headers=bearer(token))
    assert sinds.get_json()["berichten"] == []
    detail = client.get(eerste["url"], headers=bearer(token)).get_json()
    assert detail["perioden"][0]["bsn"] == "123456789"
    assert client.get(eerste["retour"], headers=bearer(token)).status_code == 200


def test_a_list_of_messages_refuses_a_moment_or_code_it_cannot_read(app, client, clock):
    with app.app_context():
        leverende_gemeente()
        token = api_token(MEDEWERKER)
    antwoord = client.get("/api/v1/gemeenten/0363/berichten?sinds=gisteren&retourcode=abc", headers=bearer(token))
    assert antwoord.status_code == 422
    assert [d["veld"] for d in antwoord.get_json()["details"]] == ["sinds", "retourcode"]


def test_the_cak_gives_its_akkoord_with_another_delivery_date(app, client, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD)
        token = api_token(CAK)
    antwoord = client.post("/api/v1/gemeenten/0363/akkoord-aanleveren", json={"aanleverdatum": "2022-10-06"},
                           headers=bearer(token))
    assert antwoord.status_code == 200
    assert antwoord.get_json()["volgende_deadline"]["moment"] == "2022-10-06T15:00:00+02:00"


@pytest.mark.parametrize(("methode", "adres", "body", "veld"), [
    ("post", "/api/v1/gemeenten/0363/akkoord-aanleveren", {"aanleverdatum": "morgen"}, "aanleverdatum"),
    ("post", "/api/v1/gemeenten/0363/akkoord-aanlevering", {"afwijking": 12}, "afwijking"),
    ("post", "/api/v1/gemeenten/0363/belnotitie", {"notitie": "gebeld"}, "nieuwe_datum"),
    ("post", "/api/v1/gemeenten/0363/belnotitie", {"nieuwe_datum": "2022-10-20"}, "notitie"),
    ("put", "/api/v1/gemeenten/0363/timeslot", {}, "maandag"),
    ("put", "/api/v1/gemeenten/0363/timeslot", {"maandag": "3 oktober"}, "maandag"),
])
def test_a_cak_step_with_input_it_cannot_read_is_a_422_naming_the_field(app, client, clock, methode, adres, body,
                                                                        veld):
    with app.app_context():
        leverende_gemeente()
        token = api_token(BEHEER)
    antwoord = getattr(client, methode)(adres, json=body, headers=bearer(token))
    assert antwoord.status_code == 422
    assert antwoord.get_json()["details"][0]["veld"] == veld


def test_a_cak_step_with_a_body_that_is_no_json_object_is_a_422(app, client, clock):
    with app.app_context():
        leverende_gemeente()
        token = api_token(BEHEER)
    antwoord = client.put("/api/v1/gemeenten/0363/timeslot", data=b"[1, 2]", headers=bearer(token))
    assert antwoord.status_code == 422
    assert "geen JSON-object" in antwoord.get_json()["fout"]


def test_the_beheerder_plans_and_moves_a_timeslot(app, client, clock):
    with app.app_context():
        leverende_gemeente()
        token = api_token(BEHEER)
    antwoord = client.put("/api/v1/gemeenten/0363/timeslot", json={"maandag": "2022-10-10"}, headers=bearer(token))
    assert antwoord.get_json()["timeslot"] == "2022-10-10"
    fout = client.put("/api/v1/gemeenten/0363/timeslot", json={"maandag": "2022-10-04"}, headers=bearer(token))
    assert fout.status_code == 409
    assert "maandag" in fout.get_json()["fout"].lower() or "timeslot" in fout.get_json()["fout"].lower()


def test_the_call_result_sets_a_new_delivery_date(app, client, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.NABELLEN)
        token = api_token(CAK)
    antwoord = client.post("/api/v1/gemeenten/0363/belnotitie",
                           json={"notitie": "Levert de laatste cliënt na.", "nieuwe_datum": "2022-10-12"},
                           headers=bearer(token))
    assert antwoord.status_code == 200, antwoord.get_json()
    assert antwoord.get_json()["toestand"] == "AKKOORD_AANLEVEREN"
    zonder_reden = client.post("/api/v1/gemeenten/0363/akkoord-aanlevering", json={}, headers=bearer(token))
    assert zonder_reden.status_code == 409
