"""A gemeente's settings, set by the CAK (not by the seed): its centrumgemeente, whether it delivers itself,
its first BwStartNummer, its file prefix and its contact person.

Only a beheerder of the CAK (or a job such as the command line) changes them. Every rule lives here: the
prefix is digits, the startnummer's block [N, N + BW_STARTNUMMER_BLOK) overlaps no other gemeente's block,
a centrumgemeente is a centrumgemeente and not the gemeente itself, a contact is a name, an e-mail address
and a phone number. Each change is audited with its old and new value and shown on the gemeente's timeline.
Switching a regiogemeente to "levert zelf aan" (or back) is the region switch (`regiowissel`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import CENTRUMGEMEENTE, REGIOGEMEENTE, Gebeurtenis, Gemeente, User
from portal.rollen import Rol
from portal.services import audit, regiowissel
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.toegang import NietGevonden

MAX_BWSTARTNUMMER = 999_999_999    # LDT_Nummer in the iEb schema
PREFIX = re.compile(r"\d{4,10}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TELEFOON = re.compile(r"\+?[0-9][0-9 \-]{5,28}")

VELD_TEKST = {
    "bw_startnummer": "eerste BwStartNummer",
    "bestandsprefix": "bestandsprefix",
    "centrumgemeente": "centrumgemeente",
    "levert_zelf_aan": "levert zelf aan",
    "contact_naam": "contactpersoon",
    "contact_email": "e-mailadres contactpersoon",
    "contact_telefoon": "telefoonnummer contactpersoon",
}


class InstellingenFout(ValueError):
    """Settings that are refused: per field (the names of `Instellingen`, or "" for the whole) the Dutch
    message that says what is wrong and what to do. Nothing was changed."""

    def __init__(self, fouten: dict[str, str]) -> None:
        self.fouten = fouten
        self.melding = " ".join(fouten.values())
        super().__init__(self.melding)


@dataclass(frozen=True)
class Instellingen:
    """What to change; None leaves a setting as it is. `regio` is the centrumgemeente's code; an empty
    contact text clears it."""

    startnummer: str | int | None = None
    prefix: str | None = None
    regio: str | None = None
    levert_zelf_aan: bool | None = None
    contact_naam: str | None = None
    contact_email: str | None = None
    contact_telefoon: str | None = None


@dataclass(frozen=True)
class Wijziging:
    veld: str
    oud: object
    nieuw: object

    @property
    def tekst(self) -> str:
        def waarde(w: object) -> str:
            if w is None or w == "":
                return "leeg"
            if isinstance(w, bool):
                return "ja" if w else "nee"
            return str(w)
        return f"{VELD_TEKST[self.veld]}: {waarde(self.oud)} → {waarde(self.nieuw)}"


def blokgrootte() -> int:
    return int(current_app.config.get("BW_STARTNUMMER_BLOK", 100_000))


def mag_wijzigen(user: User | None) -> bool:
    """Whether this user may change a gemeente's settings (a job may; of the users only a CAK beheerder)."""
    return user is not None and user.role == Rol.CAK_BEHEERDER


def _vereis_beheerder(actor: Actor) -> None:
    if actor.user is None:
        return
    if not actor.user.is_cak:
        raise NietGevonden("instellingen")
    if not mag_wijzigen(actor.user):
        raise InstellingenFout({"": "Alleen een beheerder van het CAK kan de instellingen van een gemeente wijzigen. "
                                    "Vraag een beheerder om de wijziging door te voeren."})


def gemeente_met_code(code: str) -> Gemeente:
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == code))
    if gemeente is None:
        raise NietGevonden(code)
    return gemeente


def centrumgemeenten(behalve: Gemeente | None = None) -> list[Gemeente]:
    """The gemeenten that can be a region's centrumgemeente (for a choice list)."""
    query = select(Gemeente).where(Gemeente.soort == CENTRUMGEMEENTE).order_by(Gemeente.naam)
    return [g for g in db.session.scalars(query) if behalve is None or g.id != behalve.id]


# ---------------------------------------------------------------- the rules, one field at a time

