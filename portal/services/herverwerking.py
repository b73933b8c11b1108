"""Uploads left unprocessed: stored, but the worker that was processing them died (issue 11, point 10).

Every upload is stored and committed before it is processed, with a claim by the worker that stored it
(`storage.bewaar_ontvangst`). When that worker is killed mid-way, the upload stays ONTVANGEN: the screens
and reports show it as "in behandeling", never as refused. The planner, at its start and on every tick,
takes each such upload whose claim is older than a grace period (so an upload still being processed is
left alone), claims it with a conditional update (so two planners never both take it) and processes it
once, in order of arrival, as the uploader.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, or_, select, update

from portal.extensions import db
from portal.models import Ontvangst, OntvangstStatus
from portal.services import storage
from portal.services.audit import Actor
from portal.services.delivery.ontvangst import SOORT as WMO407
from portal.services.delivery.ontvangst import verwerk_wmo407
from portal.services.kanalen import Kanaalsoort
from portal.services.migratie import vergelijking
from portal.services.migratie.terugkoppeling import SOORT as TERUGKOPPELING
from portal.services.migratie.terugkoppeling import verwerk_terugkoppeling
from portal.services.oude_kanalen.bestanden import verwerk_excel, verwerk_record60
from portal.services.oude_kanalen.hv import verwerk_hv
from portal.services.oude_kanalen.intake import SOORT as OUDE_SOORTEN

log = logging.getLogger(__name__)

# How long the worker that stored an upload may take before the planner takes it over (real time).
STANDAARD_WACHTTIJD = timedelta(minutes=2)


def _hv(actor: Actor, ontvangst: Ontvangst, inhoud: bytes) -> None:
    gemeente = ontvangst.gemeente
    assert gemeente is not None
    verwerk_hv(actor, gemeente, ontvangst, json.loads(inhoud.decode("utf-8")))


def _met_gemeente(verwerk: Callable[..., Any]) -> Callable[[Actor, Ontvangst, bytes], None]:
    def uitvoeren(actor: Actor, ontvangst: Ontvangst, inhoud: bytes) -> None:
        assert ontvangst.gemeente is not None
        verwerk(actor, ontvangst.gemeente, ontvangst, inhoud)
    return uitvoeren


VERWERKERS: Mapping[str, Callable[[Actor, Ontvangst, bytes], None]] = {
    WMO407: _met_gemeente(verwerk_wmo407),
    TERUGKOPPELING: _met_gemeente(verwerk_terugkoppeling),
    vergelijking.SOORT: _met_gemeente(verwerk_terugkoppeling),
    OUDE_SOORTEN[Kanaalsoort.EXCEL]: _met_gemeente(verwerk_excel),
    OUDE_SOORTEN[Kanaalsoort.RECORD60]: _met_gemeente(verwerk_record60),
    OUDE_SOORTEN[Kanaalsoort.HV_APP]: _hv,
}


@dataclass(frozen=True)
class Herverwerking:
    ontvangst_id: int
    soort: str
    gemeente: str | None
    status: str
    uitkomst: str


def _echte_tijd() -> datetime:
    return datetime.now(UTC)


def wachttijd() -> timedelta:
    seconden = current_app.config.get("ONTVANGST_WACHTTIJD_SECONDEN")
    return STANDAARD_WACHTTIJD if seconden is None else timedelta(seconds=float(seconden))


def _verlopen(grens: datetime) -> Any:
    return or_(Ontvangst.geclaimd_op.is_(None), Ontvangst.geclaimd_op < grens)


def achtergebleven(na: timedelta | None = None) -> list[int]:
    """The stored uploads nobody is processing any more, in order of arrival."""
    grens = _echte_tijd() - (wachttijd() if na is None else na)
    ids = list(db.session.scalars(select(Ontvangst.id).where(
        Ontvangst.status == OntvangstStatus.ONTVANGEN, Ontvangst.soort.in_(sorted(VERWERKERS)),
        Ontvangst.gemeente_id.is_not(None), _verlopen(grens))
        .order_by(Ontvangst.ontvangen_op, Ontvangst.id)))
    db.session.rollback()
    return ids


def _claim(ontvangst_id: int, grens: datetime) -> bool:
    resultaat = cast(CursorResult[Any], db.session.execute(
        update(Ontvangst).where(Ontvangst.id == ontvangst_id, Ontvangst.status == OntvangstStatus.ONTVANGEN,
                                _verlopen(grens))
        .values(geclaimd_op=_echte_tijd(), geclaimd_door=storage.verwerker())))
    db.session.commit()
    return resultaat.rowcount == 1


def verwerk_achtergebleven(na: timedelta | None = None) -> list[Herverwerking]:
    """Process, once each and in order of arrival, every upload left unprocessed for longer than `na`."""
    gedaan: list[Herverwerking] = []
    for ontvangst_id in achtergebleven(na):
        if not _claim(ontvangst_id, _echte_tijd() - (wachttijd() if na is None else na)):
            continue  # another planner took it
        ontvangst = db.session.get_one(Ontvangst, ontvangst_id)
        actor = Actor(user=ontvangst.gebruiker, job=None if ontvangst.gebruiker else "herverwerking")
        try:
            VERWERKERS[ontvangst.soort](actor, ontvangst, ontvangst.inhoud)
            db.session.commit()
        except Exception:  # one upload that fails again must not stop the others; it is tried next time
            db.session.rollback()
            log.exception("Achtergebleven upload %s (%s) opnieuw mislukt", ontvangst_id, ontvangst.soort)
            continue
        ontvangst = db.session.get_one(Ontvangst, ontvangst_id)
        gedaan.append(Herverwerking(ontvangst.id, ontvangst.soort,
                                    ontvangst.gemeente.code if ontvangst.gemeente else None,
                                    str(ontvangst.status), ontvangst.uitkomst or ""))
    return gedaan
