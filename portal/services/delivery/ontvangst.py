"""Receiving a WMO407: stored first, checked at levels 0 to 3, applied in one transaction when accepted,
and answered with a WMO408 in the gemeente's folder (ieb-2.0.md section 5)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from sqlalchemy import select, update

from portal import ieb
from portal.extensions import db
from portal.gemeentecodes import cbs_codes
from portal.ieb.retourcodes import RETOURCODES
from portal.models import Categorie, Gemeente, IdentificatieReservering, Ontvangst, OntvangstStatus, Wmo407Bericht
from portal.services import migratie, storage, toegang
from portal.services.audit import Actor
from portal.services.delivery.register import DbRegister, bewaar_berichtperioden, pas_toe
from portal.services.klok import vandaag
from portal.spreadsheets import bestandsnamen

SOORT = "WMO407"
MAX_DETAILS = 500


@lru_cache(maxsize=1)
def _cbs() -> frozenset[str]:
    return cbs_codes()


@dataclass
class PeriodeUitslag:
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None
    status_aanlevering: int
    codes: list[tuple[str, str]]
    meldingen: list[str]


@dataclass
class ClientUitslag:
    bsn: str
    codes: list[tuple[str, str]]
    meldingen: list[str]
    perioden: list[PeriodeUitslag]


@dataclass
class Verwerking:
    """What the uploader sees: the outcome of one WMO407."""

    ontvangst_id: int
    bestandsnaam: str
    sha256: str
    grootte: int
    ontvangen_op: datetime
    uploader: str = ""
    uitkomst: str = "geweigerd"      # geaccepteerd, afgekeurd, ongeldig, geweigerd
    niveau: int = 0
    melding: str = ""
    bevindingen: list[dict] = field(default_factory=list)
    rapport: list[str] = field(default_factory=list)
    header_codes: list[tuple[str, str]] = field(default_factory=list)
    clients: list[ClientUitslag] = field(default_factory=list)
    clients_weggelaten: int = 0
    identificatie: str | None = None
    bericht_id: int | None = None
    wmo408_bestand_id: int | None = None
    wmo408_naam: str | None = None
    te_laat: bool = False
    aantal_clienten: int = 0
    aantal_perioden: int = 0
    retourcodes: list[str] = field(default_factory=list)

    @property
    def geaccepteerd(self) -> bool:
        return self.uitkomst == "geaccepteerd"


def met_tekst(codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(c, RETOURCODES.get(c, "onbekende code")) for c in codes]


def _bevinding(b: ieb.Bevinding) -> dict:
    return {"niveau": b.niveau, "regel": b.regelnummer, "kolom": b.kolom, "element": b.element,
            "toelichting": b.toelichting, "parsermelding": b.parsermelding}


def _weiger(ontvangst: Ontvangst, verwerking: Verwerking, melding: str, bevindingen: list[dict[str, Any]],
            status: OntvangstStatus = OntvangstStatus.GEWEIGERD, uitkomst: str = "geweigerd",
            niveau: int = 0) -> Verwerking:
    verwerking.uitkomst = uitkomst
    verwerking.niveau = niveau
    verwerking.melding = melding
    verwerking.bevindingen = bevindingen
    storage.markeer(ontvangst, status, melding, {"niveau": niveau, "bevindingen": bevindingen[:200]})
    db.session.commit()
    return verwerking


def ontvang_wmo407(actor: Actor, code: str, bestandsnaam: str, inhoud: bytes, kanaal: str = "web") -> Verwerking:
    """Receive a WMO407 in the folder of gemeente `code`; the upload is stored before anything else."""
    gemeente = toegang.gemeente_voor(actor.user, code)
    ontvangst = storage.bewaar_ontvangst(inhoud=inhoud, bestandsnaam=bestandsnaam, soort=SOORT, kanaal=kanaal,
                                         actor=actor, gemeente=gemeente)
    verwerking = Verwerking(ontvangst.id, ontvangst.bestandsnaam, ontvangst.sha256, ontvangst.grootte,
                            ontvangst.ontvangen_op, uploader=actor.naam)

    transport = ieb.controleer_transport(inhoud, migratiedatum=migratie.migratie_startdatum())
    if not transport.ok:
        return _weiger(ontvangst, verwerking, transport.samenvatting,
                       [_bevinding(b) for b in transport.bevindingen])
    if transport.afzender is not None and transport.afzender != gemeente.code:
        andere = db.session.scalar(select(Gemeente).where(Gemeente.code == transport.afzender))
        naam = f" ({andere.naam})" if andere is not None and toegang.mag_zien(actor.user, andere.id) else ""
        return _weiger(ontvangst, verwerking, (
            f"Het bericht is geweigerd: de Afzender in het bericht is {transport.afzender}{naam}, maar u levert "
            f"aan in de map van {gemeente.naam} ({gemeente.code}). U kunt alleen berichten aanleveren namens de "
            "gemeente in wiens map u uploadt. Controleer de Afzender, of upload het bericht in de map van die "
            "gemeente als u daarvoor mag aanleveren."), [])
    reden = migratie.mag_aanleveren(gemeente)
    if reden is not None:
        return _weiger(ontvangst, verwerking, f"Het bericht is geweigerd. {reden}", [])

    schema = ieb.controleer_schema(transport)
    del transport
    if not schema.ok or schema.bericht is None:
        return _weiger(ontvangst, verwerking, schema.samenvatting, [_bevinding(b) for b in schema.bevindingen],
                       status=OntvangstStatus.AFGEKEURD, uitkomst="ongeldig", niveau=1)
    bericht = schema.bericht
    del schema
    return _beoordeel_en_pas_toe(actor, gemeente, ontvangst, bericht, verwerking)


def _beoordeel_en_pas_toe(actor: Actor, gemeente: Gemeente, ontvangst: Ontvangst, bericht: ieb.Wmo407Bericht,
                          verwerking: Verwerking) -> Verwerking:
    # One message per Afzender at a time: lock the gemeente's row for the rest of this transaction.
    db.session.rollback()
    db.session.execute(update(Gemeente).where(Gemeente.id == gemeente.id).values(code=Gemeente.code))
    register = DbRegister(gemeente.id, bericht)
    beoordeling = ieb.beoordeel(bericht, vandaag=vandaag(), cbs_codes=_cbs(), register=register)
    retourcodes = beoordeling.retourcodes()
    moment = ontvangst.ontvangen_op
    header = bericht.header
    record = Wmo407Bericht(
        ontvangst_id=ontvangst.id, gemeente_id=gemeente.id, identificatie=header.identificatie,
        dagtekening=header.dagtekening, ontvangen_op=moment, niveau=beoordeling.niveau,
        geaccepteerd=beoordeling.geaccepteerd,
        retourcodes="," + ",".join(retourcodes) + "," if retourcodes else "",
        aantal_clienten=len(bericht.clients), aantal_perioden=sum(len(c.perioden) for c in bericht.clients),
        te_laat=migratie.is_te_laat(gemeente, moment))
    db.session.add(record)
    db.session.flush()
    record.identificatie_retour = f"R{record.id:011d}"
    if not register.identificatie_gebruikt(header.identificatie):
        db.session.add(IdentificatieReservering(gemeente_id=gemeente.id, identificatie=header.identificatie,
                                                bericht_id=record.id))
    meldingen = [{"code": m.code, "regel_id": m.regel_id, "element": m.element, "toelichting": m.toelichting,
                  "regel": m.regelnummer} for m in beoordeling.header_meldingen]
    rapport = beoordeling.rapport()
    record.rapport = {"header": meldingen, "rapport": rapport[:MAX_DETAILS]}

    bewaar_berichtperioden(bericht, beoordeling, record.id, gemeente.id)

    if beoordeling.geaccepteerd:
        pas_toe(gemeente, bericht, register, record.id, moment)

    wmo408 = ieb.bouw_wmo408(bericht, beoordeling, identificatie_retour=record.identificatie_retour,
                             dagtekening_retour=vandaag())
    bestand = storage.plaats_bestand(gemeente, storage.NieuwBestand(
        categorie=Categorie.RETOURBERICHT,
        naam=bestandsnamen.wmo408(gemeente.bestandsprefix, record.identificatie_retour),
        inhoud=wmo408, mediatype=storage.XML, gepubliceerd_op=moment), actor)
    del wmo408
    record.wmo408_bestand_id = bestand.id

    samenvatting = rapport[0]
    storage.markeer(ontvangst, OntvangstStatus.VERWERKT if beoordeling.geaccepteerd else OntvangstStatus.AFGEKEURD,
                    samenvatting, {"niveau": beoordeling.niveau, "identificatie": header.identificatie,
                                   "bericht_id": record.id})
    migratie.na_wmo407(actor, record)
    db.session.commit()

    verwerking.uitkomst = "geaccepteerd" if beoordeling.geaccepteerd else "afgekeurd"
    verwerking.niveau = beoordeling.niveau
    verwerking.melding = samenvatting
    verwerking.rapport = rapport[1:MAX_DETAILS]
    verwerking.header_codes = met_tekst(beoordeling.header_retourcodes())
    verwerking.identificatie = header.identificatie
    verwerking.bericht_id = record.id
    verwerking.wmo408_bestand_id = bestand.id
    verwerking.wmo408_naam = bestand.naam
    verwerking.te_laat = record.te_laat
    verwerking.aantal_clienten = record.aantal_clienten
    verwerking.aantal_perioden = record.aantal_perioden
    verwerking.retourcodes = retourcodes
    if beoordeling.niveau == 3:
        verwerking.clients, verwerking.clients_weggelaten = _uitslagen(bericht, beoordeling)
    return verwerking


def _uitslagen(bericht: ieb.Wmo407Bericht, beoordeling: ieb.Beoordeling) -> tuple[list[ClientUitslag], int]:
    """Per client and period the codes with their Dutch text; clients with remarks first, at most MAX_DETAILS."""
    uitslagen: list[ClientUitslag] = []
    aantal = len(bericht.clients)
    met_opmerking = sorted({ci for ci in beoordeling.client_meldingen if 0 <= ci < aantal}
                           | {ci for ci, pi in beoordeling.periode_meldingen
                              if 0 <= ci < aantal and 0 <= pi < len(bericht.clients[ci].perioden)})
    eerst = set(met_opmerking)
    volgorde = chain(met_opmerking, (i for i in range(aantal) if i not in eerst))
    for ci in islice(volgorde, MAX_DETAILS):
        client = bericht.clients[ci]
        perioden = [PeriodeUitslag(p.bw_startnummer, p.bw_startdatum, p.bw_einddatum, p.status_aanlevering,
                                   met_tekst(beoordeling.periode_retourcodes(ci, pi)),
                                   [m.toelichting for m in beoordeling.periode_meldingen.get((ci, pi), [])])
                    for pi, p in enumerate(client.perioden)]
        uitslagen.append(ClientUitslag(client.bsn, met_tekst(beoordeling.client_retourcodes(ci)),
                                       [m.toelichting for m in beoordeling.client_meldingen.get(ci, [])], perioden))
    return uitslagen, max(0, aantal - MAX_DETAILS)


