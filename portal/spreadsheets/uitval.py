"""Uitval: the BW periods a gemeente still has to fix, as a row, as the sheet ``Uitval`` and as an .xlsx.

A period (BSN + BwStartNummer) is uitval when the latest message that held it was rejected; which periods
those are, the service decides from the database. Here, without a database: the codes a period got back
(its own, its client's and the message header's, 0200 left out), their Dutch meaning and what the gemeente
does about them, and the one layout that the export and the weekly report both write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from portal.ieb.retourcodes import GEEN_OPMERKING, RETOURCODES, WAT_TE_DOEN
from portal.kalender import to_local
from portal.spreadsheets.layout import Column, ColumnType, SheetLayout, bsn_column
from portal.spreadsheets.writing import StreamingWorkbook, write_tables

ZONDER_EIGEN_CODE = (
    "Geen eigen retourcode: de periode is niet verwerkt omdat een ander deel van hetzelfde bericht is afgekeurd")
ZONDER_EIGEN_CODE_ADVIES = (
    "Aan deze periode zelf is niets fout. Stuur haar opnieuw mee, met hetzelfde BwStartNummer, in het "
    "verbeterde bericht (met een nieuwe berichtidentificatie).")
ONBEKENDE_CODE = "onbekende retourcode"
ONBEKENDE_CODE_ADVIES = "Neem contact op met de servicedesk van het CAK over deze retourcode."


@dataclass(frozen=True)
class Retourcode:
    """A code a period got back, with its meaning and what to do; `code` is empty for a period without
    a code of its own in a rejected message."""

    code: str
    omschrijving: str
    wat_te_doen: str


def uitvalcodes(header: Iterable[str], client: Iterable[str], periode: Iterable[str]) -> tuple[str, ...]:
    """The codes of a period: the header's, then its client's, then its own; each once, without 0200."""
    codes: list[str] = []
    for code in (*header, *client, *periode):
        if code and code != GEEN_OPMERKING and code not in codes:
            codes.append(code)
    return tuple(codes)


def uitleg(codes: Sequence[str]) -> tuple[Retourcode, ...]:
    """Each code with its meaning and what to do; no codes at all: why the period was not processed."""
    if not codes:
        return (Retourcode("", ZONDER_EIGEN_CODE, ZONDER_EIGEN_CODE_ADVIES),)
    return tuple(Retourcode(code, RETOURCODES.get(code, ONBEKENDE_CODE), WAT_TE_DOEN.get(code, ONBEKENDE_CODE_ADVIES))
                 for code in codes)


LAYOUT = SheetLayout(
    title="Uitval",
    columns=(
        bsn_column(),
        Column("BW_STARTNUMMER", ColumnType.NUMBER, True, "Het BwStartNummer van de periode beschermd wonen.",
               width=15),
        Column("BW_STARTDATUM", ColumnType.DATE, True, "BwStartdatum van de periode (dd-mm-jjjj).", width=14),
        Column("BW_EINDDATUM", ColumnType.DATE, False,
               "BwEinddatum van de periode; leeg als de periode doorloopt.", width=14),
        Column("RETOURCODES", ColumnType.CODE, False,
               "De retourcodes van de periode, de cliënt en de header van het bericht, gescheiden door komma's "
               "(0200 weggelaten). Leeg: de periode had zelf geen fout, maar het bericht is afgekeurd om een "
               "ander deel ervan.", width=14),
        Column("OMSCHRIJVING", ColumnType.TEXT, True, "De betekenis van de retourcodes.", width=40),
        Column("WAT_TE_DOEN", ColumnType.TEXT, True, "Wat u doet om de periode alsnog geregistreerd te krijgen.",
               width=60),
        Column("BERICHT_IDENTIFICATIE", ColumnType.CODE, True,
               "Identificatie van het laatste WMO407-bericht met deze periode; dat bericht is afgekeurd.", width=22),
        Column("ONTVANGEN_OP", ColumnType.DATETIME, True,
               "Moment waarop het portaal dat bericht ontving (Nederlandse tijd).", width=17),
    ),
    description=(
        "Uitval: één rij per periode beschermd wonen (BSN en BwStartNummer) waarvan het laatste WMO407-bericht "
        "is afgekeurd, en die nog niet met een later, goedgekeurd bericht is hersteld. Zo'n periode is niet "
        "geregistreerd. Herstel wat de retourcodes zeggen en stuur een nieuw WMO407-bericht met dezelfde "
        "periode (hetzelfde BwStartNummer, of een nieuw nummer met dezelfde begindatum als de retourcode daarom "
        "vraagt); is het goedgekeurd, dan verdwijnt de rij. De oudste staan bovenaan."
    ),
)


@dataclass(frozen=True)
class UitvalRij:
    bsn: str
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None
    codes: tuple[Retourcode, ...]
    bericht_identificatie: str
    ontvangen_op: datetime  # aware

    @property
    def retourcodes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes if c.code)

    @property
    def omschrijving(self) -> str:
        return "; ".join(f"{c.code}: {c.omschrijving}" if c.code else c.omschrijving for c in self.codes)

    @property
    def wat_te_doen(self) -> str:
        return " ".join(f"{c.code}: {c.wat_te_doen}" if c.code and len(self.codes) > 1 else c.wat_te_doen
                        for c in self.codes)


def add_uitval_sheet(book: StreamingWorkbook, rows: Iterable[UitvalRij]) -> None:
    """The sheet ``Uitval``, as the export and the weekly report have it."""
    book.add_table(LAYOUT, rows)


def write_uitval(rows: Sequence[UitvalRij], *, created_at: datetime, notes: Sequence[str] = ()) -> bytes:
    """The uitval as .xlsx bytes: the sheet ``Uitval`` and the ``Toelichting``; ``notes`` (Dutch) below it."""
    return write_tables(created_at, [(LAYOUT, rows)], notes)


def bestandsnaam(prefix: str, moment: datetime) -> str:
    """``<prefix>_Uitval_<yyyymmdd>.xlsx``, the Dutch calendar day of `moment`."""
    return f"{prefix}_Uitval_{to_local(moment):%Y%m%d}.xlsx"
