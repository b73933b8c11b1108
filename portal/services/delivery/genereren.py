"""The migration WMO407 for a gemeente without its own software, made from its approved terugkoppeling."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal import ieb
from portal.extensions import db
from portal.models import BwPeriode, Gemeente, IdentificatieReservering, TerugkoppelingRegel
from portal.rollen import Levering
from portal.services import audit, toegang
from portal.services.audit import Actor
from portal.services.klok import vandaag
from portal.services.migratie import MigratieFout, migratie_startdatum, migratie_van


@dataclass(frozen=True)
class GegenereerdBericht:
    bestandsnaam: str
    inhoud: bytes
    identificatie: str
    aantal_clienten: int


def genereer_wmo407(actor: Actor, code: str) -> GegenereerdBericht:
    """The migration WMO407 for a gemeente without its own software, from its approved terugkoppeling.

    Every client marked J that has no current registration yet gets one period with BwStartdatum =
    MIGRATIE_STARTDATUM, numbered upwards from the gemeente's first BwStartNummer, skipping numbers in use.
    """
    gemeente = toegang.gemeente_om_te_leveren(actor.user, code, Levering.WMO407_MAKEN)
    migratie = migratie_van(gemeente)
    if migratie.akkoord_terugkoppeling_id is None:
        raise MigratieFout(
            "Er is nog geen akkoord om aan te leveren, dus er is nog geen goedgekeurde terugkoppeling om een "
            "WMO407 van te maken. Wacht op de e-mail 'Akkoord om aan te leveren'.")
    if gemeente.bw_startnummer is None:
        raise MigratieFout(
            f"Voor {gemeente.naam} is nog geen eerste BwStartNummer ingesteld; vraag het CAK dit in te stellen.")
    verwacht = db.session.scalars(select(TerugkoppelingRegel.bsn).where(
        TerugkoppelingRegel.terugkoppeling_id == migratie.akkoord_terugkoppeling_id,
        TerugkoppelingRegel.code == "J").order_by(TerugkoppelingRegel.rij)).all()
    geregistreerd = set(db.session.scalars(select(BwPeriode.bsn).where(
        BwPeriode.gemeente_id == gemeente.id, BwPeriode.verwijderd.is_(False))))
    in_gebruik = set(db.session.scalars(select(BwPeriode.bw_startnummer).where(BwPeriode.gemeente_id == gemeente.id)))
    te_sturen = [bsn for bsn in dict.fromkeys(verwacht) if bsn not in geregistreerd]
    if not te_sturen:
        raise MigratieFout(
            "Voor alle cliënten met code J is al een WMO407 geaccepteerd; er is niets meer aan te leveren.")
    startdatum = migratie_startdatum()
    clients, nummer = [], gemeente.bw_startnummer
    for bsn in te_sturen:
        while nummer in in_gebruik:
            nummer += 1
        clients.append(ieb.Client(bsn, (ieb.Periode(nummer, startdatum, None, 1),)))
        nummer += 1
    identificatie = _volgende_identificatie(gemeente)
    inhoud = ieb.wmo407_bytes(afzender=gemeente.code, identificatie=identificatie, dagtekening=vandaag(),
                              clients=clients)
    audit.registreer(actor, "wmo407_gegenereerd", object_type="gemeente", object_id=gemeente.code,
                     gemeente_id=gemeente.id, details={"identificatie": identificatie, "clienten": len(clients)})
    db.session.commit()
    return GegenereerdBericht(f"{gemeente.bestandsprefix}_WMO407_{identificatie}.xml", inhoud, identificatie,
                              len(clients))


def _volgende_identificatie(gemeente: Gemeente) -> str:
    gebruikt = set(db.session.scalars(select(IdentificatieReservering.identificatie).where(
        IdentificatieReservering.gemeente_id == gemeente.id)))
    volgnummer = 1
    while f"MIG{gemeente.code}-{volgnummer:04d}" in gebruikt:
        volgnummer += 1
    return f"MIG{gemeente.code}-{volgnummer:04d}"


