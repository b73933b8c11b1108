"""Opening an uploaded .xlsx safely, and reading cell values the way users type them.

The zip container is checked before openpyxl sees it: file size, number of entries, total
uncompressed size, compression ratio per entry (zip bomb), encryption, old .xls and other
non-xlsx files, a DTD in any XML part, macros (.xlsm, vbaProject.bin), external links and
embedded objects, and worksheets that declare or hold more rows than the upload can have: the ``<dimension ref>``
and the ``<row>`` elements of each sheet are streamed from the zip with lxml (no workbook is loaded), so
a file of 165,000 blank but formatted rows is refused in well under a second. Every refusal is an
``OngeldigBestand`` whose message is a Dutch sentence saying what is wrong and what to do.
Then openpyxl opens it read-only with values
instead of formulas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zipfile import BadZipFile, LargeZipFile, ZipFile

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from portal.kalender import format_datum

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound file: an old .xls, or an .xlsx encrypted with a password."""

OPNIEUW = "Sla het bestand in Excel op als Excel-werkmap (.xlsx) en upload het opnieuw."

ODS_ALS_XLSX = (
    "open het in LibreOffice Calc, kies Bestand › Opslaan als…, kies bij Bestandstype "
    "'Excel 2007-365 (.xlsx)', klik op Opslaan en bevestig dat u de Excel-indeling wilt gebruiken."
)
"""How to turn an OpenDocument spreadsheet into an .xlsx, for every message that meets an .ods."""

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class OngeldigBestand(Exception):
    """An uploaded file that cannot be read; ``str(error)`` is the Dutch message for the user."""


@dataclass(frozen=True)
class UploadLimits:
    max_file_size: int = 20 * 1024 * 1024
    max_entries: int = 1_000
    max_uncompressed_size: int = 200 * 1024 * 1024
    max_compression_ratio: int = 200
    min_size_for_ratio_check: int = 1024 * 1024
    """Tiny entries (a few bytes of repeated XML) compress extremely well; the ratio only matters
    when an entry unpacks to more than this."""
    max_rows: int = 20_000
    """The most rows (header included) any worksheet may declare or hold when nothing better is known; a
    reader that knows what the upload can hold (the B4's rows plus a margin) sets it with `met_rijen`."""

    def met_rijen(self, rijen: int) -> UploadLimits:
        """These limits with room for exactly ``rijen`` rows per sheet: what the upload can hold, whether that
        is below the general limit (a small gemeente) or above it (a B4 of 30,000 clients)."""
        return replace(self, max_rows=rijen)


