"""The bytes of a stored file, kept zlib-compressed in the database and read back as they were sent.

A 25 MB WMO407 and its 42 MB WMO408 take about 1.5 MB together at zlib level 1, at a few tens of
milliseconds. The model's `inhoud` is always the original bytes: setting it compresses, reading it
decompresses. `sha256` and `grootte` stay those of the original bytes. Rows stored before compression
(migration 0016) say `inhoud_opslag = "ruw"` and are read as they are.
"""
from __future__ import annotations

import zlib
from enum import StrEnum

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

ZLIB_NIVEAU = 1


class Opslag(StrEnum):
    """How a row's bytes are stored in the column `inhoud`."""

    RUW = "ruw"      # as sent (rows from before migration 0016)
    ZLIB = "zlib"    # zlib.compress(inhoud, ZLIB_NIVEAU)


def comprimeer(inhoud: bytes) -> bytes:
    return zlib.compress(inhoud, ZLIB_NIVEAU)


def lees(opgeslagen: bytes | None, opslag: str) -> bytes:
    """The original bytes of what is stored as `opgeslagen`."""
    if opgeslagen is None:
        return b""
    if opslag == Opslag.ZLIB:
        return zlib.decompress(opgeslagen)
    return bytes(opgeslagen)


class OpgeslagenInhoud:
    """Mixin for a model with file contents: the column `inhoud` (deferred: loaded when read) holds the
    compressed bytes, `inhoud_opslag` how they are stored; the property `inhoud` gives the original."""

    opgeslagen_inhoud: Mapped[bytes | None] = mapped_column("inhoud", LargeBinary, deferred=True)
    inhoud_opslag: Mapped[str] = mapped_column(String(10))

    @property
    def inhoud(self) -> bytes:
        return lees(self.opgeslagen_inhoud, self.inhoud_opslag)

    @inhoud.setter
    def inhoud(self, waarde: bytes) -> None:
        self.opgeslagen_inhoud = comprimeer(waarde)
        self.inhoud_opslag = Opslag.ZLIB.value
