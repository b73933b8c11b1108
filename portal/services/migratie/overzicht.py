"""What the screens and the command line show of migrations: the status of each delivering gemeente
(state, flags, next deadline, counts, what the CAK must do), and the gemeente's own folder page."""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select

from portal import kalender, toestanden
from portal.extensions import db
from portal.models import (
    B4Regel,
    Gemeente,
    Kanaal,
    Migratie,
    User,
    Wmo407Bericht,
)
from portal.services import kanalen, toegang
from portal.services.klok import nu
from portal.services.migratie import dossier, statussen
from portal.services.migratie.dossier import Migratiestand
from portal.toestanden import MogelijkeActie, Overgang, Toestand, Vlag


def vlaggen(migratie: Migratiestand) -> list[Vlag]:
    result = []
    if migratie.terugkoppeling_te_laat:
        result.append(Vlag.TERUGKOPPELING_TE_LAAT)
    if migratie.akkoord_te_laat:
        result.append(Vlag.AKKOORD_TE_LAAT)
    if migratie.aanlevering_te_laat:
        result.append(Vlag.AANLEVERING_TE_LAAT)
    return result


def toelichting(gemeente: Gemeente, migratie: Migratie, moment: datetime) -> str | None:
    """What the CAK should know beside the state: why the weekly reports do not come."""
    return toelichting_bij(migratie, kanalen.is_open(gemeente, kanalen.Kanaalsoort.IEB), moment)


def toelichting_bij(migratie: Migratiestand, ieb_open: bool, moment: datetime) -> str | None:
    """`toelichting`, with whether the gemeente's iEb channel is open already known."""
    if migratie.timeslot is None or ieb_open:
        return None
    eerste = kalender.to_utc(dossier.kalendermoment(migratie, kalender.Stap.WEKELIJKSE_RAPPORTAGE))
    if moment < eerste:
        return None
    return ("geen wekelijkse aanleverrapportage: nog geen akkoord om aan te leveren "
            "(alleen gemeenten met een geopend kanaal iEb krijgen die)")


def volgende_deadline(migratie: Migratiestand) -> tuple[datetime, str] | None:
    """The next moment that matters for this gemeente, with what it is (local time)."""
    toestand = migratie.toestand
    if migratie.timeslot is None:
        return None
    if toestand == Toestand.GEPLAND:
        return dossier.kalendermoment(migratie, kalender.Stap.B4_PUBLICEREN), "bestandsvergelijking wordt geplaatst"
    if toestand == Toestand.BV_GEPUBLICEERD:
        return dossier.kalendermoment(migratie, kalender.Stap.TERUGKOPPELING_DEADLINE), "terugkoppeling uiterlijk"
    if toestand == Toestand.TERUGGEKOPPELD:
        return dossier.kalendermoment(migratie, kalender.Stap.AKKOORD_UITERLIJK), "akkoord CAK uiterlijk"
    if toestand == Toestand.AKKOORD_AANLEVEREN and migratie.aanleverdeadline:
        return kalender.to_local(migratie.aanleverdeadline), "aanlevering WMO407 uiterlijk"
    if toestand == Toestand.AANGELEVERD and migratie.aanleverdeadline:
        return kalender.rapportagemoment(migratie.aanleverdeadline), "aanleverrapportage"
    return None


def actie_nodig(migratie: Migratiestand, moment: datetime | None = None) -> str | None:
    """What the CAK must do or chase now for this gemeente, in Dutch; None when nothing."""
    moment = moment or nu()
    return toestanden.actie_nodig(migratie.toestand, aangemeld=migratie.aangemeld_op is not None,
                       terugkoppeling_te_laat=bool(migratie.terugkoppeling_te_laat),
                       aanlevering_verlopen=bool(migratie.aanleverdeadline and moment > migratie.aanleverdeadline))


