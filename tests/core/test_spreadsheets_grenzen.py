"""Issue 11, point 7: a spreadsheet is bounded by what it can hold. A sheet that declares or holds more rows
than the upload can have is refused before openpyxl reads it; macros, external links and embedded objects
are refused. The messages are Dutch and say what to do."""
from __future__ import annotations

import random
import re
import string
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

import pytest

from portal.spreadsheets.mutatielijst import read_mutaties
from portal.spreadsheets.reading import DEFAULT_LIMITS, OngeldigBestand, check_xlsx_container, open_xlsx_upload
from portal.spreadsheets.terugkoppeling import read_terugkoppeling

LEGE_RIJEN = 165_000


def herpak(inhoud: bytes, wijzig: dict[str, bytes], niveau: int = 6) -> bytes:
    """The same workbook with some parts replaced or added."""
    with ZipFile(BytesIO(inhoud)) as archief:
        delen = {naam: archief.read(naam) for naam in archief.namelist()}
    delen.update(wijzig)
    uit = BytesIO()
    with ZipFile(uit, "w", ZIP_DEFLATED, compresslevel=niveau) as archief:
        for naam, data in delen.items():
            archief.writestr(naam, data)
    return uit.getvalue()


def met_lege_rijen(inhoud: bytes, aantal: int = LEGE_RIJEN, dimensie_mee: bool = True) -> bytes:
    """The filled-in B4 with `aantal` blank but formatted rows below its data, as Excel leaves them when a
    whole block was formatted: every cell has a style and no value (about 6 MB packed)."""
    with ZipFile(BytesIO(inhoud)) as archief:
        blad = archief.read("xl/worksheets/sheet1.xml").decode("utf-8")
    eerste = max(int(r) for r in re.findall(r'<row r="(\d+)"', blad)) + 1
    cellen = "".join(f'<c r="{letter}{{r}}" s="1"/>' for letter in "ABCDEFGHIJKLMN")
    rij = f'<row r="{{r}}" spans="1:14" s="1" customFormat="1" ht="15" customHeight="1">{cellen}</row>'
    rijen = "".join(rij.format(r=r) for r in range(eerste, eerste + aantal))
    blad = blad.replace("</sheetData>", rijen + "</sheetData>")
    if dimensie_mee:
        blad = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:N{eerste + aantal - 1}"/>', blad)
    return herpak(inhoud, {"xl/worksheets/sheet1.xml": blad.encode("utf-8")}, niveau=1)


def enige_melding(resultaat) -> str:
    [probleem] = resultaat.problemen
    return probleem.melding


@pytest.fixture
def te_veel_rijen_melding():
    return re.compile(r"Een blad in het bestand heeft meer rijen dan de \d+ die dit bestand kan bevatten .*"
                      r"Verwijder in Excel de lege rijen onder de gegevens .* upload het opnieuw\.")


def test_a_terugkoppeling_with_165000_blank_formatted_rows_is_refused_before_it_is_read(
        b4_bytes, b4_rows, te_veel_rijen_melding):
    inhoud = met_lege_rijen(b4_bytes)
    assert len(inhoud) > 5 * 1024 * 1024
    melding = enige_melding(read_terugkoppeling(inhoud, gemeentecodes={"0363"}, b4_rows=b4_rows))
    assert te_veel_rijen_melding.fullmatch(melding)
    assert "1007 die dit bestand kan bevatten" in melding  # 1 header + 6 clients + the margin of 1000


def test_rows_are_counted_even_when_the_declared_dimension_is_small(b4_bytes, b4_rows, te_veel_rijen_melding):
    inhoud = met_lege_rijen(b4_bytes, aantal=3_000, dimensie_mee=False)
    melding = enige_melding(read_terugkoppeling(inhoud, gemeentecodes={"0363"}, b4_rows=b4_rows))
    assert te_veel_rijen_melding.fullmatch(melding)


def test_a_declared_dimension_beyond_the_limit_is_refused_without_counting(b4_bytes, b4_rows):
    with ZipFile(BytesIO(b4_bytes)) as archief:
        blad = archief.read("xl/worksheets/sheet1.xml").decode("utf-8")
    blad = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:N1048576"/>', blad)
    inhoud = herpak(b4_bytes, {"xl/worksheets/sheet1.xml": blad.encode()})
    melding = enige_melding(read_terugkoppeling(inhoud, gemeentecodes={"0363"}, b4_rows=b4_rows))
    assert melding.startswith("Een blad in het bestand heeft meer rijen dan de 1007")


def test_the_b4_with_its_own_empty_rows_and_a_few_more_is_still_read(b4_bytes, b4_rows):
    inhoud = met_lege_rijen(b4_bytes, aantal=400)
    resultaat = read_terugkoppeling(inhoud, gemeentecodes={"0363"}, b4_rows=b4_rows)
    assert not any("meer rijen" in p.melding for p in resultaat.problemen)


