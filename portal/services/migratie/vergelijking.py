"""The bimonthly comparison after the migration: the rows of each bimonthly file kept as published, and the
gemeente's answer on the newest one.

Once a gemeente is GEMIGREERD, an upload on the folder's terugkoppeling form is the answer on its newest
bimonthly file: stored first, then checked by the same reader as the migration's terugkoppeling against the
file's rows (every problem per row and column at once; an invalid answer changes nothing). A valid answer
replaces the previous one (both kept) and its differences replace the open differences of the previous
answer; handled differences stay, with their note, as history. No state changes, and there is no akkoord.

What a difference is (also shown on the CAK's pages): every row marked other than J, and every row the
gemeente added (a client it knows whom the CAK's iEb registration lacks). In this file J reads "klopt, staat
zo geregistreerd" (`portal.spreadsheets.bimaandelijks`).

The wrong file is recognised by its BRON column: the migration's B4 (H&V, EXCEL, 60-RECORD) while the
bimonthly answer is expected, and a bimonthly file (IEB) while the migration's terugkoppeling is expected;
the message names the file that is expected.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from portal import kalender
from portal.extensions import db
from portal.models import Bestand, Gemeente, Ontvangst, OntvangstStatus
from portal.models.vergelijking import Vergelijking, VergelijkingRegel, VergelijkingTerugkoppeling, Verschil
from portal.services import storage
from portal.services.audit import Actor
from portal.services.klok import nu, vandaag
from portal.services.migratie import brieven, dossier, overgang
from portal.spreadsheets.bestandsvergelijking import B4Rij
from portal.spreadsheets.bimaandelijks import Soort, soort_bestandsvergelijking
from portal.spreadsheets.terugkoppeling import TerugkoppelingRij, ToegevoegdeClient, read_terugkoppeling
from portal.toestanden import Toestand

if TYPE_CHECKING:
    from portal.services.migratie.terugkoppeling import TerugkoppelingUitkomst

SOORT = "bimaandelijkse_terugkoppeling"
"""The kind (`Ontvangst.soort`) of an upload that answers a bimonthly file."""


# ---------------------------------------------------------------- the published rows

def bewaar_regels(gemeente: Gemeente, bestand: Bestand, moment: datetime, rijen: Sequence[B4Rij]) -> Vergelijking:
    """Keep the rows of a placed bimonthly file as they were published; once per file."""
    bestaand = db.session.scalar(select(Vergelijking).where(Vergelijking.bestand_id == bestand.id))
    if bestaand is not None:
        return bestaand
    vergelijking = Vergelijking(gemeente_id=gemeente.id, bestand_id=bestand.id, moment=moment)
    vergelijking.regels = [
        VergelijkingRegel(rij=nummer, gemeentecode=r.gemeentecode, bsn=r.bsn, geslachtsnaam=r.geslachtsnaam,
                          voorvoegsel=r.voorvoegsel, voorletters=r.voorletters, geboortedatum=r.geboortedatum,
                          datum_start_bw=r.datum_start_bw, datum_einde_bw=r.datum_einde_bw, bron=r.bron,
                          aanbieder_agb=r.aanbieder_agb, soort_bijdrage=r.soort_bijdrage)
        for nummer, r in enumerate(rijen, start=2)]
    db.session.add(vergelijking)
    db.session.flush()
    return vergelijking


def aantal_regels(bestand: Bestand) -> int:
    """The number of rows kept of a placed bimonthly file."""
    return db.session.scalar(select(func.count()).select_from(VergelijkingRegel).join(Vergelijking).where(
        Vergelijking.bestand_id == bestand.id)) or 0


def rijen(vergelijking: Vergelijking) -> list[B4Rij]:
    return [B4Rij(gemeentecode=r.gemeentecode, bsn=r.bsn, geslachtsnaam=r.geslachtsnaam, voorvoegsel=r.voorvoegsel,
                  voorletters=r.voorletters, geboortedatum=r.geboortedatum, datum_start_bw=r.datum_start_bw,
                  datum_einde_bw=r.datum_einde_bw, bron=r.bron, aanbieder_agb=r.aanbieder_agb,
                  soort_bijdrage=r.soort_bijdrage) for r in vergelijking.regels]


def laatste_vergelijking(gemeente: Gemeente) -> Vergelijking | None:
    return db.session.scalar(select(Vergelijking).where(Vergelijking.gemeente_id == gemeente.id)
                             .order_by(Vergelijking.moment.desc(), Vergelijking.id.desc()).limit(1))


def volgende_moment() -> datetime | None:
    """The next bimonthly comparison after now (local time), from the calendar."""
    momenten = kalender.bimaandelijkse_vergelijkingen(dossier.timeslots(), vandaag() + timedelta(days=130))
    return next((m for m in momenten if kalender.to_utc(m) > nu()), None)


def antwoord_verwacht(gemeente: Gemeente) -> bool:
    """Whether an upload on the terugkoppeling form is an answer on the bimonthly file: the migration is done."""
    if not gemeente.levert_aan:
        return False
    migratie = dossier.bestaande_migratie(gemeente)
    return migratie is not None and migratie.toestand == Toestand.GEMIGREERD


# ---------------------------------------------------------------- the gemeente's answer

def _weiger(ontvangst: Ontvangst, uitkomst: TerugkoppelingUitkomst, status: OntvangstStatus, reden: str) -> None:
    storage.markeer(ontvangst, status, reden, {"vergelijking": uitkomst.vergelijking})
    db.session.commit()
    uitkomst.melding = reden


def _volgende_tekst() -> str:
    volgende = volgende_moment()
    return (f"De volgende komt op {kalender.format_moment(volgende)}; u krijgt dan de e-mail "
            "'Nieuwe bestandsvergelijking'." if volgende else "U krijgt een e-mail zodra er een nieuwe is.")


def verkeerd_bestand_voor_migratie(inhoud: bytes, b4: Bestand) -> str | None:
    """Why this upload is not the migration's terugkoppeling, when it is a bimonthly file; else None."""
    if soort_bestandsvergelijking(inhoud) != Soort.BIMAANDELIJKS:
        return None
    return ("Dit is een tweemaandelijkse bestandsvergelijking (kolom BRON: IEB), niet de bestandsvergelijking van "
            f"de migratie. Nu wordt uw terugkoppeling verwacht op de bestandsvergelijking {b4.naam}. Download dat "
            "bestand uit de map, vul kolom L tot en met N in en upload het hier.")


