"""Receiving WMO407 messages: store first, check levels 0 to 3, apply an accepted message in one
transaction, and answer with a WMO408 in the gemeente's folder (ieb-2.0.md section 5)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import chain, islice

from sqlalchemy import Table, bindparam, func, insert, literal, select, update

from portal import ieb
from portal.extensions import db
from portal.gemeentecodes import cbs_codes
from portal.ieb import GeregistreerdePeriode
from portal.ieb.register import ACTIE_PER_STATUS, Actie
from portal.ieb.retourcodes import GEEN_OPMERKING, RETOURCODES, TECHNISCH_AFGEKEURD
from portal.models import (BerichtPeriode, BwPeriode, Categorie, Gemeente, IdentificatieReservering, Migratie,
                           Ontvangst, OntvangstStatus, TerugkoppelingRegel, Wmo407Bericht)
from portal.services import migratie as migratieservice
from portal.services import storage, toegang
from portal.services.audit import Actor
from portal.services.klok import nu, vandaag
from portal.spreadsheets import bestandsnamen

SOORT = "WMO407"
MAX_DETAILS = 500
CHUNK = 500
INSERT_BLOK = 5000      # rows per executemany when a message is stored or applied


@lru_cache(maxsize=1)
def _cbs() -> frozenset[str]:
    return cbs_codes()


def _chunks(waarden: Iterable, grootte: int = CHUNK) -> Iterable[list]:
    iterator = iter(waarden)
    while blok := list(islice(iterator, grootte)):
        yield blok


class DbRegister:
    """The registrations of one Afzender, as the rules see them (ieb.RegisterView)."""

    def __init__(self, gemeente_id: int, bericht: ieb.Wmo407Bericht) -> None:
        self.gemeente_id = gemeente_id
        self._per_nummer: dict[int, tuple[int, GeregistreerdePeriode]] = {}
        self._per_bsn: dict[str, list[GeregistreerdePeriode]] = {}
        nummers = sorted({p.bw_startnummer for c in bericht.clients for p in c.perioden})
        bsns = sorted({c.bsn for c in bericht.clients})
        kolommen = (BwPeriode.id, BwPeriode.bw_startnummer, BwPeriode.bsn, BwPeriode.bw_startdatum,
                    BwPeriode.bw_einddatum, BwPeriode.verwijderd)
        basis = select(*kolommen).where(BwPeriode.gemeente_id == gemeente_id)
        if len(nummers) + len(bsns) > 4000:
            self._neem(db.session.execute(basis))
        else:
            for blok in _chunks(nummers):
                self._neem(db.session.execute(basis.where(BwPeriode.bw_startnummer.in_(blok))))
            for blok in _chunks(bsns):
                self._neem(db.session.execute(basis.where(BwPeriode.bsn.in_(blok))))

    def _neem(self, rijen) -> None:
        for pk, nummer, bsn, start, einde, verwijderd in rijen:
            if nummer in self._per_nummer:
                continue
            periode = GeregistreerdePeriode(bsn=bsn, bw_startnummer=nummer, bw_startdatum=start,
                                            bw_einddatum=einde, verwijderd=verwijderd)
            self._per_nummer[nummer] = (pk, periode)
            self._per_bsn.setdefault(bsn, []).append(periode)

    def periode(self, bw_startnummer: int) -> GeregistreerdePeriode | None:
        gevonden = self._per_nummer.get(bw_startnummer)
        return gevonden[1] if gevonden else None

    def perioden_van_bsn(self, bsn: str) -> list[GeregistreerdePeriode]:
        return self._per_bsn.get(bsn, [])

    def identificatie_gebruikt(self, identificatie: str) -> bool:
        return db.session.scalar(select(func.count()).select_from(IdentificatieReservering).where(
            IdentificatieReservering.gemeente_id == self.gemeente_id,
            IdentificatieReservering.identificatie == identificatie)) > 0

    def primaire_sleutel(self, bw_startnummer: int) -> int:
        return self._per_nummer[bw_startnummer][0]


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


def _met_tekst(codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(c, RETOURCODES.get(c, "onbekende code")) for c in codes]


def _bevinding(b: ieb.Bevinding) -> dict:
    return {"niveau": b.niveau, "regel": b.regelnummer, "kolom": b.kolom, "element": b.element,
            "toelichting": b.toelichting, "parsermelding": b.parsermelding}


def _weiger(ontvangst: Ontvangst, verwerking: Verwerking, melding: str, bevindingen: list[dict],
            status: str = OntvangstStatus.GEWEIGERD, uitkomst: str = "geweigerd", niveau: int = 0) -> Verwerking:
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

    transport = ieb.controleer_transport(inhoud)
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
    reden = migratieservice.mag_aanleveren(gemeente)
    if reden is not None:
        return _weiger(ontvangst, verwerking, f"Het bericht is geweigerd. {reden}", [])

    schema = ieb.controleer_schema(transport)
    del transport
    if not schema.ok:
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
        te_laat=migratieservice.is_te_laat(gemeente, moment))
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

    _bewaar_berichtperioden(bericht, beoordeling, record.id, gemeente.id)

    if beoordeling.geaccepteerd:
        _pas_toe(gemeente, bericht, register, record.id, moment)

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
    migratieservice.na_wmo407(actor, record)
    db.session.commit()

    verwerking.uitkomst = "geaccepteerd" if beoordeling.geaccepteerd else "afgekeurd"
    verwerking.niveau = beoordeling.niveau
    verwerking.melding = samenvatting
    verwerking.rapport = rapport[1:MAX_DETAILS]
    verwerking.header_codes = _met_tekst(beoordeling.header_retourcodes())
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


BERICHTPERIODE_KOLOMMEN = ("bericht_id", "gemeente_id", "bsn", "bw_startnummer", "bw_startdatum", "bw_einddatum",
                           "status_aanlevering", "retourcodes", "client_retourcodes")


def _berichtperioden(bericht: ieb.Wmo407Bericht, beoordeling: ieb.Beoordeling, bericht_id: int,
                     gemeente_id: int) -> Iterator[tuple]:
    """The BerichtPeriode rows of a judged message (BERICHTPERIODE_KOLOMMEN), one period at a time.

    Level 2 judges nothing per period, but the message's BSNs were sent: every period gets 0001."""
    niveau2 = beoordeling.niveau != 3
    periode_meldingen, client_meldingen = beoordeling.periode_meldingen, beoordeling.client_meldingen
    for ci, client in enumerate(bericht.clients):
        if niveau2:
            client_codes = TECHNISCH_AFGEKEURD
        elif ci in client_meldingen:
            client_codes = ",".join(beoordeling.client_retourcodes(ci))
        else:
            client_codes = GEEN_OPMERKING
        for pi, periode in enumerate(client.perioden):
            if niveau2:
                codes = TECHNISCH_AFGEKEURD
            elif (ci, pi) in periode_meldingen:
                codes = ",".join(beoordeling.periode_retourcodes(ci, pi))
            else:
                codes = GEEN_OPMERKING
            yield (bericht_id, gemeente_id, client.bsn, periode.bw_startnummer, periode.bw_startdatum,
                   periode.bw_einddatum, periode.status_aanlevering, codes, client_codes)