def test_the_terugkoppeling_of_a_b4_above_the_general_maximum_is_not_refused_for_its_rows(b4_bytes, b4_rows):
    """A large gemeente's B4 (more than the 20,000 rows any other upload may have) comes back with all its
    rows: the bound follows the B4, in both directions."""
    grote_b4 = b4_rows * 3_500  # 21,000 rows
    inhoud = met_lege_rijen(b4_bytes, aantal=len(grote_b4))
    resultaat = read_terugkoppeling(inhoud, gemeentecodes={"0363"}, b4_rows=grote_b4)
    assert not any("meer rijen" in p.melding for p in resultaat.problemen)


def test_an_old_channel_excel_is_bounded_by_a_fixed_maximum(b4_bytes):
    melding = enige_melding(read_mutaties(met_lege_rijen(b4_bytes, aantal=20_000), gemeentecodes={"0363"}))
    assert "meer rijen dan de 10501 die dit bestand kan bevatten" in melding


def test_every_upload_is_bounded_by_the_general_maximum_before_openpyxl_sees_it(b4_bytes):
    with pytest.raises(OngeldigBestand, match=r"meer rijen dan de 20000"):
        open_xlsx_upload(met_lege_rijen(b4_bytes, aantal=25_000))


def _blad_met_rijen_over_de_grenzen(grenzen: int, stuk: int = 1024 * 1024) -> tuple[bytes, int]:
    """A worksheet whose ``<row>`` tags start three bytes before each of the first ``grenzen`` megabyte
    boundaries, so each straddles two of the pieces the count reads; then a hundred ordinary rows."""
    kop = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
           '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    delen = [kop]
    lengte = len(kop)
    toeval = random.Random(12)  # text that does not pack like a zip bomb
    rij = 1
    for grens in range(1, grenzen + 1):
        leeg = f'<row r="{rij}"><c r="A{rij}" t="inlineStr"><is><t></t></is></c></row>'
        opvulling = grens * stuk - 3 - lengte - len(leeg)
        tekst = "".join(toeval.choices(string.ascii_letters, k=opvulling))
        deel = f'<row r="{rij}"><c r="A{rij}" t="inlineStr"><is><t>{tekst}</t></is></c></row>'
        delen.append(deel)
        lengte += len(deel)
        rij += 1
    for _ in range(100):  # more than any other sheet of the B4 has; without numbers, so only the count tells
        delen.append(f"<row><c><v>{rij}</v></c></row>")
        rij += 1
    delen.append("</sheetData></worksheet>")
    return "".join(delen).encode("utf-8"), rij - 1


def test_rows_are_counted_exactly_when_their_tags_straddle_the_pieces_the_sheet_is_read_in(b4_bytes):
    """The count reads a sheet a megabyte at a time: a row whose tag straddles two pieces counts once.
    A sheet of exactly the limit is read; with one row more than the limit allows it is refused."""
    blad, rijen = _blad_met_rijen_over_de_grenzen(grenzen=5)
    inhoud = herpak(b4_bytes, {"xl/worksheets/sheet1.xml": blad})

    check_xlsx_container(inhoud, DEFAULT_LIMITS.met_rijen(rijen))
    with pytest.raises(OngeldigBestand, match=f"meer rijen dan de {rijen - 1} "):
        check_xlsx_container(inhoud, DEFAULT_LIMITS.met_rijen(rijen - 1))


def test_a_macro_enabled_workbook_is_refused(b4_bytes):
    with ZipFile(BytesIO(b4_bytes)) as archief:
        typen = archief.read("[Content_Types].xml").decode()
    xlsm = herpak(b4_bytes, {"[Content_Types].xml": typen.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml").encode()})
    with pytest.raises(OngeldigBestand, match=r"bevat macro's .* Opslaan als > 'Excel-werkmap \(\*\.xlsx\)'"):
        open_xlsx_upload(xlsm)


def test_a_workbook_with_vba_code_is_refused(b4_bytes):
    with pytest.raises(OngeldigBestand, match=r"bevat macro's"):
        open_xlsx_upload(herpak(b4_bytes, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"}))


def test_a_workbook_with_external_links_is_refused(b4_bytes, b4_rows):
    inhoud = herpak(b4_bytes, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    melding = enige_melding(read_terugkoppeling(inhoud, gemeentecodes={"0363"}, b4_rows=b4_rows))
    assert melding.startswith("Het bestand bevat koppelingen naar andere werkmappen")
    assert "Koppeling verbreken" in melding


def test_a_workbook_with_an_embedded_object_is_refused(b4_bytes):
    with pytest.raises(OngeldigBestand, match=r"bevat ingesloten objecten .* upload het opnieuw"):
        open_xlsx_upload(herpak(b4_bytes, {"xl/embeddings/oleObject1.bin": b"object"}))
