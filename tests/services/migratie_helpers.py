"""Helpers for the migration tests: drive a gemeente to a state the way its users and the scheduler
would, send WMO407 messages of our own making, and take a snapshot of everything a user can observe.

All times are Dutch local time on the test's fixed clock; the default timeslot is 03-10-2022:
B4 26-09 10:30, terugkoppeling due 29-09 17:00, akkoord at the latest 30-09 17:00, delivery due
04-10 15:00, aanleverrapportage 05-10 10:00.
"""
from __future__ import annotations

import functools
import hashlib
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from werkzeug.security import generate_password_hash
from sqlalchemy import func, select

from portal.toestanden import Toestand
from portal import ieb
from portal.extensions import db
from portal.models import (Belactie, Bestand, Gebeurtenis, Gemeente, GeplandeActie, Mail, Migratie, Ontvangst,
                           Terugkoppeling)
from portal.services import delivery, kanalen, migratie
from portal.kalender import NL
from portal.services.klok import vandaag
from tests import flow

CAK = "cak@cak.example.nl"
BEHEER = "beheer@cak.example.nl"
CAK_TEAM = "bw-migratie@cak.example.nl"
MEDEWERKER = "medewerker@amsterdam.example.nl"
CONTACT = "bw@amsterdam.example.nl"
STARTDATUM = date(2022, 10, 1)

B4_OP = "2022-09-26 10:30"
TERUGKOPPELING_OP = "2022-09-27 10:00"
AKKOORD_OP = "2022-09-28 10:00"
AANLEVERING_OP = "2022-10-03 09:00"
RAPPORTAGE_OP = "2022-10-05 10:00"


def lokaal(moment: datetime) -> str:
    return moment.astimezone(NL).strftime("%d-%m-%Y %H:%M")


# ---------------------------------------------------------------- speed

_ONTHOUDEN: dict[tuple, object] = {}


def _onthoud(naam: str, functie, sleutel):
    """Remember the answers of a pure function across tests: same input, same (immutable) answer."""

    @functools.wraps(functie)
    def onthoudend(*args, **kwargs):
        key = (naam, sleutel(*args, **kwargs))
        if key not in _ONTHOUDEN:
            _ONTHOUDEN[key] = functie(*args, **kwargs)
        return _ONTHOUDEN[key]

    return onthoudend


@pytest.fixture
def snel(monkeypatch):
    """Make the migration tests fast without changing what the portal does.

    - passwords are hashed with few rounds (nobody logs in in these tests);
    - the B4 writer and the terugkoppeling reader are pure functions of their input and are slow
      (the B4 carries 500 empty rows for additions), so their answers are remembered across tests;
    - filling in a B4 "in Excel" (tests.flow.vul_b4) is remembered the same way.
    """
    from portal.services import accounts

    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda wachtwoord, **_: generate_password_hash(wachtwoord, method="pbkdf2:sha256:1000"))
    from portal.services.migratie import b4 as b4_stap
    from portal.services.migratie import terugkoppeling as terugkoppeling_stap

    monkeypatch.setattr(b4_stap, "write_bestandsvergelijking", _onthoud(
        "b4", b4_stap.write_bestandsvergelijking,
        lambda rijen, created_at, **kw: (tuple(rijen), created_at, tuple(sorted(kw.items())))))
    monkeypatch.setattr(terugkoppeling_stap, "read_terugkoppeling", _onthoud(
        "lees", terugkoppeling_stap.read_terugkoppeling,
        lambda inhoud, gemeentecodes, b4_rows, **kw: (hashlib.sha256(inhoud).hexdigest(),
                                                      frozenset(gemeentecodes), tuple(b4_rows))))
    monkeypatch.setattr(flow, "vul_b4", _onthoud(
        "vul", flow.vul_b4,
        lambda inhoud, codes=None, standaard="J", extra=None, toegevoegd=None: (
            hashlib.sha256(inhoud).hexdigest(), repr(codes), standaard, repr(extra), repr(toegevoegd))))


# ---------------------------------------------------------------- driving the flow

