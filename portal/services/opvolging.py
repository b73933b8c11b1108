"""The CAK's follow-up tasks (opvolgtaken) after the migration period.

The end-of-period report makes one task per gemeente with clients without an accepted WMO407: the
listed clients are a snapshot of that moment. A task closes by itself once every listed client has an
accepted WMO407 (checked when such a message is accepted, and again whenever the task is shown), or when
a CAK user records the outcome of the contact with the gemeente. Only CAK users see the tasks; anyone
else is told they do not exist.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.kalender import format_moment
from portal.models import Bestand, BwPeriode, Gebeurtenis, Gemeente, User, Wmo407Bericht
from portal.models.opvolging import ONTBREKENDE_WMO407, Opvolgtaak
from portal.services import audit
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.toegang import NietGevonden
from portal.spreadsheets.ontbrekende_wmo407 import OntbrekendeRij

ALLE_WMO407_ONTVANGEN = "alle_wmo407_ontvangen"
UITKOMST_VASTGELEGD = "uitkomst_vastgelegd"
REDEN_TEKST = {
    ALLE_WMO407_ONTVANGEN: "voor elke cliënt op de lijst is een goedgekeurd WMO407-bericht ontvangen",
    UITKOMST_VASTGELEGD: "de uitkomst van het contact met de gemeente is vastgelegd",
}
SOORT_TEKST = {ONTBREKENDE_WMO407: "Opvolging ontbrekende WMO407"}
UITKOMST_MAX = 2000


class OpvolgingFout(ValueError):
    """A request about a task that cannot be carried out; the message says why and what to do."""

    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


@dataclass(frozen=True)
class Clientstand:
    bsn: str
    naam: str
    wmo407_ontvangen_op: datetime | None    # the first accepted WMO407 that registered the client


@dataclass(frozen=True)
class Taak:
    """A task as the CAK sees it: the task, its gemeente and each listed client's state now."""

    taak: Opvolgtaak
    gemeente: Gemeente
    clienten: list[Clientstand]

    @property
    def aantal(self) -> int:
        return len(self.clienten)

    @property
    def nog_ontbrekend(self) -> int:
        return sum(1 for c in self.clienten if c.wmo407_ontvangen_op is None)

    @property
    def titel(self) -> str:
        return SOORT_TEKST.get(self.taak.soort, self.taak.soort)

    @property
    def reden_tekst(self) -> str:
        return REDEN_TEKST.get(self.taak.reden_gesloten or "", "")


# ---------------------------------------------------------------- making and closing

def maak_ontbrekende_taak(gemeente: Gemeente, rijen: Sequence[OntbrekendeRij], bestand: Bestand | None,
                          moment: datetime, actor: Actor) -> Opvolgtaak:
    """The task of the end-of-period report for this gemeente, once per report moment (a retried report
    finds the task it made before)."""
    bestaand = db.session.scalar(select(Opvolgtaak).where(
        Opvolgtaak.gemeente_id == gemeente.id, Opvolgtaak.soort == ONTBREKENDE_WMO407,
        Opvolgtaak.aangemaakt_op == moment))
    if bestaand is not None:
        return bestaand
    taak = Opvolgtaak(gemeente_id=gemeente.id, soort=ONTBREKENDE_WMO407, aangemaakt_op=moment,
                      clienten=[{"bsn": r.bsn, "naam": f"{r.voorletters} {r.geslachtsnaam}".strip()} for r in rijen],
                      bestand_id=bestand.id if bestand is not None else None)
    db.session.add(taak)
    db.session.flush()
    _gebeurtenis(gemeente.id, moment, actor,
                 f"Opvolgtaak voor het CAK gemaakt: {len(rijen)} cliënten zonder goedgekeurd WMO407-bericht.")
    audit.registreer(actor, "opvolgtaak_gemaakt", object_type="opvolgtaak", object_id=taak.id,
                     gemeente_id=gemeente.id, details={"soort": taak.soort, "aantal": len(rijen)})
    return taak


def na_geaccepteerde_wmo407(actor: Actor, gemeente: Gemeente, moment: datetime) -> list[Opvolgtaak]:
    """After an accepted WMO407 from this gemeente: close its open tasks whose listed clients all have one now."""
    gesloten = []
    for taak in db.session.scalars(select(Opvolgtaak).where(
            Opvolgtaak.gemeente_id == gemeente.id, Opvolgtaak.gesloten_op.is_(None))):
        if _sluit_als_compleet(taak, actor, moment):
            gesloten.append(taak)
    return gesloten


def _gemeente_ids(taak: Opvolgtaak) -> list[int]:
    """The Afzenders whose registrations count for the task: its gemeente, and the region members it
    delivered for (a member that switched to delivering itself took its clients' registrations along)."""
    leden = db.session.scalars(select(Gemeente.id).where(Gemeente.centrumgemeente_id == taak.gemeente_id)).all()
    return [taak.gemeente_id, *leden]


