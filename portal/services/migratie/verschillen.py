"""The CAK's follow-up of the bimonthly comparison: the differences per gemeente (open and handled), the
gemeenten with open differences, the .xlsx export, and marking a difference handled with a note.

Only the CAK's roles see these or handle a difference; anyone else gets NietGevonden (a 404 on the pages),
so nobody learns what exists. A difference is open until handled; an open one that a newer answer of the
gemeente replaced is no longer listed as open (`Verschil.vervangen_op`), a handled one stays as history.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select

from portal import kalender
from portal.extensions import db
from portal.models import Gemeente, User
from portal.models.vergelijking import VergelijkingTerugkoppeling, Verschil
from portal.services import audit, toegang
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.migratie import vergelijking
from portal.services.migratie.dossier import MigratieFout
from portal.spreadsheets.bimaandelijks import (
    BETEKENIS,
    TOEGEVOEGD,
    UITLEG_VERSCHIL,
    VerschilRij,
    bestandsnaam,
    write_verschillen,
)

MAX_NOTITIE = 2000


def _alleen_cak(user: User | None, code: str) -> Gemeente:
    """The gemeente, for a CAK user; NietGevonden for anyone else."""
    if user is None or not user.is_cak:
        raise toegang.NietGevonden(code)
    return toegang.gemeente_voor(user, code)


def soort(verschil: Verschil) -> str:
    """The kind of a difference: its code, or 'toegevoegd' for a client the gemeente added."""
    return TOEGEVOEGD if verschil.toegevoegd else verschil.code


def omschrijving(verschil: Verschil) -> str:
    return BETEKENIS[soort(verschil)]


def _open_query(gemeente_id: int) -> Select[Verschil]:
    return select(Verschil).where(Verschil.gemeente_id == gemeente_id, Verschil.afgehandeld_op.is_(None),
                                  Verschil.vervangen_op.is_(None))


@dataclass(frozen=True)
class Verschillenlijst:
    gemeente: Gemeente
    stand: vergelijking.Stand
    antwoord: VergelijkingTerugkoppeling | None  # the gemeente's current valid answer
    open: list[Verschil]
    afgehandeld: list[Verschil]  # newest first
    aantal_vervangen: int  # open differences of earlier answers that a newer answer replaced
    betekenis: dict[str, str] = field(default_factory=lambda: dict(BETEKENIS))  # kind -> Dutch meaning
    uitleg: str = UITLEG_VERSCHIL  # what a difference is, in Dutch


def verschillenlijst(user: User | None, code: str) -> Verschillenlijst:
    """The differences of one gemeente, for the CAK."""
    gemeente = _alleen_cak(user, code)
    antwoord = db.session.scalar(select(VergelijkingTerugkoppeling).where(
        VergelijkingTerugkoppeling.gemeente_id == gemeente.id, VergelijkingTerugkoppeling.actueel.is_(True)))
    open_ = list(db.session.scalars(_open_query(gemeente.id).order_by(Verschil.rij, Verschil.id)))
    afgehandeld = list(db.session.scalars(select(Verschil).where(
        Verschil.gemeente_id == gemeente.id, Verschil.afgehandeld_op.is_not(None))
        .order_by(Verschil.afgehandeld_op.desc(), Verschil.id.desc())))
    vervangen = db.session.scalar(select(func.count()).select_from(Verschil).where(
        Verschil.gemeente_id == gemeente.id, Verschil.afgehandeld_op.is_(None),
        Verschil.vervangen_op.is_not(None))) or 0
    return Verschillenlijst(gemeente, vergelijking.stand(gemeente), antwoord, open_, afgehandeld, vervangen)


@dataclass(frozen=True)
class Gemeenteregel:
    gemeente: Gemeente
    open: int
    afgehandeld: int
    laatste_antwoord: datetime | None


def verschillenoverzicht(user: User | None) -> list[Gemeenteregel]:
    """Every gemeente with differences, open ones first (most open on top), for the CAK."""
    if user is None or not user.is_cak:
        raise toegang.NietGevonden("verschillen")
    open_ = dict(db.session.execute(select(Verschil.gemeente_id, func.count()).where(
        Verschil.afgehandeld_op.is_(None), Verschil.vervangen_op.is_(None)).group_by(Verschil.gemeente_id)).all())
    afgehandeld = dict(db.session.execute(select(Verschil.gemeente_id, func.count()).where(
        Verschil.afgehandeld_op.is_not(None)).group_by(Verschil.gemeente_id)).all())
    laatste = dict(db.session.execute(select(VergelijkingTerugkoppeling.gemeente_id,
                                             func.max(VergelijkingTerugkoppeling.ontvangen_op))
                                      .where(VergelijkingTerugkoppeling.geldig.is_(True))
                                      .group_by(VergelijkingTerugkoppeling.gemeente_id)).all())
    ids = set(open_) | set(afgehandeld)
    gemeenten: list[Gemeente] = list(db.session.scalars(select(Gemeente).where(Gemeente.id.in_(ids)))) if ids else []
    regels = [Gemeenteregel(g, open_.get(g.id, 0), afgehandeld.get(g.id, 0), laatste.get(g.id)) for g in gemeenten]
    return sorted(regels, key=lambda r: (-r.open, r.gemeente.naam))


def aantal_open_verschillen(gemeente: Gemeente) -> int:
    return db.session.scalar(select(func.count()).select_from(_open_query(gemeente.id).subquery())) or 0


def handel_verschil_af(actor: Actor, code: str, verschil_id: int, notitie: str) -> Verschil:
    """The CAK marks a difference handled with a note (required). Anyone but the CAK: NietGevonden;
    a difference already handled, or replaced by a newer answer: MigratieFout saying so."""
    gemeente = _alleen_cak(actor.user, code)
    verschil = db.session.get(Verschil, verschil_id)
    if verschil is None or verschil.gemeente_id != gemeente.id:
        raise toegang.NietGevonden(verschil_id)
    notitie = (notitie or "").strip()
    if not notitie:
        raise MigratieFout("Vul een notitie in: wat heeft het CAK met dit verschil gedaan?")
    if len(notitie) > MAX_NOTITIE:
        raise MigratieFout(f"De notitie is te lang; houd haar korter dan {MAX_NOTITIE} tekens.")
    if verschil.afgehandeld_op is not None:
        raise MigratieFout(
            f"Het verschil voor BSN {verschil.bsn} is al afgehandeld op "
            f"{kalender.format_moment(verschil.afgehandeld_op)} door {verschil.afgehandeld_door}; de notitie "
            "staat hieronder bij de afgehandelde verschillen.")
    if verschil.vervangen_op is not None:
        raise MigratieFout(
            f"Het verschil voor BSN {verschil.bsn} hoort bij een eerdere terugkoppeling die op "
            f"{kalender.format_moment(verschil.vervangen_op)} is vervangen door een nieuwere. Handel het verschil "
            "in de nieuwste terugkoppeling af.")
    verschil.afgehandeld_op = nu()
    verschil.afgehandeld_door = actor.naam
    verschil.notitie = notitie
    audit.registreer(actor, "verschil_afgehandeld", object_type="verschil", object_id=verschil.id,
                     gemeente_id=gemeente.id, details={"bsn": verschil.bsn, "soort": soort(verschil),
                                                       "notitie": notitie})
    db.session.commit()
    return verschil


@dataclass(frozen=True)
class Export:
    naam: str
    inhoud: bytes


def exporteer_verschillen(actor: Actor, code: str) -> Export:
    """The gemeente's differences as .xlsx: open and handled ones (not the open ones a newer answer replaced)."""
    gemeente = _alleen_cak(actor.user, code)
    moment = nu()
    verschillen = db.session.scalars(select(Verschil).where(
        Verschil.gemeente_id == gemeente.id,
        Verschil.vervangen_op.is_(None) | Verschil.afgehandeld_op.is_not(None))
        .order_by(Verschil.afgehandeld_op.is_not(None), Verschil.rij, Verschil.id)).all()
    rijen = [VerschilRij(
        gemeentecode=v.gemeentecode, bsn=v.bsn, geslachtsnaam=v.geslachtsnaam, voorvoegsel=v.voorvoegsel,
        voorletters=v.voorletters, geboortedatum=v.geboortedatum, datum_start_bw=v.datum_start_bw,
        datum_einde_bw=v.datum_einde_bw, verschil=soort(v), einddatum_gemeente=v.einddatum_gemeente,
        toelichting=v.toelichting, terugkoppeling_ontvangen=v.terugkoppeling.ontvangen_op,
        afgehandeld="J" if v.afgehandeld_op else "N", afgehandeld_op=v.afgehandeld_op,
        afgehandeld_door=v.afgehandeld_door, notitie=v.notitie) for v in verschillen]
    naam = bestandsnaam(gemeente.bestandsprefix, kalender.lokale_datum(moment))
    audit.registreer(actor, "verschillen_geexporteerd", object_type="gemeente", object_id=gemeente.code,
                     gemeente_id=gemeente.id, details={"bestand": naam, "aantal": len(rijen)})
    db.session.commit()
    return Export(naam, write_verschillen(rijen, created_at=moment))