def mogelijke_acties(migratie: Migratie, user: User, moment: datetime | None = None) -> list[MogelijkeActie]:
    """What this user can do now for this gemeente on the CAK's page, by its state and the user's role; an
    action that cannot work now carries the reason instead."""
    moment = moment or nu()
    acties = []
    for actie in toestanden.mogelijke_acties(migratie.toestand, user.role):
        if actie.naam == Overgang.PLANNEN and not dossier.open_timeslots(moment):
            actie = replace(actie, kan_niet=(
                "Plannen kan niet meer: van elke migratieweek is het moment voor de bestandsvergelijking "
                "voorbij. Neem contact op met het team migratie over een oplossing."))
        acties.append(actie)
    return acties


@dataclass(frozen=True)
class Status:
    gemeente: Gemeente
    migratie: Migratie
    toestand: Toestand
    vlaggen: list[Vlag]
    deadline: tuple[datetime, str] | None
    actie_nodig: str | None
    aantallen: dict[str, int]
    toelichting: str | None = None

    @property
    def naam(self) -> str:
        return self.gemeente.naam

    @property
    def timeslot(self) -> date | None:
        return self.migratie.timeslot

    def als_json(self) -> dict[str, Any]:
        return {
            "code": self.gemeente.code,
            "naam": self.gemeente.naam,
            "toestand": self.toestand.value,
            "timeslot": self.migratie.timeslot.isoformat() if self.migratie.timeslot else None,
            "vlaggen": [v.value for v in self.vlaggen],
            "volgende_deadline": kalender.format_invoer(self.deadline[0]) if self.deadline else None,
            "aantallen": self.aantallen,
        }


def _aantallen(gemeente: Gemeente, migratie: Migratie) -> dict[str, int]:
    b4 = dossier.laatste_b4(gemeente)
    in_b4 = (db.session.scalar(select(func.count()).select_from(B4Regel).where(B4Regel.bestand_id == b4.id)) or 0
             if b4 else 0)
    codes = Counter(dossier.verwachte_codes(gemeente).values())
    berichten = Counter(db.session.scalars(select(Wmo407Bericht.geaccepteerd).where(
        Wmo407Bericht.gemeente_id == gemeente.id)))
    return statussen.tellingen(migratie, in_b4, dict(codes), {True: berichten.get(True, 0),
                                                              False: berichten.get(False, 0)})


def status(gemeente: Gemeente) -> Status:
    migratie = dossier.migratie_van(gemeente)
    moment = nu()
    return Status(gemeente, migratie, migratie.toestand, vlaggen(migratie), volgende_deadline(migratie),
                  actie_nodig(migratie, moment), _aantallen(gemeente, migratie),
                  toelichting(gemeente, migratie, moment))


GEEN_TIMESLOT = date.max


def _leverend(query: Select, user: User | None, code: str | None, timeslot: date | None) -> Select:
    """The query limited to the delivering gemeenten the user may see, and to one gemeente or timeslot."""
    query = query.where((Gemeente.soort == "centrumgemeente") | (Gemeente.levert_zelf_aan.is_(True)))
    if user is not None:
        ids = toegang.zichtbare_gemeente_ids(user)
        if ids is not None:
            query = query.where(Gemeente.id.in_(ids))
    if code is not None:
        query = query.where(Gemeente.code == code)
    if timeslot == GEEN_TIMESLOT:
        query = query.where(Migratie.timeslot.is_(None))
    elif timeslot is not None:
        query = query.where(Migratie.timeslot == timeslot)
    return query


