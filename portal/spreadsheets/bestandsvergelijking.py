"""The B4 bestandsvergelijking (CAK -> gemeente), sheet ``Bestandsvergelijking``, columns A-N.

The same layout and writer serve the bimonthly comparison. Columns A-K hold the CAK's data and are
protected (sheet protection without a password); L-N are for the gemeente's terugkoppeling. Below the
last client an empty block of rows has A-F and L-N unlocked so the gemeente can add clients the CAK
does not know (code J).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from portal.spreadsheets.layout import (
    BRON_CODES,
    SOORT_BIJDRAGE_CODES,
    Column,
    ColumnType,
    SheetLayout,
    bsn_column,
    gemeentecode_column,
)
from portal.spreadsheets.writing import StreamingWorkbook

SHEET = "Bestandsvergelijking"
EMPTY_ROWS = 500
"""Unlocked empty rows below the last client, for clients the gemeente adds."""

TERUGKOPPELING_CODES = (
    ("J", "wordt aangemeld via iEb 2.0 (WMO407)"),
    ("O", "niet aangeleverd: cliënt is overleden (datum in kolom M)"),
    ("U", "niet aangeleverd: zorg beëindigd of cliënt vertrokken (datum in kolom M)"),
    ("V", "niet aangeleverd: een andere gemeente is verantwoordelijk"),
    ("N", "niet aangeleverd: cliënt is onbekend bij de gemeente"),
    ("X", "niet aangeleverd: andere reden (toelichting in kolom N)"),
)
CODES_MET_EINDDATUM = ("O", "U")
CODES_MET_TOELICHTING = ("X",)
CODE_TOEGEVOEGD = "J"

LAYOUT = SheetLayout(
    title=SHEET,
    columns=(
        gemeentecode_column(),
        bsn_column(),
        Column("GESLACHTSNAAM", ColumnType.TEXT, True, "Geslachtsnaam van de cliënt.", width=20),
        Column("VOORVOEGSEL", ColumnType.TEXT, False, "Voorvoegsel van de geslachtsnaam; mag leeg zijn.", width=12),
        Column("VOORLETTERS", ColumnType.TEXT, True, "Voorletters van de cliënt.", width=12),
        Column("GEBOORTEDATUM", ColumnType.DATE, True, "Geboortedatum van de cliënt (dd-mm-jjjj).", width=14),
        Column("DATUM_START_BW", ColumnType.DATE, True,
               "Begindatum van beschermd wonen zoals bekend bij het CAK (dd-mm-jjjj).", width=15),
        Column("DATUM_EINDE_BW", ColumnType.DATE, False,
               "Einddatum van beschermd wonen zoals bekend bij het CAK; leeg als de zorg doorloopt.", width=15),
        Column("BRON", ColumnType.CODE, True,
               "Het kanaal waarlangs de cliënt bij het CAK is aangemeld.", width=10, codes=BRON_CODES),
        Column("AANBIEDER_AGB", ColumnType.CODE, True, "AGB-code van de zorgaanbieder, 8 cijfers.", width=14, digits=8),
        Column("SOORT_BIJDRAGE", ColumnType.CODE, True,
               "Soort eigen bijdrage die het CAK nu oplegt.", width=15, codes=SOORT_BIJDRAGE_CODES),
        Column("TERUGKOPPELING", ColumnType.CODE, True,
               "In te vullen door de gemeente: kies per cliënt een code uit de keuzelijst.",
               width=16, codes=TERUGKOPPELING_CODES),
        Column("EINDDATUM_GEMEENTE", ColumnType.DATE, False,
               "In te vullen door de gemeente: datum van overlijden (O) of einde zorg (U), dd-mm-jjjj. "
               "Verplicht bij O en U.", width=19),
        Column("TOELICHTING", ColumnType.TEXT, False,
               "In te vullen door de gemeente: uitleg bij de code. Verplicht bij X.", width=30),
    ),
    description=(
        "Alle cliënten beschermd wonen die bij het CAK actief zijn voor deze gemeente. "
        "Kolom A tot en met K zijn beveiligd; vul per cliënt kolom L in, en waar nodig M en N."
    ),
)

CAK_COLUMNS = 11  # A-K: the CAK's data, protected
ADDED_ROW_COLUMNS = 6  # A-F: what the gemeente fills in for an added client

NOTES = (
    "Zo vult u de terugkoppeling in:",
    "1. Kies in kolom L (TERUGKOPPELING) voor elke cliënt een code: J, O, U, V, N of X.",
    "2. Vul bij O en U in kolom M (EINDDATUM_GEMEENTE) de datum in, als dd-mm-jjjj.",
    "3. Vul bij X in kolom N (TOELICHTING) de reden in.",
    "4. Kent het CAK een cliënt niet, vul dan onder de laatste cliënt een nieuwe rij in: "
    "kolom A tot en met F (BSN met 9 cijfers) en code J in kolom L.",
    "5. Wijzig de kolommen niet en upload dit bestand in het portaal.",
)


@dataclass(frozen=True)
class B4Rij:
    """One client in the B4 (columns A-K)."""

    gemeentecode: str
    bsn: str
    geslachtsnaam: str
    voorvoegsel: str | None
    voorletters: str
    geboortedatum: date | None
    datum_start_bw: date | None
    datum_einde_bw: date | None
    bron: str
    aanbieder_agb: str
    soort_bijdrage: str


def write_bestandsvergelijking(
    rows: Iterable[B4Rij | Sequence], *, created_at: datetime, empty_rows: int = EMPTY_ROWS
) -> bytes:
    """The B4 (or bimonthly) bestandsvergelijking as .xlsx bytes. ``rows`` may be an iterator (rows streamed
    from the database): each is written as it comes, as a B4Rij or as a tuple of columns A-K."""
    book = StreamingWorkbook(created_at)
    sheet = book.table(LAYOUT)
    gemeente_columns = range(CAK_COLUMNS, len(LAYOUT.columns))  # L-N: the gemeente's terugkoppeling
    sheet.add_rows(rows, unlocked=gemeente_columns)
    last_row = sheet.add_empty_rows(empty_rows, unlocked=[*range(ADDED_ROW_COLUMNS), *gemeente_columns])
    if last_row >= 2:
        sheet.dropdown("TERUGKOPPELING", last_row)
        sheet.date_check("EINDDATUM_GEMEENTE", last_row)
    sheet.finish(filter_last_row=last_row)
    sheet.protect()
    book.add_toelichting([LAYOUT], NOTES)
    return book.bytes()
