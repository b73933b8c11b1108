"""Resetting one gemeente in the ketentest: its migration data removed and the gemeente brought back to
its demo start (signed up and planned as the demo loader does), every other gemeente untouched.

What is removed is found from the data model, not from a list kept by hand: every row of a table with a
`gemeente_id` of this gemeente, and every row that hangs on such a row by a foreign key. Kept are the
gemeente itself, its users, its BW clients as the CAK knows them (the demo data), its demo behaviour, its templates
(Sjablonen) and the audit trail, which records the reset too.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import ColumnElement, Table, and_, delete, or_, select

from portal.demo import demo_scenario
from portal.extensions import db
from portal.models import Base, Categorie, Gemeente, User
from portal.rollen import CAK_ROLLEN
from portal.services import audit, seed, toegang
from portal.services.audit import Actor
from portal.services.toegang import GeenToegang

BEWAARD = frozenset({"gemeente", "gebruiker", "gebruiker_gemeente", "bw_client", "audit_event", "api_token",
                     "demogedrag"})
"""Tables a reset never empties for the gemeente (the demo start, the people, the audit trail)."""


class ResetFout(ValueError):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


@dataclass(frozen=True)
class Reset:
    gemeente: Gemeente
    verwijderd: dict[str, int]   # table -> rows removed
    gedaan: str                  # what the demo start did: gepland, aangemeld, verleden, niets
    toelichting: str


def _te_verwijderen(gemeente_id: int) -> dict[str, ColumnElement[bool]]:
    """Per table, the condition on its rows that belong to the gemeente (directly or through a parent)."""
    condities: dict[str, ColumnElement[bool]] = {}
    for table in Base.metadata.sorted_tables:  # parents before children
        if table.name in BEWAARD:
            continue
        delen: list[ColumnElement[bool]] = []
        if "gemeente_id" in table.c:
            delen.append(table.c.gemeente_id == gemeente_id)
        for fk in table.foreign_keys:
            ouder: Table = fk.column.table
            if ouder.name in condities and ouder.name != table.name:
                delen.append(fk.parent.in_(select(fk.column).where(condities[ouder.name])))
        if not delen:
            continue
        conditie = or_(*delen)
        if table.name == "bestand":
            conditie = and_(conditie, table.c.categorie != Categorie.SJABLOON.value)
        condities[table.name] = conditie
    return condities


def _verwijder(gemeente: Gemeente) -> dict[str, int]:
    condities = _te_verwijderen(gemeente.id)
    tabellen = {t.name: t for t in Base.metadata.sorted_tables}
    aantallen: dict[str, int] = {}
    for naam in reversed(list(condities)):  # children before parents
        resultaat = db.session.execute(delete(tabellen[naam]).where(condities[naam]))
        aantal = int(getattr(resultaat, "rowcount", 0) or 0)
        if aantal:
            aantallen[naam] = aantal
    db.session.expire_all()
    return aantallen


def reset_gemeente(actor: Actor, code: str) -> Reset:
    """Remove the gemeente's migration data and bring it back to its demo start. Only in the ketentest,
    only by the CAK; NietGevonden for a gemeente the actor may not see."""
    if current_app.config["PORTAL_MODE"] != "ketentest":
        raise toegang.NietGevonden(code)
    gemeente = toegang.gemeente_voor(actor.user, code)
    user: User | None = actor.user
    if user is None or user.role not in CAK_ROLLEN:
        raise GeenToegang("Alleen een medewerker van het CAK kan een gemeente in de ketentest terugzetten.")
    verwijderd = _verwijder(gemeente)
    gemeente = db.session.get_one(Gemeente, gemeente.id)
    demo = next((d for d in demo_scenario().leverende_gemeenten if d.code == gemeente.code), None)
    if gemeente.levert_aan:
        seed.sjablonen({gemeente.code: gemeente})
    gedaan = seed.plan_demo_gemeente(demo, gemeente) if demo is not None else "niets"
    toelichting = {
        "gepland": "De gemeente is aangemeld en ingepland in de week van haar voorkeur, zoals in de demo.",
        "aangemeld": "De gemeente is aangemeld en wacht, zoals in de demo, op de planning door het CAK.",
        "verleden": ("De week van haar voorkeur ligt volgens de klok al achter ons; de gemeente staat op "
                     "'niet gepland'. Laat het CAK een latere week plannen."),
        "niets": "De gemeente staat op 'niet gepland'.",
    }[gedaan]
    audit.registreer(actor, "ketentest_gemeente_teruggezet", object_type="gemeente", object_id=gemeente.code,
                     gemeente_id=gemeente.id, details={"verwijderd": verwijderd, "gedaan": gedaan})
    db.session.commit()
    return Reset(gemeente, verwijderd, gedaan, toelichting)