def overzicht(user: User | None = None, code: str | None = None, *, timeslot: date | None = None,
              met_aantallen: bool = True, moment: datetime | None = None,
              ids: Collection[int] | None = None) -> list[Status]:
    """Every delivering gemeente the user may see (all of them without a user), by timeslot and name; only one
    gemeente (`code`), one timeslot (`timeslot`; GEEN_TIMESLOT: those not planned yet) or these gemeenten (`ids`,
    as `stand` gives them). One query for the
    gemeenten with their migration and iEb channel, and with `met_aantallen` three for the counts (else they are
    empty), whatever the number of gemeenten; the clock is read once (or `moment` is used)."""
    moment = moment or nu()
    query = _leverend(select(Gemeente, Migratie, Kanaal.open)
                      .outerjoin(Migratie, Migratie.gemeente_id == Gemeente.id)
                      .outerjoin(Kanaal, (Kanaal.gemeente_id == Gemeente.id)
                                 & (Kanaal.kanaal == kanalen.Kanaalsoort.IEB.value)), user, code, timeslot)
    if ids is not None:
        query = query.where(Gemeente.id.in_(ids))
    rijen = []
    for gemeente, migratie, ieb_open in db.session.execute(query.order_by(Gemeente.code)).all():
        if migratie is None:
            migratie = Migratie(gemeente_id=gemeente.id, toestand=Toestand.NIET_GEPLAND,
                                terugkoppeling_te_laat=False, aanlevering_te_laat=False)
        ieb = kanalen.STANDAARD_OPEN[kanalen.Kanaalsoort.IEB] if ieb_open is None else bool(ieb_open)
        rijen.append((gemeente, migratie, ieb))
    aantallen = statussen.aantallen_van([m for _, m, _ in rijen]) if met_aantallen and rijen else {}
    result = [Status(gemeente, migratie, migratie.toestand, vlaggen(migratie), volgende_deadline(migratie),
                     actie_nodig(migratie, moment), aantallen.get(gemeente.id, {}),
                     toelichting_bij(migratie, ieb, moment))
              for gemeente, migratie, ieb in rijen]
    result.sort(key=lambda s: (s.migratie.timeslot or GEEN_TIMESLOT, s.gemeente.naam))
    return result


class _Kolommen(NamedTuple):
    """A migration's columns that `Migratiestand` asks for, read without the ORM object."""

    toestand: Toestand
    timeslot: date | None
    aangemeld_op: datetime | None
    aanleverdeadline: datetime | None
    terugkoppeling_te_laat: bool
    akkoord_te_laat: bool
    aanlevering_te_laat: bool


@dataclass(frozen=True)
class Stand:
    """A gemeente's state, flags, next deadline and what the CAK must do, without its records: enough to count
    and order many gemeenten (`stand`); `overzicht(ids=...)` gives the full `Status` of those shown."""

    gemeente_id: int
    naam: str
    timeslot: date | None
    toestand: Toestand
    vlaggen: list[Vlag]
    deadline: tuple[datetime, str] | None
    actie_nodig: str | None


def stand(user: User | None = None, *, moment: datetime | None = None) -> list[Stand]:
    """Every delivering gemeente the user may see, judged by the same rules as `overzicht` but from plain
    columns in one query (loading 344 records took most of the dashboard's time), by timeslot and name."""
    moment = moment or nu()
    query = _leverend(select(Gemeente.id, Gemeente.naam, Migratie.toestand, Migratie.timeslot, Migratie.aangemeld_op,
                             Migratie.aanleverdeadline, Migratie.terugkoppeling_te_laat, Migratie.akkoord_te_laat,
                             Migratie.aanlevering_te_laat)
                      .outerjoin(Migratie, Migratie.gemeente_id == Gemeente.id), user, None, None)
    result = []
    for gemeente_id, naam, toestand, *rest in db.session.execute(query.order_by(Gemeente.code)).all():
        kolommen = (_Kolommen(Toestand.NIET_GEPLAND, None, None, None, False, False, False) if toestand is None
                    else _Kolommen(toestand, rest[0], rest[1], rest[2], bool(rest[3]), bool(rest[4]), bool(rest[5])))
        result.append(Stand(gemeente_id, naam, kolommen.timeslot, kolommen.toestand, vlaggen(kolommen),
                            volgende_deadline(kolommen), actie_nodig(kolommen, moment)))
    result.sort(key=lambda s: (s.timeslot or GEEN_TIMESLOT, s.naam))
    return result