def _ontvangen(taak: Opvolgtaak) -> dict[str, datetime]:
    """BSN -> when the first accepted WMO407 that registered a current period of the listed client came in."""
    bsns = [c["bsn"] for c in taak.clienten]
    if not bsns:
        return {}
    rijen = db.session.execute(
        select(BwPeriode.bsn, func.min(Wmo407Bericht.ontvangen_op))
        .join(Wmo407Bericht, BwPeriode.bericht_id == Wmo407Bericht.id)
        .where(BwPeriode.gemeente_id.in_(_gemeente_ids(taak)), BwPeriode.verwijderd.is_(False),
               BwPeriode.bsn.in_(bsns))
        .group_by(BwPeriode.bsn))
    return dict(rijen.all())


def _clientstanden(taak: Opvolgtaak) -> list[Clientstand]:
    ontvangen = _ontvangen(taak)
    return [Clientstand(c["bsn"], c.get("naam", ""), ontvangen.get(c["bsn"])) for c in taak.clienten]


def _sluit_als_compleet(taak: Opvolgtaak, actor: Actor, moment: datetime) -> bool:
    if taak.gesloten_op is not None or any(c.wmo407_ontvangen_op is None for c in _clientstanden(taak)):
        return False
    _sluit(taak, actor, moment, ALLE_WMO407_ONTVANGEN, None)
    return True


def _sluit(taak: Opvolgtaak, actor: Actor, moment: datetime, reden: str, uitkomst: str | None) -> None:
    taak.gesloten_op = moment
    taak.gesloten_door = actor.naam
    taak.reden_gesloten = reden
    taak.uitkomst = uitkomst
    _gebeurtenis(taak.gemeente_id, moment, actor, f"Opvolgtaak ontbrekende WMO407 afgesloten: {REDEN_TEKST[reden]}."
                 + (f" Uitkomst: {uitkomst}" if uitkomst else ""))
    audit.registreer(actor, "opvolgtaak_gesloten", object_type="opvolgtaak", object_id=taak.id,
                     gemeente_id=taak.gemeente_id, details={"reden": reden, "uitkomst": uitkomst})


def _gebeurtenis(gemeente_id: int, moment: datetime, actor: Actor, omschrijving: str) -> None:
    db.session.add(Gebeurtenis(gemeente_id=gemeente_id, op=moment, soort="opvolgtaak", door=actor.naam,
                               omschrijving=omschrijving))


# ---------------------------------------------------------------- what the CAK sees and does

def _vereis_cak(user: User | None) -> User:
    if user is None or not user.is_cak:
        raise NietGevonden("opvolgtaak")
    return user


def _bijgewerkt(taken: Sequence[Opvolgtaak], user: User) -> list[Taak]:
    """The tasks as shown now; an open task whose clients all arrived meanwhile is closed first."""
    gesloten = False
    for taak in taken:
        if taak.gesloten_op is None:
            gesloten |= _sluit_als_compleet(taak, Actor(user=user), nu())
    if gesloten:
        db.session.commit()
    return [Taak(t, t.gemeente, _clientstanden(t)) for t in taken]


def open_taken(user: User | None) -> list[Taak]:
    """The open tasks, oldest first, by gemeente name (NietGevonden for anyone but the CAK)."""
    _vereis_cak(user)
    assert user is not None
    taken = db.session.scalars(select(Opvolgtaak).join(Gemeente).where(Opvolgtaak.gesloten_op.is_(None))
                               .order_by(Opvolgtaak.aangemaakt_op, Gemeente.naam)).all()
    return [t for t in _bijgewerkt(taken, user) if t.taak.gesloten_op is None]


def alle_taken(user: User | None) -> list[Taak]:
    """Every task, open and closed, newest first."""
    _vereis_cak(user)
    assert user is not None
    taken = db.session.scalars(select(Opvolgtaak).join(Gemeente)
                               .order_by(Opvolgtaak.aangemaakt_op.desc(), Gemeente.naam)).all()
    return _bijgewerkt(taken, user)


def taak(user: User | None, taak_id: int) -> Taak:
    """One task with each client's state now (NietGevonden when it does not exist or the user is no CAK user)."""
    _vereis_cak(user)
    assert user is not None
    gevonden = db.session.get(Opvolgtaak, taak_id)
    if gevonden is None:
        raise NietGevonden(taak_id)
    return _bijgewerkt([gevonden], user)[0]


def leg_uitkomst_vast(actor: Actor, taak_id: int, uitkomst: str) -> Opvolgtaak:
    """A CAK user records the outcome of the contact with the gemeente; that closes the task."""
    _vereis_cak(actor.user)
    gevonden = db.session.get(Opvolgtaak, taak_id)
    if gevonden is None:
        raise NietGevonden(taak_id)
    tekst = (uitkomst or "").strip()
    if not tekst:
        raise OpvolgingFout("Vul de uitkomst in: wat is er met de gemeente afgesproken over de ontbrekende "
                            "WMO407-berichten?")
    if len(tekst) > UITKOMST_MAX:
        raise OpvolgingFout(f"De uitkomst is {len(tekst)} tekens lang; houd haar korter dan {UITKOMST_MAX} tekens.")
    if gevonden.gesloten_op is not None:
        raise OpvolgingFout(f"Deze taak is al afgesloten op {format_moment(gevonden.gesloten_op)} door "
                            f"{gevonden.gesloten_door}; er is niets gewijzigd.")
    _sluit(gevonden, actor, nu(), UITKOMST_VASTGELEGD, tekst)
    db.session.commit()
    return gevonden
