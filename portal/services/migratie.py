"""The migration of a delivering gemeente (proces.md sections 2 to 5): planning its timeslot, the
B4, the terugkoppeling, the akkoord to deliver, the delivery, the aanleverrapportage, the verdict
and closing the old channels. Only this module changes a migration's state; routes, jobs and
commands ask it to.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import func, select, update

from portal import kalender
from portal.aansluiting import Aansluiting, Uitkomst, bepaal_aansluiting, oordeel_tekst
from portal.extensions import db
from portal.models import (B4Regel, Belactie, BerichtPeriode, Bestand, BwClient, BwPeriode, Categorie,
                           Gebeurtenis, Gemeente, GeplandeActie, Migratie, OntvangstStatus, Terugkoppeling,
                           TerugkoppelingRegel, User, Wmo407Bericht)
from portal.services import audit, kanalen, mail, planner, storage, toegang
from portal.services.audit import Actor
from portal.services.klok import NL, nu
from portal.spreadsheets import bestandsnamen
from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking
from portal.spreadsheets.terugkoppeling import CODES as TERUGKOPPELING_CODES
from portal.spreadsheets.terugkoppeling import read_terugkoppeling


class Toestand(StrEnum):
    NIET_GEPLAND = "NIET_GEPLAND"
    GEPLAND = "GEPLAND"
    BV_GEPUBLICEERD = "BV_GEPUBLICEERD"
    TERUGGEKOPPELD = "TERUGGEKOPPELD"
    AKKOORD_AANLEVEREN = "AKKOORD_AANLEVEREN"
    AANGELEVERD = "AANGELEVERD"
    GERAPPORTEERD = "GERAPPORTEERD"
    NABELLEN = "NABELLEN"
    GEMIGREERD = "GEMIGREERD"


TOESTAND_TEKST: dict[str, str] = {
    Toestand.NIET_GEPLAND: "nog niet gepland",
    Toestand.GEPLAND: "gepland",
    Toestand.BV_GEPUBLICEERD: "bestandsvergelijking geplaatst",
    Toestand.TERUGGEKOPPELD: "terugkoppeling ontvangen",
    Toestand.AKKOORD_AANLEVEREN: "akkoord om aan te leveren",
    Toestand.AANGELEVERD: "aangeleverd",
    Toestand.GERAPPORTEERD: "aanleverrapportage geplaatst",
    Toestand.NABELLEN: "nabellen",
    Toestand.GEMIGREERD: "gemigreerd",
}
TOESTAND_VOLGORDE = list(Toestand)

VLAG_TERUGKOPPELING_TE_LAAT = "terugkoppeling_te_laat"
VLAG_AANLEVERING_TE_LAAT = "aanlevering_te_laat"
VLAG_TEKST = {VLAG_TERUGKOPPELING_TE_LAAT: "terugkoppeling te laat",
              VLAG_AANLEVERING_TE_LAAT: "aanlevering te laat"}

# The allowed transitions: per step, from which state to which.
OVERGANGEN: dict[str, dict[Toestand, Toestand]] = {
    "plannen": {Toestand.NIET_GEPLAND: Toestand.GEPLAND, Toestand.GEPLAND: Toestand.GEPLAND},
    "b4_publiceren": {Toestand.GEPLAND: Toestand.BV_GEPUBLICEERD},
    "terugkoppeling": {Toestand.BV_GEPUBLICEERD: Toestand.TERUGGEKOPPELD,
                       Toestand.TERUGGEKOPPELD: Toestand.TERUGGEKOPPELD},
    "akkoord_aanleveren": {Toestand.TERUGGEKOPPELD: Toestand.AKKOORD_AANLEVEREN},
    "aangeleverd": {Toestand.AKKOORD_AANLEVEREN: Toestand.AANGELEVERD},
    # A gemeente that delivered nothing is reported too, so that it reaches the call list.
    "rapporteren": {Toestand.AANGELEVERD: Toestand.GERAPPORTEERD,
                    Toestand.AKKOORD_AANLEVEREN: Toestand.GERAPPORTEERD},
    "nabellen": {Toestand.GERAPPORTEERD: Toestand.NABELLEN},
    "goedkeuren": {Toestand.GERAPPORTEERD: Toestand.GEMIGREERD, Toestand.NABELLEN: Toestand.GEMIGREERD},
    "belresultaat": {Toestand.NABELLEN: Toestand.AKKOORD_AANLEVEREN},
}
STAP_TEKST = {
    "plannen": "een timeslot plannen",
    "b4_publiceren": "de bestandsvergelijking plaatsen",
    "terugkoppeling": "een terugkoppeling aannemen",
    "akkoord_aanleveren": "akkoord geven om aan te leveren",
    "aangeleverd": "de aanlevering registreren",
    "rapporteren": "de aanleverrapportage maken",
    "nabellen": "op de bellijst zetten",
    "goedkeuren": "akkoord geven op de aanlevering",
    "belresultaat": "een belresultaat vastleggen",
}

# Kinds of scheduled action.
ACTIE_B4 = "B4_PUBLICEREN"
ACTIE_TERUGKOPPELING_TE_LAAT = "TERUGKOPPELING_TE_LAAT_CONTROLE"
ACTIE_AANLEVERING_TE_LAAT = "AANLEVERING_TE_LAAT_CONTROLE"
ACTIE_AANLEVERRAPPORTAGE = "AANLEVERRAPPORTAGE"
ACTIE_SLUIT_OUDE_KANALEN = "SLUIT_OUDE_KANALEN"
ACTIE_WEKELIJKS = "WEKELIJKSE_RAPPORTAGE"
ACTIE_EINDE_PERIODE = "EINDE_MIGRATIEPERIODE"
ACTIE_BIMAANDELIJKS = "BIMAANDELIJKSE_VERGELIJKING"
KALENDER_ACTIES = {
    kalender.Stap.B4_PUBLICEREN: ACTIE_B4,
    kalender.Stap.TERUGKOPPELING_TE_LAAT_CONTROLE: ACTIE_TERUGKOPPELING_TE_LAAT,
    kalender.Stap.AANLEVERING_DEADLINE: ACTIE_AANLEVERING_TE_LAAT,
    kalender.Stap.AANLEVERRAPPORTAGE: ACTIE_AANLEVERRAPPORTAGE,
    kalender.Stap.WEKELIJKSE_RAPPORTAGE: ACTIE_WEKELIJKS,
}
DEADLINE_TIJD = time(15, 0)
RAPPORTAGE_TIJD = time(10, 0)


class MigratieFout(ValueError):
    """A request the migration cannot carry out now; the message says why and what to do."""

    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


# ---------------------------------------------------------------- reading

def timeslots() -> tuple[date, ...]:
    return tuple(current_app.config["TIMESLOTS"])


def migratie_startdatum() -> date:
    return current_app.config["MIGRATIE_STARTDATUM"]


def leverende_gemeenten_query():
    return select(Gemeente).where(
        (Gemeente.soort == "centrumgemeente") | (Gemeente.levert_zelf_aan.is_(True)))


def migratie_van(gemeente: Gemeente, *, maak: bool = False) -> Migratie:
    """The gemeente's migration record. Before it signs up there is none: reading gets an unsaved
    NIET_GEPLAND record, and with `maak` (signing up, planning) it is stored."""
    if not gemeente.levert_aan:
        raise MigratieFout(
            f"{gemeente.naam} levert niet zelf aan; de migratie loopt via "
            f"{gemeente.centrumgemeente.naam if gemeente.centrumgemeente else 'de centrumgemeente'}.")
    migratie = db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))
    if migratie is None:
        migratie = Migratie(gemeente_id=gemeente.id, toestand=Toestand.NIET_GEPLAND,
                            terugkoppeling_te_laat=False, aanlevering_te_laat=False)
        if maak:
            db.session.add(migratie)
            db.session.flush()
    return migratie


def vlaggen(migratie: Migratie) -> list[str]:
    result = []
    if migratie.terugkoppeling_te_laat:
        result.append(VLAG_TERUGKOPPELING_TE_LAAT)
    if migratie.aanlevering_te_laat:
        result.append(VLAG_AANLEVERING_TE_LAAT)
    return result


def kalendermoment(migratie: Migratie, stap: kalender.Stap) -> datetime | None:
    if migratie.timeslot is None:
        return None
    return kalender.moment(migratie.timeslot, stap)


def volgende_deadline(migratie: Migratie) -> tuple[datetime, str] | None:
    """The next moment that matters for this gemeente, with what it is (local time)."""
    toestand = Toestand(migratie.toestand)
    if toestand == Toestand.GEPLAND:
        return kalendermoment(migratie, kalender.Stap.B4_PUBLICEREN), "bestandsvergelijking wordt geplaatst"
    if toestand == Toestand.BV_GEPUBLICEERD:
        return kalendermoment(migratie, kalender.Stap.TERUGKOPPELING_DEADLINE), "terugkoppeling uiterlijk"
    if toestand == Toestand.TERUGGEKOPPELD:
        return kalendermoment(migratie, kalender.Stap.AKKOORD_UITERLIJK), "akkoord CAK uiterlijk"
    if toestand == Toestand.AKKOORD_AANLEVEREN and migratie.aanleverdeadline:
        return migratie.aanleverdeadline.astimezone(NL), "aanlevering WMO407 uiterlijk"
    if toestand == Toestand.AANGELEVERD and migratie.aanleverdeadline:
        return _rapportagemoment(migratie.aanleverdeadline), "aanleverrapportage"
    return None


def actie_nodig(migratie: Migratie, moment: datetime | None = None) -> str | None:
    """What the CAK must do or chase now, in Dutch; None when nothing."""
    moment = moment or nu()
    toestand = Toestand(migratie.toestand)
    if toestand == Toestand.NIET_GEPLAND and migratie.aangemeld_op is not None:
        return "aanmelding bevestigen of een andere timeslot toewijzen"
    if toestand == Toestand.BV_GEPUBLICEERD and migratie.terugkoppeling_te_laat:
        return "terugkoppeling te laat: gemeente benaderen"
    if toestand == Toestand.TERUGGEKOPPELD:
        return "terugkoppeling beoordelen en akkoord geven om aan te leveren"
    if toestand == Toestand.AKKOORD_AANLEVEREN and migratie.aanleverdeadline and moment > migratie.aanleverdeadline:
        return "aanlevering te laat: gemeente benaderen"
    if toestand == Toestand.GERAPPORTEERD:
        return "aanlevering correct: akkoord geven"
    if toestand == Toestand.NABELLEN:
        return "gemeente nabellen over de verschillen"
    return None


def toestand_op(gemeente: Gemeente, moment: datetime) -> Toestand:
    """The state the gemeente was in at `moment`, read from its timeline (so a late job judges the
    moment of its calendar step, not the moment it happens to run)."""
    naar = db.session.scalar(select(Gebeurtenis.naar_toestand).where(
        Gebeurtenis.gemeente_id == gemeente.id, Gebeurtenis.naar_toestand.is_not(None), Gebeurtenis.op <= moment)
        .order_by(Gebeurtenis.op.desc(), Gebeurtenis.id.desc()).limit(1))
    return Toestand(naar) if naar else Toestand.NIET_GEPLAND


def gebeurtenissen(gemeente: Gemeente) -> list[Gebeurtenis]:
    return list(db.session.scalars(select(Gebeurtenis).where(Gebeurtenis.gemeente_id == gemeente.id)
                                   .order_by(Gebeurtenis.op, Gebeurtenis.id)))


def actuele_terugkoppeling(gemeente: Gemeente) -> Terugkoppeling | None:
    return db.session.scalar(select(Terugkoppeling).where(
        Terugkoppeling.gemeente_id == gemeente.id, Terugkoppeling.actueel.is_(True)))


def laatste_b4(gemeente: Gemeente) -> Bestand | None:
    return db.session.scalar(select(Bestand).where(
        Bestand.gemeente_id == gemeente.id, Bestand.categorie == Categorie.BESTANDSVERGELIJKING,
        Bestand.sleutel.like("B4:%")).order_by(Bestand.gepubliceerd_op.desc(), Bestand.id.desc()))


def open_belactie(gemeente: Gemeente) -> Belactie | None:
    return db.session.scalar(select(Belactie).where(
        Belactie.gemeente_id == gemeente.id, Belactie.afgehandeld_op.is_(None)).order_by(Belactie.id.desc()))


# ---------------------------------------------------------------- transitions

def _vereis_overgang(migratie: Migratie, stap: str) -> Toestand:
    """The state after `stap`, or MigratieFout when the step does not fit the current state."""
    van = Toestand(migratie.toestand)
    naar = OVERGANGEN[stap].get(van)
    if naar is None:
        raise MigratieFout(
            f"Dit kan nu niet: {STAP_TEKST[stap]} kan niet in de toestand '{TOESTAND_TEKST[van]}' "
            f"({van.value}). Er is niets gewijzigd. {_wat_nu(van)}")
    return naar


def _overgang(migratie: Migratie, stap: str, actor: Actor, omschrijving: str,
              moment: datetime | None = None) -> None:
    van = Toestand(migratie.toestand)
    naar = _vereis_overgang(migratie, stap)
    migratie.toestand = naar
    _gebeurtenis(migratie, stap, actor, omschrijving, van=van, naar=naar, moment=moment)


def _wat_nu(toestand: Toestand) -> str:
    return {
        Toestand.NIET_GEPLAND: "Eerst moet het CAK een timeslot plannen.",
        Toestand.GEPLAND: "Wacht tot de bestandsvergelijking is geplaatst.",
        Toestand.BV_GEPUBLICEERD: "De gemeente moet eerst een geldige terugkoppeling uploaden.",
        Toestand.TERUGGEKOPPELD: "Het CAK moet eerst akkoord geven om aan te leveren.",
        Toestand.AKKOORD_AANLEVEREN: "De gemeente kan nu WMO407-berichten sturen.",
        Toestand.AANGELEVERD: "Wacht op de aanleverrapportage van woensdag.",
        Toestand.GERAPPORTEERD: "Het CAK kan nu akkoord geven op de aanlevering.",
        Toestand.NABELLEN: "Het CAK moet eerst de gemeente bellen en het resultaat vastleggen.",
        Toestand.GEMIGREERD: "De migratie van deze gemeente is afgerond.",
    }[toestand]


def _gebeurtenis(migratie: Migratie, soort: str, actor: Actor, omschrijving: str, *,
                 van: Toestand | None = None, naar: Toestand | None = None,
                 moment: datetime | None = None) -> None:
    db.session.add(Gebeurtenis(gemeente_id=migratie.gemeente_id, op=moment or nu(), soort=soort,
                               van_toestand=van.value if van else None,
                               naar_toestand=naar.value if naar else None,
                               door=actor.naam, omschrijving=omschrijving))
    audit.registreer(actor, f"migratie_{soort}", object_type="migratie", object_id=migratie.id,
                     gemeente_id=migratie.gemeente_id,
                     details={"van": van.value if van else None, "naar": naar.value if naar else None,
                              "omschrijving": omschrijving})


def _vereis_cak(actor: Actor, beheerder: bool = False) -> None:
    if actor.user is None or not actor.user.is_cak or (beheerder and not actor.user.is_cak_beheerder):
        wie = "een beheerder van het CAK" if beheerder else "een medewerker van het CAK"
        raise MigratieFout(f"Alleen {wie} kan dit doen.")


def _lokaal(moment: datetime) -> str:
    return moment.astimezone(NL).strftime("%d-%m-%Y %H:%M")


def _contacten(gemeente: Gemeente) -> list[str]:
    adressen = [gemeente.contact_email] if gemeente.contact_email else []
    adressen += [u.email for u in gemeente.gebruikers if u.active and u.role in ("gemeente", "gemeente_beheerder")]
    return adressen


def _brief(gemeente: Gemeente, kern: str, aanhef: str | None = None) -> str:
    """A mail to the gemeente: salutation (its contact person unless told), the message, the CAK's greeting."""
    return (f"Beste {aanhef or gemeente.contact_naam or 'collega'},\n\n{kern}\n\n"
            "Met vriendelijke groet,\nCAK, team migratie Beschermd Wonen")


