"""A mutation through an old channel (H&V-app, Excel sheet, 60-record), its field checks, and the closing rule.

Pure: no Flask, no database. The three intakes turn their input into the same field values (a mapping
from field name to a typed value or None), and ``maak_mutatie`` checks them the same way for all three:

- the required fields of the channel are filled in;
- GEMEENTECODE is one this gemeente may use (its own, or that of a region member that does not deliver
  itself); BSN is 9 digits and passes the elfproef (``portal.bsn``); AANBIEDER_AGB is 8 digits;
- codes come from the lists of the sheet (``portal.spreadsheets.mutaties``);
- DATUM_EINDE_BW is required with STOP and not before DATUM_START_BW; the birth date is not after the start.

The 60-record has fewer fields than the sheet and the form: no names, no birth date, no provider name,
no woonsituatie; its free reference becomes TOELICHTING. Those fields are None in its mutations. A START
through the 60-record can therefore only update a registration the CAK already has (the service reports
an unknown client as a problem of the line); the sheet and the form carry the names and so can create one.

The closing rule (proces.md section 5) is ``weigering_na_sluiting``: the one function that decides, for
every mutation of every old channel, whether a closed channel still accepts it.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from portal.bsn import voldoet_aan_elfproef
from portal.kalender import format_datum
from portal.spreadsheets.mutaties import LAYOUT

START = "START"
STOP = "STOP"

VELDEN: tuple[str, ...] = tuple(column.field for column in LAYOUT.columns)
"""The fields of a mutation, in the order of the sheet's columns."""

VELDNAAM: Mapping[str, str] = {column.field: column.name for column in LAYOUT.columns}
"""The field's name as the sheet writes it (GEMEENTECODE, BSN, ...): the name every message uses."""

CODES: Mapping[str, tuple[str, ...]] = {column.field: column.code_values for column in LAYOUT.columns if column.codes}
"""The allowed codes of the code fields (SOORT_MUTATIE, LEVERINGSVORM, SOORT_BIJDRAGE, WOONSITUATIE)."""

ALLE_VERPLICHT: frozenset[str] = frozenset(column.field for column in LAYOUT.columns if column.required)
"""The required fields of the sheet and the H&V form."""

MAX_LENGTE: Mapping[str, int] = {
    "geslachtsnaam": 200, "voorvoegsel": 20, "voorletters": 20, "aanbieder_naam": 200, "toelichting": 1000}
"""The longest text each text field may hold (the columns of the CAK's registration)."""


@dataclass(frozen=True)
class Mutatie:
    """One start or stop of a BW client, as all three old channels bring it in."""

    gemeentecode: str
    bsn: str
    soort_mutatie: str  # START or STOP
    datum_start_bw: date
    datum_einde_bw: date | None
    aanbieder_agb: str
    leveringsvorm: str
    soort_bijdrage: str
    geslachtsnaam: str | None = None  # None: not in a 60-record
    voorvoegsel: str | None = None
    voorletters: str | None = None
    geboortedatum: date | None = None
    aanbieder_naam: str | None = None
    woonsituatie: str | None = None
    toelichting: str | None = None

    @property
    def is_start(self) -> bool:
        return self.soort_mutatie == START

    @property
    def mutatiedatum(self) -> date:
        """The date the closing rule judges: the start of a START, the end of a STOP."""
        if self.is_start or self.datum_einde_bw is None:
            return self.datum_start_bw
        return self.datum_einde_bw

    @property
    def heeft_personalia(self) -> bool:
        """Whether the mutation names the client (not so in a 60-record)."""
        return self.geslachtsnaam is not None and self.voorletters is not None and self.geboortedatum is not None

    def als_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Veldfout:
    """A problem with one field of one mutation; ``melding`` says what is wrong and what to do."""

    veld: str
    melding: str


def _tekst(waarde: Any) -> str | None:
    if waarde is None:
        return None
    tekst = str(waarde).strip()
    return tekst or None


