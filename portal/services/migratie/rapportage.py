"""The Wednesday aanleverrapportage: the report of everything delivered, as it stood at its calendar
moment, with the reconciliation's verdict; a delivery that is not correct puts the gemeente on the
CAK's call list (nabellen)."""
from __future__ import annotations

from portal.aansluiting import oordeel_tekst
from portal.extensions import db
from portal.kalender import rapportagemoment
from portal.models import Belactie, GeplandeActie
from portal.services import planner
from portal.services.audit import Actor
from portal.services.migratie import aansluiting, bestanden, brieven, dossier, overgang
from portal.toestanden import WACHT_OP_AKKOORD, Overgang, Toestand


def maak_aanleverrapportage(actie: GeplandeActie) -> str:
    """The planner's step AANLEVERRAPPORTAGE: the file, its mail, the verdict and the next state."""
    gemeente = planner.gemeente_van(actie)
    migratie = dossier.migratie_van(gemeente)
    actor = Actor.job_named("planner")
    moment = actie.due_op
    if migratie.aanleverdeadline and rapportagemoment(migratie.aanleverdeadline) > moment:
        return "overgeslagen: er geldt een latere aanleverdatum"
    if migratie.toestand not in (Toestand.AKKOORD_AANLEVEREN, Toestand.AANGELEVERD):
        if migratie.toestand in WACHT_OP_AKKOORD:
            overgang.gebeurtenis(migratie, "aanleverrapportage_overgeslagen", actor,
                                 "Geen aanleverrapportage: er is nog geen akkoord om aan te leveren.", moment=moment)
        return "overgeslagen"
    # The report and its verdict are as of the calendar moment, also when the job runs late.
    stand = aansluiting.bereken_aansluiting(gemeente, tot=moment)
    bestand = bestanden.plaats_aanleverrapportage(gemeente, moment, stand, actor)
    brieven.aanleverrapportage_geplaatst(gemeente, bestand, stand, moment)
    aansluiting.bewaar_aansluiting(migratie, stand)
    overgang.overgang(migratie, Overgang.RAPPORTEREN, actor,
                      f"Aanleverrapportage {bestand.naam} geplaatst. {oordeel_tekst(stand)}", moment=moment)
    if not stand.correct:
        db.session.add(Belactie(gemeente_id=gemeente.id, aangemaakt_op=moment, verschillen=migratie.aansluiting))
        overgang.overgang(migratie, Overgang.NABELLEN, actor,
                          f"Op de bellijst gezet: {len(stand.verschillen())} cliënten wijken af.", moment=moment)
    return bestand.naam
