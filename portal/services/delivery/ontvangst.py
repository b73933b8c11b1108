"""Receiving a WMO407: stored first, checked at levels 0 to 3, applied in one transaction when accepted,
and answered with a WMO408 in the gemeente's folder (ieb-2.0.md section 5)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select, update

from portal import ieb
from portal.extensions import db
from portal.gemeentecodes import cbs_codes
from portal.ieb.retourcodes import RETOURCODES
from portal.kalender import format_moment
from portal.models import Categorie, Gemeente, IdentificatieReservering, Ontvangst, OntvangstStatus, Wmo407Bericht
from portal.rollen import Levering
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


@dataclass(frozen=True)
class EerdereOntvangst:
    """The same file (by SHA-256), received and judged before in this gemeente's folder."""

    ontvangst_id: int
    ontvangen_op: datetime
    geaccepteerd: bool
    identificatie: str
    retourcodes: list[str]

    @property
    def tekst(self) -> str:
        """What the uploader reads first."""
        moment = format_moment(self.ontvangen_op)
        if self.geaccepteerd:
            return (f"Dit bestand is op {moment} al ontvangen en verwerkt (uitkomst: geaccepteerd). "
                    "U hoeft niets te doen.")
        codes = ", ".join(self.retourcodes)
        return (f"Dit bestand is op {moment} al ontvangen en verwerkt (uitkomst: afgekeurd, retourcodes {codes}). "
                "Hetzelfde bestand nog eens sturen verandert daar niets aan: verbeter het bericht en lever het aan "
                "met een nieuwe Identificatie.")


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
    # The findings per retourcode (ieb.Meldingsgroep.als_dict), as the message's page shows them too.
    groepen: list[dict[str, Any]] = field(default_factory=list)
    eerder: EerdereOntvangst | None = None
    identificatie: str | None = None
    bericht_id: int | None = None
    wmo408_bestand_id: int | None = None
    wmo408_naam: str | None = None
    te_laat: bool = False
    aantal_clienten: int = 0
    aantal_perioden: int = 0
    retourcodes: list[str] = field(default_factory=list)
    kanaal_gesloten: bool = False    # refused because the gemeente may not deliver yet (iEb not open)

    @property
    def geaccepteerd(self) -> bool:
        return self.uitkomst == "geaccepteerd"


def met_tekst(codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(c, RETOURCODES.get(c, "onbekende code")) for c in codes]


def _bevinding(b: ieb.Bevinding) -> dict:
    return {"niveau": b.niveau, "regel": b.regelnummer, "kolom": b.kolom, "element": b.element,
            "toelichting": b.toelichting, "parsermelding": b.parsermelding}


def _eerder_verwerkt(gemeente_id: int | None, ontvangst: Ontvangst) -> EerdereOntvangst | None:
    """The first other upload of the same bytes in this folder that was judged (level 2 or 3) before this one."""
    gevonden = db.session.execute(
        select(Ontvangst.id, Ontvangst.ontvangen_op, Wmo407Bericht)
        .join(Wmo407Bericht, Wmo407Bericht.ontvangst_id == Ontvangst.id)
        .where(Ontvangst.sha256 == ontvangst.sha256, Ontvangst.gemeente_id == gemeente_id,
               Ontvangst.soort == SOORT, Ontvangst.id != ontvangst.id)
        .order_by(Wmo407Bericht.id).limit(1)).first()
    if gevonden is None:
        return None
    ontvangst_id, ontvangen_op, bericht = gevonden
    return EerdereOntvangst(ontvangst_id, ontvangen_op, bericht.geaccepteerd, bericht.identificatie, bericht.codes)


def _uitkomsttekst(verwerking: Verwerking) -> str:
    """The outcome as stored with the upload: the note on an earlier receipt first."""
    if verwerking.eerder is None:
        return verwerking.melding
    return f"{verwerking.eerder.tekst} {verwerking.melding}"


def _details(verwerking: Verwerking, details: dict[str, Any]) -> dict[str, Any]:
    if verwerking.eerder is not None:
        details["eerder_ontvangst_id"] = verwerking.eerder.ontvangst_id
    return details


def _weiger(ontvangst: Ontvangst, verwerking: Verwerking, melding: str, bevindingen: list[dict[str, Any]],
            status: OntvangstStatus = OntvangstStatus.GEWEIGERD, uitkomst: str = "geweigerd",
            niveau: int = 0) -> Verwerking:
    verwerking.eerder = _eerder_verwerkt(ontvangst.gemeente_id, ontvangst)
    verwerking.uitkomst = uitkomst
    verwerking.niveau = niveau
    verwerking.melding = melding
    verwerking.bevindingen = bevindingen
    storage.markeer(ontvangst, status, _uitkomsttekst(verwerking),
                    _details(verwerking, {"niveau": niveau, "bevindingen": bevindingen[:200]}))
    db.session.commit()
    return verwerking


