"""Access requests: someone without an account asks, on a public form, to act for a gemeente; the gemeente's
beheerders and the CAK's beheerders see the request and grant it (an invitation, or a link for an existing account)
or refuse it with a reason. The requester gets a mail either way.

The public form answers the same whatever the address is, so nobody learns which addresses have an account.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import Gemeente, User
from portal.models.uitnodiging import Toegangsverzoek, VerzoekStatus
from portal.rollen import ROL_TEKST, Rol
from portal.services import audit, mail
from portal.services.audit import Actor
from portal.services.gebruikersbeheer.rechten import (
    AANVRAAGBARE_ROLLEN,
    Adressen,
    BeheerFout,
    alleen_cak_beheerder,
    beheerde_gemeente,
    beheerde_gemeente_ids,
    beheerders_van,
    cak_beheerders,
    mag_beheren,
)
from portal.services.gebruikersbeheer.uitnodigingen import geef_toegang
from portal.services.klok import nu
from portal.services.toegang import NietGevonden

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_REDEN = 2000


@dataclass(frozen=True)
class Verzoekgegevens:
    naam: str
    email: str
    gemeente_code: str
    rol: str
    reden: str


def gemeente_keuzes() -> list[tuple[str, str]]:
    """The gemeenten the public form offers: (code, 'naam (code)'), by name."""
    return [(g.code, f"{g.naam} ({g.code})") for g in db.session.scalars(select(Gemeente).order_by(Gemeente.naam))]


def dien_in(gegevens: Verzoekgegevens, ip: str | None, adressen: Adressen) -> Toegangsverzoek:
    """Store a request and tell the gemeente's beheerders and the CAK's beheerders by mail. Commits.

    BeheerFout (with the field) when a value is missing or wrong; never anything about existing accounts.
    """
    adres = User.normaliseer_email(gegevens.email)
    if not gegevens.naam.strip():
        raise BeheerFout("Vul uw naam in.", "naam")
    if not _EMAIL.match(adres) or len(adres) > 254:
        raise BeheerFout("Vul een volledig e-mailadres in, zoals naam@gemeente.nl.", "email")
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == gegevens.gemeente_code))
    if gemeente is None:
        raise BeheerFout("Kies uit de lijst de gemeente waarvoor u toegang vraagt.", "gemeente")
    if gegevens.rol not in {r.value for r in AANVRAAGBARE_ROLLEN}:
        raise BeheerFout("Kies of u medewerker van de gemeente bent of softwareleverancier.", "rol")
    if not gegevens.reden.strip():
        raise BeheerFout("Schrijf kort waarom u toegang nodig heeft, zodat de beheerder het kan beoordelen.", "reden")
    verzoek = Toegangsverzoek(naam=gegevens.naam.strip()[:100], email=adres, gemeente=gemeente,
                              rol=Rol(gegevens.rol), reden=gegevens.reden.strip()[:MAX_REDEN], ingediend_op=nu(),
                              status=VerzoekStatus.OPEN)
    db.session.add(verzoek)
    db.session.flush()
    ontvangers = [u.email for u in beheerders_van(gemeente) + cak_beheerders()]
    mail.zet_klaar(soort="Toegangsverzoek ontvangen", aan=ontvangers, gemeente=gemeente,
                   onderwerp=f"Verzoek om toegang tot {gemeente.naam} in het BW-portaal",
                   tekst=mail.tekst("toegangsverzoek_ontvangen", verzoek=verzoek, gemeente=gemeente,
                                    rol=ROL_TEKST[verzoek.rol], link=adressen.gebruikers(gemeente.code)))
    audit.registreer(Actor(job=adres, ip=ip), "toegangsverzoek_ingediend", object_type="toegangsverzoek",
                     object_id=verzoek.id, gemeente_id=gemeente.id,
                     details={"email": adres, "naam": verzoek.naam, "rol": verzoek.rol.value})
    db.session.commit()
    return verzoek


def open_verzoeken(user: User, code: str | None = None) -> list[Toegangsverzoek]:
    """The open requests this user may judge: of the gemeente with this code, or of all its gemeenten."""
    query = select(Toegangsverzoek).where(Toegangsverzoek.status == VerzoekStatus.OPEN) \
        .order_by(Toegangsverzoek.ingediend_op, Toegangsverzoek.id)
    if code is not None:
        query = query.where(Toegangsverzoek.gemeente_id == beheerde_gemeente(user, code).id)
    else:
        ids = beheerde_gemeente_ids(user)
        if ids is not None:
            query = query.where(Toegangsverzoek.gemeente_id.in_(ids))
    return list(db.session.scalars(query))


def cak_overzicht(user: User) -> list[Toegangsverzoek]:
    """Every open request, for the CAK's beheerder only."""
    alleen_cak_beheerder(user)
    return open_verzoeken(user)


