"""Reading a 60-record file (the ``RECORD60`` channel; layout in bestanden.md, "60-record", project decision).

ASCII, one record per line, every line exactly 60 characters; a line ends with LF or CRLF, and a final
newline is allowed. Positions are 1-based and inclusive. Each line is read into the fields of a mutation
(S/E become START/STOP, Z/P become ZIN/PGB, the reference becomes TOELICHTING) and checked by
``portal.mutaties.maak_mutatie``, as the sheet and the form are. The 60-record has no names, no birth
date, no provider name and no woonsituatie: those fields stay None (see ``portal.mutaties``).

Every bad line is reported with its line number, the position(s) and the field, all at once. Nothing
here raises on a bad file.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.mutaties import Mutatie, maak_mutatie

LENGTE = 60
RECORDTYPE = "60"
MAX_GROOTTE = 5 * 1024 * 1024
"""A file above this is refused: at 62 bytes a line, that is some 80.000 mutations."""


@dataclass(frozen=True)
class Positie:
    begin: int  # 1-based
    einde: int  # inclusive
    naam: str  # Dutch, as bestanden.md names the field

    def lees(self, regel: str) -> str:
        return regel[self.begin - 1:self.einde]

    @property
    def tekst(self) -> str:
        return f"positie {self.begin}" if self.begin == self.einde else f"posities {self.begin}-{self.einde}"


RECORDSOORT = Positie(1, 2, "recordsoort")
POSITIES: Mapping[str, Positie] = {
    "gemeentecode": Positie(3, 6, "gemeentecode"),
    "bsn": Positie(7, 15, "BSN"),
    "soort_mutatie": Positie(16, 16, "mutatiesoort"),
    "datum_start_bw": Positie(17, 24, "datum start BW"),
    "datum_einde_bw": Positie(25, 32, "datum einde BW"),
    "aanbieder_agb": Positie(33, 40, "AGB-code aanbieder"),
    "soort_bijdrage": Positie(41, 43, "soort bijdrage"),
    "leveringsvorm": Positie(44, 44, "leveringsvorm"),
    "toelichting": Positie(45, 60, "referentie"),
}
"""Where each field of a mutation stands in a record."""

VERPLICHT = frozenset({"gemeentecode", "bsn", "soort_mutatie", "datum_start_bw", "aanbieder_agb", "soort_bijdrage",
                       "leveringsvorm"})
MUTATIESOORT = {"S": "START", "E": "STOP"}
LEVERINGSVORM = {"Z": "ZIN", "P": "PGB"}


@dataclass(frozen=True)
class Regelprobleem:
    regel: int | None  # 1-based line number; None for the file as a whole
    posities: str | None  # "posities 7-15"
    veld: str | None
    melding: str

    def __str__(self) -> str:
        plaats = []
        if self.regel is not None:
            plaats.append(f"Regel {self.regel}")
        if self.posities is not None:
            plaats.append(f"{self.posities} ({self.veld})")
        return (", ".join(plaats) + ": " if plaats else "") + self.melding


@dataclass(frozen=True)
class Record60Resultaat:
    problemen: tuple[Regelprobleem, ...]
    mutaties: tuple[tuple[int, Mutatie], ...]  # (line number, mutation) of the good lines

    @property
    def geldig(self) -> bool:
        return not self.problemen


def probleem(regel: int | None, veld: str, melding: str) -> Regelprobleem:
    """A problem of one field of a line, placed at the field's positions."""
    positie = POSITIES[veld]
    return Regelprobleem(regel, positie.tekst, positie.naam, melding)


def _bestandsprobleem(melding: str) -> Record60Resultaat:
    return Record60Resultaat((Regelprobleem(None, None, None, melding),), ())


def regels(inhoud: bytes) -> list[bytes]:
    """The lines of the file, without their LF or CRLF; a final newline does not make an extra line."""
    gesplitst = inhoud.split(b"\n")
    if gesplitst and gesplitst[-1] == b"":
        gesplitst.pop()
    return [r[:-1] if r.endswith(b"\r") else r for r in gesplitst]


def _datum(tekst: str) -> date | None:
    if not (tekst.isdigit() and len(tekst) == 8):
        return None
    try:
        return date(int(tekst[:4]), int(tekst[4:6]), int(tekst[6:]))
    except ValueError:
        return None