def maak_mutatie(waarden: Mapping[str, Any], *, gemeentecodes: Collection[str],
                 verplicht: Collection[str] = ALLE_VERPLICHT,
                 al_fout: Collection[str] = ()) -> tuple[Mutatie | None, list[Veldfout]]:
    """Check the field values of one mutation; the mutation when there is no problem, else every problem.

    ``waarden``: field -> text (str), date, or None. ``al_fout``: fields the intake could not read (a date
    that is no date); their problem is already reported, so they are not reported again here."""
    fouten: list[Veldfout] = []

    def fout(veld: str, melding: str) -> None:
        fouten.append(Veldfout(veld, melding))

    tekst = {veld: _tekst(waarden.get(veld)) for veld in VELDEN if not isinstance(waarden.get(veld), date)}
    datums: dict[str, date] = {veld: w for veld in VELDEN if isinstance(w := waarden.get(veld), date)}

    def leeg(veld: str) -> bool:
        return tekst.get(veld) is None and datums.get(veld) is None

    for veld in VELDEN:
        if veld in verplicht and veld not in al_fout and leeg(veld):
            fout(veld, f"{VELDNAAM[veld]} ontbreekt. {_INVULLEN[veld]}")

    code = tekst.get("gemeentecode")
    if code is not None and "gemeentecode" not in al_fout:
        if not (code.isdigit() and len(code) == 4):
            fout("gemeentecode", f"'{code}' is geen gemeentecode: die bestaat uit 4 cijfers. "
                                 f"{_INVULLEN['gemeentecode']}")
        elif code not in gemeentecodes:
            toegestaan = ", ".join(sorted(gemeentecodes))
            fout("gemeentecode", f"De gemeentecode {code} hoort niet bij uw gemeente. Gebruik een van deze codes: "
                                 f"{toegestaan}.")
    bsn = tekst.get("bsn")
    if bsn is not None and "bsn" not in al_fout:
        if not (bsn.isascii() and bsn.isdigit() and len(bsn) == 9):
            fout("bsn", f"'{bsn}' is geen geldig BSN: een BSN bestaat uit 9 cijfers. Vul het juiste BSN in.")
        elif not voldoet_aan_elfproef(bsn):
            fout("bsn", f"Het BSN {bsn} is niet geldig (het voldoet niet aan de elfproef). Controleer het BSN.")
    agb = tekst.get("aanbieder_agb")
    if agb is not None and "aanbieder_agb" not in al_fout and not (agb.isascii() and agb.isdigit() and len(agb) == 8):
        fout("aanbieder_agb", f"'{agb}' is geen AGB-code: die bestaat uit 8 cijfers. Vul de AGB-code van de "
                              "zorgaanbieder in.")
    for veld, lijst in CODES.items():
        waarde = tekst.get(veld)
        if waarde is not None and veld not in al_fout:
            tekst[veld] = waarde = waarde.upper()
            if waarde not in lijst:
                fout(veld, f"'{waarde}' is geen geldige waarde voor {VELDNAAM[veld]}. Kies {_of(lijst)}.")
    for veld, maximum in MAX_LENGTE.items():
        waarde = tekst.get(veld)
        if waarde is not None and len(waarde) > maximum:
            fout(veld, f"{VELDNAAM[veld]} is {len(waarde)} tekens lang; het maximum is {maximum}. Kort de tekst in.")

    start, einde, geboren = datums.get("datum_start_bw"), datums.get("datum_einde_bw"), datums.get("geboortedatum")
    if tekst.get("soort_mutatie") == STOP and einde is None and "datum_einde_bw" not in al_fout:
        fout("datum_einde_bw", "Bij een afmelding (STOP) is DATUM_EINDE_BW verplicht. Vul de einddatum van het "
                               "beschermd wonen in (dd-mm-jjjj).")
    if isinstance(start, date) and isinstance(einde, date) and einde < start:
        fout("datum_einde_bw", f"DATUM_EINDE_BW ({format_datum(einde)}) ligt vóór DATUM_START_BW "
                               f"({format_datum(start)}). Controleer beide datums.")
    if isinstance(start, date) and isinstance(geboren, date) and geboren > start:
        fout("geboortedatum", f"De geboortedatum ({format_datum(geboren)}) ligt na DATUM_START_BW "
                              f"({format_datum(start)}). Controleer beide datums.")

    if fouten or al_fout:
        return None, fouten
    mutatie = Mutatie(
        gemeentecode=str(tekst["gemeentecode"]), bsn=str(tekst["bsn"]), soort_mutatie=str(tekst["soort_mutatie"]),
        datum_start_bw=datums["datum_start_bw"], datum_einde_bw=einde, aanbieder_agb=str(tekst["aanbieder_agb"]),
        leveringsvorm=str(tekst["leveringsvorm"]), soort_bijdrage=str(tekst["soort_bijdrage"]),
        geslachtsnaam=tekst.get("geslachtsnaam"), voorvoegsel=tekst.get("voorvoegsel"),
        voorletters=tekst.get("voorletters"), geboortedatum=geboren, aanbieder_naam=tekst.get("aanbieder_naam"),
        woonsituatie=tekst.get("woonsituatie"), toelichting=tekst.get("toelichting"))
    return mutatie, []


