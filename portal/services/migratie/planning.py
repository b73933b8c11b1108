"""Signing up for a timeslot, and the CAK planning or moving it until the B4 is published; planning a
timeslot schedules every step of its calendar, and the steps of the whole migration period."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from portal import kalender
from portal.extensions import db
from portal.kalender import format_datum, format_moment
from portal.models import Gemeente, Migratie
from portal.rollen import Levering
from portal.services import planner, toegang
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.migratie import dossier, overgang
from portal.services.migratie.acties import KALENDER_ACTIES, Actiesoort
from portal.services.migratie.dossier import MigratieFout
from portal.toestanden import Overgang, Toestand


def _weken(timeslots: tuple[date, ...]) -> str:
    return ", ".join(format_datum(t) for t in timeslots)


def _vereis_nog_open(timeslot: date, moment: datetime) -> None:
    """MigratieFout when the timeslot's B4 moment has passed: its calendar would fire backdated."""
    b4 = kalender.moment(timeslot, kalender.Stap.B4_PUBLICEREN)
    if kalender.to_utc(b4) > moment:
        return
    nog_open = dossier.open_timeslots(moment)
    keuze = (f"Kies een latere week: {_weken(nog_open)}." if nog_open else
             "Er is geen latere migratieweek meer; neem contact op met het CAK.")
    raise MigratieFout(f"De week van {format_datum(timeslot)} kan niet meer: de bestandsvergelijking voor die week "
                       f"had op {format_moment(b4)} geplaatst moeten worden en dat moment is voorbij. {keuze}")


def meld_aan(actor: Actor, gemeente: Gemeente, voorkeur: date, tweede_keus: date | None,
             toelichting: str | None) -> Migratie:
    """The gemeente signs up for its preferred timeslot, with a second choice."""
    toegang.vereis_levering(actor.user, Levering.AANMELDEN)
    migratie = dossier.migratie_van(gemeente, maak=True)
    if migratie.toestand != Toestand.NIET_GEPLAND:
        week = format_datum(migratie.timeslot) if migratie.timeslot else "?"
        raise MigratieFout(
            f"{gemeente.naam} is al ingepland in de week van {week}. "
            "Wilt u een andere week? Neem contact op met het CAK.")
    geldig = dossier.timeslots()
    for keuze in (voorkeur, tweede_keus):
        if keuze is not None and keuze not in geldig:
            raise MigratieFout(f"{format_datum(keuze)} is geen timeslot; kies een van: {_weken(geldig)}.")
        if keuze is not None:
            _vereis_nog_open(keuze, nu())
    if tweede_keus == voorkeur:
        raise MigratieFout("De tweede keus moet een andere week zijn dan de eerste keus.")
    migratie.voorkeur_timeslot = voorkeur
    migratie.tweede_keus_timeslot = tweede_keus
    migratie.aanmelding_toelichting = (toelichting or "").strip() or None
    migratie.aangemeld_op = nu()
    migratie.aangemeld_door = actor.naam
    tekst = f"Aangemeld voor de week van {format_datum(voorkeur)}"
    if tweede_keus:
        tekst += f" (tweede keus {format_datum(tweede_keus)})"
    overgang.gebeurtenis(migratie, "aanmelding", actor, tekst + ".")
    db.session.commit()
    return migratie


def plan_timeslot(actor: Actor, gemeente: Gemeente, timeslot: date, *, controle: bool = True) -> Migratie:
    """A CAK beheerder confirms or assigns a timeslot, or moves one until the B4 is published.

    `controle=False` is for the demo loader, which plans without a user."""
    if controle:
        overgang.vereis_rol(actor, Overgang.PLANNEN)
    try:
        kalender.check_timeslot(timeslot)
    except ValueError as fout:
        raise MigratieFout(str(fout)) from None
    if timeslot not in dossier.timeslots():
        raise MigratieFout(f"{format_datum(timeslot)} is geen timeslot van de migratie; kies een van: "
                           f"{_weken(dossier.timeslots())}.")
    migratie = dossier.migratie_van(gemeente, maak=True)
    vorige = migratie.timeslot
    if migratie.toestand == Toestand.GEPLAND and vorige == timeslot:
        return migratie
    if migratie.toestand not in (Toestand.NIET_GEPLAND, Toestand.GEPLAND):
        raise MigratieFout(
            f"De bestandsvergelijking van {gemeente.naam} is al geplaatst; de timeslot kan niet meer "
            "worden verplaatst.")
    _vereis_nog_open(timeslot, nu())
    if vorige is not None:
        planner.laat_vervallen(gemeente)
    migratie.timeslot = timeslot
    migratie.gepland_op = nu()
    migratie.gepland_door = actor.naam
    migratie.aanleverdeadline = kalender.to_utc(kalender.moment(timeslot, kalender.Stap.AANLEVERING_DEADLINE))
    for stap in kalender.kalender(timeslot):
        soort = KALENDER_ACTIES.get(stap.stap)
        if soort:
            planner.plan(gemeente, soort, stap.moment)
    plan_periode_acties()
    if vorige is None:
        tekst = f"Ingepland in de week van {format_datum(timeslot)}"
        if migratie.voorkeur_timeslot and migratie.voorkeur_timeslot != timeslot:
            tekst += f" (voorkeur was {format_datum(migratie.voorkeur_timeslot)})"
    else:
        tekst = f"Verplaatst van de week van {format_datum(vorige)} naar de week van {format_datum(timeslot)}"
    b4 = kalender.moment(timeslot, kalender.Stap.B4_PUBLICEREN)
    overgang.overgang(migratie, Overgang.PLANNEN, actor,
                      f"{tekst}. De bestandsvergelijking volgt op {format_moment(b4)}.")
    db.session.commit()
    return migratie


def plan_periode_acties() -> None:
    """The steps of the whole migration period: its end, and the first bimonthly comparison."""
    alle = dossier.timeslots()
    if not alle:
        return
    einde = kalender.einde_migratieperiode(alle)
    planner.plan(None, Actiesoort.EINDE_PERIODE, einde)
    eerste = kalender.bimaandelijkse_vergelijkingen(alle, einde.date() + timedelta(days=100))
    if eerste:
        planner.plan(None, Actiesoort.BIMAANDELIJKS, eerste[0])
