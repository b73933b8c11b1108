"""Counting login attempts, so guessing is slow but a stranger cannot lock an owner out for good.

Two counters, both kept in the database so they hold across processes and workers:

- per e-mail address as typed (`InlogBlokkade`, whether an account exists or not): after INLOG_MAX_MISLUKT
  failures in a row every further attempt waits, INLOG_WACHTTIJD seconds after that failure and twice as long
  after each next one, at most INLOG_MAX_WACHTTIJD. The owner's right password after the wait works and ends the
  series; a series is forgotten VERGEET after its last failure.
- per network address (`InlogAdres`): INLOG_ADRES_MAX_MISLUKT failures within INLOG_ADRES_VENSTER seconds, and
  that address waits INLOG_ADRES_VENSTER seconds, whatever address it types.

An attempt is counted as a failure BEFORE its password is checked (`claim`), in one atomic statement per
counter (INSERT ... ON CONFLICT DO NOTHING, then UPDATE ... SET mislukt = mislukt + 1 ... RETURNING): parallel
attempts are counted exactly and each sees the ones before it, so a burst of guesses cannot slip past the limit.
A right password then undoes the count (`geslaagd`). An attempt during a wait is refused without being counted
and without its password being checked.

The moments are real time (the system clock, or the one a test installs), never the ketentest clock: moving that
clock neither ends nor lengthens a wait.

The functions here only execute statements in the session's current transaction; the caller starts it with
`begin_schrijven` and commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import case, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.models import InlogBlokkade
from portal.models.inlogpoging import InlogAdres
from portal.services.klok import Clock

ECHTE_KLOK = "portal.echte_klok"
VERGEET = timedelta(hours=24)
"""A series of failures for an address is forgotten this long after its last failure."""
ONBEKEND_ADRES = "onbekend"


@dataclass(frozen=True)
class Beurt:
    """The answer to a claimed attempt: may its password be checked, and until when must the next one wait."""

    toegestaan: bool
    wacht_tot: datetime | None = None
    door_adres: bool = False
    """Refused (or slowed) because of the network address rather than the e-mail address."""


def installeer_echte_klok(app: Flask, clock: Clock) -> None:
    """Tests install a clock of their own; without one the system clock is used."""
    app.extensions[ECHTE_KLOK] = clock


def nu() -> datetime:
    clock: Clock | None = current_app.extensions.get(ECHTE_KLOK)
    return clock.now() if clock is not None else datetime.now(UTC)


def begin_schrijven() -> None:
    """End the session's transaction and start one that holds the write lock from its first moment.

    On SQLite a transaction that read first and then writes fails at once ("database is locked") when another
    connection wrote in between, instead of waiting; BEGIN IMMEDIATE waits (busy_timeout) for the lock instead.
    PostgreSQL locks rows, not the database: there a plain transaction is right.
    """
    db.session.commit()
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("BEGIN IMMEDIATE"))


def _instelling(naam: str, standaard: int) -> int:
    return int(current_app.config.get(naam) or standaard)


def wachttijd(mislukt: int) -> timedelta:
    """How long the next attempt waits after this many failures in a row (none below the limit)."""
    maximum = _instelling("INLOG_MAX_MISLUKT", 5)
    if mislukt < maximum:
        return timedelta(0)
    seconden = _instelling("INLOG_WACHTTIJD", 30) * 2 ** min(mislukt - maximum, 30)
    return timedelta(seconds=min(seconden, _instelling("INLOG_MAX_WACHTTIJD", 900)))


def _voeg_rij_toe(model: Any, **waarden: Any) -> None:
    """The row for this key, if it is not there yet; two first attempts at once both succeed."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(model).values(mislukt=0, **waarden).on_conflict_do_nothing())


def _tel_adres(adres: str, moment: datetime) -> Beurt:
    venster = timedelta(seconds=_instelling("INLOG_ADRES_VENSTER", 900))
    _voeg_rij_toe(InlogAdres, adres=adres)
    nieuw_venster = or_(InlogAdres.venster_start.is_(None), InlogAdres.venster_start <= moment - venster)
    mislukt = db.session.execute(
        update(InlogAdres)
        .where(InlogAdres.adres == adres,
               or_(InlogAdres.geblokkeerd_tot.is_(None), InlogAdres.geblokkeerd_tot <= moment))
        .values(mislukt=case((nieuw_venster, 1), else_=InlogAdres.mislukt + 1),
                venster_start=case((nieuw_venster, moment), else_=InlogAdres.venster_start))
        .returning(InlogAdres.mislukt),
        execution_options={"synchronize_session": False}).scalar_one_or_none()
    if mislukt is None:
        tot = db.session.scalar(select(InlogAdres.geblokkeerd_tot).where(InlogAdres.adres == adres))
        return Beurt(toegestaan=False, wacht_tot=tot, door_adres=True)
    if mislukt >= _instelling("INLOG_ADRES_MAX_MISLUKT", 20):
        tot = moment + venster
        db.session.execute(update(InlogAdres).where(InlogAdres.adres == adres).values(geblokkeerd_tot=tot),
                           execution_options={"synchronize_session": False})
        return Beurt(toegestaan=True, wacht_tot=tot, door_adres=True)
    return Beurt(toegestaan=True)


