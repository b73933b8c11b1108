"""De regels van niveau 3: tegen eerdere berichten (het register) en referentiegegevens.

Headerregels geven een melding voor de Header; perioderegels geven per BeschermdWonen een melding
met de plaats ``(client_index, periode_index)``. Elke regel is één functie, genoemd naar zijn regel.
"""

import calendar
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date

from portal.ieb.bericht import Periode, Wmo407Bericht
from portal.ieb.constants import TR395_MAANDEN
from portal.ieb.melding import Melding, bij_regel, datum_tekst
from portal.ieb.register import GeregistreerdePeriode, RegisterView
from portal.ieb.retourcodes import (
    AANLEVERING_AL_VERWIJDERD,
    AFZENDER_ONGELDIG,
    BW_STARTNUMMER_BESTAAT_AL,
    DAGTEKENING_NA_HUIDIGE_DATUM,
    IDENTIFICATIE_NIET_UNIEK,
    PERIODE_OVERLAPT,
    STARTDATUM_TE_OUD,
    VERWIJDEREN_ZONDER_AANLEVERING,
    WIJZIGEN_ZONDER_AANLEVERING,
)

_OPNIEUW = "en lever het bericht opnieuw aan met een nieuwe Identificatie."

Plaatsing = tuple[int, int, Melding]


@dataclass
class Toetsing:
    """Alles wat de regels van niveau 3 nodig hebben; het register wordt per BwStartNummer één keer gelezen."""

    bericht: Wmo407Bericht
    vandaag: date
    cbs_codes: Collection[str]
    register: RegisterView
    _geregistreerd: dict[int, GeregistreerdePeriode | None] = field(default_factory=dict, repr=False)

    def geregistreerd(self, bw_startnummer: int) -> GeregistreerdePeriode | None:
        if bw_startnummer not in self._geregistreerd:
            self._geregistreerd[bw_startnummer] = self.register.periode(bw_startnummer)
        return self._geregistreerd[bw_startnummer]


def _periode_naam(periode: Periode) -> str:
    return f"De periode met BwStartNummer {periode.bw_startnummer}{bij_regel(periode.regelnummer)}"


# Header


def tr378_afzender_is_gemeentecode(toetsing: Toetsing) -> list[Melding]:
    header = toetsing.bericht.header
    if header.afzender in toetsing.cbs_codes:
        return []
    return [
        Melding(
            AFZENDER_ONGELDIG,
            "TR378",
            "Afzender",
            f"De Afzender {header.afzender} is geen gemeentecode uit de CBS-lijst van het portaal. Vul de "
            "CBS-gemeentecode van uw gemeente in (4 cijfers, bijvoorbeeld 0363) " + _OPNIEUW,
            header.regelnummer,
        )
    ]


def tr135_dagtekening_niet_na_vandaag(toetsing: Toetsing) -> list[Melding]:
    header = toetsing.bericht.header
    if header.dagtekening <= toetsing.vandaag:
        return []
    return [
        Melding(
            DAGTEKENING_NA_HUIDIGE_DATUM,
            "TR135",
            "Dagtekening",
            f"De Dagtekening {datum_tekst(header.dagtekening)} ligt na vandaag ({datum_tekst(toetsing.vandaag)}). "
            "Gebruik als dagtekening de datum waarop het bericht is gemaakt " + _OPNIEUW,
            header.regelnummer,
        )
    ]


def tr056_identificatie_uniek(toetsing: Toetsing) -> list[Melding]:
    header = toetsing.bericht.header
    if not toetsing.register.identificatie_gebruikt(header.identificatie):
        return []
    return [
        Melding(
            IDENTIFICATIE_NIET_UNIEK,
            "TR056",
            "Identificatie",
            f"De Identificatie '{header.identificatie}' is al eerder gebruikt voor een WMO407 van afzender "
            f"{header.afzender}. Elk bericht moet een eigen Identificatie hebben; geef het bericht een nieuwe "
            "Identificatie en lever het opnieuw aan.",
            header.regelnummer,
        )
    ]


# BeschermdWonen


def tr404_bw_startnummer_nog_niet_aangeleverd(toetsing: Toetsing) -> Iterator[Plaatsing]:
    for client_index, periode_index, _, periode in toetsing.bericht.perioden():
        if periode.is_eerste_aanlevering and toetsing.geregistreerd(periode.bw_startnummer) is not None:
            yield client_index, periode_index, Melding(
                BW_STARTNUMMER_BESTAAT_AL,
                "TR404",
                "BwStartNummer",
                f"{_periode_naam(periode)} is een eerste aanlevering (StatusAanlevering 1), maar er bestaat al een "
                "aanlevering met dit BwStartNummer (een verwijderde telt ook mee). Gebruik StatusAanlevering 2 om "
                "de bestaande periode te wijzigen, of geef een nieuwe periode een nieuw BwStartNummer, " + _OPNIEUW,
                periode.regelnummer,
            )