def _cak_adres() -> list[str]:
    return [current_app.config["CAK_MAILADRES"]]


# ---------------------------------------------------------------- planning

def meld_aan(actor: Actor, gemeente: Gemeente, voorkeur: date, tweede_keus: date | None,
             toelichting: str | None) -> Migratie:
    """The gemeente signs up for its preferred timeslot, with a second choice."""
    migratie = migratie_van(gemeente, maak=True)
    if migratie.toestand != Toestand.NIET_GEPLAND:
        raise MigratieFout(
            f"{gemeente.naam} is al ingepland in de week van {migratie.timeslot:%d-%m-%Y}. "
            "Wilt u een andere week? Neem contact op met het CAK.")
    geldig = timeslots()
    for keuze in (voorkeur, tweede_keus):
        if keuze is not None and keuze not in geldig:
            raise MigratieFout(f"{keuze:%d-%m-%Y} is geen timeslot; kies een van: "
                               + ", ".join(f"{t:%d-%m-%Y}" for t in geldig) + ".")
    if tweede_keus == voorkeur:
        raise MigratieFout("De tweede keus moet een andere week zijn dan de eerste keus.")
    migratie.voorkeur_timeslot = voorkeur
    migratie.tweede_keus_timeslot = tweede_keus
    migratie.aanmelding_toelichting = (toelichting or "").strip() or None
    migratie.aangemeld_op = nu()
    migratie.aangemeld_door = actor.naam
    tekst = f"Aangemeld voor de week van {voorkeur:%d-%m-%Y}"
    if tweede_keus:
        tekst += f" (tweede keus {tweede_keus:%d-%m-%Y})"
    _gebeurtenis(migratie, "aanmelding", actor, tekst + ".")
    db.session.commit()
    return migratie


