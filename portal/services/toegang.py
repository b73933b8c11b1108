"""Who may see and act for which gemeente.

Every query that returns gemeente data goes through here. Anything a user may not see is
reported as not found, never as forbidden, so nobody learns what exists.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from portal.extensions import db
from portal.models import Gemeente, User, gebruiker_gemeente
from portal.rollen import Levering, alleen_leverende_rollen, mag_leveren


class NietGevonden(LookupError):
    """The object does not exist or the user may not see it; both look the same from outside."""


class GeenToegang(PermissionError):
    """The user may see the gemeente, but their role may not do this; the message says who may."""

    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


def zichtbaar_voor_allen(user: User) -> bool:
    """Whether this user may see every gemeente (the CAK); else only the user's own."""
    return bool(user.is_cak)


def gemeenten_query(user: User) -> Select[Gemeente]:
    """The gemeenten this user may see, as a query to refine further."""
    query = select(Gemeente).order_by(Gemeente.naam)
    if zichtbaar_voor_allen(user):
        return query
    return query.join(gebruiker_gemeente, gebruiker_gemeente.c.gemeente_id == Gemeente.id).where(
        gebruiker_gemeente.c.gebruiker_id == user.id)


def zichtbare_gemeenten(user: User) -> list[Gemeente]:
    return list(db.session.scalars(gemeenten_query(user)))


def zichtbare_gemeente_ids(user: User) -> set[int] | None:
    """The ids of the gemeenten this user may see; None means all of them (CAK)."""
    if user.is_cak:
        return None
    return {g.id for g in user.gemeenten}


def gemeente_voor(user: User | None, code: str) -> Gemeente:
    """The gemeente with this code, if the user may see it; otherwise NietGevonden (also without a user)."""
    if user is None:
        raise NietGevonden(code)
    gemeente = db.session.scalar(gemeenten_query(user).where(Gemeente.code == code))
    if gemeente is None:
        raise NietGevonden(code)
    return gemeente


def mag_zien(user: User | None, gemeente_id: int) -> bool:
    if user is None:
        return False
    ids = zichtbare_gemeente_ids(user)
    return ids is None or gemeente_id in ids


def vereis_levering(user: User | None, levering: Levering) -> None:
    """GeenToegang (403, with the Dutch reason) when this user's role may not deliver for a gemeente (the CAK)."""
    if not mag_leveren(None if user is None else user.role):
        raise GeenToegang(alleen_leverende_rollen(levering))


def gemeente_om_te_leveren(user: User | None, code: str, levering: Levering) -> Gemeente:
    """The gemeente this user delivers for: NietGevonden (404) when the user may not see it, GeenToegang (403)
    when the user's role may not deliver. Asked before anything is stored or checked: a refused request
    leaves nothing in the gemeente's folder."""
    gemeente = gemeente_voor(user, code)
    vereis_levering(user, levering)
    return gemeente
