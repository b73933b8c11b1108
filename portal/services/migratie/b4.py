"""Publishing the B4 bestandsvergelijking: every BW client the CAK knows for the gemeente (and the region
members it delivers for), in the gemeente's folder at the calendar's Monday 10:30, with a snapshot of
its rows so later checks compare with what was published."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, insert, select

from portal import kalender
from portal.extensions import db
from portal.models import B4Regel, Bestand, BwClient, Categorie, Gemeente, GeplandeActie
from portal.services import planner, storage
from portal.services.audit import Actor
from portal.services.migratie import brieven, dossier, overgang
from portal.spreadsheets import bestandsnamen
from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking
from portal.toestanden import Overgang, Toestand

_BLOK = 2_000
"""Rows fetched from the database, and snapshot rows inserted, per round trip."""


_KOLOMMEN = ("gemeentecode", "bsn", "geslachtsnaam", "voorvoegsel", "voorletters", "geboortedatum", "datum_start_bw",
             "datum_einde_bw", "bron", "aanbieder_agb", "soort_bijdrage")
"""The B4's columns A-K, in order: the values of a row tuple, and the fields of its snapshot."""


def clientrijen(gemeente: Gemeente) -> Iterator[tuple]:
    """The B4's rows as plain tuples (columns A-K), streamed from the database: the gemeente's BW clients
    and those of the region members it delivers for, still active on the migration date."""
    ids = [gemeente.id] + [g.id for g in gemeente.regiogemeenten if not g.levert_aan]
    query = (select(Gemeente.code, BwClient.bsn, BwClient.geslachtsnaam, BwClient.voorvoegsel, BwClient.voorletters,
                    BwClient.geboortedatum, BwClient.datum_start_bw, BwClient.datum_einde_bw, BwClient.bron,
                    BwClient.aanbieder_agb, BwClient.soort_bijdrage)
             .join(Gemeente, BwClient.gemeente_id == Gemeente.id)
             .where(BwClient.gemeente_id.in_(ids))
             .where((BwClient.datum_einde_bw.is_(None)) | (BwClient.datum_einde_bw >= dossier.migratie_startdatum()))
             .order_by(Gemeente.code, BwClient.geslachtsnaam, BwClient.bsn)
             .execution_options(yield_per=_BLOK))
    for rij in db.session.execute(query):
        yield tuple(rij)


def clienten(gemeente: Gemeente) -> list[B4Rij]:
    """The B4's rows as B4Rij (see `clientrijen`)."""
    return [B4Rij(*rij) for rij in clientrijen(gemeente)]


def maak_b4(gemeente: Gemeente, moment: datetime) -> tuple[bytes, list[tuple]]:
    """The B4's bytes, written while its rows stream from the database, and those rows (plain tuples, for
    the snapshot: no ORM object per client)."""
    rijen: list[tuple] = []

    def onthouden() -> Iterator[tuple]:
        for rij in clientrijen(gemeente):
            rijen.append(rij)
            yield rij

    return write_bestandsvergelijking(onthouden(), created_at=moment), rijen


def bewaar_snapshot(gemeente: Gemeente, bestand: Bestand, rijen: list[tuple]) -> None:
    """The published rows in B4Regel (row numbers from 2, as in the sheet), inserted in batches."""
    for begin in range(0, len(rijen), _BLOK):
        db.session.execute(insert(B4Regel), [
            {"bestand_id": bestand.id, "gemeente_id": gemeente.id, "rij": nummer,
             **dict(zip(_KOLOMMEN, rij, strict=True))}
            for nummer, rij in enumerate(rijen[begin:begin + _BLOK], start=begin + 2)])


def plaats_b4(gemeente: Gemeente, moment: datetime, sleutel: str, actor: Actor) -> tuple[Bestand, int]:
    """The B4 of `moment` in the gemeente's folder under `sleutel` (a key starting with "B4:", so that
    `dossier.laatste_b4` finds it), with the snapshot of its rows; placed once per key. Also its number of rows."""
    bestand = storage.bestand_met_sleutel(gemeente, sleutel)
    if bestand is None:
        inhoud, rijen = maak_b4(gemeente, moment)
        bestand = storage.plaats_bestand(gemeente, storage.NieuwBestand(
            categorie=Categorie.BESTANDSVERGELIJKING,
            naam=bestandsnamen.b4_bestandsvergelijking(gemeente.bestandsprefix, kalender.lokale_datum(moment)),
            inhoud=inhoud, mediatype=storage.XLSX, gepubliceerd_op=moment, sleutel=sleutel), actor)
        bewaar_snapshot(gemeente, bestand, rijen)
        db.session.flush()
        return bestand, len(rijen)
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
