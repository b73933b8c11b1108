"""Shared data for the domain-core tests: a published B4 and a way to fill in its terugkoppeling
the way a gemeente user does in Excel."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from portal.kalender import NL
from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking

GEMAAKT_OP = datetime(2022, 9, 26, 10, 30, tzinfo=NL)

# Synthetic BSNs that pass the elfproef.
BSN_JANSEN = "012345672"  # leading zero
BSN_DE_VRIES = "123456782"
BSN_BAKKER = "234567892"
BSN_VISSER = "345678904"
BSN_SMIT = "456789017"
BSN_MEIJER = "567890120"
BSN_NIEUW = "678901235"  # not in the B4: a client the gemeente adds
BSN_NIEUW_MET_NUL = "078901236"  # an added client whose BSN starts with a zero


def b4_rij(bsn, naam, voorvoegsel=None, soort="LEB", bron="H&V", gemeentecode="0363"):
    return B4Rij(
        gemeentecode=gemeentecode,
        bsn=bsn,
        geslachtsnaam=naam,
        voorvoegsel=voorvoegsel,
        voorletters="A.B.",
        geboortedatum=date(1980, 5, 17),
        datum_start_bw=date(2019, 3, 1),
        datum_einde_bw=None,
        bron=bron,
        aanbieder_agb="01234567",
        soort_bijdrage=soort,
    )


@pytest.fixture(scope="session")
def b4_rows():
    """The published B4's clients (a tuple: tests share it)."""
    return (
        b4_rij(BSN_JANSEN, "Jansen"),
        b4_rij(BSN_DE_VRIES, "Vries", voorvoegsel="de", soort="HEB"),
        b4_rij(BSN_BAKKER, "Bakker", bron="EXCEL"),
        b4_rij(BSN_VISSER, "Visser", bron="60-RECORD"),
        b4_rij(BSN_SMIT, "Smit"),
        b4_rij(BSN_MEIJER, "Meijer"),
    )


@pytest.fixture(scope="session")
def b4_bytes(b4_rows):
    return write_bestandsvergelijking(b4_rows, created_at=GEMAAKT_OP)


@pytest.fixture
def fill_in(b4_bytes):
    """Fill in the published B4 like a gemeente user: ``rows`` maps an Excel row number to
    {column letter: value}; returns the bytes of the saved file."""

    def fill(rows, *, sheet="Bestandsvergelijking", edit=None):
        workbook = load_workbook(BytesIO(b4_bytes))
        worksheet = workbook[sheet]
        for row_number, cells in rows.items():
            for letter, value in cells.items():
                worksheet[f"{letter}{row_number}"] = value
        if edit is not None:
            edit(workbook)
        output = BytesIO()
        workbook.save(output)
        return output.getvalue()

    return fill


@pytest.fixture
def complete_feedback():
    """A valid terugkoppeling for the six B4 clients (rows 2-7): every code once."""
    return {
        2: {"L": "J"},
        3: {"L": "O", "M": date(2022, 9, 12)},
        4: {"L": "U", "M": "30-09-2022"},
        5: {"L": "V"},
        6: {"L": "N"},
        7: {"L": "X", "N": "Cliënt verhuist naar het buitenland"},
    }
