"""Demo gemeenten that act by themselves in the ketentest as the clock moves (issue 10, point 4).

Each switched-on demo gemeente has one behaviour (`GEDRAGINGEN`). After every move of the ketentest
clock, `handel` lets each of them do what it would have done by now, through the same services a
gemeente's worker calls, as its own demo user (`automaat-<code>@demo.example.nl`). Everything is
idempotent: a step already taken is not taken again. The clock stops at each moment a demo gemeente
acts (`momenten`), so an upload gets the time it would have had. The CAK still does its own steps
(the akkoord to deliver, the verdict on the delivery): a demo gemeente waits for them.

Only in ketentest or ontwikkeling mode.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from portal import ieb, kalender
from portal.extensions import db
from portal.ieb.testbestanden import met_afgekeurde_records
from portal.models import Gemeente, Migratie, Wmo407Bericht
from portal.models.demogedrag import Demogedrag
from portal.rollen import CAK_ROLLEN
from portal.services import accounts, audit, delivery, migratie, sloten, toegang
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.toegang import GeenToegang
from portal.spreadsheets.terugkoppeling_invullen import vul_terugkoppeling_in
from portal.toestanden import Toestand

OP_TIJD, TE_LAAT, HERSTELT, LEVERT_NIET = "op_tijd", "te_laat", "herstelt", "levert_niet"
GEDRAGINGEN = {
    OP_TIJD: "op tijd en foutloos: terugkoppeling op dinsdag, na het akkoord op maandag een goede WMO407",
    TE_LAAT: "te laat: terugkoppeling pas op vrijdag, na de deadline van donderdag; daarna een goede WMO407",
    HERSTELT: "herstelt: een WMO407 met afgekeurde records (9395), een week later de verbeterde",
    LEVERT_NIET: "levert niet: terugkoppeling op tijd, maar nooit een WMO407",
}
MODI = ("ketentest", "ontwikkeling")


class GedragFout(ValueError):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


def actief() -> bool:
    """Demo behaviour exists only in the ketentest and in ontwikkeling."""
    return current_app.config.get("PORTAL_MODE") in MODI


def van(gemeente: Gemeente) -> Demogedrag | None:
    return db.session.get(Demogedrag, gemeente.id)


def per_gemeente() -> dict[int, Demogedrag]:
    return {g.gemeente_id: g for g in db.session.scalars(select(Demogedrag))}


def zet(gemeente: Gemeente, gedrag: str, aan: bool, door: str) -> Demogedrag:
    """Give a gemeente its behaviour (the seed, and `stel_in`); no commit."""
    if gedrag not in GEDRAGINGEN:
        raise GedragFout(f"Gedrag '{gedrag}' bestaat niet; kies uit: {', '.join(GEDRAGINGEN)}.")
    rij = van(gemeente) or Demogedrag(gemeente_id=gemeente.id)
    rij.gedrag, rij.aan = gedrag, aan
    rij.gewijzigd_op, rij.gewijzigd_door = nu(), door
    db.session.add(rij)
    db.session.flush()
    return rij


def vereis_mag_instellen(actor: Actor, code: str) -> Gemeente:
    """The gemeente whose behaviour this actor may set: NietGevonden outside the ketentest or for a gemeente
    the user may not see, GeenToegang for anyone but the CAK."""
    if not actief():
        raise toegang.NietGevonden(code)
    gemeente = toegang.gemeente_voor(actor.user, code)
    if actor.user is None or actor.user.role not in CAK_ROLLEN:
        raise GeenToegang("Alleen een medewerker van het CAK kan een demogemeente zelf laten handelen of "
                          "daarmee laten stoppen.")
    return gemeente


def stel_in(actor: Actor, code: str, aan: bool, gedrag: str | None = None) -> Demogedrag:
    """Switch a gemeente's behaviour on or off (or choose another); only the CAK, only in the ketentest."""
    gemeente = vereis_mag_instellen(actor, code)
    bestaand = van(gemeente)
    kies = gedrag or (bestaand.gedrag if bestaand else None)
    if kies is None:
        raise GedragFout(f"{gemeente.naam} heeft nog geen demogedrag; kies eerst welk gedrag de gemeente krijgt.")
    rij = zet(gemeente, kies, aan, actor.naam)
    audit.registreer(actor, "demogedrag_gewijzigd", object_type="gemeente", object_id=gemeente.code,
                     gemeente_id=gemeente.id, details={"gedrag": kies, "aan": aan})
    db.session.commit()
    return rij


# --- acting -------------------------------------------------------------------------------------

def _op(dag_moment: datetime, dagen: int, uur: int) -> datetime:
    dag = kalender.lokale_datum(dag_moment) + timedelta(days=dagen)
    return kalender.local_moment(dag, time(uur)).astimezone(UTC)


@dataclass(frozen=True)
class Plan:
    """When this demo gemeente acts in its timeslot week."""

    terugkoppeling: datetime
    wmo407: datetime
    herstel: datetime


