"""The reconciliation of a gemeente (proces.md section 4): what it promised against what it delivered,
now or as it stood at a moment, and the verdict kept on its migration record."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from portal.aansluiting import Aansluiting, bepaal_aansluiting, oordeel_tekst
from portal.extensions import db
from portal.models import BerichtPeriode, Gemeente, Migratie, Wmo407Bericht
from portal.services.migratie import dossier

MAX_VERSCHILLEN = 500   # differences kept on the record (the report files list them all)


def bereken_aansluiting(gemeente: Gemeente, tot: datetime | None = None) -> Aansluiting:
    """The reconciliation now, or as it stood at `tot`."""
    ontvangen: dict[str, list[date]] = {}
    for registratie in dossier.registraties(gemeente, tot):
        ontvangen.setdefault(registratie.bsn, []).append(registratie.bw_startdatum)
    query = (select(BerichtPeriode.bsn).join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
             .where(Wmo407Bericht.gemeente_id == gemeente.id, Wmo407Bericht.geaccepteerd.is_(False)))
    if tot is not None:
        query = query.where(Wmo407Bericht.ontvangen_op <= tot)
    afgekeurd = set(db.session.scalars(query))
    return bepaal_aansluiting(dossier.verwachte_codes(gemeente), ontvangen, afgekeurd, dossier.migratie_startdatum())


def bewaar_aansluiting(migratie: Migratie, aansluiting: Aansluiting) -> None:
    migratie.aansluiting = {
        "correct": aansluiting.correct,
        "aantallen": {u.value: n for u, n in aansluiting.aantallen.items()},
        "verwacht": aansluiting.aantal_verwacht,
        "ontvangen": aansluiting.aantal_ontvangen,
        "verschillen": [{"bsn": r.bsn, "terugkoppeling": r.terugkoppeling, "uitkomst": r.uitkomst.value,
                         "bw_startdatum": r.bw_startdatum.isoformat() if r.bw_startdatum else None}
                        for r in aansluiting.verschillen()][:MAX_VERSCHILLEN],
        "oordeel": oordeel_tekst(aansluiting),
    }
    migratie.aansluiting_correct = aansluiting.correct


def werk_aansluiting_bij(gemeente: Gemeente, migratie: Migratie) -> Aansluiting:
    """Recompute the reconciliation now and keep it on the record."""
    aansluiting = bereken_aansluiting(gemeente)
    bewaar_aansluiting(migratie, aansluiting)
    return aansluiting
