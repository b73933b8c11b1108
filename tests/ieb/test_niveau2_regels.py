"""Niveau 2: regels binnen het bericht. Overtreding geeft een WMO408 met alleen de Header en 0001."""

from datetime import date

import pytest

from portal.ieb import InMemoryRegister, bouw_wmo408, valideer_wmo408
from portal.ieb.niveau2_regels import voldoet_aan_elfproef

from .berichten import BSN_A, BSN_B, VANDAAG, beoordeel_bytes, bericht_bytes, client, lees_wmo408, periode

START = date(2022, 10, 1)


def _afgekeurd_op_niveau_2(data: bytes, regel_id: str, element: str, register=None):
    bericht, beoordeling = beoordeel_bytes(data, register)
    assert beoordeling.niveau == 2
    assert not beoordeling.geaccepteerd
    assert beoordeling.header_retourcodes() == ["0001"]
    assert beoordeling.retourcodes() == ["0001"]
    assert {(m.regel_id, m.element) for m in beoordeling.header_meldingen} == {(regel_id, element)}
    assert all(m.code == "0001" and m.regelnummer is not None for m in beoordeling.header_meldingen)
    rapport = beoordeling.rapport()
    assert "0001" in rapport[0] and "alleen de header" in rapport[0]
    assert any(regel_id in regel and element in regel for regel in rapport[1:])
    wmo408 = bouw_wmo408(bericht, beoordeling, identificatie_retour="RET-1", dagtekening_retour=VANDAAG)
    assert valideer_wmo408(wmo408) == []
    inhoud = lees_wmo408(wmo408)
    assert inhoud.header_retourcodes == ["0001"]
    assert inhoud.clients == []
    return beoordeling


def _geaccepteerd(data: bytes):
    _, beoordeling = beoordeel_bytes(data)
    assert beoordeling.niveau == 3
    assert beoordeling.geaccepteerd, [str(m) for m in beoordeling.meldingen()]
    return beoordeling


@pytest.mark.parametrize("bsn", ["123456782", "111111110", "999999990", "000000012"])
def test_bsns_that_pass_the_elfproef(bsn):
    assert voldoet_aan_elfproef(bsn)


@pytest.mark.parametrize("bsn", ["123456789", "123456781", "000000000", "12345678", "1234567820", "12345678a"])
def test_bsns_that_fail_the_elfproef(bsn):
    assert not voldoet_aan_elfproef(bsn)


def test_cs002_a_bsn_failing_the_elfproef_gives_header_only_0001():
    beoordeling = _afgekeurd_op_niveau_2(bericht_bytes(client("123456789", periode(1, START))), "CS002", "Bsn")

    [melding] = beoordeling.header_meldingen
    assert "123456789" in melding.toelichting and "elfproef" in melding.toelichting
    assert melding.regelnummer == 17


def test_cs002_bsn_000000000_gives_0001_although_its_sum_is_divisible_by_11():
    _afgekeurd_op_niveau_2(bericht_bytes(client("000000000", periode(1, START))), "CS002", "Bsn")


def test_cs002_a_bsn_passing_the_elfproef_is_accepted():
    _geaccepteerd(bericht_bytes(client("000000012", periode(1, START))))


def test_cs003_an_einddatum_before_the_startdatum_gives_0001():
    data = bericht_bytes(client(BSN_A, periode(1, START, date(2022, 9, 30))))

    beoordeling = _afgekeurd_op_niveau_2(data, "CS003", "BwEinddatum")

    assert "30-09-2022" in beoordeling.header_meldingen[0].toelichting


def test_cs003_is_checked_for_removals_too():
    data = bericht_bytes(client(BSN_A, periode(1, START, date(2022, 9, 30), status=3)))

    _afgekeurd_op_niveau_2(data, "CS003", "BwEinddatum")


def test_cs003_an_einddatum_equal_to_the_startdatum_is_accepted():
    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START, START))))


def test_im001_a_bw_startnummer_twice_in_the_message_gives_0001():
    data = bericht_bytes(
        client(BSN_A, periode(7, START, date(2022, 12, 31))),
        client(BSN_B, periode(7, START)),
    )

    beoordeling = _afgekeurd_op_niveau_2(data, "IM001", "BwStartNummer")

    [melding] = beoordeling.header_meldingen
    assert melding.toelichting.startswith("BwStartNummer 7 (regel 28) komt in dit bericht al eerder voor (regel 19).")
    assert melding.regelnummer == 28


def test_im001_different_bw_startnummers_for_the_same_client_are_accepted():
    _geaccepteerd(bericht_bytes(client(BSN_A, periode(7, START, date(2022, 12, 31)), periode(8, date(2023, 1, 1)))))


def test_im002_a_bsn_in_two_clients_gives_0001():
    data = bericht_bytes(
        client(BSN_A, periode(1, START, date(2022, 12, 31))),
        client(BSN_A, periode(2, date(2023, 1, 1))),
    )

    _afgekeurd_op_niveau_2(data, "IM002", "Bsn")


def test_im002_two_periods_of_one_bsn_in_one_client_are_accepted():
    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START, date(2022, 12, 31)), periode(2, date(2023, 1, 1)))))


@pytest.mark.parametrize(
    ("basisschema", "bericht", "element"),
    [
        ("2.1.0", "2.0.0", "BasisschemaXsdVersie"),
        ("2.0.0", "3.0.0", "BerichtXsdVersie"),
        ("1.0.9", "2.0.0", "BasisschemaXsdVersie"),
    ],
)
def test_im003_an_xsd_version_outside_2_0_x_gives_0001(basisschema, bericht, element):
    data = bericht_bytes(
        client(BSN_A, periode(1, START)), basisschema_xsd_versie=basisschema, bericht_xsd_versie=bericht
    )

    _afgekeurd_op_niveau_2(data, "IM003", element)


def test_im003_any_2_0_x_version_is_accepted():
    _geaccepteerd(
        bericht_bytes(client(BSN_A, periode(1, START)), basisschema_xsd_versie="2.0.17", bericht_xsd_versie="2.0.3")
    )


def test_level_2_decides_before_level_3_so_no_level_3_codes_appear():
    register = InMemoryRegister(identificaties=["TEST-0001"])
    data = bericht_bytes(client("123456789", periode(1, START)), afzender="9999", dagtekening=date(2030, 1, 1))

    beoordeling = _afgekeurd_op_niveau_2(data, "CS002", "Bsn", register=register)

    assert beoordeling.retourcodes() == ["0001"]


def test_every_broken_level_2_rule_is_reported():
    data = bericht_bytes(
        client("123456789", periode(1, START, date(2022, 9, 1))),
        client(BSN_B, periode(1, START)),
    )

    _, beoordeling = beoordeel_bytes(data)

    assert [m.regel_id for m in beoordeling.header_meldingen] == ["CS002", "CS003", "IM001"]
    assert beoordeling.header_retourcodes() == ["0001"]


def test_level_2_findings_are_grouped_per_rule_in_message_order():
    data = bericht_bytes(
        client("123456789", periode(1, START, date(2022, 9, 1))),
        client(BSN_B, periode(1, START, date(2022, 9, 2))),
        client("123456781", periode(3, START)),
        client(BSN_B, periode(4, START)),
    )

    _, beoordeling = beoordeel_bytes(data)

    assert [(m.regel_id, m.regelnummer) for m in beoordeling.header_meldingen] == [
        ("CS002", 17),
        ("CS002", 35),
        ("CS003", 19),
        ("CS003", 28),
        ("IM001", 28),
        ("IM002", 43),
    ]
