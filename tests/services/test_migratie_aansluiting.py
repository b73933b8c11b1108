"""The reconciliation (proces.md section 4) produced by real WMO407 deliveries: every outcome, recomputed
after each message and stored on the migration."""
from __future__ import annotations

from datetime import date

import pytest

from portal.kalender import lees_moment
from portal.services import migratie
from portal.toestanden import Toestand
from tests.scenario import (
    b4_bsns,
    client,
    client_bsns,
    elfproef_bsn,
    gemeente_in,
    migratie_rij,
    periode,
    stuur_gegenereerde_wmo407,
    stuur_wmo407,
)

ONBEKEND_BSN = elfproef_bsn(222333000)


def _uitkomsten(gemeente) -> dict[str, str]:
    return {r.bsn: r.uitkomst.value for r in migratie.bereken_aansluiting(gemeente).regels}


def _opgeslagen(gemeente) -> dict:
    return migratie_rij(gemeente).aansluiting


@pytest.fixture
def gemeente(app_ctx, clock):
    """Six clients: the fifth marked N, the others J; akkoord given, delivering on Monday 03-10-2022."""
    bsns = client_bsns("0363", 6)
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, codes={bsns[4]: "N"}, clients=6)
    assert b4_bsns(gemeente) == bsns
    clock.set(lees_moment("2022-10-03 09:00"))
    return gemeente


def test_each_outcome_of_the_aansluiting_comes_from_real_deliveries_and_is_recomputed_after_each_message(
        gemeente, clock):
    b = b4_bsns(gemeente)
    verwacht = [b[0], b[1], b[2], b[3], b[5]]
    assert _uitkomsten(gemeente) == dict.fromkeys(verwacht, "ontbreekt")

    assert stuur_wmo407(gemeente, client(b[0], periode(36300001))).geaccepteerd
    assert _uitkomsten(gemeente) == {b[0]: "ok", b[1]: "ontbreekt", b[2]: "ontbreekt", b[3]: "ontbreekt",
                                     b[5]: "ontbreekt"}
    assert _opgeslagen(gemeente)["aantallen"] == {"ok": 1, "ontbreekt": 4, "afwijkende_startdatum": 0,
                                                  "onverwacht": 0, "afgekeurd": 0}
    assert _opgeslagen(gemeente)["ontvangen"] == 1

    assert stuur_wmo407(gemeente, client(b[1], periode(36300002, start=date(2022, 9, 1)))).geaccepteerd
    assert _uitkomsten(gemeente)[b[1]] == "afwijkende_startdatum"
    assert {"bsn": b[1], "terugkoppeling": "J", "uitkomst": "afwijkende_startdatum",
            "bw_startdatum": "2022-09-01"} in _opgeslagen(gemeente)["verschillen"]

    assert stuur_wmo407(gemeente, client(b[4], periode(36300003)), client(ONBEKEND_BSN, periode(36300004))).geaccepteerd
    assert _uitkomsten(gemeente)[b[4]] == "onverwacht"
    assert _uitkomsten(gemeente)[ONBEKEND_BSN] == "onverwacht"
    assert {r.bsn: r.terugkoppeling for r in migratie.bereken_aansluiting(gemeente).regels
            if r.uitkomst.value == "onverwacht"} == {b[4]: "N", ONBEKEND_BSN: None}

    afgekeurd = stuur_wmo407(gemeente, client(b[2], periode(36300005, status=2)))
    assert afgekeurd.uitkomst == "afgekeurd"
    assert _uitkomsten(gemeente)[b[2]] == "afgekeurd"

    assert _uitkomsten(gemeente) == {b[0]: "ok", b[1]: "afwijkende_startdatum", b[2]: "afgekeurd",
                                     b[3]: "ontbreekt", b[4]: "onverwacht", b[5]: "ontbreekt",
                                     ONBEKEND_BSN: "onverwacht"}
    opgeslagen = _opgeslagen(gemeente)
    assert opgeslagen["aantallen"] == {"ok": 1, "ontbreekt": 2, "afwijkende_startdatum": 1, "onverwacht": 2,
                                       "afgekeurd": 1}
    assert opgeslagen["correct"] is False and migratie_rij(gemeente).aansluiting_correct is False
    assert opgeslagen["verwacht"] == 5 and opgeslagen["ontvangen"] == 4
    assert opgeslagen["oordeel"].startswith("Oordeel: niet correct. 1 van de 7 cliënten ok")
    assert sorted(v["bsn"] for v in opgeslagen["verschillen"]) == sorted(set(_uitkomsten(gemeente)) - {b[0]})


def test_a_client_only_in_a_rejected_message_becomes_ok_when_an_accepted_one_follows(gemeente, clock):
    b = b4_bsns(gemeente)
    assert stuur_wmo407(gemeente, client(b[0], periode(36300001, status=2))).uitkomst == "afgekeurd"
    assert _opgeslagen(gemeente)["aantallen"]["afgekeurd"] == 1

    assert stuur_wmo407(gemeente, client(b[0], periode(36300001))).geaccepteerd

    assert _uitkomsten(gemeente)[b[0]] == "ok"
    assert _opgeslagen(gemeente)["aantallen"]["afgekeurd"] == 0


def test_a_corrected_start_date_turns_afwijkende_startdatum_into_ok(gemeente, clock):
    b = b4_bsns(gemeente)
    stuur_wmo407(gemeente, client(b[0], periode(36300001, start=date(2022, 9, 1))))
    assert _uitkomsten(gemeente)[b[0]] == "afwijkende_startdatum"

    assert stuur_wmo407(gemeente, client(b[0], periode(36300001, status=2))).geaccepteerd

    assert _uitkomsten(gemeente)[b[0]] == "ok"
    assert _opgeslagen(gemeente)["aantallen"]["afwijkende_startdatum"] == 0


def test_a_removed_period_makes_the_client_ontbreekt_again(gemeente, clock):
    b = b4_bsns(gemeente)
    stuur_wmo407(gemeente, client(b[0], periode(36300001)))
    assert _uitkomsten(gemeente)[b[0]] == "ok"

    assert stuur_wmo407(gemeente, client(b[0], periode(36300001, status=3))).geaccepteerd

    assert _uitkomsten(gemeente)[b[0]] == "ontbreekt"
    assert _opgeslagen(gemeente)["aantallen"]["ok"] == 0


def test_delivering_every_client_marked_j_with_the_migration_date_is_correct(gemeente, clock):
    stuur_gegenereerde_wmo407(gemeente)

    opgeslagen = _opgeslagen(gemeente)
    assert opgeslagen["correct"] is True and opgeslagen["verschillen"] == []
    assert opgeslagen["aantallen"]["ok"] == 5
    assert opgeslagen["oordeel"] == ("Oordeel: correct. Alle 5 verwachte cliënten zijn ontvangen met de juiste "
                                     "BwStartdatum.")
    assert migratie.status(gemeente).aantallen["ok"] == 5
