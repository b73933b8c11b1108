"""Scheduled actions: every calendar step is a row with its due time; `tick` carries out what is due.

Each due action is claimed by a conditional update, so two schedulers never run one action twice.
A scheduler that dies between claim and finish leaves the claim to expire, after which the action
is retried; every action is written to be idempotent. An action works with its own due time, never
with the moment it happens to run, so a late tick produces the same files and dates.

Which function carries out which kind of action is one table, registered with `registreer` when the
application starts (see `portal.create_app`).
"""
from __future__ import annotations

import logging
import os
import socket
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask import Flask, current_app
from sqlalchemy import CursorResult, and_, func, or_, select, update

from portal.extensions import db
from portal.models import ActieStatus, Gemeente, GeplandeActie
from portal.services.klok import nu

log = logging.getLogger(__name__)

CLAIM_DUUR = timedelta(minutes=10)
MAX_POGINGEN = 5
EXTENSION_KEY = "portal.planner"


@dataclass(frozen=True)
class Uitvoerder:
    """What carries out actions of one kind, and how the portal describes that kind in Dutch."""

    functie: Callable[[GeplandeActie], str]
    omschrijving: str


def registreer(app: Flask, tabel: Mapping[str, Uitvoerder]) -> None:
    """Make `tabel` (kind of action -> its Uitvoerder) the application's table of scheduled actions."""
    app.extensions[EXTENSION_KEY] = dict(tabel)


def tabel() -> Mapping[str, Uitvoerder]:
    """The table of the current application (empty when none was registered)."""
    geregistreerd: Mapping[str, Uitvoerder] = current_app.extensions.get(EXTENSION_KEY, {})
    return geregistreerd


def omschrijving(soort: str) -> str:
    uitvoerder = tabel().get(soort)
    return uitvoerder.omschrijving if uitvoerder else soort


def gemeente_van(actie: GeplandeActie) -> Gemeente:
    """The gemeente of an action that belongs to one (every kind except the period-wide steps)."""
    if actie.gemeente is None:
        raise LookupError(f"De geplande actie {actie.soort} ({actie.id}) hoort bij geen gemeente.")
    return actie.gemeente


def plan(gemeente: Gemeente | None, soort: str, due_op: datetime,
         parameters: dict[str, Any] | None = None) -> GeplandeActie:
    """Create the action unless the same one (gemeente, kind, due time) is already there."""
    due_op = due_op.astimezone(UTC)
    gemeente_id = gemeente.id if gemeente is not None else None
    bestaand = db.session.scalar(select(GeplandeActie).where(
        GeplandeActie.gemeente_id == gemeente_id, GeplandeActie.soort == soort,
        GeplandeActie.due_op == due_op))
    if bestaand is not None:
        if bestaand.status == ActieStatus.VERVALLEN:
            bestaand.status = ActieStatus.GEPLAND
            bestaand.fout = None
        return bestaand
    actie = GeplandeActie(gemeente_id=gemeente_id, soort=soort, due_op=due_op,
                          status=ActieStatus.GEPLAND, pogingen=0, parameters=parameters)
    db.session.add(actie)
    db.session.flush()
    return actie


def laat_vervallen(gemeente: Gemeente, soorten: set[str] | None = None) -> int:
    """Cancel the gemeente's actions that have not run yet (when its timeslot moves)."""
    query = update(GeplandeActie).where(
        GeplandeActie.gemeente_id == gemeente.id, GeplandeActie.status == ActieStatus.GEPLAND)
    if soorten:
        query = query.where(GeplandeActie.soort.in_(sorted(soorten)))
    resultaat = cast(CursorResult[Any], db.session.execute(query.values(status=ActieStatus.VERVALLEN)))
    return resultaat.rowcount


def acties_van(gemeente: Gemeente) -> list[GeplandeActie]:
    return list(db.session.scalars(select(GeplandeActie).where(
        GeplandeActie.gemeente_id == gemeente.id).order_by(GeplandeActie.due_op, GeplandeActie.id)))


def openstaande(limiet: int = 20) -> list[GeplandeActie]:
    """The actions still to run (all gemeenten and the period-wide ones), earliest first."""
    return list(db.session.scalars(select(GeplandeActie).where(
        GeplandeActie.status.in_([ActieStatus.GEPLAND, ActieStatus.BEZIG]))
        .order_by(GeplandeActie.due_op, GeplandeActie.id).limit(limiet)))


