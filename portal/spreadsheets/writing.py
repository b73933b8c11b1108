"""The general rules for every .xlsx the portal writes (bestanden.md, "General rules"), streamed.

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

How: XlsxWriter in its ``constant_memory`` mode. Every row goes to a temporary file as soon as the next
row starts, so a sheet of 30,000 rows takes no more memory than one of 30; strings are stored inline in
the cells (no shared-string table to keep). The sheet's XML is assembled when the workbook closes, with
the ``<cols>`` element written then: the column widths are the widest value seen per column while
streaming (no look-ahead, no second pass). Whether a text wraps is known per cell as it is written: a
column is never wider than ``MAX_WIDTH``, so exactly the texts wider than that wrap, at that width, and
their row's height and top alignment are set before the row is written. openpyxl remains the reader.
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zipfile import ZipFile

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from portal.kalender import to_local, to_utc
from portal.spreadsheets.layout import Column, ColumnType, SheetLayout

FORMULA_PREFIXES = ("=", "+", "-", "@")
TEXT_FORMAT = "@"
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
NUMBER_FORMAT = "0"
# The workbook's body font, in bold. Named in full: a font with only "bold" leaves the family and size to
# the program that opens the file.
FONT_NAME = "Calibri"
FONT_SIZE = 11
MAX_WIDTH = 60
CELL_PADDING = 2  # characters of room beside a cell's text
FILTER_BUTTON = 3  # characters the autofilter's button takes at the right of a header cell
COLUMN_PADDING_PIXELS = 5
DIGIT_PIXELS = 7  # Calibri 11's digit width in pixels
LINE_HEIGHT = 15  # points: one line of Calibri 11, Excel's default row height
PRINT_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6}  # inches
HEADER_FOOTER_MARGIN = 0.3
PRINT_FOOTER = "&A – pagina &P van &N"  # the sheet's name, the page and the number of pages
PAPER_A4 = 9
AUTHOR = "BW-portaal"
TOELICHTING = "Toelichting"


# The width of characters in Calibri 11 (and Carlito, its metric twin in LibreOffice), in Excel's
# column-width unit (the width of a digit); bold adds 3%. Coarse classes that err on the wide side.
_CHARACTER_WIDTHS = (
    (frozenset(" 'il,j.I:;ïı"), 0.55),
    (frozenset("`()-f[]J!t{}r"), 0.7),
    (frozenset("MWmw@%&"), 1.8),
    (frozenset("ADGHNOQUV"), 1.35),
)
_WIDEST_CHARACTER = 1.8
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


def as_text(value: Any, digits: int | None = None) -> str:
    """The text of a text cell: a list joined with commas, a number given for a code padded to its digits,
    control characters (which XML cannot hold) dropped."""
    if isinstance(value, (list, tuple)):
        text = ", ".join(str(part) for part in value)
    elif isinstance(value, int) and not isinstance(value, bool) and digits:
        text = str(value).zfill(digits)
    else:
        text = str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def as_date(value: date | datetime | None) -> date | None:
    """A date cell's value: an aware moment becomes its Dutch calendar day."""
    if isinstance(value, datetime):
        return (to_local(value) if value.tzinfo else value).date()
    return value