def _bewaar_berichtperioden(bericht: ieb.Wmo407Bericht, beoordeling: ieb.Beoordeling, bericht_id: int,
                            gemeente_id: int) -> None:
    """Every period of a judged message as it was sent, with the codes it got back (BerichtPeriode)."""
    _voeg_in(BerichtPeriode.__table__, BERICHTPERIODE_KOLOMMEN,
             _berichtperioden(bericht, beoordeling, bericht_id, gemeente_id))


def _voeg_in(tabel: Table, kolommen: Sequence[str], rijen: Iterable[tuple]) -> None:
    """INSERT the rows (values in the order of `kolommen`), INSERT_BLOK rows per executemany.

    With tens of thousands of rows, SQLAlchemy's per-row parameter handling costs more than the
    insert itself. On a driver with positional parameters (SQLite) the rows therefore go to the
    driver directly, each value through its column type's own bind processing, so that it is stored
    exactly as a Core or ORM insert stores it. Otherwise: the Core insert. The rows are never all in
    memory at once."""
    db.session.flush()
    verbinding = db.session.connection()
    dialect = verbinding.dialect
    compiled = insert(tabel).compile(dialect=dialect, column_keys=list(kolommen))
    volgorde = list(compiled.positiontup or ()) if compiled.positional else []
    if sorted(volgorde) != sorted(kolommen):
        for blok in _chunks(rijen, INSERT_BLOK):
            db.session.execute(insert(tabel), [dict(zip(kolommen, rij)) for rij in blok])
        return
    plaats = {naam: i for i, naam in enumerate(kolommen)}
    plan = [(plaats[naam], tabel.c[naam].type.dialect_impl(dialect).bind_processor(dialect)) for naam in volgorde]
    sql = str(compiled)
    for blok in _chunks(rijen, INSERT_BLOK):
        kolomwaarden = list(zip(*blok))
        geordend = [kolomwaarden[i] if verwerk is None else map(verwerk, kolomwaarden[i]) for i, verwerk in plan]
        verbinding.exec_driver_sql(sql, list(zip(*geordend)))


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
                                   _met_tekst(beoordeling.periode_retourcodes(ci, pi)),
                                   [m.toelichting for m in beoordeling.periode_meldingen.get((ci, pi), [])])
                    for pi, p in enumerate(client.perioden)]
        uitslagen.append(ClientUitslag(client.bsn, _met_tekst(beoordeling.client_retourcodes(ci)),
                                       [m.toelichting for m in beoordeling.client_meldingen.get(ci, [])], perioden))
    return uitslagen, max(0, aantal - MAX_DETAILS)


