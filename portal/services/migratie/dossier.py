"""Reading a gemeente's migration: its record, timeline, B4 rows, terugkoppeling, expected codes and
registrations. Nothing here writes (except `migratie_van(..., maak=True)`, which stores a new record)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from flask import current_app
from sqlalchemy import Select, select

from portal import kalender
from portal.extensions import db
from portal.models import (
    B4Regel,
    Belactie,
    BerichtPeriode,
    Bestand,
    BwPeriode,
    Categorie,
    Gebeurtenis,
    Gemeente,
    Migratie,
    Terugkoppeling,
    TerugkoppelingRegel,
    Wmo407Bericht,
)
from portal.spreadsheets.bestandsvergelijking import B4Rij
from portal.toestanden import Toestand


class Migratiestand(Protocol):
    """What the overviews read of a migration to judge it (state, flags, deadline, what the CAK must do): a
    `Migratie`, or the same columns loaded without the ORM object (`overzicht.stand`)."""

    @property
    def toestand(self) -> Toestand: ...
    @property
    def timeslot(self) -> date | None: ...
    @property
    def aangemeld_op(self) -> datetime | None: ...
    @property
    def aanleverdeadline(self) -> datetime | None: ...
    @property
    def terugkoppeling_te_laat(self) -> bool: ...
    @property
    def akkoord_te_laat(self) -> bool: ...
    @property
    def aanlevering_te_laat(self) -> bool: ...


class MigratieFout(ValueError):
    """A request the migration cannot carry out now; the message says why and what to do."""

    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


class RolFout(MigratieFout):
    """The actor's role may not take this step (the state does not matter)."""


def timeslots() -> tuple[date, ...]:
    return tuple(current_app.config["TIMESLOTS"])


def open_timeslots(moment: datetime) -> tuple[date, ...]:
    """The timeslots still ahead at `moment`: their B4 has not been published yet, so they can be chosen."""
    return tuple(t for t in timeslots()
                 if kalender.to_utc(kalender.moment(t, kalender.Stap.B4_PUBLICEREN)) > moment)


def migratie_startdatum() -> date:
    startdatum: date = current_app.config["MIGRATIE_STARTDATUM"]
    return startdatum


def peildatum_oude_kanalen() -> date:
    peildatum: date = current_app.config["MIGRATIE_PEILDATUM_OUDE_KANALEN"]
    return peildatum


def leverende_gemeenten_query() -> Select[Gemeente]:
    return select(Gemeente).where(
        (Gemeente.soort == "centrumgemeente") | (Gemeente.levert_zelf_aan.is_(True)))


def centrumgemeente_naam(gemeente: Gemeente) -> str:
    return gemeente.centrumgemeente.naam if gemeente.centrumgemeente else "de centrumgemeente"


def migratie_van(gemeente: Gemeente, *, maak: bool = False) -> Migratie:
    """The gemeente's migration record. Before it signs up there is none: reading gets an unsaved
    NIET_GEPLAND record, and with `maak` (signing up, planning) it is stored."""
    if not gemeente.levert_aan:
        raise MigratieFout(
            f"{gemeente.naam} levert niet zelf aan; de migratie loopt via {centrumgemeente_naam(gemeente)}.")
    migratie = db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))
    if migratie is None:
        migratie = Migratie(gemeente_id=gemeente.id, toestand=Toestand.NIET_GEPLAND,
                            terugkoppeling_te_laat=False, aanlevering_te_laat=False)
        if maak:
            db.session.add(migratie)
            db.session.flush()
    return migratie


def timeslot_van(migratie: Migratiestand) -> date:
    """The migration's timeslot; MigratieFout before it is planned."""
    if migratie.timeslot is None:
        raise MigratieFout("Voor deze gemeente is nog geen timeslot gepland; plan eerst een timeslot.")
    return migratie.timeslot


def kalendermoment(migratie: Migratiestand, stap: kalender.Stap) -> datetime:
    """The local moment of a step of the migration's timeslot; MigratieFout before it is planned."""
    return kalender.moment(timeslot_van(migratie), stap)


def bestaande_migratie(gemeente: Gemeente) -> Migratie | None:
    """The stored migration record, or None before the gemeente signed up or was planned."""
    return db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))


def toestand_op(gemeente: Gemeente, moment: datetime) -> Toestand:
    """The state the gemeente was in at `moment`, read from its timeline (so a late job judges the
    moment of its calendar step, not the moment it happens to run)."""
    naar = db.session.scalar(select(Gebeurtenis.naar_toestand).where(
        Gebeurtenis.gemeente_id == gemeente.id, Gebeurtenis.naar_toestand.is_not(None), Gebeurtenis.op <= moment)
        .order_by(Gebeurtenis.op.desc(), Gebeurtenis.id.desc()).limit(1))
    return Toestand(naar) if naar else Toestand.NIET_GEPLAND


