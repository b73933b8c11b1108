"""The roles a user of the portal can have (domain README, "Actors"), with their Dutch names.

The CAK reads and judges; a gemeente, or a software supplier linked to it, delivers.
"""
from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Rol(StrEnum):
    GEMEENTE = "gemeente"
    GEMEENTE_BEHEERDER = "gemeente_beheerder"
    CAK = "cak"
    CAK_BEHEERDER = "cak_beheerder"
    LEVERANCIER = "leverancier"


ROL_TEKST: Mapping[Rol, str] = {
    Rol.GEMEENTE: "medewerker gemeente",
    Rol.GEMEENTE_BEHEERDER: "beheerder gemeente",
    Rol.CAK: "medewerker CAK",
    Rol.CAK_BEHEERDER: "beheerder CAK",
    Rol.LEVERANCIER: "softwareleverancier",
}

CAK_ROLLEN = frozenset({Rol.CAK, Rol.CAK_BEHEERDER})
"""The roles that see every gemeente and judge what they deliver."""

LEVERENDE_ROLLEN = frozenset({Rol.GEMEENTE, Rol.GEMEENTE_BEHEERDER, Rol.LEVERANCIER})
"""The roles that act for the gemeenten linked to them: they upload and deliver."""

GEMEENTE_ROLLEN = frozenset({Rol.GEMEENTE, Rol.GEMEENTE_BEHEERDER})
"""The gemeente's own staff: they receive the gemeente's mail."""


class Levering(StrEnum):
    """What a gemeente delivers to the CAK: only the roles acting for the gemeente may do it."""

    AANMELDEN = "aanmelden"
    TERUGKOPPELEN = "terugkoppelen"
    WMO407_STUREN = "wmo407_sturen"
    WMO407_MAKEN = "wmo407_maken"
    MUTATIES_INSTUREN = "mutaties_insturen"


LEVERING_TEKST: Mapping[Levering, str] = {
    Levering.AANMELDEN: "de gemeente aanmelden voor een migratieweek",
    Levering.TERUGKOPPELEN: "een terugkoppeling uploaden",
    Levering.WMO407_STUREN: "een WMO407-bericht sturen",
    Levering.WMO407_MAKEN: "een WMO407-bericht laten maken",
    Levering.MUTATIES_INSTUREN: "mutaties insturen",
}


def mag_leveren(rol: Rol | None) -> bool:
    """Whether a user with this role may deliver for a gemeente it may see (None: no user, such as a job
    acting for a demo gemeente). The CAK reads and judges; it never delivers in a gemeente's name."""
    return rol is None or rol in LEVERENDE_ROLLEN


def alleen_leverende_rollen(levering: Levering) -> str:
    """The Dutch refusal for a CAK user who tries to deliver: what is wrong and what to do instead."""
    return (f"Alleen de gemeente of haar softwareleverancier kan {LEVERING_TEKST[levering]}. Als medewerker van "
            "het CAK kunt u de gegevens van de gemeente inzien en beoordelen; er is niets gewijzigd. Vraag de "
            "gemeente om het bestand zelf aan te leveren.")
