"""The general rules for every .xlsx the portal writes (bestanden.md, "General rules").

- header row 1 in bold (the body font, Calibri 11, named explicitly), frozen below it, autofilter on,
  columns wide enough for their header (with the filter button) and their content; a text wider than
  the widest column wraps;
- every sheet prints well: A4 landscape, all columns on the page width, the header row repeated on
  every page, grid lines, and the sheet's name with the page number in the footer;
- BSN and codes are text cells (leading zeros kept), dates are real date cells shown ``dd-mm-jjjj``;
- a text that starts with ``=``, ``+``, ``-`` or ``@`` is stored as a text string (with Excel's quote
  prefix), never as a formula;
- a sheet ``Toelichting`` explains every column and code in Dutch;
- the same input gives the same bytes: the document properties and the zip entry times come from
  the ``created_at`` argument, never from the clock.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from portal.kalender import to_local, to_utc
from portal.spreadsheets.layout import Column, ColumnType, SheetLayout

FORMULA_PREFIXES = ("=", "+", "-", "@")
TEXT_FORMAT = "@"
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
NUMBER_FORMAT = "0"
# The workbook's body font (openpyxl's default style), in bold. Named in full: a font with only "bold"
# leaves the family and size to the program that opens the file.
FONT_NAME = "Calibri"
FONT_SIZE = 11
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, family=2, bold=True)
MAX_WIDTH = 60
CELL_PADDING = 2  # characters of room beside a cell's text
FILTER_BUTTON = 3  # characters the autofilter's button takes at the right of a header cell
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15  # points: one line of Calibri 11, Excel's default row height
PRINT_MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)  # inches
PRINT_FOOTER = "&A – pagina &P van &N"  # the sheet's name, the page and the number of pages
AUTHOR = "BW-portaal"
TOELICHTING = "Toelichting"


def new_workbook() -> Workbook:
    """An empty workbook without its default sheet."""
    workbook = Workbook()
    default_sheet = workbook.active
    if default_sheet is not None:
        workbook.remove(default_sheet)
    return workbook


def new_sheet(workbook: Workbook, title: str) -> Worksheet:
    """A new sheet at the end of the workbook; workbooks made here are never write-only, so it is a Worksheet."""
    worksheet: Worksheet = workbook.create_sheet(title)
    return worksheet


def cell_at(worksheet: Worksheet, row: int, column: int) -> Cell:
    """The cell at ``row``, ``column``, created when needed. The portal merges no cells, so it is never
    the read-only ``MergedCell`` that openpyxl has inside a merged range."""
    cell = worksheet.cell(row=row, column=column)
    if not isinstance(cell, Cell):
        raise TypeError(f"Cell {cell.coordinate} of sheet '{worksheet.title}' is part of a merged range.")
    return cell


def row_values(layout: SheetLayout, row: Any) -> list[Any]:
    """The cell values of a row: a sequence in column order, or an object (dataclass) with one
    attribute per column (the column name in lower case); missing attributes are empty."""
    if isinstance(row, Sequence) and not isinstance(row, str):
        return list(row) + [None] * (len(layout.columns) - len(row))
    return [getattr(row, column.field, None) for column in layout.columns]


def write_text(cell: Cell, value: Any, digits: int | None = None) -> None:
    """A text cell; never a formula, whatever the text starts with."""
    if isinstance(value, (list, tuple)):
        text = ", ".join(str(part) for part in value)
    elif isinstance(value, int) and not isinstance(value, bool) and digits:
        text = str(value).zfill(digits)
    else:
        text = str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.number_format = TEXT_FORMAT
    if text == "":
        return
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error; this keeps it text
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def write_date(cell: Cell, value: date | datetime | None) -> None:
    cell.number_format = DATE_FORMAT
    if isinstance(value, datetime):
        value = (to_local(value) if value.tzinfo else value).date()
    cell.value = value


def write_datetime(cell: Cell, value: datetime | None) -> None:
    """Excel has no time zones: an aware moment is written as Dutch local wall-clock time."""
    cell.number_format = DATETIME_FORMAT
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = to_local(value).replace(tzinfo=None)
    cell.value = value


def write_number(cell: Cell, value: int | float | None) -> None:
    cell.number_format = NUMBER_FORMAT if not isinstance(value, float) else "General"
    cell.value = value


def write_value(cell: Cell, value: Any) -> None:
    """A cell whose type follows the Python value (for free-form sheets such as Samenvatting)."""
    if value is None:
        return
    if isinstance(value, datetime):
        write_datetime(cell, value)
    elif isinstance(value, date):
        write_date(cell, value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        write_number(cell, value)
    else:
        write_text(cell, value)


def write_cell(cell: Cell, column: Column, value: Any) -> None:
    """A cell in the format its column declares (an empty value still gets the column's format)."""
    if column.type in (ColumnType.TEXT, ColumnType.CODE):
        write_text(cell, "" if value is None else value, column.digits)
    elif column.type == ColumnType.DATE:
        write_date(cell, value)
    elif column.type == ColumnType.DATETIME:
        write_datetime(cell, value)
    else:
        write_number(cell, value)


def write_header(worksheet: Worksheet, names: Sequence[str], row: int = 1) -> None:
    for index, name in enumerate(names, start=1):
        cell = worksheet.cell(row=row, column=index, value=name)
        cell.font = HEADER_FONT


def write_rows(worksheet: Worksheet, layout: SheetLayout, rows: Iterable[Any], first_row: int = 2) -> int:
    """Write data rows from ``first_row`` on; returns the number of the last row written
    (``first_row - 1`` when there were none)."""
    row_number = first_row - 1
    for row_number, row in enumerate(rows, start=first_row):
        values = row_values(layout, row)
        for index, (column, value) in enumerate(zip(layout.columns, values, strict=False), start=1):
            write_cell(cell_at(worksheet, row_number, index), column, value)
    return row_number


# The width of characters in Calibri 11 (and Carlito, its metric twin in LibreOffice), in Excel's
# column-width unit (the width of a digit); bold adds 3%. Coarse classes that err on the wide side.
_CHARACTER_WIDTHS = (
    (frozenset(" 'il,j.I:;ïı"), 0.55),
    (frozenset("`()-f[]J!t{}r"), 0.7),
    (frozenset("MWmw@%&"), 1.8),
    (frozenset("ADGHNOQUV"), 1.35),
)
_OTHER_CAPITAL = 1.1
_OTHER = 1.05
_BOLD = 1.03
_WIDTHS = {character: width for characters, width in _CHARACTER_WIDTHS for character in characters}


def character_width(character: str) -> float:
    width = _WIDTHS.get(character)
    if width is None:
        width = _OTHER_CAPITAL if character.isupper() else _OTHER
    return width


@functools.lru_cache(maxsize=4096)
def text_width(text: str, bold: bool = False) -> float:
    """The width of the widest line of ``text`` in column-width units."""
    widest = max((sum(map(character_width, line)) for line in text.splitlines()), default=0.0)
    return widest * (_BOLD if bold else 1.0)


def wrapped_lines(text: str, width: float) -> int:
    """The number of lines ``text`` takes when wrapped at word boundaries in ``width`` units."""
    space = text_width(" ")
    lines = 0
    for paragraph in text.splitlines() or [""]:
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            word_width = text_width(word)
            if used and used + space + word_width > width:
                lines += 1
                used = word_width
            else:
                used += (space if used else 0.0) + word_width
    return lines


def display_width(value: Any) -> float:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return text_width(str(value))


def finish_table(worksheet: Worksheet, layout: SheetLayout, last_row: int, header_row: int = 1,
                 filter_last_row: int | None = None) -> None:
    """Freeze below the header, autofilter over the table, widen the columns to their header and
    content (wrapping a text wider than the widest column), and set up printing."""
    worksheet.freeze_panes = cell_at(worksheet, header_row + 1, 1)
    worksheet.auto_filter.ref = (
        f"A{header_row}:{layout.last_letter}{max(header_row, filter_last_row or last_row)}"
    )
    lines_per_row: dict[int, int] = {}
    for index, column in enumerate(layout.columns, start=1):
        cells = [cell for (cell,) in worksheet.iter_rows(
            min_row=header_row + 1, max_row=max(header_row, last_row), min_col=index, max_col=index)]
        widths = [display_width(cell.value) + CELL_PADDING for cell in cells]
        widest = max([text_width(column.name, bold=True) + FILTER_BUTTON, *widths])
        width = min(MAX_WIDTH, max(column.width, math.ceil(widest)))
        worksheet.column_dimensions[get_column_letter(index)].width = width
        for cell, cell_width in zip(cells, widths, strict=True):
            if cell_width > width and isinstance(cell, Cell) and isinstance(cell.value, str):
                cell.alignment = WRAP
                lines = wrapped_lines(cell.value, width - CELL_PADDING)
                lines_per_row[cell.row] = max(lines, lines_per_row.get(cell.row, 1))
    # Excel and LibreOffice do not always grow a row for its wrapped text by themselves; the row's other
    # cells then start at the top too.
    for row, lines in lines_per_row.items():
        worksheet.row_dimensions[row].height = LINE_HEIGHT * lines
        for index in range(1, len(layout.columns) + 1):
            cell = cell_at(worksheet, row, index)
            if not cell.alignment.wrap_text:
                cell.alignment = TOP
    set_up_printing(worksheet, header_row)


def set_up_printing(worksheet: Worksheet, header_row: int = 1) -> None:
    """A4 landscape, every column on the page width (as many pages down as needed), the header row on
    every page, grid lines, and the sheet's name and page number in the footer."""
    page = worksheet.page_setup
    page.orientation = "landscape"
    page.paperSize = worksheet.PAPERSIZE_A4
    page.fitToWidth = 1
    page.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_title_rows = f"{header_row}:{header_row}"
    worksheet.print_options.gridLines = True
    worksheet.page_margins = copy(PRINT_MARGINS)
    footer = HeaderFooterItem()
    footer.center.text = PRINT_FOOTER
    worksheet.HeaderFooter.oddFooter = footer


def add_table_sheet(workbook: Workbook, layout: SheetLayout, rows: Iterable[Any]) -> Worksheet:
    """A sheet with a bold, frozen header, the rows, autofilter and fitted widths."""
    worksheet = new_sheet(workbook, layout.title)
    write_header(worksheet, layout.names)
    last_row = write_rows(worksheet, layout, rows)
    finish_table(worksheet, layout, last_row)
    return worksheet


def code_dropdown(column: Column, cell_range: str) -> DataValidation:
    """A drop-down with the codes of a code column; other values are refused by Excel."""
    codes = ", ".join(column.code_values)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(column.code_values) + '"',
        allow_blank=True,
        showDropDown=False,  # (sic) openpyxl: False means the arrow IS shown
        showErrorMessage=True,
        errorTitle="Ongeldige code",
        error=f"Kies een van de codes {codes}. Zie het blad {TOELICHTING} voor de betekenis.",
        showInputMessage=True,
        promptTitle=column.name,
        prompt=f"Kies {codes}.",
    )
    validation.add(cell_range)
    return validation