def gepubliceerd(clock, clients: int = 4, code: str = "0363", naam: str = "Amsterdam") -> Gemeente:
    """A planned gemeente whose B4 was published at Monday 26-09-2022 10:30."""
    gemeente = flow.maak_gemeente(code=code, naam=naam, clients=clients)
    flow.plan(gemeente)
    flow.tot(clock, B4_OP)
    assert migratie.status(gemeente).toestand == Toestand.BV_GEPUBLICEERD
    return gemeente


def stuur_terugkoppeling(gemeente: Gemeente, codes: dict[str, str] | None = None, *,
                         uploader: str = MEDEWERKER, extra=None, toegevoegd=None,
                         bestandsnaam: str = "terugkoppeling.xlsx") -> migratie.TerugkoppelingUitkomst:
    inhoud = flow.vul_b4(flow.b4_van(gemeente).inhoud, codes=codes, extra=extra, toegevoegd=toegevoegd)
    return migratie.ontvang_terugkoppeling(flow.actor(uploader), gemeente.code, bestandsnaam, inhoud)


def teruggekoppeld(clock, codes: dict[str, str] | None = None, **kwargs) -> Gemeente:
    gemeente = gepubliceerd(clock, **kwargs)
    clock.set(flow.moment(TERUGKOPPELING_OP))
    uitkomst = stuur_terugkoppeling(gemeente, codes)
    assert uitkomst.geldig, uitkomst.problemen
    return gemeente


def akkoord(clock, codes: dict[str, str] | None = None, **kwargs) -> Gemeente:
    gemeente = teruggekoppeld(clock, codes, **kwargs)
    clock.set(flow.moment(AKKOORD_OP))
    migratie.geef_akkoord_aanleveren(flow.actor(CAK), gemeente)
    return gemeente


def lever_gegenereerd(gemeente: Gemeente, uploader: str = MEDEWERKER) -> delivery.Verwerking:
    """The WMO407 the portal makes from the approved terugkoppeling, sent back by the gemeente."""
    bericht = delivery.genereer_wmo407(flow.actor(uploader), gemeente.code)
    verwerking = delivery.ontvang_wmo407(flow.actor(uploader), gemeente.code, bericht.bestandsnaam, bericht.inhoud)
    assert verwerking.geaccepteerd, (verwerking.melding, verwerking.rapport)
    return verwerking


_volgnummer = {"n": 0}


def wmo407(gemeente: Gemeente, perioden: list[tuple[str, int, date] | tuple[str, int, date, int]],
           identificatie: str | None = None) -> bytes:
    """A WMO407 of our own: per period (bsn, bw_startnummer, bw_startdatum[, status_aanlevering])."""
    _volgnummer["n"] += 1
    clients: dict[str, list[ieb.Periode]] = {}
    for bsn, nummer, start, *status in perioden:
        clients.setdefault(bsn, []).append(ieb.Periode(nummer, start, None, status[0] if status else 1))
    return ieb.wmo407_bytes(afzender=gemeente.code,
                            identificatie=identificatie or f"T{gemeente.code}{_volgnummer['n']:06d}",
                            dagtekening=vandaag(),
                            clients=[ieb.Client(bsn, tuple(p)) for bsn, p in clients.items()])


def lever(gemeente: Gemeente, perioden, uploader: str = MEDEWERKER, naam: str = "bericht.xml",
          identificatie: str | None = None) -> delivery.Verwerking:
    return delivery.ontvang_wmo407(flow.actor(uploader), gemeente.code, naam,
                                   wmo407(gemeente, perioden, identificatie))


def aangeleverd(clock, codes: dict[str, str] | None = None, **kwargs) -> Gemeente:
    gemeente = akkoord(clock, codes, **kwargs)
    clock.set(flow.moment(AANLEVERING_OP))
    lever_gegenereerd(gemeente)
    return gemeente


def gerapporteerd(clock, codes: dict[str, str] | None = None, **kwargs) -> Gemeente:
    """A correct delivery, reported on Wednesday 05-10-2022 10:00 (the scheduler ran every step)."""
    gemeente = aangeleverd(clock, codes, **kwargs)
    flow.tot(clock, "2022-10-04 15:00")
    flow.tot(clock, RAPPORTAGE_OP)
    assert migratie.status(gemeente).toestand == Toestand.GERAPPORTEERD
    return gemeente