def _lees_regel(nummer: int, ruw: bytes, gemeentecodes: Collection[str]) -> tuple[list[Regelprobleem],
                                                                                     Mutatie | None]:
    niet_ascii = [i + 1 for i, b in enumerate(ruw) if b > 127 or (b < 32 and b != 9)]
    if niet_ascii:
        plaatsen = ", ".join(str(p) for p in niet_ascii[:5]) + (" …" if len(niet_ascii) > 5 else "")
        return [Regelprobleem(nummer, f"positie {niet_ascii[0]}", "tekens", (
            f"De regel bevat tekens die geen gewone ASCII-tekens zijn (op positie {plaatsen}). Gebruik alleen "
            "letters zonder accenten, cijfers en spaties, en sla het bestand op als ASCII-tekst."))], None
    regel = ruw.decode("ascii")
    if len(regel) != LENGTE:
        return [Regelprobleem(nummer, None, None, (
            f"De regel is {len(regel)} tekens lang; elke regel moet precies {LENGTE} tekens lang zijn. Vul de "
            "referentie (posities 45-60) aan met spaties, of verwijder de lege regel."))], None

    problemen: list[Regelprobleem] = []
    if RECORDSOORT.lees(regel) != RECORDTYPE:
        problemen.append(Regelprobleem(nummer, RECORDSOORT.tekst, RECORDSOORT.naam, (
            f"Hier staat '{RECORDSOORT.lees(regel)}'; een 60-record begint met {RECORDTYPE}. Controleer of dit een "
            "60-record-bestand is.")))
    waarden: dict[str, Any] = {}
    al_fout: set[str] = set()
    for veld, positie in POSITIES.items():
        tekst = positie.lees(regel)
        if veld in ("datum_start_bw", "datum_einde_bw"):
            if tekst.strip() == "":
                waarden[veld] = None
            elif (dag := _datum(tekst)) is None:
                al_fout.add(veld)
                problemen.append(probleem(nummer, veld, (
                    f"'{tekst}' is geen geldige datum. Schrijf de datum als EEJJMMDD, bijvoorbeeld 20220915"
                    + (", of laat de posities leeg (spaties) als er geen einddatum is." if veld == "datum_einde_bw"
                       else "."))))
            else:
                waarden[veld] = dag
        elif veld == "soort_mutatie":
            waarden[veld] = MUTATIESOORT.get(tekst, tekst)
            if tekst.strip() and tekst not in MUTATIESOORT:
                al_fout.add(veld)
                problemen.append(probleem(nummer, veld, f"'{tekst}' is geen mutatiesoort. Gebruik S (start) of E "
                                                        "(einde)."))
        elif veld == "leveringsvorm":
            waarden[veld] = LEVERINGSVORM.get(tekst, tekst)
            if tekst.strip() and tekst not in LEVERINGSVORM:
                al_fout.add(veld)
                problemen.append(probleem(nummer, veld, f"'{tekst}' is geen leveringsvorm. Gebruik Z (zorg in "
                                                        "natura) of P (pgb)."))
        else:
            waarden[veld] = tekst.strip() or None
            if veld in ("gemeentecode", "bsn", "aanbieder_agb") and tekst.strip() and not tekst.isdigit():
                al_fout.add(veld)
                problemen.append(probleem(nummer, veld, (
                    f"'{tekst}' bestaat niet uit {len(tekst)} cijfers. Vul op deze posities alleen cijfers in, "
                    "met voorloopnullen.")))
    mutatie, fouten = maak_mutatie(waarden, gemeentecodes=gemeentecodes, verplicht=VERPLICHT, al_fout=al_fout)
    problemen += [probleem(nummer, f.veld, _in_record(f.melding)) for f in fouten]
    problemen.sort(key=lambda p: int((p.posities or "0").split()[-1].split("-")[0]))
    return problemen, None if problemen else mutatie


def _in_record(melding: str) -> str:
    """A shared message in the record's words (STOP is E here, a date is EEJJMMDD)."""
    return (melding.replace("afmelding (STOP)", "afmelding (E)").replace("(dd-mm-jjjj)", "(EEJJMMDD)")
            .replace("Kies START (aanmelden) of STOP (afmelden).", "Gebruik S (start) of E (einde)."))


def lees_record60(inhoud: bytes, *, gemeentecodes: Collection[str]) -> Record60Resultaat:
    """Read and check a 60-record file. ``gemeentecodes``: the codes positions 3-6 may hold."""
    if not inhoud.strip():
        return _bestandsprobleem("Het bestand is leeg. Kies het 60-record-bestand met de mutaties en upload het "
                                 "opnieuw.")
    if len(inhoud) > MAX_GROOTTE:
        return _bestandsprobleem(f"Het bestand is groter dan {MAX_GROOTTE // (1024 * 1024)} MB. Verdeel de "
                                 "mutaties over meerdere bestanden en upload ze afzonderlijk.")
    if inhoud.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return _bestandsprobleem("Dit is een Excel-bestand, geen 60-record-bestand (tekst). Upload een Excel-"
                                 "bestand bij 'Excel-bestand uploaden', of kies het tekstbestand met de 60-records.")
    problemen: list[Regelprobleem] = []
    mutaties: list[tuple[int, Mutatie]] = []
    for nummer, ruw in enumerate(regels(inhoud), start=1):
        regel_problemen, mutatie = _lees_regel(nummer, ruw, gemeentecodes)
        problemen += regel_problemen
        if mutatie is not None:
            mutaties.append((nummer, mutatie))
    return Record60Resultaat(tuple(problemen), tuple(mutaties))
