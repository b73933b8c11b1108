"""Reading the old start/stop sheet (EXCEL channel): a filled-in template is read into mutations; every
problem is reported with its row, column letter, column name and a Dutch message, all at once."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from portal.mutaties import weigering_na_sluiting
from portal.spreadsheets.mutatielijst import read_mutaties
from tests.mutatiebestanden import BSN_BAKKER, BSN_DE_VRIES, BSN_JANSEN, NA, VOOR, rij, vul_in

CODES = {"0363", "0384"}


def lees(inhoud: bytes):
    return read_mutaties(inhoud, gemeentecodes=CODES)


def plaatsen(resultaat) -> list[tuple[int | None, str | None]]:
    return [(p.rij, p.kolom) for p in resultaat.problemen]


def test_a_filled_in_template_is_read_into_its_mutations_and_the_empty_template_rows_are_ignored():
    resultaat = lees(vul_in([rij(), rij(bsn=BSN_DE_VRIES, soort_mutatie="stop", datum_einde_bw=VOOR,
                                     gemeentecode="384", voorvoegsel="de", geslachtsnaam="Vries")]))
    assert resultaat.geldig, [str(p) for p in resultaat.problemen]
    [(rij2, jansen), (rij3, de_vries)] = resultaat.mutaties
    assert (rij2, jansen.bsn, jansen.soort_mutatie, jansen.datum_start_bw, jansen.datum_einde_bw) == (
        2, BSN_JANSEN, "START", VOOR, None)
    assert (rij3, de_vries.gemeentecode, de_vries.soort_mutatie, de_vries.voorvoegsel) == (3, "0384", "STOP", "de")
    assert de_vries.mutatiedatum == VOOR


def test_dates_typed_as_text_and_a_bsn_typed_as_a_number_are_read_as_a_user_means_them():
    resultaat = lees(vul_in([rij(bsn=12345672, datum_start_bw="15-09-2022", geboortedatum="1960-01-02")]))
    assert resultaat.geldig, [str(p) for p in resultaat.problemen]
    [(_, mutatie)] = resultaat.mutaties
    assert (mutatie.bsn, mutatie.datum_start_bw, mutatie.geboortedatum) == (BSN_JANSEN, VOOR, date(1960, 1, 2))


def test_every_kind_of_bad_row_is_reported_with_row_column_and_name_all_at_once():
    resultaat = lees(vul_in([
        rij(bsn="123456789"),                                    # row 2: elfproef
        rij(gemeentecode="0599"),                                # row 3: not this gemeente's code
        rij(soort_mutatie="STOP"),                               # row 4: STOP without an end date
        rij(datum_start_bw=NA, datum_einde_bw=VOOR),             # row 5: end before start
        rij(leveringsvorm="ABC", soort_bijdrage="XEB", woonsituatie="ALLEEN"),  # row 6: codes
        rij(geslachtsnaam=None, datum_start_bw="31-02-2022"),    # row 7: missing, and not a date
        rij(aanbieder_agb="1234567X"),                           # row 8: AGB
        rij(bsn=BSN_BAKKER),                                     # row 9: fine
    ]))
    assert plaatsen(resultaat) == [
        (2, "B"), (3, "A"), (4, "I"), (5, "I"), (6, "L"), (6, "M"), (6, "N"), (7, "C"), (7, "H"), (8, "J")]
    tekst = [str(p) for p in resultaat.problemen]
    assert tekst[0].startswith("Rij 2, kolom B (BSN): Het BSN 123456789 is niet geldig (het voldoet niet aan de "
                               "elfproef).")
    assert "De gemeentecode 0599 hoort niet bij uw gemeente. Gebruik een van deze codes: 0363, 0384." in tekst[1]
    assert "Bij een afmelding (STOP) is DATUM_EINDE_BW verplicht" in tekst[2]
    assert "DATUM_EINDE_BW (15-09-2022) ligt vóór DATUM_START_BW (15-10-2022)" in tekst[3]
    assert "'ABC' is geen geldige waarde voor LEVERINGSVORM. Kies ZIN of PGB." in tekst[4]
    assert "GESLACHTSNAAM ontbreekt. Vul de geslachtsnaam van de cliënt in." in tekst[7]
    assert "'31-02-2022' is geen geldige datum. Vul de datum in als dd-mm-jjjj" in tekst[8]
    assert "'1234567X' is geen AGB-code: die bestaat uit 8 cijfers." in tekst[9]
    assert [r for r, _ in resultaat.mutaties] == [9]


def test_a_sheet_with_other_columns_is_reported_per_column_header():
    workbook = Workbook()
    blad = workbook.active
    blad.title = "Mutaties"
    blad.append(["GEMEENTECODE", "BURGERSERVICENUMMER"])
    uit = io.BytesIO()
    workbook.save(uit)
    resultaat = lees(uit.getvalue())
    assert plaatsen(resultaat)[:3] == [(1, "B"), (1, "C"), (1, "D")]
    assert "Hier staat de kolomkop 'BURGERSERVICENUMMER', maar hier hoort 'BSN'." in str(resultaat.problemen[0])


def test_an_empty_template_a_file_that_is_no_xlsx_and_a_missing_sheet_are_one_problem_each():
    assert "bevat geen enkele mutatie" in str(lees(vul_in([])).problemen[0])
    [geen_xlsx] = lees(b"60 dit is tekst").problemen
    assert "geen Excel-bestand" in geen_xlsx.melding
    workbook = Workbook()
    workbook.active.title = "Blad1"
    uit = io.BytesIO()
    workbook.save(uit)
    [geen_blad] = lees(uit.getvalue()).problemen
    assert geen_blad.melding.startswith("Het bestand heeft geen blad 'Mutaties' (gevonden: 'Blad1').")


def test_the_closing_rule_accepts_an_open_channel_and_a_mutation_before_the_peildatum_and_refuses_the_rest():
    def regel(open_: bool, dag: date) -> str | None:
        return weigering_na_sluiting(kanaalnaam="Excel (aan- en afmeldlijst)", gemeentenaam="Amsterdam",
                                     open_=open_, peildatum=date(2022, 10, 1), data=(dag,))

    assert regel(True, NA) is None
    assert regel(False, date(2022, 9, 30)) is None
    weigering = regel(False, date(2022, 10, 1))
    assert weigering is not None
    assert "vóór 01-10-2022" in weigering and weigering.endswith("Meld deze cliënt aan of af met een WMO407-bericht.")
