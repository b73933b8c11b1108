from datetime import date

from portal.aansluiting import Uitkomst, bepaal_aansluiting, oordeel_tekst

MIGRATIE = date(2022, 10, 1)
A, B, C, D, E = "012345672", "123456782", "234567892", "345678904", "456789017"


def test_an_expected_client_received_with_the_migration_date_is_ok():
    aansluiting = bepaal_aansluiting({A: "J"}, {A: [MIGRATIE]}, [], MIGRATIE)
    assert aansluiting.uitkomst(A) == Uitkomst.OK
    assert aansluiting.correct


def test_an_expected_client_that_was_not_received_is_missing():
    aansluiting = bepaal_aansluiting({A: "J"}, {}, [], MIGRATIE)
    assert aansluiting.uitkomst(A) == Uitkomst.ONTBREEKT
    assert not aansluiting.correct


def test_an_expected_client_received_with_another_start_date_has_a_deviating_start_date():
    aansluiting = bepaal_aansluiting({A: "J"}, {A: [date(2022, 11, 1)]}, [], MIGRATIE)
    regel = aansluiting.regels[0]
    assert regel.uitkomst == Uitkomst.AFWIJKENDE_STARTDATUM
    assert regel.bw_startdatum == date(2022, 11, 1)
    assert not aansluiting.correct


def test_a_received_client_that_was_not_in_the_terugkoppeling_is_unexpected():
    aansluiting = bepaal_aansluiting({A: "J"}, {A: [MIGRATIE], B: [MIGRATIE]}, [], MIGRATIE)
    assert aansluiting.uitkomst(B) == Uitkomst.ONVERWACHT
    assert aansluiting.regels[1].terugkoppeling is None
    assert not aansluiting.correct


def test_a_received_client_marked_other_than_j_is_unexpected():
    aansluiting = bepaal_aansluiting({A: "O"}, {A: [MIGRATIE]}, [], MIGRATIE)
    regel = aansluiting.regels[0]
    assert (regel.uitkomst, regel.terugkoppeling, regel.ontvangen) == (Uitkomst.ONVERWACHT, "O", True)


def test_an_expected_client_only_in_rejected_messages_is_rejected():
    aansluiting = bepaal_aansluiting({A: "J"}, {}, [A], MIGRATIE)
    assert aansluiting.uitkomst(A) == Uitkomst.AFGEKEURD
    assert not aansluiting.regels[0].ontvangen
    assert not aansluiting.correct


def test_an_expected_client_rejected_once_and_accepted_later_is_judged_on_the_accepted_period():
    aansluiting = bepaal_aansluiting({A: "J", B: "J"}, {A: [MIGRATIE], B: [date(2022, 10, 3)]}, [A, B], MIGRATIE)
    assert aansluiting.uitkomst(A) == Uitkomst.OK
    assert aansluiting.uitkomst(B) == Uitkomst.AFWIJKENDE_STARTDATUM


def test_a_client_received_with_several_periods_one_on_the_migration_date_is_ok():
    aansluiting = bepaal_aansluiting({A: "J"}, {A: [date(2022, 12, 1), MIGRATIE]}, [], MIGRATIE)
    assert aansluiting.uitkomst(A) == Uitkomst.OK
    assert aansluiting.regels[0].bw_startdatum == MIGRATIE


def test_a_client_neither_expected_nor_accepted_gets_no_outcome():
    aansluiting = bepaal_aansluiting({A: "J", B: "V"}, {A: [MIGRATIE]}, [C], MIGRATIE)
    assert [regel.bsn for regel in aansluiting.regels] == [A]
    assert aansluiting.uitkomst(B) is None
    assert aansluiting.uitkomst(C) is None


def test_an_empty_list_of_received_periods_counts_as_not_received():
    aansluiting = bepaal_aansluiting({A: "J"}, {A: []}, [], MIGRATIE)
    assert aansluiting.uitkomst(A) == Uitkomst.ONTBREEKT


def test_every_client_gets_exactly_one_outcome_and_the_counts_add_up():
    aansluiting = bepaal_aansluiting(
        {A: "J", B: "J", C: "J", D: "J", "567890120": "N"},
        {A: [MIGRATIE], B: [date(2022, 10, 3)], E: [MIGRATIE], "567890120": [MIGRATIE]},
        [D],
        MIGRATIE,
    )
    bsns = [regel.bsn for regel in aansluiting.regels]
    assert bsns == sorted(set(bsns))
    assert dict(aansluiting.aantallen) == {
        Uitkomst.OK: 1,
        Uitkomst.ONTBREEKT: 1,
        Uitkomst.AFWIJKENDE_STARTDATUM: 1,
        Uitkomst.ONVERWACHT: 2,
        Uitkomst.AFGEKEURD: 1,
    }
    assert sum(aansluiting.aantallen.values()) == len(aansluiting.regels) == 6
    assert aansluiting.aantal_verwacht == 4
    assert aansluiting.aantal_ontvangen == 4
    assert not aansluiting.correct
    assert [regel.bsn for regel in aansluiting.verschillen()] == [B, C, D, E, "567890120"]


def test_a_delivery_is_correct_when_every_client_is_ok():
    aansluiting = bepaal_aansluiting({A: "J", B: "J", C: "U"}, {A: [MIGRATIE], B: [MIGRATIE]}, [], MIGRATIE)
    assert aansluiting.correct
    assert oordeel_tekst(aansluiting).startswith("Oordeel: correct.")


def test_nothing_expected_and_nothing_received_is_correct():
    aansluiting = bepaal_aansluiting({A: "N", B: "O"}, {}, [], MIGRATIE)
    assert aansluiting.regels == ()
    assert aansluiting.correct
    assert "geen cliënten verwacht" in oordeel_tekst(aansluiting)


def test_nothing_expected_but_something_received_is_not_correct():
    aansluiting = bepaal_aansluiting({}, {A: [MIGRATIE]}, [], MIGRATIE)
    assert not aansluiting.correct


def test_the_verdict_of_an_incorrect_delivery_names_the_differences():
    aansluiting = bepaal_aansluiting({A: "J", B: "J", C: "J"}, {A: [MIGRATIE]}, [C], MIGRATIE)
    assert oordeel_tekst(aansluiting) == (
        "Oordeel: niet correct. 1 van de 3 cliënten ok; verschillen: 1 ontbreekt, 1 afgekeurd."
    )


def test_codes_are_read_regardless_of_case_and_spaces():
    aansluiting = bepaal_aansluiting({A: " j "}, {A: [MIGRATIE]}, [], MIGRATIE)
    assert aansluiting.uitkomst(A) == Uitkomst.OK
