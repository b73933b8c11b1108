"""The old channels through the API: the start/stop sheet, the 60-record and the H&V form. Accepted input
answers 201 with its mutations; input refused for its content 422 with each problem per row and column, per
line and positions, or per field; input refused by the closing rule 409 pointing to the WMO407; a CAK token
403. Every input is kept, whatever the answer."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import OntvangstStatus
from portal.services import kanalen
from portal.services.audit import Actor
from tests.mutatiebestanden import (
    BSN_DE_VRIES,
    BSN_JANSEN,
    NA,
    VOOR,
    record60,
    record60_bestand,
    rij,
    vul_in,
)
from tests.scenario import (
    BEHEER,
    CAK,
    MEDEWERKER,
    api_token,
    bearer,
    client_bsns,
    gemeente_met_code,
    leverende_gemeente,
    maak_gebruiker,
    ontvangsten,
)

URL = "/api/v1/gemeenten/0363/oude-kanalen"


def hv(**velden) -> dict[str, str | None]:
    """The JSON body of the H&V form: a START of Jansen before the peildatum, dates as JJJJ-MM-DD."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in rij(**velden).items()}


def bestand_voor(kanaal: str, **velden) -> bytes:
    if kanaal == "excel":
        return vul_in([rij(**velden)])
    return record60_bestand(record60(velden.get("bsn", BSN_JANSEN),
                                     start=(velden.get("datum_start_bw") or VOOR).strftime("%Y%m%d")))


def stuur(client, token: str, kanaal: str, **velden):
    if kanaal == "hv":
        return client.post(f"{URL}/hv", json=hv(**velden), headers=bearer(token))
    return client.post(f"{URL}/{kanaal}?bestandsnaam=mijn-{kanaal}", data=bestand_voor(kanaal, **velden),
                       headers=bearer(token))


@pytest.fixture
def amsterdam(app):
    """Amsterdam with two BW clients registered since 01-01-2018; its users and the CAK's."""
    with app.app_context():
        return leverende_gemeente("0363", "Amsterdam", clients=2)


@pytest.mark.parametrize("rol", ["gemeente", "gemeente_beheerder", "leverancier"])
def test_the_hv_form_as_json_registers_a_new_client_for_each_delivering_role(app, client, amsterdam, rol):
    with app.app_context():
        maak_gebruiker(f"{rol}@amsterdam.example.nl", rol, gemeenten=("0363",))
        token = api_token(f"{rol}@amsterdam.example.nl")
    antwoord = stuur(client, token, "hv", voorvoegsel="van")
    assert antwoord.status_code == 201, antwoord.get_json()
    body = antwoord.get_json()
    assert body["uitkomst"] == "verwerkt"
    assert body["melding"] == "1 mutatie is aangenomen en verwerkt in de registratie van het CAK."
    assert body["mutaties"] == [{"volgnummer": None, "bsn": BSN_JANSEN, "soort_mutatie": "START",
                                 "datum": "2022-09-15", "gemeentecode": "0363"}]
    with app.app_context():
        [ontvangst] = ontvangsten(gemeente_met_code("0363"), "hv_mutatie")
        assert (ontvangst.id, ontvangst.kanaal, ontvangst.status) == (body["ontvangst_id"], "api",
                                                                      OntvangstStatus.VERWERKT)


def test_the_sheet_registers_each_row_and_answers_its_mutations_with_their_row(app, client, amsterdam):
    with app.app_context():
        token = api_token(MEDEWERKER)
    inhoud = vul_in([rij(), rij(bsn=BSN_DE_VRIES, geslachtsnaam="Vries", voorvoegsel="de")])
    antwoord = client.post(f"{URL}/excel?bestandsnaam=aanmeldingen.xlsx", data=inhoud, headers=bearer(token))
    assert antwoord.status_code == 201, antwoord.get_json()
    body = antwoord.get_json()
    assert (body["kanaal"], body["bestandsnaam"], body["grootte"]) == ("EXCEL", "aanmeldingen.xlsx", len(inhoud))
    assert [(m["volgnummer"], m["bsn"]) for m in body["mutaties"]] == [(2, BSN_JANSEN), (3, BSN_DE_VRIES)]


def test_a_60_record_stops_a_known_client(app, client, amsterdam):
    with app.app_context():
        token = api_token(MEDEWERKER)
        bsn = client_bsns("0363", 2)[0]
    inhoud = record60_bestand(record60(bsn, "E", "20180101", "20220915"))
    antwoord = client.post(f"{URL}/record60", data=inhoud, content_type="text/plain", headers=bearer(token))
    assert antwoord.status_code == 201, antwoord.get_json()
    assert antwoord.get_json()["mutaties"] == [{"volgnummer": 1, "bsn": bsn, "soort_mutatie": "STOP",
                                                "datum": "2022-09-15", "gemeentecode": "0363"}]


