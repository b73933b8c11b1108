"""What the screens and the command line show of migrations: the status of each delivering gemeente
(state, flags, next deadline, counts, what the CAK must do), and the gemeente's own folder page."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from portal import kalender, rollen, toestanden
from portal.aansluiting import Uitkomst
from portal.extensions import db
from portal.models import B4Regel, Bestand, Gemeente, Migratie, Ontvangst, Terugkoppeling, User, Wmo407Bericht
from portal.services import audit, kanalen, toegang
from portal.services.klok import nu
from portal.services.migratie import aanlevering, dossier, vergelijking
from portal.services.migratie.vergelijking import Stand as VergelijkingStand
from portal.spreadsheets.terugkoppeling import CODES as TERUGKOPPELING_CODES
from portal.toestanden import MogelijkeActie, Overgang, Toestand, Vlag


def vlaggen(migratie: Migratie) -> list[Vlag]:
    result = []
    if migratie.terugkoppeling_te_laat:
        result.append(Vlag.TERUGKOPPELING_TE_LAAT)
    if migratie.akkoord_te_laat:
        result.append(Vlag.AKKOORD_TE_LAAT)
    if migratie.aanlevering_te_laat:
        result.append(Vlag.AANLEVERING_TE_LAAT)
    return result


def toelichting(gemeente: Gemeente, migratie: Migratie, moment: datetime) -> str | None:
    """What the CAK should know beside the state: why the weekly reports do not come."""
    if migratie.timeslot is None or kanalen.is_open(gemeente, kanalen.Kanaalsoort.IEB):
        return None
    eerste = kalender.to_utc(dossier.kalendermoment(migratie, kalender.Stap.WEKELIJKSE_RAPPORTAGE))
    if moment < eerste:
        return None
    return ("geen wekelijkse aanleverrapportage: nog geen akkoord om aan te leveren "
            "(alleen gemeenten met een geopend kanaal iEb krijgen die)")


def volgende_deadline(migratie: Migratie) -> tuple[datetime, str] | None:
    """The next moment that matters for this gemeente, with what it is (local time)."""
    toestand = migratie.toestand
    if migratie.timeslot is None:
        return None
    if toestand == Toestand.GEPLAND:
        return dossier.kalendermoment(migratie, kalender.Stap.B4_PUBLICEREN), "bestandsvergelijking wordt geplaatst"
    if toestand == Toestand.BV_GEPUBLICEERD:
        return dossier.kalendermoment(migratie, kalender.Stap.TERUGKOPPELING_DEADLINE), "terugkoppeling uiterlijk"
    if toestand == Toestand.TERUGGEKOPPELD:
        return dossier.kalendermoment(migratie, kalender.Stap.AKKOORD_UITERLIJK), "akkoord CAK uiterlijk"
    if toestand == Toestand.AKKOORD_AANLEVEREN and migratie.aanleverdeadline:
        return kalender.to_local(migratie.aanleverdeadline), "aanlevering WMO407 uiterlijk"
    if toestand == Toestand.AANGELEVERD and migratie.aanleverdeadline:
        return kalender.rapportagemoment(migratie.aanleverdeadline), "aanleverrapportage"
    return None


def actie_nodig(migratie: Migratie, moment: datetime | None = None) -> str | None:
    """What the CAK must do or chase now for this gemeente, in Dutch; None when nothing."""
    moment = moment or nu()
    return toestanden.actie_nodig(migratie.toestand, aangemeld=migratie.aangemeld_op is not None,
                       terugkoppeling_te_laat=bool(migratie.terugkoppeling_te_laat),
                       aanlevering_verlopen=bool(migratie.aanleverdeadline and moment > migratie.aanleverdeadline))


def mogelijke_acties(migratie: Migratie, user: User, moment: datetime | None = None) -> list[MogelijkeActie]:
    """What this user can do now for this gemeente on the CAK's page, by its state and the user's role; an
    action that cannot work now carries the reason instead."""
    moment = moment or nu()
    acties = []
    for actie in toestanden.mogelijke_acties(migratie.toestand, user.role):
        if actie.naam == Overgang.PLANNEN and not dossier.open_timeslots(moment):
            actie = replace(actie, kan_niet=(
                "Plannen kan niet meer: van elke migratieweek is het moment voor de bestandsvergelijking "
                "voorbij. Neem contact op met het team migratie over een oplossing."))
        acties.append(actie)
    return acties


@dataclass(frozen=True)
class Status:
    gemeente: Gemeente
    migratie: Migratie
    toestand: Toestand
    vlaggen: list[Vlag]
    deadline: tuple[datetime, str] | None
    actie_nodig: str | None
    aantallen: dict[str, int]
    toelichting: str | None = None

    def als_json(self) -> dict[str, Any]:
        return {
            "code": self.gemeente.code,
            "naam": self.gemeente.naam,
            "toestand": self.toestand.value,
            "timeslot": self.migratie.timeslot.isoformat() if self.migratie.timeslot else None,
            "vlaggen": [v.value for v in self.vlaggen],
            "volgende_deadline": kalender.format_invoer(self.deadline[0]) if self.deadline else None,
            "aantallen": self.aantallen,
        }


def _aantallen(gemeente: Gemeente, migratie: Migratie) -> dict[str, int]:
    b4 = dossier.laatste_b4(gemeente)
    in_b4 = (db.session.scalar(select(func.count()).select_from(B4Regel).where(B4Regel.bestand_id == b4.id)) or 0
             if b4 else 0)
    codes = Counter(dossier.verwachte_codes(gemeente).values())
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
    migratie = dossier.migratie_van(gemeente)
    moment = nu()
    return Status(gemeente, migratie, migratie.toestand, vlaggen(migratie), volgende_deadline(migratie),
                  actie_nodig(migratie, moment), _aantallen(gemeente, migratie),
                  toelichting(gemeente, migratie, moment))


def overzicht(user: User | None = None, code: str | None = None) -> list[Status]:
    """Every delivering gemeente the user may see (all of them without a user), by timeslot."""
    query = dossier.leverende_gemeenten_query().order_by(Gemeente.code)
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

@dataclass(frozen=True)
class Kalenderregel:
    moment: datetime
    omschrijving: str
    voorbij: bool
    stap: str = ""


@dataclass(frozen=True)
class Gemeentepagina:
    gemeente: Gemeente
    status: Status | None
    instructie: str
    kalender: list[Kalenderregel]
    b4: Bestand | None
    terugkoppeling: Terugkoppeling | None
    laatste_terugkoppeling_upload: Ontvangst | None
    kanalen: list[kanalen.KanaalStand]
    timeslots: tuple[date, ...]              # the weeks still open to sign up for
    mag_aanmelden: bool
    mag_terugkoppelen: bool
    mag_genereren: bool
    aanleveren_geweigerd: str | None = None   # why a WMO407 would be refused now, if it would
    aansluiting_voorlopig: str | None = None  # before the delivery deadline: what has come in so far
    genereren_kan_niet: str | None = None     # after the akkoord: why the portal cannot make the WMO407, if so
    vergelijking: VergelijkingStand | None = None  # once migrated: the bimonthly comparison awaiting an answer
    mag_leveren: bool = True  # False for the CAK: it reads and judges, the forms to deliver are not shown


def voorlopige_aansluiting(migratie: Migratie, moment: datetime) -> str | None:
    """Until the delivery deadline the verdict is not given yet: what the gemeente sees instead."""
    if migratie.aanleverdeadline is None or moment > migratie.aanleverdeadline or migratie.verwacht_aantal is None:
        return None
    if migratie.toestand not in (Toestand.AKKOORD_AANLEVEREN, Toestand.AANGELEVERD):
        return None
    ontvangen = (migratie.aansluiting or {}).get("ontvangen", 0)
    deadline = kalender.format_moment(migratie.aanleverdeadline)
    if not ontvangen:
        return (f"Nog niets ontvangen. Verwacht: {migratie.verwacht_aantal} cliënten met code J, "
                f"aan te leveren uiterlijk {deadline}.")
    return (f"Tussenstand: {ontvangen} van de {migratie.verwacht_aantal} verwachte cliënten ontvangen. Het oordeel "
            f"over de aanlevering volgt na de aanleverdeadline ({deadline}).")


def gemeentepagina(user: User, code: str) -> Gemeentepagina:
    """Everything the gemeente's folder page shows about its migration."""
    gemeente = toegang.gemeente_voor(user, code)
    if not gemeente.levert_aan:
        return Gemeentepagina(gemeente, None, "", [], None, None, None, [], (), False, False, False,
                              mag_leveren=rollen.mag_leveren(user.role))
    stand = status(gemeente)
    migratie = stand.migratie
    moment = nu()
    regels = [Kalenderregel(s.moment, s.omschrijving, kalender.to_utc(s.moment) <= moment, s.stap.value)
              for s in kalender.kalender(migratie.timeslot)] if migratie.timeslot else []
    laatste_upload = db.session.scalar(select(Ontvangst).where(
        Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort == "terugkoppeling")
        .order_by(Ontvangst.id.desc()))
    toestand = stand.toestand
    deadline = kalender.to_utc(stand.deadline[0]) if stand.deadline else None
    bimaandelijks = vergelijking.stand(gemeente) if toestand == Toestand.GEMIGREERD else None
    audit.bsns_getoond(user, [v["bsn"] for v in (migratie.aansluiting or {}).get("verschillen", []) if v.get("bsn")],
                       gemeente.id)
    return Gemeentepagina(
        gemeente=gemeente, status=stand, vergelijking=bimaandelijks,
        instructie=(bimaandelijks.instructie if bimaandelijks
                    else toestanden.instructie_gemeente(toestand, deadline, moment)),
        kalender=regels, b4=dossier.laatste_b4(gemeente), terugkoppeling=dossier.actuele_terugkoppeling(gemeente),
        laatste_terugkoppeling_upload=laatste_upload, kanalen=kanalen.stand(gemeente),
        timeslots=dossier.open_timeslots(moment),
        mag_leveren=rollen.mag_leveren(user.role),
        mag_aanmelden=toestanden.mag_aanmelden(toestand, user.role),
        mag_terugkoppelen=toestanden.mag_terugkoppelen(toestand),
        mag_genereren=(rollen.mag_leveren(user.role) and migratie.akkoord_terugkoppeling_id is not None
                       and gemeente.bw_startnummer is not None),
        genereren_kan_niet=(
            f"Het portaal kan voor {gemeente.naam} geen WMO407 maken uit de terugkoppeling: er is nog geen eerste "
            "BwStartNummer ingesteld. Vraag het CAK dit in te stellen, of stuur een bericht uit uw eigen software."
            if migratie.akkoord_terugkoppeling_id is not None and gemeente.bw_startnummer is None else None),
        aanleveren_geweigerd=aanlevering.mag_aanleveren(gemeente),
        aansluiting_voorlopig=voorlopige_aansluiting(migratie, moment))
