"""The old start/stop sheet of the ``EXCEL`` channel, sheet ``Mutaties``, and its empty template.

The extra columns (provider, leveringsvorm, woonsituatie) exist because the CAK processes this
channel by hand to choose LEB or HEB; iEb 2.0 does not carry them. The reader is not built yet; it
will check rows like the terugkoppeling (all problems at once, per row) from this same layout.
"""

from __future__ import annotations

from datetime import datetime

from portal.spreadsheets.layout import (
    SOORT_BIJDRAGE_CODES,
    Column,
    ColumnType,
    SheetLayout,
    bsn_column,
    gemeentecode_column,
)
from portal.spreadsheets.writing import StreamingWorkbook

TEMPLATE_FILENAME = "Aan- en afmelden BW voor 1-10-2022.xlsx"
SHEET = "Mutaties"
TEMPLATE_ROWS = 500

SOORT_MUTATIE_CODES = (
    ("START", "aanmelden: de cliënt begint met beschermd wonen"),
    ("STOP", "afmelden: het beschermd wonen is beëindigd (DATUM_EINDE_BW verplicht)"),
)
LEVERINGSVORM_CODES = (
    ("ZIN", "zorg in natura"),
    ("PGB", "persoonsgebonden budget"),
)
WOONSITUATIE_CODES = (
    ("ALLEENSTAAND", "de cliënt is alleenstaand"),
    ("PARTNER_IN_BW", "de partner woont ook in beschermd wonen"),
    ("PARTNER_THUIS", "de partner woont thuis"),
    ("KINDEREN_THUIS", "er wonen kinderen thuis"),
)

LAYOUT = SheetLayout(
    title=SHEET,
    columns=(
        gemeentecode_column(),
        bsn_column(),
        Column("GESLACHTSNAAM", ColumnType.TEXT, True, "Geslachtsnaam van de cliënt.", width=20),
        Column("VOORVOEGSEL", ColumnType.TEXT, False, "Voorvoegsel van de geslachtsnaam; mag leeg zijn.", width=12),
        Column("VOORLETTERS", ColumnType.TEXT, True, "Voorletters van de cliënt.", width=12),
        Column("GEBOORTEDATUM", ColumnType.DATE, True, "Geboortedatum van de cliënt (dd-mm-jjjj).", width=14),
        Column("SOORT_MUTATIE", ColumnType.CODE, True, "Aanmelden (START) of afmelden (STOP).",
               width=14, codes=SOORT_MUTATIE_CODES),
        Column("DATUM_START_BW", ColumnType.DATE, True, "Begindatum van beschermd wonen (dd-mm-jjjj).", width=15),
        Column("DATUM_EINDE_BW", ColumnType.DATE, False,
               "Einddatum van beschermd wonen (dd-mm-jjjj); verplicht bij STOP.", width=15),
        Column("AANBIEDER_AGB", ColumnType.CODE, True, "AGB-code van de zorgaanbieder, 8 cijfers.", width=14, digits=8),
        Column("AANBIEDER_NAAM", ColumnType.TEXT, True, "Naam van de zorgaanbieder.", width=20),
        Column("LEVERINGSVORM", ColumnType.CODE, True, "Hoe de zorg wordt geleverd.", width=14,
               codes=LEVERINGSVORM_CODES),
        Column("SOORT_BIJDRAGE", ColumnType.CODE, True, "Soort eigen bijdrage.", width=15,
               codes=SOORT_BIJDRAGE_CODES),
        Column("WOONSITUATIE", ColumnType.CODE, True, "De woonsituatie van de cliënt en zijn huishouden.",
               width=16, codes=WOONSITUATIE_CODES),
        Column("TOELICHTING", ColumnType.TEXT, False, "Vrije tekst voor het CAK.", width=30),
    ),
    description=(
        "Aan- en afmeldingen van cliënten beschermd wonen met een begin- of einddatum vóór 1-10-2022. "
        "Eén rij per mutatie. Vanaf 1-10-2022 meldt u aan en af met het WMO407-bericht."
    ),
)

NOTES = (
    "Dit sjabloon is alleen voor mutaties met een begin- of einddatum vóór 1-10-2022.",
    "Vul per mutatie één rij in; kies de codes uit de keuzelijsten. Datums als dd-mm-jjjj.",
)


def write_mutaties_template(*, created_at: datetime, rows: int = TEMPLATE_ROWS) -> bytes:
    """The empty template, with formatted rows and drop-downs for every code column."""
    book = StreamingWorkbook(created_at)
    sheet = book.table(LAYOUT)
    last_row = sheet.add_empty_rows(rows)
    for column in LAYOUT.columns:
        if column.codes:
            sheet.dropdown(column.name, last_row)
    sheet.finish(filter_last_row=last_row)
    book.add_toelichting([LAYOUT], NOTES)
    return book.bytes()