def plan_timeslot(actor: Actor, gemeente: Gemeente, timeslot: date, *, controle: bool = True) -> Migratie:
    """A CAK beheerder confirms or assigns a timeslot, or moves one until the B4 is published."""
    if controle:
        _vereis_cak(actor, beheerder=True)
    try:
        kalender.check_timeslot(timeslot)
    except ValueError as fout:
        raise MigratieFout(str(fout)) from None
    if timeslot not in timeslots():
        raise MigratieFout(f"{timeslot:%d-%m-%Y} is geen timeslot van de migratie; kies een van: "
                           + ", ".join(f"{t:%d-%m-%Y}" for t in timeslots()) + ".")
    migratie = migratie_van(gemeente, maak=True)
    vorige = migratie.timeslot
    if migratie.toestand == Toestand.GEPLAND and vorige == timeslot:
        return migratie
    if migratie.toestand not in (Toestand.NIET_GEPLAND, Toestand.GEPLAND):
        raise MigratieFout(
            f"De bestandsvergelijking van {gemeente.naam} is al geplaatst; de timeslot kan niet meer "
            "worden verplaatst.")
    if vorige is not None:
        planner.laat_vervallen(gemeente)
    migratie.timeslot = timeslot
    migratie.gepland_op = nu()
    migratie.gepland_door = actor.naam
    migratie.aanleverdeadline = kalender.to_utc(kalender.moment(timeslot, kalender.Stap.AANLEVERING_DEADLINE))
    for stap in kalender.kalender(timeslot):
        soort = KALENDER_ACTIES.get(stap.stap)
        if soort:
            planner.plan(gemeente, soort, kalender.to_utc(stap.moment))
    plan_periode_acties()
    if vorige is None:
        tekst = f"Ingepland in de week van {timeslot:%d-%m-%Y}"
        if migratie.voorkeur_timeslot and migratie.voorkeur_timeslot != timeslot:
            tekst += f" (voorkeur was {migratie.voorkeur_timeslot:%d-%m-%Y})"
    else:
        tekst = f"Verplaatst van de week van {vorige:%d-%m-%Y} naar de week van {timeslot:%d-%m-%Y}"
    b4 = kalender.moment(timeslot, kalender.Stap.B4_PUBLICEREN)
    _overgang(migratie, "plannen", actor, f"{tekst}. De bestandsvergelijking volgt op {_lokaal(b4)}.")
    db.session.commit()
    return migratie


# ---------------------------------------------------------------- B4

def _b4_rijen(gemeente: Gemeente) -> list[B4Rij]:
    ids = [gemeente.id] + [g.id for g in gemeente.regiogemeenten if not g.levert_aan]
    clients = db.session.scalars(
        select(BwClient).join(Gemeente, BwClient.gemeente_id == Gemeente.id)
        .where(BwClient.gemeente_id.in_(ids))
        .where((BwClient.datum_einde_bw.is_(None)) | (BwClient.datum_einde_bw >= migratie_startdatum()))
        .order_by(Gemeente.code, BwClient.geslachtsnaam, BwClient.bsn)).all()
    return [B4Rij(gemeentecode=c.gemeente.code, bsn=c.bsn, geslachtsnaam=c.geslachtsnaam,
                  voorvoegsel=c.voorvoegsel, voorletters=c.voorletters, geboortedatum=c.geboortedatum,
                  datum_start_bw=c.datum_start_bw, datum_einde_bw=c.datum_einde_bw, bron=c.bron,
                  aanbieder_agb=c.aanbieder_agb, soort_bijdrage=c.soort_bijdrage) for c in clients]


@planner.handler(ACTIE_B4, "bestandsvergelijking (B4) plaatsen")
def publiceer_b4(actie: GeplandeActie) -> str:
    gemeente = actie.gemeente
    migratie = migratie_van(gemeente)
    actor = Actor.job_named("planner")
    moment = actie.due_op
    dag = moment.astimezone(NL).date()
    sleutel = f"B4:{dag.isoformat()}"
    bestaand = db.session.scalar(select(Bestand).where(Bestand.gemeente_id == gemeente.id,
                                                       Bestand.sleutel == sleutel))
    if bestaand is None:
        rijen = _b4_rijen(gemeente)
        inhoud = write_bestandsvergelijking(rijen, created_at=moment)
        bestaand = storage.plaats_bestand(gemeente, storage.NieuwBestand(
            categorie=Categorie.BESTANDSVERGELIJKING,
            naam=bestandsnamen.b4_bestandsvergelijking(gemeente.bestandsprefix, dag),
            inhoud=inhoud, mediatype=storage.XLSX, gepubliceerd_op=moment, sleutel=sleutel), actor)
        db.session.add_all(B4Regel(bestand_id=bestaand.id, gemeente_id=gemeente.id, rij=nummer,
                                   gemeentecode=r.gemeentecode, bsn=r.bsn, geslachtsnaam=r.geslachtsnaam,
                                   voorvoegsel=r.voorvoegsel, voorletters=r.voorletters,
                                   geboortedatum=r.geboortedatum, datum_start_bw=r.datum_start_bw,
                                   datum_einde_bw=r.datum_einde_bw, bron=r.bron,
                                   aanbieder_agb=r.aanbieder_agb, soort_bijdrage=r.soort_bijdrage)
                           for nummer, r in enumerate(rijen, start=2))
    aantal = db.session.scalar(select(func.count()).select_from(B4Regel).where(B4Regel.bestand_id == bestaand.id))
    deadline = kalender.moment(migratie.timeslot, kalender.Stap.TERUGKOPPELING_DEADLINE)
    mail.zet_klaar(
        soort="Bestandsvergelijking geplaatst", gemeente=gemeente, aan=_contacten(gemeente),
        sleutel=f"mail:{sleutel}:{gemeente.code}",
        onderwerp=f"Bestandsvergelijking geplaatst voor {gemeente.naam} ({gemeente.code})",
        tekst=_brief(gemeente, (
               f"In de map van {gemeente.naam} in het BW-portaal staat de bestandsvergelijking "
               f"{bestaand.naam} met {aantal} cliënten Beschermd Wonen die het CAK voor uw gemeente kent.\n\n"
               f"Vul in kolom L per cliënt de terugkoppeling in (J als de cliënt via iEb 2.0 wordt aangemeld) "
               f"en upload het bestand uiterlijk {_lokaal(deadline)} in het portaal.")))
    if migratie.toestand == Toestand.GEPLAND:
        _overgang(migratie, "b4_publiceren", actor,
                  f"Bestandsvergelijking {bestaand.naam} geplaatst met {aantal} cliënten.", moment=moment)
    return f"{bestaand.naam} ({aantal} cliënten)"


# ---------------------------------------------------------------- terugkoppeling

@dataclass
class TerugkoppelingUitkomst:
    ontvangst_id: int
    geldig: bool
    melding: str
    problemen: list[dict] = field(default_factory=list)
    aantallen: dict[str, int] = field(default_factory=dict)
    te_laat: bool = False
    sha256: str = ""
    grootte: int = 0
    ontvangen_op: datetime | None = None
    bestandsnaam: str = ""
    uploader: str = ""


