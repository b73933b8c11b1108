"""Every workbook the portal writes, printed to PDF by LibreOffice as a user would print it: A4 landscape,
all columns on the page width, the header row whole on every page.

LibreOffice (Debian's libreoffice-calc-nogui) and poppler's pdftotext and pdfinfo are installed by
`make test`; the workbooks are converted in one LibreOffice run for the whole module.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from portal.bsn import voldoet_aan_elfproef
from portal.spreadsheets.bestandsvergelijking import LAYOUT as B4
from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking

from .conftest import GEMAAKT_OP, b4_rij
from .test_spreadsheets_writing import WRITERS, written

SOFFICE = "soffice"
AANTAL_CLIENTEN = 300
NAMEN = (("", "Jansen"), ("van der", "Wal"), ("", "Boetzelaer van Oosterhout-Wijnbergen"), ("in 't", "Veld"),
         ("", "Yılmaz"), ("de", "Vries"), ("", "El Amrani-Bouzid"))
# The footer of every printed page: "<sheet> – pagina <n> van <pages>".
VOETTEKST = re.compile(r"^\s*(?P<blad>\S.*?) – pagina (?P<pagina>\d+) van \d+$", re.MULTILINE)
PAGINAGROOTTE = re.compile(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", re.MULTILINE)
A4_LANDSCAPE = (842, 595)


@dataclass(frozen=True)
class Pagina:
    breedte: float  # points
    hoogte: float
    tekst: str

    @property
    def blad(self) -> str:
        """The sheet the page belongs to, from its footer."""
        voettekst = VOETTEKST.search(self.tekst)
        assert voettekst, f"een pagina zonder voettekst:\n{self.tekst}"
        return voettekst["blad"]

    @property
    def woorden(self) -> set[str]:
        return set(self.tekst.split())


def clienten(aantal: int) -> list[B4Rij]:
    """``aantal`` clients with synthetic BSNs (9999 test range) and names of every length."""
    bsns = (f"{n:09d}" for n in range(999_900_000, 1_000_000_000) if voldoet_aan_elfproef(f"{n:09d}"))
    rijen = []
    for index, bsn in zip(range(aantal), bsns, strict=False):
        voorvoegsel, naam = NAMEN[index % len(NAMEN)]
        rijen.append(replace(b4_rij(bsn, naam, voorvoegsel=voorvoegsel or None, soort=("LEB", "HEB")[index % 2]),
                             datum_einde_bw=date(2023, 1, 31) if index % 9 == 0 else None))
    return rijen


def afgedrukt(pdf: Path) -> list[Pagina]:
    """The pages of a PDF: their size and their text (what pdftotext reads, so clipped text is missing)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    groottes = [(float(b), float(h)) for b, h in PAGINAGROOTTE.findall(info)]
    teksten = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout.split("\f")
    return [Pagina(b, h, tekst) for (b, h), tekst in zip(groottes, teksten, strict=False)]


@pytest.fixture(scope="module")
def b4_300():
    return write_bestandsvergelijking(clienten(AANTAL_CLIENTEN), created_at=GEMAAKT_OP)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, b4_300) -> dict[str, list[Pagina]]:
    """Every writer's workbook and the B4 of 300 clients, printed to PDF in one LibreOffice run."""
    if shutil.which(SOFFICE) is None or shutil.which("pdftotext") is None:
        pytest.fail("LibreOffice of pdftotext ontbreekt: `make test` installeert ze (Debian-pakketten "
                    "libreoffice-calc-nogui, fonts-crosextra-carlito en poppler-utils).", pytrace=False)
    map_ = tmp_path_factory.mktemp("afdrukken")
    werkmappen = {"b4_300": b4_300} | {naam.replace(" ", "_"): written(naam) for naam in WRITERS}
    for naam, inhoud in werkmappen.items():
        (map_ / f"{naam}.xlsx").write_bytes(inhoud)
    omzetting = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(map_ / 'profiel').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(map_), *(str(map_ / f"{naam}.xlsx") for naam in werkmappen)],
        capture_output=True, text=True, timeout=180)
    if omzetting.returncode != 0:
        pytest.fail(f"LibreOffice zette de werkmappen niet om naar PDF:\n{omzetting.stdout}{omzetting.stderr}")
    return {naam: afgedrukt(map_ / f"{naam}.pdf") for naam in werkmappen}


def test_the_b4_of_300_clients_prints_every_column_on_the_page_width_with_the_header_on_each_page(pdfs):
    paginas = [pagina for pagina in pdfs["b4_300"] if pagina.blad == B4.title]
    assert len(paginas) > 1
    for nummer, pagina in enumerate(paginas, start=1):
        assert (round(pagina.breedte), round(pagina.hoogte)) == A4_LANDSCAPE, f"pagina {nummer}"
        # Each header whole: a column too narrow for its header would cut it off.
        assert set(B4.names) <= pagina.woorden, f"pagina {nummer} mist kolommen:\n{pagina.tekst}"
    gedrukt = "".join(pagina.tekst for pagina in paginas)
    for rij in clienten(AANTAL_CLIENTEN):
        assert rij.bsn in gedrukt
    assert "Boetzelaer van Oosterhout-Wijnbergen" in gedrukt  # the longest name is not cut off either


@pytest.mark.parametrize("naam", WRITERS)
def test_every_sheet_the_portal_writes_prints_landscape_with_its_whole_header_on_each_page(pdfs, naam):
    _, bladen = WRITERS[naam]
    werkmap = load_workbook(BytesIO(written(naam)), read_only=True)
    kopregels = {
        titel: {cel.value for cel in next(werkmap[titel].iter_rows(min_row=rij, max_row=rij)) if cel.value}
        for titel, rij in {**bladen, "Toelichting": 1}.items()
    }
    paginas = pdfs[naam.replace(" ", "_")]
    assert {pagina.blad for pagina in paginas} == set(kopregels)
    for nummer, pagina in enumerate(paginas, start=1):
        assert (round(pagina.breedte), round(pagina.hoogte)) == A4_LANDSCAPE, f"pagina {nummer}"
        assert kopregels[pagina.blad] <= pagina.woorden, f"pagina {nummer} ({pagina.blad}):\n{pagina.tekst}"