def beantwoord(actor: Actor, gemeente: Gemeente, ontvangst: Ontvangst, inhoud: bytes,
               uitkomst: TerugkoppelingUitkomst) -> None:
    """Check a stored upload as the answer on the gemeente's newest bimonthly file, and fill in `uitkomst`."""
    vergelijking = laatste_vergelijking(gemeente)
    if vergelijking is None:
        _weiger(ontvangst, uitkomst, OntvangstStatus.GEWEIGERD, (
            f"Er wacht geen bestandsvergelijking op een terugkoppeling van {gemeente.naam}: de migratie is afgerond "
            f"en er is nog geen tweemaandelijkse bestandsvergelijking geplaatst. {_volgende_tekst()} "
            "Upload uw terugkoppeling pas op dat bestand."))
        return
    datum = kalender.format_datum(vergelijking.moment)
    naam = vergelijking.bestand.naam
    uitkomst.vergelijking = datum
    if soort_bestandsvergelijking(inhoud) == Soort.MIGRATIE:
        _weiger(ontvangst, uitkomst, OntvangstStatus.AFGEKEURD, (
            "Dit is de bestandsvergelijking van de migratie (kolom BRON: H&V, EXCEL of 60-RECORD), niet de "
            f"tweemaandelijkse bestandsvergelijking. De migratie van {gemeente.naam} is afgerond; nu wordt uw "
            f"terugkoppeling verwacht op de tweemaandelijkse bestandsvergelijking {naam} van {datum}. Download "
            "dat bestand uit de map, vul kolom L tot en met N in en upload het hier. Er is niets gewijzigd."))
        return

    gemeentecodes = {gemeente.code} | {g.code for g in gemeente.regiogemeenten if not g.levert_aan}
    gepubliceerd = rijen(vergelijking)
    resultaat = read_terugkoppeling(inhoud, gemeentecodes=gemeentecodes, b4_rows=gepubliceerd)
    moment = ontvangst.ontvangen_op
    antwoord = VergelijkingTerugkoppeling(gemeente_id=gemeente.id, vergelijking_id=vergelijking.id,
                                          ontvangst_id=ontvangst.id, ontvangen_op=moment,
                                          geldig=resultaat.geldig, actueel=False)
    db.session.add(antwoord)
    if not resultaat.geldig:
        problemen = [{"rij": p.rij, "kolom": p.kolom, "kolomnaam": p.kolomnaam, "melding": p.melding}
                     for p in resultaat.problemen]
        antwoord.problemen = problemen
        uitkomst.problemen = problemen
        aantal = len(problemen)
        uitkomst.melding = (
            f"De terugkoppeling op de tweemaandelijkse bestandsvergelijking van {datum} ({naam}) is niet aangenomen: "
            f"{aantal} {'probleem' if aantal == 1 else 'problemen'} gevonden. Er is niets gewijzigd. Herstel de "
            "punten hieronder in het bestand en upload het opnieuw.")
        storage.markeer(ontvangst, OntvangstStatus.AFGEKEURD, uitkomst.melding,
                        {"problemen": problemen, "vergelijking": datum})
        db.session.commit()
        return

    db.session.execute(update(VergelijkingTerugkoppeling).where(
        VergelijkingTerugkoppeling.gemeente_id == gemeente.id).values(actueel=False))
    antwoord.actueel = True
    antwoord.tellingen = dict(resultaat.aantallen_per_code)
    db.session.flush()
    vorige = list(db.session.scalars(select(Verschil).where(
        Verschil.gemeente_id == gemeente.id, Verschil.afgehandeld_op.is_(None), Verschil.vervangen_op.is_(None))))
    for verschil in vorige:
        verschil.vervangen_op = moment
    vervangen = len(vorige)
    gepubliceerd_per_bsn = {r.bsn: r for r in gepubliceerd}
    verschillen = [_verschil(gemeente, antwoord, r, gepubliceerd_per_bsn.get(r.bsn))
                   for r in resultaat.rijen if r.code != "J" or r.toegevoegd]
    db.session.add_all(verschillen)
    tellingen = ", ".join(f"{c}: {n}" for c, n in resultaat.aantallen_per_code.items())
    overgang.gebeurtenis(
        dossier.migratie_van(gemeente), "bimaandelijkse_terugkoppeling", actor,
        f"Terugkoppeling op de tweemaandelijkse bestandsvergelijking van {datum} ontvangen ({tellingen}; "
        f"{resultaat.aantal_toegevoegd} toegevoegd): {len(verschillen)} verschillen"
        + (f", {vervangen} open verschillen van de vorige terugkoppeling vervangen" if vervangen else "") + ".",
        moment=moment)
    uitkomst.geldig = True
    uitkomst.aantallen = dict(resultaat.aantallen_per_code)
    uitkomst.melding = (
        f"De terugkoppeling is aangenomen als antwoord op de tweemaandelijkse bestandsvergelijking van {datum} "
        f"({naam}). {_aantal_tekst(len(verschillen))} voor het CAK: elke rij met een andere code dan J en elke "
        "toegevoegde cliënt. Het CAK handelt de verschillen af; u hoeft verder niets te doen.")
    storage.markeer(ontvangst, OntvangstStatus.VERWERKT, uitkomst.melding,
                    {"aantallen": uitkomst.aantallen, "vergelijking": datum, "verschillen": len(verschillen)})
    if actor.user is not None:
        brieven.vergelijking_beantwoord(gemeente, actor.user, ontvangst, vergelijking.bestand, uitkomst.aantallen,
                                        resultaat.aantal_toegevoegd, len(verschillen))
    db.session.commit()


