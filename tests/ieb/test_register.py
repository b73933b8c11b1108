"""Toepassen van een geaccepteerd bericht: status 1 maakt aan, 2 vervangt, 3 markeert als verwijderd."""

from datetime import date

import pytest

from portal.ieb import Actie, GeregistreerdePeriode, InMemoryRegister, Wijziging, wijzigingen

from .berichten import BSN_A, BSN_B, bericht_bytes, client, lees, periode

START = date(2022, 10, 1)


def test_wijzigingen_follow_the_status_aanlevering_in_message_order():
    bericht = lees(
        bericht_bytes(
            client(BSN_A, periode(1, START), periode(2, date(2022, 1, 1), date(2022, 9, 30), status=2)),
            client(BSN_B, periode(3, START, status=3)),
        )
    )

    assert wijzigingen(bericht) == [
        Wijziging(Actie.AANMAKEN, BSN_A, 1, START, None),
        Wijziging(Actie.VERVANGEN, BSN_A, 2, date(2022, 1, 1), date(2022, 9, 30)),
        Wijziging(Actie.VERWIJDEREN, BSN_B, 3, START, None),
    ]


def test_pas_toe_creates_replaces_and_marks_removed():
    register = InMemoryRegister(
        [
            GeregistreerdePeriode(BSN_A, 2, date(2022, 1, 1), None),
            GeregistreerdePeriode(BSN_B, 3, date(2022, 2, 1), None),
        ]
    )
    bericht = lees(
        bericht_bytes(
            client(BSN_A, periode(1, START), periode(2, date(2022, 1, 1), date(2022, 9, 30), status=2)),
            client(BSN_B, periode(3, START, status=3)),
        )
    )

    register.pas_toe(bericht)

    assert register.perioden() == [
        GeregistreerdePeriode(BSN_A, 1, START, None),
        GeregistreerdePeriode(BSN_A, 2, date(2022, 1, 1), date(2022, 9, 30)),
        GeregistreerdePeriode(BSN_B, 3, date(2022, 2, 1), None, verwijderd=True),
    ]
    assert [p.bw_startnummer for p in register.perioden_van_bsn(BSN_A)] == [1, 2]
    assert register.periode(3).verwijderd


def test_a_replacement_with_another_bsn_moves_the_period_to_that_bsn():
    register = InMemoryRegister([GeregistreerdePeriode(BSN_A, 1, START, None)])

    register.pas_toe(lees(bericht_bytes(client(BSN_B, periode(1, START, status=2)))))

    assert list(register.perioden_van_bsn(BSN_A)) == []
    assert [p.bw_startnummer for p in register.perioden_van_bsn(BSN_B)] == [1]


def test_pas_toe_of_an_inconsistent_message_changes_nothing():
    register = InMemoryRegister([GeregistreerdePeriode(BSN_A, 1, START, None)])
    bericht = lees(bericht_bytes(client(BSN_A, periode(2, START), periode(1, START, status=1))))

    with pytest.raises(ValueError, match="BwStartNummer 1 bestaat al"):
        register.pas_toe(bericht)

    assert register.perioden() == [GeregistreerdePeriode(BSN_A, 1, START, None)]


def test_a_reserved_identificatie_is_used():
    register = InMemoryRegister()

    register.reserveer("MIG0363-0001")

    assert register.identificatie_gebruikt("MIG0363-0001")
    assert not register.identificatie_gebruikt("MIG0363-0002")
