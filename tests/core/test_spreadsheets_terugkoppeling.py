"""Checking an uploaded terugkoppeling: each rule on its own, all problems at once, and a valid file."""

import io
import zipfile
from datetime import date

import pytest

from portal.spreadsheets.terugkoppeling import read_terugkoppeling

from .conftest import (
    BSN_BAKKER,
    BSN_DE_VRIES,
    BSN_JANSEN,
    BSN_MEIJER,
    BSN_NIEUW,
    BSN_NIEUW_MET_NUL,
    BSN_SMIT,
    BSN_VISSER,
    b4_rij,
)

FIRST_EMPTY_ROW = 8  # the six B4 clients are on rows 2-7

NIEUWE_CLIENT = {
    "A": "0363", "B": BSN_NIEUW, "C": "Mulder", "E": "K.", "F": date(1975, 6, 30), "L": "J",
}


@pytest.fixture
def check(b4_rows):
    def check(content, gemeentecodes=("0363",)):
        return read_terugkoppeling(content, gemeentecodes=set(gemeentecodes), b4_rows=b4_rows)

    return check


def only_problem(result):
    assert not result.geldig
    assert len(result.problemen) == 1, [str(problem) for problem in result.problemen]
    return result.problemen[0]


def with_row(feedback, row, cells):
    return {**feedback, row: {**feedback.get(row, {}), **cells}}


# --- a valid file ------------------------------------------------------------------------------

def test_a_complete_terugkoppeling_is_valid_with_counts_per_code(check, fill_in, complete_feedback):
    result = check(fill_in(complete_feedback))
    assert result.geldig, [str(problem) for problem in result.problemen]
    assert result.problemen == ()
    assert dict(result.aantallen_per_code) == {"J": 1, "O": 1, "U": 1, "V": 1, "N": 1, "X": 1}
    assert result.codes() == {
        BSN_JANSEN: "J", BSN_DE_VRIES: "O", BSN_BAKKER: "U", BSN_VISSER: "V", BSN_SMIT: "N", BSN_MEIJER: "X",
    }


def test_the_rows_carry_the_dates_and_explanations_the_gemeente_filled_in(check, fill_in, complete_feedback):
    rows = {row.bsn: row for row in check(fill_in(complete_feedback)).rijen}
    assert rows[BSN_DE_VRIES].einddatum_gemeente == date(2022, 9, 12)  # a real date cell
    assert rows[BSN_BAKKER].einddatum_gemeente == date(2022, 9, 30)  # text dd-mm-jjjj
    assert rows[BSN_MEIJER].toelichting == "Cliënt verhuist naar het buitenland"
    assert rows[BSN_JANSEN].rij == 2
    assert not rows[BSN_JANSEN].toegevoegd


def test_added_clients_count_as_j_and_carry_their_data(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "D": "van"})
    result = check(fill_in(feedback))
    assert result.geldig, [str(problem) for problem in result.problemen]
    assert result.aantallen_per_code["J"] == 2
    assert result.aantal_toegevoegd == 1
    added = result.rijen[-1]
    assert (added.rij, added.bsn, added.code, added.toegevoegd) == (FIRST_EMPTY_ROW, BSN_NIEUW, "J", True)
    assert added.client.geslachtsnaam == "Mulder"
    assert added.client.voorvoegsel == "van"
    assert added.client.geboortedatum == date(1975, 6, 30)
    assert added.client.gemeentecode == "0363"


def test_a_bsn_typed_as_a_number_is_read_with_its_leading_zero(check, fill_in, complete_feedback):
    # Excel turns a typed 078901236 into the number 78901236
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "B": 78901236})
    feedback[2] = {**feedback[2], "B": 12345672}  # the B4 client 012345672, now a number cell
    result = check(fill_in(feedback))
    assert result.geldig, [str(problem) for problem in result.problemen]
    assert result.codes()[BSN_JANSEN] == "J"
    assert result.codes()[BSN_NIEUW_MET_NUL] == "J"
    assert result.rijen[0].bsn == BSN_JANSEN
    assert result.rijen[-1].bsn == BSN_NIEUW_MET_NUL


def test_a_gemeentecode_typed_as_a_number_is_read_with_its_leading_zero(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "A": 363})
    assert check(fill_in(feedback)).geldig


def test_empty_rows_between_and_after_the_clients_are_ignored(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW + 5, NIEUWE_CLIENT)
    feedback[FIRST_EMPTY_ROW + 2] = {"N": "   "}  # only spaces: still empty
    result = check(fill_in(feedback))
    assert result.geldig, [str(problem) for problem in result.problemen]
    assert result.rijen[-1].rij == FIRST_EMPTY_ROW + 5


