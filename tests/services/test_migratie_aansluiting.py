"""The reconciliation (proces.md section 4) produced by real WMO407 deliveries: every outcome, recomputed
after each message and stored on the migration."""
from __future__ import annotations

from datetime import date

import pytest

from portal.services import migratie
from tests import flow
from tests.services import migratie_helpers as h
from tests.services.migratie_helpers import snel  # noqa: F401

pytestmark = pytest.mark.usefixtures("snel")

ONBEKEND_BSN = flow.elfproef_bsns(1, start=222333000)[0]


def _uitkomsten(gemeente) -> dict[str, str]:
    return {r.bsn: r.uitkomst.value for r in migratie.bereken_aansluiting(gemeente).regels}


def _opgeslagen(gemeente) -> dict:
    return h.migratie_rij(gemeente).aansluiting


@pytest.fixture
def gemeente(app_ctx, clock):
    """Six clients: the fifth marked N, the others J; akkoord given, delivering on Monday 03-10-2022."""
    bsns = flow.elfproef_bsns(6, start=990000000 + 363 * 1000)
    gemeente = h.akkoord(clock, {bsns[4]: "N"}, clients=6)
    assert flow.b4_bsns(gemeente) == bsns
    clock.set(flow.moment("2022-10-03 09:00"))
    return gemeente


def test_each_outcome_of_the_aansluiting_comes_from_real_deliveries_and_is_recomputed_after_each_message(
        gemeente, clock):
    b = flow.b4_bsns(gemeente)
    verwacht = [b[0], b[1], b[2], b[3], b[5]]
    assert _uitkomsten(gemeente) == {bsn: "ontbreekt" for bsn in verwacht}

    assert h.lever(gemeente, [(b[0], 36300001, date(2022, 10, 1))]).geaccepteerd
    assert _uitkomsten(gemeente) == {b[0]: "ok", b[1]: "ontbreekt", b[2]: "ontbreekt", b[3]: "ontbreekt",
                                     b[5]: "ontbreekt"}
    assert _opgeslagen(gemeente)["aantallen"] == {"ok": 1, "ontbreekt": 4, "afwijkende_startdatum": 0,
                                                  "onverwacht": 0, "afgekeurd": 0}
    assert _opgeslagen(gemeente)["ontvangen"] == 1

    assert h.lever(gemeente, [(b[1], 36300002, date(2022, 9, 1))]).geaccepteerd
    assert _uitkomsten(gemeente)[b[1]] == "afwijkende_startdatum"
    assert {"bsn": b[1], "terugkoppeling": "J", "uitkomst": "afwijkende_startdatum",
            "bw_startdatum": "2022-09-01"} in _opgeslagen(gemeente)["verschillen"]

    assert h.lever(gemeente, [(b[4], 36300003, date(2022, 10, 1)),
                              (ONBEKEND_BSN, 36300004, date(2022, 10, 1))]).geaccepteerd
    assert _uitkomsten(gemeente)[b[4]] == "onverwacht"
    assert _uitkomsten(gemeente)[ONBEKEND_BSN] == "onverwacht"
    assert {r.bsn: r.terugkoppeling for r in migratie.bereken_aansluiting(gemeente).regels
            if r.uitkomst.value == "onverwacht"} == {b[4]: "N", ONBEKEND_BSN: None}

    afgekeurd = h.lever(gemeente, [(b[2], 36300005, date(2022, 10, 1), 2)])
    assert afgekeurd.uitkomst == "afgekeurd"
    assert _uitkomsten(gemeente)[b[2]] == "afgekeurd"

    assert _uitkomsten(gemeente) == {b[0]: "ok", b[1]: "afwijkende_startdatum", b[2]: "afgekeurd",
                                     b[3]: "ontbreekt", b[4]: "onverwacht", b[5]: "ontbreekt",
                                     ONBEKEND_BSN: "onverwacht"}
    opgeslagen = _opgeslagen(gemeente)
    assert opgeslagen["aantallen"] == {"ok": 1, "ontbreekt": 2, "afwijkende_startdatum": 1, "onverwacht": 2,
                                       "afgekeurd": 1}
    assert opgeslagen["correct"] is False and h.migratie_rij(gemeente).aansluiting_correct is False
    assert opgeslagen["verwacht"] == 5 and opgeslagen["ontvangen"] == 4
    assert opgeslagen["oordeel"].startswith("Oordeel: niet correct. 1 van de 7 cliënten ok")
    assert sorted(v["bsn"] for v in opgeslagen["verschillen"]) == sorted(set(_uitkomsten(gemeente)) - {b[0]})


def test_a_client_only_in_a_rejected_message_becomes_ok_when_an_accepted_one_follows(gemeente, clock):
    b = flow.b4_bsns(gemeente)
    assert h.lever(gemeente, [(b[0], 36300001, date(2022, 10, 1), 2)]).uitkomst == "afgekeurd"
    assert _opgeslagen(gemeente)["aantallen"]["afgekeurd"] == 1

    assert h.lever(gemeente, [(b[0], 36300001, date(2022, 10, 1))]).geaccepteerd

    assert _uitkomsten(gemeente)[b[0]] == "ok"
    assert _opgeslagen(gemeente)["aantallen"]["afgekeurd"] == 0


def test_a_corrected_start_date_turns_afwijkende_startdatum_into_ok(gemeente, clock):
    b = flow.b4_bsns(gemeente)
    h.lever(gemeente, [(b[0], 36300001, date(2022, 9, 1))])
    assert _uitkomsten(gemeente)[b[0]] == "afwijkende_startdatum"

    assert h.lever(gemeente, [(b[0], 36300001, date(2022, 10, 1), 2)]).geaccepteerd

    assert _uitkomsten(gemeente)[b[0]] == "ok"
    assert _opgeslagen(gemeente)["aantallen"]["afwijkende_startdatum"] == 0


def test_a_removed_period_makes_the_client_ontbreekt_again(gemeente, clock):
    b = flow.b4_bsns(gemeente)
    h.lever(gemeente, [(b[0], 36300001, date(2022, 10, 1))])
    assert _uitkomsten(gemeente)[b[0]] == "ok"

    assert h.lever(gemeente, [(b[0], 36300001, date(2022, 10, 1), 3)]).geaccepteerd

    assert _uitkomsten(gemeente)[b[0]] == "ontbreekt"
    assert _opgeslagen(gemeente)["aantallen"]["ok"] == 0


def test_delivering_every_client_marked_j_with_the_migration_date_is_correct(gemeente, clock):
    h.lever_gegenereerd(gemeente)

    opgeslagen = _opgeslagen(gemeente)
    assert opgeslagen["correct"] is True and opgeslagen["verschillen"] == []
    assert opgeslagen["aantallen"]["ok"] == 5
    assert opgeslagen["oordeel"] == ("Oordeel: correct. Alle 5 verwachte cliënten zijn ontvangen met de juiste "
                                     "BwStartdatum.")
    assert migratie.status(gemeente).aantallen["ok"] == 5