def _startnummer(gemeente: Gemeente, invoer: str | int) -> tuple[int | None, str | None]:
    tekst = str(invoer).strip()
    if not re.fullmatch(r"\d+", tekst) or int(tekst) <= 0:
        return None, (f"Het startnummer '{tekst}' is geen positief geheel getal; vul het eerste BwStartNummer van de "
                      f"gemeente in, bijvoorbeeld {int(gemeente.code) * 100_000 + 1}.")
    nummer, blok = int(tekst), blokgrootte()
    if nummer + blok - 1 > MAX_BWSTARTNUMMER:
        return None, (f"Het startnummer {nummer} is te hoog: het blok van {blok} nummers moet eindigen vóór "
                      f"{MAX_BWSTARTNUMMER + 1} (het grootste BwStartNummer in iEb). Kies een lager startnummer.")
    for ander in db.session.scalars(select(Gemeente).where(
            Gemeente.id != gemeente.id, Gemeente.bw_startnummer.is_not(None)).order_by(Gemeente.code)):
        begin = ander.bw_startnummer or 0
        if nummer < begin + blok and begin < nummer + blok:
            return None, (f"Het startnummer {nummer} is geweigerd: het blok {nummer} t/m {nummer + blok - 1} overlapt "
                          f"met het blok van {ander.naam} ({ander.code}), {begin} t/m {begin + blok - 1}. Kies een "
                          "startnummer waarvan het blok geen ander blok raakt.")
    return nummer, None


def _prefix(gemeente: Gemeente, invoer: str) -> str | None:
    tekst = invoer.strip()
    if not PREFIX.fullmatch(tekst):
        return (f"Het bestandsprefix '{tekst}' is ongeldig: gebruik 4 tot 10 cijfers, standaard "
                f"{Gemeente.standaard_prefix(gemeente.code)}.")
    ander = db.session.scalar(select(Gemeente).where(Gemeente.id != gemeente.id, Gemeente.bestandsprefix == tekst))
    if ander is not None:
        return (f"Het bestandsprefix {tekst} is al van {ander.naam} ({ander.code}); kies een ander prefix, "
                f"standaard {Gemeente.standaard_prefix(gemeente.code)}.")
    return None


def _regio(gemeente: Gemeente, invoer: str) -> tuple[Gemeente | None, str | None]:
    code = invoer.strip()
    if not code:
        if gemeente.soort == REGIOGEMEENTE:
            return None, ("Een regiogemeente blijft lid van haar regio. Laat haar zelf aanleveren met 'levert zelf "
                          "aan: ja'.")
        return None, None
    centrum = db.session.scalar(select(Gemeente).where(Gemeente.code == code))
    if centrum is None:
        return None, f"Er is geen gemeente met code {code}; vul de code van een centrumgemeente in."
    if centrum.id == gemeente.id:
        return None, f"{gemeente.naam} kan niet haar eigen centrumgemeente zijn; kies een andere centrumgemeente."
    if centrum.soort != CENTRUMGEMEENTE:
        return None, (f"{centrum.naam} ({centrum.code}) is geen centrumgemeente; kies de centrumgemeente van de regio.")
    if centrum.id == gemeente.centrumgemeente_id:
        return centrum, None
    if gemeente.soort == CENTRUMGEMEENTE:
        reden = regiowissel.waarom_geen_regiolid(gemeente)
        if reden:
            return None, reden
    elif not gemeente.levert_zelf_aan:
        reden = regiowissel.waarom_niet_verhuizen(gemeente)
        if reden:
            return None, reden
    return centrum, None


def _contact(veld: str, invoer: str) -> str | None:
    tekst = invoer.strip()
    if not tekst:
        return None
    if veld == "contact_naam" and len(tekst) > 100:
        return "De naam van de contactpersoon is te lang; gebruik hoogstens 100 tekens."
    if veld == "contact_email" and (len(tekst) > 254 or not EMAIL.fullmatch(tekst)):
        return f"'{tekst}' is geen e-mailadres; vul een adres in zoals bw@gemeente.nl."
    if veld == "contact_telefoon" and not TELEFOON.fullmatch(tekst):
        return f"'{tekst}' is geen telefoonnummer; gebruik cijfers, spaties of streepjes, zoals 020-5550000."
    return None


# ---------------------------------------------------------------- setting them