def plan_van(gedrag: str, timeslot: date) -> Plan:
    b4 = kalender.moment(timeslot, kalender.Stap.B4_PUBLICEREN)       # Monday before the timeslot week
    terugkoppeling = _op(b4, 4 if gedrag == TE_LAAT else 1, 10)      # Friday (late) or Tuesday 10:00
    leverdag = kalender.local_moment(timeslot, time(9)).astimezone(UTC)
    return Plan(terugkoppeling, leverdag, leverdag + timedelta(days=7))


def _aan() -> list[tuple[Gemeente, Demogedrag, Migratie]]:
    rijen = db.session.execute(
        select(Gemeente, Demogedrag, Migratie).join(Demogedrag, Demogedrag.gemeente_id == Gemeente.id)
        .join(Migratie, Migratie.gemeente_id == Gemeente.id)
        .where(Demogedrag.aan.is_(True), Migratie.timeslot.is_not(None)).order_by(Gemeente.code)).all()
    return [(g, d, m) for g, d, m in rijen]


def momenten(van_moment: datetime, tot: datetime) -> list[datetime]:
    """The moments after `van_moment` up to `tot` at which a switched-on demo gemeente acts, in order."""
    if not actief():
        return []
    gevonden: set[datetime] = set()
    for _gemeente, gedrag, rij in _aan():
        assert rij.timeslot is not None
        plan = plan_van(gedrag.gedrag, rij.timeslot)
        for moment in (plan.terugkoppeling, plan.wmo407, plan.herstel):
            if van_moment < moment <= tot:
                gevonden.add(moment)
    return sorted(gevonden)


def _automaat(gemeente: Gemeente) -> Actor:
    """The demo gemeente's own user, made once: it acts as a worker of that gemeente would."""
    email = f"automaat-{gemeente.code}@demo.example.nl"
    user = accounts.zoek_op_email(email)
    if user is None:
        user = accounts.maak_gebruiker(accounts.NieuweGebruiker(
            email=email, password=secrets.token_urlsafe(24), role="gemeente", gemeente_codes=(gemeente.code,),
            naam=f"Demo {gemeente.naam} (handelt zelf)"), Actor.job_named("demogedrag"))
        db.session.flush()
    return Actor(user=user, ip=None)


def _berichten(gemeente: Gemeente) -> list[Wmo407Bericht]:
    return list(db.session.scalars(select(Wmo407Bericht).where(Wmo407Bericht.gemeente_id == gemeente.id)
                                   .order_by(Wmo407Bericht.id)))


def _terugkoppelen(actor: Actor, gemeente: Gemeente) -> str:
    b4 = migratie.laatste_b4(gemeente)
    assert b4 is not None
    uitkomst = migratie.ontvang_terugkoppeling(actor, gemeente.code, "terugkoppeling.xlsx",
                                               vul_terugkoppeling_in(b4.inhoud))
    return f"{gemeente.naam}: terugkoppeling {'ontvangen' if uitkomst.geldig else 'afgekeurd'}"


def _lever(actor: Actor, gemeente: Gemeente, fout: bool) -> str:
    try:
        gemaakt = delivery.genereer_wmo407(actor, gemeente.code)
    except migratie.MigratieFout:
        return ""
    inhoud = gemaakt.inhoud
    gelezen = ieb.lees_wmo407(inhoud).bericht
    if fout and gelezen is not None:
        inhoud = ieb.wmo407_van_bericht(met_afgekeurde_records(gelezen))
    verwerking = delivery.ontvang_wmo407(actor, gemeente.code, gemaakt.bestandsnaam, inhoud)
    return f"{gemeente.naam}: WMO407 {verwerking.uitkomst}"


def _handel_een(gemeente: Gemeente, gedrag: str, rij: Migratie, moment: datetime) -> str:
    assert rij.timeslot is not None
    plan = plan_van(gedrag, rij.timeslot)
    if (rij.toestand == Toestand.BV_GEPUBLICEERD and moment >= plan.terugkoppeling
            and migratie.actuele_terugkoppeling(gemeente) is None):
        return _terugkoppelen(_automaat(gemeente), gemeente)
    if gedrag == LEVERT_NIET or moment < plan.wmo407 or migratie.mag_aanleveren(gemeente) is not None:
        return ""
    berichten = _berichten(gemeente)
    if any(b.geaccepteerd for b in berichten):
        return ""
    if gedrag == HERSTELT and not berichten:
        return _lever(_automaat(gemeente), gemeente, fout=True)
    if gedrag == HERSTELT and moment < max(plan.herstel, berichten[0].ontvangen_op + timedelta(days=7)):
        return ""
    return _lever(_automaat(gemeente), gemeente, fout=False)


def handel() -> list[str]:
    """Let every switched-on demo gemeente do what it would have done by now; what they did, in Dutch."""
    if not actief():
        return []
    moment = nu()
    gedaan = []
    for gemeente, gedrag, rij in _aan():
        # One process at a time per gemeente (another portal instance or the planner may be here too); the
        # state is read again once the lock is held, so a step the other took is not taken a second time.
        with sloten.exclusief(sloten.Slot.DEMOGEDRAG, gemeente.id):
            tekst = _handel_een(gemeente, gedrag.gedrag, rij, moment) if gedrag.aan else ""
            db.session.commit()
        if tekst:
            gedaan.append(tekst)
    return gedaan
