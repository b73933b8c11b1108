"""Writing and checking the audit trail. Every service that changes or reveals something records it here.

Each event is chained to the one before it: its `hash` is SHA-256 over its canonical form, which holds the
previous event's hash (portal.auditketen). Appending first updates the one row of `audit_ketenkop`, so the
append holds that row's lock (PostgreSQL) or the write lock (SQLite) until the transaction ends: two
workers never chain onto the same event.

A page or answer that shows BSNs reports them with `bsns_getoond`; at the end of the request one event
records who saw which BSNs (or how many) where (see portal.web)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import g, has_request_context
from sqlalchemy import select, text

from portal import auditketen
from portal.extensions import db
from portal.models import AuditEvent, AuditKetenkop, User
from portal.services.klok import nu

OBJECT_ID_LENGTE = 64


@dataclass(frozen=True)
class Actor:
    """Who causes an action: a logged-in user (with their address) or a named job."""

    user: User | None = None
    job: str | None = None
    ip: str | None = None

    @classmethod
    def job_named(cls, name: str) -> Actor:
        return cls(job=name)

    @property
    def naam(self) -> str:
        if self.user is not None:
            return self.user.email
        return self.job or "onbekend"

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None


def echte_tijd() -> datetime:
    """The wall clock in UTC: also in the ketentest, whose clock the portal's `nu()` may have moved."""
    return datetime.now(UTC)


def _schakel_aan() -> tuple[int, str]:
    """Take the chain head (locking it until the transaction ends): the next volgnummer and the last hash."""
    # One statement takes the lock and reads the head (RETURNING: PostgreSQL, SQLite >= 3.35).
    verhoog = text("UPDATE audit_ketenkop SET volgnummer = volgnummer + 1 WHERE id = 1 RETURNING volgnummer, hash")
    kop = db.session.execute(verhoog).first()
    if kop is None:
        db.session.execute(text("INSERT INTO audit_ketenkop (id, volgnummer, hash) VALUES (1, 0, :begin) "
                                "ON CONFLICT (id) DO NOTHING"), {"begin": auditketen.BEGIN})
        kop = db.session.execute(verhoog).one()
    volgnummer, vorige = kop
    return int(volgnummer), str(vorige)


def registreer(actor: Actor, actie: str, *, object_type: str | None = None,
               object_id: object | None = None, gemeente_id: int | None = None,
               details: dict[str, Any] | None = None, bsns: Iterable[str] | None = None) -> AuditEvent:
    """Append an event to the chain (committed with the caller's transaction). `bsns`: the BSNs the
    action showed or handed out (an export), listed up to 50, else counted."""
    sleutel = None if object_id is None else str(object_id)
    if sleutel is not None and len(sleutel) > OBJECT_ID_LENGTE:
        # A long key (an address someone typed) is kept whole in the details, shortened in its column.
        details = {**(details or {}), "object_id": sleutel}
        sleutel = sleutel[:OBJECT_ID_LENGTE]
    lijst, aantal = auditketen.getoonde_bsns(bsns or ())
    volgnummer, vorige = _schakel_aan()
    velden: dict[str, Any] = {
        "volgnummer": volgnummer, "op": nu(), "op_echt": echte_tijd(), "gebruiker_id": actor.user_id,
        "actor": actor.naam[:254], "actie": actie, "object_type": object_type, "object_id": sleutel,
        "gemeente_id": gemeente_id, "ip": (actor.ip or None) and actor.ip[:45], "bsns": lijst,
        "aantal_bsns": aantal, "details": auditketen.als_json(details), "vorige_hash": vorige}
    velden["hash"] = auditketen.bereken_hash(velden)
    event = AuditEvent(**velden)
    db.session.add(event)
    db.session.execute(text("UPDATE audit_ketenkop SET hash = :hash WHERE id = 1"), {"hash": velden["hash"]})
    if has_request_context() and bsns is not None:
        g.audit_bsns_vastgelegd = True
    return event


# ---------------------------------------------------------------- what a page or answer showed

@dataclass
class Inzage:
    """The BSNs one request showed, gathered while the services answered it."""

    user: User | None = None
    gemeente_id: int | None = None
    bsns: list[str] | None = None


def bsns_getoond(user: User | None, bsns: Iterable[str], gemeente_id: int | None = None) -> None:
    """A service is about to show these BSNs to `user` in this request; the request's end records them
    (`leg_inzage_vast`). Outside a request (a job, the CLI) nobody sees them, so nothing is recorded."""
    if not has_request_context():
        return
    inzage: Inzage = g.setdefault("audit_inzage", Inzage())
    inzage.user = user if user is not None else inzage.user
    inzage.gemeente_id = gemeente_id if gemeente_id is not None else inzage.gemeente_id
    inzage.bsns = [*(inzage.bsns or []), *bsns]


def leg_inzage_vast(user: User | None, ip: str | None, actie: str, object_type: str | None,
                    object_id: str | None, verplicht: bool) -> AuditEvent | None:
    """At the end of a request: one event with the BSNs the request showed, when it showed any (or when
    the page always counts as showing BSNs: `verplicht`), unless the request recorded them already."""
    inzage: Inzage | None = g.get("audit_inzage")
    if g.get("audit_bsns_vastgelegd", False) or (inzage is None and not verplicht):
        return None
    inzage = inzage or Inzage()
    wie = inzage.user or user
    if wie is None:
        return None
    event = registreer(Actor(user=wie, ip=ip), actie, object_type=object_type, object_id=object_id,
                       gemeente_id=inzage.gemeente_id, bsns=inzage.bsns or [])
    db.session.commit()
    return event


# ---------------------------------------------------------------- checking the chain

def _events() -> Iterator[dict[str, Any]]:
    kolommen = [AuditEvent.id, AuditEvent.hash, *(getattr(AuditEvent, naam) for naam in auditketen.VELDEN)]
    for rij in db.session.execute(select(*kolommen).order_by(AuditEvent.volgnummer, AuditEvent.id)
                                  .execution_options(yield_per=1000)).mappings():
        yield dict(rij)


def controleer() -> auditketen.Controle:
    """Walk the whole chain: the first event that was changed, removed or moved, or none."""
    kop = db.session.execute(select(AuditKetenkop.volgnummer, AuditKetenkop.hash)
                             .where(AuditKetenkop.id == 1)).first()
    return auditketen.controleer(_events(), None if kop is None else (kop[0], kop[1]))