DEFAULT_LIMITS = UploadLimits()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_xlsx_container(content: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Raise ``OngeldigBestand`` unless ``content`` is a plain, reasonably sized .xlsx zip."""
    if not content:
        raise OngeldigBestand("Het bestand is leeg. Kies het ingevulde Excel-bestand (.xlsx) en upload het opnieuw.")
    if len(content) > limits.max_file_size:
        raise OngeldigBestand(
            f"Het bestand is groter dan het maximum van {_megabytes(limits.max_file_size)}. "
            "Verwijder lege bladen en opmaak en upload het opnieuw, of neem contact op met het CAK."
        )
    if content.startswith(OLE2_SIGNATURE):
        if "EncryptionInfo".encode("utf-16-le") in content:
            raise OngeldigBestand(
                "Het bestand is beveiligd met een wachtwoord. Haal in Excel het wachtwoord eraf "
                "(Bestand > Info > Werkmap beveiligen) en upload het opnieuw."
            )
        raise OngeldigBestand(f"Het bestand is een oud Excel-bestand (.xls). {OPNIEUW}")
    if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise OngeldigBestand(
            "Het bestand is een XML-bestand, geen Excel-werkmap (.xlsx). Is het een WMO407-bericht? Lever dat aan "
            "bij 'WMO407-berichten aanleveren'; hier hoort een Excel-werkmap."
        )
    try:
        archive = ZipFile(BytesIO(content))
    except (BadZipFile, LargeZipFile, ValueError, OSError, NotImplementedError):  # the last: a zip version it lacks
        raise OngeldigBestand(f"Het bestand is geen Excel-bestand (.xlsx). {OPNIEUW}") from None

    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise OngeldigBestand(
                f"Het bestand bevat {len(entries)} onderdelen; het maximum is {limits.max_entries}. "
                "Dit is geen gewoon Excel-bestand. Sla het opnieuw op als Excel-werkmap (.xlsx)."
            )
        names = {entry.filename for entry in entries}
        if _is_ods(archive):
            raise OngeldigBestand(
                "Het bestand is een OpenDocument-rekenblad (.ods), geen Excel-werkmap (.xlsx). Sla het op als "
                f".xlsx: {ODS_ALS_XLSX} Upload daarna het .xlsx-bestand."
            )
        if "xl/workbook.bin" in names:
            raise OngeldigBestand(f"Het bestand is een binaire Excel-werkmap (.xlsb). {OPNIEUW}")
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise OngeldigBestand(f"Het bestand is geen Excel-werkmap. {OPNIEUW}")

        total = 0
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise OngeldigBestand(
                    "Het bestand is versleuteld. Haal de beveiliging eraf en upload het opnieuw."
                )
            total += entry.file_size
            if total > limits.max_uncompressed_size:
                raise OngeldigBestand(
                    f"Het bestand is uitgepakt groter dan {_megabytes(limits.max_uncompressed_size)}. "
                    "Dat is te groot om te verwerken; verwijder lege rijen, bladen en opmaak en upload het opnieuw."
                )
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > limits.min_size_for_ratio_check and ratio > limits.max_compression_ratio:
                raise OngeldigBestand(
                    "Het bestand is afwijkend sterk ingepakt (een zogenaamde zip-bom) en wordt niet geopend. "
                    "Upload het originele Excel-bestand."
                )
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels")) and _has_doctype(archive, entry.filename):
                raise OngeldigBestand(
                    "Het bestand bevat een DTD-declaratie en wordt om veiligheidsredenen niet geopend. "
                    f"{OPNIEUW}"
                )
        _check_active_content(archive, names)
        for name in sorted(names):
            if _WORKSHEET.fullmatch(name):
                _check_rows(archive, name, limits.max_rows)


_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_MACRO_TYPE = b"macroEnabled"
_ZONDER_MACROS = ("Sla het in Excel op als gewone Excel-werkmap (.xlsx): Bestand > Opslaan als > "
                  "'Excel-werkmap (*.xlsx)', en upload dat bestand.")


def _check_active_content(archive: ZipFile, names: set[str]) -> None:
    """Refuse macros (.xlsm, vbaProject.bin), links to other workbooks and embedded objects: the portal
    only reads values, and a file with active content is not what any of its forms asks for."""
    if any(name.lower().endswith("vbaproject.bin") for name in names) or _MACRO_TYPE in _read_small(
            archive, "[Content_Types].xml"):
        raise OngeldigBestand(
            f"Het bestand bevat macro's (een .xlsm-werkmap of VBA-code) en wordt niet geopend. {_ZONDER_MACROS}")
    if any(name.startswith("xl/externalLinks/") for name in names):
        raise OngeldigBestand(
            "Het bestand bevat koppelingen naar andere werkmappen en wordt niet geopend. Verbreek in Excel de "
            "koppelingen (Gegevens > Koppelingen bewerken > Koppeling verbreken), sla op en upload het opnieuw.")
    if any(name.startswith(("xl/embeddings/", "xl/activeX/")) for name in names):
        raise OngeldigBestand(
            "Het bestand bevat ingesloten objecten (andere bestanden of besturingselementen) en wordt niet "
            "geopend. Verwijder die objecten uit de werkmap, sla op en upload het opnieuw.")


def _read_small(archive: ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    try:
        with archive.open(name) as part:
            return part.read(limit)
    except Exception:  # a corrupt part: openpyxl will fail on it and get the general message
        return b""


_REF_ROW = re.compile(r"[A-Za-z]{0,3}(\d+)$")


def _te_veel_rijen(max_rows: int) -> OngeldigBestand:
    return OngeldigBestand(
        f"Een blad in het bestand heeft meer rijen dan de {max_rows} die dit bestand kan bevatten (vaak lege "
        "rijen met opmaak tot onderaan het blad). Verwijder in Excel de lege rijen onder de gegevens (selecteer "
        "ze, rechtermuisknop > Verwijderen), sla op en upload het opnieuw.")


# A worksheet's ``<row ...>`` start tags (with or without a namespace prefix, never ``<rowBreaks>``), its row
# number, and the ``<dimension ref>`` that declares its extent.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])([^>]*)>")
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']*)[\"']")
_CHUNK = 1024 * 1024


def _check_rows(archive: ZipFile, name: str, max_rows: int) -> None:
    """Stream one worksheet part: refuse it when its ``<dimension ref>`` reaches past ``max_rows`` or when it
    holds more ``<row>`` elements (or a higher row number) than that. The part is scanned as bytes, a chunk at
    a time, without building any element: this runs before every read of every upload."""
    rows = 0
    tail = b""
    dimension_seen = False
    try:
        with archive.open(name) as part:
            while True:
                chunk = part.read(_CHUNK)
                data = tail + chunk
                if chunk:  # keep a tag that may continue in the next chunk for then
                    cut = data.rfind(b"<")
                    data, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
                elif not data:
                    break
                else:
                    tail = b""
                if not dimension_seen and (found := _DIMENSION.search(data)):
                    dimension_seen = True
                    ref = found.group(1).decode("ascii", "replace").split(":")[-1]
                    if (match := _REF_ROW.match(ref)) and int(match.group(1)) > max_rows:
                        raise _te_veel_rijen(max_rows)
                for found in _ROW_TAG.finditer(data):
                    rows += 1
                    number = _ROW_NUMBER.search(found.group(1))
                    if rows > max_rows or (number is not None and int(number.group(1)) > max_rows):
                        raise _te_veel_rijen(max_rows)
    except OngeldigBestand:
        raise
    except Exception:  # a corrupt part: openpyxl will fail on it and get the general message
        return


def _is_ods(archive: ZipFile) -> bool:
    """An OpenDocument spreadsheet names itself in a small first entry ``mimetype``."""
    try:
        entry = archive.getinfo("mimetype")
    except KeyError:
        return False
    if entry.file_size > 100:
        return False
    try:
        return archive.read(entry).strip() == _ODS_MIMETYPE
    except Exception:  # a corrupt entry: not recognisable, so the general message follows
        return False


def _has_doctype(archive: ZipFile, name: str) -> bool:
    """Whether an XML part declares a DTD; reads the part in chunks (sizes are already checked)."""
    marker = b"<!DOCTYPE"
    tail = b""
    try:
        with archive.open(name) as part:
            while chunk := part.read(1024 * 1024):
                if marker in tail + chunk:
                    return True
                tail = chunk[-len(marker):]
    except Exception:  # a corrupt part: openpyxl will fail on it and get the general message
        return False
    return False


def open_xlsx_upload(content: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> Workbook:
    """Check the upload and open it read-only with values (not formulas). The caller closes it;
    ``opened_xlsx_upload`` does that for you."""
    check_xlsx_container(content, limits)
    try:
        return load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise OngeldigBestand(
            f"Het Excel-bestand kan niet worden gelezen; het is mogelijk beschadigd. {OPNIEUW}"
        ) from None


@contextmanager
def opened_xlsx_upload(content: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> Iterator[Workbook]:
    workbook = open_xlsx_upload(content, limits)
    try:
        yield workbook
    finally:
        workbook.close()


_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formulas(content: bytes) -> bool:
    """Whether any worksheet part holds a formula (``<f>``); reads the parts in chunks, unpacks nothing else."""
    with ZipFile(BytesIO(content)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            tail = b""
            with archive.open(name) as part:
                while chunk := part.read(1024 * 1024):
                    if _FORMULA_ELEMENT.search(tail + chunk):
                        return True
                    tail = chunk[-64:]
    return False


def formulas_in_column(content: bytes, sheet: str, column: int, first_row: int = 2) -> dict[int, str]:
    """The formulas (``=...``) in one column of a sheet, by row number, of an upload already opened with
    ``open_xlsx_upload``. That one reads values, so a formula shows as its last computed value (or as
    nothing); this tells which cells were formulas. A workbook without any formula is not read again."""
    if not _has_formulas(content):
        return {}
    workbook = load_workbook(BytesIO(content), read_only=True, data_only=False)
    try:
        formulas = {}
        for number, (cell,) in enumerate(
            workbook[sheet].iter_rows(min_row=first_row, min_col=column, max_col=column), start=first_row
        ):
            if getattr(cell, "data_type", None) == "f":
                formulas[number] = str(cell.value)
        return formulas
    finally:
        workbook.close()


# --- reading cell values --------------------------------------------------------------------

_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def read_text(value: Any) -> str | None:
    """A text value; a number becomes its digits (``1.0`` -> ``"1"``); empty becomes None."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_datum(value)
    return str(value).strip()


def read_digits(value: Any, digits: int) -> str | None:
    """A number with a fixed count of digits (BSN, gemeentecode): a numeric cell lost its leading
    zeros, a text cell may have spaces; both come back as the digits with leading zeros."""
    text = read_text(value)
    if text is None:
        return None
    text = text.replace(" ", "")
    if text.isdigit() and len(text) < digits:
        text = text.zfill(digits)
    return text


class NotADate(ValueError):
    pass


def read_date(value: Any) -> date | None:
    """A real date cell, or text ``dd-mm-jjjj`` (also ``jjjj-mm-dd``); empty is None; anything
    else raises ``NotADate``."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if match := _DUTCH_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
        elif match := _ISO_DATE.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        else:
            raise NotADate(text)
        try:
            return date(year, month, day)
        except ValueError:
            raise NotADate(text) from None
    raise NotADate(str(value))
