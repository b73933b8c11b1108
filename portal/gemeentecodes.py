"""The CBS gemeentecodes valid on 1 October 2022, read from the seed list.

Pure: no Flask, no database. The list itself is `seed/cbs_gemeenten_2022-10-01.csv` (UTF-8, header
`gemeentecode,gemeentenaam`, 4-digit codes with leading zeros); `seed/README.md` names its sources.
"""
from __future__ import annotations

import csv
from pathlib import Path

#: The seed list shipped with the repository (seed/ lies beside the portal package).
STANDAARD_PAD = Path(__file__).resolve().parent.parent / "seed" / "cbs_gemeenten_2022-10-01.csv"

KOPREGEL = ("gemeentecode", "gemeentenaam")


class GemeentelijstFout(RuntimeError):
    """The CBS gemeente list is missing or not in the expected form."""


def laad_cbs_gemeenten(path: Path | str | None = None) -> dict[str, str]:
    """Return {gemeentecode: gemeentenaam} from the CBS list, in code order.

    `path` defaults to the seed list of the repository. Raises GemeentelijstFout with a Dutch
    message when the file is missing or malformed (wrong header, a code that is not 4 digits,
    an empty name, a code that occurs twice).
    """
    pad = Path(path) if path is not None else STANDAARD_PAD
    try:
        with pad.open(encoding="utf-8", newline="") as bestand:
            rijen = list(csv.reader(bestand))
    except FileNotFoundError:
        raise GemeentelijstFout(
            f"De lijst met CBS-gemeentecodes is niet gevonden: {pad}. "
            "Zet het bestand terug (seed/cbs_gemeenten_2022-10-01.csv) of geef het juiste pad op."
        ) from None

    if not rijen or tuple(kolom.strip().lstrip("\ufeff") for kolom in rijen[0]) != KOPREGEL:
        raise GemeentelijstFout(
            f"{pad}: de eerste regel moet 'gemeentecode,gemeentenaam' zijn.")

    gemeenten: dict[str, str] = {}
    for regelnummer, rij in enumerate(rijen[1:], start=2):
        if not rij or all(not veld.strip() for veld in rij):
            continue
        if len(rij) != 2:
            raise GemeentelijstFout(f"{pad}, regel {regelnummer}: verwacht twee kolommen, code en naam.")
        code, naam = rij[0].strip(), rij[1].strip()
        if len(code) != 4 or not code.isdigit():
            raise GemeentelijstFout(
                f"{pad}, regel {regelnummer}: '{code}' is geen gemeentecode van vier cijfers.")
        if not naam:
            raise GemeentelijstFout(f"{pad}, regel {regelnummer}: de gemeentenaam ontbreekt.")
        if code in gemeenten:
            raise GemeentelijstFout(f"{pad}, regel {regelnummer}: gemeentecode {code} staat er dubbel in.")
        gemeenten[code] = naam
    return dict(sorted(gemeenten.items()))


def cbs_codes(path: Path | str | None = None) -> frozenset[str]:
    """The set of valid gemeentecodes (see laad_cbs_gemeenten)."""
    return frozenset(laad_cbs_gemeenten(path))