def tr103_wijziging_heeft_aanlevering(toetsing: Toetsing) -> Iterator[Plaatsing]:
    for client_index, periode_index, _, periode in toetsing.bericht.perioden():
        if periode.is_gewijzigde_aanlevering and toetsing.geregistreerd(periode.bw_startnummer) is None:
            yield client_index, periode_index, Melding(
                WIJZIGEN_ZONDER_AANLEVERING,
                "TR103",
                "BwStartNummer",
                f"{_periode_naam(periode)} is een wijziging (StatusAanlevering 2), maar er is nog geen aanlevering "
                "met dit BwStartNummer. Lever een nieuwe periode aan met StatusAanlevering 1, of controleer het "
                "BwStartNummer, " + _OPNIEUW,
                periode.regelnummer,
            )


def tr063_verwijdering_heeft_aanlevering(toetsing: Toetsing) -> Iterator[Plaatsing]:
    for client_index, periode_index, _, periode in toetsing.bericht.perioden():
        if periode.is_verwijdering and toetsing.geregistreerd(periode.bw_startnummer) is None:
            yield client_index, periode_index, Melding(
                VERWIJDEREN_ZONDER_AANLEVERING,
                "TR063",
                "BwStartNummer",
                f"{_periode_naam(periode)} moet worden verwijderd (StatusAanlevering 3), maar er is geen "
                "aanlevering met dit BwStartNummer. Controleer het BwStartNummer " + _OPNIEUW,
                periode.regelnummer,
            )


def tr104_aanlevering_niet_verwijderd(toetsing: Toetsing) -> Iterator[Plaatsing]:
    for client_index, periode_index, _, periode in toetsing.bericht.perioden():
        if periode.is_eerste_aanlevering:
            continue
        geregistreerd = toetsing.geregistreerd(periode.bw_startnummer)
        if geregistreerd is not None and geregistreerd.verwijderd:
            yield client_index, periode_index, Melding(
                AANLEVERING_AL_VERWIJDERD,
                "TR104",
                "StatusAanlevering",
                f"{_periode_naam(periode)} is al verwijderd en kan niet meer gewijzigd of opnieuw verwijderd "
                "worden. Lever de periode zo nodig opnieuw aan met een nieuw BwStartNummer en StatusAanlevering 1, "
                + _OPNIEUW,
                periode.regelnummer,
            )


def maanden_terug(datum: date, maanden: int) -> date:
    """``datum`` min ``maanden`` kalendermaanden; bestaat die dag niet, dan de laatste dag van die maand."""
    maandnummer = datum.year * 12 + datum.month - 1 - maanden
    jaar, maand = divmod(maandnummer, 12)
    maand += 1
    return date(jaar, maand, min(datum.day, calendar.monthrange(jaar, maand)[1]))


def tr395_startdatum_niet_te_oud(toetsing: Toetsing) -> Iterator[Plaatsing]:
    """BwStartdatum ligt niet meer dan 36 kalendermaanden voor de Dagtekening.

    Uitzondering: een wijziging (status 2) of verwijdering (status 3) die de BwStartdatum houdt die
    onder dit BwStartNummer al geregistreerd is; die brengt geen nieuwe, oude startdatum in.
    """
    dagtekening = toetsing.bericht.header.dagtekening
    grens = maanden_terug(dagtekening, TR395_MAANDEN)
    for client_index, periode_index, _, periode in toetsing.bericht.perioden():
        if periode.bw_startdatum >= grens:
            continue
        if not periode.is_eerste_aanlevering:
            geregistreerd = toetsing.geregistreerd(periode.bw_startnummer)
            if geregistreerd is not None and geregistreerd.bw_startdatum == periode.bw_startdatum:
                continue
        yield client_index, periode_index, Melding(
            STARTDATUM_TE_OUD,
            "TR395",
            "BwStartdatum",
            f"{_periode_naam(periode)} heeft BwStartdatum {datum_tekst(periode.bw_startdatum)}; dat is meer dan "
            f"{TR395_MAANDEN} maanden voor de Dagtekening {datum_tekst(dagtekening)} (de vroegste toegestane "
            f"startdatum is {datum_tekst(grens)}). Neem voor een oudere periode contact op met het CAK, of "
            "verbeter de startdatum, " + _OPNIEUW,
            periode.regelnummer,
        )


@dataclass(frozen=True, slots=True)
class _Stand:
    """Een periode zoals die na toepassing van het bericht zou staan."""

    bw_startnummer: int
    bsn: str
    begin: date
    einde: date
    uit_bericht: bool


