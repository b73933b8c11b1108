"""API tokens: made for a user and shown once, stored as a SHA-256 hash with a short visible prefix,
listed and revoked by their owner and by a beheerder, and checked on every API request.

A token acts as its user: the user's role and gemeenten decide what the token may see and do.

The rate limit is a fixed window per token, counted in the token's own row in the database (not in the
process): the portal runs several web processes side by side, and a limit counted in one of them
would let a client through N times as often. One UPDATE per request is cheap next to what the
request itself does. The window and the limit are settings (API_VENSTER seconds, API_LIMIET requests).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import User, gebruiker_gemeente
from portal.models.apitoken import ApiToken
from portal.rollen import Rol
from portal.services import accounts, audit
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.toegang import NietGevonden

PREFIX = "bwp_"
PREFIX_LENGTE = 12  # what a listing shows: "bwp_" and the first 8 characters of the secret part
MAX_NAAM = 100

ONGELDIG = ("Het API-token ontbreekt, is onjuist of is ingetrokken. Stuur een geldig token mee als "
            "'Authorization: Bearer <token>';"
            " maak zo nodig een nieuw token aan op de pagina API-tokens in het portaal.")


class TokenFout(ValueError):
    """A request about tokens that cannot be done; the message says why and what to do."""

    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


class OngeldigToken(TokenFout):
    """No token, an unknown one, a revoked one, or one of a blocked user: the API answers 401."""

    def __init__(self) -> None:
        super().__init__(ONGELDIG)


class TeVeelVerzoeken(TokenFout):
    """The token used up its window: the API answers 429 with Retry-After."""

    def __init__(self, wacht: int, limiet: int, venster: int) -> None:
        super().__init__(f"Te veel verzoeken met dit API-token: hooguit {limiet} per {venster} seconden. "
                         f"Wacht {wacht} seconden en probeer het dan opnieuw.")
        self.wacht = wacht


def hash_van(geheim: str) -> str:
    return hashlib.sha256(geheim.encode()).hexdigest()


@dataclass(frozen=True)
class NieuwToken:
    """A token just made: the secret is only here, never stored; show it once."""

    token: ApiToken
    geheim: str


def maak_token(actor: Actor, eigenaar: User, naam: str | None = None) -> NieuwToken:
    """A new token for `eigenaar`. A user makes tokens for themselves; the command line for anyone."""
    if actor.user is not None and actor.user.id != eigenaar.id:
        raise TokenFout("U kunt alleen voor uzelf een API-token maken. Laat de gebruiker zelf een token aanmaken.")
    if not eigenaar.active:
        raise TokenFout(f"De gebruiker {eigenaar.email} is geblokkeerd; een token voor deze gebruiker werkt niet. "
                        "Activeer eerst de gebruiker.")
    naam = (naam or "").strip() or "API-token"
    if len(naam) > MAX_NAAM:
        raise TokenFout(f"De naam van het token is te lang ({len(naam)} tekens); gebruik er hooguit {MAX_NAAM}.")
    geheim = PREFIX + secrets.token_urlsafe(32)
    moment = nu()
    token = ApiToken(gebruiker_id=eigenaar.id, naam=naam, prefix=geheim[:PREFIX_LENGTE], token_hash=hash_van(geheim),
                     aangemaakt_op=moment, aangemaakt_door=actor.naam, venster_aantal=0)
    db.session.add(token)
    db.session.flush()
    audit.registreer(actor, "api_token_gemaakt", object_type="api_token", object_id=token.id,
                     details={"eigenaar": eigenaar.email, "naam": naam, "prefix": token.prefix})
    db.session.commit()
    return NieuwToken(token, geheim)


def maak_token_voor(actor: Actor, email: str, naam: str | None = None) -> NieuwToken:
    """A new token for the user with this address (the command line)."""
    eigenaar = accounts.zoek_op_email(email)
    if eigenaar is None:
        raise TokenFout(f"Er is geen gebruiker met e-mailadres {User.normaliseer_email(email)}. "
                        "Maak de gebruiker eerst aan met `portal user create`.")
    return maak_token(actor, eigenaar, naam)


def _beheert(beheerder: User, eigenaar: User) -> bool:
    """Whether `beheerder` may see and revoke the tokens of `eigenaar`."""
    if beheerder.id == eigenaar.id or beheerder.role == Rol.CAK_BEHEERDER:
        return True
    if beheerder.role != Rol.GEMEENTE_BEHEERDER or eigenaar.is_cak:
        return False
    return bool({g.id for g in beheerder.gemeenten} & {g.id for g in eigenaar.gemeenten})


def zichtbare_tokens(user: User) -> list[ApiToken]:
    """The tokens this user may see: their own; a gemeente's beheerder also those of the users of its
    gemeenten (not the CAK's); the CAK's beheerder all. Active ones first, newest first."""
    query = select(ApiToken).join(User, ApiToken.gebruiker_id == User.id)
    if user.role == Rol.GEMEENTE_BEHEERDER:
        mijn = select(gebruiker_gemeente.c.gemeente_id).where(gebruiker_gemeente.c.gebruiker_id == user.id)
        collega = select(gebruiker_gemeente.c.gebruiker_id).where(gebruiker_gemeente.c.gemeente_id.in_(mijn))
        query = query.where((ApiToken.gebruiker_id == user.id)
                            | (ApiToken.gebruiker_id.in_(collega) & User.role.not_in((Rol.CAK, Rol.CAK_BEHEERDER))))
    elif user.role != Rol.CAK_BEHEERDER:
        query = query.where(ApiToken.gebruiker_id == user.id)
    tokens = list(db.session.scalars(query.order_by(ApiToken.aangemaakt_op.desc(), ApiToken.id.desc())))
    return sorted(tokens, key=lambda t: not t.actief)


def trek_in(actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token the actor may manage; NietGevonden for any other. Revoking twice changes nothing."""
    token = db.session.get(ApiToken, token_id)
    if actor.user is None or token is None or not _beheert(actor.user, token.gebruiker):
        raise NietGevonden(token_id)
    if token.ingetrokken_op is None:
        token.ingetrokken_op = nu()
        token.ingetrokken_door = actor.naam
        audit.registreer(actor, "api_token_ingetrokken", object_type="api_token", object_id=token.id,
                         details={"eigenaar": token.gebruiker.email, "naam": token.naam, "prefix": token.prefix})
    db.session.commit()
    return token


def _tel(token: ApiToken) -> None:
    """Count a request in the token's window; TeVeelVerzoeken when the window is used up."""
    limiet = int(current_app.config.get("API_LIMIET", 120))
    venster = int(current_app.config.get("API_VENSTER", 60))
    moment = nu()
    if token.venster_start is None or moment >= token.venster_start + timedelta(seconds=venster):
        token.venster_start = moment
        token.venster_aantal = 0
    if token.venster_aantal >= limiet:
        resterend = token.venster_start + timedelta(seconds=venster) - moment
        db.session.rollback()
        raise TeVeelVerzoeken(max(1, int(resterend.total_seconds() + 0.999)), limiet, venster)
    token.venster_aantal += 1


def gebruiker_van(geheim: str | None) -> User:
    """The user a request acts as, by the token it carries; counts the request against the token's limit.

    OngeldigToken without a usable token, TeVeelVerzoeken over the limit."""
    if not geheim or not geheim.startswith(PREFIX):
        raise OngeldigToken()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_van(geheim))
                              .with_for_update())
    if token is None or not token.actief or not token.gebruiker.active:
        db.session.rollback()
        raise OngeldigToken()
    _tel(token)
    token.laatst_gebruikt_op = nu()
    user = token.gebruiker
    db.session.commit()
    return user
