"""Filling in a published B4 as a gemeente's worker would in Excel: the TERUGKOPPELING code per client.

Used by the ketentest's demo gemeenten that act by themselves; pure (bytes in, bytes out).
"""
from __future__ import annotations

import io
from collections.abc import Mapping

from openpyxl import load_workbook

from portal.spreadsheets.bestandsvergelijking import CODE_TOEGEVOEGD, LAYOUT, SHEET


def vul_terugkoppeling_in(b4: bytes, codes: Mapping[str, str] | None = None,
                          standaard: str = CODE_TOEGEVOEGD) -> bytes:
    """The B4 with column TERUGKOPPELING filled in: `codes[bsn]`, else `standaard`, for every client row."""
    werkmap = load_workbook(io.BytesIO(b4))
    blad = werkmap[SHEET]
    bsn_kolom, code_kolom = LAYOUT.letter("BSN"), LAYOUT.letter("TERUGKOPPELING")
    for rij in range(2, blad.max_row + 1):
        bsn = blad[f"{bsn_kolom}{rij}"].value
        if bsn:
            blad[f"{code_kolom}{rij}"] = (codes or {}).get(str(bsn), standaard)
    uitvoer = io.BytesIO()
    werkmap.save(uitvoer)
    return uitvoer.getvalue()
