"""Fuzzing the readers of what gemeenten upload (issue 11, point 13): the WMO407 reader, the terugkoppeling
reader and the old-channel readers give, for any input, a result or a clear refusal, never an exception.

Each reader gets arbitrary bytes and mutations of a valid file (bytes flipped, cut off, cells filled with
anything). The runs are derandomized and bounded, so they are the same in CI and take seconds."""
from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from portal import ieb
from portal.ieb import lees_wmo407
from portal.kalender import NL
from portal.record60 import Record60Resultaat, lees_record60
from portal.spreadsheets.bestandsvergelijking import write_bestandsvergelijking
from portal.spreadsheets.mutatielijst import MutatielijstResultaat, read_mutaties
from portal.spreadsheets.terugkoppeling import TerugkoppelingResult, read_terugkoppeling
from tests.core.conftest import BSN_DE_VRIES, BSN_JANSEN, b4_rij
from tests.mutatiebestanden import record60, record60_bestand, rij, vul_in
from tests.scenario import client, periode, wmo407

FUZZ = settings(max_examples=100, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Opening and saving a workbook takes a tenth of a second: fewer examples where each one is a workbook.
CELLEN_FUZZ = settings(FUZZ, max_examples=12)
CODES = {"0363"}
B4 = (b4_rij(BSN_JANSEN, "Jansen"), b4_rij(BSN_DE_VRIES, "Vries", voorvoegsel="de"))
GELDIG_B4 = write_bestandsvergelijking(B4, created_at=datetime(2022, 9, 26, 10, 30, tzinfo=NL))
GELDIG_WMO407 = wmo407("FUZZ-1", client(BSN_JANSEN, periode(1)), client(BSN_DE_VRIES, periode(2)))
GELDIGE_MUTATIES = vul_in([rij(), rij(bsn=BSN_DE_VRIES)])
GELDIG_RECORD60 = record60_bestand(record60(), record60(BSN_DE_VRIES, soort="E", start="20180101", einde="20220915"))

celwaarden = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**12, 10**12),
                       st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                       st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
                       st.sampled_from(["0363", BSN_JANSEN, "J", "N", "X", "=1+1", "=HYPERLINK(\"x\")", "01-10-2022",
                                        "\x00", "\u202e", "31-02-2022"]))


@st.composite
def verminkt(draw: st.DrawFn, geldig: bytes) -> bytes:
    """A valid file with some bytes changed, inserted or removed, or cut off."""
    data = bytearray(geldig)
    for _ in range(draw(st.integers(1, 8))):
        soort = draw(st.sampled_from(["wijzig", "voeg_in", "verwijder", "kap_af"]))
        plek = draw(st.integers(0, max(len(data) - 1, 0)))
        if soort == "wijzig" and data:
            data[plek] = draw(st.integers(0, 255))
        elif soort == "voeg_in":
            data[plek:plek] = draw(st.binary(min_size=1, max_size=16))
        elif soort == "verwijder":
            del data[plek:plek + draw(st.integers(1, 16))]
        else:
            del data[plek:]
    return bytes(data)


def invoer(geldig: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=2000), verminkt(geldig))


def met_cellen(geldig: bytes, cellen: dict[tuple[int, int], Any]) -> bytes:
    """The valid workbook with cells overwritten by anything a user could type (where openpyxl takes it)."""
    werkmap = load_workbook(io.BytesIO(geldig))
    blad = werkmap.worksheets[0]
    for (rij_, kolom), waarde in cellen.items():
        try:
            blad.cell(row=rij_, column=kolom, value=waarde)
        except (ValueError, TypeError, IllegalCharacterError):
            blad.cell(row=rij_, column=kolom, value=ascii(waarde))
    uit = io.BytesIO()
    werkmap.save(uit)
    return uit.getvalue()


cellen = st.dictionaries(st.tuples(st.integers(1, 12), st.integers(1, 16)), celwaarden, max_size=12)


