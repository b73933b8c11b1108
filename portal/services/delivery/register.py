"""The registrations of a gemeente as the iEb rules see them, and writing a judged message: every period
as it was sent with the codes it got back (BerichtPeriode), and applying an accepted message to the
registrations (BwPeriode) in the same transaction."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Dialect, Result, Table, bindparam, func, insert, literal, or_, select, update

from portal import ieb
from portal.extensions import db
from portal.ieb import GeregistreerdePeriode
from portal.ieb.register import ACTIE_PER_STATUS, Actie
from portal.ieb.retourcodes import GEEN_OPMERKING, TECHNISCH_AFGEKEURD
from portal.models import BerichtPeriode, BwPeriode, Gemeente, IdentificatieReservering

CHUNK = 500             # values per IN (...) query
INSERT_BLOK = 5000      # rows per executemany when a message is stored or applied

W = TypeVar("W")
BERICHTPERIODE_TABEL = cast(Table, BerichtPeriode.__table__)
BWPERIODE_TABEL = cast(Table, BwPeriode.__table__)


def chunks(waarden: Iterable[W], grootte: int = CHUNK) -> Iterator[list[W]]:
    iterator = iter(waarden)
    while blok := list(islice(iterator, grootte)):
        yield blok


class DbRegister:
    """The registrations of one Afzender, as the rules see them (ieb.RegisterView)."""

    def __init__(self, gemeente_id: int, bericht: ieb.Wmo407Bericht) -> None:
        self.gemeente_id = gemeente_id
        self._per_nummer: dict[int, tuple[int, GeregistreerdePeriode]] = {}
        self._per_bsn: dict[str, list[GeregistreerdePeriode]] = {}
        nummers = {p.bw_startnummer for c in bericht.clients for p in c.perioden}
        bsns = {c.bsn for c in bericht.clients}
        kolommen = (BwPeriode.id, BwPeriode.bw_startnummer, BwPeriode.bsn, BwPeriode.bw_startdatum,
                    BwPeriode.bw_einddatum, BwPeriode.verwijderd)
        basis = select(*kolommen).where(BwPeriode.gemeente_id == gemeente_id)
        if len(nummers) + len(bsns) > 4000:
            self._neem(db.session.execute(basis))
        else:
            # At most 4,000 values in one statement: within the bind-parameter limits of SQLite and PostgreSQL.
            self._neem(db.session.execute(basis.where(or_(BwPeriode.bw_startnummer.in_(sorted(nummers)),
                                                          BwPeriode.bsn.in_(sorted(bsns))))))
        self._identificaties: dict[str, bool] = {}

    def _neem(self, rijen: Result[int, int, str, date, date | None, bool]) -> None:
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
        """Asked by rule TR056 and by the receipt that reserves it: looked up once (the gemeente is locked)."""
        if identificatie not in self._identificaties:
            aantal = db.session.scalar(select(func.count()).select_from(IdentificatieReservering).where(
                IdentificatieReservering.gemeente_id == self.gemeente_id,
                IdentificatieReservering.identificatie == identificatie))
            self._identificaties[identificatie] = bool(aantal)
        return self._identificaties[identificatie]

    def primaire_sleutel(self, bw_startnummer: int) -> int:
        return self._per_nummer[bw_startnummer][0]


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


def bewaar_berichtperioden(bericht: ieb.Wmo407Bericht, beoordeling: ieb.Beoordeling, bericht_id: int,
                            gemeente_id: int) -> None:
    """Every period of a judged message as it was sent, with the codes it got back (BerichtPeriode)."""
    _voeg_in(BERICHTPERIODE_TABEL, BERICHTPERIODE_KOLOMMEN,
             _berichtperioden(bericht, beoordeling, bericht_id, gemeente_id))


def _voeg_in(tabel: Table, kolommen: Sequence[str], rijen: Iterable[tuple[Any, ...]]) -> None:
    """INSERT the rows (values in the order of `kolommen`), never all in memory at once.

    With tens of thousands of rows, SQLAlchemy's per-row parameter handling costs more than the insert
    itself, so the rows go to the driver directly, each value through its column type's own bind
    processing, so that it is stored exactly as a Core or ORM insert stores it: on PostgreSQL (psycopg)
    with COPY, elsewhere with one executemany per INSERT_BLOK rows on a driver with positional parameters
    (SQLite). Otherwise: the Core insert."""
    db.session.flush()
    verbinding = db.session.connection()
    dialect = verbinding.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _kopieer(verbinding, tabel, kolommen, rijen)
        return
    compiled = insert(tabel).compile(dialect=dialect, column_keys=list(kolommen))
    volgorde = list(compiled.positiontup or ()) if compiled.positional else []
    if sorted(volgorde) != sorted(kolommen):
        for blok in chunks(rijen, INSERT_BLOK):
            db.session.execute(insert(tabel), [dict(zip(kolommen, rij, strict=True)) for rij in blok])
        return
    plaats = {naam: i for i, naam in enumerate(kolommen)}
    plan = [(plaats[naam], _bind(tabel, naam, dialect)) for naam in volgorde]
    sql = str(compiled)
    for blok in chunks(rijen, INSERT_BLOK):
        kolomwaarden = list(zip(*blok, strict=True))
        geordend = [kolomwaarden[i] if verwerk is None else _verwerkt(verwerk, kolomwaarden[i]) for i, verwerk in plan]
        verbinding.exec_driver_sql(sql, list(zip(*geordend, strict=True)))


def _verwerkt(verwerk: Callable[[Any], Any], waarden: Sequence[Any]) -> Iterator[Any]:
    """``map(verwerk, waarden)``, maar elke verschillende waarde maar één keer verwerkt: een kolom met datums
    heeft er in een bericht hooguit een paar honderd verschillende, en de bind-verwerking kost per aanroep."""
    verwerkt = {waarde: verwerk(waarde) for waarde in set(waarden)}
    return map(verwerkt.__getitem__, waarden)


def _bind(tabel: Table, kolom: str, dialect: Dialect) -> Callable[[Any], Any] | None:
    return tabel.c[kolom].type.dialect_impl(dialect).bind_processor(dialect)


def _kopieer(verbinding: Connection, tabel: Table, kolommen: Sequence[str], rijen: Iterable[tuple[Any, ...]]) -> None:
    """COPY the rows into the table, in this session's transaction (psycopg adapts each value itself)."""
    dialect = verbinding.dialect
    verwerkers = [_bind(tabel, naam, dialect) for naam in kolommen]
    if any(verwerkers):
        rijen = (tuple(w if v is None else v(w) for v, w in zip(verwerkers, rij, strict=True)) for rij in rijen)
    quote = dialect.identifier_preparer
    sql = f"COPY {quote.format_table(tabel)} ({', '.join(quote.quote(naam) for naam in kolommen)}) FROM STDIN"
    psycopg_verbinding = cast(Any, verbinding.connection.driver_connection)
    with psycopg_verbinding.cursor() as cursor, cursor.copy(sql) as copy:
        for rij in rijen:
            copy.write_row(rij)