def ontvang_wmo407(actor: Actor, code: str, bestandsnaam: str, inhoud: bytes, kanaal: str = "web") -> Verwerking:
    """Receive a WMO407 in the folder of gemeente `code`; the upload is stored before anything else."""
    gemeente = toegang.gemeente_om_te_leveren(actor.user, code, Levering.WMO407_STUREN)
    ontvangst = storage.bewaar_ontvangst(inhoud=inhoud, bestandsnaam=bestandsnaam, soort=SOORT, kanaal=kanaal,
                                         actor=actor, gemeente=gemeente)
    return verwerk_wmo407(actor, gemeente, ontvangst, inhoud)


def verwerk_wmo407(actor: Actor, gemeente: Gemeente, ontvangst: Ontvangst, inhoud: bytes) -> Verwerking:
    """Process a stored WMO407 (just received, or left unprocessed by a worker that died)."""
    # An earlier receipt of the same bytes is looked up when this one is refused (_weiger), or under the lock.
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
        verwerking.kanaal_gesloten = True
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
    # Looked up again under the lock: the same bytes sent a moment earlier may have been judged meanwhile.
    verwerking.eerder = _eerder_verwerkt(gemeente.id, ontvangst)
    register = DbRegister(gemeente.id, bericht)
    beoordeling = ieb.beoordeel(bericht, vandaag=vandaag(), cbs_codes=_cbs(), register=register)
    retourcodes = beoordeling.retourcodes()
    moment = ontvangst.ontvangen_op
    header = bericht.header
    meldingen = [{"code": m.code, "regel_id": m.regel_id, "element": m.element, "toelichting": m.toelichting,
                  "regel": m.regelnummer} for m in beoordeling.header_meldingen]
    rapport = beoordeling.rapport()
    groepen = [groep.als_dict() for groep in ieb.groepeer(bericht, beoordeling, MAX_DETAILS)]
    record = Wmo407Bericht(
        ontvangst_id=ontvangst.id, gemeente_id=gemeente.id, identificatie=header.identificatie,
        dagtekening=header.dagtekening, ontvangen_op=moment, niveau=beoordeling.niveau,
        geaccepteerd=beoordeling.geaccepteerd,
        retourcodes="," + ",".join(retourcodes) + "," if retourcodes else "",
        aantal_clienten=len(bericht.clients), aantal_perioden=sum(len(c.perioden) for c in bericht.clients),
        te_laat=migratie.is_te_laat(gemeente, moment),
        rapport={"header": meldingen, "rapport": rapport[:MAX_DETAILS], "groepen": groepen})
    db.session.add(record)
    db.session.flush()
    record.identificatie_retour = f"R{record.id:011d}"
    if not register.identificatie_gebruikt(header.identificatie):
        db.session.add(IdentificatieReservering(gemeente_id=gemeente.id, identificatie=header.identificatie,
                                                bericht_id=record.id))

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

    verwerking.uitkomst = "geaccepteerd" if beoordeling.geaccepteerd else "afgekeurd"
    verwerking.niveau = beoordeling.niveau
    verwerking.melding = rapport[0]
    if verwerking.eerder is not None and verwerking.eerder.geaccepteerd and not beoordeling.geaccepteerd:
        verwerking.melding = _herhaling(retourcodes)
    storage.markeer(ontvangst, OntvangstStatus.VERWERKT if beoordeling.geaccepteerd else OntvangstStatus.AFGEKEURD,
                    _uitkomsttekst(verwerking),
                    _details(verwerking, {"niveau": beoordeling.niveau, "identificatie": header.identificatie,
                                          "bericht_id": record.id}))
    migratie.na_wmo407(actor, record)
    # What the uploader sees is taken before the commit, so that nothing is read again after it.
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
    verwerking.groepen = groepen
    db.session.commit()
    return verwerking


def _herhaling(retourcodes: list[str]) -> str:
    """The outcome of a repeat of an accepted message, after the note that says so."""
    codes = " en ".join(", ".join(retourcodes).rsplit(", ", 1))
    return (f"Zoals de standaard voorschrijft, is dit tweede exemplaar afgekeurd met "
            f"{'retourcode' if len(retourcodes) == 1 else 'retourcodes'} {codes}, omdat het eerdere al is verwerkt. "
            "Het retourbericht hieronder hoort bij dit tweede exemplaar; aan de eerdere verwerking verandert niets.")
