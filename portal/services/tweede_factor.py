"""The second factor: TOTP codes (RFC 6238, pyotp) and single-use recovery codes.

CAK roles must log in with a second factor; other users may set one up on their account page. A wrong code
is counted on the address like a wrong password (`accounts.tel_mislukt`), with the same lockout.

The secret is stored encrypted with a key derived from SECRET_KEY (a new SECRET_KEY means every user enrols
anew); recovery codes are stored as keyed hashes. Codes are checked against real time (the authenticator on
the user's phone knows no ketentest clock): `tijd()`, which tests replace through the app's `TOTP_TIJD`.
A code is accepted one step (30 s) early or late, and never twice: the step of the last accepted code is kept.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from portal.extensions import db
from portal.models import User
from portal.models.tweede_factor import Herstelcode, TweedeFactor
from portal.services import accounts, audit, inlogpogingen
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.toegang import GeenToegang

UITGEVER = "BW-portaal"
STAP = 30
"""Seconds per TOTP code."""
VENSTER_STAPPEN = 1
"""A code of one step before or after now is accepted too (a phone's clock that is a little off)."""
AANTAL_HERSTELCODES = 10
WACHTTIJD = 5 * 60
"""Seconds between a right password and the code: after that the user starts again with the password."""
_HERSTEL_TEKENS = "abcdefghjkmnpqrstuvwxyz23456789"

CODE_ONJUIST = ("De code is onjuist, verlopen of al gebruikt. Typ de zes cijfers die uw authenticator-app nu "
                "toont, of een herstelcode die u nog niet heeft gebruikt, en probeer het opnieuw.")
INSTELCODE_ONJUIST = ("De code hoort niet bij de QR-code op deze pagina, of is al verlopen. Controleer dat de klok "
                      "van uw telefoon goed staat, typ de zes cijfers die de app nu toont en probeer het opnieuw.")
VERPLICHT = ("Voor medewerkers van het CAK is de tweede factor verplicht; hij kan niet worden uitgezet. "
             "Is uw telefoon kwijt? Log in met een herstelcode of vraag een CAK-beheerder om hulp.")


class Vervolg(StrEnum):
    """What follows a right password."""

    KLAAR = "klaar"
    CODE = "code"
    INSTELLEN = "instellen"


class CodeOnjuist(Exception):
    """A wrong, expired or replayed code; `geblokkeerd` when the address is (now) locked."""

    def __init__(self, melding: str, geblokkeerd: bool = False) -> None:
        super().__init__(melding)
        self.melding = melding
        self.geblokkeerd = geblokkeerd


@dataclass(frozen=True)
class Instelling:
    """What the user needs to add the portal to an authenticator app."""

    geheim: str
    uri: str
    qr_svg: str

    @property
    def geheim_in_groepen(self) -> str:
        return " ".join(self.geheim[i:i + 4] for i in range(0, len(self.geheim), 4))


@dataclass(frozen=True)
class Status:
    ingesteld: bool
    verplicht: bool
    herstelcodes_over: int


def tijd() -> float:
    """Now as Unix seconds, in real time; the app's TOTP_TIJD (a callable) replaces it in tests."""
    bron: Callable[[], float] = current_app.config.get("TOTP_TIJD") or time.time
    return float(bron())


def wacht_tot() -> float:
    """Until when a right password waits for its code."""
    return tijd() + WACHTTIJD


def wachten_verlopen(tot: object) -> bool:
    return not isinstance(tot, int | float) or tijd() > tot


# ---------------------------------------------------------------- the secret, encrypted

def _sleutel(doel: str) -> bytes:
    return hmac.new(current_app.config["SECRET_KEY"].encode("utf-8"), f"tweede-factor/{doel}".encode(),
                    hashlib.sha256).digest()


def _sleutelstroom(nonce: bytes, lengte: int) -> bytes:
    sleutel, stroom, teller = _sleutel("versleutelen"), b"", 0
    while len(stroom) < lengte:
        stroom += hmac.new(sleutel, nonce + teller.to_bytes(4, "big"), hashlib.sha256).digest()
        teller += 1
    return stroom[:lengte]


def versleutel(geheim: str) -> str:
    """The secret as stored: HMAC-SHA256 in counter mode with a random nonce, then a MAC over both."""
    nonce = secrets.token_bytes(16)
    tekst = geheim.encode("ascii")
    versleuteld = bytes(a ^ b for a, b in zip(tekst, _sleutelstroom(nonce, len(tekst)), strict=True))
    mac = hmac.new(_sleutel("mac"), nonce + versleuteld, hashlib.sha256).digest()[:16]
    return "v1:" + base64.urlsafe_b64encode(nonce + versleuteld + mac).decode("ascii")


def ontsleutel(opgeslagen: str) -> str:
    """The secret back; ValueError when it was changed or encrypted with another SECRET_KEY."""
    if not opgeslagen.startswith("v1:"):
        raise ValueError("onbekende versleuteling")
    ruw = base64.urlsafe_b64decode(opgeslagen[3:])
    nonce, versleuteld, mac = ruw[:16], ruw[16:-16], ruw[-16:]
    if not hmac.compare_digest(mac, hmac.new(_sleutel("mac"), nonce + versleuteld, hashlib.sha256).digest()[:16]):
        raise ValueError("het geheim is gewijzigd of met een andere sleutel versleuteld")
    return bytes(a ^ b for a, b in zip(versleuteld, _sleutelstroom(nonce, len(versleuteld)), strict=True)).decode()


# ---------------------------------------------------------------- checking codes

def _rij(user: User) -> TweedeFactor | None:
    return db.session.get(TweedeFactor, user.id, populate_existing=True)


def _totp_stap(rij: TweedeFactor, code: str) -> int | None:
    """The time step whose code this is (within the window), if it is one; replays are refused by the caller."""
    try:
        totp = pyotp.TOTP(ontsleutel(rij.geheim), interval=STAP)
    except ValueError:
        return None
    nu_stap = int(tijd() // STAP)
    for stap in range(nu_stap - VENSTER_STAPPEN, nu_stap + VENSTER_STAPPEN + 1):
        if hmac.compare_digest(totp.generate_otp(stap), code):
            return stap
    return None


def _neem_stap(rij: TweedeFactor, stap: int) -> bool:
    """Claim this step, atomically: False when it (or a later one) was used already, also by a parallel request."""
    resultaat = db.session.execute(
        update(TweedeFactor)
        .where(TweedeFactor.gebruiker_id == rij.gebruiker_id,
               or_(TweedeFactor.laatste_stap.is_(None), TweedeFactor.laatste_stap < stap))
        .values(laatste_stap=stap).execution_options(synchronize_session=False))
    return bool(getattr(resultaat, "rowcount", 0) == 1)


def _herstelhash(user: User, code: str) -> str:
    schoon = "".join(c for c in code.lower() if c.isalnum())
    return hmac.new(_sleutel("herstelcode"), f"{user.id}:{schoon}".encode(), hashlib.sha256).hexdigest()


def _gebruik_herstelcode(user: User, code: str, actor: Actor) -> bool:
    code_hash = _herstelhash(user, code)
    kandidaat = db.session.scalar(select(Herstelcode).where(
        Herstelcode.gebruiker_id == user.id, Herstelcode.code_hash == code_hash, Herstelcode.gebruikt_op.is_(None)))
    if kandidaat is None:
        return False
    resultaat = db.session.execute(
        update(Herstelcode).where(Herstelcode.id == kandidaat.id, Herstelcode.gebruikt_op.is_(None))
        .values(gebruikt_op=nu()).execution_options(synchronize_session=False))
    if getattr(resultaat, "rowcount", 0) != 1:
        return False
    audit.registreer(actor, "herstelcode_gebruikt", object_type="gebruiker", object_id=user.id,
                     details={"over": _herstelcodes_over(user)})
    return True


def _code_klopt(user: User, rij: TweedeFactor, code: str, actor: Actor, *, herstelcode: bool = True) -> bool:
    code = code.strip().replace(" ", "")
    if len(code) == 6 and code.isdigit():
        stap = _totp_stap(rij, code)
        return stap is not None and _neem_stap(rij, stap)
    return herstelcode and bool(code) and _gebruik_herstelcode(user, code, actor)


def _weiger(beurt: inlogpogingen.Beurt, user: User, ip: str | None, melding: str) -> CodeOnjuist:
    """The wrong code stays counted like a wrong password; the exception to raise."""
    fout = accounts.mislukt(beurt, user.email, user, ip, "tweede_factor_onjuist", melding)
    return CodeOnjuist(fout.melding, geblokkeerd=fout.wacht_seconden is not None)


def _poging(user: User, ip: str | None) -> inlogpogingen.Beurt:
    """Claim the attempt of a code like one of a password: refused while the address must wait."""
    try:
        return accounts.poging(user.email, ip, user)
    except accounts.InloggenMislukt as geweigerd:
        raise CodeOnjuist(geweigerd.melding, geblokkeerd=True) from None


# ---------------------------------------------------------------- logging in

def inloggen(email: str, password: str, ip: str | None) -> tuple[User, Vervolg]:
    """The password step (accounts.inloggen, InloggenMislukt when wrong), and what must follow it."""
    user = accounts.inloggen(email, password, ip)
    if not accounts.tweede_factor_nodig(user):
        return user, Vervolg.KLAAR
    return user, Vervolg.CODE if is_ingesteld(user) else Vervolg.INSTELLEN


def wachtende(gebruiker_id: object) -> User | None:
    """The user whose password was right, if the account still exists and is active."""
    if not isinstance(gebruiker_id, int):
        return None
    user = db.session.get(User, gebruiker_id)
    return user if user is not None and user.active else None


def controleer(user: User, code: str, ip: str | None) -> None:
    """The second step of logging in: a TOTP code or an unused recovery code. Right: the login is complete
    (audited, the count of failures ends). Wrong: counted like a wrong password, CodeOnjuist."""
    beurt = _poging(user, ip)
    rij = _rij(user)
    if rij is None or rij.ingesteld_op is None or not _code_klopt(user, rij, code, Actor(user=user, ip=ip)):
        raise _weiger(beurt, user, ip, CODE_ONJUIST)
    accounts.voltooi_inloggen(user, ip)


def is_ingesteld(user: User) -> bool:
    rij = _rij(user)
    return rij is not None and rij.ingesteld_op is not None


def moet_nog_instellen(user: User) -> bool:
    """A CAK user without a second factor (a session from before it was required): not let in."""
    return user.is_cak and not is_ingesteld(user)


# ---------------------------------------------------------------- enrolment

def _instelling(user: User, geheim: str) -> Instelling:
    uri = pyotp.TOTP(geheim, interval=STAP).provisioning_uri(name=user.email, issuer_name=UITGEVER)
    qr = segno.make(uri, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", title="QR-code voor uw authenticator-app")
    return Instelling(geheim=geheim, uri=uri, qr_svg=svg)


def begin_instellen(user: User) -> Instelling:
    """A secret for this user to scan, kept (encrypted) until confirmed; the same one on every visit until then.
    A user who has a second factor already must switch it off first."""
    rij = _rij(user)
    if rij is not None and rij.ingesteld_op is not None:
        raise GeenToegang("U heeft de tweede factor al ingesteld. Zet hem eerst uit om een nieuwe in te stellen.")
    if rij is None:
        rij = TweedeFactor(gebruiker_id=user.id, geheim=versleutel(pyotp.random_base32()), aangemaakt_op=nu())
        db.session.add(rij)
        db.session.commit()
    try:
        geheim = ontsleutel(rij.geheim)
    except ValueError:  # encrypted with an earlier SECRET_KEY: a new secret
        geheim = pyotp.random_base32()
        rij.geheim = versleutel(geheim)
        db.session.commit()
    return _instelling(user, geheim)


def _nieuwe_herstelcodes(user: User) -> list[str]:
    db.session.execute(delete(Herstelcode).where(Herstelcode.gebruiker_id == user.id))
    codes = []
    for volgorde in range(AANTAL_HERSTELCODES):
        ruw = "".join(secrets.choice(_HERSTEL_TEKENS) for _ in range(10))
        code = f"{ruw[:5]}-{ruw[5:]}"
        db.session.add(Herstelcode(gebruiker_id=user.id, code_hash=_herstelhash(user, code), volgorde=volgorde))
        codes.append(code)
    return codes


def bevestig_instellen(user: User, code: str, ip: str | None, *, inloggen: bool = False) -> list[str]:
    """The user typed a code from the scanned secret: the second factor is on. Returns the recovery codes,
    to be shown this once. `inloggen`: this completes logging in (the CAK's enrolment after the password)."""
    beurt = _poging(user, ip)
    rij = _rij(user)
    if rij is None or rij.ingesteld_op is not None:
        raise CodeOnjuist(INSTELCODE_ONJUIST)
    if not _code_klopt(user, rij, code, Actor(user=user, ip=ip), herstelcode=False):
        raise _weiger(beurt, user, ip, INSTELCODE_ONJUIST)
    rij.ingesteld_op = nu()
    codes = _nieuwe_herstelcodes(user)
    audit.registreer(Actor(user=user, ip=ip), "tweede_factor_ingesteld", object_type="gebruiker", object_id=user.id)
    if inloggen:
        accounts.voltooi_inloggen(user, ip)
    else:
        accounts.poging_geslaagd(user.email, ip)
    db.session.commit()
    return codes


def zet_uit(user: User, code: str, ip: str | None) -> None:
    """Switch the second factor off, with a current code (or a recovery code); not for CAK roles."""
    if user.is_cak:
        raise GeenToegang(VERPLICHT)
    beurt = _poging(user, ip)
    rij = _rij(user)
    if rij is None or rij.ingesteld_op is None:
        return
    if not _code_klopt(user, rij, code, Actor(user=user, ip=ip)):
        raise _weiger(beurt, user, ip, CODE_ONJUIST)
    accounts.poging_geslaagd(user.email, ip)
    db.session.execute(delete(Herstelcode).where(Herstelcode.gebruiker_id == user.id))
    db.session.delete(rij)
    audit.registreer(Actor(user=user, ip=ip), "tweede_factor_uitgezet", object_type="gebruiker", object_id=user.id)
    db.session.commit()


def wis(email: str, actor: Actor) -> User:
    """A beheerder (on the command line) removes a user's second factor: phone and recovery codes lost, or a new
    SECRET_KEY. A CAK user sets a new one up at the next login. LookupError for an unknown address."""
    user = accounts.zoek_op_email(email)
    if user is None:
        raise LookupError(f"Er is geen gebruiker met e-mailadres {User.normaliseer_email(email)}.")
    db.session.execute(delete(Herstelcode).where(Herstelcode.gebruiker_id == user.id))
    db.session.execute(delete(TweedeFactor).where(TweedeFactor.gebruiker_id == user.id))
    audit.registreer(actor, "tweede_factor_gewist", object_type="gebruiker", object_id=user.id,
                     details={"email": user.email})
    db.session.commit()
    return user


def _herstelcodes_over(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Herstelcode).where(
        Herstelcode.gebruiker_id == user.id, Herstelcode.gebruikt_op.is_(None))) or 0


def status(user: User) -> Status:
    return Status(ingesteld=is_ingesteld(user), verplicht=user.is_cak, herstelcodes_over=_herstelcodes_over(user))