def test_codes_in_lower_case_are_accepted(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, 2, {"L": " j "})
    result = check(fill_in(feedback))
    assert result.geldig
    assert result.codes()[BSN_JANSEN] == "J"


def test_a_copy_with_another_sheet_name_but_the_same_columns_is_accepted(check, fill_in, complete_feedback):
    def rename(workbook):
        workbook["Bestandsvergelijking"].title = "Blad1"

    assert check(fill_in(complete_feedback, edit=rename)).geldig


def test_a_region_gemeente_code_in_column_a_is_accepted_when_it_may_be_used(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "A": "0384"})
    assert check(fill_in(feedback), gemeentecodes=("0363", "0384")).geldig


# --- one rule at a time -------------------------------------------------------------------------

def test_a_client_without_a_code_is_reported(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, 5, {"L": None})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom, problem.kolomnaam) == (5, "L", "TERUGKOPPELING")
    assert "De terugkoppeling ontbreekt. Kies een code: J, O, U, V, N of X." in problem.melding


def test_a_code_that_is_not_in_the_list_is_reported(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, 6, {"L": "Q"})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom) == (6, "L")
    assert problem.melding.startswith("'Q' is geen geldige code.")


@pytest.mark.parametrize("code, wat", [("O", "de datum van overlijden"), ("U", "de datum waarop de zorg eindigde")])
def test_an_end_date_is_required_with_o_and_u(check, fill_in, complete_feedback, code, wat):
    feedback = with_row(complete_feedback, 2, {"L": code})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom, problem.kolomnaam) == (2, "M", "EINDDATUM_GEMEENTE")
    assert f"Bij code {code} is een einddatum verplicht" in problem.melding
    assert wat in problem.melding


def test_an_end_date_that_is_not_a_date_is_reported(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, 3, {"M": "31-02-2022"})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom) == (3, "M")
    assert problem.melding.startswith("'31-02-2022' is geen geldige datum. Vul de datum in als dd-mm-jjjj")


def test_an_explanation_is_required_with_x(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, 7, {"N": None})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom, problem.kolomnaam) == (7, "N", "TOELICHTING")
    assert "Bij code X is een toelichting verplicht" in problem.melding


def test_an_added_client_with_a_bsn_that_fails_the_elfproef_is_reported(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "B": "123456789"})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom) == (FIRST_EMPTY_ROW, "B")
    assert "elfproef" in problem.melding


def test_a_bsn_that_is_not_nine_digits_is_reported(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "B": "12345-678"})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom) == (FIRST_EMPTY_ROW, "B")
    assert "een BSN bestaat uit 9 cijfers" in problem.melding


def test_an_added_client_must_have_code_j(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "L": "N"})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom) == (FIRST_EMPTY_ROW, "L")
    assert "krijgt code J" in problem.melding


@pytest.mark.parametrize("letter, name", [("C", "GESLACHTSNAAM"), ("E", "VOORLETTERS"), ("F", "GEBOORTEDATUM")])
def test_an_added_client_needs_its_columns_a_to_f(check, fill_in, complete_feedback, letter, name):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, letter: None})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom, problem.kolomnaam) == (FIRST_EMPTY_ROW, letter, name)
    assert "verplicht" in problem.melding


def test_an_added_client_without_gemeentecode_is_reported(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "A": None})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom) == (FIRST_EMPTY_ROW, "A")
    assert "De gemeentecode ontbreekt" in problem.melding


def test_a_gemeentecode_of_another_gemeente_is_reported(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "A": "0599"})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom, problem.kolomnaam) == (FIRST_EMPTY_ROW, "A", "GEMEENTECODE")
    assert "'0599' hoort niet bij uw gemeente. Gebruik een van deze codes: 0363." in problem.melding


def test_a_client_of_the_b4_added_again_is_a_duplicate(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {**NIEUWE_CLIENT, "B": BSN_SMIT})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom) == (FIRST_EMPTY_ROW, "B")
    assert f"Het BSN {BSN_SMIT} staat ook al op rij 6." in problem.melding


def test_an_added_client_entered_twice_is_a_duplicate(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, NIEUWE_CLIENT)
    feedback = with_row(feedback, FIRST_EMPTY_ROW + 1, NIEUWE_CLIENT)
    problem = only_problem(check(fill_in(feedback)))
    assert problem.rij == FIRST_EMPTY_ROW + 1
    assert f"staat ook al op rij {FIRST_EMPTY_ROW}" in problem.melding


