"""Input for the old channels as a gemeente makes it: the start/stop sheet filled in with openpyxl, a
60-record line, the fields of the H&V form. Pure helpers, shared by the core, service, web and browser tests."""
from __future__ import annotations

import functools
import io
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from portal.kalender import NL
from portal.spreadsheets.mutaties import LAYOUT, SHEET, write_mutaties_template

# Synthetic BSNs that pass the elfproef.
BSN_JANSEN = "012345672"
BSN_DE_VRIES = "123456782"
BSN_BAKKER = "234567892"
VOOR = date(2022, 9, 15)  # before the peildatum 01-10-2022
NA = date(2022, 10, 15)  # after it


def rij(**velden: Any) -> dict[str, Any]:
    """A START of Jansen for Amsterdam before the peildatum, with the given fields changed."""
    return {"gemeentecode": "0363", "bsn": BSN_JANSEN, "geslachtsnaam": "Jansen", "voorvoegsel": None,
            "voorletters": "J.", "geboortedatum": date(1960, 1, 2), "soort_mutatie": "START",
            "datum_start_bw": VOOR, "datum_einde_bw": None, "aanbieder_agb": "12345678",
            "aanbieder_naam": "Zorg BV", "leveringsvorm": "ZIN", "soort_bijdrage": "LEB",
            "woonsituatie": "ALLEENSTAAND", "toelichting": None, **velden}


@functools.cache
def sjabloon() -> bytes:
    return write_mutaties_template(created_at=datetime(2022, 9, 1, tzinfo=NL))


def vul_in(rijen: list[dict[str, Any]], leeg: bytes | None = None, vanaf: int = 2) -> bytes:
    """The template (or `leeg`) with these rows filled in from row `vanaf`, as a user does in Excel."""
    workbook = load_workbook(io.BytesIO(leeg or sjabloon()))
    blad = workbook[SHEET]
    for nummer, velden in enumerate(rijen, start=vanaf):
        for index, kolom in enumerate(LAYOUT.columns, start=1):
            if kolom.field in velden:
                blad.cell(row=nummer, column=index).value = velden[kolom.field]
    uit = io.BytesIO()
    workbook.save(uit)
    return uit.getvalue()


def record60(bsn: str = BSN_JANSEN, soort: str = "S", start: str = "20220915", einde: str = "",
             gemeentecode: str = "0363", agb: str = "12345678", bijdrage: str = "LEB", vorm: str = "Z",
             referentie: str = "ref") -> str:
    """One 60-record line (without its line end)."""
    regel = "60" + gemeentecode + bsn + soort + start + einde.ljust(8) + agb + bijdrage + vorm + referentie.ljust(16)
    assert len(regel) == 60, (len(regel), regel)
    return regel


def record60_bestand(*regels: str, einde: str = "\r\n") -> bytes:
    return "".join(r + einde for r in regels).encode("utf-8")


def formulier(**velden: Any) -> dict[str, str]:
    """The H&V form's fields as a browser posts them (dates dd-mm-jjjj)."""
    return {k: ("" if v is None else v.strftime("%d-%m-%Y") if isinstance(v, date) else str(v))
            for k, v in rij(**velden).items()}