def pas_toe(gemeente: Gemeente, bericht: ieb.Wmo407Bericht, register: DbRegister, bericht_id: int,
             moment: datetime) -> None:
    """Apply an accepted message: status 1 creates, 2 replaces, 3 marks removed.

    The new periods are copied in one INSERT ... SELECT from this message's BerichtPeriode rows, which
    hold every period exactly as it was sent; the few replaced and removed ones are updated by primary
    key, one executemany per kind. Plain Core statements: nothing here needs ORM objects."""
    tabel, perioden = BWPERIODE_TABEL, BERICHTPERIODE_TABEL
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
    vervangen: list[dict[str, Any]] = [{"periode_id": register.primaire_sleutel(w.bw_startnummer), "bsn": w.bsn,
                  "bw_startdatum": w.bw_startdatum, "bw_einddatum": w.bw_einddatum,
                  "bericht_id": bericht_id, "gewijzigd_op": moment}
                 for w in wijzigingen if w.actie is Actie.VERVANGEN]
    verwijderd: list[dict[str, Any]] = [{"periode_id": register.primaire_sleutel(w.bw_startnummer), "verwijderd": True,
                   "bericht_id": bericht_id, "gewijzigd_op": moment}
                  for w in wijzigingen if w.actie is Actie.VERWIJDEREN]
    for rijen in (vervangen, verwijderd):
        for blok in chunks(rijen, INSERT_BLOK):
            db.session.execute(update(tabel).where(tabel.c.id == bindparam("periode_id")), blok)