def test_a_client_of_the_b4_that_was_removed_is_reported_as_missing(check, fill_in, complete_feedback):
    def delete_row(workbook):
        worksheet = workbook["Bestandsvergelijking"]
        worksheet.protection.sheet = False
        worksheet.delete_rows(4)  # Bakker

    problem = only_problem(check(fill_in(complete_feedback, edit=delete_row)))
    assert (problem.rij, problem.kolom) == (None, "B")
    assert f"De cliënt met BSN {BSN_BAKKER} (A.B. Bakker, rij 4 van de bestandsvergelijking) ontbreekt." in (
        problem.melding
    )


def test_a_renamed_column_is_reported_on_the_header_row(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, 1, {"C": "NAAM"})
    problem = only_problem(check(fill_in(feedback)))
    assert (problem.rij, problem.kolom, problem.kolomnaam) == (1, "C", "GESLACHTSNAAM")
    assert "Hier staat de kolomkop 'NAAM', maar hier hoort 'GESLACHTSNAAM'." in problem.melding


def test_an_inserted_column_is_reported_once_per_shifted_header(check, fill_in, complete_feedback):
    def insert_column(workbook):
        worksheet = workbook["Bestandsvergelijking"]
        worksheet.insert_cols(3)

    result = check(fill_in(complete_feedback, edit=insert_column))
    assert not result.geldig
    assert [problem.kolom for problem in result.problemen] == list("CDEFGHIJKLMN")
    assert result.rijen == ()


def test_a_workbook_without_the_b4_sheet_is_reported(check, fill_in, complete_feedback):
    def other_sheet(workbook):
        workbook["Bestandsvergelijking"].title = "Blad1"
        workbook["Blad1"]["A1"] = "CODE"

    problem = only_problem(check(fill_in(complete_feedback, edit=other_sheet)))
    assert problem.rij is None
    assert "Het bestand heeft geen blad 'Bestandsvergelijking' (gevonden: 'Blad1', 'Toelichting')." in problem.melding


def test_the_b4_of_another_gemeente_is_reported_as_the_wrong_file(fill_in, complete_feedback):
    andere_b4 = [b4_rij("111111110", "Dekker", gemeentecode="0599"), b4_rij("222222220", "Bos", gemeentecode="0599")]
    result = read_terugkoppeling(fill_in(complete_feedback), gemeentecodes={"0599"}, b4_rows=andere_b4)
    problem = only_problem(result)
    assert problem.melding.startswith("Dit bestand is niet de bestandsvergelijking van uw gemeente")


def test_a_file_without_any_client_is_reported_as_the_wrong_file(check, fill_in):
    def clear(workbook):
        workbook["Bestandsvergelijking"].delete_rows(2, 10)

    assert "niet de bestandsvergelijking" in only_problem(check(fill_in({}, edit=clear))).melding


# --- all at once --------------------------------------------------------------------------------

def test_every_problem_is_reported_at_once_with_its_row_and_column(check, fill_in, complete_feedback):
    feedback = dict(complete_feedback)
    feedback[2] = {"L": None}  # no code
    feedback[3] = {"L": "O", "M": None}  # O without date
    feedback[4] = {"L": "U", "M": "morgen"}  # not a date
    feedback[5] = {"L": "Z"}  # unknown code
    feedback[7] = {"L": "X", "N": None}  # X without explanation
    feedback[FIRST_EMPTY_ROW] = {**NIEUWE_CLIENT, "B": "123456789", "L": "V", "C": None}
    feedback[FIRST_EMPTY_ROW + 1] = {**NIEUWE_CLIENT, "B": BSN_SMIT}  # duplicate

    result = check(fill_in(feedback))
    assert not result.geldig
    assert [(problem.rij, problem.kolom) for problem in result.problemen] == [
        (2, "L"),
        (3, "M"),
        (4, "M"),
        (5, "L"),
        (7, "N"),
        (FIRST_EMPTY_ROW, "B"),
        (FIRST_EMPTY_ROW, "L"),
        (FIRST_EMPTY_ROW, "C"),
        (FIRST_EMPTY_ROW + 1, "B"),
    ]
    assert str(result.problemen[0]) == (
        "Rij 2, kolom L (TERUGKOPPELING): De terugkoppeling ontbreekt. Kies een code: J, O, U, V, N of X."
    )
    # the rows without a problem are still read
    assert {row.bsn for row in result.rijen} == {BSN_SMIT}


# --- edge cases a user meets --------------------------------------------------------------------

