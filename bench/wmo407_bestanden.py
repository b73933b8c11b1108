"""Deterministic WMO407 files for the benchmark, written with the portal's own streaming writer.

Every client has a BSN that passes the elfproef, a unique BwStartNummer and one period starting on
2022-10-01 (status 1, no end date); the Dagtekening is 2022-10-04. All BSNs have 9 digits and all
BwStartNummers 8, so every client takes exactly the same number of bytes: that is how the largest
file is sized to fit just under the 25 MB transport limit.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path

from portal.ieb import Client, Periode, schrijf_wmo407, wmo407_bytes
from portal.ieb.constants import MAX_BESTANDSGROOTTE

AFZENDER = "0363"
DAGTEKENING = date(2022, 10, 4)
BW_STARTDATUM = date(2022, 10, 1)
EERSTE_BW_STARTNUMMER = 36_300_001          # 8 digits for every client the limit allows
EERSTE_BSN_PREFIX = 10_000_000              # the first 8 digits of the first BSN (9 digits in all)
_GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2)


def bsns() -> Iterator[str]:
    """Unique 9-digit BSNs that pass the elfproef (9·d1 + … + 2·d8 − d9 divisible by 11), in order."""
    prefix = EERSTE_BSN_PREFIX
    while True:
        cijfers = f"{prefix:08d}"
        controle = sum(g * int(c) for g, c in zip(_GEWICHTEN, cijfers, strict=True)) % 11
        if controle < 10:                      # d9 must equal the weighted sum mod 11, and be one digit
            yield cijfers + str(controle)
        prefix += 1


def clients(aantal: int) -> Iterator[Client]:
    for i, bsn in enumerate(islice(bsns(), aantal)):
        yield Client(bsn, (Periode(EERSTE_BW_STARTNUMMER + i, BW_STARTDATUM, None, 1),))


def identificatie(aantal: int) -> str:
    return f"BENCH{aantal:07d}"[:12]


def _grootte(aantal: int) -> int:
    return len(wmo407_bytes(afzender=AFZENDER, identificatie=identificatie(1), dagtekening=DAGTEKENING,
                            clients=clients(aantal)))


def maximaal_aantal(grens: int = MAX_BESTANDSGROOTTE) -> int:
    """The most clients whose WMO407 is at most `grens` bytes."""
    een, twee = _grootte(1), _grootte(2)
    per_client = twee - een
    kop = een - per_client
    return (grens - kop) // per_client


def schrijf(map_: Path, aantal: int) -> Path:
    """Write the WMO407 with `aantal` clients into `map_`; returns its path."""
    pad = map_ / f"680363_WMO407_{aantal}.xml"
    with open(pad, "wb") as bestand:
        schrijf_wmo407(bestand, afzender=AFZENDER, identificatie=identificatie(aantal), dagtekening=DAGTEKENING,
                       clients=clients(aantal))
    return pad


def controleer_voorbeeld() -> None:
    """A generated message must be accepted by the pure core (levels 0 to 3, empty register)."""
    from portal.ieb import InMemoryRegister, beoordeel, lees_wmo407

    schema = lees_wmo407(wmo407_bytes(afzender=AFZENDER, identificatie=identificatie(3), dagtekening=DAGTEKENING,
                                      clients=clients(50)))
    assert schema.ok, schema.samenvatting
    beoordeling = beoordeel(schema.bericht, vandaag=DAGTEKENING, cbs_codes={AFZENDER},
                            register=InMemoryRegister())
    assert beoordeling.geaccepteerd, beoordeling.rapport()

