"""The registration channels of a gemeente (proces.md section 5): open or closed, and since when."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import Gemeente, Kanaal
from portal.mutaties import weigering_na_sluiting
from portal.services import audit
from portal.services.audit import Actor
from portal.services.klok import nu


class Kanaalsoort(StrEnum):
    IEB = "IEB"
    HV_APP = "HV_APP"
    EXCEL = "EXCEL"
    RECORD60 = "RECORD60"


OUDE_KANALEN = (Kanaalsoort.HV_APP, Kanaalsoort.EXCEL, Kanaalsoort.RECORD60)
NAMEN: Mapping[Kanaalsoort, str] = {
    Kanaalsoort.IEB: "iEb (WMO407, web of API)",
    Kanaalsoort.HV_APP: "H&V-app (webformulier)",
    Kanaalsoort.EXCEL: "Excel (aan- en afmeldlijst)",
    Kanaalsoort.RECORD60: "60-record (tekstbestand)",
}
# Before anything happened: the old channels are open, iEb opens at the akkoord to deliver.
STANDAARD_OPEN: Mapping[Kanaalsoort, bool] = {
    Kanaalsoort.IEB: False, Kanaalsoort.HV_APP: True, Kanaalsoort.EXCEL: True, Kanaalsoort.RECORD60: True}


@dataclass(frozen=True)
class KanaalStand:
    kanaal: Kanaalsoort
    naam: str
    open: bool
    sinds: datetime | None


def kanaalhouder(gemeente: Gemeente) -> Gemeente:
    """Whose channels count for this gemeente: its own, or, for a region member that does not deliver
    itself, those of the centrumgemeente that delivers for it (they close at its migration)."""
    if not gemeente.levert_aan and gemeente.centrumgemeente is not None:
        return gemeente.centrumgemeente
    return gemeente


def stand(gemeente: Gemeente) -> list[KanaalStand]:
    houder = kanaalhouder(gemeente)
    rijen = {k.kanaal: k for k in db.session.scalars(select(Kanaal).where(Kanaal.gemeente_id == houder.id))}
    resultaat = []
    for kanaal in Kanaalsoort:
        rij = rijen.get(kanaal)
        resultaat.append(KanaalStand(kanaal, NAMEN[kanaal],
                                     rij.open if rij else STANDAARD_OPEN[kanaal],
                                     rij.gewijzigd_op if rij else None))
    return resultaat


def is_open(gemeente: Gemeente, kanaal: Kanaalsoort) -> bool:
    return next(s.open for s in stand(gemeente) if s.kanaal == kanaal)


def was_open(gemeente: Gemeente, kanaal: Kanaalsoort, moment: datetime) -> bool:
    """Whether the channel was open at `moment` (by its last change; a channel changes at most once)."""
    huidig = next(s for s in stand(gemeente) if s.kanaal == kanaal)
    if huidig.sinds is None or huidig.sinds <= moment:
        return huidig.open
    return not huidig.open


def zet(gemeente: Gemeente, kanaal: Kanaalsoort, open_: bool, actor: Actor, moment: datetime | None = None) -> bool:
    """Open or close a channel; returns whether anything changed (so it is idempotent)."""
    rij = db.session.scalar(select(Kanaal).where(Kanaal.gemeente_id == gemeente.id, Kanaal.kanaal == kanaal))
    if rij is None:
        if STANDAARD_OPEN[kanaal] == open_:
            rij = Kanaal(gemeente_id=gemeente.id, kanaal=kanaal, open=open_, gewijzigd_op=None,
                         gewijzigd_door=None)
            db.session.add(rij)
            return False
        rij = Kanaal(gemeente_id=gemeente.id, kanaal=kanaal, open=not open_)
        db.session.add(rij)
    if rij.open == open_:
        return False
    rij.open = open_
    rij.gewijzigd_op = moment or nu()
    rij.gewijzigd_door = actor.naam
    audit.registreer(actor, "kanaal_geopend" if open_ else "kanaal_gesloten", object_type="kanaal",
                     object_id=kanaal, gemeente_id=gemeente.id)
    return True


def sluit_oude_kanalen(gemeente: Gemeente, actor: Actor, moment: datetime | None = None) -> list[Kanaalsoort]:
    return [k for k in OUDE_KANALEN if zet(gemeente, k, False, actor, moment)]


def weigering_oud_kanaal(gemeente: Gemeente, kanaal: Kanaalsoort, data: Iterable[date | None]) -> str | None:
    """Why a mutation through a closed old channel is refused, or None when it is accepted.

    After closing, a mutation whose start or stop date lies before the peildatum is still
    accepted (the care period before 1-10-2022); anything else must go by WMO407. The rule itself is
    `portal.mutaties.weigering_na_sluiting`; every intake of the old channels calls this per mutation.
    """
    peildatum: date = current_app.config["MIGRATIE_PEILDATUM_OUDE_KANALEN"]
    return weigering_na_sluiting(kanaalnaam=NAMEN[kanaal], gemeentenaam=gemeente.naam,
                                 open_=is_open(gemeente, kanaal), peildatum=peildatum, data=data)
