from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from portal.spreadsheets.bestandsvergelijking import EMPTY_ROWS, write_bestandsvergelijking

from .conftest import GEMAAKT_OP

COLUMNS = [
    "GEMEENTECODE", "BSN", "GESLACHTSNAAM", "VOORVOEGSEL", "VOORLETTERS", "GEBOORTEDATUM",
    "DATUM_START_BW", "DATUM_EINDE_BW", "BRON", "AANBIEDER_AGB", "SOORT_BIJDRAGE",
    "TERUGKOPPELING", "EINDDATUM_GEMEENTE", "TOELICHTING",
]


def sheet(content):
    return load_workbook(BytesIO(content))["Bestandsvergelijking"]


def test_the_b4_has_columns_a_to_n_in_the_agreed_order(b4_bytes):
    worksheet = sheet(b4_bytes)
    assert [cell.value for cell in worksheet[1]] == COLUMNS


def test_the_b4_lists_every_client_with_the_cak_data(b4_bytes, b4_rows):
    worksheet = sheet(b4_bytes)
    rows = list(worksheet.iter_rows(min_row=2, max_row=1 + len(b4_rows), max_col=11, values_only=True))
    assert [row[1] for row in rows] == [rij.bsn for rij in b4_rows]
    assert rows[1][2:5] == ("Vries", "de", "A.B.")
    assert rows[3][8] == "60-RECORD"
    assert rows[1][10] == "HEB"


def test_the_sheet_is_protected_without_a_password(b4_bytes):
    worksheet = sheet(b4_bytes)
    assert worksheet.protection.sheet
    assert not worksheet.protection.password
    assert not worksheet.protection.autoFilter  # filtering stays allowed


def test_only_the_terugkoppeling_columns_of_a_client_row_can_be_edited(b4_bytes):
    worksheet = sheet(b4_bytes)
    locked = {cell.column_letter: cell.protection.locked for cell in worksheet[2]}
    assert [letter for letter, is_locked in locked.items() if not is_locked] == ["L", "M", "N"]


def test_below_the_last_client_there_are_empty_rows_where_a_client_can_be_added(b4_bytes, b4_rows):
    worksheet = sheet(b4_bytes)
    first_empty = len(b4_rows) + 2
    last_empty = len(b4_rows) + 1 + EMPTY_ROWS
    for row in (first_empty, last_empty):
        locked = {cell.column_letter: cell.protection.locked for cell in worksheet[row]}
        assert [letter for letter, is_locked in locked.items() if not is_locked] == list("ABCDEFLMN")
        assert all(cell.value is None for cell in worksheet[row])
    assert worksheet[f"B{first_empty}"].number_format == "@"  # a typed BSN keeps its leading zero
    assert worksheet[f"F{first_empty}"].number_format == "dd-mm-yyyy"
    assert worksheet.max_row == last_empty
    assert worksheet.auto_filter.ref == f"A1:N{last_empty}"


def test_the_terugkoppeling_column_has_a_drop_down_with_the_six_codes(b4_bytes, b4_rows):
    worksheet = sheet(b4_bytes)
    last_row = len(b4_rows) + 1 + EMPTY_ROWS
    lists = [dv for dv in worksheet.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"J,O,U,V,N,X"'
    assert str(lists[0].sqref) == f"L2:L{last_row}"
    assert lists[0].showErrorMessage
    assert "J, O, U, V, N, X" in lists[0].error


def test_the_einddatum_column_accepts_only_dates(b4_bytes):
    worksheet = sheet(b4_bytes)
    dates = [dv for dv in worksheet.data_validations.dataValidation if dv.type == "date"]
    assert [str(dv.sqref).split(":")[0] for dv in dates] == ["M2"]


def test_an_empty_b4_still_has_rows_to_add_clients_to():
    worksheet = sheet(write_bestandsvergelijking([], created_at=GEMAAKT_OP, empty_rows=10))
    assert [cell.value for cell in worksheet[1]] == COLUMNS
    assert not worksheet["B2"].protection.locked
    assert worksheet.max_row == 11


def test_a_large_b4_streamed_from_database_rows_keeps_its_header_drop_down_protection_and_widths():
    # The publish step feeds plain column tuples straight from a query, one at a time.
    aantal = 3_000
    lange_naam = "Boetzelaer van Oosterhout-Wijnbergen"

    def rijen():
        for nummer in range(aantal):
            naam = lange_naam if nummer == aantal - 1 else f"Naam{nummer}"
            yield ("0363", f"{nummer:09d}", naam, None, "A.B.", date(1980, 5, 17), date(2019, 3, 1), None,
                   "H&V", "01234567", "LEB")

    worksheet = sheet(write_bestandsvergelijking(rijen(), created_at=GEMAAKT_OP, empty_rows=5))
    last_row = aantal + 1 + 5
    assert [cell.value for cell in worksheet[1]] == COLUMNS
    assert {cell.font.b for cell in worksheet[1]} == {True}
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == f"A1:N{last_row}"
    assert worksheet["B2"].value == "000000000"  # leading zeros kept
    assert worksheet[f"C{aantal + 1}"].value == lange_naam
    assert worksheet[f"F{aantal + 1}"].is_date
    # The widest name came last, yet its column is wide enough: widths are set when the sheet is done.
    breedte = next(d.width for d in worksheet.column_dimensions.values() if d.min <= 3 <= d.max)
    assert breedte >= len(lange_naam)
    lists = [dv for dv in worksheet.data_validations.dataValidation if dv.type == "list"]
    assert [str(dv.sqref) for dv in lists] == [f"L2:L{last_row}"]
    assert worksheet.protection.sheet
    assert not worksheet[f"L{aantal + 1}"].protection.locked
    assert worksheet[f"K{aantal + 1}"].protection.locked
