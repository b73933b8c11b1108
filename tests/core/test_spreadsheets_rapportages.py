"""The aanleverrapportage, the weekly report, the verslag, the missing-WMO407 report, the old
start/stop template and the file names."""

from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO

from openpyxl import load_workbook

from portal.aansluiting import bepaal_aansluiting
from portal.productafname import bepaal_productafname
from portal.spreadsheets import bestandsnamen
from portal.spreadsheets.aanleverrapportage import BerichtRij, ProductafnameRij, write_aanleverrapportage
from portal.spreadsheets.mutaties import TEMPLATE_FILENAME, write_mutaties_template
from portal.spreadsheets.ontbrekende_wmo407 import select_ontbrekende, write_ontbrekende_wmo407
from portal.spreadsheets.verslag import VerslagGegevens, write_verslag

from .conftest import BSN_BAKKER, BSN_DE_VRIES, BSN_JANSEN, BSN_VISSER, GEMAAKT_OP, b4_rij

MIGRATIE = date(2022, 10, 1)
ONTVANGEN = datetime(2022, 10, 4, 9, 15, tzinfo=UTC)


def read(content):
    return load_workbook(BytesIO(content))


def header(worksheet, row=1):
    return [cell.value for cell in worksheet[row]]


def values(worksheet, min_row):
    return [list(row) for row in worksheet.iter_rows(min_row=min_row, values_only=True)]


def report(aansluiting=None):
    berichten = [
        BerichtRij("MIG0363-0001", date(2022, 10, 4), ONTVANGEN, BSN_JANSEN, 1001, MIGRATIE, None, "1",
                   ("0200", "0200"), "Geen opmerking", "goedgekeurd"),
        BerichtRij("MIG0363-0002", date(2022, 10, 4), ONTVANGEN, BSN_DE_VRIES, 1002, MIGRATIE, None, "1",
                   ("9056", "9404"), "Identificatie van het bericht is niet uniek voor deze afzender; "
                   "Er bestaat al een aanlevering met dit BwStartNummer", "afgekeurd"),
    ]
    minderjarig = bepaal_productafname(bw_startdatum=MIGRATIE, bw_einddatum=None,
                                       geboortedatum=date(2006, 1, 1), soort_bijdrage_cak="LEB")
    volwassen = bepaal_productafname(bw_startdatum=MIGRATIE, bw_einddatum=None,
                                     geboortedatum=date(1980, 1, 1), soort_bijdrage_cak=None)
    productafname = [
        ProductafnameRij.van(BSN_JANSEN, 1001, MIGRATIE, None, volwassen),
        ProductafnameRij.van(BSN_BAKKER, 1003, MIGRATIE, None, minderjarig),
    ]
    return read(write_aanleverrapportage(berichten, productafname, aansluiting=aansluiting, created_at=GEMAAKT_OP))


def test_the_berichten_sheet_has_one_row_per_period_with_its_retourcodes():
    worksheet = report()["Berichten"]
    assert header(worksheet) == [
        "BERICHT_IDENTIFICATIE", "DAGTEKENING", "ONTVANGEN_OP", "BSN", "BW_STARTNUMMER", "BW_STARTDATUM",
        "BW_EINDDATUM", "STATUS_AANLEVERING", "RETOURCODES", "OMSCHRIJVING", "RESULTAAT",
    ]
    rows = values(worksheet, 2)
    assert rows[0][3:6] == [BSN_JANSEN, 1001, datetime(2022, 10, 1)]
    assert rows[1][8] == "9056, 9404"
    assert rows[1][10] == "afgekeurd"


def test_the_productafname_sheet_shows_the_decision_per_period():
    worksheet = report()["Productafname"]
    assert header(worksheet) == [
        "BSN", "BW_STARTNUMMER", "BW_STARTDATUM", "BW_EINDDATUM", "EIGEN_BIJDRAGE_OPGELEGD",
        "SOORT_BIJDRAGE", "REDEN_GEEN_EIGEN_BIJDRAGE", "INGANGSDATUM_EIGEN_BIJDRAGE",
    ]
    rows = values(worksheet, 2)
    assert rows[0][4:] == ["J", "HEB", None, datetime(2022, 10, 1)]
    assert rows[1][4:] == ["N", None, "Cliënt is minderjarig", None]


