"""Invitations: a beheerder invites someone by e-mail to act for a gemeente; the mail holds a link that sets the
password once. Inviting an address that already has an account links that account to the gemeente instead.

The link is signed the way a reset link is (`accounts`): over the invitation's id and a fingerprint of the
account's password hash. The invitation's row says until when it works and whether it was used or withdrawn.
"""
from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select

from portal.extensions import db
from portal.kalender import format_moment
from portal.models import Gemeente, User
from portal.models.uitnodiging import Toegangsverzoek, Uitnodiging
from portal.rollen import ROL_TEKST, Rol
from portal.services import accounts, audit, mail
from portal.services.audit import Actor
from portal.services.gebruikersbeheer.rechten import TOE_TE_KENNEN_ROLLEN, Adressen, BeheerFout, beheerde_gemeente
from portal.services.klok import nu

UITNODIGING_GELDIG = timedelta(days=7)
_SALT = "uitnodiging"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

ONVOLLEDIG = ("Deze link klopt niet of is niet compleet. Open de link opnieuw vanuit de e-mail (de hele link), "
              "of vraag de beheerder van uw gemeente om een nieuwe uitnodiging.")
GEBRUIKT = ("Deze uitnodiging is al gebruikt: het wachtwoord is al ingesteld. Log in met uw e-mailadres en "
            "wachtwoord; bent u het wachtwoord vergeten, kies dan 'Wachtwoord vergeten?' op de inlogpagina.")
INGETROKKEN = ("Deze uitnodiging is ingetrokken of vervangen door een nieuwere. Gebruik de link uit de laatste "
               "uitnodiging, of vraag de beheerder van uw gemeente om een nieuwe.")


class OngeldigeUitnodiging(Exception):
    """The invitation link is forged, incomplete, expired, used or withdrawn; `melding` says which and what to do."""

    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


@dataclass(frozen=True)
class NieuweUitnodiging:
    email: str
    naam: str
    rol: str


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def uitnodiging_token(uitnodiging: Uitnodiging) -> str:
    return _serializer().dumps({"u": uitnodiging.id, "w": accounts.vingerafdruk(uitnodiging.gebruiker)})


def _open_uitnodigingen(user: User) -> list[Uitnodiging]:
    return list(db.session.scalars(select(Uitnodiging).where(
        Uitnodiging.gebruiker_id == user.id, Uitnodiging.gebruikt_op.is_(None),
        Uitnodiging.ingetrokken_op.is_(None))))


def heeft_open_uitnodiging(user: User) -> bool:
    return bool(_open_uitnodigingen(user))


def trek_in(user: User, moment: datetime) -> None:
    """Withdraw the user's open invitations: their links stop working."""
    for uitnodiging in _open_uitnodigingen(user):
        uitnodiging.ingetrokken_op = moment


def wachtwoord_ingesteld(user: User) -> bool:
    """False for an account made by an invitation that was never used: nobody knows its password."""
    rijen = list(db.session.scalars(select(Uitnodiging).where(Uitnodiging.gebruiker_id == user.id)))
    return not any(r.nieuw_account for r in rijen) or any(r.gebruikt_op is not None for r in rijen)


def _uitnodigingstekst(actor: Actor, uitnodiging: Uitnodiging, adressen: Adressen,
                      verzoek: Toegangsverzoek | None) -> str:
    gegevens: dict[str, Any] = {
        "gebruiker": uitnodiging.gebruiker, "gemeente": uitnodiging.gemeente,
        "rol": ROL_TEKST[uitnodiging.rol], "door": actor.user, "inloggen": adressen.inloggen,
        "link": adressen.uitnodiging(uitnodiging_token(uitnodiging)), "geldig_tot": uitnodiging.geldig_tot}
    if verzoek is not None:
        return mail.tekst("toegang_verleend", verzoek=verzoek, **gegevens)
    return mail.tekst("uitnodiging", **gegevens)


