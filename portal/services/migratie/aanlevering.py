"""Delivering: the CAK's akkoord to deliver (which opens iEb), whether a WMO407 may come in, what an
accepted or rejected WMO407 does to the migration, and the lateness check at the delivery deadline."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from portal import kalender
from portal.extensions import db
from portal.kalender import format_datum, format_moment
from portal.models import Gebeurtenis, Gemeente, GeplandeActie, Migratie, Wmo407Bericht
from portal.services import kanalen, opvolging, planner
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.migratie import aansluiting, brieven, dossier, overgang
from portal.services.migratie.acties import Actiesoort
from portal.services.migratie.dossier import MigratieFout
from portal.toestanden import WACHT_OP_AKKOORD, Overgang, Toestand, Vlag


def geef_akkoord_aanleveren(actor: Actor, gemeente: Gemeente, aanleverdatum: date | None = None) -> Migratie:
    """CAK approves the terugkoppeling: record the expected count, open iEb, tell the gemeente.

    Without `aanleverdatum` the calendar's Tuesday 15:00 is the deadline; once that has passed the
    CAK must set a new date."""
    overgang.vereis_rol(actor, Overgang.AKKOORD_AANLEVEREN)
    migratie = dossier.migratie_van(gemeente)
    overgang.vereis_overgang(migratie, Overgang.AKKOORD_AANLEVEREN)
    terugkoppeling = dossier.actuele_terugkoppeling(gemeente)
    if terugkoppeling is None:
        raise MigratieFout("Er is geen geldige terugkoppeling om goed te keuren.")
    moment = nu()
    kalenderdeadline = (kalender.to_utc(dossier.kalendermoment(migratie, kalender.Stap.AANLEVERING_DEADLINE))
                        if migratie.timeslot else None)
    if aanleverdatum is not None:
        deadline = kalender.to_utc(kalender.aanleverdeadline(aanleverdatum))
        if deadline <= moment:
            raise MigratieFout(f"De aanleverdatum {format_datum(aanleverdatum)} ligt in het verleden; "
                               "kies een latere datum.")
    elif kalenderdeadline is not None and kalenderdeadline > moment:
        deadline = kalenderdeadline
    else:
        raise MigratieFout("De aanleverdeadline van de timeslot is al voorbij: kies een nieuwe aanleverdatum.")
    verwacht = sum(1 for r in terugkoppeling.regels if r.code == "J")
    uiterlijk = kalender.to_utc(dossier.kalendermoment(migratie, kalender.Stap.AKKOORD_UITERLIJK))
    if moment > uiterlijk and dossier.toestand_op(gemeente, uiterlijk) == Toestand.TERUGGEKOPPELD:
        _markeer_akkoord_te_laat(migratie, uiterlijk, Actor.job_named("planner"))
    overgang.overgang(migratie, Overgang.AKKOORD_AANLEVEREN, actor,
                      f"Akkoord om aan te leveren: {verwacht} cliënten verwacht (code J), "
                      f"aanleveren uiterlijk {format_moment(deadline)}. Kanaal iEb geopend.", moment=moment)
    migratie.verwacht_aantal = verwacht
    migratie.akkoord_terugkoppeling_id = terugkoppeling.id
    migratie.akkoord_aanleveren_op = moment
    migratie.akkoord_aanleveren_door = actor.naam
    migratie.aanleverdeadline = deadline
    if deadline != kalenderdeadline:
        plan_aanleverdeadline(gemeente, deadline)
    kanalen.zet(gemeente, kanalen.Kanaalsoort.IEB, True, actor, moment)
    aansluiting.werk_aansluiting_bij(gemeente, migratie)
    brieven.akkoord_aanleveren(gemeente, verwacht, deadline)
    db.session.commit()
    return migratie


def plan_aanleverdeadline(gemeente: Gemeente, deadline: datetime) -> None:
    """A delivery deadline other than the calendar's: its own lateness check and aanleverrapportage."""
    planner.plan(gemeente, Actiesoort.AANLEVERING_TE_LAAT, deadline)
    planner.plan(gemeente, Actiesoort.AANLEVERRAPPORTAGE, kalender.rapportagemoment(deadline))


def _markeer_akkoord_te_laat(migratie: Migratie, uiterlijk: datetime, actor: Actor) -> None:
    if migratie.akkoord_te_laat:
        return
    migratie.akkoord_te_laat = True
    overgang.gebeurtenis(migratie, Vlag.AKKOORD_TE_LAAT, actor,
                         f"Om {format_moment(uiterlijk)} had het CAK nog geen akkoord gegeven om aan te leveren: "
                         "akkoord CAK te laat.", moment=uiterlijk)