def _pas_toe(gemeente: Gemeente, bericht: ieb.Wmo407Bericht, register: DbRegister, bericht_id: int,
             moment: datetime) -> None:
    """Apply an accepted message: status 1 creates, 2 replaces, 3 marks removed.

    The new periods are copied in one INSERT ... SELECT from this message's BerichtPeriode rows, which
    hold every period exactly as it was sent; the few replaced and removed ones are updated by primary
    key, one executemany per kind. Plain Core statements: nothing here needs ORM objects."""
    tabel, perioden = BwPeriode.__table__, BerichtPeriode.__table__
    aanmaken = [status for status, actie in ACTIE_PER_STATUS.items() if actie is Actie.AANMAKEN]
    db.session.execute(insert(tabel).from_select(
        ["gemeente_id", "bw_startnummer", "bsn", "bw_startdatum", "bw_einddatum", "verwijderd", "bericht_id",
         "gewijzigd_op"],
        select(perioden.c.gemeente_id, perioden.c.bw_startnummer, perioden.c.bsn, perioden.c.bw_startdatum,
               perioden.c.bw_einddatum, literal(False, tabel.c.verwijderd.type), perioden.c.bericht_id,
               literal(moment, tabel.c.gewijzigd_op.type))
        .where(perioden.c.bericht_id == bericht_id, perioden.c.gemeente_id == gemeente.id,
               perioden.c.status_aanlevering.in_(aanmaken))
        .order_by(perioden.c.id)))
    if all(p.status_aanlevering in aanmaken for c in bericht.clients for p in c.perioden):
        return
    wijzigingen = [w for w in ieb.wijzigingen(bericht) if w.actie is not Actie.AANMAKEN]
    vervangen = [{"periode_id": register.primaire_sleutel(w.bw_startnummer), "bsn": w.bsn,
                  "bw_startdatum": w.bw_startdatum, "bw_einddatum": w.bw_einddatum,
                  "bericht_id": bericht_id, "gewijzigd_op": moment}
                 for w in wijzigingen if w.actie is Actie.VERVANGEN]
    verwijderd = [{"periode_id": register.primaire_sleutel(w.bw_startnummer), "verwijderd": True,
                   "bericht_id": bericht_id, "gewijzigd_op": moment}
                  for w in wijzigingen if w.actie is Actie.VERWIJDEREN]
    for rijen in (vervangen, verwijderd):
        for blok in _chunks(rijen, INSERT_BLOK):
            db.session.execute(update(tabel).where(tabel.c.id == bindparam("periode_id")), blok)


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
    gemeente = toegang.gemeente_voor(actor.user, code)
    migratie = migratieservice.migratie_van(gemeente)
    if migratie.akkoord_terugkoppeling_id is None:
        raise migratieservice.MigratieFout(
            "Er is nog geen akkoord om aan te leveren, dus er is nog geen goedgekeurde terugkoppeling om een "
            "WMO407 van te maken. Wacht op de e-mail 'Akkoord om aan te leveren'.")
    if gemeente.bw_startnummer is None:
        raise migratieservice.MigratieFout(
            f"Voor {gemeente.naam} is nog geen eerste BwStartNummer ingesteld; vraag het CAK dit in te stellen.")
    verwacht = db.session.scalars(select(TerugkoppelingRegel.bsn).where(
        TerugkoppelingRegel.terugkoppeling_id == migratie.akkoord_terugkoppeling_id,
        TerugkoppelingRegel.code == "J").order_by(TerugkoppelingRegel.rij)).all()
    geregistreerd = set(db.session.scalars(select(BwPeriode.bsn).where(
        BwPeriode.gemeente_id == gemeente.id, BwPeriode.verwijderd.is_(False))))
    in_gebruik = set(db.session.scalars(select(BwPeriode.bw_startnummer).where(BwPeriode.gemeente_id == gemeente.id)))
    te_sturen = [bsn for bsn in dict.fromkeys(verwacht) if bsn not in geregistreerd]
    if not te_sturen:
        raise migratieservice.MigratieFout(
            "Voor alle cliënten met code J is al een WMO407 geaccepteerd; er is niets meer aan te leveren.")
    startdatum = migratieservice.migratie_startdatum()
    clients, nummer = [], gemeente.bw_startnummer
    for bsn in te_sturen:
        while nummer in in_gebruik:
            nummer += 1
        clients.append(ieb.Client(bsn, (ieb.Periode(nummer, startdatum, None, 1),)))
        nummer += 1
    identificatie = _volgende_identificatie(gemeente)
    inhoud = ieb.wmo407_bytes(afzender=gemeente.code, identificatie=identificatie, dagtekening=vandaag(),
                              clients=clients)
    from portal.services import audit
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


