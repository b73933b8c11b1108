"""The verslag sent with the CAK's akkoord on the delivery: sheets ``Samenvatting`` and ``Aansluiting``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.aansluiting import Aansluiting, Uitkomst, oordeel_tekst
from portal.spreadsheets.aanleverrapportage import AANSLUITING, add_aansluiting_sheet
from portal.spreadsheets.bestandsvergelijking import TERUGKOPPELING_CODES
from portal.spreadsheets.layout import Column, ColumnType, SheetLayout
from portal.spreadsheets.writing import StreamingWorkbook

SAMENVATTING = SheetLayout(
    title="Samenvatting",
    columns=(
        Column("ONDERDEEL", ColumnType.TEXT, True, "Wat er geteld of vastgelegd is.", width=30),
        Column("WAARDE", ColumnType.TEXT, False, "Het aantal, de datum of de tekst.", width=20),
    ),
    description=(
        "Samenvatting van de migratie van de gemeente: de bestandsvergelijking, de terugkoppeling, "
        "de ontvangen berichten, de aansluiting en het akkoord van het CAK."
    ),
)


@dataclass(frozen=True)
class VerslagGegevens:
    gemeentecode: str
    gemeentenaam: str
    timeslot: date
    aantal_in_b4: int
    aantallen_per_code: Mapping[str, int]  # the approved terugkoppeling, added rows counted as J
    aantal_toegevoegd: int
    aantal_berichten_ontvangen: int  # WMO407 messages received
    aantal_berichten_goedgekeurd: int  # of which accepted
    akkoord_door: str | None
    akkoord_op: datetime | None  # aware
    afwijking: str | None  # a deviation the CAK accepted, with its reason


def samenvatting_rows(gegevens: VerslagGegevens, aansluiting: Aansluiting) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("Gemeente", f"{gegevens.gemeentecode} {gegevens.gemeentenaam}"),
        ("Timeslot (maandag)", gegevens.timeslot),
        ("Cliënten in de bestandsvergelijking", gegevens.aantal_in_b4),
    ]
    for code, meaning in TERUGKOPPELING_CODES:
        rows.append((f"Terugkoppeling {code}: {meaning}", gegevens.aantallen_per_code.get(code, 0)))
    rows += [
        ("Waarvan toegevoegd door de gemeente", gegevens.aantal_toegevoegd),
        ("Verwacht (code J)", aansluiting.aantal_verwacht),
        ("Cliënten ontvangen", aansluiting.aantal_ontvangen),
        ("WMO407-berichten ontvangen", gegevens.aantal_berichten_ontvangen),
        ("WMO407-berichten goedgekeurd", gegevens.aantal_berichten_goedgekeurd),
    ]
    for uitkomst in Uitkomst:
        rows.append((f"Aansluiting {uitkomst.value}", aansluiting.aantallen.get(uitkomst, 0)))
    rows += [
        ("Oordeel", oordeel_tekst(aansluiting)),
        ("Akkoord gegeven door", gegevens.akkoord_door or ""),
        ("Akkoord gegeven op", gegevens.akkoord_op),
        ("Geaccepteerde afwijking", gegevens.afwijking or "geen"),
    ]
    return rows


def write_verslag(gegevens: VerslagGegevens, aansluiting: Aansluiting, *, created_at: datetime) -> bytes:
    """The verslag as .xlsx bytes."""
    book = StreamingWorkbook(created_at)
    sheet = book.table(SAMENVATTING)
    sheet.add_value_rows(samenvatting_rows(gegevens, aansluiting))
    sheet.finish()
    add_aansluiting_sheet(book, aansluiting)
    book.add_toelichting([SAMENVATTING, AANSLUITING])
    return book.bytes()