def _of(codes: Iterable[str]) -> str:
    lijst = list(codes)
    return lijst[0] if len(lijst) == 1 else ", ".join(lijst[:-1]) + " of " + lijst[-1]


_INVULLEN: Mapping[str, str] = {
    "gemeentecode": "Vul de CBS-code van de verantwoordelijke gemeente in (4 cijfers).",
    "bsn": "Vul het BSN van de cliënt in (9 cijfers).",
    "geslachtsnaam": "Vul de geslachtsnaam van de cliënt in.",
    "voorvoegsel": "",
    "voorletters": "Vul de voorletters van de cliënt in.",
    "geboortedatum": "Vul de geboortedatum in (dd-mm-jjjj).",
    "soort_mutatie": "Kies START (aanmelden) of STOP (afmelden).",
    "datum_start_bw": "Vul de begindatum van het beschermd wonen in (dd-mm-jjjj).",
    "datum_einde_bw": "Vul de einddatum van het beschermd wonen in (dd-mm-jjjj).",
    "aanbieder_agb": "Vul de AGB-code van de zorgaanbieder in (8 cijfers).",
    "aanbieder_naam": "Vul de naam van de zorgaanbieder in.",
    "leveringsvorm": "Kies ZIN (zorg in natura) of PGB (persoonsgebonden budget).",
    "soort_bijdrage": "Kies LEB (lage eigen bijdrage) of HEB (hoge eigen bijdrage).",
    "woonsituatie": "Kies " + _of(CODES["woonsituatie"]) + ".",
    "toelichting": "",
}


# ---------------------------------------------------------------- the closing rule

def sluitingsregel(peildatum: date) -> str:
    """The closing rule in one Dutch sentence, for where a closed channel is offered."""
    return (f"Dit kanaal is gesloten: alleen mutaties met een start- of einddatum vóór {format_datum(peildatum)} "
            "worden nog aangenomen; meld andere aan- en afmeldingen met een WMO407-bericht.")


def weigering_na_sluiting(*, kanaalnaam: str, gemeentenaam: str, open_: bool, peildatum: date,
                          data: Iterable[date | None]) -> str | None:
    """Why a mutation through an old channel is refused, or None when it is accepted.

    An open channel accepts it. After closing, a mutation whose start or stop date lies before the
    peildatum is still accepted (the care period before 1-10-2022); anything else must go by WMO407."""
    if open_:
        return None
    if any(d is not None and d < peildatum for d in data):
        return None
    return (f"Het kanaal {kanaalnaam} is voor {gemeentenaam} gesloten sinds de migratie naar iEb 2.0. "
            f"Alleen mutaties met een start- of einddatum vóór {format_datum(peildatum)} worden hier nog "
            "aangenomen. Meld deze cliënt aan of af met een WMO407-bericht.")
