"""The gemeente's terugkoppeling on its B4: stored first, checked at once with every problem per row,
a valid one replacing the previous; and the lateness check at the Thursday deadline.

The folder's one upload form serves both bestandsvergelijkingen: once the migration is done
(GEMIGREERD), an upload is the answer on the newest bimonthly file, handled by `vergelijking`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from portal import kalender
from portal.extensions import db
from portal.kalender import format_moment
from portal.models import Gemeente, GeplandeActie, Ontvangst, OntvangstStatus, Terugkoppeling, TerugkoppelingRegel, User
from portal.rollen import Levering
from portal.services import planner, storage, toegang
from portal.services.audit import Actor
from portal.services.migratie import brieven, dossier, overgang, vergelijking
from portal.spreadsheets.terugkoppeling import read_terugkoppeling
from portal.toestanden import WACHT_OP_TERUGKOPPELING, Overgang, Toestand, Vlag, mag_terugkoppelen

SOORT = "terugkoppeling"
"""The kind (`Ontvangst.soort`) of an upload that answers the migration's B4."""


@dataclass
class TerugkoppelingUitkomst:
    """What the uploader sees: the receipt and the outcome of the check."""

    ontvangst_id: int
    geldig: bool
    melding: str
    problemen: list[dict[str, Any]] = field(default_factory=list)
    aantallen: dict[str, int] = field(default_factory=dict)
    te_laat: bool = False
    sha256: str = ""
    grootte: int = 0
    ontvangen_op: datetime | None = None
    bestandsnaam: str = ""
    uploader: str = ""
    vergelijking: str | None = None  # the date (dd-mm-jjjj) of the bimonthly file this upload answered
    in_behandeling: bool = False  # stored, not processed yet (its processing was interrupted)


def ontvang_terugkoppeling(actor: Actor, code: str, bestandsnaam: str, inhoud: bytes,
                           kanaal: str = "web") -> TerugkoppelingUitkomst:
    """Store the uploaded terugkoppeling first, then check it; a valid one replaces the previous."""
    gemeente = toegang.gemeente_om_te_leveren(actor.user, code, Levering.TERUGKOPPELEN)
    bimaandelijks = vergelijking.antwoord_verwacht(gemeente)
    ontvangst = storage.bewaar_ontvangst(inhoud=inhoud, bestandsnaam=bestandsnaam,
                                         soort=vergelijking.SOORT if bimaandelijks else SOORT,
                                         kanaal=kanaal, actor=actor, gemeente=gemeente)
    return verwerk_terugkoppeling(actor, gemeente, ontvangst, inhoud)