TOELICHTING_LAYOUT = SheetLayout(
    title=TOELICHTING,
    columns=(
        Column("BLAD", ColumnType.TEXT, True, "Het blad waarop de kolom staat.", width=14),
        Column("KOLOM", ColumnType.CODE, False, "De kolomletter.", width=8),
        Column("NAAM", ColumnType.TEXT, False, "De kolomnaam in de eerste rij van het blad.", width=16),
        Column("SOORT", ColumnType.TEXT, False, "Soort inhoud: tekst, code, datum, getal.", width=10),
        Column("VERPLICHT", ColumnType.TEXT, False, "Of de kolom altijd gevuld moet zijn.", width=11),
        Column("CODE", ColumnType.CODE, False, "Een toegestane code van de kolom.", width=8),
        Column("TOELICHTING", ColumnType.TEXT, True, "Uitleg van de kolom of de code.", width=40),
    ),
    description="Uitleg van elke kolom en elke code in dit bestand.",
)


def toelichting_rows(layouts: Sequence[SheetLayout]) -> list[tuple]:
    rows: list[tuple] = []
    for layout in layouts:
        rows.append((layout.title, None, None, "blad", None, None, layout.description))
        for index, column in enumerate(layout.columns, start=1):
            letter = get_column_letter(index)
            rows.append((layout.title, letter, column.name, column.type.value,
                         "ja" if column.required else "nee", None, column.help))
            for code, meaning in column.codes:
                rows.append((layout.title, letter, column.name, "code", None, code, meaning))
    return rows


def add_toelichting(workbook: Workbook, layouts: Sequence[SheetLayout], notes: Sequence[str] = ()) -> Worksheet:
    """The ``Toelichting`` sheet: every column and every code of the given sheets, then notes."""
    worksheet = add_table_sheet(workbook, TOELICHTING_LAYOUT, toelichting_rows(layouts))
    row = worksheet.max_row + 2
    for note in notes:
        write_text(cell_at(worksheet, row, 1), note)
        row += 1
    return worksheet


def workbook_bytes(workbook: Workbook, created_at: datetime) -> bytes:
    """The .xlsx bytes, identical for identical content and ``created_at`` (an aware moment)."""
    created_utc = to_utc(created_at).replace(tzinfo=None)
    workbook.properties.creator = AUTHOR
    workbook.properties.lastModifiedBy = AUTHOR
    workbook.properties.created = created_utc
    workbook.properties.modified = created_utc
    workbook.active = 0

    raw = BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps "modified" with the clock.
    ExcelWriter(workbook, ZipFile(raw, "w", ZIP_DEFLATED, allowZip64=True)).save()

    local = to_local(created_at)
    stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
    result = BytesIO()
    with ZipFile(BytesIO(raw.getvalue())) as source, ZipFile(result, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return result.getvalue()
