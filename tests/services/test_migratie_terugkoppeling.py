"""The terugkoppeling through the service (bestanden.md, "Checking an uploaded terugkoppeling"): every upload
is kept byte for byte; an invalid one changes nothing and reports every problem with its row and column;
a valid one replaces the previous one."""
from __future__ import annotations

import hashlib
from datetime import date

import pytest

from portal.kalender import format_moment, lees_moment
from portal.models import OntvangstStatus
from portal.services import migratie, toegang
from portal.toestanden import Toestand
from tests.scenario import (
    MEDEWERKER,
    UTRECHT,
    actor,
    b4_bsns,
    b4_van,
    elfproef_bsn,
    gemeente_in,
    leverende_gemeente,
    mails,
    momentopname,
    ontvangsten,
    overgangen,
    stuur_terugkoppeling,
    tijdlijn,
    toestand,
    vul_b4,
)

NIEUW_BSN = elfproef_bsn(111222000)


def _zichtbaar(gemeente) -> dict:
    """What the gemeente and the CAK see of the migration, apart from the kept uploads."""
    stand = momentopname(gemeente)
    stand.pop("terugkoppelingen")
    return {**stand, "actueel": migratie.actuele_terugkoppeling(gemeente)}


def _problemen(uitkomst) -> set[tuple]:
    return {(p["rij"], p["kolom"]) for p in uitkomst.problemen}


def _melding(uitkomst, rij, kolom) -> str:
    gevonden = [p["melding"] for p in uitkomst.problemen if (p["rij"], p["kolom"]) == (rij, kolom)]
    assert len(gevonden) == 1, uitkomst.problemen
    return gevonden[0]


