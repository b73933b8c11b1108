"""Accounts: creating users and logging in, with the lockout after repeated failures, and setting a new
password through a link sent by e-mail ("wachtwoord vergeten")."""
from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models import AuditEvent, Gemeente, InlogBlokkade, User
from portal.models.tweede_factor import TweedeFactor
from portal.rollen import LEVERENDE_ROLLEN, Rol
from portal.services import audit, mail
from portal.services.audit import Actor
from portal.services.klok import nu

MAX_MISLUKT = 5
VENSTER = timedelta(minutes=15)
BLOKKADE = timedelta(minutes=15)
MIN_WACHTWOORDLENGTE = 10

ONJUIST = "Het e-mailadres of wachtwoord is onjuist. Controleer beide en probeer het opnieuw."
GEBLOKKEERD = ("Er is te vaak een verkeerd wachtwoord ingevoerd. Inloggen met dit e-mailadres is "
               "15 minuten geblokkeerd; probeer het daarna opnieuw of neem contact op met uw beheerder.")

HERSTEL_GELDIG = timedelta(hours=1)
"""How long a link to set a new password works (by the portal's clock)."""
MAX_HERSTELMAILS = 3
"""At most this many reset mails per account within HERSTEL_GELDIG; further requests send nothing."""
HERSTELLINK_ONGELDIG = ("Deze link om een nieuw wachtwoord in te stellen werkt niet meer: hij is al gebruikt, "
                        "ouder dan een uur of niet compleet. Vraag hieronder een nieuwe link aan.")
_HERSTEL_SALT = "wachtwoord-herstellen"
# A token issued by a process whose clock runs slightly ahead is still accepted.
_KLOKVERSCHIL = timedelta(minutes=5)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A hash to compare against when the address is unknown, so both paths take the same time.
STANDAARD_HASH = "scrypt"
"""How passwords are hashed, unless the application's WACHTWOORD_HASH says otherwise (the tests use a cheap one)."""


def _hashmethode() -> str:
    methode: str = current_app.config.get("WACHTWOORD_HASH") or STANDAARD_HASH
    return methode


def wachtwoord_hash(wachtwoord: str) -> str:
    """The stored form of a password, hashed the way this portal hashes them."""
    return generate_password_hash(wachtwoord, method=_hashmethode())


@lru_cache(maxsize=4)
def _dummy_hash(methode: str) -> str:
    """A hash to check against when the address has no account, so both answers take as long."""
    return generate_password_hash("geen-account-met-dit-adres", method=methode)


class InloggenMislukt(Exception):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


class OngeldigeHerstellink(Exception):
    """The link to set a new password is forged, incomplete, expired or already used."""

    def __init__(self, melding: str = HERSTELLINK_ONGELDIG) -> None:
        super().__init__(melding)
        self.melding = melding


class OngeldigeGebruiker(ValueError):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


def zoek_op_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == User.normaliseer_email(email)))


@dataclass(frozen=True)
class NieuweGebruiker:
    email: str
    password: str
    role: str
    gemeente_codes: tuple[str, ...] = ()
    naam: str = ""


def maak_gebruiker(gegevens: NieuweGebruiker, actor: Actor) -> User:
    email = User.normaliseer_email(gegevens.email)
    if not _EMAIL.match(email):
        raise OngeldigeGebruiker(f"'{gegevens.email}' is geen geldig e-mailadres.")
    if gegevens.role not in set(Rol):
        raise OngeldigeGebruiker(
            f"Rol '{gegevens.role}' bestaat niet; kies uit: {', '.join(Rol)}.")
    rol = Rol(gegevens.role)
    if len(gegevens.password) < MIN_WACHTWOORDLENGTE:
        raise OngeldigeGebruiker(
            f"Het wachtwoord moet minstens {MIN_WACHTWOORDLENGTE} tekens lang zijn.")
    if zoek_op_email(email) is not None:
        raise OngeldigeGebruiker(f"Er bestaat al een gebruiker met e-mailadres {email}.")
    gemeenten = []
    for code in gegevens.gemeente_codes:
        gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == code))
        if gemeente is None:
            raise OngeldigeGebruiker(f"Gemeente met code {code} is niet bekend in het portaal.")
        gemeenten.append(gemeente)
    if rol in LEVERENDE_ROLLEN and not gemeenten:
        raise OngeldigeGebruiker(
            "Een gebruiker met deze rol moet voor minstens één gemeente mogen handelen: "
            "geef een gemeentecode op.")
    user = User(email=email, naam=gegevens.naam or email, role=rol, active=True,
                password_hash=generate_password_hash(gegevens.password, method=_hashmethode()), aangemaakt_op=nu(),
                gemeenten=gemeenten)
    db.session.add(user)
    db.session.flush()
    audit.registreer(actor, "gebruiker_aangemaakt", object_type="gebruiker", object_id=user.id,
                     details={"email": email, "role": rol.value,
                              "gemeenten": list(gegevens.gemeente_codes)})
    return user


