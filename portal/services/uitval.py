"""Uitval: the BW periods a gemeente still has to fix.

A period is known by its key, BSN + BwStartNummer, within the gemeente that sent it. It is uitval when the
latest message (by the moment it was received) that held the key was rejected: no later accepted message
corrected it. A later accepted message that holds the same BSN with the same BwStartdatum under another
BwStartNummer corrects it too: that is what the advice for 9404 and 9104 asks (send the period again with a new
number). The rule is one query (`_laatste`) that both the gemeente's list and the CAK's counts for all
gemeenten at once use, so they never disagree. Every reading is limited to what the user may see.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from sqlalchemy import ColumnElement, ScalarSelect, Subquery, func, select
from sqlalchemy.orm import QueryableAttribute, aliased

from portal.extensions import db
from portal.kalender import format_moment
from portal.models import BerichtPeriode, Gemeente, User, Wmo407Bericht
from portal.services import audit, toegang
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.spreadsheets import uitval as blad
from portal.spreadsheets.uitval import UitvalRij

ZONDER_EIGEN_CODE = "0200"
"""The filter value for periods without a code of their own: the WMO408 gave them 0200."""


Gemeenten = Collection[int] | ColumnElement[int] | QueryableAttribute[int] | None


def _laatste(gemeente_ids: Gemeenten, tot: datetime | None) -> Subquery:
    """Every period of every judged message (of these gemeenten, received up to `tot`), ranked per key:
    rang 1 is the period in the latest message that held the key."""
    rang = func.row_number().over(
        partition_by=(BerichtPeriode.gemeente_id, BerichtPeriode.bsn, BerichtPeriode.bw_startnummer),
        order_by=(Wmo407Bericht.ontvangen_op.desc(), Wmo407Bericht.id.desc(), BerichtPeriode.id.desc()))
    later = aliased(BerichtPeriode)
    later_bericht = aliased(Wmo407Bericht)
    opnieuw = (select(later.id).join(later_bericht, later.bericht_id == later_bericht.id)
               .where(later.gemeente_id == BerichtPeriode.gemeente_id, later.bsn == BerichtPeriode.bsn,
                      later.bw_startdatum == BerichtPeriode.bw_startdatum,
                      later.bw_startnummer != BerichtPeriode.bw_startnummer,
                      later_bericht.geaccepteerd.is_(True), later_bericht.ontvangen_op > Wmo407Bericht.ontvangen_op))
    if tot is not None:
        opnieuw = opnieuw.where(later_bericht.ontvangen_op <= tot)
    query = (select(BerichtPeriode.id.label("periode_id"), BerichtPeriode.gemeente_id.label("gemeente_id"),
                    Wmo407Bericht.geaccepteerd.label("geaccepteerd"), rang.label("rang"),
                    opnieuw.exists().label("opnieuw_aangeleverd"))
             .join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id))
    if isinstance(gemeente_ids, (ColumnElement, QueryableAttribute)):  # one gemeente, by the enclosing query
        query = query.where(BerichtPeriode.gemeente_id == gemeente_ids)
    elif gemeente_ids is not None:
        query = query.where(BerichtPeriode.gemeente_id.in_(gemeente_ids))
    if tot is not None:
        query = query.where(Wmo407Bericht.ontvangen_op <= tot)
    return query.subquery("laatste")


def _is_uitval(laatste: Subquery) -> ColumnElement[bool]:
    return (laatste.c.rang == 1) & laatste.c.geaccepteerd.is_(False) & laatste.c.opnieuw_aangeleverd.is_(False)


def aantallen(gemeente_ids: Collection[int] | None = None, tot: datetime | None = None) -> dict[int, int]:
    """The number of uitval periods per gemeente id (gemeenten without uitval left out), in one query."""
    laatste = _laatste(gemeente_ids, tot)
    rijen = db.session.execute(select(laatste.c.gemeente_id, func.count()).where(_is_uitval(laatste))
                               .group_by(laatste.c.gemeente_id)).all()
    return {int(gemeente_id): int(aantal) for gemeente_id, aantal in rijen}


def aantal_kolom(gemeente_id: ColumnElement[int] | QueryableAttribute[int]) -> ScalarSelect[int]:
    """The number of uitval periods of one gemeente (`gemeente_id`: an expression of the enclosing query), as a
    column for a query that reads more at once."""
    laatste = _laatste(gemeente_id, None)
    return select(func.count()).select_from(laatste).where(_is_uitval(laatste)).scalar_subquery()


def aantallen_voor(user: User) -> dict[int, int]:
    """The uitval per gemeente id, of every gemeente the user may see (the CAK: all of them)."""
    return aantallen(toegang.zichtbare_gemeente_ids(user))


def aantal(user: User, code: str) -> int:
    """The number of uitval periods of one gemeente (NietGevonden when the user may not see it)."""
    gemeente = toegang.gemeente_voor(user, code)
    return aantallen([gemeente.id]).get(gemeente.id, 0)


@dataclass(frozen=True)
class Uitvalregel:
    """A period that is uitval, as the page shows it: the row of the sheet, and the message to link to."""

    rij: UitvalRij
    ontvangst_id: int
    status_aanlevering: int

    def heeft(self, retourcode: str) -> bool:
        if retourcode == ZONDER_EIGEN_CODE:
            return not self.rij.retourcodes
        return retourcode in self.rij.retourcodes


def _blokken(waarden: list[int], grootte: int = 500) -> Iterator[list[int]]:
    iterator = iter(waarden)
    while blok := list(islice(iterator, grootte)):
        yield blok


def _codes(tekst: str | None) -> list[str]:
    return [c for c in (tekst or "").split(",") if c]


def regels(gemeente: Gemeente, tot: datetime | None = None) -> list[Uitvalregel]:
    """The gemeente's uitval (as it stood at `tot`: only messages received by then), the oldest message
    first, within a message by BSN and BwStartNummer. No access check: for the services' own files."""
    laatste = _laatste([gemeente.id], tot)
    perioden = db.session.scalars(
        select(BerichtPeriode).join(laatste, laatste.c.periode_id == BerichtPeriode.id)
        .join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
        .where(_is_uitval(laatste))
        .order_by(Wmo407Bericht.ontvangen_op, Wmo407Bericht.id, BerichtPeriode.bsn, BerichtPeriode.bw_startnummer,
                  BerichtPeriode.id)).all()
    berichten: dict[int, Wmo407Bericht] = {}
    for blok in _blokken(sorted({p.bericht_id for p in perioden})):
        berichten.update((b.id, b) for b in db.session.scalars(select(Wmo407Bericht).where(Wmo407Bericht.id.in_(blok))))
    kopcodes = {i: [m["code"] for m in (b.rapport or {}).get("header", [])] for i, b in berichten.items()}
    result = []
    for periode in perioden:
        bericht = berichten[periode.bericht_id]
        codes = blad.uitvalcodes(kopcodes[bericht.id], _codes(periode.client_retourcodes), _codes(periode.retourcodes))
        result.append(Uitvalregel(
            UitvalRij(periode.bsn, periode.bw_startnummer, periode.bw_startdatum, periode.bw_einddatum,
                      blad.uitleg(codes), bericht.identificatie, bericht.ontvangen_op),
            bericht.ontvangst_id, periode.status_aanlevering))
    return result


