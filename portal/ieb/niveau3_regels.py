"""De regels van niveau 3: tegen eerdere berichten (het register) en referentiegegevens.

Headerregels geven een melding voor de Header; perioderegels geven voor één BeschermdWonen een
melding of ``None``. Elke regel is één functie, genoemd naar zijn regel. ``periode_meldingen`` loopt
het bericht één keer door en roept per periode de perioderegels aan, in de volgorde van
``PERIODE_REGELS``; de meldingen krijgen de plaats ``(client_index, periode_index)``.
"""

import calendar
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from portal.ieb.bericht import Client, Periode, Wmo407Bericht
from portal.ieb.constants import (
    STATUS_EERSTE_AANLEVERING,
    STATUS_GEWIJZIGDE_AANLEVERING,
    STATUS_VERWIJDEREN_AANLEVERING,
    TR395_MAANDEN,
)
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


@dataclass
class Toetsing:
    """Alles wat de regels van niveau 3 nodig hebben; het register wordt per BwStartNummer één keer gelezen.

    Wat een regel voor het hele bericht één keer uitrekent (de vroegste BwStartdatum van TR395, de
    overlappende perioden van TR400), bewaart de toetsing ook, bij de eerste vraag.
    """

    bericht: Wmo407Bericht
    vandaag: date
    cbs_codes: Collection[str]
    register: RegisterView
    _geregistreerd: dict[int, GeregistreerdePeriode | None] = field(default_factory=dict, repr=False)

    def geregistreerd(self, bw_startnummer: int) -> GeregistreerdePeriode | None:
        try:
            return self._geregistreerd[bw_startnummer]
        except KeyError:
            gevonden = self._geregistreerd[bw_startnummer] = self.register.periode(bw_startnummer)
            return gevonden

    @cached_property
    def tr395_grens(self) -> date:
        """De vroegste toegestane BwStartdatum: 36 kalendermaanden voor de Dagtekening."""
        return maanden_terug(self.bericht.header.dagtekening, TR395_MAANDEN)

    @cached_property
    def overlappend(self) -> dict[int, "_Stand"]:
        """Per BwStartNummer dat na het bericht een andere periode van dezelfde BSN overlapt: één zo'n periode."""
        return _overlappend_na_bericht(self)


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


def tr404_bw_startnummer_nog_niet_aangeleverd(toetsing: Toetsing, client: Client, periode: Periode) -> Melding | None:
    if (
        periode.status_aanlevering != STATUS_EERSTE_AANLEVERING
        or toetsing.geregistreerd(periode.bw_startnummer) is None
    ):
        return None
    return Melding(
        BW_STARTNUMMER_BESTAAT_AL,
        "TR404",
        "BwStartNummer",
        f"{_periode_naam(periode)} is een eerste aanlevering (StatusAanlevering 1), maar er bestaat al een "
        "aanlevering met dit BwStartNummer (een verwijderde telt ook mee). Gebruik StatusAanlevering 2 om "
        "de bestaande periode te wijzigen, of geef een nieuwe periode een nieuw BwStartNummer, " + _OPNIEUW,
        periode.regelnummer,
    )


def tr103_wijziging_heeft_aanlevering(toetsing: Toetsing, client: Client, periode: Periode) -> Melding | None:
    if (
        periode.status_aanlevering != STATUS_GEWIJZIGDE_AANLEVERING
        or toetsing.geregistreerd(periode.bw_startnummer) is not None
    ):
        return None
    return Melding(
        WIJZIGEN_ZONDER_AANLEVERING,
        "TR103",
        "BwStartNummer",
        f"{_periode_naam(periode)} is een wijziging (StatusAanlevering 2), maar er is nog geen aanlevering "
        "met dit BwStartNummer. Lever een nieuwe periode aan met StatusAanlevering 1, of controleer het "
        "BwStartNummer, " + _OPNIEUW,
        periode.regelnummer,
    )


def tr063_verwijdering_heeft_aanlevering(toetsing: Toetsing, client: Client, periode: Periode) -> Melding | None:
    if (
        periode.status_aanlevering != STATUS_VERWIJDEREN_AANLEVERING
        or toetsing.geregistreerd(periode.bw_startnummer) is not None
    ):
        return None
    return Melding(
        VERWIJDEREN_ZONDER_AANLEVERING,
        "TR063",
        "BwStartNummer",
        f"{_periode_naam(periode)} moet worden verwijderd (StatusAanlevering 3), maar er is geen "
        "aanlevering met dit BwStartNummer. Controleer het BwStartNummer " + _OPNIEUW,
        periode.regelnummer,
    )


