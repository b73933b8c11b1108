"""The messages page: every WMO407 a gemeente sent with its outcome, the periods that got one retourcode,
the search on a BSN, one message in detail, and the rejected periods as a spreadsheet to fix them by.
Every query is limited to what the user may see."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, distinct, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from portal.bsn import voldoet_aan_elfproef
from portal.extensions import db
from portal.ieb.retourcodes import GEEN_OPMERKING, HEADER_RETOURCODES, RETOURCODES
from portal.kalender import format_moment
from portal.models import BerichtPeriode, BwPeriode, Gemeente, Ontvangst, OntvangstStatus, User, Wmo407Bericht
from portal.services import audit, folders, toegang
from portal.services.audit import Actor
from portal.services.delivery.ontvangst import SOORT, met_tekst
from portal.services.delivery.register import chunks
from portal.services.klok import nu
from portal.spreadsheets import afgekeurde_perioden
from portal.spreadsheets.afgekeurde_perioden import AfgekeurdePeriodeRij

IN_BEHANDELING = "in behandeling"


@dataclass(frozen=True)
class Berichtregel:
    ontvangst: Ontvangst
    bericht: Wmo407Bericht | None

    @property
    def uitkomst(self) -> str:
        if self.bericht is not None:
            return "geaccepteerd" if self.bericht.geaccepteerd else "afgekeurd"
        if self.ontvangst.status == OntvangstStatus.ONTVANGEN:
            return IN_BEHANDELING  # stored, its processing interrupted: it is processed again, never refused
        return "geweigerd" if self.ontvangst.status == OntvangstStatus.GEWEIGERD else "ongeldig"


def _regels(ontvangsten: Sequence[Ontvangst]) -> list[Berichtregel]:
    ids = [o.id for o in ontvangsten]
    berichten = {}
    for blok in chunks(ids):
        berichten.update({b.ontvangst_id: b for b in db.session.scalars(
            select(Wmo407Bericht).where(Wmo407Bericht.ontvangst_id.in_(blok)))})
    return [Berichtregel(o, berichten.get(o.id)) for o in ontvangsten]


def berichten(user: User, code: str, retourcode: str | None = None,
              limiet: int = 500, sinds: datetime | None = None) -> tuple[Gemeente, list[Berichtregel]]:
    """Every WMO407 the gemeente sent, newest first; with a retourcode only the messages that got it; with
    `sinds` only those received from that moment on."""
    gemeente = toegang.gemeente_voor(user, code)
    query = select(Ontvangst).where(Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort == SOORT)
    if sinds is not None:
        query = query.where(Ontvangst.ontvangen_op >= sinds)
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
    """A BSN's registered periods and every message period that touched it, newest first; or, when the
    input is no BSN, only what is wrong with it (`fout`)."""

    bsn: str
    perioden: list[BwPeriode]
    berichtperioden: list[tuple[BerichtPeriode, Wmo407Bericht]]
    fout: str | None = None


_SCHEIDING = re.compile(r"[\s.\-]+")


def lees_bsn(invoer: str) -> tuple[str, str | None]:
    """The BSN typed in a search field (spaces, dots and hyphens allowed between the digits), and what is
    wrong with it in Dutch, or None."""
    bsn = _SCHEIDING.sub("", invoer)
    if not re.fullmatch(r"[0-9]+", bsn):
        getypt = invoer.strip() if len(invoer.strip()) <= 30 else invoer.strip()[:29] + "…"
        return bsn, (f"'{getypt}' is geen BSN: een BSN bestaat uit 9 cijfers, zonder letters of andere tekens. "
                     "Vul alleen de 9 cijfers van het BSN in.")
    if len(bsn) != 9:
        hint = " Begint het BSN met een 0? Vul die dan ook in." if len(bsn) == 8 else " Controleer het nummer."
        return bsn, f"Een BSN heeft 9 cijfers; u vulde er {len(bsn)} in.{hint}"
    if not voldoet_aan_elfproef(bsn):
        return bsn, (f"{bsn} is geen geldig BSN: het voldoet niet aan de elfproef. Controleer het nummer; "
                     "waarschijnlijk is er een cijfer verkeerd getypt.")
    return bsn, None


def zoek_bsn(user: User, code: str, invoer: str) -> tuple[Gemeente, BsnOverzicht]:
    """All registered periods of a BSN for this gemeente (latest start first), and every message period
    that touched it (newest message first). Input that is no valid BSN is not searched."""
    gemeente = toegang.gemeente_voor(user, code)
    bsn, fout = lees_bsn(invoer)
    if fout is not None:
        return gemeente, BsnOverzicht(bsn, [], [], fout)
    perioden = db.session.scalars(select(BwPeriode).where(
        BwPeriode.gemeente_id == gemeente.id, BwPeriode.bsn == bsn)
        .order_by(BwPeriode.bw_startdatum.desc(), BwPeriode.bw_startnummer.desc())).all()
    berichtperioden = db.session.execute(
        select(BerichtPeriode, Wmo407Bericht).join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
        .where(BerichtPeriode.gemeente_id == gemeente.id, BerichtPeriode.bsn == bsn)
        .order_by(Wmo407Bericht.ontvangen_op.desc(), Wmo407Bericht.id.desc(), BerichtPeriode.id)).all()
    audit.bsns_getoond(user, [bsn], gemeente.id)
    return gemeente, BsnOverzicht(bsn, list(perioden), [(p, b) for p, b in berichtperioden])


# ---------------------------------------------------------------- the periods that got a retourcode

@dataclass(frozen=True)
class Bevindingsperiode:
    """A period as it stood in a judged message, with every code it got back: its own, its client's and
    the header's (0200 only when it got none)."""

    periode: BerichtPeriode
    bericht: Wmo407Bericht
    codes: list[str]

    @property
    def codes_met_tekst(self) -> list[tuple[str, str]]:
        return met_tekst(self.codes)