def gebeurtenissen(gemeente: Gemeente) -> list[Gebeurtenis]:
    return list(db.session.scalars(select(Gebeurtenis).where(Gebeurtenis.gemeente_id == gemeente.id)
                                   .order_by(Gebeurtenis.op, Gebeurtenis.id)))


def actuele_terugkoppeling(gemeente: Gemeente) -> Terugkoppeling | None:
    return db.session.scalar(select(Terugkoppeling).where(
        Terugkoppeling.gemeente_id == gemeente.id, Terugkoppeling.actueel.is_(True)))


def laatste_b4(gemeente: Gemeente) -> Bestand | None:
    return db.session.scalar(select(Bestand).where(
        Bestand.gemeente_id == gemeente.id, Bestand.categorie == Categorie.BESTANDSVERGELIJKING,
        Bestand.sleutel.like("B4:%")).order_by(Bestand.gepubliceerd_op.desc(), Bestand.id.desc()))


def b4_rijen(bestand: Bestand | None) -> list[B4Rij]:
    """The rows of a published B4 as they were published (its snapshot in B4Regel)."""
    if bestand is None:
        return []
    return [B4Rij(gemeentecode=r.gemeentecode, bsn=r.bsn, geslachtsnaam=r.geslachtsnaam,
                  voorvoegsel=r.voorvoegsel, voorletters=r.voorletters, geboortedatum=r.geboortedatum,
                  datum_start_bw=r.datum_start_bw, datum_einde_bw=r.datum_einde_bw, bron=r.bron,
                  aanbieder_agb=r.aanbieder_agb, soort_bijdrage=r.soort_bijdrage)
            for r in db.session.scalars(select(B4Regel).where(B4Regel.bestand_id == bestand.id)
                                        .order_by(B4Regel.rij))]


def open_belactie(gemeente: Gemeente) -> Belactie | None:
    return db.session.scalar(select(Belactie).where(
        Belactie.gemeente_id == gemeente.id, Belactie.afgehandeld_op.is_(None)).order_by(Belactie.id.desc()))


def verwachte_codes(gemeente: Gemeente) -> dict[str, str]:
    """BSN -> code of the approved terugkoppeling (or the current one before the akkoord)."""
    migratie = migratie_van(gemeente)
    terugkoppeling_id = migratie.akkoord_terugkoppeling_id
    if terugkoppeling_id is None:
        actueel = actuele_terugkoppeling(gemeente)
        terugkoppeling_id = actueel.id if actueel else None
    if terugkoppeling_id is None:
        return {}
    rijen = db.session.execute(select(TerugkoppelingRegel.bsn, TerugkoppelingRegel.code).where(
        TerugkoppelingRegel.terugkoppeling_id == terugkoppeling_id))
    return dict(rijen.all())


def toegevoegde_regels(gemeente: Gemeente) -> dict[str, TerugkoppelingRegel]:
    """The rows the gemeente added to its current terugkoppeling (clients the CAK did not know), by BSN."""
    return {r.bsn: r for r in db.session.scalars(
        select(TerugkoppelingRegel).join(Terugkoppeling).where(
            Terugkoppeling.gemeente_id == gemeente.id, Terugkoppeling.actueel.is_(True),
            TerugkoppelingRegel.toegevoegd.is_(True)))}


@dataclass(frozen=True)
class Registratie:
    bsn: str
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None


def registraties(gemeente: Gemeente, tot: datetime | None = None) -> list[Registratie]:
    """The current (not removed) periods of the gemeente; with `tot`, as they stood at that moment,
    rebuilt from the accepted messages received until then."""
    if tot is None:
        return [Registratie(bsn, nummer, start, einde) for bsn, nummer, start, einde in db.session.execute(
            select(BwPeriode.bsn, BwPeriode.bw_startnummer, BwPeriode.bw_startdatum, BwPeriode.bw_einddatum)
            .where(BwPeriode.gemeente_id == gemeente.id, BwPeriode.verwijderd.is_(False))
            .order_by(BwPeriode.bsn, BwPeriode.bw_startnummer))]
    stand: dict[int, Registratie | None] = {}
    for bsn, nummer, start, einde, status_ in db.session.execute(
            select(BerichtPeriode.bsn, BerichtPeriode.bw_startnummer, BerichtPeriode.bw_startdatum,
                   BerichtPeriode.bw_einddatum, BerichtPeriode.status_aanlevering)
            .join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
            .where(Wmo407Bericht.gemeente_id == gemeente.id, Wmo407Bericht.geaccepteerd.is_(True),
                   Wmo407Bericht.ontvangen_op <= tot)
            .order_by(Wmo407Bericht.ontvangen_op, Wmo407Bericht.id, BerichtPeriode.id)):
        stand[nummer] = None if status_ == 3 else Registratie(bsn, nummer, start, einde)
    return sorted((r for r in stand.values() if r is not None), key=lambda r: (r.bsn, r.bw_startnummer))