def aantal_openstaande() -> int:
    return db.session.scalar(select(func.count()).select_from(GeplandeActie).where(
        GeplandeActie.status.in_([ActieStatus.GEPLAND, ActieStatus.BEZIG]))) or 0


def recent_uitgevoerd(limiet: int = 10) -> list[GeplandeActie]:
    """The actions carried out or given up most recently."""
    return list(db.session.scalars(select(GeplandeActie).where(
        GeplandeActie.status.in_([ActieStatus.KLAAR, ActieStatus.MISLUKT]))
        .order_by(GeplandeActie.uitgevoerd_op.desc().nulls_last(), GeplandeActie.due_op.desc(),
                  GeplandeActie.id.desc()).limit(limiet)))


@dataclass(frozen=True)
class Uitvoering:
    actie_id: int
    soort: str
    gemeente: str | None
    due_op: datetime
    gelukt: bool
    resultaat: str


def _echte_tijd() -> datetime:
    # Claims are about processes that may die, so they follow real time, also in the ketentest.
    return datetime.now(UTC)


def _eigenaar() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _due(moment: datetime, limiet: int) -> list[tuple[int, datetime, int | None]]:
    verlopen = _echte_tijd() - CLAIM_DUUR
    rijen = db.session.execute(
        select(GeplandeActie.id, GeplandeActie.due_op, GeplandeActie.gemeente_id)
        .where(GeplandeActie.due_op <= moment,
               or_(GeplandeActie.status == ActieStatus.GEPLAND,
                   and_(GeplandeActie.status == ActieStatus.BEZIG, GeplandeActie.geclaimd_op < verlopen)))
        .order_by(GeplandeActie.due_op, GeplandeActie.id)
        .limit(limiet)).all()
    db.session.rollback()
    return [(actie_id, due_op, gemeente_id) for actie_id, due_op, gemeente_id in rijen]


def _bezig_elders(moment: datetime) -> dict[int | None, datetime]:
    """Per gemeente, the earliest due action another live tick holds (claim not expired): its later actions
    wait, so a gemeente's calendar runs in order even while an earlier step is still being carried out."""
    verlopen = _echte_tijd() - CLAIM_DUUR
    rijen = db.session.execute(
        select(GeplandeActie.gemeente_id, func.min(GeplandeActie.due_op))
        .where(GeplandeActie.due_op <= moment, GeplandeActie.status == ActieStatus.BEZIG,
               GeplandeActie.geclaimd_op >= verlopen)
        .group_by(GeplandeActie.gemeente_id)).all()
    db.session.rollback()
    return {rij[0]: rij[1] for rij in rijen}


def _leeft(eigenaar: str) -> bool:
    """Whether the process named in a claim may still be running (always so for another host's)."""
    host, _, rest = eigenaar.partition(":")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(rest.partition(":")[0]), 0)
    except ValueError:
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def geef_claims_van_dode_processen_vrij() -> int:
    """At the start of a planner: the actions claimed by a planner process on this host that no longer runs
    (killed mid-way) are planned again at once, instead of waiting for their claim to expire."""
    vrijgegeven = 0
    for actie in db.session.scalars(select(GeplandeActie).where(GeplandeActie.status == ActieStatus.BEZIG)):
        if actie.geclaimd_door is None or _leeft(actie.geclaimd_door):
            continue
        resultaat = cast(CursorResult[Any], db.session.execute(
            update(GeplandeActie).where(GeplandeActie.id == actie.id, GeplandeActie.status == ActieStatus.BEZIG,
                                        GeplandeActie.geclaimd_door == actie.geclaimd_door)
            .values(status=ActieStatus.GEPLAND, geclaimd_door=None)))
        vrijgegeven += resultaat.rowcount
    db.session.commit()
    return vrijgegeven


