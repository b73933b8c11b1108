"""Publishing the B4 bestandsvergelijking: every BW client the CAK knows for the gemeente (and the region
members it delivers for), in the gemeente's folder at the calendar's Monday 10:30, with a snapshot of
its rows so later checks compare with what was published."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from portal import kalender
from portal.extensions import db
from portal.models import B4Regel, Bestand, BwClient, Categorie, Gemeente, GeplandeActie
from portal.services import planner, storage
from portal.services.audit import Actor
from portal.services.migratie import brieven, dossier, overgang
from portal.spreadsheets import bestandsnamen
from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking
from portal.toestanden import Overgang, Toestand


def clienten(gemeente: Gemeente) -> list[B4Rij]:
    """The B4's rows: the gemeente's BW clients and those of the region members it delivers for,
    still active on the migration date."""
    ids = [gemeente.id] + [g.id for g in gemeente.regiogemeenten if not g.levert_aan]
    rijen = db.session.scalars(
        select(BwClient).join(Gemeente, BwClient.gemeente_id == Gemeente.id)
        .where(BwClient.gemeente_id.in_(ids))
        .where((BwClient.datum_einde_bw.is_(None)) | (BwClient.datum_einde_bw >= dossier.migratie_startdatum()))
        .order_by(Gemeente.code, BwClient.geslachtsnaam, BwClient.bsn)).all()
    return [B4Rij(gemeentecode=c.gemeente.code, bsn=c.bsn, geslachtsnaam=c.geslachtsnaam,
                  voorvoegsel=c.voorvoegsel, voorletters=c.voorletters, geboortedatum=c.geboortedatum,
                  datum_start_bw=c.datum_start_bw, datum_einde_bw=c.datum_einde_bw, bron=c.bron,
                  aanbieder_agb=c.aanbieder_agb, soort_bijdrage=c.soort_bijdrage) for c in rijen]


def plaats_b4(gemeente: Gemeente, moment: datetime, sleutel: str, actor: Actor) -> tuple[Bestand, int]:
    """The B4 of `moment` in the gemeente's folder under `sleutel` (a key starting with "B4:", so that
    `dossier.laatste_b4` finds it), with the snapshot of its rows; placed once per key. Also its number of rows."""
    bestand = storage.bestand_met_sleutel(gemeente, sleutel)
    if bestand is None:
        rijen = clienten(gemeente)
        inhoud = write_bestandsvergelijking(rijen, created_at=moment)
        bestand = storage.plaats_bestand(gemeente, storage.NieuwBestand(
            categorie=Categorie.BESTANDSVERGELIJKING,
            naam=bestandsnamen.b4_bestandsvergelijking(gemeente.bestandsprefix, kalender.lokale_datum(moment)),
            inhoud=inhoud, mediatype=storage.XLSX, gepubliceerd_op=moment, sleutel=sleutel), actor)
        db.session.add_all(B4Regel(bestand_id=bestand.id, gemeente_id=gemeente.id, rij=nummer,
                                   gemeentecode=r.gemeentecode, bsn=r.bsn, geslachtsnaam=r.geslachtsnaam,
                                   voorvoegsel=r.voorvoegsel, voorletters=r.voorletters,
                                   geboortedatum=r.geboortedatum, datum_start_bw=r.datum_start_bw,
                                   datum_einde_bw=r.datum_einde_bw, bron=r.bron,
                                   aanbieder_agb=r.aanbieder_agb, soort_bijdrage=r.soort_bijdrage)
                           for nummer, r in enumerate(rijen, start=2))
        db.session.flush()
    aantal = db.session.scalar(select(func.count()).select_from(B4Regel).where(B4Regel.bestand_id == bestand.id)) or 0
    return bestand, aantal


def publiceer_b4(actie: GeplandeActie) -> str:
    """The planner's step B4_PUBLICEREN: the file once per calendar moment, its mail, and the state."""
    gemeente = planner.gemeente_van(actie)
    migratie = dossier.migratie_van(gemeente)
    actor = Actor.job_named("planner")
    moment = actie.due_op
    dag = kalender.lokale_datum(moment)
    bestand, aantal = plaats_b4(gemeente, moment, f"B4:{dag.isoformat()}", actor)
    brieven.bestandsvergelijking_geplaatst(
        gemeente, bestand, aantal, dossier.kalendermoment(migratie, kalender.Stap.TERUGKOPPELING_DEADLINE))
    if migratie.toestand == Toestand.GEPLAND:
        overgang.overgang(migratie, Overgang.B4_PUBLICEREN, actor,
                          f"Bestandsvergelijking {bestand.naam} geplaatst met {aantal} cliënten.", moment=moment)
    return f"{bestand.naam} ({aantal} cliënten)"