def tr104_aanlevering_niet_verwijderd(toetsing: Toetsing, client: Client, periode: Periode) -> Melding | None:
    if periode.status_aanlevering == STATUS_EERSTE_AANLEVERING:
        return None
    geregistreerd = toetsing.geregistreerd(periode.bw_startnummer)
    if geregistreerd is None or not geregistreerd.verwijderd:
        return None
    return Melding(
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


def tr395_startdatum_niet_te_oud(toetsing: Toetsing, client: Client, periode: Periode) -> Melding | None:
    """BwStartdatum ligt niet meer dan 36 kalendermaanden voor de Dagtekening.

    Uitzondering: een wijziging (status 2) of verwijdering (status 3) die de BwStartdatum houdt die
    onder dit BwStartNummer al geregistreerd is; die brengt geen nieuwe, oude startdatum in.
    """
    grens = toetsing.tr395_grens
    if periode.bw_startdatum >= grens:
        return None
    if not periode.is_eerste_aanlevering:
        geregistreerd = toetsing.geregistreerd(periode.bw_startnummer)
        if geregistreerd is not None and geregistreerd.bw_startdatum == periode.bw_startdatum:
            return None
    return Melding(
        STARTDATUM_TE_OUD,
        "TR395",
        "BwStartdatum",
        f"{_periode_naam(periode)} heeft BwStartdatum {datum_tekst(periode.bw_startdatum)}; dat is meer dan "
        f"{TR395_MAANDEN} maanden voor de Dagtekening {datum_tekst(toetsing.bericht.header.dagtekening)} (de "
        f"vroegste toegestane startdatum is {datum_tekst(grens)}). Neem voor een oudere periode contact op met "
        "het CAK, of verbeter de startdatum, " + _OPNIEUW,
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


def _overlappend_na_bericht(toetsing: Toetsing) -> dict[int, _Stand]:
    """Voor elke periode die na het bericht een andere huidige periode van dezelfde BSN overlapt: één daarvan.

    De stand na het bericht: de huidige (niet verwijderde) geregistreerde perioden van de BSN's in het
    bericht, met daaroverheen de perioden van het bericht (status 3 haalt er een weg). Alleen een BSN
    met meer dan één periode in die stand kan overlap hebben, en dat kan alleen een BSN die samen in het
    bericht en in de registratie minstens twee perioden heeft (een periode komt er alleen via het bericht
    bij). Alleen die BSN's worden uitgewerkt; van de andere telt alleen dat hun BwStartNummers niet meer
    bij een andere BSN horen.
    """
    register = toetsing.register
    # Per BwStartNummer: (bsn, begin, einde, uit_bericht); een open einde loopt tot date.max.
    stand: dict[int, tuple[str, date, date, bool]] = {}
    in_bericht: dict[str, int] = {}
    for client in toetsing.bericht.clients:
        in_bericht[client.bsn] = in_bericht.get(client.bsn, 0) + len(client.perioden)
    kandidaten: set[str] = set()
    for bsn, aantal in in_bericht.items():
        huidig = [p for p in register.perioden_van_bsn(bsn) if not p.verwijderd]
        if aantal + len(huidig) < 2:
            continue
        kandidaten.add(bsn)
        for p in huidig:
            stand[p.bw_startnummer] = (p.bsn, p.bw_startdatum, p.bw_einddatum or date.max, False)
    for client in toetsing.bericht.clients:
        bsn = client.bsn
        kandidaat = bsn in kandidaten
        for periode in client.perioden:
            if not kandidaat or periode.is_verwijdering:
                stand.pop(periode.bw_startnummer, None)
            else:
                stand[periode.bw_startnummer] = (bsn, periode.bw_startdatum, periode.bw_einddatum or date.max, True)
    aantal_per_bsn = Counter(bsn for bsn, _, _, _ in stand.values())
    per_bsn: dict[str, list[_Stand]] = {}
    for bw_startnummer, (bsn, begin, einde, uit_bericht) in stand.items():
        if aantal_per_bsn[bsn] > 1:
            per_bsn.setdefault(bsn, []).append(_Stand(bw_startnummer, bsn, begin, einde, uit_bericht))
    partners: dict[int, _Stand] = {}
    for perioden in per_bsn.values():
        partners.update(_overlappende(perioden))
    return partners


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


def tr400_geen_overlap_met_andere_periode(toetsing: Toetsing, client: Client, periode: Periode) -> Melding | None:
    """Een periode overlapt geen andere huidige periode (ander BwStartNummer) van dezelfde BSN.

    "Huidig" is de stand na toepassing van dit bericht: een geregistreerde periode die in dit
    bericht met status 2 wordt vervangen telt in haar nieuwe vorm, een die met status 3 wordt
    verwijderd telt niet meer. Een open einde loopt oneindig door. Perioden met status 3 worden
    niet gecontroleerd.
    """
    overlappend = toetsing.overlappend
    if not overlappend or periode.is_verwijdering:
        return None
    partner = overlappend.get(periode.bw_startnummer)
    if partner is None:
        return None
    herkomst = "die ook in dit bericht staat" if partner.uit_bericht else "die al geregistreerd is"
    einde = None if partner.einde == date.max else partner.einde
    return Melding(
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


# Per perioderegel één uitleg voor al haar meldingen samen, voor wie ze gegroepeerd ziet (``meldingsgroepen``);
# de lijst van BSN's en BwStartNummers staat erbij. De headerregels geven één melding en houden die.
GROEPSUITLEG = {
    "TR404": "Deze perioden zijn een eerste aanlevering (StatusAanlevering 1), maar er bestaat al een aanlevering met "
    "hetzelfde BwStartNummer (een verwijderde telt ook mee). Gebruik StatusAanlevering 2 om een bestaande periode "
    "te wijzigen, of geef een nieuwe periode een nieuw BwStartNummer.",
    "TR103": "Deze perioden zijn een wijziging (StatusAanlevering 2), maar er is nog geen aanlevering met hun "
    "BwStartNummer. Lever een nieuwe periode aan met StatusAanlevering 1, of controleer het BwStartNummer.",
    "TR063": "Deze perioden moeten worden verwijderd (StatusAanlevering 3), maar er is geen aanlevering met hun "
    "BwStartNummer. Controleer het BwStartNummer.",
    "TR104": "Deze perioden zijn al verwijderd en kunnen niet meer gewijzigd of opnieuw verwijderd worden. Lever een "
    "periode zo nodig opnieuw aan met een nieuw BwStartNummer en StatusAanlevering 1.",
    "TR395": f"De BwStartdatum van deze perioden ligt meer dan {TR395_MAANDEN} maanden vóór de Dagtekening van het "
    "bericht. Neem voor een oudere periode contact op met het CAK, of verbeter de startdatum.",
    "TR400": "Deze perioden overlappen een andere periode (met een ander BwStartNummer) van dezelfde cliënt, die al "
    "geregistreerd is of ook in dit bericht staat. Pas de datums aan, of beëindig eerst de andere periode met "
    "StatusAanlevering 2.",
}

HEADER_REGELS: tuple[Callable[[Toetsing], list[Melding]], ...] = (
    tr378_afzender_is_gemeentecode,
    tr135_dagtekening_niet_na_vandaag,
    tr056_identificatie_uniek,
)

# De perioderegels, in de volgorde waarin hun meldingen bij een periode staan.
PERIODE_REGELS: tuple[Callable[[Toetsing, Client, Periode], Melding | None], ...] = (
    tr404_bw_startnummer_nog_niet_aangeleverd,
    tr103_wijziging_heeft_aanlevering,
    tr063_verwijdering_heeft_aanlevering,
    tr104_aanlevering_niet_verwijderd,
    tr395_startdatum_niet_te_oud,
    tr400_geen_overlap_met_andere_periode,
)


def header_meldingen(toetsing: Toetsing) -> list[Melding]:
    return [melding for regel in HEADER_REGELS for melding in regel(toetsing)]


def periode_meldingen(toetsing: Toetsing) -> dict[tuple[int, int], list[Melding]]:
    """De meldingen van de perioderegels, in één doorgang door het bericht; alleen plaatsen met een melding.

    Het gewone geval slaat de regels over: een eerste aanlevering (status 1) van een BwStartNummer dat nog
    niet geregistreerd is, met een BwStartdatum vanaf de grens van TR395 en zonder overlap na het bericht.
    Daar geeft geen van de regels een melding: TR103, TR063 en TR104 gaan over status 2 en 3, TR404 over
    een geregistreerd nummer, TR395 over een oudere startdatum, TR400 over overlap. Elke andere periode
    gaat langs alle regels van ``PERIODE_REGELS``. (Een nieuwe perioderegel hoort in deze voorwaarde.)
    """
    meldingen: dict[tuple[int, int], list[Melding]] = {}
    grens = toetsing.tr395_grens
    overlappend = toetsing.overlappend
    geregistreerd = toetsing.geregistreerd
    for client_index, client in enumerate(toetsing.bericht.clients):
        for periode_index, periode in enumerate(client.perioden):
            if (
                periode.status_aanlevering == STATUS_EERSTE_AANLEVERING
                and periode.bw_startdatum >= grens
                and periode.bw_startnummer not in overlappend
                and geregistreerd(periode.bw_startnummer) is None
            ):
                continue
            for regel in PERIODE_REGELS:
                melding = regel(toetsing, client, periode)
                if melding is not None:
                    meldingen.setdefault((client_index, periode_index), []).append(melding)
    return meldingen
