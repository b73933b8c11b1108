"""The messages page: every WMO407 a gemeente sent with its outcome, a filter on retourcode, the search
on a BSN, and one message in detail. Every query is limited to what the user may see."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.ieb.retourcodes import RETOURCODES
from portal.models import BerichtPeriode, BwPeriode, Gemeente, Ontvangst, OntvangstStatus, User, Wmo407Bericht
from portal.services import toegang
from portal.services.delivery.ontvangst import SOORT, met_tekst
from portal.services.delivery.register import chunks


@dataclass(frozen=True)
class Berichtregel:
    ontvangst: Ontvangst
    bericht: Wmo407Bericht | None

    @property
    def uitkomst(self) -> str:
        if self.bericht is not None:
            return "geaccepteerd" if self.bericht.geaccepteerd else "afgekeurd"
        return "geweigerd" if self.ontvangst.status == OntvangstStatus.GEWEIGERD else "ongeldig"


def _regels(ontvangsten: Sequence[Ontvangst]) -> list[Berichtregel]:
    ids = [o.id for o in ontvangsten]
    berichten = {}
    for blok in chunks(ids):
        berichten.update({b.ontvangst_id: b for b in db.session.scalars(
            select(Wmo407Bericht).where(Wmo407Bericht.ontvangst_id.in_(blok)))})
    return [Berichtregel(o, berichten.get(o.id)) for o in ontvangsten]


def berichten(user: User, code: str, retourcode: str | None = None,
              limiet: int = 500) -> tuple[Gemeente, list[Berichtregel]]:
    """Every WMO407 the gemeente sent, newest first; with a retourcode only the messages that got it."""
    gemeente = toegang.gemeente_voor(user, code)
    query = select(Ontvangst).where(Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort == SOORT)
    if retourcode and retourcode not in RETOURCODES:
        return gemeente, []
    if retourcode:
        query = query.join(Wmo407Bericht, Wmo407Bericht.ontvangst_id == Ontvangst.id).where(
            Wmo407Bericht.retourcodes.like(f"%,{retourcode},%"))
    ontvangsten = db.session.scalars(query.order_by(Ontvangst.ontvangen_op.desc(), Ontvangst.id.desc())
                                     .limit(limiet)).all()
    return gemeente, _regels(ontvangsten)


@dataclass(frozen=True)
class BsnOverzicht:
    bsn: str
    perioden: list[BwPeriode]
    berichtperioden: list[tuple[BerichtPeriode, Wmo407Bericht]]


def zoek_bsn(user: User, code: str, bsn: str) -> tuple[Gemeente, BsnOverzicht]:
    """All registered periods of a BSN for this gemeente, and every message period that touched it."""
    gemeente = toegang.gemeente_voor(user, code)
    bsn = "".join(c for c in bsn if c.isdigit())
    perioden = db.session.scalars(select(BwPeriode).where(
        BwPeriode.gemeente_id == gemeente.id, BwPeriode.bsn == bsn).order_by(BwPeriode.bw_startdatum)).all()
    berichtperioden = db.session.execute(
        select(BerichtPeriode, Wmo407Bericht).join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
        .where(BerichtPeriode.gemeente_id == gemeente.id, BerichtPeriode.bsn == bsn)
        .order_by(Wmo407Bericht.ontvangen_op, BerichtPeriode.id)).all()
    return gemeente, BsnOverzicht(bsn, list(perioden), list(berichtperioden))


@dataclass(frozen=True)
class Berichtdetail:
    gemeente: Gemeente
    regel: Berichtregel
    perioden: list[BerichtPeriode]
    weggelaten: int


def bericht_detail(user: User, code: str, ontvangst_id: int, limiet: int = 1000) -> Berichtdetail:
    gemeente = toegang.gemeente_voor(user, code)
    ontvangst = db.session.get(Ontvangst, ontvangst_id)
    if ontvangst is None or ontvangst.gemeente_id != gemeente.id or ontvangst.soort != SOORT:
        raise toegang.NietGevonden(ontvangst_id)
    regel = _regels([ontvangst])[0]
    perioden: list[BerichtPeriode] = []
    weggelaten = 0
    if regel.bericht is not None:
        query = select(BerichtPeriode).where(BerichtPeriode.bericht_id == regel.bericht.id)
        # periods with remarks first, then the rest in message order
        perioden += db.session.scalars(query.where(BerichtPeriode.retourcodes != "0200")
                                       .order_by(BerichtPeriode.id).limit(limiet)).all()
        perioden += db.session.scalars(query.where(BerichtPeriode.retourcodes == "0200")
                                       .order_by(BerichtPeriode.id).limit(max(0, limiet - len(perioden)))).all()
        weggelaten = max(0, regel.bericht.aantal_perioden - len(perioden))
    return Berichtdetail(gemeente, regel, perioden, weggelaten)


def retourcodes_in_gebruik(gemeente: Gemeente) -> list[tuple[str, str]]:
    codes: set[str] = set()
    for tekst in db.session.scalars(select(Wmo407Bericht.retourcodes).where(
            Wmo407Bericht.gemeente_id == gemeente.id).distinct()):
        codes.update(c for c in tekst.split(",") if c)
    return met_tekst(sorted(codes))
