"""Opening an uploaded .xlsx: every bad file is a Dutch message, never a crash."""

from datetime import date, datetime
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.spreadsheets.reading import (
    DEFAULT_LIMITS,
    OPNIEUW,
    NotADate,
    OngeldigBestand,
    UploadLimits,
    check_xlsx_container,
    open_xlsx_upload,
    opened_xlsx_upload,
    read_date,
    read_digits,
)
from portal.spreadsheets.terugkoppeling import read_terugkoppeling

from .conftest import BSN_JANSEN


def zip_of(entries, compression=ZIP_DEFLATED):
    output = BytesIO()
    with ZipFile(output, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return output.getvalue()


def rezip(content, change):
    """The same zip with some entries replaced or added."""
    with ZipFile(BytesIO(content)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries.update(change)
    return zip_of(entries)


def refused(content, limits=DEFAULT_LIMITS):
    with pytest.raises(OngeldigBestand) as error:
        open_xlsx_upload(content, limits)
    return str(error.value)


def test_a_valid_xlsx_opens_read_only_with_values(b4_bytes):
    with opened_xlsx_upload(b4_bytes) as workbook:
        assert workbook.read_only
        assert workbook.sheetnames == ["Bestandsvergelijking", "Toelichting"]


def test_an_empty_file_is_refused():
    assert "Het bestand is leeg" in refused(b"")


def test_a_file_that_is_not_a_zip_is_refused_as_not_an_excel_file():
    message = refused(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert "geen Excel-bestand (.xlsx)" in message
    assert "upload het opnieuw" in message


def test_a_csv_file_is_refused_as_not_an_excel_file():
    assert "geen Excel-bestand" in refused(b"GEMEENTECODE;BSN\n0363;012345672\n")


def test_an_old_xls_file_is_refused_with_the_advice_to_save_as_xlsx():
    message = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048 + "Workbook".encode("utf-16-le"))
    assert "oud Excel-bestand (.xls)" in message
    assert "Excel-werkmap (.xlsx)" in message


def test_a_password_protected_xlsx_is_refused_with_the_advice_to_remove_the_password():
    message = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048 + "EncryptionInfo".encode("utf-16-le"))
    assert "wachtwoord" in message


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert "geen Excel-werkmap" in refused(zip_of({"leesmij.txt": "hallo"}))


def test_a_word_document_is_refused():
    assert "geen Excel-werkmap" in refused(zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}))


def test_a_binary_workbook_is_refused_with_the_advice_to_save_as_xlsx():
    message = refused(zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x00\x01"}))
    assert ".xlsb" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_of({
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": "<workbook/>",
        "xl/worksheets/sheet1.xml": b"\x00" * (50 * 1024 * 1024),
    })
    assert len(bomb) < 1024 * 1024
    assert "zip-bom" in refused(bomb)


def test_a_file_that_unpacks_to_more_than_the_limit_is_refused(b4_bytes):
    message = refused(b4_bytes, UploadLimits(max_uncompressed_size=10_000))
    assert "uitgepakt groter dan" in message


def test_a_file_with_too_many_parts_is_refused(b4_bytes):
    assert "onderdelen" in refused(b4_bytes, UploadLimits(max_entries=3))


def test_a_file_over_the_size_limit_is_refused_without_reading_it(b4_bytes):
    assert "groter dan het maximum van" in refused(b4_bytes, UploadLimits(max_file_size=1000))
    assert "20 MB" in refused(b"\x00" * (20 * 1024 * 1024 + 1))


def test_an_encrypted_zip_entry_is_refused(b4_bytes):
    content = bytearray(rezip(b4_bytes, {}))
    # set the "encrypted" flag in every central directory record
    position = content.find(b"PK\x01\x02")
    while position != -1:
        content[position + 8] |= 0x1
        position = content.find(b"PK\x01\x02", position + 4)
    assert "versleuteld" in refused(bytes(content))


def test_a_workbook_with_a_dtd_is_refused(b4_bytes):
    with ZipFile(BytesIO(b4_bytes)) as archive:
        workbook_xml = archive.read("xl/workbook.xml")
    declaration, _, rest = workbook_xml.partition(b"?>")
    evil = declaration + b'?><!DOCTYPE lol [<!ENTITY lol "lol">]>' + rest
    assert "DTD" in refused(rezip(b4_bytes, {"xl/workbook.xml": evil}))


def test_a_damaged_workbook_is_refused_as_unreadable(b4_bytes):
    message = refused(rezip(b4_bytes, {"xl/workbook.xml": b"<<< dit is geen xml"}))
    assert "kan niet worden gelezen" in message


def test_an_unreadable_terugkoppeling_becomes_one_problem_not_an_error(b4_rows):
    result = read_terugkoppeling(b"geen excel", gemeentecodes={"0363"}, b4_rows=b4_rows)
    assert not result.geldig
    assert len(result.problemen) == 1
    assert result.problemen[0].rij is None
    assert "geen Excel-bestand" in str(result.problemen[0])


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_crash_the_reader(data):
    try:
        check_xlsx_container(data)
    except OngeldigBestand as error:
        assert str(error)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_a_damaged_upload_never_crashes_the_terugkoppeling_check(b4_bytes, b4_rows, position, value):
    damaged = bytearray(b4_bytes)
    damaged[position % len(damaged)] = value
    result = read_terugkoppeling(bytes(damaged), gemeentecodes={"0363"}, b4_rows=b4_rows)
    assert all(problem.melding for problem in result.problemen)


def test_an_upload_that_needs_a_newer_zip_version_is_refused_not_a_crash(b4_bytes):
    damaged = bytearray(b4_bytes)
    central_directory = damaged.index(b"PK\x01\x02")
    damaged[central_directory + 6] = 64  # "version needed to extract": 6.4, which Python cannot unpack
    assert refused(bytes(damaged)) == f"Het bestand is geen Excel-bestand (.xlsx). {OPNIEUW}"


def test_stored_zip_entries_are_read_as_well(b4_bytes):
    with ZipFile(BytesIO(b4_bytes)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    with opened_xlsx_upload(zip_of(entries, ZIP_STORED)) as workbook:
        assert "Bestandsvergelijking" in workbook.sheetnames


def test_a_bsn_typed_as_a_number_gets_its_leading_zero_back():
    assert read_digits(12345672, 9) == BSN_JANSEN
    assert read_digits(12345672.0, 9) == BSN_JANSEN
    assert read_digits(" 012345672 ", 9) == BSN_JANSEN
    assert read_digits(363, 4) == "0363"


def test_a_date_may_be_a_date_cell_or_text_in_dutch_notation():
    assert read_date(datetime(2022, 11, 1)) == date(2022, 11, 1)
    assert read_date("01-11-2022") == date(2022, 11, 1)
    assert read_date("1-11-2022") == date(2022, 11, 1)
    assert read_date("2022-11-01") == date(2022, 11, 1)
    assert read_date("  ") is None
    for wrong in ("31-02-2022", "1 november 2022", "11/01/2022", 44866):
        with pytest.raises(NotADate):
            read_date(wrong)
