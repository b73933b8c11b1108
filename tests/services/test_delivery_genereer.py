"""The migration WMO407 the portal makes from the approved terugkoppeling (delivery.genereer_wmo407)."""
from __future__ import annotations

from datetime import date

import pytest

from portal import ieb
from portal.services import delivery, migratie
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    MEDEWERKER,
    actor,
    b4_bsns,
    b4_van,
    client,
    client_bsns,
    elfproef_bsn,
    gemeente_in,
    mag_aanleveren,
    periode,
    perioden,
    vul_b4,
    wmo407,
)

TOEGEVOEGD_BSN = elfproef_bsn(123450000)
TOEGEVOEGD = [{"A": "0363", "B": TOEGEVOEGD_BSN, "C": "Buitenregio", "E": "B.", "F": date(1980, 2, 1), "L": "J"}]


@pytest.fixture
def gemeente(app_ctx, clock):
    """Amsterdam with 5 clients in the B4: rows 2 and 4 are not delivered (N, V), and one client was added (J)."""
    bsns = client_bsns("0363", 5)
    return mag_aanleveren(clock, clients=5, codes={bsns[1]: "N", bsns[3]: "V"}, toegevoegd=TOEGEVOEGD)


def _j_clients(gemeente) -> list[str]:
    b4 = b4_bsns(gemeente)
    return [b4[0], b4[2], b4[4], TOEGEVOEGD_BSN]


def _lees(gegenereerd: delivery.GegenereerdBericht) -> ieb.Wmo407Bericht:
    controle = ieb.lees_wmo407(gegenereerd.inhoud)
    assert controle.ok, [str(b) for b in controle.bevindingen]
    return controle.bericht


def _genereer():
    return delivery.genereer_wmo407(actor(MEDEWERKER), "0363")


def _stuur(gegenereerd):
    return delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", gegenereerd.bestandsnaam, gegenereerd.inhoud)


def test_the_generated_message_holds_exactly_the_j_clients_on_the_migration_date_numbered_from_the_startnummer(
        gemeente):
    gegenereerd = _genereer()

    bericht = _lees(gegenereerd)
    assert (bericht.header.afzender, bericht.header.identificatie, bericht.header.dagtekening) == (
        "0363", "MIG0363-0001", date(2022, 10, 3))
    assert gegenereerd.bestandsnaam == "680363_WMO407_MIG0363-0001.xml"
    assert gegenereerd.aantal_clienten == 4
    assert [(c.bsn, [(p.bw_startnummer, p.bw_startdatum, p.bw_einddatum, p.status_aanlevering)
                     for p in c.perioden]) for c in bericht.clients] == [
        (bsn, [(36300001 + i, date(2022, 10, 1), None, 1)]) for i, bsn in enumerate(_j_clients(gemeente))]


def test_uploading_the_generated_message_is_accepted_and_registers_every_j_client(gemeente):
    verwerking = _stuur(_genereer())

    assert verwerking.uitkomst == "geaccepteerd", verwerking.rapport
    assert sorted(p.bsn for p in perioden(gemeente)) == sorted(_j_clients(gemeente))
    assert migratie.status(gemeente).toestand == Toestand.AANGELEVERD
    assert migratie.bereken_aansluiting(gemeente).correct


def test_generating_again_leaves_out_registered_clients_skips_numbers_in_use_and_says_when_nothing_is_left(
        gemeente):
    j = _j_clients(gemeente)
    # The gemeente delivered two clients itself, one of them on a number the portal would have chosen.
    eigen = delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", "eigen.xml", wmo407(
        "EIGEN-1", client(j[1], periode(36300002)), client(j[3], periode(77))))
    assert eigen.geaccepteerd, eigen.rapport

    gegenereerd = _genereer()

    bericht = _lees(gegenereerd)
    assert [(c.bsn, c.perioden[0].bw_startnummer) for c in bericht.clients] == [
        (j[0], 36300001), (j[2], 36300003)]
    assert _stuur(gegenereerd).geaccepteerd

    with pytest.raises(migratie.MigratieFout) as fout:
        _genereer()
    assert "er is niets meer aan te leveren" in fout.value.melding


def test_a_second_generated_message_gets_a_new_identificatie_after_the_first_was_sent(gemeente):
    eerste = _genereer()
    assert _stuur(eerste).geaccepteerd
    verwijder = delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", "weg.xml", wmo407(
        "WEG-1", client(_j_clients(gemeente)[0], periode(36300001, status=3))))
    assert verwijder.geaccepteerd, verwijder.rapport

    tweede = _genereer()

    bericht = _lees(tweede)
    assert bericht.header.identificatie == "MIG0363-0002"
    # the removed period's number stays taken: a status 1 on it would get 9404
    assert [(c.bsn, c.perioden[0].bw_startnummer) for c in bericht.clients] == [
        (_j_clients(gemeente)[0], 36300005)]
    assert _stuur(tweede).geaccepteerd


def test_nothing_can_be_generated_before_the_akkoord_to_deliver(app_ctx, clock):
    gemeente_in(clock, Toestand.TERUGGEKOPPELD)

    with pytest.raises(migratie.MigratieFout) as fout:
        _genereer()

    assert "nog geen akkoord om aan te leveren" in fout.value.melding


def test_the_message_follows_the_approved_terugkoppeling_not_an_earlier_one(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)  # the first terugkoppeling: every client J
    eerste, tweede, derde = b4_bsns(gemeente)
    verbeterd = vul_b4(b4_van(gemeente).inhoud, codes={tweede: "V"})
    assert migratie.ontvang_terugkoppeling(actor(MEDEWERKER), "0363", "verbeterd.xlsx", verbeterd).geldig
    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente)

    bericht = _lees(_genereer())

    assert [c.bsn for c in bericht.clients] == [eerste, derde]
    assert [c.perioden[0].bw_startnummer for c in bericht.clients] == [36300001, 36300002]