def test_a_code_dragged_below_the_last_client_gives_one_message_per_run_of_rows(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, NIEUWE_CLIENT)
    for row in range(FIRST_EMPTY_ROW + 1, FIRST_EMPTY_ROW + 301):
        feedback[row] = {"L": "J"}
    feedback[FIRST_EMPTY_ROW + 310] = {"L": "J"}

    result = check(fill_in(feedback))

    assert [str(problem) for problem in result.problemen] == [
        f"Rij {FIRST_EMPTY_ROW + 1}, kolom L (TERUGKOPPELING): De rijen {FIRST_EMPTY_ROW + 1} tot en met "
        f"{FIRST_EMPTY_ROW + 300} horen bij geen cliënt: maak die rijen leeg. Er staat alleen een code in kolom L, "
        "zonder cliënt ervoor; waarschijnlijk is de code verder naar beneden doorgetrokken dan de laatste cliënt.",
        f"Rij {FIRST_EMPTY_ROW + 310}, kolom L (TERUGKOPPELING): Rij {FIRST_EMPTY_ROW + 310} hoort bij geen cliënt: "
        "maak de rij leeg. Er staat alleen een code in kolom L, zonder cliënt ervoor; waarschijnlijk is de code "
        "verder naar beneden doorgetrokken dan de laatste cliënt.",
    ]
    assert len(result.rijen) == 7 and result.aantal_toegevoegd == 1  # the six B4 clients and the added one


def test_a_row_with_only_a_code_above_the_last_client_still_asks_for_its_client(check, fill_in, complete_feedback):
    feedback = with_row(complete_feedback, FIRST_EMPTY_ROW, {"L": "J"})
    feedback = with_row(feedback, FIRST_EMPTY_ROW + 1, NIEUWE_CLIENT)

    result = check(fill_in(feedback))

    assert [(problem.rij, problem.kolom) for problem in result.problemen] == [
        (FIRST_EMPTY_ROW, "B"), (FIRST_EMPTY_ROW, "A")]
    assert result.problemen[0].melding.startswith("Het BSN ontbreekt.")


@pytest.mark.parametrize("code", ["X", "J"])
def test_a_formula_in_toelichting_is_named_as_a_formula(check, fill_in, complete_feedback, code):
    # Excel makes a formula of text typed as "- verhuisd naar Utrecht"
    feedback = with_row(complete_feedback, 7, {"L": code, "N": "=- verhuisd naar Utrecht"})

    problem = only_problem(check(fill_in(feedback)))

    assert (problem.rij, problem.kolom, problem.kolomnaam) == (7, "N", "TOELICHTING")
    assert problem.melding.startswith("Hier staat een formule (=- verhuisd naar Utrecht), geen tekst.")
    assert "zet er een apostrof (') voor" in problem.melding


def test_text_in_toelichting_that_starts_like_a_formula_but_is_text_is_accepted(check, fill_in, complete_feedback):
    def als_tekst(workbook):
        cell = workbook["Bestandsvergelijking"]["N7"]
        cell.value = "- verhuisd naar Utrecht"
        cell.data_type = "s"

    rows = {row.bsn: row for row in check(fill_in(complete_feedback, edit=als_tekst)).rijen}

    assert rows[BSN_MEIJER].toelichting == "- verhuisd naar Utrecht"


def test_an_opendocument_spreadsheet_is_refused_with_how_to_save_it_as_xlsx_in_libreoffice(check):
    uitvoer = io.BytesIO()
    with zipfile.ZipFile(uitvoer, "w") as archief:
        archief.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archief.writestr("content.xml", "<office:document-content/>")

    problem = only_problem(check(uitvoer.getvalue()))

    assert problem.rij is None
    assert problem.melding == (
        "Het bestand is een OpenDocument-rekenblad (.ods), geen Excel-werkmap (.xlsx). Sla het op als .xlsx: open "
        "het in LibreOffice Calc, kies Bestand › Opslaan als…, kies bij Bestandstype 'Excel 2007-365 (.xlsx)', "
        "klik op Opslaan en bevestig dat u de Excel-indeling wilt gebruiken. Upload daarna het .xlsx-bestand.")


def test_an_xml_file_in_the_terugkoppeling_field_is_named_as_xml(check):
    problem = only_problem(check(b'<?xml version="1.0" encoding="UTF-8"?>\n<wmo407:Bericht/>'))

    assert problem.melding == (
        "Het bestand is een XML-bestand, geen Excel-werkmap (.xlsx). Is het een WMO407-bericht? Lever dat aan bij "
        "'WMO407-berichten aanleveren'; hier hoort een Excel-werkmap.")
