"""Taking a step of the migration: check it against the state machine and the actor's role, change the
state, and write the event to the gemeente's timeline and the audit trail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Gebeurtenis, Migratie
from portal.rollen import Rol
from portal.services import audit
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.migratie.dossier import MigratieFout, RolFout
from portal.toestanden import Overgang, OvergangGeweigerd, Toestand, alleen_wie, mag_doen, na


def vergrendel(migratie: Migratie) -> None:
    """Lock the gemeente's migration until the transaction ends and read its state again.

    Two requests (two windows, two portal instances) or a request and a planner may take a step of the same
    migration at the same moment: the second waits for the first to finish and then judges the step against
    the state the first left, instead of against the state both read before (a second akkoord is refused,
    not given twice). Taken again within one transaction, it costs one statement and no wait."""
    if migratie.id is None:  # not stored yet (a gemeente never planned): nothing another process could change
        return
    db.session.scalars(select(Migratie).where(Migratie.id == migratie.id).with_for_update()
                       .execution_options(populate_existing=True)).one_or_none()


def vereis_overgang(migratie: Migratie, stap: Overgang) -> Toestand:
    """The state after `stap`, or MigratieFout when the step does not fit the current state (read under
    the migration's lock, see `vergrendel`)."""
    vergrendel(migratie)
    try:
        return na(migratie.toestand, stap)
    except OvergangGeweigerd as fout:
        raise MigratieFout(fout.melding) from None


def vereis_rol(actor: Actor, stap: Overgang) -> None:
    """RolFout (a MigratieFout) unless the actor is a user whose role may take this step."""
    rol = Rol(actor.user.role) if actor.user is not None else None
    if rol is None or not mag_doen(rol, stap):
        raise RolFout(alleen_wie(stap))


def overgang(migratie: Migratie, stap: Overgang, actor: Actor, omschrijving: str,
             moment: datetime | None = None) -> Gebeurtenis:
    """Take the step: the new state, and the event on the timeline."""
    van = migratie.toestand
    naar = vereis_overgang(migratie, stap)
    migratie.toestand = naar
    return gebeurtenis(migratie, stap, actor, omschrijving, van=van, naar=naar, moment=moment)


def gebeurtenis(migratie: Migratie, soort: str, actor: Actor, omschrijving: str, *,
                van: Toestand | None = None, naar: Toestand | None = None,
                moment: datetime | None = None) -> Gebeurtenis:
    """An event on the gemeente's timeline (a step, or something beside it such as a lateness flag)."""
    regel = Gebeurtenis(gemeente_id=migratie.gemeente_id, op=moment or nu(), soort=str(soort),
                        van_toestand=van, naar_toestand=naar, door=actor.naam, omschrijving=omschrijving)
    db.session.add(regel)
    audit.registreer(actor, f"migratie_{soort}", object_type="migratie", object_id=migratie.id,
                     gemeente_id=migratie.gemeente_id,
                     details={"van": van.value if van else None, "naar": naar.value if naar else None,
                              "omschrijving": omschrijving})
    return regel