def ontvang_terugkoppeling(actor: Actor, code: str, bestandsnaam: str, inhoud: bytes,
                           kanaal: str = "web") -> TerugkoppelingUitkomst:
    """Store the uploaded terugkoppeling first, then check it; a valid one replaces the previous."""
    gemeente = toegang.gemeente_voor(actor.user, code)
    ontvangst = storage.bewaar_ontvangst(inhoud=inhoud, bestandsnaam=bestandsnaam, soort="terugkoppeling",
                                         kanaal=kanaal, actor=actor, gemeente=gemeente)
    uitkomst = TerugkoppelingUitkomst(ontvangst.id, False, "", sha256=ontvangst.sha256,
                                      grootte=ontvangst.grootte, ontvangen_op=ontvangst.ontvangen_op,
                                      bestandsnaam=ontvangst.bestandsnaam, uploader=actor.naam)
    migratie = migratie_van(gemeente)
    if migratie.toestand not in (Toestand.BV_GEPUBLICEERD, Toestand.TERUGGEKOPPELD):
        if migratie.toestand in (Toestand.NIET_GEPLAND, Toestand.GEPLAND):
            reden = ("Er is nog geen bestandsvergelijking geplaatst voor deze gemeente, dus er is nog niets "
                     "om terug te koppelen. Wacht op de e-mail 'Bestandsvergelijking geplaatst'.")
        else:
            reden = ("Het CAK heeft de terugkoppeling al goedgekeurd; een nieuwe terugkoppeling kan niet meer. "
                     "Neem contact op met het CAK als er iets moet veranderen.")
        storage.markeer(ontvangst, OntvangstStatus.GEWEIGERD, reden)
        db.session.commit()
        uitkomst.melding = reden
        return uitkomst

    b4 = laatste_b4(gemeente)
    b4_regels = db.session.scalars(select(B4Regel).where(B4Regel.bestand_id == b4.id).order_by(B4Regel.rij)).all()
    b4_rijen = [B4Rij(gemeentecode=r.gemeentecode, bsn=r.bsn, geslachtsnaam=r.geslachtsnaam,
                      voorvoegsel=r.voorvoegsel, voorletters=r.voorletters, geboortedatum=r.geboortedatum,
                      datum_start_bw=r.datum_start_bw, datum_einde_bw=r.datum_einde_bw, bron=r.bron,
                      aanbieder_agb=r.aanbieder_agb, soort_bijdrage=r.soort_bijdrage) for r in b4_regels]
    gemeentecodes = {gemeente.code} | {g.code for g in gemeente.regiogemeenten if not g.levert_aan}
    resultaat = read_terugkoppeling(inhoud, gemeentecodes=gemeentecodes, b4_rows=b4_rijen)
    moment = ontvangst.ontvangen_op
    deadline = kalender.to_utc(kalender.moment(migratie.timeslot, kalender.Stap.TERUGKOPPELING_DEADLINE))
    te_laat = moment > deadline
    terugkoppeling = Terugkoppeling(gemeente_id=gemeente.id, ontvangst_id=ontvangst.id, b4_bestand_id=b4.id,
                                    ontvangen_op=moment, geldig=resultaat.geldig, actueel=False, te_laat=te_laat)
    if not resultaat.geldig:
        problemen = [{"rij": p.rij, "kolom": p.kolom, "kolomnaam": p.kolomnaam, "melding": p.melding}
                     for p in resultaat.problemen]
        terugkoppeling.problemen = problemen
        db.session.add(terugkoppeling)
        aantal = len(problemen)
        uitkomst.melding = (f"De terugkoppeling is niet aangenomen: {aantal} "
                            f"{'probleem' if aantal == 1 else 'problemen'} gevonden. Er is niets gewijzigd. "
                            "Herstel de punten hieronder in het bestand en upload het opnieuw.")
        uitkomst.problemen = problemen
        storage.markeer(ontvangst, OntvangstStatus.AFGEKEURD, uitkomst.melding, {"problemen": problemen})
        db.session.commit()
        return uitkomst

    db.session.execute(update(Terugkoppeling).where(Terugkoppeling.gemeente_id == gemeente.id)
                       .values(actueel=False))
    terugkoppeling.actueel = True
    terugkoppeling.tellingen = dict(resultaat.aantallen_per_code)
    terugkoppeling.regels = [
        TerugkoppelingRegel(rij=r.rij, bsn=r.bsn, code=r.code, einddatum_gemeente=r.einddatum_gemeente,
                            toelichting=r.toelichting, toegevoegd=r.toegevoegd,
                            gemeentecode=r.client.gemeentecode if r.client else None,
                            geslachtsnaam=r.client.geslachtsnaam if r.client else None,
                            voorvoegsel=r.client.voorvoegsel if r.client else None,
                            voorletters=r.client.voorletters if r.client else None,
                            geboortedatum=r.client.geboortedatum if r.client else None)
        for r in resultaat.rijen]
    db.session.add(terugkoppeling)
    if te_laat and not migratie.terugkoppeling_te_laat:
        migratie.terugkoppeling_te_laat = True
    tellingen = ", ".join(f"{c}: {n}" for c, n in resultaat.aantallen_per_code.items())
    omschrijving = (f"Geldige terugkoppeling ontvangen ({tellingen}; {resultaat.aantal_toegevoegd} toegevoegd)"
                    + (", na de deadline" if te_laat else "") + ".")
    _overgang(migratie, "terugkoppeling", actor, omschrijving, moment=moment)
    uitkomst.geldig = True
    uitkomst.te_laat = te_laat
    uitkomst.aantallen = dict(resultaat.aantallen_per_code)
    uitkomst.melding = ("De terugkoppeling is aangenomen" + (" (na de deadline, en als te laat gemarkeerd)" if te_laat else "")
                        + ". Het CAK beoordeelt haar en geeft daarna akkoord om aan te leveren.")
    storage.markeer(ontvangst, OntvangstStatus.VERWERKT, uitkomst.melding, {"aantallen": uitkomst.aantallen})
    regels = "\n".join(f"  {c}: {n}" for c, n in resultaat.aantallen_per_code.items())
    mail.zet_klaar(
        soort="Terugkoppeling ontvangen", gemeente=gemeente, aan=[actor.user.email],
        onderwerp=f"Terugkoppeling ontvangen voor {gemeente.naam} ({gemeente.code})",
        tekst=_brief(gemeente, aanhef=actor.user.naam, kern=(
               f"Uw terugkoppeling op de bestandsvergelijking van {gemeente.naam} is ontvangen en goedgekeurd "
               f"door de controle van het portaal.\n\nBestand: {ontvangst.bestandsnaam}\n"
               f"Ontvangen: {_lokaal(moment)}\nSHA-256: {ontvangst.sha256}\nGrootte: {ontvangst.grootte} bytes\n\n"
               f"Aantallen per code:\n{regels}\n  waarvan toegevoegd: {resultaat.aantal_toegevoegd}\n\n"
               "Volgende stap: het CAK geeft akkoord om aan te leveren, uiterlijk "
               f"{_lokaal(kalender.moment(migratie.timeslot, kalender.Stap.AKKOORD_UITERLIJK))}.")))
    db.session.commit()
    return uitkomst


@planner.handler(ACTIE_TERUGKOPPELING_TE_LAAT, "controle: terugkoppeling op tijd")
def controleer_terugkoppeling(actie: GeplandeActie) -> str:
    gemeente = actie.gemeente
    migratie = migratie_van(gemeente)
    if toestand_op(gemeente, actie.due_op) not in (Toestand.GEPLAND, Toestand.BV_GEPUBLICEERD):
        return "op tijd"
    migratie.terugkoppeling_te_laat = True
    _gebeurtenis(migratie, "terugkoppeling_te_laat", Actor.job_named("planner"),
                 f"Om {_lokaal(actie.due_op)} was er geen geldige terugkoppeling: gemarkeerd als te laat.",
                 moment=actie.due_op)
    mail.zet_klaar(
        soort="Terugkoppeling te laat", gemeente=gemeente, aan=_cak_adres(),
        sleutel=f"mail:terugkoppeling-te-laat:{gemeente.code}:{actie.due_op.isoformat()}",
        onderwerp=f"Terugkoppeling te laat: {gemeente.naam} ({gemeente.code})",
        tekst=(f"{gemeente.naam} ({gemeente.code}, timeslot {migratie.timeslot:%d-%m-%Y}) heeft op "
               f"{_lokaal(actie.due_op)} nog geen geldige terugkoppeling op de bestandsvergelijking geüpload.\n\n"
               f"Contactpersoon: {gemeente.contact_naam or '-'}, {gemeente.contact_telefoon or '-'}, "
               f"{gemeente.contact_email or '-'}.\n"
               "Een late terugkoppeling wordt nog aangenomen en blijft als te laat gemarkeerd. "
               "Het akkoord om aan te leveren is uiterlijk "
               f"{_lokaal(kalender.moment(migratie.timeslot, kalender.Stap.AKKOORD_UITERLIJK))}."))
    return "te laat"


# ---------------------------------------------------------------- akkoord om aan te leveren

def _rapportagemoment(deadline: datetime) -> datetime:
    dag = deadline.astimezone(NL).date() + timedelta(days=1)
    return datetime.combine(dag, RAPPORTAGE_TIJD, tzinfo=NL)