def rijen(gemeente: Gemeente, tot: datetime | None = None) -> list[UitvalRij]:
    """The sheet ``Uitval`` of a report made at `tot`."""
    return [regel.rij for regel in regels(gemeente, tot)]


@dataclass(frozen=True)
class Codetelling:
    code: str           # 0200: the periods without a code of their own
    omschrijving: str
    wat_te_doen: str
    aantal: int


@dataclass(frozen=True)
class Overzicht:
    gemeente: Gemeente
    regels: list[Uitvalregel]     # those the filter keeps, at most `limiet`
    aantal: int                   # all uitval of the gemeente
    aantal_gefilterd: int         # all that the filter keeps
    per_code: list[Codetelling]   # how many periods have each code
    retourcode: str | None

    @property
    def weggelaten(self) -> int:
        return self.aantal_gefilterd - len(self.regels)


def _per_code(alle: list[Uitvalregel]) -> list[Codetelling]:
    tellingen: Counter[str] = Counter()
    teksten: dict[str, blad.Retourcode] = {}
    for regel in alle:
        for code in regel.rij.codes:
            sleutel = code.code or ZONDER_EIGEN_CODE
            tellingen[sleutel] += 1
            teksten[sleutel] = code
    return [Codetelling(code, teksten[code].omschrijving, teksten[code].wat_te_doen, tellingen[code])
            for code in sorted(tellingen)]


def overzicht(user: User, code: str, retourcode: str | None = None, limiet: int = 1000) -> Overzicht:
    """The gemeente's uitval for its page; with `retourcode` only the periods with that code (0200: those
    without a code of their own). NietGevonden when the user may not see the gemeente."""
    gemeente = toegang.gemeente_voor(user, code)
    alle = regels(gemeente)
    gekozen = [r for r in alle if r.heeft(retourcode)] if retourcode else alle
    audit.bsns_getoond(user, (r.rij.bsn for r in gekozen[:limiet]), gemeente.id)
    return Overzicht(gemeente, gekozen[:limiet], len(alle), len(gekozen), _per_code(alle), retourcode)


@dataclass(frozen=True)
class Export:
    naam: str
    inhoud: bytes
    aantal: int


def exporteer(actor: Actor, code: str) -> Export:
    """The gemeente's uitval as .xlsx, named after the portal's day; the export is audited."""
    gemeente = toegang.gemeente_voor(actor.user, code)
    moment = nu()
    alle = rijen(gemeente)
    inhoud = blad.write_uitval(alle, created_at=moment, notes=[
        f"Uitval van {gemeente.naam} ({gemeente.code}) op {format_moment(moment)}: "
        f"{len(alle)} {'periode' if len(alle) == 1 else 'perioden'}."])
    naam = blad.bestandsnaam(gemeente.bestandsprefix, moment)
    audit.registreer(actor, "uitval_geexporteerd", gemeente_id=gemeente.id,
                     details={"bestandsnaam": naam, "aantal": len(alle)}, bsns=[r.bsn for r in alle])
    db.session.commit()
    return Export(naam, inhoud, len(alle))
