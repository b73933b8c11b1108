"""The gemeente's own folder page: everything it shows about the migration, read in a fixed number of queries
whatever the gemeente holds: one for the gemeente (as far as the user may see it) with its migration, its
current terugkoppeling, the latest upload of one, its latest B4 and every count the page shows; one for the
channels; once migrated, one for the bimonthly comparison."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from portal import kalender, rollen, toestanden
from portal.extensions import db
from portal.models import (
    B4Regel,
    Bestand,
    Categorie,
    Gemeente,
    Migratie,
    Ontvangst,
    Terugkoppeling,
    TerugkoppelingRegel,
    User,
    Wmo407Bericht,
    gebruiker_gemeente,
)
from portal.services import audit, kanalen, toegang, uitval
from portal.services.klok import nu
from portal.services.migratie import aanlevering, dossier, statussen, vergelijking
from portal.services.migratie.overzicht import Status, actie_nodig, toelichting_bij, vlaggen, volgende_deadline
from portal.services.migratie.vergelijking import Stand as VergelijkingStand
from portal.services.toegang import NietGevonden
from portal.spreadsheets.terugkoppeling import CODES as TERUGKOPPELING_CODES
from portal.toestanden import Toestand


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
    uitval: int = 0           # the number of uitval periods


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


@cache
def _dossierquery(alle_gemeenten: bool) -> Select[Any]:
    """The query of `_dossier`, built once (building it costs more than running it); its parameters are the
    gemeente's code and, for a user who may not see every gemeente, the user's id."""
    b4 = aliased(Bestand)
    upload = aliased(Ontvangst)
    laatste_b4 = (select(Bestand.id).where(
        Bestand.gemeente_id == Gemeente.id, Bestand.categorie == Categorie.BESTANDSVERGELIJKING,
        Bestand.sleutel.like("B4:%")).order_by(Bestand.gepubliceerd_op.desc(), Bestand.id.desc())
        .limit(1).scalar_subquery())
    laatste_upload = (select(func.max(Ontvangst.id)).where(
        Ontvangst.gemeente_id == Gemeente.id, Ontvangst.soort == "terugkoppeling").scalar_subquery())
    in_b4 = select(func.count(B4Regel.id)).where(B4Regel.bestand_id == b4.id).scalar_subquery()
    # The codes of the approved terugkoppeling, or of the current one before the akkoord (dossier.verwachte_codes).
    codes_van = func.coalesce(Migratie.akkoord_terugkoppeling_id, Terugkoppeling.id)
    codes = [select(func.count()).select_from(TerugkoppelingRegel).where(
        TerugkoppelingRegel.terugkoppeling_id == codes_van, TerugkoppelingRegel.code == code_).scalar_subquery()
        for code_ in TERUGKOPPELING_CODES]
    berichten = [select(func.count()).select_from(Wmo407Bericht).where(
        Wmo407Bericht.gemeente_id == Gemeente.id, Wmo407Bericht.geaccepteerd.is_(geaccepteerd)).scalar_subquery()
        for geaccepteerd in (True, False)]
    # The uitval counts a window over the gemeente's periods: named by a value, not correlated, so the database
    # takes only this gemeente's periods (correlated, it ranked every period of the country first).
    zelfde = aliased(Gemeente)
    gemeente_id = select(zelfde.id).where(zelfde.code == bindparam("code")).scalar_subquery()
    query = select(Gemeente).where(Gemeente.code == bindparam("code"))
    if not alle_gemeenten:
        query = query.join(gebruiker_gemeente, gebruiker_gemeente.c.gemeente_id == Gemeente.id).where(
            gebruiker_gemeente.c.gebruiker_id == bindparam("gebruiker_id"))
    return (query.add_columns(Migratie, Terugkoppeling, upload, b4, in_b4, *codes, *berichten,
                          uitval.aantal_kolom(gemeente_id))
             .outerjoin(Migratie, Migratie.gemeente_id == Gemeente.id)
             .outerjoin(Terugkoppeling, (Terugkoppeling.gemeente_id == Gemeente.id) & Terugkoppeling.actueel.is_(True))
             .outerjoin(upload, upload.id == laatste_upload)
             .outerjoin(b4, b4.id == laatste_b4)
             .limit(1))


def _dossier(user: User, code: str) -> tuple[Gemeente, Migratie | None, Terugkoppeling | None, Ontvangst | None,
                                             Bestand | None, int, dict[str, int], dict[bool, int], int]:
    """The gemeente (NietGevonden when the user may not see it) and what its page shows, in one query."""
    alle = toegang.zichtbaar_voor_allen(user)
    parameters: dict[str, Any] = {"code": code} if alle else {"code": code, "gebruiker_id": user.id}
    rij = db.session.execute(_dossierquery(alle), parameters).first()
    if rij is None:
        raise NietGevonden(code)
    gemeente, migratie, terugkoppeling, laatste, b4_bestand, aantal_b4, *rest = rij
    aantallen_codes = {c: int(a or 0) for c, a in zip(TERUGKOPPELING_CODES, rest, strict=False) if a}
    geaccepteerd, afgekeurd, uitval_aantal = rest[len(TERUGKOPPELING_CODES):]
    return (gemeente, migratie, terugkoppeling, laatste, b4_bestand, int(aantal_b4 or 0) if b4_bestand else 0,
            aantallen_codes, {True: int(geaccepteerd or 0), False: int(afgekeurd or 0)}, int(uitval_aantal or 0))


def gemeentepagina(user: User, code: str) -> Gemeentepagina:
    """Everything the gemeente's folder page shows about its migration."""
    (gemeente, migratie, terugkoppeling, laatste_upload, b4, in_b4, codes, berichten,
     uitval_aantal) = _dossier(user, code)
    if not gemeente.levert_aan:
        return Gemeentepagina(gemeente, None, "", [], None, None, None, [], (), False, False, False,
                              mag_leveren=rollen.mag_leveren(user.role), uitval=uitval_aantal)
    moment = nu()
    if migratie is None:
        migratie = Migratie(gemeente_id=gemeente.id, toestand=Toestand.NIET_GEPLAND,
                            terugkoppeling_te_laat=False, aanlevering_te_laat=False)
    standen = kanalen.stand(gemeente)
    ieb_open = next(s.open for s in standen if s.kanaal == kanalen.Kanaalsoort.IEB)
    toestand = migratie.toestand
    stand = Status(gemeente, migratie, toestand, vlaggen(migratie), volgende_deadline(migratie),
                   actie_nodig(migratie, moment), statussen.tellingen(migratie, in_b4, codes, berichten),
                   toelichting_bij(migratie, ieb_open, moment))
    regels = [Kalenderregel(s.moment, s.omschrijving, kalender.to_utc(s.moment) <= moment, s.stap.value)
              for s in kalender.kalender(migratie.timeslot)] if migratie.timeslot else []
    deadline = kalender.to_utc(stand.deadline[0]) if stand.deadline else None
    bimaandelijks = vergelijking.stand(gemeente) if toestand == Toestand.GEMIGREERD else None
    audit.bsns_getoond(user, [v["bsn"] for v in (migratie.aansluiting or {}).get("verschillen", []) if v.get("bsn")],
                       gemeente.id)
    return Gemeentepagina(
        gemeente=gemeente, status=stand, vergelijking=bimaandelijks,
        instructie=(bimaandelijks.instructie if bimaandelijks
                    else toestanden.instructie_gemeente(toestand, deadline, moment)),
        kalender=regels, b4=b4, terugkoppeling=terugkoppeling,
        laatste_terugkoppeling_upload=laatste_upload, kanalen=standen,
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
        aanleveren_geweigerd=aanlevering.mag_aanleveren(gemeente, ieb_open=ieb_open),
        aansluiting_voorlopig=voorlopige_aansluiting(migratie, moment),
        uitval=uitval_aantal)
