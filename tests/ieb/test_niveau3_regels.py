"""Niveau 3: regels tegen het register en de referentiegegevens. Elke klasse krijgt haar eigen codes."""

from datetime import date, timedelta

import pytest

from portal.ieb import GeregistreerdePeriode, InMemoryRegister, bouw_wmo408, valideer_wmo408
from portal.ieb.niveau3_regels import maanden_terug

from .berichten import BSN_A, BSN_B, VANDAAG, beoordeel_bytes, bericht_bytes, client, lees_wmo408, periode

START = date(2022, 10, 1)


def _geregistreerd(nummer, start, eind=None, *, bsn=BSN_A, verwijderd=False):
    return GeregistreerdePeriode(bsn, nummer, start, eind, verwijderd)


def _beoordeel(data, register=None, **kwargs):
    bericht, beoordeling = beoordeel_bytes(data, register, **kwargs)
    assert beoordeling.niveau == 3
    wmo408 = bouw_wmo408(bericht, beoordeling, identificatie_retour="RET-3", dagtekening_retour=VANDAAG)
    assert valideer_wmo408(wmo408) == []
    inhoud = lees_wmo408(wmo408)
    assert len(inhoud.clients) == len(bericht.clients)
    return beoordeling, inhoud


def _periodecodes(inhoud):
    return [[p.retourcodes for p in c.perioden] for c in inhoud.clients]


def _geaccepteerd(data, register=None, **kwargs):
    beoordeling, inhoud = _beoordeel(data, register, **kwargs)
    assert beoordeling.geaccepteerd, [str(m) for m in beoordeling.meldingen()]
    assert inhoud.header_retourcodes is None
    assert inhoud.alle_codes() == {"0200"}
    return beoordeling


def _alleen_periodecode(data, register, code, regel_id, periode_plaats=(0, 0), **kwargs):
    beoordeling, inhoud = _beoordeel(data, register, **kwargs)
    assert not beoordeling.geaccepteerd
    assert beoordeling.retourcodes() == [code]
    assert inhoud.header_retourcodes is None
    client_index, periode_index = periode_plaats
    assert inhoud.clients[client_index].perioden[periode_index].retourcodes == [code]
    assert all(c.retourcodes == ["0200"] for c in inhoud.clients)
    meldingen = beoordeling.periode_meldingen[periode_plaats]
    assert [m.regel_id for m in meldingen] == [regel_id]
    assert meldingen[0].regelnummer is not None
    return beoordeling


def _alleen_headercode(data, register, code, regel_id, **kwargs):
    beoordeling, inhoud = _beoordeel(data, register, **kwargs)
    assert not beoordeling.geaccepteerd
    assert beoordeling.retourcodes() == [code]
    assert inhoud.header_retourcodes == [code]
    assert [m.regel_id for m in beoordeling.header_meldingen] == [regel_id]
    assert inhoud.clients and all(c.retourcodes == ["0200"] for c in inhoud.clients)
    assert all(p.retourcodes == ["0200"] for c in inhoud.clients for p in c.perioden)
    return beoordeling


# Header


def test_tr378_an_afzender_outside_the_cbs_list_gets_s300_and_clients_are_still_returned():
    data = bericht_bytes(client(BSN_A, periode(1, START)), afzender="9999")

    beoordeling = _alleen_headercode(data, None, "S300", "TR378")

    assert "9999" in beoordeling.header_meldingen[0].toelichting


def test_tr378_an_afzender_in_the_cbs_list_is_accepted():
    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START)), afzender="0599"))


def test_tr135_a_dagtekening_after_today_gets_8848():
    data = bericht_bytes(client(BSN_A, periode(1, START)), dagtekening=VANDAAG + timedelta(days=1))

    _alleen_headercode(data, None, "8848", "TR135")


def test_tr135_a_dagtekening_of_today_is_accepted():
    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START)), dagtekening=VANDAAG))


def test_tr056_an_identificatie_used_before_gets_9056():
    register = InMemoryRegister(identificaties=["TEST-0001"])

    data = bericht_bytes(client(BSN_A, periode(1, START)), identificatie="TEST-0001")

    _alleen_headercode(data, register, "9056", "TR056")


@pytest.mark.parametrize("identificatie", ["TEST-0002", "test-0001", "TEST-0001 "])
def test_tr056_an_identificatie_not_used_before_is_accepted(identificatie):
    register = InMemoryRegister(identificaties=["TEST-0001"])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START)), identificatie=identificatie), register)


def test_all_header_codes_together_go_to_the_header():
    register = InMemoryRegister(identificaties=["TEST-0001"])
    data = bericht_bytes(client(BSN_A, periode(1, START)), afzender="9999", dagtekening=VANDAAG + timedelta(days=1))

    beoordeling, inhoud = _beoordeel(data, register)

    assert inhoud.header_retourcodes == ["S300", "8848", "9056"]
    assert beoordeling.retourcodes() == ["8848", "9056", "S300"]


