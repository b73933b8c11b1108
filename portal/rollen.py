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
