"""The ketentest through the API: the clock (read by anyone, moved by the CAK, due steps run in order),
resetting one gemeente to its demo start; and none of it outside the ketentest."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Gemeente
from portal.services import seed
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    MEDEWERKER,
    api_token,
    bearer,
    cak_gebruikers,
    gebruiker,
    gemeente_met_code,
    leverende_gemeente,
    maak_gebruiker,
    mails,
    medewerker,
    momentopname,
    naar_toestand,
    plan,
    toestand,
)


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PORTAL_MODE": "ketentest"}


@pytest.fixture
def amsterdam(app):
    """Amsterdam with its user and the CAK's, each with a token, on the ketentest's clock (19-09-2022 09:00)."""
    with app.app_context():
        plan(leverende_gemeente("0363", "Amsterdam", clients=1))
        return {"cak": api_token(CAK), "gemeente": api_token(MEDEWERKER), "code": "0363"}


@pytest.fixture
def demo(app):
    """The demo loaded on the ketentest's clock (19-09-2022 09:00), with a CAK and a gemeente token."""
    with app.app_context():
        seed.laad_demo()
        cak = next(u for u in seed.demo_scenario().gebruikers if u.role == "cak")
        gemeente = next(u for u in seed.demo_scenario().gebruikers if u.role == "gemeente")
        return {"cak": api_token(cak.email), "gemeente": api_token(gemeente.email),
                "code": gebruiker(gemeente.email).gemeenten[0].code}


def test_the_clock_moves_forward_and_the_steps_that_fell_due_run_in_order(app, client, amsterdam):
    stand = client.get("/api/v1/ketentest/klok", headers=bearer(amsterdam["gemeente"])).get_json()
    assert stand["nu"] == "2022-09-19T09:00:00+02:00"
    antwoord = client.put("/api/v1/ketentest/klok", json={"nu": "2022-09-30T18:00"}, headers=bearer(amsterdam["cak"]))
    assert antwoord.status_code == 200
    verzet = antwoord.get_json()
    assert verzet["nu"] == "2022-09-30T18:00:00+02:00"
    assert [u["moment"] for u in verzet["uitgevoerd"]] == [
        "2022-09-26T10:30:00+02:00", "2022-09-29T17:00:00+02:00", "2022-09-30T17:00:00+02:00"]
    assert all(u["gemeente"] == "0363" and u["gelukt"] for u in verzet["uitgevoerd"])
    assert client.get("/api/v1/ketentest/klok", headers=bearer(amsterdam["gemeente"])).get_json()["nu"] == verzet["nu"]


def test_the_clock_does_not_go_back_and_reads_only_a_moment(app, client, amsterdam):
    terug = client.put("/api/v1/ketentest/klok", json={"nu": "2022-09-01T10:00"}, headers=bearer(amsterdam["cak"]))
    onleesbaar = client.put("/api/v1/ketentest/klok", json={"nu": "volgende week"}, headers=bearer(amsterdam["cak"]))
    assert terug.status_code == 409
    assert "De klok kan niet terug" in terug.get_json()["fout"]
    assert onleesbaar.status_code == 422
    assert onleesbaar.get_json()["details"][0]["veld"] == "nu"


def test_only_the_cak_moves_the_clock_and_resets_a_gemeente(app, client, amsterdam):
    klok = client.put("/api/v1/ketentest/klok", json={"nu": "2022-09-20T10:00"}, headers=bearer(amsterdam["gemeente"]))
    reset = client.post(f"/api/v1/ketentest/gemeenten/{amsterdam['code']}/reset", headers=bearer(amsterdam["gemeente"]))
    assert klok.status_code == 403
    assert "Alleen een medewerker van het CAK" in klok.get_json()["fout"]
    assert reset.status_code == 403
    assert client.put("/api/v1/ketentest/klok", json={"nu": "2022-09-20T10:00"}).status_code == 401


def test_a_reset_brings_one_gemeente_back_to_its_demo_start_and_leaves_the_others_alone(app, client, clock, demo):
    with app.app_context():
        leverend = seed.demo_scenario().leverende_gemeenten
        week = next(d.voorkeur_timeslot for d in leverend if d.code == demo["code"])
        assert week is not None
        gemeente = gemeente_met_code(demo["code"])
        cak_gebruikers()
        maak_gebruiker(medewerker(gemeente.naam), gemeenten=(gemeente.code,))
        voor = momentopname(gemeente)
        naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, gemeente, timeslot=week)
        # its region members that do not deliver themselves share its channels; every other gemeente is untouched
        overige = [g.code for g in alle_gemeenten()
                   if g.id != gemeente.id and (g.levert_aan or g.centrumgemeente_id != gemeente.id)]
        anderen_daarna = [eigen(gemeente_met_code(c)) for c in overige]
    antwoord = client.post(f"/api/v1/ketentest/gemeenten/{demo['code']}/reset", headers=bearer(demo["cak"]))
    assert antwoord.status_code == 200, antwoord.get_json()
    uitkomst = antwoord.get_json()
    assert uitkomst["verwijderd"]["terugkoppeling"] == 1
    assert uitkomst["verwijderd"]["b4_regel"] > 0
    with app.app_context():
        assert [eigen(gemeente_met_code(c)) for c in overige] == anderen_daarna
        assert any(m["migratie"] and m["tijdlijn"] for m in anderen_daarna)  # the others had data to lose
        gemeente = gemeente_met_code(demo["code"])
        assert toestand(gemeente) == Toestand.NIET_GEPLAND  # its week's B4 moment lies behind the clock now
        na = momentopname(gemeente)
        assert na["terugkoppelingen"] == [] and na["tijdlijn"] == [] and na["perioden"] == []
        assert na["bestanden"] == [b for b in voor["bestanden"] if "Aan- en afmelden" in b[0]]
        assert [(k, open_) for k, open_, _ in na["kanalen"]] == [
            ("IEB", False), ("HV_APP", True), ("EXCEL", True), ("RECORD60", True)]
    assert "latere week" in uitkomst["melding"]


def eigen(gemeente: Gemeente) -> dict:
    """What can be observed of the gemeente itself (the snapshot without the count of all mails)."""
    return {k: v for k, v in momentopname(gemeente).items() if k != "mails"} | {
        "mails": [m.id for m in mails(gemeente=gemeente)]}


def alle_gemeenten() -> list[Gemeente]:
    return list(db.session.scalars(select(Gemeente).order_by(Gemeente.code)))


def test_a_reset_before_the_b4_plans_the_gemeente_again_as_the_demo_does(app, client, demo):
    antwoord = client.post(f"/api/v1/ketentest/gemeenten/{demo['code']}/reset", headers=bearer(demo["cak"]))
    assert antwoord.status_code == 200
    assert antwoord.get_json()["gemeente"]["toestand"] == "GEPLAND"
    assert client.post("/api/v1/ketentest/gemeenten/9999/reset", headers=bearer(demo["cak"])).status_code == 404


def test_outside_the_ketentest_its_endpoints_do_not_exist(app, client, amsterdam):
    app.config["PORTAL_MODE"] = "ontwikkeling"
    cak = amsterdam["cak"]
    for antwoord in (client.get("/api/v1/ketentest/klok", headers=bearer(cak)),
                     client.put("/api/v1/ketentest/klok", json={"nu": "2022-09-20T10:00"}, headers=bearer(cak)),
                     client.post(f"/api/v1/ketentest/gemeenten/{amsterdam['code']}/reset", headers=bearer(cak))):
        assert antwoord.status_code == 404
        assert antwoord.get_json()["fout"].startswith("Dit adres bestaat niet")