# BeschermdWonen: TR404, TR103, TR063, TR104


def test_tr404_a_first_delivery_with_an_existing_bw_startnummer_gets_9404():
    register = InMemoryRegister([_geregistreerd(1, START)])

    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(1, START))), register, "9404", "TR404")


def test_tr404_a_removed_period_still_blocks_its_bw_startnummer():
    register = InMemoryRegister([_geregistreerd(1, START, verwijderd=True)])

    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(1, START))), register, "9404", "TR404")


def test_tr404_a_first_delivery_with_a_new_bw_startnummer_is_accepted():
    register = InMemoryRegister([_geregistreerd(1, date(2021, 1, 1), date(2022, 9, 30))])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(2, START))), register)


def test_tr103_a_change_without_earlier_delivery_gets_9103():
    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(1, START, status=2))), InMemoryRegister(), "9103", "TR103")


def test_tr103_a_change_of_an_existing_period_is_accepted():
    register = InMemoryRegister([_geregistreerd(1, START)])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START, date(2022, 12, 31), status=2))), register)


def test_tr063_a_removal_without_earlier_delivery_gets_9063():
    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(1, START, status=3))), InMemoryRegister(), "9063", "TR063")


def test_tr063_a_removal_of_an_existing_period_is_accepted():
    register = InMemoryRegister([_geregistreerd(1, START)])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START, status=3))), register)


@pytest.mark.parametrize("status", [2, 3])
def test_tr104_a_period_that_is_not_removed_can_be_changed_or_removed(status):
    register = InMemoryRegister([_geregistreerd(1, START, verwijderd=False)])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, START, date(2022, 10, 31), status=status))), register)


@pytest.mark.parametrize("status", [2, 3])
def test_tr104_a_removed_period_cannot_be_changed_or_removed_again(status):
    register = InMemoryRegister([_geregistreerd(1, START, verwijderd=True)])

    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(1, START, status=status))), register, "9104", "TR104")


# TR395


def test_maanden_terug_counts_calendar_months_and_clamps_to_the_end_of_the_month():
    assert maanden_terug(date(2022, 10, 4), 36) == date(2019, 10, 4)
    assert maanden_terug(date(2024, 2, 29), 36) == date(2021, 2, 28)
    assert maanden_terug(date(2022, 3, 31), 1) == date(2022, 2, 28)
    assert maanden_terug(date(2023, 1, 15), 13) == date(2021, 12, 15)


def test_tr395_a_startdatum_one_day_more_than_36_months_before_the_dagtekening_gets_9395():
    data = bericht_bytes(client(BSN_A, periode(1, date(2019, 10, 3))))

    beoordeling = _alleen_periodecode(data, InMemoryRegister(), "9395", "TR395")

    assert "04-10-2019" in beoordeling.periode_meldingen[(0, 0)][0].toelichting


def test_tr395_a_startdatum_exactly_36_months_before_the_dagtekening_is_accepted():
    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, date(2019, 10, 4)))))


def test_tr395_at_the_end_of_february_the_boundary_is_the_last_day_of_the_month():
    dagtekening = date(2024, 2, 29)
    _geaccepteerd(
        bericht_bytes(client(BSN_A, periode(1, date(2021, 2, 28))), dagtekening=dagtekening), vandaag=dagtekening
    )
    _alleen_periodecode(
        bericht_bytes(client(BSN_A, periode(1, date(2021, 2, 27))), dagtekening=dagtekening),
        InMemoryRegister(),
        "9395",
        "TR395",
        vandaag=dagtekening,
    )


def test_tr395_a_change_that_keeps_the_registered_old_startdatum_is_accepted():
    register = InMemoryRegister([_geregistreerd(1, date(2018, 1, 1))])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, date(2018, 1, 1), date(2022, 10, 31), status=2))), register)


def test_tr395_a_change_that_moves_the_startdatum_to_another_old_date_gets_9395():
    register = InMemoryRegister([_geregistreerd(1, date(2018, 1, 1))])
    data = bericht_bytes(client(BSN_A, periode(1, date(2018, 2, 1), date(2022, 10, 31), status=2)))

    _alleen_periodecode(data, register, "9395", "TR395")


def test_tr395_a_removal_that_keeps_the_registered_old_startdatum_is_accepted():
    register = InMemoryRegister([_geregistreerd(1, date(2018, 1, 1))])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, date(2018, 1, 1), status=3))), register)


def test_tr395_a_removal_with_another_old_startdatum_gets_9395():
    register = InMemoryRegister([_geregistreerd(1, date(2018, 1, 1))])

    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(1, date(2018, 3, 1), status=3))), register, "9395", "TR395")


# TR400