def geef_akkoord_aanleveren(actor: Actor, gemeente: Gemeente, aanleverdatum: date | None = None) -> Migratie:
    """CAK approves the terugkoppeling: record the expected count, open iEb, tell the gemeente."""
    _vereis_cak(actor)
    migratie = migratie_van(gemeente)
    _vereis_overgang(migratie, "akkoord_aanleveren")
    terugkoppeling = actuele_terugkoppeling(gemeente)
    if terugkoppeling is None:
        raise MigratieFout("Er is geen geldige terugkoppeling om goed te keuren.")
    moment = nu()
    kalenderdeadline = kalender.to_utc(kalender.moment(migratie.timeslot, kalender.Stap.AANLEVERING_DEADLINE)) \
        if migratie.timeslot else None
    if aanleverdatum is not None:
        deadline = kalender.to_utc(datetime.combine(aanleverdatum, DEADLINE_TIJD, tzinfo=NL))
        if deadline <= moment:
            raise MigratieFout(f"De aanleverdatum {aanleverdatum:%d-%m-%Y} ligt in het verleden; kies een latere datum.")
    elif kalenderdeadline is not None and kalenderdeadline > moment:
        deadline = kalenderdeadline
    else:
        raise MigratieFout("De aanleverdeadline van de timeslot is al voorbij: kies een nieuwe aanleverdatum.")
    _overgang(migratie, "akkoord_aanleveren", actor, "", moment=moment)
    verwacht = sum(1 for r in terugkoppeling.regels if r.code == "J")
    migratie.verwacht_aantal = verwacht
    migratie.akkoord_terugkoppeling_id = terugkoppeling.id
    migratie.akkoord_aanleveren_op = moment
    migratie.akkoord_aanleveren_door = actor.naam
    migratie.aanleverdeadline = deadline
    if deadline != kalenderdeadline:
        planner.plan(gemeente, ACTIE_AANLEVERING_TE_LAAT, deadline)
        planner.plan(gemeente, ACTIE_AANLEVERRAPPORTAGE, _rapportagemoment(deadline))
    laatste = db.session.scalars(select(Gebeurtenis).where(Gebeurtenis.gemeente_id == gemeente.id)
                                 .order_by(Gebeurtenis.id.desc())).first()
    laatste.omschrijving = (f"Akkoord om aan te leveren: {verwacht} cliënten verwacht (code J), "
                            f"aanleveren uiterlijk {_lokaal(deadline)}. Kanaal iEb geopend.")
    kanalen.zet(gemeente, kanalen.IEB, True, actor, moment)
    bewaar_aansluiting(migratie, bereken_aansluiting(gemeente))
    mail.zet_klaar(
        soort="Akkoord om aan te leveren", gemeente=gemeente, aan=_contacten(gemeente),
        onderwerp=f"Akkoord om aan te leveren voor {gemeente.naam} ({gemeente.code})",
        tekst=_brief(gemeente, (
               f"Het CAK heeft de terugkoppeling van {gemeente.naam} goedgekeurd. U kunt nu de WMO407-berichten "
               f"sturen voor de {verwacht} cliënten met code J, met BwStartdatum "
               f"{migratie_startdatum():%d-%m-%Y}.\n\nAanleveren uiterlijk {_lokaal(deadline)}. Elk bericht krijgt "
               "direct een WMO408-retourbericht in de map Retourberichten.")))
    db.session.commit()
    return migratie


@planner.handler(ACTIE_AANLEVERING_TE_LAAT, "controle: aanlevering op tijd")
def controleer_aanlevering(actie: GeplandeActie) -> str:
    gemeente = actie.gemeente
    migratie = migratie_van(gemeente)
    if migratie.aanleverdeadline and migratie.aanleverdeadline > actie.due_op:
        return "aanleverdatum verschoven"
    if toestand_op(gemeente, actie.due_op) not in (Toestand.GEPLAND, Toestand.BV_GEPUBLICEERD,
                                                   Toestand.TERUGGEKOPPELD, Toestand.AKKOORD_AANLEVEREN):
        return "op tijd"
    migratie.aanlevering_te_laat = True
    al_gemeld = db.session.scalar(select(func.count()).select_from(Gebeurtenis).where(
        Gebeurtenis.gemeente_id == gemeente.id, Gebeurtenis.soort == "aanlevering_te_laat",
        Gebeurtenis.op >= actie.due_op))
    if not al_gemeld:  # a message that arrived late since the deadline already said so
        _gebeurtenis(migratie, "aanlevering_te_laat", Actor.job_named("planner"),
                     f"Om {_lokaal(actie.due_op)} was er geen goedgekeurd WMO407-bericht: gemarkeerd als te laat.",
                     moment=actie.due_op)
    return "te laat"


# ---------------------------------------------------------------- delivery

def mag_aanleveren(gemeente: Gemeente) -> str | None:
    """Why a WMO407 from this gemeente is refused at level 0, or None when it may deliver."""
    if not gemeente.levert_aan:
        return (f"{gemeente.naam} levert niet zelf aan; berichten voor deze gemeente stuurt "
                f"{gemeente.centrumgemeente.naam if gemeente.centrumgemeente else 'de centrumgemeente'}.")
    if kanalen.is_open(gemeente, kanalen.IEB):
        return None
    return ("Er is nog geen akkoord om aan te leveren voor "
            f"{gemeente.naam}. Het CAK geeft dit akkoord nadat de terugkoppeling op de bestandsvergelijking "
            "is beoordeeld; stuur uw WMO407-berichten daarna.")


def is_te_laat(gemeente: Gemeente, moment: datetime) -> bool:
    migratie = db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))
    return bool(migratie and migratie.aanleverdeadline and moment > migratie.aanleverdeadline
                and migratie.toestand != Toestand.GEMIGREERD)


def na_wmo407(actor: Actor, bericht: Wmo407Bericht) -> None:
    """After a WMO407 was judged: flag lateness, move to AANGELEVERD, recompute the aansluiting."""
    gemeente = bericht.gemeente
    migratie = db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))
    if migratie is None:
        return
    if bericht.te_laat and not migratie.aanlevering_te_laat:
        migratie.aanlevering_te_laat = True
        _gebeurtenis(migratie, "aanlevering_te_laat", actor,
                     f"WMO407 {bericht.identificatie} ontvangen na de aanleverdeadline: gemarkeerd als te laat.",
                     moment=bericht.ontvangen_op)
    if bericht.geaccepteerd and migratie.toestand == Toestand.AKKOORD_AANLEVEREN:
        _overgang(migratie, "aangeleverd", actor,
                  f"Eerste goedgekeurde WMO407 ontvangen: {bericht.identificatie} met "
                  f"{bericht.aantal_clienten} cliënten.", moment=bericht.ontvangen_op)
    if migratie.toestand != Toestand.NIET_GEPLAND:
        bewaar_aansluiting(migratie, bereken_aansluiting(gemeente))


# ---------------------------------------------------------------- reconciliation

def verwachte_codes(gemeente: Gemeente) -> dict[str, str]:
    """BSN -> code of the approved terugkoppeling (or the current one before the akkoord)."""
    migratie = migratie_van(gemeente)
    terugkoppeling_id = migratie.akkoord_terugkoppeling_id
    if terugkoppeling_id is None:
        actueel = actuele_terugkoppeling(gemeente)
        terugkoppeling_id = actueel.id if actueel else None
    if terugkoppeling_id is None:
        return {}
    return {bsn: code for bsn, code in db.session.execute(
        select(TerugkoppelingRegel.bsn, TerugkoppelingRegel.code).where(
            TerugkoppelingRegel.terugkoppeling_id == terugkoppeling_id))}


@dataclass(frozen=True)
class Registratie:
    bsn: str
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None


def registraties(gemeente: Gemeente, tot: datetime | None = None) -> list[Registratie]:
    """The current (not removed) periods of the gemeente; with `tot`, as they stood at that moment,
    rebuilt from the accepted messages received until then."""
    if tot is None:
        return [Registratie(*rij) for rij in db.session.execute(
            select(BwPeriode.bsn, BwPeriode.bw_startnummer, BwPeriode.bw_startdatum, BwPeriode.bw_einddatum)
            .where(BwPeriode.gemeente_id == gemeente.id, BwPeriode.verwijderd.is_(False))
            .order_by(BwPeriode.bsn, BwPeriode.bw_startnummer))]
    stand: dict[int, Registratie | None] = {}
    for bsn, nummer, start, einde, status_ in db.session.execute(
            select(BerichtPeriode.bsn, BerichtPeriode.bw_startnummer, BerichtPeriode.bw_startdatum,
                   BerichtPeriode.bw_einddatum, BerichtPeriode.status_aanlevering)
            .join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
            .where(Wmo407Bericht.gemeente_id == gemeente.id, Wmo407Bericht.geaccepteerd.is_(True),
                   Wmo407Bericht.ontvangen_op <= tot)
            .order_by(Wmo407Bericht.ontvangen_op, Wmo407Bericht.id, BerichtPeriode.id)):
        stand[nummer] = None if status_ == 3 else Registratie(bsn, nummer, start, einde)
    return sorted((r for r in stand.values() if r is not None), key=lambda r: (r.bsn, r.bw_startnummer))