def test_an_invalid_terugkoppeling_changes_nothing_but_the_upload_is_kept_with_its_problems(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-09-27 10:00"))
    voor = _zichtbaar(gemeente)
    inhoud = vul_b4(b4_van(gemeente).inhoud, codes={bsns[1]: "Q"})

    uitkomst = migratie.ontvang_terugkoppeling(actor(MEDEWERKER), "0363", "mijn terugkoppeling.xlsx", inhoud)

    assert not uitkomst.geldig
    assert uitkomst.melding.startswith(
        "De terugkoppeling is niet aangenomen: 1 probleem gevonden. Er is niets gewijzigd.")
    assert _problemen(uitkomst) == {(3, "L")}
    assert _zichtbaar(gemeente) == voor
    assert toestand(gemeente) == Toestand.BV_GEPUBLICEERD
    assert migratie.actuele_terugkoppeling(gemeente) is None
    assert mails("Terugkoppeling ontvangen") == []
    [ontvangst] = ontvangsten(gemeente, "terugkoppeling")
    assert ontvangst.id == uitkomst.ontvangst_id
    assert ontvangst.inhoud == inhoud
    assert ontvangst.sha256 == hashlib.sha256(inhoud).hexdigest() == uitkomst.sha256
    assert ontvangst.grootte == len(inhoud) == uitkomst.grootte
    assert ontvangst.bestandsnaam == "mijn terugkoppeling.xlsx"
    assert ontvangst.gebruiker.email == MEDEWERKER
    assert format_moment(ontvangst.ontvangen_op) == "27-09-2022 10:00"
    assert ontvangst.status == OntvangstStatus.AFGEKEURD
    assert ontvangst.uitkomst == uitkomst.melding
    assert ontvangst.details["problemen"] == uitkomst.problemen


def test_a_valid_terugkoppeling_replaces_the_previous_one_and_both_are_kept(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-09-27 10:00"))
    eerste = stuur_terugkoppeling(gemeente, bestandsnaam="eerste.xlsx")
    clock.set(lees_moment("2022-09-28 16:00"))

    tweede = stuur_terugkoppeling(gemeente, {bsns[0]: "N", bsns[3]: "V"}, bestandsnaam="tweede.xlsx")

    assert eerste.geldig and tweede.geldig
    assert toestand(gemeente) == Toestand.TERUGGEKOPPELD
    actueel = migratie.actuele_terugkoppeling(gemeente)
    assert actueel.ontvangst_id == tweede.ontvangst_id
    assert migratie.verwachte_codes(gemeente) == {bsns[0]: "N", bsns[1]: "J", bsns[2]: "J", bsns[3]: "V"}
    assert [(o.bestandsnaam, o.status) for o in ontvangsten(gemeente, "terugkoppeling")] == [
        ("eerste.xlsx", OntvangstStatus.VERWERKT), ("tweede.xlsx", OntvangstStatus.VERWERKT)]
    assert [(t[1], t[2]) for t in momentopname(gemeente)["terugkoppelingen"]] == [(True, False), (True, True)]
    assert [m.aan for m in mails("Terugkoppeling ontvangen")] == [[MEDEWERKER], [MEDEWERKER]]
    assert overgangen(gemeente)[-2:] == [("BV_GEPUBLICEERD", "TERUGGEKOPPELD"), ("TERUGGEKOPPELD", "TERUGGEKOPPELD")]


def test_an_invalid_upload_after_a_valid_one_keeps_the_valid_one_current(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)
    bsns = b4_bsns(gemeente)
    geldige = migratie.actuele_terugkoppeling(gemeente).id
    voor = _zichtbaar(gemeente)

    uitkomst = stuur_terugkoppeling(gemeente, {bsns[2]: "X"})

    assert not uitkomst.geldig
    assert _zichtbaar(gemeente) == voor
    assert migratie.actuele_terugkoppeling(gemeente).id == geldige
    assert toestand(gemeente) == Toestand.TERUGGEKOPPELD


REGELS = {
    "a_missing_bsn": (
        lambda b: {"extra": {b[1]: {"B": None}}},
        {(3, "B"): "Het BSN ontbreekt", (None, "B"): "ontbreekt. Zet de rij terug"}),
    "a_wrong_code": (
        lambda b: {"codes": {b[2]: "Q"}},
        {(4, "L"): "'Q' is geen geldige code"}),
    "o_without_a_date": (
        lambda b: {"codes": {b[0]: "O"}},
        {(2, "M"): "Bij code O is een einddatum verplicht"}),
    "x_without_a_toelichting": (
        lambda b: {"codes": {b[3]: "X"}},
        {(5, "N"): "Bij code X is een toelichting verplicht"}),
    "an_added_row_with_a_bad_bsn": (
        lambda b: {"toegevoegd": [{"A": "0363", "B": "123456789", "C": "Nieuw", "E": "B.",
                                   "F": date(1990, 5, 5), "L": "J"}]},
        {(6, "B"): "voldoet niet aan de elfproef"}),
    "a_duplicate_bsn": (
        lambda b: {"toegevoegd": [{"A": "0363", "B": b[1], "C": "Dubbel", "E": "C.",
                                   "F": date(1990, 5, 5), "L": "J"}]},
        {(6, "B"): "staat ook al op rij 3"}),
}


@pytest.mark.parametrize("regel", list(REGELS))
def test_each_rule_of_the_terugkoppeling_is_checked_by_the_service(app_ctx, clock, regel):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-09-27 10:00"))
    invulling, verwacht = REGELS[regel]
    voor = _zichtbaar(gemeente)

    uitkomst = stuur_terugkoppeling(gemeente, **invulling(bsns))

    assert not uitkomst.geldig
    assert _problemen(uitkomst) == set(verwacht)
    for (rij, kolom), tekst in verwacht.items():
        assert tekst in _melding(uitkomst, rij, kolom)
    assert _zichtbaar(gemeente) == voor
    assert ontvangsten(gemeente, "terugkoppeling")[-1].status == OntvangstStatus.AFGEKEURD


def test_every_problem_of_a_terugkoppeling_is_reported_at_once_with_its_row_and_column(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD, clients=6)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-09-27 10:00"))

    uitkomst = stuur_terugkoppeling(
        gemeente, {bsns[0]: "O", bsns[2]: "Q", bsns[3]: "X"},
        extra={bsns[1]: {"B": None}},
        toegevoegd=[{"A": "0363", "B": "123456789", "C": "Nieuw", "E": "B.", "F": date(1990, 5, 5), "L": "J"},
                    {"A": "0363", "B": bsns[4], "C": "Dubbel", "E": "C.", "F": date(1990, 5, 5), "L": "J"}])

    assert not uitkomst.geldig
    assert _problemen(uitkomst) == {(2, "M"), (3, "B"), (None, "B"), (4, "L"), (5, "N"), (8, "B"), (9, "B")}
    assert bsns[1] in _melding(uitkomst, None, "B")
    assert "rij 6" in _melding(uitkomst, 9, "B")
    assert "7 problemen gevonden" in uitkomst.melding
    assert all(p["kolomnaam"] and p["melding"] for p in uitkomst.problemen)
    assert toestand(gemeente) == Toestand.BV_GEPUBLICEERD
    assert ontvangsten(gemeente, "terugkoppeling")[0].details["problemen"] == uitkomst.problemen


def test_an_added_client_with_a_valid_bsn_and_code_j_is_accepted_and_expected(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    clock.set(lees_moment("2022-09-27 10:00"))

    uitkomst = stuur_terugkoppeling(gemeente, toegevoegd=[
        {"A": "0363", "B": NIEUW_BSN, "C": "Buitenregio", "E": "D.", "F": date(1985, 3, 3), "L": "J"}])

    assert uitkomst.geldig, uitkomst.problemen
    assert uitkomst.aantallen["J"] == 5
    assert migratie.verwachte_codes(gemeente)[NIEUW_BSN] == "J"
    assert "1 toegevoegd" in tijdlijn(gemeente)[-1].omschrijving


def test_a_terugkoppeling_before_the_b4_is_refused_in_dutch_and_kept(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    voor = _zichtbaar(gemeente)

    uitkomst = migratie.ontvang_terugkoppeling(actor(MEDEWERKER), "0363", "te vroeg.xlsx", b"PK\x03\x04 iets")

    assert not uitkomst.geldig
    assert "Er is nog geen bestandsvergelijking geplaatst" in uitkomst.melding
    assert _zichtbaar(gemeente) == voor
    [ontvangst] = ontvangsten(gemeente, "terugkoppeling")
    assert (ontvangst.inhoud, ontvangst.status, ontvangst.uitkomst) == (
        b"PK\x03\x04 iets", OntvangstStatus.GEWEIGERD, uitkomst.melding)
    assert ontvangst.sha256 == hashlib.sha256(b"PK\x03\x04 iets").hexdigest()


def test_a_terugkoppeling_after_the_akkoord_is_refused_in_dutch_and_kept(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    bsns = b4_bsns(gemeente)
    goedgekeurd = migratie.actuele_terugkoppeling(gemeente).id
    voor = _zichtbaar(gemeente)

    uitkomst = stuur_terugkoppeling(gemeente, {bsns[0]: "N"}, bestandsnaam="te laat verbeterd.xlsx")

    assert not uitkomst.geldig
    assert "Het CAK heeft de terugkoppeling al goedgekeurd" in uitkomst.melding
    assert _zichtbaar(gemeente) == voor
    assert migratie.actuele_terugkoppeling(gemeente).id == goedgekeurd
    ontvangst = ontvangsten(gemeente, "terugkoppeling")[-1]
    assert (ontvangst.bestandsnaam, ontvangst.status) == ("te laat verbeterd.xlsx", OntvangstStatus.GEWEIGERD)


def test_a_gemeente_user_cannot_send_a_terugkoppeling_for_another_gemeente(app_ctx):
    gemeente = leverende_gemeente("0363", "Amsterdam")
    leverende_gemeente("0344", "Utrecht")

    with pytest.raises(toegang.NietGevonden):
        migratie.ontvang_terugkoppeling(actor(UTRECHT), "0363", "tk.xlsx", b"PK\x03\x04 iets")

    assert toestand(gemeente) == Toestand.NIET_GEPLAND
    assert ontvangsten(gemeente) == []