def test_the_weekly_report_has_no_aansluiting_sheet():
    assert report().sheetnames == ["Berichten", "Productafname", "Toelichting"]


def test_the_wednesday_report_has_the_aansluiting_with_the_verdict_on_its_first_line():
    aansluiting = bepaal_aansluiting(
        {BSN_JANSEN: "J", BSN_DE_VRIES: "J", BSN_VISSER: "O"}, {BSN_JANSEN: [MIGRATIE]}, [BSN_DE_VRIES], MIGRATIE
    )
    workbook = report(aansluiting)
    assert workbook.sheetnames == ["Berichten", "Productafname", "Aansluiting", "Toelichting"]
    worksheet = workbook["Aansluiting"]
    assert worksheet["A1"].value == "Oordeel: niet correct. 1 van de 2 cliënten ok; verschillen: 1 afgekeurd."
    assert worksheet["A1"].font.b
    assert header(worksheet, 2) == ["BSN", "TERUGKOPPELING", "ONTVANGEN", "BW_STARTDATUM", "UITKOMST"]
    assert values(worksheet, 3) == [
        [BSN_JANSEN, "J", "J", datetime(2022, 10, 1), "ok"],
        [BSN_DE_VRIES, "J", "N", None, "afgekeurd"],
    ]


def test_the_verslag_summarises_the_migration_and_the_akkoord():
    aansluiting = bepaal_aansluiting({BSN_JANSEN: "J", BSN_DE_VRIES: "J"},
                                     {BSN_JANSEN: [MIGRATIE], BSN_DE_VRIES: [MIGRATIE]}, [], MIGRATIE)
    gegevens = VerslagGegevens(
        gemeentecode="0363", gemeentenaam="Amsterdam", timeslot=date(2022, 10, 3), aantal_in_b4=3,
        aantallen_per_code={"J": 2, "O": 1}, aantal_toegevoegd=0, aantal_berichten_ontvangen=3,
        aantal_berichten_goedgekeurd=2, akkoord_door="C. Medewerker",
        akkoord_op=datetime(2022, 10, 5, 9, 0, tzinfo=UTC), afwijking=None,
    )
    workbook = read(write_verslag(gegevens, aansluiting, created_at=GEMAAKT_OP))
    assert workbook.sheetnames == ["Samenvatting", "Aansluiting", "Toelichting"]
    summary = dict(workbook["Samenvatting"].iter_rows(min_row=2, values_only=True))
    assert summary["Gemeente"] == "0363 Amsterdam"
    assert summary["Timeslot (maandag)"] == datetime(2022, 10, 3)
    assert summary["Cliënten in de bestandsvergelijking"] == 3
    assert summary["Terugkoppeling J: wordt aangemeld via iEb 2.0 (WMO407)"] == 2
    assert summary["Terugkoppeling X: niet aangeleverd: andere reden (toelichting in kolom N)"] == 0
    assert summary["Verwacht (code J)"] == 2
    assert summary["WMO407-berichten goedgekeurd"] == 2
    assert summary["Aansluiting ok"] == 2
    assert summary["Aansluiting ontbreekt"] == 0
    assert summary["Akkoord gegeven door"] == "C. Medewerker"
    assert summary["Akkoord gegeven op"] == datetime(2022, 10, 5, 11, 0)  # Dutch summer time
    assert summary["Geaccepteerde afwijking"] == "geen"
    assert workbook["Aansluiting"]["A1"].value.startswith("Oordeel: correct.")


