"""File names as people and browsers get to see them.

A stored name is kept as it was sent (the receipt's evidence), but whatever shows it cleans it first:
control characters (newline, tab, NUL ...) and format characters (the bidi overrides such as U+202E that
make ``gpj.exe`` read as ``exe.jpg``, zero-width characters) are removed. A download names the file twice,
as RFC 6266 asks: an ASCII fallback ``filename=`` for old clients and the full name as
``filename*=UTF-8''...`` (RFC 5987 percent-encoding), so every name, in every script, can be downloaded.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

ZONDER_NAAM = "bestand"

_ONZICHTBAAR = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
_WIT = re.compile(r"\s+")
_NIET_ASCII_VEILIG = re.compile(r"[^A-Za-z0-9._()+,=@ -]")
_MEER_STREEPJES = re.compile(r"_{2,}")


def zichtbare_naam(naam: str | None) -> str:
    """The name without control, format (bidi) or unassigned characters, with runs of white space as
    one space; ``bestand`` when nothing is left."""
    if not naam:
        return ZONDER_NAAM
    schoon = "".join(" " if teken in "\t\r\n" else teken for teken in naam
                     if teken in "\t\r\n" or unicodedata.category(teken) not in _ONZICHTBAAR)
    schoon = _WIT.sub(" ", schoon).strip()
    return schoon or ZONDER_NAAM


def ascii_naam(naam: str | None) -> str:
    """The name in plain ASCII for the ``filename=`` fallback: accents dropped, every other character
    that is not safe in a quoted header value becomes ``_``; ``bestand`` keeps the extension when no
    letter of the name is left."""
    tekens = []
    for teken in zichtbare_naam(naam):
        basis = unicodedata.normalize("NFKD", teken).encode("ascii", "ignore").decode("ascii")
        tekens.append(basis or "_")
    veilig = _MEER_STREEPJES.sub("_", _NIET_ASCII_VEILIG.sub("_", "".join(tekens)))
    stam, punt, extensie = veilig.rpartition(".")
    if punt and not stam.strip(" ._"):
        return f"{ZONDER_NAAM}.{extensie}" if extensie.strip("_") else ZONDER_NAAM
    return veilig.strip(" ") or ZONDER_NAAM


def content_disposition(naam: str | None, soort: str = "attachment") -> str:
    """The Content-Disposition header for a download of ``naam`` (RFC 6266 with an RFC 5987 ``filename*``)."""
    zichtbaar = zichtbare_naam(naam)
    return f"{soort}; filename=\"{ascii_naam(naam)}\"; filename*=UTF-8''{quote(zichtbaar, safe='')}"
