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

from portal import wachtwoordbeleid
from portal.extensions import db
from portal.kalender import to_local
from portal.models import AuditEvent, Gemeente, User
from portal.models.tweede_factor import TweedeFactor
from portal.rollen import LEVERENDE_ROLLEN, Rol
from portal.services import audit, inlogpogingen, mail
from portal.services.audit import Actor
from portal.services.klok import nu

MIN_WACHTWOORDLENGTE = wachtwoordbeleid.MIN_LENGTE

ONJUIST = "Het e-mailadres of wachtwoord is onjuist. Controleer beide en probeer het opnieuw."
WACHT_ACCOUNT = ("Er is te vaak een verkeerd wachtwoord ingevoerd voor dit e-mailadres. Probeer het {wanneer} "
                 "opnieuw. Bent u uw wachtwoord vergeten? Kies dan 'Wachtwoord vergeten?'.")
WACHT_ADRES = ("Vanaf uw netwerkadres is te vaak geprobeerd in te loggen met een verkeerd wachtwoord. Probeer het "
               "{wanneer} opnieuw; lukt het dan nog niet, neem contact op met uw beheerder.")

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
    """A login that did not succeed. `wacht_seconden`: how long before the next attempt is checked (None: at once);
    `geweigerd`: this attempt was refused without checking its password, because it came during a wait."""

    def __init__(self, melding: str, wacht_seconden: int | None = None, geweigerd: bool = False) -> None:
        super().__init__(melding)
        self.melding = melding
        self.wacht_seconden = wacht_seconden
        self.geweigerd = geweigerd


class OngeldigeHerstellink(Exception):
    """The link to set a new password is forged, incomplete, expired or already used."""

    def __init__(self, melding: str = HERSTELLINK_ONGELDIG) -> None:
        super().__init__(melding)
        self.melding = melding


class OngeldigeGebruiker(ValueError):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


def controleer_wachtwoord(wachtwoord: str, email: str) -> None:
    """OngeldigeGebruiker naming every rule of the password policy that this new password breaks."""
    fouten = wachtwoordbeleid.controleer(wachtwoord, email)
    if fouten:
        raise OngeldigeGebruiker(" ".join(fouten))


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
    controleer_wachtwoord(gegevens.password, email)
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


def _wanneer(tot: datetime | None, moment: datetime) -> tuple[str, int]:
    """'over 2 minuten (om 14:32)' and the number of seconds to wait, in real time."""
    seconden = max(1, int(((tot or moment) - moment).total_seconds() + 0.999))
    duur = f"{seconden} seconden" if seconden < 90 else f"{(seconden + 59) // 60} minuten"
    return f"over {duur} (om {to_local(tot or moment):%H:%M})", seconden


def _wachtmelding(beurt: inlogpogingen.Beurt, moment: datetime) -> tuple[str, int]:
    wanneer, seconden = _wanneer(beurt.wacht_tot, moment)
    return (WACHT_ADRES if beurt.door_adres else WACHT_ACCOUNT).format(wanneer=wanneer), seconden


def poging(adres: str, ip: str | None, user: User | None = None) -> inlogpogingen.Beurt:
    """Claim one attempt to log in (a password or a second-factor code) for this e-mail address from this
    network address: it counts as failed until it proves right. InloggenMislukt (refused, with when to try
    again) while either address must wait; nothing is checked then."""
    inlogpogingen.begin_schrijven()
    beurt = inlogpogingen.claim(adres, ip)
    if not beurt.toegestaan:
        audit.registreer(Actor(user=user, ip=ip, job=None if user else adres), "inloggen_geblokkeerd",
                         object_type="email", object_id=adres)
        db.session.commit()
        melding, seconden = _wachtmelding(beurt, inlogpogingen.nu())
        raise InloggenMislukt(melding, wacht_seconden=seconden, geweigerd=True)
    db.session.commit()
    return beurt


def mislukt(beurt: inlogpogingen.Beurt, adres: str, user: User | None, ip: str | None,
            actie: str = "inloggen_mislukt", onjuist: str = ONJUIST) -> InloggenMislukt:
    """The claimed attempt was wrong (it stays counted): audited; the exception to raise, which says when the
    next attempt may come when this one makes it wait."""
    inlogpogingen.begin_schrijven()
    audit.registreer(Actor(user=user, ip=ip, job=None if user else adres),
                     "inloggen_geblokkeerd" if beurt.wacht_tot else actie, object_type="email", object_id=adres)
    db.session.commit()
    if beurt.wacht_tot is None:
        return InloggenMislukt(onjuist)
    melding, seconden = _wachtmelding(beurt, inlogpogingen.nu())
    return InloggenMislukt(f"{onjuist} {melding}", wacht_seconden=seconden)


def poging_geslaagd(adres: str, ip: str | None) -> None:
    """A claimed attempt proved right: the e-mail address's series ends and it no longer counts for the network
    address. Not committed."""
    inlogpogingen.begin_schrijven()
    inlogpogingen.geslaagd(adres, ip)


def tweede_factor_nodig(user: User) -> bool:
    """A CAK role always logs in with a second factor; anyone else once they have set one up."""
    if user.is_cak:
        return True
    return db.session.scalar(select(TweedeFactor.ingesteld_op).where(TweedeFactor.gebruiker_id == user.id)) is not None


def voltooi_inloggen(user: User, ip: str | None) -> None:
    """Every step of logging in succeeded: the series of failures on the address ends; audited and committed."""
    poging_geslaagd(user.email, ip)
    audit.registreer(Actor(user=user, ip=ip), "ingelogd", object_type="gebruiker", object_id=user.id)
    db.session.commit()


def inloggen(email: str, password: str, ip: str | None) -> User:
    """Check the credentials, with every attempt counted (see portal.services.inlogpogingen).

    Raises InloggenMislukt with one generic message for a wrong address or password, and a message that says when
    to try again while the address (e-mail or network) must wait; the same for an address without an account.
    A user who needs a second factor is returned without being logged in: the right password no longer counts,
    but the series of failures on the e-mail address ends only with the right code.
    """
    adres = User.normaliseer_email(email)[:254]
    beurt = poging(adres, ip)
    user = zoek_op_email(adres)
    goed = check_password_hash(user.password_hash if user else _dummy_hash(_hashmethode()), password)
    if user is not None and goed and user.active:
        if tweede_factor_nodig(user):
            inlogpogingen.begin_schrijven()
            inlogpogingen.wachtwoord_juist(adres, ip)
            audit.registreer(Actor(user=user, ip=ip), "wachtwoord_juist", object_type="gebruiker",
                             object_id=user.id)
            db.session.commit()
        else:
            voltooi_inloggen(user, ip)
        return user
    raise mislukt(beurt, adres, user, ip)


def uitloggen(user: User, ip: str | None) -> None:
    """Log out: every session of this user ends, also a copy of its cookie kept elsewhere."""
    user.beeindig_sessies()
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

    OngeldigeHerstellink when the link does not work (any more); OngeldigeGebruiker for a password the policy
    refuses.
    """
    user = gebruiker_voor_herstel(token, vergrendel=True)
    controleer_wachtwoord(wachtwoord, user.email)
    user.password_hash = generate_password_hash(wachtwoord, method=_hashmethode())
    inlogpogingen.wis(user.email)
    audit.registreer(Actor(user=user, ip=ip), "wachtwoord_hersteld", object_type="gebruiker", object_id=user.id)
    db.session.commit()
    return user


def aantal_gebruikers() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