def _blokkade(email: str) -> InlogBlokkade:
    blokkade = db.session.scalar(
        select(InlogBlokkade).where(InlogBlokkade.email == email).with_for_update())
    if blokkade is None:
        blokkade = InlogBlokkade(email=email, mislukt=0)
        db.session.add(blokkade)
    return blokkade


def geblokkeerd(adres: str, ip: str | None) -> bool:
    """Whether logging in with this address (lower case) is locked now; a refused attempt is audited."""
    blokkade = _blokkade(adres)
    if blokkade.geblokkeerd_tot is not None and blokkade.geblokkeerd_tot > nu():
        audit.registreer(Actor(ip=ip, job=adres), "inloggen_geblokkeerd", object_type="email",
                         object_id=adres)
        db.session.commit()
        return True
    return False


def tel_mislukt(adres: str, user: User | None, ip: str | None, actie: str = "inloggen_mislukt") -> bool:
    """Count a failed attempt on this address (a wrong password, or a wrong second-factor code) and commit;
    True when this attempt locks the address."""
    moment = nu()
    blokkade = _blokkade(adres)
    if blokkade.venster_start is None or moment - blokkade.venster_start > VENSTER:
        blokkade.venster_start = moment
        blokkade.mislukt = 0
    blokkade.mislukt += 1
    vergrendeld = blokkade.mislukt >= MAX_MISLUKT
    if vergrendeld:
        blokkade.geblokkeerd_tot = moment + BLOKKADE
        blokkade.mislukt = 0
        blokkade.venster_start = None
    audit.registreer(Actor(user=user, ip=ip, job=None if user else adres),
                     "inloggen_geblokkeerd" if vergrendeld else actie,
                     object_type="email", object_id=adres)
    db.session.commit()
    return vergrendeld


def tweede_factor_nodig(user: User) -> bool:
    """A CAK role always logs in with a second factor; anyone else once they have set one up."""
    if user.is_cak:
        return True
    return db.session.scalar(select(TweedeFactor.ingesteld_op).where(TweedeFactor.gebruiker_id == user.id)) is not None


def voltooi_inloggen(user: User, ip: str | None) -> None:
    """Every step of logging in succeeded: the count of failures on the address ends; audited and committed."""
    blokkade = _blokkade(user.email)
    blokkade.mislukt = 0
    blokkade.venster_start = None
    blokkade.geblokkeerd_tot = None
    audit.registreer(Actor(user=user, ip=ip), "ingelogd", object_type="gebruiker", object_id=user.id)
    db.session.commit()


def inloggen(email: str, password: str, ip: str | None) -> User:
    """Check the credentials; commit the count of failures either way.

    Raises InloggenMislukt with one generic message for a wrong address or password, and the
    lockout message while the address is locked. A user who needs a second factor is returned without
    being logged in (and without the count of failures being reset): that happens after the code.
    """
    adres = User.normaliseer_email(email)[:254]
    if geblokkeerd(adres, ip):
        raise InloggenMislukt(GEBLOKKEERD)
    user = zoek_op_email(adres)
    goed = check_password_hash(user.password_hash if user else _dummy_hash(_hashmethode()), password)
    if user is not None and goed and user.active:
        if tweede_factor_nodig(user):
            audit.registreer(Actor(user=user, ip=ip), "wachtwoord_juist", object_type="gebruiker",
                             object_id=user.id)
            db.session.commit()
        else:
            voltooi_inloggen(user, ip)
        return user
    raise InloggenMislukt(GEBLOKKEERD if tel_mislukt(adres, user, ip) else ONJUIST)


def uitloggen(user: User, ip: str | None) -> None:
    audit.registreer(Actor(user=user, ip=ip), "uitgelogd", object_type="gebruiker", object_id=user.id)
    db.session.commit()


# ---------------------------------------------------------------- wachtwoord vergeten
#
# A reset link carries a signed token over the user's id, a fingerprint of the current password hash and
# the moment it was issued. Setting a new password changes the hash, so the link works once; the moment,
# read from the portal's clock, makes it expire after HERSTEL_GELDIG. No table is needed.

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_HERSTEL_SALT)


def vingerafdruk(user: User) -> str:
    """Changes whenever the password changes (the stored hash is salted anew each time)."""
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:32]