def zet_instellingen(actor: Actor, code: str, instellingen: Instellingen) -> list[Wijziging]:
    """Check every setting, then change them all in one transaction (or nothing: InstellingenFout with every
    problem at once). The changes made; an empty list when nothing differed."""
    _vereis_beheerder(actor)
    gemeente = gemeente_met_code(code)
    fouten: dict[str, str] = {}
    nieuw: dict[str, object] = {}
    if instellingen.startnummer is not None and str(instellingen.startnummer).strip() != "":
        nummer, fout = _startnummer(gemeente, instellingen.startnummer)
        if fout:
            fouten["startnummer"] = fout
        else:
            nieuw["bw_startnummer"] = nummer
    if instellingen.prefix is not None:
        if fout := _prefix(gemeente, instellingen.prefix):
            fouten["prefix"] = fout
        else:
            nieuw["bestandsprefix"] = instellingen.prefix.strip()
    centrum = gemeente.centrumgemeente
    if instellingen.regio is not None:
        centrum, fout = _regio(gemeente, instellingen.regio)
        if fout:
            fouten["regio"] = fout
        elif centrum is not None:
            nieuw["centrumgemeente"] = centrum.code
    for veld in ("contact_naam", "contact_email", "contact_telefoon"):
        waarde = getattr(instellingen, veld)
        if waarde is not None:
            if fout := _contact(veld, waarde):
                fouten[veld] = fout
            else:
                nieuw[veld] = waarde.strip() or None
    zelf = instellingen.levert_zelf_aan
    wordt_regio = gemeente.soort == REGIOGEMEENTE or "centrumgemeente" in nieuw
    if zelf is not None and zelf != gemeente.levert_zelf_aan:
        if not wordt_regio:
            fouten["levert_zelf_aan"] = ("Een centrumgemeente levert altijd zelf aan; 'levert zelf aan' geldt alleen "
                                         "voor een regiogemeente.")
        elif zelf:
            startnummer = nieuw.get("bw_startnummer", gemeente.bw_startnummer)
            reden = regiowissel.waarom_niet_zelf(gemeente, centrum, startnummer is not None)
            if reden:
                fouten["levert_zelf_aan"] = reden
        elif reden := regiowissel.waarom_niet_terug(gemeente):
            fouten["levert_zelf_aan"] = reden
        if "levert_zelf_aan" not in fouten:
            nieuw["levert_zelf_aan"] = zelf
    if fouten:
        raise InstellingenFout(fouten)
    return _pas_toe(actor, gemeente, nieuw, centrum)


def _huidig(gemeente: Gemeente, veld: str) -> object:
    if veld == "centrumgemeente":
        return gemeente.centrumgemeente.code if gemeente.centrumgemeente else None
    return getattr(gemeente, veld)


def _pas_toe(actor: Actor, gemeente: Gemeente, nieuw: dict[str, object], centrum: Gemeente | None) -> list[Wijziging]:
    moment = nu()
    wijzigingen = [Wijziging(veld, _huidig(gemeente, veld), waarde) for veld, waarde in nieuw.items()
                   if _huidig(gemeente, veld) != waarde]
    if not wijzigingen:
        return []
    wissel = None
    for w in wijzigingen:
        if w.veld == "centrumgemeente":
            assert centrum is not None
            gemeente.soort = REGIOGEMEENTE
            gemeente.centrumgemeente = centrum
        elif w.veld == "levert_zelf_aan":
            wissel = bool(w.nieuw)
        else:
            setattr(gemeente, w.veld, w.nieuw)
        audit.registreer(actor, "gemeente_instelling_gewijzigd", object_type="gemeente", object_id=gemeente.code,
                         gemeente_id=gemeente.id, details={"veld": w.veld, "van": w.oud, "naar": w.nieuw})
    db.session.flush()
    if wissel is True:
        regiowissel.zelf_aanleveren(actor, gemeente, moment)
    elif wissel is False:
        regiowissel.terug_naar_centrum(actor, gemeente, moment)
    _op_tijdlijn(gemeente, moment, actor, "Instellingen gewijzigd door het CAK: "
                 + "; ".join(w.tekst for w in wijzigingen) + ".")
    db.session.commit()
    return wijzigingen


def _op_tijdlijn(gemeente: Gemeente, moment: datetime, actor: Actor, omschrijving: str) -> None:
    """The change on the timeline of the gemeente that delivers (its own, or its centrumgemeente's)."""
    doel = gemeente if gemeente.levert_aan or gemeente.centrumgemeente is None else gemeente.centrumgemeente
    tekst = omschrijving if doel is gemeente else f"{gemeente.naam}: {omschrijving}"
    db.session.add(Gebeurtenis(gemeente_id=doel.id, op=moment, soort="instellingen", door=actor.naam,
                               omschrijving=tekst))
