"""The intakes of the old channels: each accepts valid input and applies it to the CAK's registration, reports
each kind of bad input and changes nothing, keeps every input; one closing rule for all three; only the
delivering roles may submit."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, BwClient, OntvangstStatus
from portal.services import kanalen, oude_kanalen
from portal.services.audit import Actor
from portal.services.migratie import b4
from portal.services.toegang import NietGevonden
from tests.mutatiebestanden import (
    BSN_DE_VRIES,
    BSN_JANSEN,
    NA,
    VOOR,
    formulier,
    record60,
    record60_bestand,
    rij,
    vul_in,
)
from tests.scenario import (
    CAK,
    MEDEWERKER,
    actor,
    client_bsns,
    leverende_gemeente,
    maak_gebruiker,
    ontvangsten,
)

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def amsterdam(app_ctx):
    """Amsterdam with two BW clients (started 01-01-2018) and Diemen (0384, one client) in its region."""
    return leverende_gemeente("0363", "Amsterdam", clients=2, regio=(("0384", "Diemen", 1),))


def registratie(bsn: str, code: str = "0363") -> BwClient | None:
    db.session.expire_all()
    return db.session.scalar(select(BwClient).join(BwClient.gemeente).where(BwClient.bsn == bsn)
                             .where(BwClient.gemeente.has(code=code)))


def registratiestand() -> list[tuple]:
    db.session.expire_all()
    return [(c.gemeente_id, c.bsn, c.datum_start_bw, c.datum_einde_bw, c.aanbieder_agb, c.bron)
            for c in db.session.scalars(select(BwClient).order_by(BwClient.id))]


def stuur(kanaal: str, *rijen: dict, wie: str = MEDEWERKER) -> oude_kanalen.Intakeuitkomst:
    """The same mutations through one channel (for the 60-record: START or STOP of a known client)."""
    if kanaal == "hv":
        [velden] = rijen
        return oude_kanalen.registreer_hv(actor(wie), "0363", formulier(**velden))
    if kanaal == "excel":
        return oude_kanalen.ontvang_excel(actor(wie), "0363", "mutaties.xlsx", vul_in([rij(**r) for r in rijen]))
    regels = [record60(r.get("bsn", BSN_JANSEN), "S" if r.get("soort_mutatie", "START") == "START" else "E",
                       (r.get("datum_start_bw") or VOOR).strftime("%Y%m%d"),
                       r["datum_einde_bw"].strftime("%Y%m%d") if r.get("datum_einde_bw") else "",
                       agb=r.get("aanbieder_agb", "12345678")) for r in rijen]
    return oude_kanalen.ontvang_record60(actor(wie), "0363", "mutaties.txt", record60_bestand(*regels))


def test_the_hv_form_registers_a_new_client_and_keeps_the_form_with_who_and_when(amsterdam):
    uitkomst = stuur("hv", {"voorvoegsel": "van", "toelichting": "verhuisd"})
    assert uitkomst.geaccepteerd, uitkomst.problemen
    assert uitkomst.melding == "1 mutatie is aangenomen en verwerkt in de registratie van het CAK."
    client = registratie(BSN_JANSEN)
    assert client is not None
    assert (client.geslachtsnaam, client.voorvoegsel, client.datum_start_bw, client.datum_einde_bw, client.bron,
            client.aanbieder_agb, client.soort_bijdrage) == ("Jansen", "van", VOOR, None, "H&V", "12345678", "LEB")
    [ontvangst] = ontvangsten(amsterdam, "hv_mutatie")
    assert ontvangst.status == OntvangstStatus.VERWERKT
    assert json.loads(ontvangst.inhoud)["bsn"] == BSN_JANSEN
    pagina = oude_kanalen.pagina(actor(MEDEWERKER).user, "0363")
    [mutatie] = pagina.mutaties
    assert (mutatie.kanaal, mutatie.gebruiker_naam, mutatie.soort_mutatie, mutatie.bw_client_id) == (
        "HV_APP", MEDEWERKER, "START", client.id)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "mutatie_oud_kanaal")).all()
    assert (event.actor, event.details["kanaal"], event.details["bsn"]) == (MEDEWERKER, "HV_APP", BSN_JANSEN)


@pytest.mark.parametrize("kanaal", ["hv", "excel", "record60"])
def test_a_stop_ends_the_registration_of_a_known_client_through_each_channel(amsterdam, kanaal):
    bsn = client_bsns("0363", 2)[0]
    uitkomst = stuur(kanaal, {"bsn": bsn, "soort_mutatie": "STOP", "datum_start_bw": date(2018, 1, 1),
                              "datum_einde_bw": VOOR})
    assert uitkomst.geaccepteerd, uitkomst.problemen
    client = registratie(bsn)
    assert client is not None and client.datum_einde_bw == VOOR
    assert bsn not in [r.bsn for r in b4.clienten(amsterdam)]


def test_the_sheet_registers_clients_of_the_gemeente_and_of_a_region_member_and_they_appear_in_the_b4(amsterdam):
    uitkomst = stuur("excel", {}, {"bsn": BSN_DE_VRIES, "gemeentecode": "0384", "geslachtsnaam": "Vries",
                                   "voorvoegsel": "de", "datum_start_bw": VOOR})
    assert uitkomst.geaccepteerd, uitkomst.problemen
    rijen = {r.bsn: r for r in b4.clienten(amsterdam)}
    assert (rijen[BSN_JANSEN].gemeentecode, rijen[BSN_JANSEN].bron) == ("0363", "EXCEL")
    assert (rijen[BSN_DE_VRIES].gemeentecode, rijen[BSN_DE_VRIES].bron) == ("0384", "EXCEL")
    assert [m["volgnummer"] for m in uitkomst.mutaties] == [2, 3]


def test_a_60_record_start_updates_a_known_client_and_refuses_an_unknown_one_with_the_whole_file(amsterdam):
    bekend = client_bsns("0363", 2)[1]
    voor = registratiestand()
    uitkomst = stuur("record60", {"bsn": bekend, "aanbieder_agb": "87654321"}, {"bsn": BSN_JANSEN})
    assert uitkomst.status == OntvangstStatus.AFGEKEURD
    [probleem] = uitkomst.problemen
    assert (probleem["rij"], probleem["plaats"]) == (2, "posities 7-15 (BSN)")
    assert "een 60-record bevat geen naam en geboortedatum" in probleem["melding"]
    assert registratiestand() == voor
    uitkomst = stuur("record60", {"bsn": bekend, "aanbieder_agb": "87654321"})
    assert uitkomst.geaccepteerd
    client = registratie(bekend)
    assert client is not None
    assert (client.aanbieder_agb, client.datum_start_bw, client.bron, client.geslachtsnaam) == (
        "87654321", VOOR, "60-RECORD", "Cliënt001")


@pytest.mark.parametrize("kanaal", ["hv", "excel", "record60"])
def test_a_stop_of_an_unknown_client_is_a_problem_and_nothing_changes(amsterdam, kanaal):
    voor = registratiestand()
    uitkomst = stuur(kanaal, {"soort_mutatie": "STOP", "datum_einde_bw": VOOR})
    assert uitkomst.status == OntvangstStatus.AFGEKEURD
    assert any("een afmelding (STOP) kan alleen voor een aangemelde cliënt" in p["melding"]
               for p in uitkomst.problemen)
    assert registratiestand() == voor


def test_the_hv_form_reports_every_bad_field_at_once_and_keeps_the_input(amsterdam):
    uitkomst = stuur("hv", {"bsn": "123456789", "geboortedatum": "31-02-1960", "soort_mutatie": "STOP",
                            "woonsituatie": "", "gemeentecode": "0599"})
    assert uitkomst.status == OntvangstStatus.AFGEKEURD
    assert [p["veld"] for p in uitkomst.problemen] == [
        "geboortedatum", "woonsituatie", "gemeentecode", "bsn", "datum_einde_bw"]
    assert uitkomst.melding.startswith("De mutatie is niet aangenomen: 5 problemen gevonden. Er is niets gewijzigd.")
    [ontvangst] = ontvangsten(amsterdam, "hv_mutatie")
    assert ontvangst.status == OntvangstStatus.AFGEKEURD and ontvangst.details["problemen"]
    assert registratie(BSN_JANSEN) is None


def test_a_sheet_with_one_bad_row_changes_nothing(amsterdam):
    uitkomst = stuur("excel", {}, {"bsn": BSN_DE_VRIES, "leveringsvorm": "XYZ"})
    assert uitkomst.status == OntvangstStatus.AFGEKEURD
    assert [(p["rij"], p["plaats"]) for p in uitkomst.problemen] == [(3, "L (LEVERINGSVORM)")]
    assert registratie(BSN_JANSEN) is None


@pytest.mark.parametrize("kanaal", ["hv", "excel", "record60"])
def test_after_closing_a_mutation_after_the_peildatum_is_refused_and_kept_and_one_before_it_is_accepted(
        amsterdam, kanaal):
    bsn = client_bsns("0363", 2)[0]
    kanalen.sluit_oude_kanalen(amsterdam, Actor.job_named("test"))
    db.session.commit()
    voor = registratiestand()
    geweigerd = stuur(kanaal, {"bsn": bsn, "soort_mutatie": "STOP", "datum_start_bw": date(2018, 1, 1),
                               "datum_einde_bw": NA})
    assert geweigerd.status == OntvangstStatus.GEWEIGERD
    [probleem] = geweigerd.problemen
    assert probleem["sluiting"]
    assert "is voor Amsterdam gesloten sinds de migratie naar iEb 2.0" in probleem["melding"]
    assert probleem["melding"].endswith("Meld deze cliënt aan of af met een WMO407-bericht.")
    assert geweigerd.melding.endswith("Er is niets gewijzigd. Meld deze cliënt aan of af met een WMO407-bericht.")
    assert registratiestand() == voor
    bewaard = [o for o in ontvangsten(amsterdam) if o.id == geweigerd.ontvangst_id]
    assert bewaard and bewaard[0].status == OntvangstStatus.GEWEIGERD and "WMO407" in (bewaard[0].uitkomst or "")
    pagina = oude_kanalen.pagina(actor(MEDEWERKER).user, "0363")
    assert [w.ontvangst_id for w in pagina.weigeringen] == [geweigerd.ontvangst_id]

    aangenomen = stuur(kanaal, {"bsn": bsn, "soort_mutatie": "STOP", "datum_start_bw": date(2018, 1, 1),
                                "datum_einde_bw": VOOR})
    assert aangenomen.geaccepteerd, aangenomen.problemen
    client = registratie(bsn)
    assert client is not None and client.datum_einde_bw == VOOR


def test_the_page_shows_each_old_channel_closed_since_the_moment_with_the_closing_rule(amsterdam, clock):
    kanalen.sluit_oude_kanalen(amsterdam, Actor.job_named("test"))
    db.session.commit()
    standen = oude_kanalen.pagina(actor(CAK).user, "0363").kanalen
    assert [(k, s.open, s.sinds is not None) for k, s in standen.items()] == [
        ("HV_APP", False, True), ("EXCEL", False, True), ("RECORD60", False, True)]
    assert standen[kanalen.Kanaalsoort.EXCEL].regel == (
        "Dit kanaal is gesloten: alleen mutaties met een start- of einddatum vóór 01-10-2022 worden nog "
        "aangenomen; meld andere aan- en afmeldingen met een WMO407-bericht.")


@pytest.mark.parametrize(("rol", "mag"), [("gemeente", True), ("gemeente_beheerder", True), ("leverancier", True),
                                          ("cak", False), ("cak_beheerder", False)])
def test_only_the_delivering_roles_may_submit_and_the_cak_only_reads(amsterdam, rol, mag):
    email = f"{rol}@test.example.nl"
    maak_gebruiker(email, rol, gemeenten=("0363",) if rol not in ("cak", "cak_beheerder") else ())
    uitkomst = stuur("excel", {}, wie=email)
    assert uitkomst.geaccepteerd is mag
    assert (registratie(BSN_JANSEN) is not None) is mag
    if not mag:
        assert uitkomst.status == OntvangstStatus.GEWEIGERD
        assert uitkomst.melding.startswith("Alleen de gemeente of haar softwareleverancier kan mutaties insturen.")
    assert ontvangsten(amsterdam, "mutaties_excel")[-1].id == uitkomst.ontvangst_id
    pagina = oude_kanalen.pagina(actor(email).user, "0363")
    assert pagina.mag_indienen is mag


def test_a_user_of_another_gemeente_finds_nothing(amsterdam):
    leverende_gemeente("0344", "Utrecht", clients=0)
    with pytest.raises(NietGevonden):
        oude_kanalen.ontvang_excel(actor("medewerker@utrecht.example.nl"), "0363", "x.xlsx", vul_in([rij()]))
    with pytest.raises(NietGevonden):
        oude_kanalen.pagina(actor("medewerker@utrecht.example.nl").user, "0363")


def test_the_lookup_shows_the_current_registration_and_fills_in_the_form(amsterdam):
    bsn = client_bsns("0363", 3)[2]  # Diemen's client: the region's BSNs follow Amsterdam's
    resultaat = oude_kanalen.zoek_registratie(actor(MEDEWERKER).user, "0363", bsn)
    [gevonden] = resultaat.registraties
    assert (gevonden.gemeentecode, gevonden.gemeentenaam, gevonden.datum_start_bw) == ("0384", "Diemen",
                                                                                      date(2018, 1, 1))
    assert resultaat.voorinvulling()["datum_start_bw"] == "01-01-2018"
    onbekend = oude_kanalen.zoek_registratie(actor(MEDEWERKER).user, "0363", BSN_JANSEN)
    assert onbekend.registraties == () and "geen registratie van BSN" in (onbekend.melding or "")
    assert "geen geldig BSN" in (oude_kanalen.zoek_registratie(actor(MEDEWERKER).user, "0363", "123").melding or "")


def test_a_region_member_that_does_not_deliver_itself_has_its_centrumgemeentes_channels(amsterdam):
    maak_gebruiker("medewerker@diemen.example", "gemeente", ("0384",))
    bsn = client_bsns("0363", 3)[2]  # the region member's client, numbered after the centrum's two
    kanalen.sluit_oude_kanalen(amsterdam, Actor.job_named("test"))
    db.session.commit()
    wie = actor("medewerker@diemen.example")
    assert [s.open for s in oude_kanalen.pagina(wie.user, "0384").kanalen.values()] == [False, False, False]
    geweigerd = oude_kanalen.registreer_hv(wie, "0384", formulier(
        gemeentecode="0384", bsn=bsn, soort_mutatie="STOP", datum_start_bw=date(2018, 1, 1), datum_einde_bw=NA))
    assert geweigerd.status == OntvangstStatus.GEWEIGERD, geweigerd.problemen
    assert "WMO407" in geweigerd.problemen[0]["melding"]
    assert registratie(bsn, "0384").datum_einde_bw is None