@dataclass(frozen=True)
class Periodelijst:
    retourcode: str
    omschrijving: str
    perioden: list[Bevindingsperiode]  # newest message first, at most `limiet`
    aantal: int  # all of them
    aantal_bsns: int

    @property
    def weggelaten(self) -> int:
        return self.aantal - len(self.perioden)


def _codes(tekst: str) -> list[str]:
    return [c for c in tekst.split(",") if c]


def _bevindingsperiode(periode: BerichtPeriode, bericht: Wmo407Bericht) -> Bevindingsperiode:
    codes: list[str] = []
    kop = [c for c in bericht.codes if c in HEADER_RETOURCODES]
    for c in kop + _codes(periode.client_retourcodes) + _codes(periode.retourcodes):
        if c != GEEN_OPMERKING and c not in codes:
            codes.append(c)
    return Bevindingsperiode(periode, bericht, codes or [GEEN_OPMERKING])


def _bevat(kolom: InstrumentedAttribute[str], code: str) -> ColumnElement[bool]:
    """A comma-separated list of codes ("9395,9400") holds `code`; `code` is a known retourcode."""
    return (literal(",") + kolom + literal(",")).like(f"%,{code},%")


def _met_retourcode(gemeente: Gemeente, retourcode: str) -> Select[BerichtPeriode, Wmo407Bericht]:
    query = (select(BerichtPeriode, Wmo407Bericht)
             .join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
             .where(BerichtPeriode.gemeente_id == gemeente.id))
    if retourcode in HEADER_RETOURCODES:
        # A code of the header rejects every period of the message.
        return query.where(Wmo407Bericht.retourcodes.like(f"%,{retourcode},%"))
    return query.where(or_(_bevat(BerichtPeriode.retourcodes, retourcode),
                           _bevat(BerichtPeriode.client_retourcodes, retourcode)))


def _bekende_code(retourcode: str) -> None:
    if retourcode not in RETOURCODES or retourcode == GEEN_OPMERKING:
        raise toegang.NietGevonden(retourcode)


def perioden_met_retourcode(user: User, code: str, retourcode: str, limiet: int = 1000) -> Periodelijst:
    """The periods of the gemeente's messages that got `retourcode`, newest message first, with the
    number of them and of their BSNs. An unknown code (or 0200) finds nothing."""
    gemeente = toegang.gemeente_voor(user, code)
    if retourcode not in RETOURCODES or retourcode == GEEN_OPMERKING:
        return Periodelijst(retourcode, RETOURCODES.get(retourcode, ""), [], 0, 0)
    query = _met_retourcode(gemeente, retourcode)
    gevonden = query.subquery()
    aantal, aantal_bsns = db.session.execute(
        select(func.count(), func.count(distinct(gevonden.c.bsn))).select_from(gevonden)).one()
    rijen = db.session.execute(query.order_by(Wmo407Bericht.ontvangen_op.desc(), Wmo407Bericht.id.desc(),
                                              BerichtPeriode.id).limit(limiet)).all()
    audit.bsns_getoond(user, (p.bsn for p, _ in rijen), gemeente.id)
    return Periodelijst(retourcode, RETOURCODES[retourcode], [_bevindingsperiode(p, b) for p, b in rijen],
                        aantal, aantal_bsns)


@dataclass(frozen=True)
class Berichtdetail:
    gemeente: Gemeente
    regel: Berichtregel
    perioden: list[BerichtPeriode]
    weggelaten: int


def bericht_detail(user: User | None, code: str, ontvangst_id: int, limiet: int = 1000) -> Berichtdetail:
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
    audit.bsns_getoond(user, (p.bsn for p in perioden), gemeente.id)
    return Berichtdetail(gemeente, regel, perioden, weggelaten)


