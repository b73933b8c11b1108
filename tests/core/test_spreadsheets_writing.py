"""The general rules for every .xlsx the portal writes, checked on every writer by reading back
what was written with openpyxl."""

import functools
import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from portal.aansluiting import bepaal_aansluiting
from portal.productafname import bepaal_productafname
from portal.spreadsheets.aanleverrapportage import BerichtRij, ProductafnameRij, write_aanleverrapportage
from portal.spreadsheets.bestandsvergelijking import write_bestandsvergelijking
from portal.spreadsheets.mutaties import write_mutaties_template
from portal.spreadsheets.ontbrekende_wmo407 import OntbrekendeRij, write_ontbrekende_wmo407
from portal.spreadsheets.uitval import UitvalRij, uitleg, write_uitval
from portal.spreadsheets.verslag import VerslagGegevens, write_verslag

from .conftest import BSN_DE_VRIES, BSN_JANSEN, GEMAAKT_OP, b4_rij

MIGRATIE = date(2022, 10, 1)
ONTVANGEN = datetime(2022, 10, 4, 9, 15, tzinfo=UTC)


def berichten():
    return [
        BerichtRij("MIG0363-0001", date(2022, 10, 4), ONTVANGEN, BSN_JANSEN, 1001, MIGRATIE, None, "1",
                   ("0200",), "Geen opmerking", "goedgekeurd"),
        BerichtRij("MIG0363-0002", date(2022, 10, 4), ONTVANGEN, None, None, None, None, None,
                   ("0001",), "Bericht is afgekeurd om technische redenen", "afgekeurd"),
    ]


def productafname():
    afname = bepaal_productafname(bw_startdatum=MIGRATIE, bw_einddatum=None,
                                  geboortedatum=date(1980, 5, 17), soort_bijdrage_cak="LEB")
    return [ProductafnameRij.van(BSN_JANSEN, 1001, MIGRATIE, None, afname)]


def aansluiting():
    return bepaal_aansluiting({BSN_JANSEN: "J", BSN_DE_VRIES: "J"}, {BSN_JANSEN: [MIGRATIE]}, [], MIGRATIE)


def verslag_gegevens():
    return VerslagGegevens(
        gemeentecode="0363", gemeentenaam="Amsterdam", timeslot=date(2022, 10, 3), aantal_in_b4=2,
        aantallen_per_code={"J": 2}, aantal_toegevoegd=0, aantal_berichten_ontvangen=2,
        aantal_berichten_goedgekeurd=1, akkoord_door="C. Medewerker",
        akkoord_op=datetime(2022, 10, 5, 9, 0, tzinfo=UTC), afwijking=None,
    )


# name -> (make the bytes, the data sheets and the row of their header)
def uitval() -> list[UitvalRij]:
    return [UitvalRij(BSN_JANSEN, 1001, date(2022, 10, 1), None, uitleg(("9400",)), "MIG0363-0002",
                      datetime(2022, 10, 4, 9, 15, tzinfo=UTC))]


WRITERS = {
    "bestandsvergelijking": (
        lambda: write_bestandsvergelijking([b4_rij(BSN_JANSEN, "Jansen")], created_at=GEMAAKT_OP),
        {"Bestandsvergelijking": 1},
    ),
    "aanleverrapportage": (
        lambda: write_aanleverrapportage(berichten(), productafname(), aansluiting=aansluiting(),
                                         created_at=GEMAAKT_OP),
        {"Berichten": 1, "Productafname": 1, "Aansluiting": 2},
    ),
    "wekelijkse rapportage": (
        lambda: write_aanleverrapportage(berichten(), productafname(), created_at=GEMAAKT_OP, uitval=uitval()),
        {"Berichten": 1, "Productafname": 1, "Uitval": 1},
    ),
    "verslag": (
        lambda: write_verslag(verslag_gegevens(), aansluiting(), created_at=GEMAAKT_OP),
        {"Samenvatting": 1, "Aansluiting": 2},
    ),
    "ontbrekende wmo407": (
        lambda: write_ontbrekende_wmo407(
            [OntbrekendeRij("0363", BSN_JANSEN, "Jansen", "A.B.", date(2019, 3, 1), "H&V", "N")],
            created_at=GEMAAKT_OP),
        {"Ontbrekende WMO407": 1},
    ),
    "mutaties sjabloon": (
        lambda: write_mutaties_template(created_at=GEMAAKT_OP),
        {"Mutaties": 1},
    ),
    "uitval": (
        lambda: write_uitval(uitval(), created_at=GEMAAKT_OP),
        {"Uitval": 1},
    ),
}