# ---------------------------------------------------------------- the messages page

@dataclass(frozen=True)
class Berichtregel:
    ontvangst: Ontvangst
    bericht: Wmo407Bericht | None

    @property
    def uitkomst(self) -> str:
        if self.bericht is not None:
            return "geaccepteerd" if self.bericht.geaccepteerd else "afgekeurd"
        return "geweigerd" if self.ontvangst.status == OntvangstStatus.GEWEIGERD else "ongeldig"


def _regels(ontvangsten: Sequence[Ontvangst]) -> list[Berichtregel]:
    ids = [o.id for o in ontvangsten]
    berichten = {}
    for blok in _chunks(ids):
        berichten.update({b.ontvangst_id: b for b in db.session.scalars(
            select(Wmo407Bericht).where(Wmo407Bericht.ontvangst_id.in_(blok)))})
    return [Berichtregel(o, berichten.get(o.id)) for o in ontvangsten]


def berichten(user, code: str, retourcode: str | None = None, limiet: int = 500) -> tuple[Gemeente, list[Berichtregel]]:
    """Every WMO407 the gemeente sent, newest first; with a retourcode only the messages that got it."""
    gemeente = toegang.gemeente_voor(user, code)
    query = select(Ontvangst).where(Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort == SOORT)
    if retourcode and retourcode not in RETOURCODES:
        return gemeente, []
    if retourcode:
        query = query.join(Wmo407Bericht, Wmo407Bericht.ontvangst_id == Ontvangst.id).where(
            Wmo407Bericht.retourcodes.like(f"%,{retourcode},%"))
    ontvangsten = db.session.scalars(query.order_by(Ontvangst.ontvangen_op.desc(), Ontvangst.id.desc())
                                     .limit(limiet)).all()
    return gemeente, _regels(ontvangsten)


@dataclass(frozen=True)
class BsnOverzicht:
    bsn: str
    perioden: list[BwPeriode]
    berichtperioden: list[tuple[BerichtPeriode, Wmo407Bericht]]


def zoek_bsn(user, code: str, bsn: str) -> tuple[Gemeente, BsnOverzicht]:
    """All registered periods of a BSN for this gemeente, and every message period that touched it."""
    gemeente = toegang.gemeente_voor(user, code)
    bsn = "".join(c for c in bsn if c.isdigit())
    perioden = db.session.scalars(select(BwPeriode).where(
        BwPeriode.gemeente_id == gemeente.id, BwPeriode.bsn == bsn).order_by(BwPeriode.bw_startdatum)).all()
    berichtperioden = db.session.execute(
        select(BerichtPeriode, Wmo407Bericht).join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
        .where(BerichtPeriode.gemeente_id == gemeente.id, BerichtPeriode.bsn == bsn)
        .order_by(Wmo407Bericht.ontvangen_op, BerichtPeriode.id)).all()
    return gemeente, BsnOverzicht(bsn, list(perioden), list(berichtperioden))


@dataclass(frozen=True)
class Berichtdetail:
    gemeente: Gemeente
    regel: Berichtregel
    perioden: list[BerichtPeriode]
    weggelaten: int


def bericht_detail(user, code: str, ontvangst_id: int, limiet: int = 1000) -> Berichtdetail:
    gemeente = toegang.gemeente_voor(user, code)
    ontvangst = db.session.get(Ontvangst, ontvangst_id)
    if ontvangst is None or ontvangst.gemeente_id != gemeente.id or ontvangst.soort != SOORT:
        raise toegang.NietGevonden(ontvangst_id)
    regel = _regels([ontvangst])[0]
    perioden, weggelaten = [], 0
    if regel.bericht is not None:
        query = select(BerichtPeriode).where(BerichtPeriode.bericht_id == regel.bericht.id)
        # periods with remarks first, then the rest in message order
        perioden = db.session.scalars(query.where(BerichtPeriode.retourcodes != "0200")
                                      .order_by(BerichtPeriode.id).limit(limiet)).all()
        perioden += db.session.scalars(query.where(BerichtPeriode.retourcodes == "0200")
                                       .order_by(BerichtPeriode.id).limit(max(0, limiet - len(perioden)))).all()
        weggelaten = max(0, regel.bericht.aantal_perioden - len(perioden))
    return Berichtdetail(gemeente, regel, list(perioden), weggelaten)


def retourcodes_in_gebruik(gemeente: Gemeente) -> list[tuple[str, str]]:
    codes: set[str] = set()
    for tekst in db.session.scalars(select(Wmo407Bericht.retourcodes).where(
            Wmo407Bericht.gemeente_id == gemeente.id).distinct()):
        codes.update(c for c in tekst.split(",") if c)
    return _met_tekst(sorted(codes))
