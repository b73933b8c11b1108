"""Who may manage whose users: a gemeente's beheerder the users of its own gemeenten, the CAK's beheerder those
of every gemeente; anyone else finds no such page (NietGevonden, shown as 404)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import Gemeente, User
from portal.rollen import ROL_TEKST, Rol
from portal.services.toegang import NietGevonden, gemeente_voor

TOE_TE_KENNEN_ROLLEN = (Rol.GEMEENTE, Rol.GEMEENTE_BEHEERDER, Rol.LEVERANCIER)
"""The roles a beheerder gives in an invitation; never a CAK role."""

AANVRAAGBARE_ROLLEN = (Rol.GEMEENTE, Rol.LEVERANCIER)
"""The roles someone may ask for on the public form."""


class BeheerFout(Exception):
    """A change the rules do not allow; `melding` says what is wrong and what to do, `veld` names the form field
    it belongs to (None: the form as a whole)."""

    def __init__(self, melding: str, veld: str | None = None) -> None:
        super().__init__(melding)
        self.melding = melding
        self.veld = veld


@dataclass(frozen=True)
class Adressen:
    """The portal's addresses that mails link to. The face makes them; the services know no URLs."""

    uitnodiging: Callable[[str], str]
    """The link to accept an invitation, from its token."""
    gebruikers: Callable[[str], str]
    """The users page of a gemeente, from its code."""
    inloggen: str


def rol_keuzes(rollen: tuple[Rol, ...] = TOE_TE_KENNEN_ROLLEN) -> list[tuple[str, str]]:
    return [(rol.value, ROL_TEKST[rol]) for rol in rollen]


def mag_beheren(user: User | None, gemeente: Gemeente) -> bool:
    """Whether this user manages the users of this gemeente."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == Rol.CAK_BEHEERDER:
        return True
    return user.role == Rol.GEMEENTE_BEHEERDER and any(g.id == gemeente.id for g in user.gemeenten)


def beheert_iets(user: User | None) -> bool:
    """Whether this user manages the users of any gemeente (the menu shows the way there)."""
    return user is not None and user.is_authenticated and user.role in (Rol.CAK_BEHEERDER, Rol.GEMEENTE_BEHEERDER)


def beheerde_gemeente(user: User | None, code: str) -> Gemeente:
    """The gemeente with this code, if this user manages its users; NietGevonden otherwise."""
    gemeente = gemeente_voor(user, code)
    if not mag_beheren(user, gemeente):
        raise NietGevonden(code)
    return gemeente


def beheerde_gemeente_ids(user: User) -> set[int] | None:
    """The ids of the gemeenten whose users this user manages; None means all of them (CAK beheerder)."""
    if user.role == Rol.CAK_BEHEERDER:
        return None
    if user.role == Rol.GEMEENTE_BEHEERDER:
        return {g.id for g in user.gemeenten}
    return set()


def alleen_cak_beheerder(user: User | None) -> None:
    """NietGevonden for anyone but the CAK's beheerder."""
    if user is None or not user.is_authenticated or user.role != Rol.CAK_BEHEERDER:
        raise NietGevonden("cak_beheerder")


def beheerders_van(gemeente: Gemeente) -> list[User]:
    """The active beheerders of this gemeente."""
    return [u for u in gemeente.gebruikers if u.role == Rol.GEMEENTE_BEHEERDER and u.active]


def cak_beheerders() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Rol.CAK_BEHEERDER, User.active.is_(True))
                                   .order_by(User.email)))