def controleer_akkoord(actie: GeplandeActie) -> str:
    """The planner's check at Friday 17:00 before the timeslot week: had the CAK given its akkoord on a
    terugkoppeling that was in? Without a terugkoppeling the miss is the gemeente's (already flagged)."""
    gemeente = planner.gemeente_van(actie)
    migratie = dossier.migratie_van(gemeente)
    stand = dossier.toestand_op(gemeente, actie.due_op)
    if stand in (Toestand.GEPLAND, Toestand.BV_GEPUBLICEERD):
        return "nog geen terugkoppeling"
    if stand != Toestand.TERUGGEKOPPELD:
        return "op tijd"
    _markeer_akkoord_te_laat(migratie, actie.due_op, Actor.job_named("planner"))
    return "te laat"


def controleer_aanlevering(actie: GeplandeActie) -> str:
    """The planner's lateness check at a delivery deadline, judged by the state at that moment: late only
    when the gemeente could deliver (the akkoord was given) and no accepted WMO407 had arrived."""
    gemeente = planner.gemeente_van(actie)
    migratie = dossier.migratie_van(gemeente)
    if migratie.aanleverdeadline and migratie.aanleverdeadline > actie.due_op:
        return "aanleverdatum verschoven"
    stand = dossier.toestand_op(gemeente, actie.due_op)
    if stand in WACHT_OP_AKKOORD:
        return "nog geen akkoord om aan te leveren"
    if stand != Toestand.AKKOORD_AANLEVEREN:
        return "op tijd"
    migratie.aanlevering_te_laat = True
    al_gemeld = db.session.scalar(select(func.count()).select_from(Gebeurtenis).where(
        Gebeurtenis.gemeente_id == gemeente.id, Gebeurtenis.soort == Vlag.AANLEVERING_TE_LAAT,
        Gebeurtenis.op >= actie.due_op))
    if not al_gemeld:  # a message that arrived late since the deadline already said so
        overgang.gebeurtenis(migratie, Vlag.AANLEVERING_TE_LAAT, Actor.job_named("planner"),
                             f"Om {format_moment(actie.due_op)} was er geen goedgekeurd WMO407-bericht: "
                             "gemarkeerd als te laat.", moment=actie.due_op)
    return "te laat"


def mag_aanleveren(gemeente: Gemeente, *, ieb_open: bool | None = None) -> str | None:
    """Why a WMO407 from this gemeente is refused at level 0, or None when it may deliver (`ieb_open`: whether
    its iEb channel is open, when the caller read that already)."""
    if not gemeente.levert_aan:
        return (f"{gemeente.naam} levert niet zelf aan; berichten voor deze gemeente stuurt "
                f"{dossier.centrumgemeente_naam(gemeente)}.")
    if ieb_open if ieb_open is not None else kanalen.is_open(gemeente, kanalen.Kanaalsoort.IEB):
        return None
    return ("Er is nog geen akkoord om aan te leveren voor "
            f"{gemeente.naam}. Het CAK geeft dit akkoord nadat de terugkoppeling op de bestandsvergelijking "
            "is beoordeeld; stuur uw WMO407-berichten daarna.")


def is_te_laat(gemeente: Gemeente, moment: datetime) -> bool:
    """Whether a WMO407 arriving at `moment` is late: after the deadline, before the migration ended."""
    migratie = dossier.bestaande_migratie(gemeente)
    return bool(migratie and migratie.aanleverdeadline and moment > migratie.aanleverdeadline
                and migratie.toestand != Toestand.GEMIGREERD)


def na_wmo407(actor: Actor, bericht: Wmo407Bericht) -> None:
    """After a WMO407 was judged: flag lateness, move to AANGELEVERD, recompute the aansluiting; an accepted
    one may complete the CAK's follow-up tasks of the gemeente."""
    gemeente = bericht.gemeente
    if bericht.geaccepteerd:
        opvolging.na_geaccepteerde_wmo407(actor, gemeente, bericht.ontvangen_op)
    migratie = dossier.bestaande_migratie(gemeente)
    if migratie is None:
        return
    if bericht.te_laat and not migratie.aanlevering_te_laat:
        migratie.aanlevering_te_laat = True
        overgang.gebeurtenis(migratie, Vlag.AANLEVERING_TE_LAAT, actor,
                             f"WMO407 {bericht.identificatie} ontvangen na de aanleverdeadline: "
                             "gemarkeerd als te laat.", moment=bericht.ontvangen_op)
    if bericht.geaccepteerd and migratie.toestand == Toestand.AKKOORD_AANLEVEREN:
        overgang.overgang(migratie, Overgang.AANGELEVERD, actor,
                          f"Eerste goedgekeurde WMO407 ontvangen: {bericht.identificatie} met "
                          f"{bericht.aantal_clienten} cliënten.", moment=bericht.ontvangen_op)
    if migratie.toestand != Toestand.NIET_GEPLAND:
        aansluiting.werk_aansluiting_bij(gemeente, migratie)