def verzoek_voor(user: User | None, verzoek_id: int) -> Toegangsverzoek:
    """A request this user may judge; NietGevonden otherwise."""
    verzoek = db.session.get(Toegangsverzoek, verzoek_id)
    if verzoek is None or not mag_beheren(user, verzoek.gemeente):
        raise NietGevonden(str(verzoek_id))
    return verzoek


def _nog_open(verzoek: Toegangsverzoek) -> None:
    if verzoek.status != VerzoekStatus.OPEN:
        raise BeheerFout(f"Dit verzoek van {verzoek.email} is al {verzoek.status.value}; er hoeft niets meer "
                         "te gebeuren.")


def verleen(actor: Actor, verzoek_id: int, adressen: Adressen) -> str:
    """Grant a request: the requester gets an account with an invitation, or an existing account is linked. Commits.

    BeheerFout when the address cannot get access this way; the request then stays open (refuse it with that reason).
    """
    verzoek = verzoek_voor(actor.user, verzoek_id)
    _nog_open(verzoek)
    melding = geef_toegang(actor, verzoek.gemeente, verzoek.email, verzoek.naam, verzoek.rol, adressen,
                           verzoek=verzoek)
    verzoek.status = VerzoekStatus.VERLEEND
    verzoek.beoordeeld_op = nu()
    verzoek.beoordeeld_door_id = actor.user_id
    audit.registreer(actor, "toegangsverzoek_verleend", object_type="toegangsverzoek", object_id=verzoek.id,
                     gemeente_id=verzoek.gemeente_id, details={"email": verzoek.email, "rol": verzoek.rol.value})
    db.session.commit()
    return f"Het verzoek van {verzoek.naam} is verleend. {melding}"


def weiger(actor: Actor, verzoek_id: int, reden: str) -> str:
    """Refuse a request with a reason, which the requester reads in the mail. Commits."""
    verzoek = verzoek_voor(actor.user, verzoek_id)
    _nog_open(verzoek)
    if not reden.strip():
        raise BeheerFout("Schrijf waarom u het verzoek weigert; de aanvrager leest dit in de e-mail.", "reden")
    verzoek.status = VerzoekStatus.GEWEIGERD
    verzoek.beoordeeld_op = nu()
    verzoek.beoordeeld_door_id = actor.user_id
    verzoek.weigerreden = reden.strip()[:MAX_REDEN]
    mail.zet_klaar(soort="Toegang geweigerd", aan=[verzoek.email], gemeente=verzoek.gemeente,
                   onderwerp=f"Uw verzoek om toegang tot {verzoek.gemeente.naam} in het BW-portaal",
                   tekst=mail.tekst("toegang_geweigerd", verzoek=verzoek, gemeente=verzoek.gemeente,
                                    rol=ROL_TEKST[verzoek.rol]))
    audit.registreer(actor, "toegangsverzoek_geweigerd", object_type="toegangsverzoek", object_id=verzoek.id,
                     gemeente_id=verzoek.gemeente_id, details={"email": verzoek.email, "reden": verzoek.weigerreden})
    db.session.commit()
    return f"Het verzoek van {verzoek.naam} is geweigerd. De aanvrager krijgt een e-mail met uw reden."
