"""The missing-WMO407 report at the end of the migration period.

One row per BW client active at CAK (B4 data, no end date before the report date) for whom no accepted
WMO407 period arrived. The CAK's copy covers all gemeenten; each gemeente's copy only its own
(select the B4 rows accordingly).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from portal.spreadsheets.bestandsvergelijking import TERUGKOPPELING_CODES, B4Rij
from portal.spreadsheets.layout import BRON_CODES, Column, ColumnType, SheetLayout, bsn_column, gemeentecode_column
from portal.spreadsheets.writing import write_tables

TOELICHTING_LOOPT_DOOR = "eigen bijdrage loopt door op basis van de H&V-aanmelding"

LAYOUT = SheetLayout(
    title="Ontbrekende WMO407",
    columns=(
        gemeentecode_column(),
        bsn_column(),
        Column("GESLACHTSNAAM", ColumnType.TEXT, True, "Geslachtsnaam van de cliënt.", width=20),
        Column("VOORLETTERS", ColumnType.TEXT, True, "Voorletters van de cliënt.", width=12),
        Column("DATUM_START_BW", ColumnType.DATE, True,
               "Begindatum van beschermd wonen zoals bekend bij het CAK (dd-mm-jjjj).", width=15),
        Column("BRON", ColumnType.CODE, True, "Het kanaal waarlangs de cliënt bij het CAK is aangemeld.",
               width=10, codes=BRON_CODES),
        Column("TERUGKOPPELING", ColumnType.CODE, False,
               "De code die de gemeente in de terugkoppeling gaf; leeg als er geen was.",
               width=16, codes=TERUGKOPPELING_CODES),
        Column("TOELICHTING", ColumnType.TEXT, True, "Wat er met de eigen bijdrage gebeurt.", width=40),
    ),
    description=(
        "Cliënten beschermd wonen die bij het CAK actief zijn, maar voor wie geen goedgekeurd "
        "WMO407-bericht is ontvangen. Hun eigen bijdrage loopt door op basis van de oude aanmelding; "
        "het CAK neemt contact op met de gemeente."
    ),
)


@dataclass(frozen=True)
class OntbrekendeRij:
    gemeentecode: str
    bsn: str
    geslachtsnaam: str
    voorletters: str
    datum_start_bw: date | None
    bron: str
    terugkoppeling: str | None
    toelichting: str = TOELICHTING_LOOPT_DOOR


def select_ontbrekende(
    b4_rows: Iterable[B4Rij],
    geaccepteerde_bsns: Collection[str],
    terugkoppeling: Mapping[str, str],
    peildatum: date,
) -> list[OntbrekendeRij]:
    """The clients active at CAK on ``peildatum`` (no DATUM_EINDE_BW before it) without an accepted
    WMO407 period, sorted by gemeentecode and BSN."""
    rows = [
        OntbrekendeRij(row.gemeentecode, row.bsn, row.geslachtsnaam, row.voorletters, row.datum_start_bw,
                       row.bron, terugkoppeling.get(row.bsn))
        for row in b4_rows
        if row.bsn not in geaccepteerde_bsns
        and (row.datum_einde_bw is None or row.datum_einde_bw >= peildatum)
    ]
    return sorted(rows, key=lambda row: (row.gemeentecode, row.bsn))


def write_ontbrekende_wmo407(rows: Sequence[OntbrekendeRij], *, created_at: datetime) -> bytes:
    """The missing-WMO407 report as .xlsx bytes."""
    return write_tables(created_at, [(LAYOUT, rows)])