def stuur_uitnodiging(actor: Actor, user: User, gemeente: Gemeente | None, adressen: Adressen, *,
                      nieuw_account: bool, verzoek: Toegangsverzoek | None = None) -> Uitnodiging:
    """A new invitation for this account (older open ones are withdrawn), with its mail in the outbox: the
    answer to the access request `verzoek`, when it grants one."""
    moment = nu()
    trek_in(user, moment)
    uitnodiging = Uitnodiging(gebruiker=user, gemeente=gemeente, rol=user.role, nieuw_account=nieuw_account,
                              uitgenodigd_door_id=actor.user_id, uitgenodigd_op=moment,
                              geldig_tot=moment + UITNODIGING_GELDIG)
    db.session.add(uitnodiging)
    db.session.flush()
    mail.zet_klaar(soort="Uitnodiging", aan=[user.email], gemeente=gemeente,
                   onderwerp="Uitnodiging voor het BW-portaal" if gemeente is None
                   else f"Uitnodiging voor het BW-portaal: {gemeente.naam}",
                   tekst=_uitnodigingstekst(actor, uitnodiging, adressen, verzoek))
    audit.registreer(actor, "uitnodiging_verstuurd", object_type="gebruiker", object_id=user.id,
                     gemeente_id=gemeente.id if gemeente is not None else None,
                     details={"email": user.email, "rol": user.role.value, "uitnodiging": uitnodiging.id})
    return uitnodiging


def geef_toegang(actor: Actor, gemeente: Gemeente, email: str, naam: str, rol: Rol, adressen: Adressen,
                 verzoek: Toegangsverzoek | None = None) -> str:
    """Give this address access to the gemeente in this role: a new account with an invitation, or an existing
    account linked to the gemeente (with a mail that says so). Returns the Dutch confirmation for the beheerder.

    BeheerFout when the address cannot get access this way (a CAK account, another role, switched off, already in).
    """
    adres = User.normaliseer_email(email)
    if not _EMAIL.match(adres) or len(adres) > 254:
        raise BeheerFout(f"'{email}' is geen volledig e-mailadres. Vul een adres in zoals naam@gemeente.nl.", "email")
    bestaand = accounts.zoek_op_email(adres)
    if bestaand is None:
        user = User(email=adres, naam=(naam.strip() or adres)[:100], role=rol, active=False,
                    password_hash=accounts.wachtwoord_hash(secrets.token_urlsafe(32)), aangemaakt_op=nu(),
                    gemeenten=[gemeente])
        db.session.add(user)
        db.session.flush()
        audit.registreer(actor, "gebruiker_aangemaakt", object_type="gebruiker", object_id=user.id,
                         gemeente_id=gemeente.id, details={"email": adres, "role": rol.value,
                                                           "gemeenten": [gemeente.code]})
        stuur_uitnodiging(actor, user, gemeente, adressen, nieuw_account=True, verzoek=verzoek)
        return (f"{adres} is uitgenodigd als {ROL_TEKST[rol]} van {gemeente.naam}. De e-mail met de link om een "
                f"wachtwoord in te stellen staat klaar; de link werkt {UITNODIGING_GELDIG.days} dagen.")
    if bestaand.is_cak:
        raise BeheerFout(f"{adres} is een account van het CAK en kan niet aan een gemeente worden gekoppeld. "
                         "Gebruik een ander e-mailadres.", "email")
    if any(g.id == gemeente.id for g in bestaand.gemeenten):
        raise BeheerFout(f"{adres} heeft al toegang tot {gemeente.naam}. Er hoeft niets te gebeuren; staat het "
                         "account uit, schakel het dan hieronder weer in.", "email")
    if bestaand.role != rol:
        raise BeheerFout(f"{adres} heeft al een account als {ROL_TEKST[bestaand.role]}; een account heeft één rol "
                         f"voor al zijn gemeenten. Kies de rol {ROL_TEKST[bestaand.role]}, of vraag het CAK om de "
                         "rol te wijzigen.", "rol")
    if not bestaand.active and not heeft_open_uitnodiging(bestaand):
        raise BeheerFout(f"Het account {adres} is uitgeschakeld. Vraag het CAK om het weer in te schakelen en "
                         "nodig het daarna opnieuw uit.", "email")
    bestaand.gemeenten.append(gemeente)
    audit.registreer(actor, "gebruiker_gekoppeld", object_type="gebruiker", object_id=bestaand.id,
                     gemeente_id=gemeente.id, details={"email": adres, "rol": rol.value})
    mail.zet_klaar(soort="Toegang verleend", aan=[adres], gemeente=gemeente,
                   onderwerp=f"Toegang tot {gemeente.naam} in het BW-portaal",
                   tekst=mail.tekst("toegang_verleend", gebruiker=bestaand, gemeente=gemeente,
                                    rol=ROL_TEKST[rol], link=None, inloggen=adressen.inloggen, verzoek=verzoek))
    return (f"{adres} had al een account en heeft nu ook toegang tot {gemeente.naam}. "
            "Er is een e-mail klaargezet die dat meldt.")


