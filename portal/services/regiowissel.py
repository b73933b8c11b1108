"""The region switch (doordecentralisatie): a regiogemeente that starts delivering itself ("levert zelf aan").

In one transaction (the caller commits):
- the registrations (BwPeriode, the key Afzender + BwStartNummer) that the centrumgemeente made for the
  regiogemeente's clients move to the regiogemeente, which is their Afzender from now on; the history of the
  messages (Wmo407Bericht, BerichtPeriode) and the used Identificaties (IdentificatieReservering) stay with
  the centrumgemeente that sent them;
- when the centrumgemeente's B4 was already published, a fresh B4 (the B4 layout, `b4.clienten`) is placed in
  both folders, under keys "B4:regiowissel:<code>:<moment>" that `dossier.laatste_b4` finds and that never
  collide with a calendar B4 ("B4:<date>");
- the regiogemeente gets its own migration record and the centrumgemeente's channel states. Its state:
  GEMIGREERD ("overgenomen van de centrumgemeente", the step OVERNEMEN) when the centrumgemeente had
  migrated, because its clients are then registered through iEb already; NIET_GEPLAND when the
  centrumgemeente had not published its B4 yet, so the regiogemeente plans its own timeslot. In between
  (the centrumgemeente's migration week is running) the switch is refused: the B4, terugkoppeling and
  reconciliation of that week would no longer match;
- an event on both timelines, and the audit trail.
Switching back is refused once the regiogemeente has registrations, files or migration progress of its own.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from portal.extensions import db
from portal.kalender import format_moment
from portal.models import Bestand, BwClient, BwPeriode, Gemeente, Migratie
from portal.services import audit, kanalen
from portal.services.audit import Actor
from portal.services.migratie import b4, dossier, overgang
from portal.toestanden import TOESTAND_TEKST, Overgang, Toestand

VOOR_DE_WEEK = frozenset({Toestand.NIET_GEPLAND, Toestand.GEPLAND})


def _toestand(gemeente: Gemeente) -> Toestand:
    migratie = dossier.bestaande_migratie(gemeente)
    return migratie.toestand if migratie else Toestand.NIET_GEPLAND


def _aantal_registraties(gemeente: Gemeente) -> int:
    return db.session.scalar(select(func.count()).select_from(BwPeriode).where(
        BwPeriode.gemeente_id == gemeente.id)) or 0


def _eigen_voortgang(gemeente: Gemeente) -> str | None:
    """What the gemeente already has of its own migration, in Dutch; None when nothing."""
    if _aantal_registraties(gemeente):
        return "eigen registraties (WMO407)"
    migratie = dossier.bestaande_migratie(gemeente)
    if migratie is not None and (migratie.toestand != Toestand.NIET_GEPLAND or migratie.timeslot
                                 or migratie.aangemeld_op):
        return f"een eigen migratie (toestand '{TOESTAND_TEKST[migratie.toestand]}')"
    if db.session.scalar(select(func.count()).select_from(Bestand).where(Bestand.gemeente_id == gemeente.id)):
        return "eigen bestanden in haar map"
    return None


def waarom_geen_regiolid(gemeente: Gemeente) -> str | None:
    """Why a centrumgemeente cannot become a member of another region; None when it can."""
    if db.session.scalar(select(func.count()).select_from(Gemeente).where(Gemeente.centrumgemeente_id == gemeente.id)):
        return (f"{gemeente.naam} is centrumgemeente van een regio; maak eerst haar regiogemeenten lid van een andere "
                "centrumgemeente.")
    voortgang = _eigen_voortgang(gemeente)
    if voortgang:
        return f"{gemeente.naam} heeft al {voortgang} en kan daarom geen regiogemeente meer worden."
    return None


def waarom_niet_verhuizen(regio: Gemeente) -> str | None:
    """Why a regiogemeente that does not deliver cannot move to another centrumgemeente; None when it can."""
    centrum = regio.centrumgemeente
    if centrum is not None and dossier.laatste_b4(centrum) is not None:
        return (f"De cliënten van {regio.naam} staan al in de bestandsvergelijking van {centrum.naam}; een andere "
                f"centrumgemeente kan niet meer. Laat {regio.naam} zo nodig zelf aanleveren.")
    return None


def waarom_niet_zelf(regio: Gemeente, centrum: Gemeente | None, heeft_startnummer: bool) -> str | None:
    """Why the regiogemeente cannot start delivering itself now; None when it can."""
    if centrum is None:
        return f"{regio.naam} heeft geen centrumgemeente; kies eerst de centrumgemeente van de regio."
    if not heeft_startnummer:
        return (f"Een gemeente die zelf aanlevert heeft een eigen eerste BwStartNummer; vul het startnummer van "
                f"{regio.naam} in.")
    toestand = _toestand(centrum)
    if toestand not in VOOR_DE_WEEK and toestand != Toestand.GEMIGREERD:
        return (f"De migratie van {centrum.naam} loopt (toestand '{TOESTAND_TEKST[toestand]}'). Laat {regio.naam} "
                f"zelf aanleveren zodra {centrum.naam} is gemigreerd.")
    if _aantal_registraties(regio):
        return f"{regio.naam} heeft al eigen registraties; neem contact op met functioneel beheer."
    return None


def waarom_niet_terug(regio: Gemeente) -> str | None:
    """Why a regiogemeente that delivers itself cannot go back to its centrumgemeente; None when it can."""
    voortgang = _eigen_voortgang(regio)
    if voortgang:
        return (f"{regio.naam} heeft al {voortgang}; terug naar aanleveren via de centrumgemeente kan daarom niet "
                "meer.")
    return None


def _verplaats_registraties(regio: Gemeente, centrum: Gemeente) -> tuple[int, int]:
    """Move the centrumgemeente's registrations of the regiogemeente's clients; (periods, clients) moved."""
    bsns = select(BwClient.bsn).where(BwClient.gemeente_id == regio.id).scalar_subquery()
    clienten = db.session.scalar(select(func.count(func.distinct(BwPeriode.bsn))).where(
        BwPeriode.gemeente_id == centrum.id, BwPeriode.bsn.in_(bsns))) or 0
    resultaat = db.session.execute(update(BwPeriode).where(BwPeriode.gemeente_id == centrum.id,
                                                           BwPeriode.bsn.in_(bsns))
                                   .values(gemeente_id=regio.id).execution_options(synchronize_session=False))
    return int(getattr(resultaat, "rowcount", 0) or 0), clienten


def _migratie_van_regio(actor: Actor, regio: Gemeente, centrum: Gemeente, moment: datetime) -> Migratie:
    migratie = dossier.migratie_van(regio, maak=True)
    centrum_migratie = dossier.bestaande_migratie(centrum)
    for stand in kanalen.stand(centrum):
        kanalen.zet(regio, kanalen.Kanaalsoort(stand.kanaal), stand.open, actor, moment)
    if centrum_migratie is not None and centrum_migratie.toestand == Toestand.GEMIGREERD:
        migratie.timeslot = centrum_migratie.timeslot
        overgang.overgang(migratie, Overgang.OVERNEMEN, actor,
                          f"Overgenomen van de centrumgemeente {centrum.naam}: de cliënten van {regio.naam} zijn al "
                          "via iEb geregistreerd; de kanalen staan zoals bij de centrumgemeente.", moment=moment)
    return migratie


def zelf_aanleveren(actor: Actor, regio: Gemeente, moment: datetime) -> None:
    """The switch itself (the checks of `waarom_niet_zelf` were passed; the caller commits)."""
    centrum = regio.centrumgemeente
    assert centrum is not None
    regio.levert_zelf_aan = True
    db.session.flush()
    perioden, clienten = _verplaats_registraties(regio, centrum)
    regio_migratie = _migratie_van_regio(actor, regio, centrum, moment)
    nieuwe_b4 = ""
    if dossier.laatste_b4(centrum) is not None:
        sleutel = f"{moment.isoformat()}"
        eigen, aantal_eigen = b4.plaats_b4(regio, moment, f"B4:regiowissel:{regio.code}:{sleutel}", actor)
        rest, aantal_rest = b4.plaats_b4(centrum, moment, f"B4:regiowissel:{regio.code}:{sleutel}", actor)
        nieuwe_b4 = (f" Nieuwe bestandsvergelijking geplaatst: {eigen.naam} ({aantal_eigen} cliënten) bij "
                     f"{regio.naam} en {rest.naam} ({aantal_rest} cliënten) bij {centrum.naam}.")
    verplaatst = f"{perioden} registraties van {clienten} cliënten overgezet van {centrum.naam} naar {regio.naam}."
    overgang.gebeurtenis(regio_migratie, "regiowissel", actor,
                         f"{regio.naam} levert vanaf {format_moment(moment)} zelf aan. {verplaatst}{nieuwe_b4}",
                         moment=moment)
    overgang.gebeurtenis(dossier.migratie_van(centrum), "regiowissel", actor,
                         f"Regiogemeente {regio.naam} levert vanaf nu zelf aan. {verplaatst}{nieuwe_b4}", moment=moment)
    audit.registreer(actor, "regiowissel", object_type="gemeente", object_id=regio.code, gemeente_id=regio.id,
                     details={"centrumgemeente": centrum.code, "perioden": perioden, "clienten": clienten,
                              "toestand": regio_migratie.toestand.value})


def terug_naar_centrum(actor: Actor, regio: Gemeente, moment: datetime) -> None:
    """Back to delivering through the centrumgemeente (the checks of `waarom_niet_terug` were passed)."""
    centrum = regio.centrumgemeente
    migratie = dossier.bestaande_migratie(regio)
    if migratie is not None:
        db.session.delete(migratie)
    regio.levert_zelf_aan = False
    db.session.flush()
    if centrum is not None:
        overgang.gebeurtenis(dossier.migratie_van(centrum), "regiowissel", actor,
                             f"Regiogemeente {regio.naam} levert niet meer zelf aan: haar cliënten komen weer in de "
                             f"bestandsvergelijking van {centrum.naam}.", moment=moment)
    audit.registreer(actor, "regiowissel_terug", object_type="gemeente", object_id=regio.code, gemeente_id=regio.id,
                     details={"centrumgemeente": centrum.code if centrum else None})