def test_tr400_a_new_period_overlapping_a_registered_open_period_gets_9400():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1))])

    beoordeling = _alleen_periodecode(bericht_bytes(client(BSN_A, periode(2, START))), register, "9400", "TR400")

    assert "BwStartNummer 1 " in beoordeling.periode_meldingen[(0, 0)][0].toelichting


def test_tr400_an_open_end_runs_forever():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1))])

    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(2, date(2035, 1, 1)))), register, "9400", "TR400")


def test_tr400_a_period_that_overlaps_by_one_day_gets_9400():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1), START)])

    _alleen_periodecode(bericht_bytes(client(BSN_A, periode(2, START))), register, "9400", "TR400")


def test_tr400_a_period_touching_a_registered_period_is_accepted():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1), date(2022, 9, 30))])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(2, START))), register)


def test_tr400_two_overlapping_periods_in_the_same_message_both_get_9400():
    data = bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), START), periode(2, START)))

    beoordeling, inhoud = _beoordeel(data)

    assert _periodecodes(inhoud) == [[["9400"], ["9400"]]]
    assert "die ook in dit bericht staat" in beoordeling.periode_meldingen[(0, 0)][0].toelichting


def test_tr400_two_touching_periods_in_the_same_message_are_accepted():
    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), date(2022, 9, 30)), periode(2, START))))


def test_tr400_a_registered_period_ended_by_status_2_in_the_same_message_no_longer_overlaps():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1))])
    data = bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), date(2022, 9, 30), status=2), periode(2, START)))

    _geaccepteerd(data, register)


def test_tr400_a_registered_period_changed_by_status_2_is_compared_in_its_new_version():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1), date(2022, 3, 31))])
    data = bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), status=2), periode(2, START)))

    _, inhoud = _beoordeel(data, register)

    assert _periodecodes(inhoud) == [[["9400"], ["9400"]]]


def test_tr400_a_registered_period_removed_by_status_3_in_the_same_message_no_longer_counts():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1))])
    data = bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), status=3), periode(2, START)))

    _geaccepteerd(data, register)


def test_tr400_a_status_3_period_is_not_checked_itself():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1)), _geregistreerd(2, START)])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), status=3))), register)


def test_tr400_a_removed_registered_period_does_not_count():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1), verwijderd=True)])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(2, START))), register)


def test_tr400_periods_of_another_bsn_do_not_count():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1), bsn=BSN_B)])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(2, START))), register)


def test_tr400_a_change_of_a_period_does_not_overlap_its_own_registered_version():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1))])

    _geaccepteerd(bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), date(2022, 12, 31), status=2))), register)


def test_tr400_a_change_that_extends_into_another_registered_period_gets_9400():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1), date(2022, 6, 30)), _geregistreerd(2, START)])
    data = bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), date(2022, 10, 1), status=2)))

    _alleen_periodecode(data, register, "9400", "TR400")


def test_tr400_a_change_that_moves_a_period_to_another_bsn_is_compared_under_its_new_bsn():
    register = InMemoryRegister([_geregistreerd(1, date(2022, 1, 1), bsn=BSN_B), _geregistreerd(2, START, bsn=BSN_A)])
    data = bericht_bytes(client(BSN_A, periode(1, date(2022, 1, 1), status=2)))

    _alleen_periodecode(data, register, "9400", "TR400")


# The whole message


def test_one_code_anywhere_rejects_the_whole_message_and_other_classes_get_0200():
    data = bericht_bytes(client(BSN_A, periode(1, START)), client(BSN_B, periode(2, START, status=2)))

    beoordeling, inhoud = _beoordeel(data)

    assert not beoordeling.geaccepteerd
    assert _periodecodes(inhoud) == [[["0200"]], [["9103"]]]
    assert [c.retourcodes for c in inhoud.clients] == [["0200"], ["0200"]]
    assert beoordeling.retourcodes() == ["9103"]


def test_a_period_can_carry_several_codes():
    register = InMemoryRegister([_geregistreerd(1, date(2018, 1, 1)), _geregistreerd(2, date(2019, 1, 1))])
    data = bericht_bytes(client(BSN_A, periode(1, date(2018, 1, 1))))

    beoordeling, inhoud = _beoordeel(data, register)

    assert _periodecodes(inhoud) == [[["9404", "9395", "9400"]]]
    assert beoordeling.retourcodes() == ["9395", "9400", "9404"]


def test_header_and_period_codes_are_both_returned():
    data = bericht_bytes(client(BSN_A, periode(1, START, status=2)), afzender="9999")

    beoordeling, inhoud = _beoordeel(data)

    assert inhoud.header_retourcodes == ["S300"]
    assert _periodecodes(inhoud) == [[["9103"]]]
    assert beoordeling.retourcodes() == ["9103", "S300"]
    rapport = beoordeling.rapport()
    assert "9103" in rapport[0] and "S300" in rapport[0]
    assert len(rapport) == 3
