"""Writing the audit trail. Every service that changes or reveals something records it here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.extensions import db
from portal.models import AuditEvent, User
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


def registreer(actor: Actor, actie: str, *, object_type: str | None = None,
               object_id: object | None = None, gemeente_id: int | None = None,
               details: dict[str, Any] | None = None) -> AuditEvent:
    sleutel = None if object_id is None else str(object_id)
    if sleutel is not None and len(sleutel) > OBJECT_ID_LENGTE:
        # A long key (an address someone typed) is kept whole in the details, shortened in its column.
        details = {**(details or {}), "object_id": sleutel}
        sleutel = sleutel[:OBJECT_ID_LENGTE]
    event = AuditEvent(
        op=nu(),
        gebruiker_id=actor.user_id,
        actor=actor.naam,
        actie=actie,
        object_type=object_type,
        object_id=sleutel,
        gemeente_id=gemeente_id,
        ip=actor.ip,
        details=details,
    )
    db.session.add(event)
    return event
