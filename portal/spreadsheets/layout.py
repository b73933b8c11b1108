"""Declared spreadsheet layouts: a sheet is one list of columns that drives writer and reader.

Each column has a name (the header in row 1), a type, whether it is required, a Dutch help text
(shown in the ``Toelichting`` sheet), a minimum width, and for code columns the allowed codes with
their Dutch meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from openpyxl.utils import get_column_letter


class ColumnType(StrEnum):
    TEXT = "tekst"
    CODE = "code"
    DATE = "datum"
    DATETIME = "datum en tijd"
    NUMBER = "getal"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool
    help: str  # Dutch, for the Toelichting sheet
    width: int = 12  # minimum width in characters; the writer widens to fit the content
    codes: tuple[tuple[str, str], ...] = ()  # allowed codes with their Dutch meaning
    digits: int | None = None  # fixed number of digits (BSN 9, gemeentecode 4): leading zeros kept

    @property
    def field(self) -> str:
        """The attribute name of the dataclass row that holds this column (the name in lower case)."""
        return self.name.lower()

    @property
    def code_values(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.codes)


@dataclass(frozen=True)
class SheetLayout:
    title: str
    columns: tuple[Column, ...]
    description: str  # Dutch: what the sheet holds, for the Toelichting sheet

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def letter(self, name: str) -> str:
        return get_column_letter(self.index(name) + 1)

    def index(self, name: str) -> int:
        """0-based position of a column."""
        return self.names.index(name)

    def column(self, name: str) -> Column:
        return self.columns[self.index(name)]

    @property
    def last_letter(self) -> str:
        return get_column_letter(len(self.columns))


# Columns that several layouts share: declared once.
def bsn_column(help: str = "Burgerservicenummer van de cliënt, 9 cijfers (ook met voorloopnul).",
               required: bool = True) -> Column:
    return Column("BSN", ColumnType.TEXT, required, help, width=11, digits=9)


def gemeentecode_column(help: str = "CBS-code van de gemeente die verantwoordelijk is voor de cliënt, 4 cijfers.",
                        required: bool = True) -> Column:
    return Column("GEMEENTECODE", ColumnType.CODE, required, help, width=14, digits=4)


SOORT_BIJDRAGE_CODES = (
    ("LEB", "lage eigen bijdrage"),
    ("HEB", "hoge eigen bijdrage"),
)

BRON_CODES = (
    ("H&V", "aangemeld via de H&V-app"),
    ("EXCEL", "aangemeld via het Excel-bestand voor aan- en afmelden"),
    ("60-RECORD", "aangemeld via een 60-record-bestand"),
    ("IEB", "aangemeld met een WMO407-bericht (iEb 2.0); alleen in de tweemaandelijkse bestandsvergelijking"),
)

JA_NEE_CODES = (
    ("J", "ja"),
    ("N", "nee"),
)
