"""A gemeente's users as its beheerder sees and runs them: the list, switching accounts off and on, and linking
software suppliers (a leverancier acts for every gemeente it is linked to)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Gemeente, User
from portal.models.uitnodiging import Toegangsverzoek
from portal.rollen import ROL_TEKST, Rol
from portal.services import accounts, audit
from portal.services.audit import Actor
from portal.services.gebruikersbeheer.rechten import (
    TOE_TE_KENNEN_ROLLEN,
    Adressen,
    BeheerFout,
    beheerde_gemeente,
    beheerde_gemeente_ids,
    beheerders_van,
    rol_keuzes,
)
from portal.services.gebruikersbeheer.toegangsverzoeken import open_verzoeken
from portal.services.gebruikersbeheer.uitnodigingen import (
    heeft_open_uitnodiging,
    stuur_uitnodiging,
    trek_in,
    wachtwoord_ingesteld,
)
from portal.services.klok import nu
from portal.services.toegang import NietGevonden

STATUS_TEKST = {"actief": "actief", "uitgenodigd": "uitgenodigd, nog geen wachtwoord",
                "uitgeschakeld": "uitgeschakeld"}


@dataclass(frozen=True)
class Gebruikersregel:
    user: User
    status: str
    laatst_ingelogd: datetime | None
    uitschakelen_kan_niet: str | None
    """Why this account cannot be switched off here (None: it can, when it is not off already)."""

    @property
    def status_tekst(self) -> str:
        return STATUS_TEKST[self.status]

    @property
    def rol_tekst(self) -> str:
        return ROL_TEKST[self.user.role]

    @property
    def inschakelen_tekst(self) -> str:
        """What the button to switch it on does: a never used invitation is sent again."""
        return "Uitnodiging opnieuw sturen" if self.status == "uitgenodigd" or not wachtwoord_ingesteld(self.user) \
            else "Weer inschakelen"


@dataclass(frozen=True)
class Gebruikersoverzicht:
    gemeente: Gemeente
    medewerkers: list[Gebruikersregel]
    leveranciers: list[Gebruikersregel]
    verzoeken: list[Toegangsverzoek]
    rollen: list[tuple[str, str]]


def _status(user: User) -> str:
    if user.active:
        return "actief"
    return "uitgenodigd" if heeft_open_uitnodiging(user) else "uitgeschakeld"


def _laatste_logins(ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rijen = db.session.execute(
        select(AuditEvent.gebruiker_id, func.max(AuditEvent.op))
        .where(AuditEvent.actie == "ingelogd", AuditEvent.gebruiker_id.in_(ids))
        .group_by(AuditEvent.gebruiker_id)).all()
    return {gebruiker_id: moment for gebruiker_id, moment in rijen if gebruiker_id is not None}


def _elders_gekoppeld(beheerder: User, user: User, gemeente: Gemeente) -> bool:
    """Whether the account also acts for a gemeente whose users this beheerder does not manage."""
    ids = beheerde_gemeente_ids(beheerder)
    return ids is not None and any(g.id not in ids for g in user.gemeenten if g.id != gemeente.id)


def _waarom_niet_uit(beheerder: User, user: User, gemeente: Gemeente) -> str | None:
    if user.id == beheerder.id:
        return ("U kunt uw eigen account niet uitschakelen. Vraag een andere beheerder van uw gemeente of het CAK "
                "om dat te doen.")
    if user.role == Rol.GEMEENTE_BEHEERDER and user.active:
        for g in user.gemeenten:
            if [b.id for b in beheerders_van(g)] == [user.id]:
                return (f"{user.email} is de enige actieve beheerder van {g.naam}. Nodig eerst een andere beheerder "
                        "uit; schakel dit account daarna uit.")
    if _elders_gekoppeld(beheerder, user, gemeente):
        if user.role == Rol.LEVERANCIER:
            return (f"{user.email} werkt ook voor andere gemeenten. Ontkoppel de leverancier van "
                    f"{gemeente.naam} in plaats van het account uit te schakelen.")
        return (f"{user.email} heeft ook toegang tot andere gemeenten. Vraag het CAK om het account uit te "
                "schakelen.")
    return None


def _regel(beheerder: User, user: User, gemeente: Gemeente, logins: dict[int, datetime]) -> Gebruikersregel:
    return Gebruikersregel(user=user, status=_status(user), laatst_ingelogd=logins.get(user.id),
                           uitschakelen_kan_niet=_waarom_niet_uit(beheerder, user, gemeente))


def overzicht(beheerder: User, code: str) -> Gebruikersoverzicht:
    """The users page of a gemeente: its own staff, its linked suppliers and the open access requests."""
    gemeente = beheerde_gemeente(beheerder, code)
    users = sorted(gemeente.gebruikers, key=lambda u: (u.naam.lower(), u.email))
    logins = _laatste_logins([u.id for u in users])
    regels = [_regel(beheerder, u, gemeente, logins) for u in users]
    return Gebruikersoverzicht(
        gemeente=gemeente,
        medewerkers=[r for r in regels if r.user.role != Rol.LEVERANCIER],
        leveranciers=[r for r in regels if r.user.role == Rol.LEVERANCIER],
        verzoeken=open_verzoeken(beheerder, code),
        rollen=rol_keuzes(TOE_TE_KENNEN_ROLLEN))


def _gebruiker_van(gemeente: Gemeente, gebruiker_id: int) -> User:
    """A user of this gemeente; NietGevonden for any other id."""
    user = db.session.get(User, gebruiker_id)
    if user is None or not any(g.id == gemeente.id for g in user.gemeenten):
        raise NietGevonden(str(gebruiker_id))
    return user


def _beheerder(actor: Actor) -> User:
    if actor.user is None:
        raise NietGevonden("beheerder")
    return actor.user


def schakel_uit(actor: Actor, code: str, gebruiker_id: int) -> str:
    """Switch an account off: it can no longer log in and its invitation links stop working. Commits."""
    beheerder = _beheerder(actor)
    gemeente = beheerde_gemeente(beheerder, code)
    user = _gebruiker_van(gemeente, gebruiker_id)
    if not user.active and not heeft_open_uitnodiging(user):
        raise BeheerFout(f"{user.email} is al uitgeschakeld.")
    reden = _waarom_niet_uit(beheerder, user, gemeente)
    if reden is not None:
        raise BeheerFout(reden)
    user.active = False
    trek_in(user, nu())
    audit.registreer(actor, "gebruiker_uitgeschakeld", object_type="gebruiker", object_id=user.id,
                     gemeente_id=gemeente.id, details={"email": user.email})
    db.session.commit()
    return f"{user.email} is uitgeschakeld en kan niet meer inloggen."


def schakel_in(actor: Actor, code: str, gebruiker_id: int, adressen: Adressen) -> str:
    """Switch an account on again; an account whose password was never set gets a new invitation. Commits."""
    beheerder = _beheerder(actor)
    gemeente = beheerde_gemeente(beheerder, code)
    user = _gebruiker_van(gemeente, gebruiker_id)
    if user.active:
        raise BeheerFout(f"{user.email} is al actief.")
    if _elders_gekoppeld(beheerder, user, gemeente):
        raise BeheerFout(f"{user.email} heeft ook toegang tot andere gemeenten. Vraag het CAK om het account weer "
                         "in te schakelen.")
    if not wachtwoord_ingesteld(user):
        stuur_uitnodiging(actor, user, gemeente, adressen, nieuw_account=True)
        db.session.commit()
        return f"Er is een nieuwe uitnodiging naar {user.email} klaargezet; de vorige link werkt niet meer."
    user.active = True
    audit.registreer(actor, "gebruiker_ingeschakeld", object_type="gebruiker", object_id=user.id,
                     gemeente_id=gemeente.id, details={"email": user.email})
    db.session.commit()
    return f"{user.email} is weer ingeschakeld en kan inloggen met het eigen wachtwoord."


def koppel_leverancier(actor: Actor, code: str, email: str) -> str:
    """Link an existing supplier account to the gemeente: it then acts for the gemeente. Commits."""
    gemeente = beheerde_gemeente(_beheerder(actor), code)
    user = accounts.zoek_op_email(email)
    if user is None or user.role != Rol.LEVERANCIER:
        raise BeheerFout(f"Er is geen softwareleverancier met e-mailadres {User.normaliseer_email(email)}. "
                         "Controleer het adres, of nodig de leverancier hierboven uit met de rol "
                         "softwareleverancier.", "email")
    if any(g.id == gemeente.id for g in user.gemeenten):
        raise BeheerFout(f"{user.email} is al gekoppeld aan {gemeente.naam}.", "email")
    user.gemeenten.append(gemeente)
    audit.registreer(actor, "leverancier_gekoppeld", object_type="gebruiker", object_id=user.id,
                     gemeente_id=gemeente.id, details={"email": user.email})
    db.session.commit()
    return f"{user.email} is gekoppeld en handelt nu ook voor {gemeente.naam}."


def ontkoppel_leverancier(actor: Actor, code: str, gebruiker_id: int) -> str:
    """Unlink a supplier from the gemeente: it no longer sees or delivers for it. Commits."""
    gemeente = beheerde_gemeente(_beheerder(actor), code)
    user = _gebruiker_van(gemeente, gebruiker_id)
    if user.role != Rol.LEVERANCIER:
        raise NietGevonden(str(gebruiker_id))
    user.gemeenten = [g for g in user.gemeenten if g.id != gemeente.id]
    audit.registreer(actor, "leverancier_ontkoppeld", object_type="gebruiker", object_id=user.id,
                     gemeente_id=gemeente.id, details={"email": user.email})
    db.session.commit()
    return f"{user.email} is ontkoppeld en handelt niet meer voor {gemeente.naam}."