def nodig_uit(actor: Actor, code: str, gegevens: NieuweUitnodiging, adressen: Adressen) -> str:
    """A beheerder invites someone for the gemeente with this code (see `geef_toegang`); commits."""
    gemeente = beheerde_gemeente(actor.user, code)
    if gegevens.rol not in {r.value for r in TOE_TE_KENNEN_ROLLEN}:
        raise BeheerFout("Kies een rol uit de lijst: medewerker gemeente, beheerder gemeente of "
                         "softwareleverancier.", "rol")
    if not gegevens.naam.strip():
        raise BeheerFout("Vul de naam in van wie u uitnodigt.", "naam")
    melding = geef_toegang(actor, gemeente, gegevens.email, gegevens.naam, Rol(gegevens.rol), adressen)
    db.session.commit()
    return melding


def uitnodiging_voor(token: str, *, vergrendel: bool = False) -> Uitnodiging:
    """The invitation this link is for, if it still works; OngeldigeUitnodiging with the reason otherwise."""
    try:
        gegevens: Any = _serializer().loads(token)
    except BadData:
        raise OngeldigeUitnodiging(ONVOLLEDIG) from None
    if not isinstance(gegevens, dict) or not isinstance(gegevens.get("u"), int) \
            or not isinstance(gegevens.get("w"), str):
        raise OngeldigeUitnodiging(ONVOLLEDIG)
    uitnodiging = db.session.get(Uitnodiging, gegevens["u"], with_for_update=vergrendel,
                                 populate_existing=vergrendel)
    if uitnodiging is None:
        raise OngeldigeUitnodiging(ONVOLLEDIG)
    if uitnodiging.gebruikt_op is not None:
        raise OngeldigeUitnodiging(GEBRUIKT)
    if uitnodiging.ingetrokken_op is not None:
        raise OngeldigeUitnodiging(INGETROKKEN)
    if nu() > uitnodiging.geldig_tot:
        raise OngeldigeUitnodiging(
            f"Deze uitnodiging is verlopen: de link werkte tot {format_moment(uitnodiging.geldig_tot)}. Vraag de "
            "beheerder van uw gemeente om u opnieuw uit te nodigen; u krijgt dan een nieuwe link.")
    if not hmac.compare_digest(accounts.vingerafdruk(uitnodiging.gebruiker), gegevens["w"]):
        raise OngeldigeUitnodiging(GEBRUIKT)
    return uitnodiging


def accepteer(token: str, wachtwoord: str, ip: str | None) -> User:
    """The invited person sets a password: the account is switched on and the link stops working. Commits.

    OngeldigeUitnodiging when the link does not work (any more); accounts.OngeldigeGebruiker for a password the
    policy refuses.
    """
    uitnodiging = uitnodiging_voor(token, vergrendel=True)
    user = uitnodiging.gebruiker
    accounts.controleer_wachtwoord(wachtwoord, user.email)
    moment = nu()
    user.password_hash = accounts.wachtwoord_hash(wachtwoord)
    user.active = True
    uitnodiging.gebruikt_op = moment
    trek_in(user, moment)
    audit.registreer(Actor(user=user, ip=ip), "uitnodiging_gebruikt", object_type="gebruiker", object_id=user.id,
                     gemeente_id=uitnodiging.gemeente_id, details={"uitnodiging": uitnodiging.id})
    db.session.commit()
    return user
