"""Productafname: was an eigen bijdrage imposed for a delivered BW period, and which kind.

The CAK's real decision depends on income and household data the portal does not have. The portal
decides by the documented rules of ``shared/domain/bestanden.md`` (Aanleverrapportage, sheet
Productafname), in this order:

1. the client is under 18 on the BwStartdatum -> ``N``, "Cliënt is minderjarig";
2. the period ended before it ran for a full day (einddatum = startdatum) -> ``N``, "Periode te kort";
3. otherwise ``J``, with the SOORT_BIJDRAGE of the CAK registration (B4 data), ``HEB`` when unknown,
   and INGANGSDATUM = BwStartdatum.

Interpretations: an unknown birth date skips rule 1 (no proof of being a minor); an einddatum before
the startdatum (which the WMO407 rules already reject) also counts as "Periode te kort"; someone born
on 29 February turns 18 on 1 March in a non-leap year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MEERDERJARIG_VANAF = 18
REDEN_MINDERJARIG = "Cliënt is minderjarig"
REDEN_PERIODE_TE_KORT = "Periode te kort"


class SoortBijdrage(StrEnum):
    LEB = "LEB"  # lage eigen bijdrage
    HEB = "HEB"  # hoge eigen bijdrage


SOORT_BIJDRAGE_ONBEKEND = SoortBijdrage.HEB
"""The kind imposed when the CAK registration does not say (project rule)."""


@dataclass(frozen=True)
class Productafname:
    eigen_bijdrage_opgelegd: str  # "J" or "N"
    soort_bijdrage: SoortBijdrage | None
    reden_geen_eigen_bijdrage: str | None
    ingangsdatum_eigen_bijdrage: date | None


def leeftijd_op(geboortedatum: date, dag: date) -> int:
    """Age in whole years on a day."""
    nog_niet_jarig = (dag.month, dag.day) < (geboortedatum.month, geboortedatum.day)
    return dag.year - geboortedatum.year - int(nog_niet_jarig)


def bepaal_productafname(
    *,
    bw_startdatum: date,
    bw_einddatum: date | None,
    geboortedatum: date | None,
    soort_bijdrage_cak: str | None,
) -> Productafname:
    """The productafname of one BW period."""
    if geboortedatum is not None and leeftijd_op(geboortedatum, bw_startdatum) < MEERDERJARIG_VANAF:
        return Productafname("N", None, REDEN_MINDERJARIG, None)
    if bw_einddatum is not None and bw_einddatum <= bw_startdatum:
        return Productafname("N", None, REDEN_PERIODE_TE_KORT, None)
    soort = SOORT_BIJDRAGE_ONBEKEND
    if soort_bijdrage_cak and soort_bijdrage_cak.strip().upper() in SoortBijdrage.__members__:
        soort = SoortBijdrage(soort_bijdrage_cak.strip().upper())
    return Productafname("J", soort, None, bw_startdatum)
