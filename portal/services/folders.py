"""A gemeente's folder: its published files, grouped, and downloading them."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import Bestand, Categorie, Download, Gemeente, Ontvangst, User
from portal.services import audit
from portal.services.audit import Actor
from portal.services.bewaartermijn import InhoudVerwijderd
from portal.services.klok import nu
from portal.services.toegang import NietGevonden, gemeente_voor, mag_zien


@dataclass(frozen=True)
class Groep:
    categorie: str
    titel: str
    bestanden: list[Bestand]


@dataclass(frozen=True)
class Map:
    gemeente: Gemeente
    groepen: list[Groep]

    @property
    def aantal(self) -> int:
        return sum(len(g.bestanden) for g in self.groepen)


def map_van(user: User, code: str) -> Map:
    """The folder of gemeente `code` as this user may see it, grouped as in bestanden.md."""
    return map_voor(gemeente_voor(user, code))


def map_voor(gemeente: Gemeente) -> Map:
    """The folder of a gemeente the caller has already checked the user may see: its files with their
    downloads and the users behind them in one query, however many there are."""
    bestanden = db.session.scalars(
        select(Bestand)
        .where(Bestand.gemeente_id == gemeente.id)
        .options(joinedload(Bestand.downloads).joinedload(Download.gebruiker))
        .order_by(Bestand.gepubliceerd_op.desc(), Bestand.id.desc())
    ).unique().all()
    groepen = [
        Groep(categorie, categorie.titel, [b for b in bestanden if b.categorie == categorie])
        for categorie in Categorie
    ]
    return Map(gemeente, groepen)


def ontvangsten(user: User, code: str, limiet: int = 100) -> tuple[list[Ontvangst], int]:
    """Every file anyone uploaded for gemeente `code` (terugkoppeling, WMO407, ...), newest first, with the
    total count; only for a user who may see the gemeente."""
    gemeente = gemeente_voor(user, code)
    basis = select(Ontvangst).where(Ontvangst.gemeente_id == gemeente.id)
    totaal = db.session.scalar(select(func.count()).select_from(basis.subquery())) or 0
    rijen = db.session.scalars(basis.options(selectinload(Ontvangst.gebruiker))
                               .order_by(Ontvangst.ontvangen_op.desc(), Ontvangst.id.desc()).limit(limiet)).all()
    return list(rijen), totaal


def bestand_voor(user: User, bestand_id: int) -> Bestand:
    bestand = db.session.get(Bestand, bestand_id)
    if bestand is None or not mag_zien(user, bestand.gemeente_id):
        raise NietGevonden(bestand_id)
    return bestand


@dataclass(frozen=True)
class Uitgifte:
    """A file as handed out to a user."""

    naam: str
    mediatype: str
    inhoud: bytes
    sha256: str


def download(user: User, bestand_id: int, actor: Actor) -> Uitgifte:
    """Hand out a file the user may see; record the download and an audit event."""
    bestand = bestand_voor(user, bestand_id)
    uitgifte = Uitgifte(bestand.naam, bestand.mediatype, bestand.inhoud, bestand.sha256)
    db.session.add(Download(bestand_id=bestand.id, gebruiker_id=user.id, op=nu()))
    audit.registreer(actor, "bestand_gedownload", object_type="bestand", object_id=bestand.id,
                     gemeente_id=bestand.gemeente_id,
                     details={"naam": bestand.naam, "sha256": bestand.sha256})
    db.session.commit()
    return uitgifte


def ontvangst_download(user: User, ontvangst_id: int, actor: Actor) -> Uitgifte:
    """Hand an uploaded file back, byte for byte, to someone who may see its gemeente."""
    ontvangst = db.session.get(Ontvangst, ontvangst_id)
    if ontvangst is None or ontvangst.gemeente_id is None or not mag_zien(user, ontvangst.gemeente_id):
        raise NietGevonden(ontvangst_id)
    if ontvangst.inhoud_verwijderd_op is not None:
        raise InhoudVerwijderd(ontvangst.bestandsnaam, ontvangst.inhoud_verwijderd_op)
    mediatype = "application/xml" if ontvangst.soort == "WMO407" else "application/octet-stream"
    uitgifte = Uitgifte(ontvangst.bestandsnaam, mediatype, ontvangst.inhoud, ontvangst.sha256)
    audit.registreer(actor, "ontvangst_gedownload", object_type="ontvangst", object_id=ontvangst.id,
                     gemeente_id=ontvangst.gemeente_id, details={"naam": ontvangst.bestandsnaam})
    db.session.commit()
    return uitgifte
