"""The CAK's verdict on a delivery: akkoord (GEMIGREERD, the verslag by e-mail, the old channels closed by
the next tick), or after a call a new delivery date; and closing the old channels."""
from __future__ import annotations

from datetime import date

from portal import kalender
from portal.extensions import db
from portal.kalender import format_moment
from portal.models import Gemeente, GeplandeActie, Migratie
from portal.services import kanalen, planner
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.migratie import aanlevering, aansluiting, bestanden, brieven, dossier, overgang
from portal.services.migratie.acties import Actiesoort
from portal.services.migratie.dossier import MigratieFout
from portal.toestanden import Overgang, Vlag


def keur_aanlevering_goed(actor: Actor, gemeente: Gemeente, reden: str | None = None) -> Migratie:
    """CAK approves the delivery: GEMIGREERD, the verslag by e-mail, the old channels closed next tick.

    A delivery that is not correct is only approved with a reason why the CAK accepts the deviation."""
    overgang.vereis_rol(actor, Overgang.GOEDKEUREN)
    migratie = dossier.migratie_van(gemeente)
    overgang.vereis_overgang(migratie, Overgang.GOEDKEUREN)
    reden = (reden or "").strip() or None
    stand = aansluiting.bereken_aansluiting(gemeente)
    if not stand.correct and not reden:
        raise MigratieFout(
            f"De aanlevering wijkt af ({len(stand.verschillen())} cliënten niet 'ok'). "
            "Akkoord geven kan alleen met een reden waarom het CAK de afwijking accepteert; vul die in.")
    moment = nu()
    overgang.overgang(migratie, Overgang.GOEDKEUREN, actor,
                      "Akkoord op de aanlevering" + (f", afwijking geaccepteerd: {reden}" if reden else "") + ".",
                      moment=moment)
    migratie.goedgekeurd_op = moment
    migratie.goedgekeurd_door = actor.naam
    migratie.afwijking_reden = reden
    aansluiting.bewaar_aansluiting(migratie, stand)
    belactie = dossier.open_belactie(gemeente)
    if belactie is not None:
        belactie.afgehandeld_op = moment
        belactie.afgehandeld_door = actor.naam
        belactie.uitkomst = f"Afwijking geaccepteerd: {reden}" if reden else "Akkoord gegeven"
    verslag = bestanden.plaats_verslag(gemeente, migratie, stand, moment, actor)
    brieven.akkoord_aanlevering(gemeente, verslag, reden)
    planner.plan(gemeente, Actiesoort.SLUIT_OUDE_KANALEN, moment)
    db.session.commit()
    return migratie


def registreer_belresultaat(actor: Actor, gemeente: Gemeente, uitkomst: str, nieuwe_leverdatum: date) -> Migratie:
    """The call is recorded and a re-delivery agreed: back to AKKOORD_AANLEVEREN with a new date."""
    overgang.vereis_rol(actor, Overgang.BELRESULTAAT)
    uitkomst = (uitkomst or "").strip()
    if not uitkomst:
        raise MigratieFout("Vul in wat er met de gemeente is afgesproken.")
    migratie = dossier.migratie_van(gemeente)
    overgang.vereis_overgang(migratie, Overgang.BELRESULTAAT)
    moment = nu()
    deadline = kalender.to_utc(kalender.aanleverdeadline(nieuwe_leverdatum))
    if deadline <= moment:
        raise MigratieFout(f"De nieuwe aanleverdatum {format_moment(deadline)} is al voorbij; "
                           "kies een datum in de toekomst.")
    overgang.overgang(migratie, Overgang.BELRESULTAAT, actor,
                      f"Gebeld: {uitkomst} Nieuwe aanleverdatum {format_moment(deadline)}.", moment=moment)
    belactie = dossier.open_belactie(gemeente)
    if belactie is not None:
        belactie.afgehandeld_op = moment
        belactie.afgehandeld_door = actor.naam
        belactie.uitkomst = uitkomst
        belactie.nieuwe_leverdatum = nieuwe_leverdatum
    migratie.aanleverdeadline = deadline
    if migratie.aanlevering_te_laat:
        # Lateness is judged against the date that now applies; its own check runs at the new deadline.
        migratie.aanlevering_te_laat = False
        overgang.gebeurtenis(migratie, Vlag.AANLEVERING_TE_LAAT, actor,
                             f"Nieuwe aanleverdatum {format_moment(deadline)}: 'aanlevering te laat' wordt tegen "
                             "die datum opnieuw beoordeeld.", moment=moment)
    aanlevering.plan_aanleverdeadline(gemeente, deadline)
    db.session.commit()
    return migratie


def sluit_oude_kanalen(actie: GeplandeActie) -> str:
    """The planner's step after the akkoord on the delivery: H&V-app, Excel and 60-record close."""
    gemeente = planner.gemeente_van(actie)
    migratie = dossier.migratie_van(gemeente)
    actor = Actor.job_named("planner")
    gesloten = kanalen.sluit_oude_kanalen(gemeente, actor, actie.due_op)
    if gesloten:
        overgang.gebeurtenis(migratie, "kanalen_gesloten", actor,
                             "Oude kanalen gesloten: " + ", ".join(kanalen.NAMEN[k] for k in gesloten) + ".",
                             moment=actie.due_op)
        return "gesloten: " + ", ".join(gesloten)
    return "al gesloten"