def _claim(actie_id: int, eigenaar: str) -> bool:
    echt = _echte_tijd()
    resultaat = cast(CursorResult[Any], db.session.execute(
        update(GeplandeActie)
        .where(GeplandeActie.id == actie_id,
               or_(GeplandeActie.status == ActieStatus.GEPLAND,
                   and_(GeplandeActie.status == ActieStatus.BEZIG,
                        GeplandeActie.geclaimd_op < echt - CLAIM_DUUR)))
        .values(status=ActieStatus.BEZIG, geclaimd_op=echt, geclaimd_door=eigenaar,
                pogingen=GeplandeActie.pogingen + 1)))
    db.session.commit()
    return resultaat.rowcount == 1


def _voer_uit(actie_id: int, eigenaar: str) -> Uitvoering | None:
    actie = db.session.get(GeplandeActie, actie_id)
    if actie is None or actie.geclaimd_door != eigenaar:
        return None
    code = actie.gemeente.code if actie.gemeente is not None else None
    soort, due_op = actie.soort, actie.due_op
    uitvoerder = tabel().get(soort)
    try:
        if uitvoerder is None:
            raise LookupError(f"Geen uitvoering bekend voor actie '{soort}'.")
        resultaat = uitvoerder.functie(actie)
        actie.status = ActieStatus.KLAAR
        actie.uitgevoerd_op = nu()
        actie.fout = None
        db.session.commit()
        return Uitvoering(actie_id, soort, code, due_op, True, resultaat or "")
    except Exception as fout:  # an action that fails is retried; the scheduler goes on
        db.session.rollback()
        log.exception("Geplande actie %s (%s) mislukt", actie_id, soort)
        actie = db.session.get_one(GeplandeActie, actie_id)
        actie.fout = "".join(traceback.format_exception_only(type(fout), fout)).strip()[:2000]
        actie.status = ActieStatus.MISLUKT if actie.pogingen >= MAX_POGINGEN else ActieStatus.GEPLAND
        actie.geclaimd_door = None
        db.session.commit()
        return Uitvoering(actie_id, soort, code, due_op, False, actie.fout)


def bezig_elders(moment: datetime) -> int:
    """How many actions due by `moment` another live tick still holds (claimed, claim not expired)."""
    aantal = db.session.scalar(select(func.count()).select_from(GeplandeActie).where(
        GeplandeActie.due_op <= moment, GeplandeActie.status == ActieStatus.BEZIG,
        GeplandeActie.geclaimd_op >= _echte_tijd() - CLAIM_DUUR)) or 0
    db.session.rollback()
    return aantal


def tick_en_wacht(moment: datetime, maximaal: timedelta = timedelta(seconds=60)) -> list[Uitvoering]:
    """A tick that also waits for the actions due by `moment` that other planners (another instance, the
    planner process) hold, and then ticks again for the gemeenten whose later steps waited on them: on return
    everything due by `moment` has been carried out, by this process or another (the ketentest's clock moves,
    whose answer promises that). After `maximaal` real time it returns what it did."""
    uitgevoerd = tick()
    einde = time.monotonic() + maximaal.total_seconds()
    while bezig_elders(moment) and time.monotonic() < einde:
        time.sleep(0.1)
        uitgevoerd.extend(tick())
    return uitgevoerd


def tick(limiet: int = 1000) -> list[Uitvoering]:
    """Carry out every action due at the clock's time, in due-time order, each exactly once."""
    eigenaar = _eigenaar()
    uitgevoerd: list[Uitvoering] = []
    geprobeerd: set[int] = set()
    moment = nu()
    # Look again after every action: an action may plan the next one (the weekly report plans next
    # week's), which must still run in due-time order before later steps, and never twice in one tick.
    # A gemeente's later actions wait while another tick still holds an earlier one (calendar order).
    while len(geprobeerd) < limiet:
        wacht = _bezig_elders(moment)
        kandidaat = next(((actie_id, gemeente_id, due_op) for actie_id, due_op, gemeente_id in _due(moment, limiet)
                          if actie_id not in geprobeerd
                          and not (gemeente_id in wacht and due_op > wacht[gemeente_id])), None)
        if kandidaat is None:
            break
        volgende, _gemeente_id, _due_op = kandidaat
        geprobeerd.add(volgende)
        if not _claim(volgende, eigenaar):
            continue
        uitvoering = _voer_uit(volgende, eigenaar)
        if uitvoering is not None:
            uitgevoerd.append(uitvoering)
    return uitgevoerd
