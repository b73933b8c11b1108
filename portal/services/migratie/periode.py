"""After the migration week: the weekly aanleverrapportage every Tuesday, the report of missing WMO407
messages at the end of the migration period, and the bimonthly comparison. Each works with its own
calendar moment and plans the next one itself."""
from __future__ import annotations

from datetime import timedelta

from portal import kalender
from portal.extensions import db
from portal.models import Gemeente, GeplandeActie
from portal.services import kanalen, mail, opvolging, planner, storage
from portal.services.audit import Actor
from portal.services.migratie import bestanden, brieven, dossier, overgang
from portal.services.migratie.acties import Actiesoort
from portal.spreadsheets.ontbrekende_wmo407 import OntbrekendeRij
from portal.toestanden import Toestand


def wekelijkse_rapportage(actie: GeplandeActie) -> str:
    """The Tuesday report: the messages since the previous Tuesday 10:00 (the first: all of them).

    Only for a gemeente whose IEB channel was open at that moment (the akkoord to deliver was given); the
    next Tuesday is planned either way, so the reports start once the akkoord is there."""
    gemeente = planner.gemeente_van(actie)
    moment = actie.due_op
    volgende = kalender.week_later(moment)
    planner.plan(gemeente, Actiesoort.WEKELIJKS, volgende)
    if not kanalen.was_open(gemeente, kanalen.Kanaalsoort.IEB, moment):
        overgang.gebeurtenis(dossier.migratie_van(gemeente), "wekelijkse_rapportage_overgeslagen",
                             Actor.job_named("planner"),
                             f"Geen wekelijkse aanleverrapportage op {kalender.format_moment(moment)}: er is nog geen "
                             "akkoord om aan te leveren (kanaal iEb dicht).", moment=moment)
        return "overgeslagen: nog geen akkoord om aan te leveren"
    eerste = dossier.kalendermoment(dossier.migratie_van(gemeente), kalender.Stap.WEKELIJKSE_RAPPORTAGE)
    vorige = kalender.to_utc(kalender.to_local(moment) - timedelta(weeks=1))
    vanaf = None if kalender.to_utc(eerste) >= moment else vorige
    bestand = bestanden.plaats_wekelijkse_rapportage(gemeente, moment, vanaf, Actor.job_named("planner"))
    brieven.wekelijkse_rapportage(gemeente, bestand, moment, volgende)
    return bestand.naam


def _leverende_gemeenten() -> list[Gemeente]:
    return list(db.session.scalars(dossier.leverende_gemeenten_query().order_by(Gemeente.code)))


def einde_migratieperiode(actie: GeplandeActie) -> str:
    """The end of the period: per gemeente the clients without an accepted WMO407, and all of them to the CAK;
    a follow-up task on the CAK's dashboard for each gemeente with missing clients."""
    moment = actie.due_op
    dag = kalender.lokale_datum(moment)
    actor = Actor.job_named("planner")
    alle_rijen: list[OntbrekendeRij] = []
    for gemeente in _leverende_gemeenten():
        if dossier.migratie_van(gemeente).toestand == Toestand.NIET_GEPLAND:
            continue
        rijen = bestanden.ontbrekende_rijen(gemeente, dag)
        alle_rijen.extend(rijen)
        if not rijen:
            continue
        bestand = bestanden.plaats_ontbrekende(gemeente, moment, rijen, actor)
        brieven.ontbrekende_wmo407(gemeente, bestand, len(rijen), moment)
        opvolging.maak_ontbrekende_taak(gemeente, rijen, bestand, moment, actor)
    totaal = mail.Bijlage(f"CAK_Ontbrekende407_{dag:%Y%m%d}.xlsx", storage.XLSX,
                          bestanden.ontbrekende_bestand(alle_rijen, moment))
    brieven.ontbrekende_wmo407_cak(totaal, len(alle_rijen), moment)
    return f"{len(alle_rijen)} cliënten zonder geaccepteerde WMO407"


def bimaandelijkse_vergelijking(actie: GeplandeActie) -> str:
    """Every second month: a new bestandsvergelijking for each migrated gemeente, and the next one planned."""
    moment = actie.due_op
    actor = Actor.job_named("planner")
    geplaatst = 0
    for gemeente in _leverende_gemeenten():
        if dossier.migratie_van(gemeente).toestand != Toestand.GEMIGREERD:
            continue
        bestand, aantal = bestanden.plaats_bimaandelijkse_vergelijking(gemeente, moment, actor)
        geplaatst += 1
        brieven.nieuwe_bestandsvergelijking(gemeente, bestand, aantal, moment)
    later = kalender.bimaandelijkse_vergelijkingen(dossier.timeslots(),
                                                    kalender.lokale_datum(moment) + timedelta(days=100))
    volgende = next((m for m in later if kalender.to_utc(m) > moment), None)
    if volgende is not None:
        planner.plan(None, Actiesoort.BIMAANDELIJKS, volgende)
    return f"{geplaatst} gemeenten"