def bericht_op_id(user: User, ontvangst_id: int) -> Berichtdetail:
    """One WMO407 upload by its id, whichever gemeente it came in for; NietGevonden if the user may not see it."""
    ontvangst = db.session.get(Ontvangst, ontvangst_id)
    if ontvangst is None or ontvangst.gemeente_id is None or ontvangst.soort != SOORT \
            or not toegang.mag_zien(user, ontvangst.gemeente_id):
        raise toegang.NietGevonden(ontvangst_id)
    gemeente = db.session.get_one(Gemeente, ontvangst.gemeente_id)
    return bericht_detail(user, gemeente.code, ontvangst_id)


def retourbericht(user: User, ontvangst_id: int, actor: Actor) -> folders.Uitgifte:
    """The WMO408 answering a WMO407 upload, handed out (and recorded) as a download of the folder; NietGevonden
    when the upload got none (refused at level 0 or 1) or the user may not see it."""
    detail = bericht_op_id(user, ontvangst_id)
    bericht = detail.regel.bericht
    if bericht is None or bericht.wmo408_bestand_id is None:
        raise toegang.NietGevonden(ontvangst_id)
    return folders.download(user, bericht.wmo408_bestand_id, actor)


def retourcodes_in_gebruik(gemeente: Gemeente) -> list[tuple[str, str]]:
    codes: set[str] = set()
    for tekst in db.session.scalars(select(Wmo407Bericht.retourcodes).where(
            Wmo407Bericht.gemeente_id == gemeente.id).distinct()):
        codes.update(c for c in tekst.split(",") if c)
    return met_tekst(sorted(codes))


# ---------------------------------------------------------------- the rejected periods as a spreadsheet

@dataclass(frozen=True)
class Export:
    naam: str
    inhoud: bytes
    aantal: int


def _rij(bevinding: Bevindingsperiode) -> AfgekeurdePeriodeRij:
    periode, bericht = bevinding.periode, bevinding.bericht
    return AfgekeurdePeriodeRij(
        bericht.identificatie, bericht.dagtekening, bericht.ontvangen_op, periode.bsn, periode.bw_startnummer,
        periode.bw_startdatum, periode.bw_einddatum, str(periode.status_aanlevering), tuple(bevinding.codes),
        "; ".join(f"{c} {tekst}" for c, tekst in bevinding.codes_met_tekst))


def _export(actor: Actor, gemeente: Gemeente, onderwerp: str, beschrijving: str,
            rijen: Iterable[tuple[BerichtPeriode, Wmo407Bericht]], details: dict[str, object]) -> Export:
    moment = nu()
    regels = [_rij(_bevindingsperiode(p, b)) for p, b in rijen]
    inhoud = afgekeurde_perioden.write_afgekeurde_perioden(regels, created_at=moment, notes=[
        f"{beschrijving}, van {gemeente.naam} ({gemeente.code}), gemaakt op {format_moment(moment)}."])
    naam = afgekeurde_perioden.bestandsnaam(gemeente.bestandsprefix, onderwerp, moment)
    audit.registreer(actor, "afgekeurde_perioden_geexporteerd", gemeente_id=gemeente.id,
                     details={**details, "bestandsnaam": naam, "aantal": len(regels)},
                     bsns=[r.bsn for r in regels])
    db.session.commit()
    return Export(naam, inhoud, len(regels))


def exporteer_afgekeurd_bericht(actor: Actor, code: str, ontvangst_id: int) -> Export:
    """Every period of one rejected message with the codes it got back, in message order."""
    detail = bericht_detail(actor.user, code, ontvangst_id, limiet=0)
    bericht = detail.regel.bericht
    if bericht is None or bericht.geaccepteerd:
        raise toegang.NietGevonden(ontvangst_id)
    perioden = db.session.scalars(select(BerichtPeriode).where(BerichtPeriode.bericht_id == bericht.id)
                                  .order_by(BerichtPeriode.id))
    return _export(actor, detail.gemeente, bericht.identificatie,
                   f"De perioden van het afgekeurde bericht {bericht.identificatie}",
                   [(periode, bericht) for periode in perioden], {"ontvangst_id": ontvangst_id})


def exporteer_retourcode(actor: Actor, code: str, retourcode: str) -> Export:
    """Every period of the gemeente's messages that got `retourcode`, newest message first."""
    gemeente = toegang.gemeente_voor(actor.user, code)
    _bekende_code(retourcode)
    rijen = db.session.execute(_met_retourcode(gemeente, retourcode).order_by(
        Wmo407Bericht.ontvangen_op.desc(), Wmo407Bericht.id.desc(), BerichtPeriode.id))
    return _export(actor, gemeente, retourcode,
                   f"De perioden met retourcode {retourcode} ({RETOURCODES[retourcode]})",
                   [(periode, bericht) for periode, bericht in rijen], {"retourcode": retourcode})
