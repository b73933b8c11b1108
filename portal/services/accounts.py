"""Accounts: creating users and logging in, with the lockout after repeated failures."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models import Gemeente, InlogBlokkade, User
from portal.rollen import LEVERENDE_ROLLEN, Rol
from portal.services import audit
from portal.services.audit import Actor
from portal.services.klok import nu

MAX_MISLUKT = 5
VENSTER = timedelta(minutes=15)
BLOKKADE = timedelta(minutes=15)
MIN_WACHTWOORDLENGTE = 10

ONJUIST = "Het e-mailadres of wachtwoord is onjuist. Controleer beide en probeer het opnieuw."
GEBLOKKEERD = ("Er is te vaak een verkeerd wachtwoord ingevoerd. Inloggen met dit e-mailadres is "
               "15 minuten geblokkeerd; probeer het daarna opnieuw of neem contact op met uw beheerder.")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A hash to compare against when the address is unknown, so both paths take the same time.
STANDAARD_HASH = "scrypt"
"""How passwords are hashed, unless the application's WACHTWOORD_HASH says otherwise (the tests use a cheap one)."""


def _hashmethode() -> str:
    methode: str = current_app.config.get("WACHTWOORD_HASH") or STANDAARD_HASH
    return methode


@lru_cache(maxsize=4)
def _dummy_hash(methode: str) -> str:
    """A hash to check against when the address has no account, so both answers take as long."""
    return generate_password_hash("geen-account-met-dit-adres", method=methode)


class InloggenMislukt(Exception):
    def __init__(self, melding: str) -> None:
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


def inloggen(email: str, password: str, ip: str | None) -> User:
    """Check the credentials; commit the count of failures either way.

    Raises InloggenMislukt with one generic message for a wrong address or password, and the
    lockout message while the address is locked.
    """
    adres = User.normaliseer_email(email)[:254]
    moment = nu()
    blokkade = _blokkade(adres)
    if blokkade.geblokkeerd_tot is not None and blokkade.geblokkeerd_tot > moment:
        audit.registreer(Actor(ip=ip, job=adres), "inloggen_geblokkeerd", object_type="email",
                         object_id=adres)
        db.session.commit()
        raise InloggenMislukt(GEBLOKKEERD)
    user = zoek_op_email(adres)
    goed = check_password_hash(user.password_hash if user else _dummy_hash(_hashmethode()), password)
    if user is not None and goed and user.active:
        blokkade.mislukt = 0
        blokkade.venster_start = None
        blokkade.geblokkeerd_tot = None
        audit.registreer(Actor(user=user, ip=ip), "ingelogd", object_type="gebruiker",
                         object_id=user.id)
        db.session.commit()
        return user
    if blokkade.venster_start is None or moment - blokkade.venster_start > VENSTER:
        blokkade.venster_start = moment
        blokkade.mislukt = 0
    blokkade.mislukt += 1
    geblokkeerd = blokkade.mislukt >= MAX_MISLUKT
    if geblokkeerd:
        blokkade.geblokkeerd_tot = moment + BLOKKADE
        blokkade.mislukt = 0
        blokkade.venster_start = None
    audit.registreer(Actor(user=user, ip=ip, job=None if user else adres),
                     "inloggen_geblokkeerd" if geblokkeerd else "inloggen_mislukt",
                     object_type="email", object_id=adres)
    db.session.commit()
    raise InloggenMislukt(GEBLOKKEERD if geblokkeerd else ONJUIST)


def uitloggen(user: User, ip: str | None) -> None:
    audit.registreer(Actor(user=user, ip=ip), "uitgelogd", object_type="gebruiker", object_id=user.id)
    db.session.commit()


def aantal_gebruikers() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