def _tel_account(email: str, moment: datetime) -> Beurt:
    _voeg_rij_toe(InlogBlokkade, email=email)
    vergeten = or_(InlogBlokkade.laatste_mislukt.is_(None), InlogBlokkade.laatste_mislukt <= moment - VERGEET)
    mislukt = db.session.execute(
        update(InlogBlokkade)
        .where(InlogBlokkade.email == email,
               or_(InlogBlokkade.geblokkeerd_tot.is_(None), InlogBlokkade.geblokkeerd_tot <= moment))
        .values(mislukt=case((vergeten, 1), else_=InlogBlokkade.mislukt + 1), laatste_mislukt=moment)
        .returning(InlogBlokkade.mislukt),
        execution_options={"synchronize_session": False}).scalar_one_or_none()
    if mislukt is None:
        tot = db.session.scalar(select(InlogBlokkade.geblokkeerd_tot).where(InlogBlokkade.email == email))
        return Beurt(toegestaan=False, wacht_tot=tot)
    wacht = wachttijd(mislukt)
    if not wacht:
        return Beurt(toegestaan=True)
    tot = moment + wacht
    db.session.execute(update(InlogBlokkade).where(InlogBlokkade.email == email).values(geblokkeerd_tot=tot),
                       execution_options={"synchronize_session": False})
    return Beurt(toegestaan=True, wacht_tot=tot)


def claim(email: str, adres: str | None) -> Beurt:
    """Count an attempt for this e-mail address from this network address as a failure, before its password is
    checked. Refused (nothing counted) while either must wait; `wacht_tot` also says when this attempt, if wrong,
    makes the next one wait."""
    moment = nu()
    sleutel = (adres or ONBEKEND_ADRES)[:64]
    voor_adres = _tel_adres(sleutel, moment)
    if not voor_adres.toegestaan:
        return voor_adres
    voor_account = _tel_account(email, moment)
    if not voor_account.toegestaan:
        _maak_ongedaan(sleutel)  # a refused attempt tests no password: it does not count for the address
        return voor_account
    return voor_adres if voor_adres.wacht_tot else voor_account


def _maak_ongedaan(sleutel: str) -> None:
    maximum = _instelling("INLOG_ADRES_MAX_MISLUKT", 20)
    db.session.execute(
        update(InlogAdres).where(InlogAdres.adres == sleutel, InlogAdres.mislukt > 0)
        .values(mislukt=InlogAdres.mislukt - 1,
                geblokkeerd_tot=case((InlogAdres.mislukt - 1 < maximum, None), else_=InlogAdres.geblokkeerd_tot)),
        execution_options={"synchronize_session": False})


def geslaagd(email: str, adres: str | None) -> None:
    """The claimed attempt had the right password: the e-mail address's series ends, and the attempt no longer
    counts for the network address."""
    wis(email)
    _maak_ongedaan((adres or ONBEKEND_ADRES)[:64])


def wachtwoord_juist(email: str, adres: str | None) -> None:
    """The claimed attempt had the right password but the login waits for a second factor: the attempt no longer
    counts, for the e-mail address nor for the network address; the e-mail address's series does not end (only
    the right code ends it). The claim was allowed, so no wait was running before it: none runs after."""
    db.session.execute(
        update(InlogBlokkade).where(InlogBlokkade.email == email, InlogBlokkade.mislukt > 0)
        .values(mislukt=InlogBlokkade.mislukt - 1, geblokkeerd_tot=None),
        execution_options={"synchronize_session": False})
    _maak_ongedaan((adres or ONBEKEND_ADRES)[:64])


def wis(email: str) -> None:
    """End the series of failures for this e-mail address (a right password, or a new one set by a link)."""
    db.session.execute(
        update(InlogBlokkade).where(InlogBlokkade.email == email)
        .values(mislukt=0, laatste_mislukt=None, geblokkeerd_tot=None),
        execution_options={"synchronize_session": False})


def aantal_mislukt(email: str) -> int:
    """Failures counted in the current series for this e-mail address."""
    return db.session.scalar(select(InlogBlokkade.mislukt).where(InlogBlokkade.email == email)) or 0