@FUZZ
@given(invoer(GELDIG_WMO407))
def test_the_wmo407_reader_answers_any_bytes_with_a_judgement_or_findings(data: bytes) -> None:
    uitkomst = lees_wmo407(data)
    if uitkomst.ok:
        assert uitkomst.bericht is not None
        ieb.beoordeel(uitkomst.bericht, vandaag=date(2022, 10, 3), cbs_codes=frozenset(CODES),
                      register=ieb.InMemoryRegister())
    else:
        assert uitkomst.bevindingen, "a refused message says why"


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), st.sampled_from(
    ["Identificatie", "BSN", "BwStartnummer", "Afzender", "Dagtekening", "DatumStartBw"]))
def test_the_wmo407_reader_answers_any_text_in_any_field_of_a_valid_message(tekst: str, element: str) -> None:
    xml = GELDIG_WMO407.decode()
    begin = xml.find(f"<{element}>") if f"<{element}>" in xml else xml.find(f":{element}>")
    data = GELDIG_WMO407
    if begin >= 0:
        open_einde = xml.index(">", begin) + 1
        sluit = xml.index("</", open_einde)
        data = (xml[:open_einde] + tekst.replace("<", "&lt;").replace("&", "&amp;") + xml[sluit:]).encode()
    uitkomst = lees_wmo407(data)
    assert uitkomst.ok or uitkomst.bevindingen


@FUZZ
@given(invoer(GELDIG_B4))
def test_the_terugkoppeling_reader_answers_any_bytes_with_a_result(data: bytes) -> None:
    uitkomst = read_terugkoppeling(data, gemeentecodes=CODES, b4_rows=B4)
    assert isinstance(uitkomst, TerugkoppelingResult)
    assert uitkomst.geldig or uitkomst.problemen


@CELLEN_FUZZ
@given(cellen)
def test_the_terugkoppeling_reader_answers_any_cell_contents_with_a_result(waarden: dict) -> None:
    uitkomst = read_terugkoppeling(met_cellen(GELDIG_B4, waarden), gemeentecodes=CODES, b4_rows=B4)
    assert isinstance(uitkomst, TerugkoppelingResult)
    assert uitkomst.geldig or uitkomst.problemen
    assert all(str(p) for p in uitkomst.problemen)


@FUZZ
@given(invoer(GELDIGE_MUTATIES))
def test_the_excel_mutation_reader_answers_any_bytes_with_a_result(data: bytes) -> None:
    uitkomst = read_mutaties(data, gemeentecodes=CODES)
    assert isinstance(uitkomst, MutatielijstResultaat)
    assert uitkomst.geldig or uitkomst.problemen


@CELLEN_FUZZ
@given(cellen)
def test_the_excel_mutation_reader_answers_any_cell_contents_with_a_result(waarden: dict) -> None:
    uitkomst = read_mutaties(met_cellen(GELDIGE_MUTATIES, waarden), gemeentecodes=CODES)
    assert isinstance(uitkomst, MutatielijstResultaat)
    assert uitkomst.geldig or uitkomst.problemen


@FUZZ
@given(st.one_of(invoer(GELDIG_RECORD60),
                 st.lists(st.text(max_size=70), max_size=20).map(lambda r: "\r\n".join(r).encode("utf-8", "replace"))))
def test_the_record60_reader_answers_any_bytes_with_a_result(data: bytes) -> None:
    uitkomst = lees_record60(data, gemeentecodes=CODES)
    assert isinstance(uitkomst, Record60Resultaat)
    assert uitkomst.geldig or uitkomst.problemen or not uitkomst.mutaties


def test_an_empty_workbook_is_refused_by_every_spreadsheet_reader_with_a_dutch_sentence() -> None:
    leeg = io.BytesIO()
    Workbook().save(leeg)
    for uitkomst in (read_terugkoppeling(leeg.getvalue(), gemeentecodes=CODES, b4_rows=B4),
                     read_mutaties(leeg.getvalue(), gemeentecodes=CODES)):
        assert not uitkomst.geldig
        assert "bestand" in str(uitkomst.problemen[0]).lower()
