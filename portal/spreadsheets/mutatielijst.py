"""Reading an uploaded old start/stop sheet (the ``EXCEL`` channel, sheet ``Mutaties``), driven by its LAYOUT.

The upload is opened with the limits of ``reading.py``; the sheet ``Mutaties`` (or else the first sheet
with exactly these column headers) is read; empty rows (the template's 500 formatted rows) are ignored;
each filled row is read by its column's type and checked by ``portal.mutaties.maak_mutatie``, the checks
the H&V form and the 60-record share. Every problem is reported at once, with its row, column letter,
column name and a Dutch message that says what to do. Nothing here raises on a bad upload.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portal.mutaties import Mutatie, maak_mutatie
from portal.spreadsheets.layout import ColumnType
from portal.spreadsheets.mutaties import LAYOUT, SHEET
from portal.spreadsheets.reading import (
    DEFAULT_LIMITS,
    NotADate,
    OngeldigBestand,
    UploadLimits,
    is_empty,
    opened_xlsx_upload,
    read_date,
    read_digits,
    read_text,
)
from portal.spreadsheets.terugkoppeling import Probleem

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 10_000
MARGE_RIJEN = 500
"""Rows a sheet may have beyond the header and MAX_ROWS (blank lines); more is refused before it is read."""
"""Filled rows above this are refused: the sheet is for a handful of mutations."""

_OPNIEUW = ("Gebruik het sjabloon 'Aan- en afmelden BW voor 1-10-2022.xlsx' uit de map van uw gemeente, "
            "vul per mutatie één rij in en upload het opnieuw.")


@dataclass(frozen=True)
class MutatielijstResultaat:
    problemen: tuple[Probleem, ...]
    mutaties: tuple[tuple[int, Mutatie], ...]  # (row number, mutation) of the rows without problems

    @property
    def geldig(self) -> bool:
        return not self.problemen


def probleem(rij: int | None, veld: str, melding: str) -> Probleem:
    """A problem of one field of a row, placed at the field's column."""
    column = next(c for c in LAYOUT.columns if c.field == veld)
    return Probleem(rij, LAYOUT.letter(column.name), column.name, melding)


def _header(worksheet: Worksheet) -> list[Any]:
    for row in worksheet.iter_rows(min_row=1, max_row=1, max_col=len(LAYOUT.columns), values_only=True):
        return list(row) + [None] * (len(LAYOUT.columns) - len(row))
    return [None] * len(LAYOUT.columns)


def _header_matches(values: Sequence[Any]) -> bool:
    return [(read_text(value) or "").upper() for value in values] == list(LAYOUT.names)


def _header_problems(header: Sequence[Any]) -> list[Probleem]:
    problemen = []
    for value, column in zip(header, LAYOUT.columns, strict=False):
        found = read_text(value)
        if (found or "").upper() == column.name:
            continue
        wat = (f"De kolomkop ontbreekt; hier hoort '{column.name}'." if found is None
               else f"Hier staat de kolomkop '{found}', maar hier hoort '{column.name}'.")
        problemen.append(Probleem(1, LAYOUT.letter(column.name), column.name,
                                  f"{wat} Voeg geen kolommen toe en verwijder of verplaats ze niet. {_OPNIEUW}"))
    return problemen


def _rows(content: bytes, limits: UploadLimits) -> list[tuple[int, list[Any]]] | list[Probleem]:
    """The filled rows as (row number, values); or the problems with the file or its headers."""
    with opened_xlsx_upload(content, limits.met_rijen(1 + MAX_ROWS + MARGE_RIJEN)) as workbook:
        worksheet: Worksheet | None = None
        if SHEET in workbook.sheetnames:
            worksheet = workbook[SHEET]
        else:
            worksheet = next((ws for ws in workbook.worksheets if _header_matches(_header(ws))), None)
        if worksheet is None:
            gevonden = ", ".join(f"'{name}'" for name in workbook.sheetnames)
            raise OngeldigBestand(f"Het bestand heeft geen blad '{SHEET}' (gevonden: {gevonden}). {_OPNIEUW}")
        header = _header(worksheet)
        if not _header_matches(header):
            return _header_problems(header)
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(
                worksheet.iter_rows(min_row=2, max_col=len(LAYOUT.columns), values_only=True), start=2):
            values = list(cells) + [None] * (len(LAYOUT.columns) - len(cells))
            if all(is_empty(value) for value in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS:
                raise OngeldigBestand(f"Het bestand heeft meer dan {MAX_ROWS} gevulde rijen. Verdeel de mutaties "
                                      "over meerdere bestanden en upload ze afzonderlijk.")
        return rows


def read_mutaties(content: bytes, *, gemeentecodes: Collection[str],
                  limits: UploadLimits = DEFAULT_LIMITS) -> MutatielijstResultaat:
    """Read and check an uploaded start/stop sheet. ``gemeentecodes``: the codes column A may hold."""
    try:
        gelezen = _rows(content, limits)
    except OngeldigBestand as error:
        return MutatielijstResultaat((Probleem(None, None, None, str(error)),), ())
    except Exception:
        return MutatielijstResultaat((Probleem(None, None, None, (
            "Het Excel-bestand kan niet worden gelezen; het is mogelijk beschadigd. Sla het in Excel opnieuw op "
            "als Excel-werkmap (.xlsx) en upload het opnieuw.")),), ())
    if gelezen and isinstance(gelezen[0], Probleem):
        return MutatielijstResultaat(tuple(p for p in gelezen if isinstance(p, Probleem)), ())
    rows = [r for r in gelezen if isinstance(r, tuple)]
    if not rows:
        return MutatielijstResultaat((Probleem(None, None, None, (
            f"Het blad '{SHEET}' bevat geen enkele mutatie. Vul per mutatie één rij in onder de kolomkoppen en "
            "upload het bestand opnieuw.")),), ())

    problemen: list[Probleem] = []
    mutaties: list[tuple[int, Mutatie]] = []
    for number, values in rows:
        waarden: dict[str, Any] = {}
        rij_problemen: list[Probleem] = []
        for column, value in zip(LAYOUT.columns, values, strict=True):
            if column.type == ColumnType.DATE:
                try:
                    waarden[column.field] = read_date(value)
                except NotADate as error:
                    rij_problemen.append(probleem(number, column.field, (
                        f"'{error}' is geen geldige datum. Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-09-2022.")))
            elif column.digits is not None:
                waarden[column.field] = read_digits(value, column.digits)
            else:
                waarden[column.field] = read_text(value)
        al_fout = {p.kolomnaam.lower() for p in rij_problemen if p.kolomnaam}
        mutatie, fouten = maak_mutatie(waarden, gemeentecodes=gemeentecodes, al_fout=al_fout)
        rij_problemen += [probleem(number, f.veld, f.melding) for f in fouten]
        problemen += sorted(rij_problemen, key=lambda p: LAYOUT.index(p.kolomnaam or ""))
        if mutatie is not None:
            mutaties.append((number, mutatie))
    return MutatielijstResultaat(tuple(problemen), tuple(mutaties))

