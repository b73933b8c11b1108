"""De registratie van perioden beschermd wonen van één Afzender, en hoe een bericht die wijzigt.

``RegisterView`` is wat de regels van niveau 3 mogen lezen. ``wijzigingen`` legt vast wat een
geaccepteerd bericht verandert, zodat de databaseservice precies dezelfde betekenis toepast als
``InMemoryRegister`` (gebruikt door tests, de ketentest en de batchcontrole).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Protocol

from portal.ieb.bericht import Wmo407Bericht
from portal.ieb.constants import (
    STATUS_EERSTE_AANLEVERING,
    STATUS_GEWIJZIGDE_AANLEVERING,
    STATUS_VERWIJDEREN_AANLEVERING,
)


@dataclass(frozen=True, slots=True)
class GeregistreerdePeriode:
    bsn: str
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None
    verwijderd: bool = False


class RegisterView(Protocol):
    """Alleen-lezen zicht op de registratie van één Afzender."""

    def periode(self, bw_startnummer: int) -> GeregistreerdePeriode | None:
        """De periode met dit BwStartNummer, ook als die verwijderd is."""

    def perioden_van_bsn(self, bsn: str) -> Iterable[GeregistreerdePeriode]:
        """Alle perioden van deze BSN, ook de verwijderde."""

    def identificatie_gebruikt(self, identificatie: str) -> bool:
        """Of deze Identificatie al voor een WMO407 van deze Afzender is gebruikt."""


class Actie(StrEnum):
    AANMAKEN = "aanmaken"
    VERVANGEN = "vervangen"
    VERWIJDEREN = "verwijderen"


ACTIE_PER_STATUS = {
    STATUS_EERSTE_AANLEVERING: Actie.AANMAKEN,
    STATUS_GEWIJZIGDE_AANLEVERING: Actie.VERVANGEN,
    STATUS_VERWIJDEREN_AANLEVERING: Actie.VERWIJDEREN,
}


@dataclass(frozen=True, slots=True)
class Wijziging:
    """Wat één periode van een geaccepteerd bericht aan de registratie verandert.

    - ``aanmaken`` (status 1): een nieuwe periode onder ``bw_startnummer``.
    - ``vervangen`` (status 2): de periode onder ``bw_startnummer`` krijgt deze BSN en datums.
    - ``verwijderen`` (status 3): de periode onder ``bw_startnummer`` wordt als verwijderd gemarkeerd;
      haar gegevens blijven zoals ze geregistreerd waren.
    """

    actie: Actie
    bsn: str
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None


def wijzigingen(bericht: Wmo407Bericht) -> list[Wijziging]:
    """De wijzigingen van een bericht, in de volgorde van het bericht. Alleen toepassen als het geaccepteerd is."""
    return [
        Wijziging(
            actie=ACTIE_PER_STATUS[periode.status_aanlevering],
            bsn=client.bsn,
            bw_startnummer=periode.bw_startnummer,
            bw_startdatum=periode.bw_startdatum,
            bw_einddatum=periode.bw_einddatum,
        )
        for _, _, client, periode in bericht.perioden()
    ]


class InMemoryRegister:
    """Een ``RegisterView`` in het geheugen voor één Afzender, met ``pas_toe`` en ``reserveer``."""

    def __init__(self, perioden: Iterable[GeregistreerdePeriode] = (), identificaties: Iterable[str] = ()):
        self._perioden: dict[int, GeregistreerdePeriode] = {}
        self._per_bsn: dict[str, set[int]] = {}
        self._identificaties: set[str] = set(identificaties)
        for periode in perioden:
            self._zet(periode)

    def _zet(self, periode: GeregistreerdePeriode) -> None:
        vorige = self._perioden.get(periode.bw_startnummer)
        if vorige is not None:
            self._per_bsn[vorige.bsn].discard(vorige.bw_startnummer)
        self._perioden[periode.bw_startnummer] = periode
        self._per_bsn.setdefault(periode.bsn, set()).add(periode.bw_startnummer)

    def periode(self, bw_startnummer: int) -> GeregistreerdePeriode | None:
        return self._perioden.get(bw_startnummer)

    def perioden_van_bsn(self, bsn: str) -> list[GeregistreerdePeriode]:
        return [self._perioden[nummer] for nummer in sorted(self._per_bsn.get(bsn, ()))]

    def identificatie_gebruikt(self, identificatie: str) -> bool:
        return identificatie in self._identificaties

    def perioden(self) -> list[GeregistreerdePeriode]:
        """Alle perioden, ook de verwijderde, op BwStartNummer."""
        return [self._perioden[nummer] for nummer in sorted(self._perioden)]

    def reserveer(self, identificatie: str) -> None:
        """Leg vast dat deze Identificatie gebruikt is (elk bericht dat niveau 1 haalt, geaccepteerd of niet)."""
        self._identificaties.add(identificatie)

    def pas_toe(self, bericht: Wmo407Bericht) -> None:
        """Pas een geaccepteerd bericht toe, als één geheel: bij een tegenstrijdigheid verandert er niets."""
        gewijzigd: dict[int, GeregistreerdePeriode] = {}
        for wijziging in wijzigingen(bericht):
            nummer = wijziging.bw_startnummer
            bestaand = gewijzigd.get(nummer, self._perioden.get(nummer))
            if wijziging.actie is Actie.AANMAKEN:
                if bestaand is not None:
                    raise ValueError(f"BwStartNummer {nummer} bestaat al; het bericht is niet toegepast.")
            elif bestaand is None or bestaand.verwijderd:
                raise ValueError(
                    f"BwStartNummer {nummer} bestaat niet of is verwijderd; het bericht is niet toegepast."
                )
            elif wijziging.actie is Actie.VERWIJDEREN:
                gewijzigd[nummer] = replace(bestaand, verwijderd=True)
                continue
            gewijzigd[nummer] = GeregistreerdePeriode(
                bsn=wijziging.bsn,
                bw_startnummer=nummer,
                bw_startdatum=wijziging.bw_startdatum,
                bw_einddatum=wijziging.bw_einddatum,
            )
        for periode in gewijzigd.values():
            self._zet(periode)