def as_wall_clock(value: datetime | None) -> datetime | None:
    """Excel has no time zones: an aware moment is written as Dutch local wall-clock time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return to_local(value).replace(tzinfo=None)
    return value


def row_values(layout: SheetLayout, row: Any) -> Sequence[Any]:
    """The cell values of a row: a sequence in column order, or an object (dataclass) with one
    attribute per column (the column name in lower case); missing attributes are empty."""
    if isinstance(row, Sequence) and not isinstance(row, str):
        return row
    return [getattr(row, column.field, None) for column in layout.columns]


# A cell as it is about to be written is (kind, value, the kind whose format it takes when empty).
_TEXT, _DATE, _DATETIME, _INTEGER, _FLOAT, _BLANK = range(6)
_NUMBER_FORMATS = {_TEXT: TEXT_FORMAT, _DATE: DATE_FORMAT, _DATETIME: DATETIME_FORMAT, _INTEGER: NUMBER_FORMAT,
                   _FLOAT: None}
_FIXED_WIDTHS = {_DATE: 10.0, _DATETIME: 16.0}
_DIGIT_WIDTH = character_width("0")
_LONGEST_UNWRAPPED = (MAX_WIDTH - CELL_PADDING) / _WIDEST_CHARACTER  # a longer text may need to wrap
Cell = tuple[int, Any, int]


def _cell_reader(column: Column) -> Callable[[Any], Cell]:
    """The function that turns a value into a cell of the type its column declares (an empty value still
    gets the column's format)."""
    kind = column.type
    if kind in (ColumnType.TEXT, ColumnType.CODE):
        empty: Cell = (_BLANK, None, _TEXT)
        digits = column.digits

        def text_cell(value: Any) -> Cell:
            if value is None:
                return empty
            if value.__class__ is str and value.isprintable():  # the common case: nothing to convert or drop
                return (_TEXT, value, _TEXT) if value else empty
            text = as_text(value, digits)
            return (_TEXT, text, _TEXT) if text else empty
        return text_cell
    if kind == ColumnType.DATE:
        empty_date: Cell = (_BLANK, None, _DATE)
        return lambda value: empty_date if value is None else (_DATE, as_date(value), _DATE)
    if kind == ColumnType.DATETIME:
        empty_moment: Cell = (_BLANK, None, _DATETIME)
        return lambda value: empty_moment if value is None else (_DATETIME, as_wall_clock(value), _DATETIME)
    empty_number: Cell = (_BLANK, None, _INTEGER)
    return lambda value: empty_number if value is None else (
        (_FLOAT, value, _FLOAT) if isinstance(value, float) else (_INTEGER, value, _INTEGER))


def _value_cell(value: Any) -> Cell:
    """A cell whose type follows the Python value (for free-form sheets such as Samenvatting); empty
    without a format."""
    if value is None:
        return _BLANK, None, _FLOAT
    if isinstance(value, datetime):
        return _DATETIME, as_wall_clock(value), _DATETIME
    if isinstance(value, date):
        return _DATE, value, _DATE
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (_FLOAT, value, _FLOAT) if isinstance(value, float) else (_INTEGER, value, _INTEGER)
    text = as_text(value)
    return (_TEXT, text, _TEXT) if text else (_BLANK, None, _TEXT)


class StreamingWorkbook:
    """An .xlsx written row by row to temporary files; its bytes once every sheet is written."""

    def __init__(self, created_at: datetime) -> None:
        self.created_at = created_at
        self._output = BytesIO()
        self._workbook = Workbook(self._output, {
            "constant_memory": True,
            # write_string never makes a formula, a number or a link of a text; these keep it so for write().
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
        })
        created_utc = to_utc(created_at).replace(tzinfo=None)
        self._workbook.set_properties({"author": AUTHOR, "created": created_utc})
        self._formats: dict[tuple[Any, ...], Format] = {}

    def format(self, kind: int, *, bold: bool = False, wrap: bool = False, top: bool = False,
               quote: bool = False, unlocked: bool = False) -> Format | None:
        """The one cell format for this combination (XlsxWriter would store every added format anew)."""
        key = (kind, bold, wrap, top, quote, unlocked)
        if key not in self._formats:
            properties: dict[str, Any] = {}
            number_format = _NUMBER_FORMATS.get(kind)
            if number_format:
                properties["num_format"] = number_format
            if bold:
                properties.update(bold=True, font_name=FONT_NAME, font_size=FONT_SIZE)
            if wrap:
                properties["text_wrap"] = True
            if wrap or top:
                properties["valign"] = "top"
            if quote:
                properties["quote_prefix"] = True
            if unlocked:
                properties["locked"] = False
            self._formats[key] = self._workbook.add_format(properties)
        return self._formats[key]

    def table(self, layout: SheetLayout, *, verdict: str | None = None) -> TableSheet:
        """A new sheet for ``layout``: its bold header on row 1, or on row 2 below a bold ``verdict``."""
        return TableSheet(self, self._workbook.add_worksheet(layout.title), layout, verdict)

    def add_table(self, layout: SheetLayout, rows: Iterable[Any]) -> TableSheet:
        """A sheet with a bold, frozen header, the rows, autofilter, fitted widths and print set-up."""
        sheet = self.table(layout)
        sheet.add_rows(rows)
        sheet.finish()
        return sheet

    def add_toelichting(self, layouts: Sequence[SheetLayout], notes: Sequence[str] = ()) -> TableSheet:
        """The ``Toelichting`` sheet: every column and every code of the given sheets, then notes."""
        sheet = self.add_table(TOELICHTING_LAYOUT, toelichting_rows(layouts))
        sheet.add_notes(notes)
        return sheet

    def bytes(self) -> bytes:
        """The .xlsx bytes, identical for identical content and ``created_at`` (an aware moment)."""
        self._workbook.close()
        local = to_local(self.created_at)
        stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
        return stamp_zip_entries(self._output.getvalue(), stamp)


class TableSheet:
    """One sheet of a layout, written top to bottom: header, rows, then ``finish``."""

    def __init__(self, book: StreamingWorkbook, worksheet: Worksheet, layout: SheetLayout,
                 verdict: str | None) -> None:
        self.book = book
        self.worksheet = worksheet
        self.layout = layout
        self.header_row = 1  # 1-based, as the user sees it
        if verdict is not None:
            _check(worksheet.write_string(0, 0, as_text(verdict), book.format(_TEXT, bold=True)))
            self.header_row = 2
        header = book.format(_BLANK, bold=True)
        for index, name in enumerate(layout.names):
            _check(worksheet.write_string(self.header_row - 1, index, name, header))
        self.last_row = self.header_row
        self._widest = [text_width(column.name, bold=True) + FILTER_BUTTON for column in layout.columns]
        self._minimum = [column.width for column in layout.columns]
        self._plain: dict[frozenset[int], list[list[Format | None]]] = {}

    def add_rows(self, rows: Iterable[Any], *, unlocked: Iterable[int] = ()) -> int:
        """Write the rows below the last one, each cell in its column's type; ``unlocked`` are the 0-based
        columns a protected sheet leaves editable. Returns the number of the last row written."""
        readers = [_cell_reader(column) for column in self.layout.columns]
        missing = [None] * len(readers)
        open_columns = frozenset(unlocked)
        layout = self.layout
        write = self._write
        for row in rows:
            values = row_values(layout, row)
            if len(values) < len(readers):
                values = [*values, *missing]
            write([read(value) for read, value in zip(readers, values, strict=False)], open_columns)
        return self.last_row

    def add_empty_rows(self, count: int, *, unlocked: Iterable[int] = ()) -> int:
        """``count`` empty rows in the columns' formats (for the user to fill in); returns the last row."""
        empty = [_cell_reader(column)(None) for column in self.layout.columns]
        open_columns = frozenset(unlocked)
        for _ in range(count):
            self._write(empty, open_columns)
        return self.last_row

    def add_value_rows(self, rows: Iterable[Sequence[Any]]) -> int:
        """Rows whose cells take the type of their Python value (a free-form sheet such as Samenvatting)."""
        for row in rows:
            self._write([_value_cell(value) for value in row], frozenset())
        return self.last_row

    def _plain_formats(self, unlocked: frozenset[int]) -> list[list[Format | None]]:
        """Per column, per kind: the format of a cell that neither wraps nor looks like a formula."""
        formats = self._plain.get(unlocked)
        if formats is None:
            formats = [[self.book.format(kind, unlocked=index in unlocked) for kind in range(_BLANK)]
                       for index in range(len(self.layout.columns))]
            self._plain[unlocked] = formats
        return formats

    def _widen(self, cells: list[Cell]) -> tuple[set[int], int]:
        """Widen the columns to these cells; which of them wrap, and the number of lines the row then takes."""
        widest = self._widest
        wrapped: set[int] = set()
        lines = 1
        for index, (kind, value, _) in enumerate(cells):
            if kind == _BLANK:
                continue
            if kind == _TEXT:
                length = len(value)
                # A cheap bound first: most texts can neither be the widest of their column nor wrap.
                if length * _WIDEST_CHARACTER + CELL_PADDING <= widest[index] and length <= _LONGEST_UNWRAPPED:
                    continue
                if value.isascii() and value.isdigit():
                    width = length * _DIGIT_WIDTH + CELL_PADDING
                else:
                    width = text_width(value) + CELL_PADDING
                if width > MAX_WIDTH:
                    wrapped.add(index)
                    lines = max(lines, wrapped_lines(value, MAX_WIDTH - CELL_PADDING))
            elif kind in _FIXED_WIDTHS:
                width = _FIXED_WIDTHS[kind] + CELL_PADDING
            else:
                text = str(value)
                if len(text) * _WIDEST_CHARACTER + CELL_PADDING <= widest[index]:
                    continue
                width = text_width(text) + CELL_PADDING
            if width > widest[index]:
                widest[index] = width
        return wrapped, lines

    def _write(self, cells: list[Cell], unlocked: frozenset[int]) -> None:
        row = self.last_row  # the 0-based index of the row after the last one
        wrapped, lines = self._widen(cells)
        worksheet, book = self.worksheet, self.book
        plain = self._plain_formats(unlocked)
        if wrapped:
            # Excel and LibreOffice do not always grow a row for its wrapped text by themselves; the row's
            # other cells then start at the top too.
            worksheet.set_row(row, LINE_HEIGHT * lines)
        for index, (kind, value, empty_kind) in enumerate(cells):
            if kind == _BLANK:
                if wrapped:
                    cell_format = book.format(empty_kind, top=True, unlocked=index in unlocked)
                elif empty_kind == _FLOAT and index not in unlocked:
                    continue  # an empty cell without a format of its own is no cell
                else:
                    cell_format = plain[index][empty_kind]
                worksheet.write_blank(row, index, None, cell_format)
                continue
            quote = kind == _TEXT and value.startswith(FORMULA_PREFIXES)
            if wrapped or quote:
                cell_format = book.format(kind, wrap=index in wrapped, top=bool(wrapped), quote=quote,
                                          unlocked=index in unlocked)
            else:
                cell_format = plain[index][kind]
            if kind == _TEXT:
                result = worksheet.write_string(row, index, value, cell_format)
            elif kind in _FIXED_WIDTHS:
                result = worksheet.write_datetime(row, index, value, cell_format)
            else:
                result = worksheet.write_number(row, index, value, cell_format)
            if result:
                _check(result)
        self.last_row += 1

    def add_notes(self, notes: Sequence[str]) -> None:
        """Lines of text in column A, one empty row below the table; they do not widen the column."""
        text = self.book.format(_TEXT)
        for offset, note in enumerate(notes, start=1):
            _check(self.worksheet.write_string(self.last_row + offset, 0, as_text(note), text))
        if notes:
            self.last_row += len(notes) + 1

    def dropdown(self, name: str, last_row: int) -> None:
        """A drop-down with the codes of a code column, from below the header to ``last_row``; other values
        are refused by Excel."""
        column = self.layout.column(name)
        codes = ", ".join(column.code_values)
        self._validation(name, last_row, {
            "validate": "list", "source": list(column.code_values), "ignore_blank": True, "dropdown": True,
            "show_error": True, "error_title": "Ongeldige code",
            "error_message": f"Kies een van de codes {codes}. Zie het blad {TOELICHTING} voor de betekenis.",
            "show_input": True, "input_title": column.name, "input_message": f"Kies {codes}.",
        })

    def date_check(self, name: str, last_row: int) -> None:
        """Only dates in the column, from below the header to ``last_row``."""
        self._validation(name, last_row, {
            "validate": "date", "criteria": ">", "value": 1, "ignore_blank": True, "show_error": True,
            "error_title": "Ongeldige datum", "error_message": "Vul een datum in als dd-mm-jjjj.",
            "show_input": False,
        })

    def _validation(self, name: str, last_row: int, options: dict[str, Any]) -> None:
        index = self.layout.index(name)
        _check(self.worksheet.data_validation(self.header_row, index, last_row - 1, index, options))

    def protect(self) -> None:
        """Sheet protection without a password (it prevents mistakes, it is not a secret); filtering,
        sorting and widening columns stay allowed."""
        self.worksheet.protect("", {"autofilter": True, "sort": True, "format_columns": True})

    def finish(self, filter_last_row: int | None = None) -> None:
        """Freeze below the header, autofilter over the table (to ``filter_last_row`` when the rows to fill
        in reach further), the widths of the columns, and the print set-up."""
        worksheet, header = self.worksheet, self.header_row
        worksheet.freeze_panes(header, 0)
        last = max(header, filter_last_row or self.last_row)
        worksheet.autofilter(header - 1, 0, last - 1, len(self.layout.columns) - 1)
        for index, (widest, minimum) in enumerate(zip(self._widest, self._minimum, strict=True)):
            width = min(MAX_WIDTH, max(minimum, math.ceil(widest)))
            # XlsxWriter stores a width with Excel's 5 pixels of cell padding added (a digit is 7 pixels);
            # taking them off here stores exactly ``width`` digit widths, the unit the widths are computed in.
            worksheet.set_column(index, index, width - COLUMN_PADDING_PIXELS / DIGIT_PIXELS)
        set_up_printing(worksheet, header)


def set_up_printing(worksheet: Worksheet, header_row: int = 1) -> None:
    """A4 landscape, every column on the page width (as many pages down as needed), the header row on
    every page, grid lines, and the sheet's name and page number in the footer."""
    worksheet.set_landscape()
    worksheet.set_paper(PAPER_A4)
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(header_row - 1)
    worksheet.hide_gridlines(0)  # 0: shown on screen and printed
    worksheet.set_margins(**PRINT_MARGINS)
    worksheet.set_header("", {"margin": HEADER_FOOTER_MARGIN})
    worksheet.set_footer("&C" + PRINT_FOOTER, {"margin": HEADER_FOOTER_MARGIN})


def _check(result: int | None) -> None:
    """XlsxWriter answers a cell or validation it cannot write with a negative number, not an exception."""
    if result is not None and result < 0:
        raise ValueError(f"XlsxWriter kon een cel of validatie niet schrijven (code {result}).")


_LOCAL_HEADER = b"PK\x03\x04"
_CENTRAL_HEADER = b"PK\x01\x02"


def stamp_zip_entries(content: bytes, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """``content`` (a zip) with every entry's time set to ``stamp`` (local wall-clock time), in place:
    the DOS time and date fields of each local and central header are rewritten, the compressed data is
    left as it is."""
    year, month, day, hour, minute, second = stamp
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    stamped = struct.pack("<HH", dos_time, dos_date)
    buffer = bytearray(content)
    with ZipFile(BytesIO(content)) as archive:
        entries = archive.infolist()
        central = archive.start_dir  # the central directory's offset
    for entry in entries:
        local = entry.header_offset
        if buffer[local:local + 4] != _LOCAL_HEADER or buffer[central:central + 4] != _CENTRAL_HEADER:
            raise ValueError("Onverwachte opbouw van het zip-bestand.")
        buffer[local + 10:local + 14] = stamped
        buffer[central + 12:central + 16] = stamped
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", buffer, central + 28)
        central += 46 + name_length + extra_length + comment_length
    return bytes(buffer)


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


def write_tables(created_at: datetime, tables: Sequence[tuple[SheetLayout, Iterable[Any]]],
                 notes: Sequence[str] = (), extra: Callable[[StreamingWorkbook], None] | None = None) -> bytes:
    """A workbook of plain table sheets (each layout with its rows), then the Toelichting on them with
    ``notes``; ``extra`` may add sheets between the tables and the Toelichting."""
    book = StreamingWorkbook(created_at)
    for layout, rows in tables:
        book.add_table(layout, rows)
    if extra is not None:
        extra(book)
    book.add_toelichting([layout for layout, _ in tables], notes)
    return book.bytes()