def bereken_aansluiting(gemeente: Gemeente, tot: datetime | None = None) -> Aansluiting:
    """The reconciliation now, or as it stood at `tot`."""
    ontvangen: dict[str, list[date]] = {}
    for registratie in registraties(gemeente, tot):
        ontvangen.setdefault(registratie.bsn, []).append(registratie.bw_startdatum)
    query = (select(BerichtPeriode.bsn).join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
             .where(Wmo407Bericht.gemeente_id == gemeente.id, Wmo407Bericht.geaccepteerd.is_(False)))
    if tot is not None:
        query = query.where(Wmo407Bericht.ontvangen_op <= tot)
    afgekeurd = set(db.session.scalars(query))
    return bepaal_aansluiting(verwachte_codes(gemeente), ontvangen, afgekeurd, migratie_startdatum())


def bewaar_aansluiting(migratie: Migratie, aansluiting: Aansluiting) -> None:
    migratie.aansluiting = {
        "correct": aansluiting.correct,
        "aantallen": {u.value: n for u, n in aansluiting.aantallen.items()},
        "verwacht": aansluiting.aantal_verwacht,
        "ontvangen": aansluiting.aantal_ontvangen,
        "verschillen": [{"bsn": r.bsn, "terugkoppeling": r.terugkoppeling, "uitkomst": r.uitkomst.value,
                         "bw_startdatum": r.bw_startdatum.isoformat() if r.bw_startdatum else None}
                        for r in aansluiting.verschillen()][:500],
        "oordeel": oordeel_tekst(aansluiting),
    }
    migratie.aansluiting_correct = aansluiting.correct


# ---------------------------------------------------------------- aanleverrapportage and verdict

@planner.handler(ACTIE_AANLEVERRAPPORTAGE, "aanleverrapportage plaatsen en aansluiting bepalen")
def maak_aanleverrapportage(actie: GeplandeActie) -> str:
    from portal.services import reports

    gemeente = actie.gemeente
    migratie = migratie_van(gemeente)
    actor = Actor.job_named("planner")
    moment = actie.due_op
    if migratie.aanleverdeadline and _rapportagemoment(migratie.aanleverdeadline) > moment:
        return "overgeslagen: er geldt een latere aanleverdatum"
    if migratie.toestand not in (Toestand.AKKOORD_AANLEVEREN, Toestand.AANGELEVERD):
        if migratie.toestand in (Toestand.BV_GEPUBLICEERD, Toestand.TERUGGEKOPPELD, Toestand.GEPLAND):
            _gebeurtenis(migratie, "aanleverrapportage_overgeslagen", actor,
                         "Geen aanleverrapportage: er is nog geen akkoord om aan te leveren.", moment=moment)
        return "overgeslagen"
    # The report and its verdict are as of the calendar moment, also when the job runs late.
    aansluiting = bereken_aansluiting(gemeente, tot=moment)
    bestand = reports.plaats_aanleverrapportage(gemeente, moment, aansluiting, actor)
    mail.zet_klaar(
        soort="Aanleverrapportage geplaatst", gemeente=gemeente, aan=_contacten(gemeente),
        sleutel=f"mail:aanleverrapportage:{gemeente.code}:{moment.isoformat()}",
        onderwerp=f"Aanleverrapportage geplaatst voor {gemeente.naam} ({gemeente.code})",
        tekst=_brief(gemeente, (
               f"In de map van {gemeente.naam} staat de aanleverrapportage {bestand.naam}: alle ontvangen "
               "WMO407-berichten met hun retourcodes, de productafname en de aansluiting.\n\n"
               f"{oordeel_tekst(aansluiting)}\n\n"
               + ("Het CAK geeft nu akkoord op de aanlevering; daarna worden de oude kanalen gesloten."
                  if aansluiting.correct else
                  "Het CAK neemt contact met u op over de verschillen."))))
    bewaar_aansluiting(migratie, aansluiting)
    _overgang(migratie, "rapporteren", actor,
              f"Aanleverrapportage {bestand.naam} geplaatst. {oordeel_tekst(aansluiting)}", moment=moment)
    if not aansluiting.correct:
        db.session.add(Belactie(gemeente_id=gemeente.id, aangemaakt_op=moment,
                                verschillen=migratie.aansluiting))
        _overgang(migratie, "nabellen", actor,
                  f"Op de bellijst gezet: {len(aansluiting.verschillen())} cliënten wijken af.", moment=moment)
    return bestand.naam


def keur_aanlevering_goed(actor: Actor, gemeente: Gemeente, reden: str | None = None) -> Migratie:
    """CAK approves the delivery: GEMIGREERD, the verslag by e-mail, the old channels closed next tick."""
    from portal.services import reports

    _vereis_cak(actor)
    migratie = migratie_van(gemeente)
    _vereis_overgang(migratie, "goedkeuren")
    reden = (reden or "").strip() or None
    toestand = Toestand(migratie.toestand)
    aansluiting = bereken_aansluiting(gemeente)
    if toestand in (Toestand.GERAPPORTEERD, Toestand.NABELLEN) and not aansluiting.correct and not reden:
        raise MigratieFout(
            f"De aanlevering wijkt af ({len(aansluiting.verschillen())} cliënten niet 'ok'). "
            "Akkoord geven kan alleen met een reden waarom het CAK de afwijking accepteert; vul die in.")
    moment = nu()
    _overgang(migratie, "goedkeuren", actor,
              "Akkoord op de aanlevering" + (f", afwijking geaccepteerd: {reden}" if reden else "") + ".",
              moment=moment)
    migratie.goedgekeurd_op = moment
    migratie.goedgekeurd_door = actor.naam
    migratie.afwijking_reden = reden
    bewaar_aansluiting(migratie, aansluiting)
    belactie = open_belactie(gemeente)
    if belactie is not None:
        belactie.afgehandeld_op = moment
        belactie.afgehandeld_door = actor.naam
        belactie.uitkomst = f"Afwijking geaccepteerd: {reden}" if reden else "Akkoord gegeven"
    verslag = reports.plaats_verslag(gemeente, migratie, aansluiting, moment, actor)
    mail.zet_klaar(
        soort="Akkoord op aanlevering", gemeente=gemeente, aan=_contacten(gemeente),
        bijlagen=(mail.Bijlage(verslag.naam, verslag.mediatype, verslag.inhoud),),
        onderwerp=f"Akkoord op de aanlevering van {gemeente.naam} ({gemeente.code})",
        tekst=_brief(gemeente, (
               f"Het CAK heeft akkoord gegeven op de aanlevering van {gemeente.naam}. De migratie naar iEb 2.0 "
               "is daarmee afgerond. In de bijlage staat het verslag.\n\n"
               + (f"Geaccepteerde afwijking: {reden}\n\n" if reden else "")
               + "De oude kanalen (H&V-app, Excel en 60-record) worden nu gesloten. Meld vanaf nu elke "
               "start en stop van Beschermd Wonen met een WMO407-bericht. Mutaties met een datum vóór "
               f"{current_app.config['MIGRATIE_PEILDATUM_OUDE_KANALEN']:%d-%m-%Y} kunnen nog via de oude kanalen.")))
    planner.plan(gemeente, ACTIE_SLUIT_OUDE_KANALEN, moment)
    db.session.commit()
    return migratie


def registreer_belresultaat(actor: Actor, gemeente: Gemeente, uitkomst: str, nieuwe_leverdatum: date) -> Migratie:
    """The call is recorded and a re-delivery agreed: back to AKKOORD_AANLEVEREN with a new date."""
    _vereis_cak(actor)
    uitkomst = (uitkomst or "").strip()
    if not uitkomst:
        raise MigratieFout("Vul in wat er met de gemeente is afgesproken.")
    migratie = migratie_van(gemeente)
    _vereis_overgang(migratie, "belresultaat")
    moment = nu()
    deadline = kalender.to_utc(datetime.combine(nieuwe_leverdatum, DEADLINE_TIJD, tzinfo=NL))
    if deadline <= moment:
        raise MigratieFout(f"De nieuwe aanleverdatum {nieuwe_leverdatum:%d-%m-%Y} 15:00 is al voorbij; "
                           "kies een datum in de toekomst.")
    _overgang(migratie, "belresultaat", actor,
              f"Gebeld: {uitkomst} Nieuwe aanleverdatum {_lokaal(deadline)}.", moment=moment)
    belactie = open_belactie(gemeente)
    if belactie is not None:
        belactie.afgehandeld_op = moment
        belactie.afgehandeld_door = actor.naam
        belactie.uitkomst = uitkomst
        belactie.nieuwe_leverdatum = nieuwe_leverdatum
    migratie.aanleverdeadline = deadline
    planner.plan(gemeente, ACTIE_AANLEVERING_TE_LAAT, deadline)
    planner.plan(gemeente, ACTIE_AANLEVERRAPPORTAGE, _rapportagemoment(deadline))
    db.session.commit()
    return migratie