@functools.cache
def written(name: str) -> bytes:
    """The bytes a writer gives, made once for the tests that only read them."""
    make, _ = WRITERS[name]
    return make()


def open_written(content):
    return load_workbook(BytesIO(content))


def column_width(worksheet, letter):
    """The width of a column as Excel shows it. A <col> element may cover several adjacent columns of the
    same width; openpyxl files it under its first column only."""
    index = column_index_from_string(letter)
    for dimension in worksheet.column_dimensions.values():
        if dimension.min is not None and dimension.min <= index <= dimension.max:
            return dimension.width
    return None


@pytest.mark.parametrize("name", WRITERS)
def test_every_sheet_has_a_bold_frozen_header_with_autofilter(name):
    _, sheets = WRITERS[name]
    workbook = open_written(written(name))
    assert workbook.sheetnames == [*sheets, "Toelichting"]
    for title, header_row in {**sheets, "Toelichting": 1}.items():
        worksheet = workbook[title]
        header = [cell for cell in worksheet[header_row] if cell.value is not None]
        assert header, title
        # The font is named in full, so no program falls back to a font of its own choice.
        assert {(cell.font.name, cell.font.sz, cell.font.b) for cell in header} == {("Calibri", 11, True)}, title
        assert worksheet.freeze_panes == f"A{header_row + 1}", title
        assert worksheet.auto_filter.ref.startswith(f"A{header_row}:"), title


@pytest.mark.parametrize("name", WRITERS)
def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_the_header_repeated(name):
    _, sheets = WRITERS[name]
    workbook = open_written(written(name))
    for title, header_row in {**sheets, "Toelichting": 1}.items():
        worksheet = workbook[title]
        setup = worksheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), title  # 9: A4
        assert worksheet.sheet_properties.pageSetUpPr.fitToPage, title
        # One page wide (an absent fitToWidth is the standard's default, 1), as many pages down as needed.
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), title
        assert worksheet.print_title_rows == f"${header_row}:${header_row}", title
        assert worksheet.print_options.gridLines, title
        assert worksheet.oddFooter.center.text == "&A – pagina &P van &N", title


@pytest.mark.parametrize("name", WRITERS)
def test_the_same_data_gives_the_same_bytes(name):
    make, _ = WRITERS[name]
    first = make()
    second = make()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_the_document_dates_come_from_the_argument_not_from_the_clock():
    content = write_bestandsvergelijking([b4_rij(BSN_JANSEN, "Jansen")], created_at=GEMAAKT_OP)
    workbook = open_written(content)
    assert workbook.properties.created == datetime(2022, 9, 26, 8, 30)  # 10:30 Dutch summer time, in UTC
    assert workbook.properties.modified == datetime(2022, 9, 26, 8, 30)
    assert {entry.date_time for entry in ZipFile(BytesIO(content)).infolist()} == {(2022, 9, 26, 10, 30, 0)}
    later = write_bestandsvergelijking([b4_rij(BSN_JANSEN, "Jansen")],
                                       created_at=datetime(2022, 9, 27, 10, 30, tzinfo=UTC))
    assert later != content


@pytest.mark.parametrize("name", WRITERS)
def test_the_toelichting_explains_every_column_of_every_sheet(name):
    _, sheets = WRITERS[name]
    workbook = open_written(written(name))
    explained = {
        (row[0], row[2]) for row in workbook["Toelichting"].iter_rows(min_row=2, values_only=True) if row[2]
    }
    for title, header_row in sheets.items():
        columns = [cell.value for cell in workbook[title][header_row] if cell.value is not None]
        assert {(title, column) for column in columns} <= explained


def test_the_toelichting_explains_every_terugkoppeling_code():
    workbook = open_written(written("bestandsvergelijking"))
    codes = {
        row[5]: row[6]
        for row in workbook["Toelichting"].iter_rows(min_row=2, values_only=True)
        if row[2] == "TERUGKOPPELING" and row[5]
    }
    assert list(codes) == ["J", "O", "U", "V", "N", "X"]
    assert "overleden" in codes["O"]
    assert "kolom N" in codes["X"]