def _aantal_tekst(aantal: int) -> str:
    return "Geen verschillen" if aantal == 0 else ("1 verschil" if aantal == 1 else f"{aantal} verschillen")


def _verschil(gemeente: Gemeente, antwoord: VergelijkingTerugkoppeling, rij: TerugkoppelingRij,
              gepubliceerd: B4Rij | None) -> Verschil:
    bron: B4Rij | ToegevoegdeClient | None = gepubliceerd if gepubliceerd is not None else rij.client
    return Verschil(
        gemeente_id=gemeente.id, terugkoppeling=antwoord, rij=rij.rij, bsn=rij.bsn, code=rij.code,
        toegevoegd=rij.toegevoegd, einddatum_gemeente=rij.einddatum_gemeente, toelichting=rij.toelichting,
        gemeentecode=bron.gemeentecode if bron else None, geslachtsnaam=bron.geslachtsnaam if bron else None,
        voorvoegsel=bron.voorvoegsel if bron else None, voorletters=bron.voorletters if bron else None,
        geboortedatum=bron.geboortedatum if bron else None,
        datum_start_bw=gepubliceerd.datum_start_bw if gepubliceerd else None,
        datum_einde_bw=gepubliceerd.datum_einde_bw if gepubliceerd else None)


# ---------------------------------------------------------------- what the folder page shows