@planner.handler(ACTIE_SLUIT_OUDE_KANALEN, "oude kanalen sluiten (H&V-app, Excel, 60-record)")
def sluit_oude_kanalen(actie: GeplandeActie) -> str:
    gemeente = actie.gemeente
    migratie = migratie_van(gemeente)
    actor = Actor.job_named("planner")
    gesloten = kanalen.sluit_oude_kanalen(gemeente, actor, actie.due_op)
    if gesloten:
        _gebeurtenis(migratie, "kanalen_gesloten", actor,
                     "Oude kanalen gesloten: " + ", ".join(kanalen.NAMEN[k] for k in gesloten) + ".",
                     moment=actie.due_op)
        return "gesloten: " + ", ".join(gesloten)
    return "al gesloten"


# ---------------------------------------------------------------- the weekly routine and the period-wide steps

def plan_periode_acties() -> None:
    """The steps of the whole migration period: its end, and the first bimonthly comparison."""
    alle = timeslots()
    if not alle:
        return
    einde = kalender.einde_migratieperiode(alle)
    planner.plan(None, ACTIE_EINDE_PERIODE, kalender.to_utc(einde))
    eerste = kalender.bimaandelijkse_vergelijkingen(alle, einde.date() + timedelta(days=100))
    if eerste:
        planner.plan(None, ACTIE_BIMAANDELIJKS, kalender.to_utc(eerste[0]))


def _week_later(moment: datetime) -> datetime:
    lokaal = moment.astimezone(NL)
    return kalender.to_utc(datetime.combine(lokaal.date() + timedelta(weeks=1), lokaal.time(), tzinfo=NL))


@planner.handler(ACTIE_WEKELIJKS, "wekelijkse aanleverrapportage plaatsen")
def wekelijkse_rapportage(actie: GeplandeActie) -> str:
    from portal.services import reports

    gemeente = actie.gemeente
    moment = actie.due_op
    vorige = moment.astimezone(NL) - timedelta(weeks=1)
    eerste = kalendermoment(migratie_van(gemeente), kalender.Stap.WEKELIJKSE_RAPPORTAGE)
    vanaf = None if eerste is None or kalender.to_utc(eerste) >= moment else kalender.to_utc(vorige)
    bestand = reports.plaats_wekelijkse_rapportage(gemeente, moment, vanaf, Actor.job_named("planner"))
    volgende = _week_later(moment)
    mail.zet_klaar(
        soort="Wekelijkse aanleverrapportage geplaatst", gemeente=gemeente, aan=_contacten(gemeente),
        sleutel=f"mail:wekelijks:{gemeente.code}:{moment.isoformat()}",
        onderwerp=f"Wekelijkse aanleverrapportage geplaatst voor {gemeente.naam} ({gemeente.code})",
        tekst=_brief(gemeente, (
               f"In de map van {gemeente.naam} staat de wekelijkse aanleverrapportage {bestand.naam}: de "
               "WMO407-berichten van de afgelopen week met hun retourcodes, en de productafname.\n\n"
               f"De volgende wekelijkse rapportage volgt op {_lokaal(volgende)}.")))
    planner.plan(gemeente, ACTIE_WEKELIJKS, volgende)
    return bestand.naam


@planner.handler(ACTIE_EINDE_PERIODE, "einde migratieperiode: ontbrekende WMO407-berichten melden")
def einde_migratieperiode(actie: GeplandeActie) -> str:
    from portal.services import reports

    moment = actie.due_op
    dag = moment.astimezone(NL).date()
    actor = Actor.job_named("planner")
    alle_rijen = []
    for gemeente in db.session.scalars(leverende_gemeenten_query().order_by(Gemeente.code)):
        if migratie_van(gemeente).toestand == Toestand.NIET_GEPLAND:
            continue
        rijen = reports.ontbrekende_rijen(gemeente, dag)
        alle_rijen.extend(rijen)
        if not rijen:
            continue
        inhoud = reports.ontbrekende_bestand(rijen, moment)
        bestand = reports.plaats_ontbrekende(gemeente, moment, inhoud, actor)
        mail.zet_klaar(
            soort="Ontbrekende WMO407-berichten", gemeente=gemeente, aan=_contacten(gemeente),
            sleutel=f"mail:ontbrekend:{gemeente.code}:{moment.isoformat()}",
            bijlagen=(mail.Bijlage(bestand.naam, bestand.mediatype, inhoud),),
            onderwerp=f"Ontbrekende WMO407-berichten voor {gemeente.naam} ({gemeente.code})",
            tekst=_brief(gemeente, (
                   f"De migratieperiode is voorbij. Voor {len(rijen)} cliënten Beschermd Wonen die bij het CAK "
                   f"actief zijn, is geen geaccepteerd WMO407-bericht van {gemeente.naam} ontvangen. De lijst staat "
                   f"in de bijlage en in de map ({bestand.naam}). De eigen bijdrage van deze cliënten loopt door "
                   "op basis van de oude aanmelding; het CAK neemt contact met u op.")))
    totaal = reports.ontbrekende_bestand(alle_rijen, moment)
    mail.zet_klaar(
        soort="Ontbrekende WMO407-berichten", aan=_cak_adres(), sleutel=f"mail:ontbrekend:CAK:{moment.isoformat()}",
        bijlagen=(mail.Bijlage(f"CAK_Ontbrekende407_{dag:%Y%m%d}.xlsx", storage.XLSX, totaal),),
        onderwerp="Ontbrekende WMO407-berichten na de migratieperiode (alle gemeenten)",
        tekst=(f"Na de migratieperiode ontbreekt voor {len(alle_rijen)} cliënten een geaccepteerd WMO407-bericht. "
               "De lijst van alle gemeenten staat in de bijlage; elke gemeente heeft haar eigen deel gekregen."))
    return f"{len(alle_rijen)} cliënten zonder geaccepteerde WMO407"


@planner.handler(ACTIE_BIMAANDELIJKS, "tweemaandelijkse bestandsvergelijking plaatsen")
def bimaandelijkse_vergelijking(actie: GeplandeActie) -> str:
    from portal.services import reports

    moment = actie.due_op
    actor = Actor.job_named("planner")
    geplaatst = 0
    for gemeente in db.session.scalars(leverende_gemeenten_query().order_by(Gemeente.code)):
        if migratie_van(gemeente).toestand != Toestand.GEMIGREERD:
            continue
        bestand, aantal = reports.plaats_bimaandelijkse_vergelijking(gemeente, moment, actor)
        geplaatst += 1
        mail.zet_klaar(
            soort="Nieuwe bestandsvergelijking", gemeente=gemeente, aan=_contacten(gemeente),
            sleutel=f"mail:bimaandelijks:{gemeente.code}:{moment.isoformat()}",
            onderwerp=f"Nieuwe bestandsvergelijking voor {gemeente.naam} ({gemeente.code})",
            tekst=_brief(gemeente, (
                   f"In de map van {gemeente.naam} staat de nieuwe bestandsvergelijking {bestand.naam} met de "
                   f"{aantal} perioden Beschermd Wonen die via iEb 2.0 bij het CAK zijn geregistreerd. Vergelijk "
                   "ze met uw eigen administratie en geef in kolom L per cliënt uw terugkoppeling.")))
    later = kalender.bimaandelijkse_vergelijkingen(timeslots(), moment.astimezone(NL).date() + timedelta(days=100))
    volgende = next((m for m in later if kalender.to_utc(m) > moment), None)
    if volgende is not None:
        planner.plan(None, ACTIE_BIMAANDELIJKS, kalender.to_utc(volgende))
    return f"{geplaatst} gemeenten"


# ---------------------------------------------------------------- overview

@dataclass(frozen=True)
class MogelijkeActie:
    naam: str           # stable name the face maps to a form
    titel: str          # Dutch button text
    uitleg: str         # Dutch explanation shown beside it