def test_a_sheet_with_problems_is_a_422_naming_every_row_and_column_and_is_kept(app, client, amsterdam):
    with app.app_context():
        token = api_token(MEDEWERKER)
    inhoud = vul_in([rij(bsn="123456789"), rij(bsn=BSN_DE_VRIES, aanbieder_naam=None)])
    antwoord = client.post(f"{URL}/excel", data=inhoud, headers=bearer(token))
    assert antwoord.status_code == 422
    body = antwoord.get_json()
    assert body["fout"] == ("Het bestand is niet aangenomen: 2 problemen gevonden. Er is niets gewijzigd. Herstel "
                            "de punten hieronder in het bestand en upload het opnieuw.")
    assert [(d["rij"], d["kolom"], d["kolomnaam"]) for d in body["details"]] == [
        (2, "B", "BSN"), (3, "K", "AANBIEDER_NAAM")]
    assert all(d["melding"] for d in body["details"])
    with app.app_context():
        [ontvangst] = ontvangsten(gemeente_met_code("0363"), "mutaties_excel")
        assert (ontvangst.id, ontvangst.status) == (body["ontvangst_id"], OntvangstStatus.AFGEKEURD)


def test_a_60_record_with_problems_is_a_422_naming_the_line_and_positions(app, client, amsterdam):
    with app.app_context():
        token = api_token(MEDEWERKER)
    bekend = client_bsns("0363", 2)[0]
    inhoud = record60_bestand(record60(bekend), record60(BSN_JANSEN))
    antwoord = client.post(f"{URL}/record60", data=inhoud, headers=bearer(token))
    assert antwoord.status_code == 422
    [probleem] = antwoord.get_json()["details"]
    assert (probleem["regel"], probleem["posities"]) == (2, "posities 7-15 (BSN)")
    assert "60-record bevat geen naam" in probleem["melding"]


def test_an_hv_mutation_with_problems_is_a_422_naming_each_field(app, client, amsterdam):
    with app.app_context():
        token = api_token(MEDEWERKER)
    antwoord = client.post(f"{URL}/hv", json=hv(bsn="123456789", aanbieder_naam=None, geboortedatum="gisteren"),
                           headers=bearer(token))
    assert antwoord.status_code == 422
    details = {d["veld"]: d["melding"] for d in antwoord.get_json()["details"]}
    assert set(details) == {"bsn", "aanbieder_naam", "geboortedatum"}
    assert "Het BSN 123456789 is niet geldig" in details["bsn"]
    assert "'gisteren' is geen geldige datum" in details["geboortedatum"]


@pytest.mark.parametrize(("body", "veld"), [
    ({**hv(), "BSN ": "1"}, "BSN "),
    ({**hv(), "bsn": 12345672}, "bsn"),
])
def test_an_hv_body_with_an_unknown_field_or_a_value_that_is_no_text_is_a_422_before_anything_is_kept(
        app, client, amsterdam, body, veld):
    with app.app_context():
        token = api_token(MEDEWERKER)
    antwoord = client.post(f"{URL}/hv", json=body, headers=bearer(token))
    assert antwoord.status_code == 422
    assert [d["veld"] for d in antwoord.get_json()["details"]] == [veld]


def test_an_upload_without_a_body_is_a_400_and_an_hv_body_that_is_no_object_a_422(app, client, amsterdam):
    with app.app_context():
        token = api_token(MEDEWERKER)
    for kanaal in ("excel", "record60"):
        antwoord = client.post(f"{URL}/{kanaal}", headers=bearer(token))
        assert antwoord.status_code == 400
        assert antwoord.get_json()["fout"].startswith("Het verzoek heeft geen inhoud.")
    assert client.post(f"{URL}/hv", data=b"[]", headers=bearer(token)).status_code == 422


@pytest.mark.parametrize("kanaal", ["hv", "excel", "record60"])
def test_after_closing_a_late_mutation_is_refused_with_409_pointing_to_the_wmo407(app, client, amsterdam, kanaal):
    with app.app_context():
        kanalen.sluit_oude_kanalen(gemeente_met_code("0363"), Actor.job_named("test"))
        db.session.commit()
        token = api_token(MEDEWERKER)
        bekend = client_bsns("0363", 2)[0]
    antwoord = stuur(client, token, kanaal, bsn=BSN_JANSEN if kanaal != "record60" else bekend, datum_start_bw=NA)
    assert antwoord.status_code == 409
    body = antwoord.get_json()
    assert body["uitkomst"] == "geweigerd"
    assert body["fout"].endswith("Er is niets gewijzigd. Meld deze cliënt aan of af met een WMO407-bericht.")
    assert len(body["details"]) == 1
    assert body["ontvangst_id"]


def test_after_closing_a_mutation_before_the_peildatum_is_still_accepted(app, client, amsterdam):
    with app.app_context():
        kanalen.sluit_oude_kanalen(gemeente_met_code("0363"), Actor.job_named("test"))
        db.session.commit()
        token = api_token(MEDEWERKER)
    assert stuur(client, token, "hv", datum_start_bw=VOOR).status_code == 201


@pytest.mark.parametrize("kanaal", ["hv", "excel", "record60"])
@pytest.mark.parametrize("wie", [CAK, BEHEER])
def test_a_cak_token_may_not_submit_mutations_and_gets_403_while_the_input_is_kept(app, client, amsterdam, kanaal,
                                                                                      wie):
    with app.app_context():
        token = api_token(wie)
    antwoord = stuur(client, token, kanaal)
    assert antwoord.status_code == 403
    body = antwoord.get_json()
    assert body["fout"].startswith("Alleen de gemeente of haar softwareleverancier kan mutaties insturen.")
    with app.app_context():
        [ontvangst] = ontvangsten(gemeente_met_code("0363"))
        assert (ontvangst.id, ontvangst.status) == (body["ontvangst_id"], OntvangstStatus.GEWEIGERD)
