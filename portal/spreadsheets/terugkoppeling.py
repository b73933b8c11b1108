"""Reading and checking an uploaded terugkoppeling (the B4 with columns L-N filled in).

Rules (bestanden.md, "Checking an uploaded terugkoppeling"):

- the upload is the B4 of this gemeente, with the same columns A-N (a sheet ``Bestandsvergelijking``,
  or else the first sheet with exactly these headers);
- every BSN of the B4 occurs exactly once, with a code from the list J, O, U, V, N, X;
- column M (EINDDATUM_GEMEENTE) is a valid date, and required with O and U;
- column N (TOELICHTING) is required with X;
- a row whose BSN is not in the B4 is an added client: its BSN passes the elfproef, it has code J,
  and A-F are filled in (VOORVOEGSEL may be empty);
- column A holds one of the gemeentecodes this gemeente may use (for a B4 client, the code the CAK
  published is accepted too);
- a BSN occurs once; empty rows are ignored; columns after N are ignored;
- rows below the last client that hold only a code in column L belong to no client (a code dragged down
  too far): each run of them is one problem, "maak de rij leeg";
- column N holds text: a formula there (Excel makes one of text typed with a leading =, +, - or @) is
  named as a formula.

Every problem is reported, all at once, with its row, column and a Dutch explanation that says what
to do. Nothing here raises on a bad upload: an unreadable file becomes one problem.

Interpretations: when not one BSN of the B4 occurs in the upload, it is reported as the wrong file
(one problem), not as a list of every missing client; a B4 client that is missing is reported
without a row number (it is not in the upload), naming its BSN and its row in the published B4.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from portal.bsn import voldoet_aan_elfproef
from portal.spreadsheets.bestandsvergelijking import (
    CODE_TOEGEVOEGD,
    CODES_MET_EINDDATUM,
    CODES_MET_TOELICHTING,
    EMPTY_ROWS,
    LAYOUT,
    SHEET,
    B4Rij,
)
from portal.spreadsheets.reading import (
    DEFAULT_LIMITS,
    NotADate,
    OngeldigBestand,
    UploadLimits,
    formulas_in_column,
    is_empty,
    opened_xlsx_upload,
    read_date,
    read_digits,
    read_text,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 100_000
MARGE_RIJEN = EMPTY_ROWS + 500
"""How many rows a terugkoppeling may have beyond the header and the B4's rows: the B4's empty rows for added
clients and as many again; a sheet that declares or holds more is refused before it is read."""
"""Filled rows above this are refused: no gemeente has that many BW clients."""

CODES = LAYOUT.column("TERUGKOPPELING").code_values
_CODES_TEXT = ", ".join(CODES[:-1]) + " of " + CODES[-1]
_A, _B, _C, _D, _E, _F, _G, _H, _I, _J, _K, _L, _M, _N = range(14)
_OPNIEUW_B4 = (
    "Upload de bestandsvergelijking die het CAK in de map van uw gemeente heeft gezet, "
    "met uw terugkoppeling ingevuld in kolom L tot en met N."
)


@dataclass(frozen=True)
class Probleem:
    rij: int | None  # the row in the uploaded sheet; None for the file as a whole
    kolom: str | None  # column letter
    kolomnaam: str | None
    melding: str  # Dutch: what is wrong and what to do

    def __str__(self) -> str:
        plaats = []
        if self.rij is not None:
            plaats.append(f"Rij {self.rij}")
        if self.kolom is not None:
            plaats.append(f"kolom {self.kolom} ({self.kolomnaam})")
        return (", ".join(plaats) + ": " if plaats else "") + self.melding


@dataclass(frozen=True)
class ToegevoegdeClient:
    """Columns A-F of a client the gemeente added."""

    gemeentecode: str
    bsn: str
    geslachtsnaam: str
    voorvoegsel: str | None
    voorletters: str
    geboortedatum: date


@dataclass(frozen=True)
class TerugkoppelingRij:
    rij: int
    bsn: str
    code: str
    einddatum_gemeente: date | None
    toelichting: str | None
    toegevoegd: bool
    client: ToegevoegdeClient | None  # only for an added row


@dataclass(frozen=True)
class TerugkoppelingResult:
    problemen: tuple[Probleem, ...]
    rijen: tuple[TerugkoppelingRij, ...]  # the rows without problems, in sheet order
    aantallen_per_code: Mapping[str, int]  # every code, 0 included; added rows count as J

    @property
    def geldig(self) -> bool:
        return not self.problemen

    @property
    def aantal_toegevoegd(self) -> int:
        return sum(1 for rij in self.rijen if rij.toegevoegd)

    def codes(self) -> dict[str, str]:
        """BSN -> code, the input of the aansluiting."""
        return {rij.bsn: rij.code for rij in self.rijen}


def _probleem(rij: int | None, index: int, melding: str) -> Probleem:
    return Probleem(rij, LAYOUT.letter(LAYOUT.columns[index].name), LAYOUT.columns[index].name, melding)


def _result(problemen: list[Probleem], rijen: list[TerugkoppelingRij]) -> TerugkoppelingResult:
    aantallen = dict.fromkeys(CODES, 0)
    for rij in rijen:
        aantallen[rij.code] += 1
    return TerugkoppelingResult(tuple(problemen), tuple(rijen), aantallen)


def _header(worksheet: Worksheet) -> list[Any]:
    for row in worksheet.iter_rows(min_row=1, max_row=1, max_col=len(LAYOUT.columns), values_only=True):
        return list(row) + [None] * (len(LAYOUT.columns) - len(row))
    return [None] * len(LAYOUT.columns)


def _header_matches(values: Sequence[Any]) -> bool:
    return [(read_text(value) or "").upper() for value in values] == list(LAYOUT.names)


@dataclass(frozen=True)
class _Sheet:
    rows: list[tuple[int, list[Any]]]  # the filled rows as (row number, 14 values)
    toelichting_formulas: dict[int, str]  # row number -> the formula in column N


def _read_rows(content: bytes, limits: UploadLimits) -> _Sheet:
    """The filled rows of the terugkoppeling sheet, and the formulas in its column N.
    Raises OngeldigBestand for an unreadable file, _HeaderProblems for wrong headers."""
    with opened_xlsx_upload(content, limits) as workbook:
        try:
            # Opened read-only, so a ReadOnlyWorksheet, which openpyxl's type hints treat as a Worksheet.
            worksheet: Worksheet | None = None
            if SHEET in workbook.sheetnames:
                worksheet = workbook[SHEET]
            else:
                for candidate in workbook.worksheets:
                    if _header_matches(_header(candidate)):
                        worksheet = candidate
                        break
            if worksheet is None:
                gevonden = ", ".join(f"'{name}'" for name in workbook.sheetnames)
                raise OngeldigBestand(
                    f"Het bestand heeft geen blad '{SHEET}' (gevonden: {gevonden}). {_OPNIEUW_B4}"
                )
            header = _header(worksheet)
            if not _header_matches(header):
                raise _HeaderProblems(_header_problems(header))

            rows: list[tuple[int, list[Any]]] = []
            for number, cells in enumerate(
                worksheet.iter_rows(min_row=2, max_col=len(LAYOUT.columns), values_only=True), start=2
            ):
                values = list(cells) + [None] * (len(LAYOUT.columns) - len(cells))
                if all(is_empty(value) for value in values):
                    continue
                rows.append((number, values))
                if len(rows) > MAX_ROWS:
                    raise OngeldigBestand(
                        f"Het bestand heeft meer dan {MAX_ROWS} gevulde rijen. {_OPNIEUW_B4}"
                    )
            return _Sheet(rows, formulas_in_column(content, worksheet.title, _N + 1))
        except (OngeldigBestand, _HeaderProblems):
            raise
        except Exception:
            raise OngeldigBestand(
                "Het Excel-bestand kan niet worden gelezen; het is mogelijk beschadigd. "
                "Sla het in Excel opnieuw op als Excel-werkmap (.xlsx) en upload het opnieuw."
            ) from None


class _HeaderProblems(Exception):
    def __init__(self, problemen: list[Probleem]):
        super().__init__("kolomkoppen wijken af")
        self.problemen = problemen


def _header_problems(header: Sequence[Any]) -> list[Probleem]:
    problemen = []
    for index, (value, column) in enumerate(zip(header, LAYOUT.columns, strict=False)):
        found = read_text(value)
        if (found or "").upper() == column.name:
            continue
        if found is None:
            melding = f"De kolomkop ontbreekt; hier hoort '{column.name}'."
        else:
            melding = f"Hier staat de kolomkop '{found}', maar hier hoort '{column.name}'."
        problemen.append(_probleem(
            1, index, f"{melding} Voeg geen kolommen toe en verwijder of verplaats ze niet. {_OPNIEUW_B4}"
        ))
    return problemen


def read_terugkoppeling(
    content: bytes,
    *,
    gemeentecodes: Collection[str],
    b4_rows: Sequence[B4Rij],
    limits: UploadLimits = DEFAULT_LIMITS,
) -> TerugkoppelingResult:
    """Read and check an uploaded terugkoppeling against the B4 that was published to this gemeente.

    ``gemeentecodes``: the codes that may appear in column A. ``b4_rows``: the published B4.
    """
    try:
        sheet = _read_rows(content, limits.met_rijen(1 + len(b4_rows) + MARGE_RIJEN))
    except OngeldigBestand as error:
        return _result([Probleem(None, None, None, str(error))], [])
    except _HeaderProblems as error:
        return _result(error.problemen, [])

    rows = sheet.rows
    b4 = {row.bsn: row for row in b4_rows}
    toegestane_codes = set(gemeentecodes)
    if b4 and not any(read_digits(values[_B], 9) in b4 for _, values in rows):
        return _result([Probleem(None, None, None, (
            "Dit bestand is niet de bestandsvergelijking van uw gemeente: er staat geen enkel BSN "
            f"uit de bestandsvergelijking in. {_OPNIEUW_B4}"
        ))], [])

    problemen: list[Probleem] = []
    rijen: list[TerugkoppelingRij] = []
    gezien: dict[str, int] = {}
    zonder_client = _zonder_client(rows)
    for number, values in rows:
        if number in zonder_client:
            einde = zonder_client[number]
            if einde is not None:
                problemen.append(_zonder_client_probleem(number, einde))
            continue
        rij_problemen, rij = _check_row(number, values, b4, toegestane_codes, gezien,
                                        sheet.toelichting_formulas.get(number))
        problemen += rij_problemen
        if rij is not None and not rij_problemen:
            rijen.append(rij)

    for position, b4_row in enumerate(b4_rows, start=2):
        if b4_row.bsn not in gezien:
            problemen.append(_probleem(None, _B, (
                f"De cliënt met BSN {b4_row.bsn} ({_naam(b4_row)}, rij {position} van de "
                "bestandsvergelijking) ontbreekt. Zet de rij terug en vul een code in kolom L in."
            )))
    return _result(problemen, rijen)


def _zonder_client(rows: Sequence[tuple[int, list[Any]]]) -> dict[int, int | None]:
    """The rows below the last client (the last row with a BSN) that hold only column L, each mapped to
    the last row of its run of adjacent such rows when it starts one, else to None."""
    laatste_client = max((number for number, values in rows if not is_empty(values[_B])), default=0)
    runs: dict[int, int | None] = {}
    begin = vorige = 0
    for number, values in rows:
        if number <= laatste_client or not all(is_empty(value) == (index != _L) for index, value in enumerate(values)):
            continue
        if begin and number == vorige + 1:
            runs[number] = None
            runs[begin] = number
        else:
            begin = number
            runs[number] = number
        vorige = number
    return runs


def _zonder_client_probleem(begin: int, einde: int) -> Probleem:
    oorzaak = ("Er staat alleen een code in kolom L, zonder cliënt ervoor; waarschijnlijk is de code verder "
               "naar beneden doorgetrokken dan de laatste cliënt.")
    if begin == einde:
        return _probleem(begin, _L, f"Rij {begin} hoort bij geen cliënt: maak de rij leeg. {oorzaak}")
    return _probleem(begin, _L, (
        f"De rijen {begin} tot en met {einde} horen bij geen cliënt: maak die rijen leeg. {oorzaak}"))


def _naam(row: B4Rij) -> str:
    return " ".join(part for part in (row.voorletters, row.voorvoegsel, row.geslachtsnaam) if part)


def _check_row(
    number: int,
    values: list[Any],
    b4: Mapping[str, B4Rij],
    toegestane_codes: set[str],
    gezien: dict[str, int],
    toelichting_formule: str | None = None,
) -> tuple[list[Probleem], TerugkoppelingRij | None]:
    problemen: list[Probleem] = []

    def probleem(index: int, melding: str) -> None:
        problemen.append(_probleem(number, index, melding))

    bsn = read_digits(values[_B], 9)
    if bsn is None:
        probleem(_B, "Het BSN ontbreekt. Vul het BSN van de cliënt in (9 cijfers), of maak de rij helemaal leeg.")
    elif not (bsn.isdigit() and len(bsn) == 9):
        probleem(_B, f"'{bsn}' is geen geldig BSN: een BSN bestaat uit 9 cijfers. Vul het juiste BSN in.")
        bsn = None
    elif bsn in gezien:
        probleem(_B, (
            f"Het BSN {bsn} staat ook al op rij {gezien[bsn]}. Laat per cliënt één rij staan en "
            "verwijder de andere."
        ))
        return problemen, None
    else:
        gezien[bsn] = number

    gemeentecode = read_digits(values[_A], 4)
    if gemeentecode is None:
        probleem(_A, "De gemeentecode ontbreekt. Vul de CBS-code van de verantwoordelijke gemeente in (4 cijfers).")
    elif gemeentecode not in toegestane_codes and not (
        bsn is not None and bsn in b4 and b4[bsn].gemeentecode == gemeentecode
    ):
        toegestaan = ", ".join(sorted(toegestane_codes))
        probleem(_A, (
            f"De gemeentecode '{gemeentecode}' hoort niet bij uw gemeente. Gebruik een van deze codes: {toegestaan}."
        ))

    code = (read_text(values[_L]) or "").upper()
    if not code:
        probleem(_L, f"De terugkoppeling ontbreekt. Kies een code: {_CODES_TEXT}.")
    elif code not in CODES:
        probleem(_L, f"'{code}' is geen geldige code. Kies {_CODES_TEXT} (zie het blad Toelichting).")

    einddatum = _date(values[_M], _M, probleem)
    if code in CODES_MET_EINDDATUM and is_empty(values[_M]):
        wat = "de datum van overlijden" if code == "O" else "de datum waarop de zorg eindigde of de cliënt vertrok"
        probleem(_M, f"Bij code {code} is een einddatum verplicht. Vul {wat} in als dd-mm-jjjj.")

    toelichting = read_text(values[_N])
    if toelichting_formule is not None:
        toelichting = None
        formule = toelichting_formule if len(toelichting_formule) <= 40 else toelichting_formule[:39] + "…"
        probleem(_N, (
            f"Hier staat een formule ({formule}), geen tekst. Excel maakt een formule van tekst die begint met "
            "=, +, - of @. Typ de toelichting als gewone tekst: begin met een letter, of zet er een apostrof (') "
            "voor."
        ))
    elif code in CODES_MET_TOELICHTING and toelichting is None:
        probleem(_N, "Bij code X is een toelichting verplicht. Schrijf op waarom de cliënt niet wordt aangeleverd.")

    toegevoegd = False
    client = None
    if bsn is not None and bsn not in b4:
        toegevoegd = True
        if not voldoet_aan_elfproef(bsn):
            probleem(_B, (
                f"Het BSN {bsn} staat niet in de bestandsvergelijking en is geen geldig BSN (het voldoet "
                "niet aan de elfproef). Controleer het BSN."
            ))
        if code in CODES and code != CODE_TOEGEVOEGD:
            probleem(_L, (
                f"Deze cliënt staat niet in de bestandsvergelijking van het CAK. Een cliënt die u toevoegt "
                f"krijgt code {CODE_TOEGEVOEGD}; verander de code in {CODE_TOEGEVOEGD} of verwijder de rij."
            ))
        geslachtsnaam = read_text(values[_C])
        voorletters = read_text(values[_E])
        for index, verplicht in ((_C, geslachtsnaam), (_E, voorletters)):
            if verplicht is None:
                probleem(index, (
                    f"Bij een toegevoegde cliënt is {LAYOUT.columns[index].name} verplicht. "
                    "Vul kolom A tot en met F in."
                ))
        geboortedatum = _date(values[_F], _F, probleem)
        if is_empty(values[_F]):
            probleem(_F, "Bij een toegevoegde cliënt is de geboortedatum verplicht. Vul die in als dd-mm-jjjj.")
        # Without problems, each of these is filled in; the checks above reported every one that is not.
        if (
            not problemen
            and gemeentecode is not None
            and geslachtsnaam is not None
            and voorletters is not None
            and geboortedatum is not None
        ):
            client = ToegevoegdeClient(
                gemeentecode=gemeentecode,
                bsn=bsn,
                geslachtsnaam=geslachtsnaam,
                voorvoegsel=read_text(values[_D]),
                voorletters=voorletters,
                geboortedatum=geboortedatum,
            )

    if problemen or bsn is None:
        return problemen, None
    return problemen, TerugkoppelingRij(number, bsn, code, einddatum, toelichting, toegevoegd, client)


def _date(value: Any, index: int, probleem: Callable[[int, str], None]) -> date | None:
    try:
        return read_date(value)
    except NotADate as error:
        probleem(index, f"'{error}' is geen geldige datum. Vul de datum in als dd-mm-jjjj, bijvoorbeeld 01-10-2022.")
        return None