def herstel_token(user: User) -> str:
    """A token for a link that lets this user set a new password once, within the hour from now."""
    return _serializer().dumps({"g": user.id, "w": vingerafdruk(user), "t": int(nu().timestamp())})


def _lees_token(token: str) -> tuple[int, str, datetime]:
    try:
        gegevens: Any = _serializer().loads(token)
    except BadData:
        raise OngeldigeHerstellink() from None
    if not isinstance(gegevens, dict):
        raise OngeldigeHerstellink()
    gebruiker_id, afdruk, uitgegeven = gegevens.get("g"), gegevens.get("w"), gegevens.get("t")
    if not (isinstance(gebruiker_id, int) and isinstance(afdruk, str) and isinstance(uitgegeven, int)):
        raise OngeldigeHerstellink()
    return gebruiker_id, afdruk, datetime.fromtimestamp(uitgegeven, UTC)


def gebruiker_voor_herstel(token: str, *, vergrendel: bool = False) -> User:
    """The user whose password this link may set; OngeldigeHerstellink when the link is forged, older
    than an hour by the portal's clock, already used (the password changed since), or the account is off."""
    gebruiker_id, afdruk, uitgegeven = _lees_token(token)
    moment = nu()
    if moment - uitgegeven > HERSTEL_GELDIG or uitgegeven - moment > _KLOKVERSCHIL:
        raise OngeldigeHerstellink()
    # Locked and read afresh when about to set the password, so two uses of one link cannot both succeed.
    user = db.session.get(User, gebruiker_id, with_for_update=vergrendel, populate_existing=vergrendel)
    if user is None or not user.active or not hmac.compare_digest(vingerafdruk(user), afdruk):
        raise OngeldigeHerstellink()
    return user


def _herstelmails_in_het_laatste_uur(user: User, moment: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actie == "wachtwoordherstel_gemaild", AuditEvent.object_type == "gebruiker",
        AuditEvent.object_id == str(user.id), AuditEvent.op > moment - HERSTEL_GELDIG)) or 0


def vraag_herstel_aan(email: str, ip: str | None, link: Callable[[str], str]) -> None:
    """Someone asks for a new password for this address: if it belongs to an active account, put a mail with
    a reset link in the outbox (`link` makes the link's address from a token). Every request is audited.

    The caller answers the same whatever happened here, so nobody learns whether the address has an account.
    At most MAX_HERSTELMAILS mails per account per hour; a request beyond that sends nothing.
    """
    adres = User.normaliseer_email(email)[:254]
    moment = nu()
    user = zoek_op_email(adres)
    actor = Actor(user=None, job=adres, ip=ip)
    if user is None or not user.active:
        audit.registreer(actor, "wachtwoordherstel_onbekend", object_type="email", object_id=adres[:64],
                         details={"email": adres, "reden": "geen account" if user is None else "account uitgeschakeld"})
    elif _herstelmails_in_het_laatste_uur(user, moment) >= MAX_HERSTELMAILS:
        audit.registreer(actor, "wachtwoordherstel_beperkt", object_type="gebruiker", object_id=user.id,
                         details={"email": adres})
    else:
        mail.zet_klaar(soort="Wachtwoord herstellen", aan=[user.email],
                       onderwerp="Nieuw wachtwoord instellen voor het BW-portaal",
                       tekst=mail.tekst("wachtwoord_herstellen", gebruiker=user, link=link(herstel_token(user)),
                                        geldig_tot=moment + HERSTEL_GELDIG))
        audit.registreer(actor, "wachtwoordherstel_gemaild", object_type="gebruiker", object_id=user.id,
                         details={"email": adres})
    db.session.commit()


def herstel_wachtwoord(token: str, wachtwoord: str, ip: str | None) -> User:
    """Set a new password with a reset link; the link stops working, and a login lockout on the address ends.

    OngeldigeHerstellink when the link does not work (any more); OngeldigeGebruiker for a too short password.
    """
    user = gebruiker_voor_herstel(token, vergrendel=True)
    if len(wachtwoord) < MIN_WACHTWOORDLENGTE:
        raise OngeldigeGebruiker(f"Het wachtwoord moet minstens {MIN_WACHTWOORDLENGTE} tekens lang zijn.")
    user.password_hash = generate_password_hash(wachtwoord, method=_hashmethode())
    blokkade = db.session.get(InlogBlokkade, user.email)
    if blokkade is not None:
        blokkade.mislukt = 0
        blokkade.venster_start = None
        blokkade.geblokkeerd_tot = None
    audit.registreer(Actor(user=user, ip=ip), "wachtwoord_hersteld", object_type="gebruiker", object_id=user.id)
    db.session.commit()
    return user


def aantal_gebruikers() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
