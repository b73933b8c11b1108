"""The rejected periods of one WMO407, or of every message with one retourcode, as an .xlsx to fix them by.

One row per BW period as it stood in a rejected message, with the codes it got back (those of the
period, its client and the message's header) and their Dutch meaning. The sheet gets the same
treatment as every sheet the portal writes (header, freeze, autofilter, Toelichting).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from portal.kalender import to_local
from portal.spreadsheets.aanleverrapportage import STATUS_AANLEVERING_CODES
from portal.spreadsheets.layout import Column, ColumnType, SheetLayout, bsn_column
from portal.spreadsheets.writing import write_tables

LAYOUT = SheetLayout(
    title="Afgekeurde perioden",
    columns=(
        Column("BERICHT_IDENTIFICATIE", ColumnType.CODE, True, "Identificatie van het WMO407-bericht.", width=22),
        Column("DAGTEKENING", ColumnType.DATE, True, "Dagtekening van het bericht (dd-mm-jjjj).", width=12),
        Column("ONTVANGEN_OP", ColumnType.DATETIME, True,
               "Moment waarop het portaal het bericht ontving (Nederlandse tijd).", width=17),
        bsn_column(),
        Column("BW_STARTNUMMER", ColumnType.NUMBER, True, "Het BwStartNummer van de periode beschermd wonen.",
               width=15),
        Column("BW_STARTDATUM", ColumnType.DATE, True, "BwStartdatum van de periode (dd-mm-jjjj).", width=14),
        Column("BW_EINDDATUM", ColumnType.DATE, False,
               "BwEinddatum van de periode; leeg als de periode doorloopt.", width=14),
        Column("STATUS_AANLEVERING", ColumnType.CODE, True, "StatusAanlevering van de periode.",
               width=19, codes=STATUS_AANLEVERING_CODES),
        Column("RETOURCODES", ColumnType.CODE, True,
               "De retourcodes van de periode, de cliënt en de header, gescheiden door komma's; 0200 betekent: "
               "geen opmerking bij deze periode (ze is afgekeurd omdat het hele bericht is afgekeurd).", width=14),
        Column("OMSCHRIJVING", ColumnType.TEXT, True, "De betekenis van de retourcodes.", width=40),
    ),
    description=(
        "Eén rij per periode beschermd wonen uit een afgekeurd WMO407-bericht, met de retourcodes die ze "
        "terugkreeg. Niets uit een afgekeurd bericht is geregistreerd: verbeter de perioden en lever ze opnieuw "
        "aan in een bericht met een nieuwe Identificatie."
    ),
)


@dataclass(frozen=True)
class AfgekeurdePeriodeRij:
    bericht_identificatie: str
    dagtekening: date
    ontvangen_op: datetime
    bsn: str
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None
    status_aanlevering: str
    retourcodes: tuple[str, ...]
    omschrijving: str


def write_afgekeurde_perioden(rows: Sequence[AfgekeurdePeriodeRij], *, created_at: datetime,
                              notes: Sequence[str] = ()) -> bytes:
    """The rejected periods as .xlsx bytes; ``notes`` (Dutch) go below the Toelichting."""
    return write_tables(created_at, [(LAYOUT, rows)], notes)


def bestandsnaam(prefix: str, onderwerp: str, moment: datetime) -> str:
    """``<prefix>_AfgekeurdePerioden_<onderwerp>_<yyyymmdd>.xlsx``; the subject (an Identificatie or a
    retourcode) keeps only letters, digits and hyphens."""
    veilig = re.sub(r"[^A-Za-z0-9-]+", "-", onderwerp).strip("-") or "bericht"
    return f"{prefix}_AfgekeurdePerioden_{veilig}_{to_local(moment):%Y%m%d}.xlsx"