def nabellen(clock, **kwargs) -> Gemeente:
    """A delivery that misses the last client marked J: on the call list after Wednesday's report."""
    gemeente = akkoord(clock, **kwargs)
    clock.set(flow.moment(AANLEVERING_OP))
    bsns = flow.b4_bsns(gemeente)
    verwerking = lever(gemeente, [(bsn, 36300001 + i, STARTDATUM) for i, bsn in enumerate(bsns[:-1])])
    assert verwerking.geaccepteerd, (verwerking.melding, verwerking.rapport)
    flow.tot(clock, "2022-10-04 15:00")
    flow.tot(clock, RAPPORTAGE_OP)
    assert migratie.status(gemeente).toestand == Toestand.NABELLEN
    return gemeente


def gemigreerd(clock, **kwargs) -> Gemeente:
    gemeente = gerapporteerd(clock, **kwargs)
    clock.set(flow.moment("2022-10-05 11:00"))
    migratie.keur_aanlevering_goed(flow.actor(CAK), gemeente)
    return gemeente


def niet_gepland(clock, clients: int = 4, **kwargs) -> Gemeente:
    return flow.maak_gemeente(clients=clients, **kwargs)


def gepland(clock, clients: int = 4, **kwargs) -> Gemeente:
    gemeente = flow.maak_gemeente(clients=clients, **kwargs)
    flow.plan(gemeente)
    return gemeente


NAAR_TOESTAND = {
    Toestand.NIET_GEPLAND: niet_gepland,
    Toestand.GEPLAND: gepland,
    Toestand.BV_GEPUBLICEERD: gepubliceerd,
    Toestand.TERUGGEKOPPELD: teruggekoppeld,
    Toestand.AKKOORD_AANLEVEREN: akkoord,
    Toestand.AANGELEVERD: aangeleverd,
    Toestand.GERAPPORTEERD: gerapporteerd,
    Toestand.NABELLEN: nabellen,
    Toestand.GEMIGREERD: gemigreerd,
}


# ---------------------------------------------------------------- observing

def toestand(gemeente: Gemeente) -> Toestand:
    """The state as stored; a gemeente without a migration record is NIET_GEPLAND."""
    db.session.expire_all()
    opgeslagen = db.session.scalar(select(Migratie.toestand).where(Migratie.gemeente_id == gemeente.id))
    return Toestand(opgeslagen or Toestand.NIET_GEPLAND)


def migratie_rij(gemeente: Gemeente) -> Migratie:
    db.session.expire_all()
    return db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))


def tijdlijn(gemeente: Gemeente, soort: str | None = None) -> list[Gebeurtenis]:
    db.session.expire_all()
    query = select(Gebeurtenis).where(Gebeurtenis.gemeente_id == gemeente.id)
    if soort is not None:
        query = query.where(Gebeurtenis.soort == soort)
    return list(db.session.scalars(query.order_by(Gebeurtenis.op, Gebeurtenis.id)))


def overgangen(gemeente: Gemeente) -> list[tuple[str | None, str | None]]:
    return [(g.van_toestand, g.naar_toestand) for g in tijdlijn(gemeente) if g.naar_toestand]


def mails(soort: str | None = None, gemeente: Gemeente | None = None) -> list[Mail]:
    db.session.expire_all()
    query = select(Mail)
    if soort is not None:
        query = query.where(Mail.soort == soort)
    if gemeente is not None:
        query = query.where(Mail.gemeente_id == gemeente.id)
    return list(db.session.scalars(query.order_by(Mail.id)))


def bestanden(gemeente: Gemeente, categorie: str | None = None) -> list[Bestand]:
    db.session.expire_all()
    query = select(Bestand).where(Bestand.gemeente_id == gemeente.id)
    if categorie is not None:
        query = query.where(Bestand.categorie == categorie)
    return list(db.session.scalars(query.order_by(Bestand.id)))


def ontvangsten(gemeente: Gemeente, soort: str | None = None) -> list[Ontvangst]:
    db.session.expire_all()
    query = select(Ontvangst).where(Ontvangst.gemeente_id == gemeente.id)
    if soort is not None:
        query = query.where(Ontvangst.soort == soort)
    return list(db.session.scalars(query.order_by(Ontvangst.id)))


