"""What the page of the old channels shows: each channel's state and since, the closing rule when closed,
the template in the folder, the accepted mutations and the refused inputs; and the receipt of one input."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import Bestand, Categorie, Gemeente, Ontvangst, OntvangstStatus, User
from portal.models.oude_kanalen import OudKanaalMutatie
from portal.mutaties import sluitingsregel
from portal.services import kanalen, toegang
from portal.services.kanalen import OUDE_KANALEN, Kanaalsoort
from portal.services.oude_kanalen import intake
from portal.services.oude_kanalen.intake import KANAAL_VAN_SOORT, Intakeuitkomst
from portal.spreadsheets.mutaties import TEMPLATE_FILENAME

LIJSTLENGTE = 200
"""The lists show the newest this many; everything stays kept."""


@dataclass(frozen=True)
class Kanaalinfo:
    kanaal: Kanaalsoort
    naam: str
    open: bool
    sinds: datetime | None  # None: as it was from the start
    regel: str | None  # the closing rule in one sentence, when closed


@dataclass(frozen=True)
class Weigering:
    """A refused or rejected input, with its reason."""

    ontvangst_id: int
    kanaal: str
    bestandsnaam: str
    ontvangen_op: datetime
    uploader: str
    status: OntvangstStatus
    reden: str


@dataclass(frozen=True)
class OudeKanalenPagina:
    gemeente: Gemeente
    kanalen: dict[Kanaalsoort, Kanaalinfo]
    mag_indienen: bool
    gemeentecodes: tuple[tuple[str, str], ...]  # (code, naam) this gemeente may use in a mutation
    peildatum: date
    sjabloon: Bestand | None
    mutaties: list[OudKanaalMutatie]
    weigeringen: list[Weigering]


def peildatum() -> date:
    waarde: date = current_app.config["MIGRATIE_PEILDATUM_OUDE_KANALEN"]
    return waarde


def kanaalstanden(gemeente: Gemeente) -> dict[Kanaalsoort, Kanaalinfo]:
    """The old channels, each with its state, since when, and the closing rule when closed."""
    regel = sluitingsregel(peildatum())
    return {s.kanaal: Kanaalinfo(s.kanaal, s.naam, s.open, s.sinds, None if s.open else regel)
            for s in kanalen.stand(gemeente) if s.kanaal in OUDE_KANALEN}


def pagina(user: User, code: str) -> OudeKanalenPagina:
    gemeente = toegang.gemeente_voor(user, code)
    sjabloon = db.session.scalar(select(Bestand).where(
        Bestand.gemeente_id == gemeente.id, Bestand.categorie == Categorie.SJABLOON,
        Bestand.naam == TEMPLATE_FILENAME).order_by(Bestand.gepubliceerd_op.desc()).limit(1))
    mutaties = list(db.session.scalars(select(OudKanaalMutatie).where(OudKanaalMutatie.gemeente_id == gemeente.id)
                                       .order_by(OudKanaalMutatie.id.desc()).limit(LIJSTLENGTE)))
    geweigerd = db.session.scalars(select(Ontvangst).where(
        Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort.in_(KANAAL_VAN_SOORT),
        Ontvangst.status.in_((OntvangstStatus.AFGEKEURD, OntvangstStatus.GEWEIGERD)))
        .order_by(Ontvangst.id.desc()).limit(LIJSTLENGTE))
    weigeringen = [Weigering(o.id, kanalen.NAMEN[KANAAL_VAN_SOORT[o.soort]], o.bestandsnaam, o.ontvangen_op,
                             o.gebruiker.email if o.gebruiker else "", o.status, o.uitkomst or "")
                   for o in geweigerd]
    codes = tuple(sorted((c, g.naam) for c, g in intake.gemeenten_voor_codes(gemeente).items()))
    return OudeKanalenPagina(gemeente, kanaalstanden(gemeente), intake.mag_indienen(user), codes, peildatum(),
                             sjabloon, mutaties, weigeringen)


def ontvangstbewijs(user: User, code: str, ontvangst_id: int) -> Intakeuitkomst:
    """The receipt of one input through an old channel, read back from what was stored; NietGevonden for
    another gemeente's input or another kind of upload."""
    gemeente = toegang.gemeente_voor(user, code)
    ontvangst = db.session.get(Ontvangst, ontvangst_id)
    if ontvangst is None or ontvangst.gemeente_id != gemeente.id or ontvangst.soort not in KANAAL_VAN_SOORT:
        raise toegang.NietGevonden(ontvangst_id)
    details = ontvangst.details or {}
    return Intakeuitkomst(
        ontvangst.id, KANAAL_VAN_SOORT[ontvangst.soort], ontvangst.status, ontvangst.uitkomst or "",
        problemen=list(details.get("problemen") or []), mutaties=list(details.get("mutaties") or []),
        bestandsnaam=ontvangst.bestandsnaam, grootte=ontvangst.grootte, sha256=ontvangst.sha256,
        ontvangen_op=ontvangst.ontvangen_op, uploader=ontvangst.gebruiker.email if ontvangst.gebruiker else "")
