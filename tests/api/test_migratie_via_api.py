"""One gemeente's whole migration through the API only, on the ketentest's virtual clock: the CAK plans,
the B4 is published, the supplier fetches it and sends the terugkoppeling, the CAK gives its akkoord, the
supplier sends the WMO407 and fetches its WMO408, the Wednesday report appears, the CAK approves, the old
channels close, and no uitval is left."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.scenario import BEHEER, CAK, api_token, bearer, leverende_gemeente, medewerker, vul_b4, wmo407
from tests.scenario import client as wmo_client
from tests.scenario import periode as wmo_periode


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PORTAL_MODE": "ketentest"}


def _bsns_uit_b4(inhoud: bytes) -> list[str]:
    blad = load_workbook(io.BytesIO(inhoud), read_only=True)["Bestandsvergelijking"]
    return [str(rij[1]) for rij in blad.iter_rows(min_row=2, values_only=True) if rij[1]]


def test_a_gemeente_migrates_from_planning_to_closed_channels_through_the_api_alone(app, client):
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", 3)
        gemeente = api_token(medewerker("Amsterdam"))
        beheer = api_token(BEHEER)
        cak = api_token(CAK)

    def stand() -> dict:
        antwoord = client.get("/api/v1/gemeenten/0363", headers=bearer(gemeente))
        assert antwoord.status_code == 200
        return antwoord.get_json()

    def klok(nu: str) -> dict:
        antwoord = client.put("/api/v1/ketentest/klok", json={"nu": nu}, headers=bearer(cak))
        assert antwoord.status_code == 200, antwoord.get_json()
        return antwoord.get_json()

    assert stand()["toestand"] == "NIET_GEPLAND"
    gepland = client.put("/api/v1/gemeenten/0363/timeslot", json={"maandag": "2022-10-03"}, headers=bearer(beheer))
    assert gepland.status_code == 200, gepland.get_json()
    assert gepland.get_json()["toestand"] == "GEPLAND"
    kalender = {s["stap"]: s["moment"] for s in stand()["kalender"]}
    assert kalender["B4_PUBLICEREN"] == "2022-09-26T10:30:00+02:00"
    assert kalender["AANLEVERING_DEADLINE"] == "2022-10-04T15:00:00+02:00"

    verzet = klok("2022-09-26T10:30")
    assert any("B4" in u["omschrijving"] and u["gemeente"] == "0363" for u in verzet["uitgevoerd"])
    assert stand()["toestand"] == "BV_GEPUBLICEERD"
    [b4] = [b for b in client.get("/api/v1/gemeenten/0363/bestanden", headers=bearer(gemeente)).get_json()["bestanden"]
            if b["categorie"] == "bestandsvergelijking"]
    assert b4["naam"] == "680363_B4_Bestandsvergelijking_20220926.xlsx"
    assert b4["gedownload_op"] is None
    opgehaald = client.get(b4["url"], headers=bearer(gemeente))
    assert opgehaald.status_code == 200
    assert opgehaald.headers["X-Content-SHA256"] == b4["sha256"]
    bsns = _bsns_uit_b4(opgehaald.data)
    assert len(bsns) == 3

    klok("2022-09-27T10:00")
    teruggekoppeld = client.post("/api/v1/gemeenten/0363/terugkoppeling?bestandsnaam=tk.xlsx",
                                 data=vul_b4(opgehaald.data), headers=bearer(gemeente))
    assert teruggekoppeld.status_code == 200, teruggekoppeld.get_json()
    assert teruggekoppeld.get_json()["aantallen"] == {"J": 3, "O": 0, "U": 0, "V": 0, "N": 0, "X": 0}
    assert stand()["toestand"] == "TERUGGEKOPPELD"

    klok("2022-09-28T10:00")
    akkoord = client.post("/api/v1/gemeenten/0363/akkoord-aanleveren", headers=bearer(cak))
    assert akkoord.status_code == 200, akkoord.get_json()
    assert akkoord.get_json()["toestand"] == "AKKOORD_AANLEVEREN"
    assert {k["kanaal"]: k["open"] for k in akkoord.get_json()["kanalen"]}["IEB"] is True

    klok("2022-10-03T09:00")
    nummer = 36_300_001
    bericht = wmo407("T0363000001", *[wmo_client(bsn, wmo_periode(nummer + i)) for i, bsn in enumerate(bsns)],
                     afzender="0363")
    verstuurd = client.post("/api/v1/gemeenten/0363/berichten", data=bericht, content_type="application/xml",
                            headers=bearer(gemeente))
    assert verstuurd.status_code == 201, verstuurd.get_json()
    antwoord = verstuurd.get_json()
    assert antwoord["uitkomst"] == "geaccepteerd"
    assert antwoord["retourcodes"] == []
    retour = client.get(antwoord["retour"], headers=bearer(gemeente))
    assert retour.status_code == 200
    assert "680363_WMO408_" in retour.headers["Content-Disposition"]
    assert b"T0363000001" in retour.data
    assert stand()["toestand"] == "AANGELEVERD"

    klok("2022-10-05T10:00")
    namen = [b["naam"] for b in client.get("/api/v1/gemeenten/0363/bestanden",
                                            headers=bearer(gemeente)).get_json()["bestanden"]]
    assert "680363_AanleverrapportageBW_20221005.xlsx" in namen
    gerapporteerd = stand()
    assert gerapporteerd["toestand"] == "GERAPPORTEERD"
    assert gerapporteerd["aantallen"]["ok"] == 3

    goedgekeurd = client.post("/api/v1/gemeenten/0363/akkoord-aanlevering", json={}, headers=bearer(cak))
    assert goedgekeurd.status_code == 200, goedgekeurd.get_json()
    assert goedgekeurd.get_json()["toestand"] == "GEMIGREERD"
    klok("2022-10-05T10:01")
    kanalen = {k["kanaal"]: k for k in stand()["kanalen"]}
    assert kanalen["IEB"]["open"] is True
    assert [kanalen[k]["open"] for k in ("HV_APP", "EXCEL", "RECORD60")] == [False, False, False]
    assert kanalen["EXCEL"]["sinds"].startswith("2022-10-05T")
    assert stand()["uitval"] == 0
    uitval = client.get("/api/v1/gemeenten/0363/uitval", headers=bearer(gemeente))
    assert uitval.status_code == 200
    assert (uitval.get_json()["aantal"], uitval.get_json()["perioden"]) == (0, [])