def acties(gemeente: Gemeente) -> list[GeplandeActie]:
    db.session.expire_all()
    return list(db.session.scalars(select(GeplandeActie).where(GeplandeActie.gemeente_id == gemeente.id)
                                   .order_by(GeplandeActie.due_op, GeplandeActie.id)))


TIMESLOT_ACTIES = (migratie.Actiesoort.B4_PUBLICEREN, migratie.Actiesoort.TERUGKOPPELING_TE_LAAT, migratie.Actiesoort.AANLEVERING_TE_LAAT,
                   migratie.Actiesoort.AANLEVERRAPPORTAGE)


def timeslot_acties(gemeente: Gemeente, status: str | None = None) -> list[tuple[str, str]]:
    """The scheduled steps of the timeslot week itself (not the weekly reports after it), local time."""
    return [(a.soort, lokaal(a.due_op)) for a in acties(gemeente)
            if a.soort in TIMESLOT_ACTIES and (status is None or a.status == status)]


def momentopname(gemeente: Gemeente) -> dict:
    """Everything a user or operator can observe about a gemeente's migration, to compare before/after."""
    db.session.expire_all()
    rij = db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))
    tellen = lambda model, *voorwaarden: db.session.scalar(  # noqa: E731
        select(func.count()).select_from(model).where(*voorwaarden))
    return {
        "migratie": None if rij is None else {
            kolom: getattr(rij, kolom) for kolom in (
                "toestand", "timeslot", "terugkoppeling_te_laat", "aanlevering_te_laat", "verwacht_aantal",
                "akkoord_terugkoppeling_id", "akkoord_aanleveren_op", "aanleverdeadline", "aansluiting",
                "aansluiting_correct", "goedgekeurd_op", "goedgekeurd_door", "afwijking_reden", "gepland_op")},
        "tijdlijn": [(g.soort, g.van_toestand, g.naar_toestand, g.op, g.omschrijving) for g in tijdlijn(gemeente)],
        "mails": tellen(Mail),
        "bestanden": [(b.naam, b.sha256) for b in bestanden(gemeente)],
        "terugkoppelingen": [(t.id, t.geldig, t.actueel) for t in db.session.scalars(
            select(Terugkoppeling).where(Terugkoppeling.gemeente_id == gemeente.id).order_by(Terugkoppeling.id))],
        "belacties": [(b.id, b.afgehandeld_op, b.uitkomst) for b in db.session.scalars(
            select(Belactie).where(Belactie.gemeente_id == gemeente.id).order_by(Belactie.id))],
        "acties": [(a.soort, a.due_op, a.status) for a in acties(gemeente)],
        "kanalen": [(k.kanaal, k.open, k.sinds) for k in kanalen.stand(gemeente)],
    }


def lees_xlsx(inhoud: bytes) -> dict[str, list[tuple]]:
    """Every sheet of an .xlsx as its rows of values."""
    workbook = load_workbook(BytesIO(inhoud), read_only=True)
    try:
        return {blad.title: [tuple(rij) for rij in blad.iter_rows(values_only=True)] for blad in workbook.worksheets}
    finally:
        workbook.close()


# ---------------------------------------------------------------- a scheduler in another process

def tick_in_eigen_proces(database_url: str, moment: str, barrier, uitkomsten) -> None:
    """Run in a spawned process: its own app on the same database, a fixed clock at `moment` (ISO, UTC),
    wait for the others at the barrier, then tick once and report what it carried out."""
    from portal import create_app
    from portal.services import planner as planner_
    from portal.services.klok import FixedClock

    app = create_app({"TESTING": True, "SECRET_KEY": "test-geheim", "SQLALCHEMY_DATABASE_URI": database_url,
                      "PORTAL_MODE": "ontwikkeling", "CLOCK": FixedClock(datetime.fromisoformat(moment))})
    with app.app_context():
        db.session.execute(select(1))  # connect before the start signal
        db.session.rollback()
        barrier.wait(timeout=120)
        try:
            uitgevoerd = planner_.tick()
        except Exception as fout:  # reported to the test, which fails on it
            uitkomsten.put(("fout", repr(fout)))
        else:
            uitkomsten.put(("ok", [(u.gemeente, u.soort, u.gelukt, u.resultaat) for u in uitgevoerd]))
        finally:
            db.session.remove()
            db.engine.dispose()
