"""How long the portal keeps the bytes of refused uploads, and how many per gemeente.

Every upload is stored before it is processed, so a gemeente (or a script of its supplier) that sends the
same broken file again and again fills the database. The bytes of an upload with status afgekeurd or
geweigerd are therefore dropped (the row stays: name, size, SHA-256, time, uploader and outcome):

- after the retention period `BEWAARTERMIJN_GEWEIGERD_DAGEN` (default 90 days after receipt), and
- when the refused uploads a gemeente still holds are larger together than `QUOTUM_GEWEIGERD_MB`
  (default 100 MB): oldest first, until they fit again.

An accepted upload (status verwerkt) and one not yet processed (ontvangen) are never touched. A new upload
is always stored and always gets its receipt, also when its gemeente is over its quota: pruning makes
room by dropping the oldest refused bytes, never by refusing to store. It runs at every upload for that
gemeente (`storage.bewaar_ontvangst`) and in every round of the planner for all gemeenten (`ruim_op`).
Every drop is an audit event `inhoud_verwijderd` with the reason.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import Ontvangst, OntvangstStatus
from portal.services import audit
from portal.services.audit import Actor
from portal.services.klok import nu

GEWEIGERD = (OntvangstStatus.AFGEKEURD, OntvangstStatus.GEWEIGERD)
JOB = "bewaartermijn"
REDEN_TERMIJN = "bewaartermijn"
REDEN_QUOTUM = "quotum"
VERWIJDERD = "inhoud verwijderd na de bewaartermijn"
"""What a receipt says of an upload whose bytes are gone."""


class InhoudVerwijderd(Exception):
    """The bytes of this upload were dropped; `melding` says so in Dutch (the web answers 410)."""

    def __init__(self, bestandsnaam: str, op: datetime) -> None:
        from portal.bestandsnaam import zichtbare_naam
        from portal.kalender import format_datum

        super().__init__(bestandsnaam)
        self.melding = (
            f"De inhoud van {zichtbare_naam(bestandsnaam)} is verwijderd na de bewaartermijn (op "
            f"{format_datum(op)}): het bestand was afgekeurd of geweigerd. Naam, grootte, SHA-256, tijdstip en "
            "uitkomst blijven bewaard en staan op het ontvangstbewijs. Heeft u het bestand nodig, gebruik dan uw "
            "eigen exemplaar.")


def termijn_dagen() -> int:
    return int(current_app.config.get("BEWAARTERMIJN_GEWEIGERD_DAGEN", 90))


def quotum_bytes() -> int:
    return int(current_app.config.get("QUOTUM_GEWEIGERD_MB", 100)) * 1024 * 1024


def _bewaard(gemeente_id: int | None = None) -> list[Ontvangst]:
    """The refused uploads whose bytes are still kept, oldest first."""
    query = select(Ontvangst).where(Ontvangst.status.in_(GEWEIGERD), Ontvangst.inhoud_verwijderd_op.is_(None))
    if gemeente_id is not None:
        query = query.where(Ontvangst.gemeente_id == gemeente_id)
    return list(db.session.scalars(query.order_by(Ontvangst.ontvangen_op, Ontvangst.id)))


def _verwijder(ontvangst: Ontvangst, reden: str, actor: Actor) -> None:
    assert ontvangst.status in GEWEIGERD  # nothing accepted or unprocessed is ever pruned
    ontvangst.inhoud = b""
    ontvangst.inhoud_verwijderd_op = nu()
    audit.registreer(actor, "inhoud_verwijderd", object_type="ontvangst", object_id=ontvangst.id,
                     gemeente_id=ontvangst.gemeente_id,
                     details={"reden": reden, "bestandsnaam": ontvangst.bestandsnaam, "sha256": ontvangst.sha256,
                              "grootte": ontvangst.grootte, "status": str(ontvangst.status)})


def ruim_op(gemeente_id: int | None = None, actor: Actor | None = None) -> int:
    """Drop the bytes of refused uploads past the retention period, then, per gemeente, of the oldest
    refused uploads until the rest fits the quota. For one gemeente, or all. Commits what it dropped (with
    nothing dropped there is nothing to commit, and the caller's objects stay loaded); the number dropped."""
    wie = actor or Actor.job_named(JOB)
    grens = nu() - timedelta(days=termijn_dagen())
    quotum = quotum_bytes()
    verwijderd = 0
    per_gemeente: dict[int | None, list[Ontvangst]] = {}
    for ontvangst in _bewaard(gemeente_id):
        if ontvangst.ontvangen_op < grens:
            _verwijder(ontvangst, REDEN_TERMIJN, wie)
            verwijderd += 1
        else:
            per_gemeente.setdefault(ontvangst.gemeente_id, []).append(ontvangst)
    for ontvangsten in per_gemeente.values():
        totaal = sum(o.grootte for o in ontvangsten)
        for ontvangst in ontvangsten:  # oldest first
            if totaal <= quotum:
                break
            _verwijder(ontvangst, REDEN_QUOTUM, wie)
            totaal -= ontvangst.grootte
            verwijderd += 1
    if verwijderd:
        db.session.commit()
    return verwijderd