def test_the_missing_wmo407_report_lists_active_clients_without_an_accepted_period():
    b4 = [
        b4_rij(BSN_JANSEN, "Jansen"),  # accepted: not listed
        b4_rij(BSN_DE_VRIES, "Vries", gemeentecode="0384"),  # missing
        b4_rij(BSN_BAKKER, "Bakker"),  # ended before the report date: not listed
        b4_rij(BSN_VISSER, "Visser", bron="EXCEL"),  # ends on the report date: still active
    ]
    b4[2] = replace(b4[2], datum_einde_bw=date(2022, 11, 13))
    b4[3] = replace(b4[3], datum_einde_bw=date(2022, 11, 14))
    rows = select_ontbrekende(b4, {BSN_JANSEN}, {BSN_DE_VRIES: "J"}, peildatum=date(2022, 11, 14))
    assert [(row.gemeentecode, row.bsn, row.terugkoppeling) for row in rows] == [
        ("0363", BSN_VISSER, None),
        ("0384", BSN_DE_VRIES, "J"),
    ]
    worksheet = read(write_ontbrekende_wmo407(rows, created_at=GEMAAKT_OP)).worksheets[0]
    assert header(worksheet) == [
        "GEMEENTECODE", "BSN", "GESLACHTSNAAM", "VOORLETTERS", "DATUM_START_BW", "BRON", "TERUGKOPPELING",
        "TOELICHTING",
    ]
    assert values(worksheet, 2)[0] == [
        "0363", BSN_VISSER, "Visser", "A.B.", datetime(2019, 3, 1), "EXCEL", None,
        "eigen bijdrage loopt door op basis van de H&V-aanmelding",
    ]


def test_the_old_start_stop_template_is_empty_with_drop_downs_for_the_codes():
    workbook = read(write_mutaties_template(created_at=GEMAAKT_OP))
    worksheet = workbook["Mutaties"]
    assert header(worksheet) == [
        "GEMEENTECODE", "BSN", "GESLACHTSNAAM", "VOORVOEGSEL", "VOORLETTERS", "GEBOORTEDATUM", "SOORT_MUTATIE",
        "DATUM_START_BW", "DATUM_EINDE_BW", "AANBIEDER_AGB", "AANBIEDER_NAAM", "LEVERINGSVORM", "SOORT_BIJDRAGE",
        "WOONSITUATIE", "TOELICHTING",
    ]
    assert all(value is None for row in values(worksheet, 2) for value in row)
    assert worksheet["B2"].number_format == "@"
    dropdowns = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in worksheet.data_validations.dataValidation}
    assert dropdowns == {
        "G2": '"START,STOP"',
        "L2": '"ZIN,PGB"',
        "M2": '"LEB,HEB"',
        "N2": '"ALLEENSTAAND,PARTNER_IN_BW,PARTNER_THUIS,KINDEREN_THUIS"',
    }
    assert TEMPLATE_FILENAME == "Aan- en afmelden BW voor 1-10-2022.xlsx"


def test_file_names_use_the_prefix_and_the_date_of_the_calendar_step():
    prefix = bestandsnamen.default_prefix("0363")
    assert prefix == "680363"
    dag = date(2022, 9, 26)
    assert bestandsnamen.b4_bestandsvergelijking(prefix, dag) == "680363_B4_Bestandsvergelijking_20220926.xlsx"
    assert bestandsnamen.aanleverrapportage(prefix, dag) == "680363_AanleverrapportageBW_20220926.xlsx"
    assert bestandsnamen.verslag(prefix, dag) == "680363_Verslag_Migratie_20220926.xlsx"
    assert bestandsnamen.ontbrekende_wmo407(prefix, dag) == "680363_Ontbrekende407_20220926.xlsx"
    assert bestandsnamen.bimaandelijkse_vergelijking(prefix, dag) == "680363_Bestandsvergelijking_BW_20220926.xlsx"
    assert bestandsnamen.wmo408(prefix, "R0001") == "680363_WMO408_R0001.xml"
    assert bestandsnamen.MUTATIES_SJABLOON == "Aan- en afmelden BW voor 1-10-2022.xlsx"