def verwerk_terugkoppeling(actor: Actor, gemeente: Gemeente, ontvangst: Ontvangst,
                           inhoud: bytes) -> TerugkoppelingUitkomst:
    """Process a stored terugkoppeling (just received, or left unprocessed by a worker that died); the kind
    it was stored as says whether it answers the migration's B4 or a bimonthly comparison."""
    bimaandelijks = ontvangst.soort == vergelijking.SOORT
    uitkomst = TerugkoppelingUitkomst(ontvangst.id, False, "", sha256=ontvangst.sha256,
                                      grootte=ontvangst.grootte, ontvangen_op=ontvangst.ontvangen_op,
                                      bestandsnaam=ontvangst.bestandsnaam, uploader=actor.naam)
    if bimaandelijks:
        vergelijking.beantwoord(actor, gemeente, ontvangst, inhoud, uitkomst)
        return uitkomst
    migratie = dossier.migratie_van(gemeente)
    b4 = dossier.laatste_b4(gemeente)
    if not mag_terugkoppelen(migratie.toestand) or b4 is None:
        if migratie.toestand in (Toestand.NIET_GEPLAND, Toestand.GEPLAND) or b4 is None:
            reden = ("Er is nog geen bestandsvergelijking geplaatst voor deze gemeente, dus er is nog niets "
                     "om terug te koppelen. Wacht op de e-mail 'Bestandsvergelijking geplaatst'.")
        else:
            reden = ("Het CAK heeft de terugkoppeling al goedgekeurd; een nieuwe terugkoppeling kan niet meer. "
                     "Neem contact op met het CAK als er iets moet veranderen.")
        storage.markeer(ontvangst, OntvangstStatus.GEWEIGERD, reden)
        db.session.commit()
        uitkomst.melding = reden
        return uitkomst

    verkeerd = vergelijking.verkeerd_bestand_voor_migratie(inhoud, b4)
    if verkeerd is not None:
        storage.markeer(ontvangst, OntvangstStatus.AFGEKEURD, verkeerd)
        db.session.commit()
        uitkomst.melding = verkeerd
        return uitkomst

    gemeentecodes = {gemeente.code} | {g.code for g in gemeente.regiogemeenten if not g.levert_aan}
    resultaat = read_terugkoppeling(inhoud, gemeentecodes=gemeentecodes, b4_rows=dossier.b4_rijen(b4))
    moment = ontvangst.ontvangen_op
    te_laat = moment > kalender.to_utc(dossier.kalendermoment(migratie, kalender.Stap.TERUGKOPPELING_DEADLINE))
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
    if te_laat:
        migratie.terugkoppeling_te_laat = True
    tellingen = ", ".join(f"{c}: {n}" for c, n in resultaat.aantallen_per_code.items())
    omschrijving = (f"Geldige terugkoppeling ontvangen ({tellingen}; {resultaat.aantal_toegevoegd} toegevoegd)"
                    + (", na de deadline" if te_laat else "") + ".")
    overgang.overgang(migratie, Overgang.TERUGKOPPELING, actor, omschrijving, moment=moment)
    uitkomst.geldig = True
    uitkomst.te_laat = te_laat
    uitkomst.aantallen = dict(resultaat.aantallen_per_code)
    uitkomst.melding = ("De terugkoppeling is aangenomen"
                        + (" (na de deadline, en als te laat gemarkeerd)" if te_laat else "")
                        + ". Het CAK beoordeelt haar en geeft daarna akkoord om aan te leveren.")
    storage.markeer(ontvangst, OntvangstStatus.VERWERKT, uitkomst.melding, {"aantallen": uitkomst.aantallen})
    if actor.user is not None:
        brieven.terugkoppeling_ontvangen(
            gemeente, actor.user, ontvangst, uitkomst.aantallen, resultaat.aantal_toegevoegd,
            dossier.kalendermoment(migratie, kalender.Stap.AKKOORD_UITERLIJK))
    db.session.commit()
    return uitkomst


def ontvangstbewijs(user: User, code: str, ontvangst_id: int) -> TerugkoppelingUitkomst:
    """The receipt of an uploaded terugkoppeling as it was answered, read back from what was stored;
    NietGevonden for another gemeente's upload or another kind of file."""
    gemeente = toegang.gemeente_voor(user, code)
    ontvangst = db.session.get(Ontvangst, ontvangst_id)
    if ontvangst is None or ontvangst.gemeente_id != gemeente.id or ontvangst.soort not in (SOORT, vergelijking.SOORT):
        raise toegang.NietGevonden(ontvangst_id)
    details = ontvangst.details or {}
    record = db.session.scalar(select(Terugkoppeling).where(Terugkoppeling.ontvangst_id == ontvangst.id))
    return TerugkoppelingUitkomst(
        ontvangst.id, ontvangst.status == OntvangstStatus.VERWERKT, ontvangst.uitkomst or "",
        problemen=list(details.get("problemen") or []), aantallen=dict(details.get("aantallen") or {}),
        te_laat=bool(record and record.te_laat), sha256=ontvangst.sha256, grootte=ontvangst.grootte,
        ontvangen_op=ontvangst.ontvangen_op, bestandsnaam=ontvangst.bestandsnaam,
        uploader=ontvangst.gebruiker.email if ontvangst.gebruiker else "", vergelijking=details.get("vergelijking"),
        in_behandeling=ontvangst.status == OntvangstStatus.ONTVANGEN)


def controleer_terugkoppeling(actie: GeplandeActie) -> str:
    """The planner's lateness check at the Thursday deadline: judged by the state at that moment."""
    gemeente = planner.gemeente_van(actie)
    migratie = dossier.migratie_van(gemeente)
    if dossier.toestand_op(gemeente, actie.due_op) not in WACHT_OP_TERUGKOPPELING:
        return "op tijd"
    migratie.terugkoppeling_te_laat = True
    overgang.gebeurtenis(migratie, Vlag.TERUGKOPPELING_TE_LAAT, Actor.job_named("planner"),
                         f"Om {format_moment(actie.due_op)} was er geen geldige terugkoppeling: "
                         "gemarkeerd als te laat.", moment=actie.due_op)
    akkoord_uiterlijk = dossier.kalendermoment(migratie, kalender.Stap.AKKOORD_UITERLIJK)
    brieven.terugkoppeling_te_laat(gemeente, migratie.timeslot, actie.due_op, akkoord_uiterlijk)
    return "te laat"