def mogelijke_acties(migratie: Migratie, user: User) -> list[MogelijkeActie]:
    """What this CAK user can do now for this gemeente, by its state and the user's role."""
    if not user.is_cak:
        return []
    toestand = Toestand(migratie.toestand)
    acties: list[MogelijkeActie] = []
    if user.is_cak_beheerder and toestand in (Toestand.NIET_GEPLAND, Toestand.GEPLAND):
        acties.append(MogelijkeActie(
            "plannen", "Timeslot bevestigen of toewijzen" if toestand == Toestand.NIET_GEPLAND else "Timeslot verplaatsen",
            "Kan tot de bestandsvergelijking is geplaatst; daarna ligt de timeslot vast."))
    if toestand == Toestand.TERUGGEKOPPELD:
        acties.append(MogelijkeActie(
            "akkoord_aanleveren", "Akkoord geven om aan te leveren",
            "Legt het aantal verwachte cliënten (code J) vast, opent het kanaal iEb en mailt de gemeente."))
    if toestand == Toestand.GERAPPORTEERD:
        acties.append(MogelijkeActie(
            "goedkeuren", "Akkoord geven op de aanlevering",
            "Zet de gemeente op gemigreerd, mailt het verslag en sluit de oude kanalen."))
    if toestand == Toestand.NABELLEN:
        acties.append(MogelijkeActie(
            "belresultaat", "Belresultaat vastleggen",
            "Na het gesprek: een nieuwe aanleverdatum afspreken; de gemeente levert opnieuw aan."))
        acties.append(MogelijkeActie(
            "goedkeuren", "Afwijking accepteren en akkoord geven",
            "Alleen met een reden waarom het CAK de verschillen accepteert."))
    return acties


@dataclass(frozen=True)
class Status:
    gemeente: Gemeente
    migratie: Migratie
    toestand: Toestand
    vlaggen: list[str]
    deadline: tuple[datetime, str] | None
    actie_nodig: str | None
    aantallen: dict[str, int]

    def als_json(self) -> dict:
        return {
            "code": self.gemeente.code,
            "naam": self.gemeente.naam,
            "toestand": self.toestand.value,
            "timeslot": self.migratie.timeslot.isoformat() if self.migratie.timeslot else None,
            "vlaggen": self.vlaggen,
            "volgende_deadline": self.deadline[0].astimezone(NL).strftime("%Y-%m-%dT%H:%M") if self.deadline else None,
            "aantallen": self.aantallen,
        }


def _aantallen(gemeente: Gemeente, migratie: Migratie) -> dict[str, int]:
    b4 = laatste_b4(gemeente)
    in_b4 = db.session.scalar(select(func.count()).select_from(B4Regel).where(B4Regel.bestand_id == b4.id)) \
        if b4 else 0
    codes = Counter(verwachte_codes(gemeente).values())
    berichten = Counter(db.session.scalars(select(Wmo407Bericht.geaccepteerd).where(
        Wmo407Bericht.gemeente_id == gemeente.id)))
    aantallen = {"in_b4": in_b4}
    for code in TERUGKOPPELING_CODES:
        aantallen[f"terugkoppeling_{code}"] = codes.get(code, 0)
    aantallen["verwacht"] = migratie.verwacht_aantal if migratie.verwacht_aantal is not None else codes.get("J", 0)
    aansluiting = migratie.aansluiting or {}
    aantallen["ontvangen"] = aansluiting.get("ontvangen", 0)
    aantallen["berichten_geaccepteerd"] = berichten.get(True, 0)
    aantallen["berichten_afgekeurd"] = berichten.get(False, 0)
    for uitkomst in Uitkomst:
        aantallen[uitkomst.value] = (aansluiting.get("aantallen") or {}).get(uitkomst.value, 0)
    return aantallen


def status(gemeente: Gemeente) -> Status:
    migratie = migratie_van(gemeente)
    return Status(gemeente, migratie, Toestand(migratie.toestand), vlaggen(migratie),
                  volgende_deadline(migratie), actie_nodig(migratie), _aantallen(gemeente, migratie))


def overzicht(user: User | None = None, code: str | None = None) -> list[Status]:
    """Every delivering gemeente the user may see (all of them without a user), by timeslot."""
    query = leverende_gemeenten_query().order_by(Gemeente.code)
    if user is not None:
        ids = toegang.zichtbare_gemeente_ids(user)
        if ids is not None:
            query = query.where(Gemeente.id.in_(ids))
    if code is not None:
        query = query.where(Gemeente.code == code)
    statussen = [status(g) for g in db.session.scalars(query)]
    statussen.sort(key=lambda s: (s.migratie.timeslot or date.max, s.gemeente.naam))
    return statussen


# ---------------------------------------------------------------- the gemeente's own page

INSTRUCTIE_GEMEENTE: dict[Toestand, str] = {
    Toestand.NIET_GEPLAND: ("Meld uw gemeente aan voor een migratieweek (timeslot), met een tweede keus. "
                            "Het CAK bevestigt de week of wijst een andere toe."),
    Toestand.GEPLAND: ("Uw migratieweek staat vast. Op de maandag ervoor om 10:30 verschijnt de "
                       "bestandsvergelijking (B4) in deze map; u krijgt daarover een e-mail."),
    Toestand.BV_GEPUBLICEERD: ("Download de bestandsvergelijking, vul per cliënt kolom L (en zo nodig M en N) in "
                               "en upload het bestand hieronder vóór de deadline."),
    Toestand.TERUGGEKOPPELD: ("Uw terugkoppeling is aangenomen. Het CAK beoordeelt haar en geeft akkoord om aan te "
                              "leveren. Tot dat akkoord kunt u een verbeterde terugkoppeling uploaden; die vervangt "
                              "de vorige."),
    Toestand.AKKOORD_AANLEVEREN: ("U kunt nu de WMO407-berichten sturen voor elke cliënt met code J, met BwStartdatum "
                                  "gelijk aan de migratiedatum. Heeft u geen eigen software? Laat het portaal het "
                                  "bericht maken uit uw terugkoppeling, download het en stuur het hieronder."),
    Toestand.AANGELEVERD: ("Uw WMO407-berichten zijn ontvangen. Woensdag om 10:00 verschijnt de aanleverrapportage "
                           "met de aansluiting. U kunt nog aanvullen of corrigeren."),
    Toestand.GERAPPORTEERD: ("De aanleverrapportage staat in deze map. Het CAK geeft akkoord op de aanlevering; "
                             "daarna worden de oude kanalen gesloten."),
    Toestand.NABELLEN: ("De aanlevering wijkt af van uw terugkoppeling (zie de aansluiting hieronder). Het CAK "
                        "belt u om een nieuwe aanleverdatum af te spreken."),
    Toestand.GEMIGREERD: ("De migratie is afgerond. Meld elke start en stop van Beschermd Wonen voortaan met een "
                          "WMO407-bericht."),
}


@dataclass(frozen=True)
class Kalenderregel:
    moment: datetime
    omschrijving: str
    voorbij: bool


@dataclass(frozen=True)
class Gemeentepagina:
    gemeente: Gemeente
    status: Status | None
    instructie: str
    kalender: list[Kalenderregel]
    b4: Bestand | None
    terugkoppeling: Terugkoppeling | None
    laatste_terugkoppeling_upload: object | None
    kanalen: list
    timeslots: tuple[date, ...]
    mag_aanmelden: bool
    mag_terugkoppelen: bool
    mag_genereren: bool
    aanleveren_geweigerd: str | None = None   # why a WMO407 would be refused now, if it would


def gemeentepagina(user: User, code: str) -> Gemeentepagina:
    """Everything the gemeente's folder page shows about its migration."""
    from portal.models import Ontvangst

    gemeente = toegang.gemeente_voor(user, code)
    if not gemeente.levert_aan:
        return Gemeentepagina(gemeente, None, "", [], None, None, None, [], timeslots(), False, False, False)
    stand = status(gemeente)
    migratie = stand.migratie
    moment = nu()
    regels = [Kalenderregel(s.moment, s.omschrijving, kalender.to_utc(s.moment) <= moment)
              for s in kalender.kalender(migratie.timeslot)] if migratie.timeslot else []
    laatste_upload = db.session.scalar(select(Ontvangst).where(
        Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort == "terugkoppeling")
        .order_by(Ontvangst.id.desc()))
    toestand = stand.toestand
    mag_melden = user.role in ("gemeente", "gemeente_beheerder", "leverancier") or user.is_cak
    return Gemeentepagina(
        gemeente=gemeente, status=stand, instructie=INSTRUCTIE_GEMEENTE[toestand], kalender=regels,
        b4=laatste_b4(gemeente), terugkoppeling=actuele_terugkoppeling(gemeente),
        laatste_terugkoppeling_upload=laatste_upload, kanalen=kanalen.stand(gemeente), timeslots=timeslots(),
        mag_aanmelden=mag_melden and toestand == Toestand.NIET_GEPLAND,
        mag_terugkoppelen=toestand in (Toestand.BV_GEPUBLICEERD, Toestand.TERUGGEKOPPELD),
        mag_genereren=migratie.akkoord_terugkoppeling_id is not None and gemeente.bw_startnummer is not None,
        aanleveren_geweigerd=mag_aanleveren(gemeente))