@dataclass(frozen=True)
class Stand:
    """The bimonthly comparison as the gemeente's folder page shows it."""

    vergelijking: Vergelijking | None
    antwoord: VergelijkingTerugkoppeling | None  # the current valid answer on that file, if any
    aantal_regels: int
    aantal_verschillen: int
    volgende: datetime | None

    @property
    def instructie(self) -> str:
        if self.vergelijking is None:
            wanneer = (f"op {kalender.format_moment(self.volgende)}" if self.volgende else "later")
            return ("De migratie is afgerond. De eerste tweemaandelijkse bestandsvergelijking komt "
                    f"{wanneer}; u krijgt dan een e-mail. Tot die tijd hoeft u hier niets te doen.")
        datum = kalender.format_datum(self.vergelijking.moment)
        if self.antwoord is None:
            return (f"De tweemaandelijkse bestandsvergelijking van {datum} wacht op uw terugkoppeling. Download het "
                    "bestand, vul per cliënt kolom L in en upload het hieronder.")
        return (f"Uw terugkoppeling op de tweemaandelijkse bestandsvergelijking van {datum} is ontvangen "
                f"({_aantal_tekst(self.aantal_verschillen).lower()} voor het CAK). Een nieuwe upload vervangt haar.")


def stand(gemeente: Gemeente) -> Stand:
    """The latest comparison with its current answer and both counts, in one query."""
    regels = (select(func.count()).select_from(VergelijkingRegel)
              .where(VergelijkingRegel.vergelijking_id == Vergelijking.id).scalar_subquery())
    verschillen = (select(func.count()).select_from(Verschil)
                   .where(Verschil.terugkoppeling_id == VergelijkingTerugkoppeling.id).scalar_subquery())
    rij = db.session.execute(
        select(Vergelijking, VergelijkingTerugkoppeling, regels, verschillen)
        .outerjoin(VergelijkingTerugkoppeling, (VergelijkingTerugkoppeling.vergelijking_id == Vergelijking.id)
                   & VergelijkingTerugkoppeling.actueel.is_(True))
        .where(Vergelijking.gemeente_id == gemeente.id)
        .order_by(Vergelijking.moment.desc(), Vergelijking.id.desc(), VergelijkingTerugkoppeling.id).limit(1)).first()
    if rij is None:
        return Stand(None, None, 0, 0, volgende_moment())
    vergelijking, antwoord, aantal_regels, aantal_verschillen = rij
    return Stand(vergelijking, antwoord, int(aantal_regels or 0), int(aantal_verschillen or 0) if antwoord else 0,
                 volgende_moment())