def _toestand_na_bericht(toetsing: Toetsing) -> dict[int, _Stand]:
    """De huidige (niet verwijderde) perioden van de BSN's in het bericht, zoals ze na het bericht zouden staan."""
    stand: dict[int, _Stand] = {}
    for bsn in {client.bsn for client in toetsing.bericht.clients}:
        for geregistreerd in toetsing.register.perioden_van_bsn(bsn):
            if not geregistreerd.verwijderd:
                stand[geregistreerd.bw_startnummer] = _Stand(
                    geregistreerd.bw_startnummer,
                    geregistreerd.bsn,
                    geregistreerd.bw_startdatum,
                    geregistreerd.bw_einddatum or date.max,
                    uit_bericht=False,
                )
    for _, _, client, periode in toetsing.bericht.perioden():
        if periode.is_verwijdering:
            stand.pop(periode.bw_startnummer, None)
        else:
            stand[periode.bw_startnummer] = _Stand(
                periode.bw_startnummer,
                client.bsn,
                periode.bw_startdatum,
                periode.bw_einddatum or date.max,
                uit_bericht=True,
            )
    return stand


def _overlappende(perioden: list[_Stand]) -> dict[int, _Stand]:
    """Voor elke periode die een andere overlapt: één periode waarmee ze overlapt (datums inclusief)."""
    gesorteerd = sorted(perioden, key=lambda stand: (stand.begin, stand.bw_startnummer))
    partner: dict[int, _Stand] = {}
    verste: _Stand | None = None
    for index, stand in enumerate(gesorteerd):
        if verste is not None and verste.einde >= stand.begin:
            partner[stand.bw_startnummer] = verste
        elif index + 1 < len(gesorteerd) and gesorteerd[index + 1].begin <= stand.einde:
            partner[stand.bw_startnummer] = gesorteerd[index + 1]
        if verste is None or stand.einde > verste.einde:
            verste = stand
    return partner


def tr400_geen_overlap_met_andere_periode(toetsing: Toetsing) -> Iterator[Plaatsing]:
    """Een periode overlapt geen andere huidige periode (ander BwStartNummer) van dezelfde BSN.

    "Huidig" is de stand na toepassing van dit bericht: een geregistreerde periode die in dit
    bericht met status 2 wordt vervangen telt in haar nieuwe vorm, een die met status 3 wordt
    verwijderd telt niet meer. Een open einde loopt oneindig door. Perioden met status 3 worden
    niet gecontroleerd.
    """
    stand = _toestand_na_bericht(toetsing)
    per_bsn: dict[str, list[_Stand]] = {}
    for periode_stand in stand.values():
        per_bsn.setdefault(periode_stand.bsn, []).append(periode_stand)
    partners: dict[int, _Stand] = {}
    for perioden in per_bsn.values():
        if len(perioden) > 1:
            partners.update(_overlappende(perioden))
    if not partners:
        return
    for client_index, periode_index, client, periode in toetsing.bericht.perioden():
        partner = partners.get(periode.bw_startnummer)
        if periode.is_verwijdering or partner is None:
            continue
        herkomst = "die ook in dit bericht staat" if partner.uit_bericht else "die al geregistreerd is"
        einde = None if partner.einde == date.max else partner.einde
        yield client_index, periode_index, Melding(
            PERIODE_OVERLAPT,
            "TR400",
            "BeschermdWonen",
            f"{_periode_naam(periode)} ({datum_tekst(periode.bw_startdatum)} tot en met "
            f"{datum_tekst(periode.bw_einddatum)}) overlapt de periode met BwStartNummer {partner.bw_startnummer} "
            f"({datum_tekst(partner.begin)} tot en met {datum_tekst(einde)}) van dezelfde cliënt (BSN "
            f"{client.bsn}), {herkomst}. Pas de datums aan of beëindig eerst de andere periode met "
            "StatusAanlevering 2, " + _OPNIEUW,
            periode.regelnummer,
        )


HEADER_REGELS: tuple[Callable[[Toetsing], list[Melding]], ...] = (
    tr378_afzender_is_gemeentecode,
    tr135_dagtekening_niet_na_vandaag,
    tr056_identificatie_uniek,
)

PERIODE_REGELS: tuple[Callable[[Toetsing], Iterator[Plaatsing]], ...] = (
    tr404_bw_startnummer_nog_niet_aangeleverd,
    tr103_wijziging_heeft_aanlevering,
    tr063_verwijdering_heeft_aanlevering,
    tr104_aanlevering_niet_verwijderd,
    tr395_startdatum_niet_te_oud,
    tr400_geen_overlap_met_andere_periode,
)