def test_bsn_and_codes_are_text_cells_that_keep_their_leading_zeros():
    rij = b4_rij(BSN_JANSEN, "Jansen")
    workbook = open_written(write_bestandsvergelijking([rij], created_at=GEMAAKT_OP))
    worksheet = workbook["Bestandsvergelijking"]
    assert (worksheet["A2"].value, worksheet["A2"].data_type) == ("0363", "s")
    assert (worksheet["B2"].value, worksheet["B2"].data_type, worksheet["B2"].number_format) == ("012345672", "s", "@")
    assert (worksheet["J2"].value, worksheet["J2"].data_type) == ("01234567", "s")


def test_a_number_given_for_a_code_column_is_padded_to_its_digits():
    rij = b4_rij(BSN_JANSEN, "Jansen")
    workbook = open_written(write_bestandsvergelijking([replace(rij, aanbieder_agb=1234567, gemeentecode=363)],
                                                       created_at=GEMAAKT_OP))
    worksheet = workbook["Bestandsvergelijking"]
    assert (worksheet["A2"].value, worksheet["J2"].value) == ("0363", "01234567")


def test_dates_are_real_date_cells_shown_as_day_month_year():
    workbook = open_written(write_bestandsvergelijking([b4_rij(BSN_JANSEN, "Jansen")], created_at=GEMAAKT_OP))
    cell = workbook["Bestandsvergelijking"]["F2"]
    assert cell.is_date
    assert cell.value.date() == date(1980, 5, 17)
    assert cell.number_format == "dd-mm-yyyy"


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+31 6 1234", "-1+2", "@SUM(A1)", "=1+1"])
def test_a_value_that_looks_like_a_formula_is_stored_as_text(value):
    rij = replace(b4_rij(BSN_JANSEN, "Jansen"), geslachtsnaam=value)
    content = write_bestandsvergelijking([rij], created_at=GEMAAKT_OP)
    cell = open_written(content)["Bestandsvergelijking"]["C2"]
    assert cell.value == value
    assert cell.data_type == "s"
    assert cell.quotePrefix
    sheet_xml = ZipFile(BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_control_characters_in_a_text_are_dropped_instead_of_breaking_the_file():
    rij = replace(b4_rij(BSN_JANSEN, "Jansen"), geslachtsnaam="Jan\x07sen")
    cell = open_written(write_bestandsvergelijking([rij], created_at=GEMAAKT_OP))["Bestandsvergelijking"]["C2"]
    assert cell.value == "Jansen"


def test_columns_are_widened_to_fit_their_content():
    lange_naam = "Van Boetzelaer van Oosterhout-Wijnbergen"
    rij = replace(b4_rij(BSN_JANSEN, "Jansen"), geslachtsnaam=lange_naam)
    worksheet = open_written(write_bestandsvergelijking([rij], created_at=GEMAAKT_OP))["Bestandsvergelijking"]
    assert column_width(worksheet, "C") >= len(lange_naam)
    assert column_width(worksheet, "L") >= len("TERUGKOPPELING")


def test_a_text_wider_than_the_widest_column_wraps_in_a_row_tall_enough_for_it():
    worksheet = open_written(written("bestandsvergelijking"))["Toelichting"]
    rows = {row[0].row: row for row in worksheet.iter_rows(min_row=2, max_row=worksheet.max_row)}
    uitleg = next(row[6] for row in rows.values() if row[3].value == "blad")  # the sheet's description
    assert len(uitleg.value) > 100
    assert column_width(worksheet, "G") <= 60
    assert uitleg.alignment.wrap_text
    assert worksheet.row_dimensions[uitleg.row].height >= 2 * 15
    kort = next(row for row in rows.values() if row[2].value == "GESLACHTSNAAM")
    assert not kort[6].alignment.wrap_text
    assert worksheet.row_dimensions[kort[6].row].height is None


def test_a_moment_is_shown_in_dutch_local_time():
    workbook = open_written(write_aanleverrapportage(berichten(), productafname(), created_at=GEMAAKT_OP))
    cell = workbook["Berichten"]["C2"]
    assert cell.value == datetime(2022, 10, 4, 11, 15)  # 09:15 UTC is 11:15 summer time
    assert cell.number_format == "dd-mm-yyyy hh:mm"
