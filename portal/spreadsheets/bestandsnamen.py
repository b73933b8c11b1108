"""File names of the files the portal publishes (bestanden.md, "File names").

``prefix`` is the gemeente's CAK file prefix (configurable per gemeente, default ``68`` + gemeentecode);
the date is the ``yyyymmdd`` of the calendar step, not of the moment a job ran.
"""

from __future__ import annotations

from datetime import date

from portal.spreadsheets.mutaties import TEMPLATE_FILENAME as MUTATIES_SJABLOON

__all__ = [
    "MUTATIES_SJABLOON",
    "aanleverrapportage",
    "b4_bestandsvergelijking",
    "bimaandelijkse_vergelijking",
    "default_prefix",
    "ontbrekende_wmo407",
    "verslag",
    "wmo408",
]


def default_prefix(gemeentecode: str) -> str:
    """``68`` + the 4-digit gemeentecode: ``680363`` for Amsterdam."""
    return f"68{gemeentecode}"


def b4_bestandsvergelijking(prefix: str, dag: date) -> str:
    return f"{prefix}_B4_Bestandsvergelijking_{dag:%Y%m%d}.xlsx"


def aanleverrapportage(prefix: str, dag: date) -> str:
    """The timeslot Wednesday report and the weekly report."""
    return f"{prefix}_AanleverrapportageBW_{dag:%Y%m%d}.xlsx"


def verslag(prefix: str, dag: date) -> str:
    return f"{prefix}_Verslag_Migratie_{dag:%Y%m%d}.xlsx"


def ontbrekende_wmo407(prefix: str, dag: date) -> str:
    return f"{prefix}_Ontbrekende407_{dag:%Y%m%d}.xlsx"


def bimaandelijkse_vergelijking(prefix: str, dag: date) -> str:
    return f"{prefix}_Bestandsvergelijking_BW_{dag:%Y%m%d}.xlsx"


def wmo408(prefix: str, identificatie_retour: str) -> str:
    return f"{prefix}_WMO408_{identificatie_retour}.xml"
