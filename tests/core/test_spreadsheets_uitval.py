"""The uitval row and sheet without a database: which codes a period shows, what they mean and what to do."""
from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

from openpyxl import load_workbook

from portal.ieb.retourcodes import WAT_TE_DOEN
from portal.spreadsheets.uitval import UitvalRij, bestandsnaam, uitleg, uitvalcodes, write_uitval


def test_the_codes_of_a_period_are_the_headers_then_the_clients_then_its_own_each_once_without_0200():
    assert uitvalcodes(["9056"], ["0200"], ["9404", "9056", "0200"]) == ("9056", "9404")
    assert uitvalcodes([], ["9400"], ["0200"]) == ("9400",)
    assert uitvalcodes([], ["0200"], ["0200"]) == ()


def test_each_code_gets_its_meaning_and_what_to_do_and_no_code_says_why_the_period_was_not_processed():
    [code] = uitleg(("9404",))
    assert (code.code, code.omschrijving, code.wat_te_doen) == (
        "9404", "Er bestaat al een aanlevering met dit BwStartNummer", WAT_TE_DOEN["9404"])
    [geen] = uitleg(())
    assert geen.code == "" and geen.omschrijving.startswith("Geen eigen retourcode")
    [onbekend] = uitleg(("1234",))
    assert onbekend.omschrijving == "onbekende retourcode"
    assert "servicedesk van het CAK" in onbekend.wat_te_doen


def test_a_row_with_two_codes_names_the_code_before_each_advice():
    rij = UitvalRij("012345672", 7, date(2022, 10, 1), None, uitleg(("9400", "9404")), "B-1",
                    datetime(2022, 10, 3, 7, 0, tzinfo=UTC))
    assert rij.retourcodes == ("9400", "9404")
    assert rij.wat_te_doen == f"9400: {WAT_TE_DOEN['9400']} 9404: {WAT_TE_DOEN['9404']}"


def test_the_sheet_keeps_the_leading_zero_of_a_bsn_and_the_file_is_named_after_the_local_day():
    rij = UitvalRij("012345672", 7, date(2022, 10, 1), date(2022, 12, 31), uitleg(("9103",)), "B-1",
                    datetime(2022, 10, 3, 7, 0, tzinfo=UTC))
    moment = datetime(2022, 10, 3, 22, 30, tzinfo=UTC)  # 04-10-2022 00:30 in Amsterdam
    blad = load_workbook(BytesIO(write_uitval([rij], created_at=moment)))["Uitval"]
    assert blad["A2"].value == "012345672"
    assert blad["D2"].value == datetime(2022, 12, 31)
    assert blad["I2"].value == datetime(2022, 10, 3, 9, 0)
    assert bestandsnaam("680363", moment) == "680363_Uitval_20221004.xlsx"
