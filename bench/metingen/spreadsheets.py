"""The spreadsheets the portal writes and reads, against the bare library doing the same cells.

- "B4 schrijven": the publish step's path from the database rows to the B4's bytes (`b4.maak_b4`: one
  streamed query, the streaming writer with every rule, the rows kept for the snapshot) against one plain
  query of the same columns and openpyxl's write-only mode writing the same cells without styles.
- "Terugkoppeling controleren": `read_terugkoppeling` on a B4 filled in with code J against openpyxl
  read-only iterating the same cells.
- "Weekrapportage" and "Aanleverrapportage": the file as the planner builds it (`bestanden`) against two
  plain SQL queries (the periods with their message, the registrations with the B4 data) and openpyxl
  write-only writing the same sheets; with the time at half the clients in ``extra`` (linear: about 2×).

Peaks: in a fresh process (`kader.in_eigen_proces`), after one warm-up call (imports, the app, the first
connection), the growth of the peak RSS during a second call: the memory the file itself costs. Every
database measure runs on a fresh database per size, loaded with bulk inserts.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from typing import Any

from sqlalchemy import select

from bench import kader

MOMENT = datetime(2022, 10, 12, 8, 1, tzinfo=UTC)  # the Wednesday report of the timeslot of 03-10-2022
ONTVANGEN = datetime(2022, 10, 4, 9, 15, tzinfo=UTC)
VANAF = datetime(2022, 10, 1, tzinfo=UTC)
CLIENTEN_PER_BERICHT = 1_000
CODE = "0363"


def bsns(aantal: int) -> list[str]:
    """``aantal`` 9-digit BSNs that pass the elfproef, from 100000000 on."""
    from portal.bsn import voldoet_aan_elfproef

    gevonden: list[str] = []
    nummer = 100_000_000
    while len(gevonden) < aantal:
        if voldoet_aan_elfproef(str(nummer)):
            gevonden.append(str(nummer))
        nummer += 1
    return gevonden


# --------------------------------------------------------------------------------------------- data
def laad(url: str, clienten: int) -> None:
    """A gemeente with ``clienten`` BW clients, a published B4 (its snapshot), and two accepted periods per
    client in WMO407 messages of 1,000 clients each; everything with bulk inserts."""
    from sqlalchemy import insert

    from portal.extensions import db
    from portal.models import (
        B4Regel,
        BerichtPeriode,
        Bestand,
        BwClient,
        Categorie,
        Gemeente,
        Ontvangst,
        OntvangstStatus,
        Wmo407Bericht,
    )

    app = kader.app_voor(url)
    with app.app_context():
        gemeente = Gemeente(code=CODE, naam="Amsterdam", soort="centrumgemeente", levert_zelf_aan=True,
                            bestandsprefix="680363")
        db.session.add(gemeente)
        db.session.flush()
        bestand = Bestand(gemeente_id=gemeente.id, categorie=Categorie.BESTANDSVERGELIJKING,
                          naam="680363_B4_Bestandsvergelijking_20220926.xlsx", inhoud=b"", sha256="0" * 64,
                          grootte=0, mediatype="application/octet-stream",
                          gepubliceerd_op=datetime(2022, 9, 26, 8, 30, tzinfo=UTC), sleutel="B4:2022-09-26")
        db.session.add(bestand)
        db.session.flush()
        namen = ("Jansen", "de Vries", "Bakker", "Boetzelaer van Oosterhout-Wijnbergen", "Yılmaz", "El Amrani")
        nummers = bsns(clienten)
        clientrijen = [{"gemeente_id": gemeente.id, "bsn": nummers[n], "geslachtsnaam": f"{namen[n % len(namen)]} {n}",
                            "voorvoegsel": ("van", None, "de")[n % 3], "voorletters": "A.B.",
                            "geboortedatum": date(1950 + n % 60, 1 + n % 12, 1 + n % 28),
                            "datum_start_bw": date(2019, 3, 1),
                            "datum_einde_bw": None, "bron": ("H&V", "EXCEL", "60-RECORD")[n % 3],
                            "aanbieder_agb": f"{n % 100_000_000:08d}", "soort_bijdrage": ("LEB", "HEB")[n % 2]}
                       for n in range(clienten)]
        db.session.execute(insert(BwClient), clientrijen)
        db.session.execute(insert(B4Regel), [
            {**{k: v for k, v in rij.items() if k != "gemeente_id"}, "gemeente_id": gemeente.id,
             "bestand_id": bestand.id, "rij": nummer, "gemeentecode": CODE}
            for nummer, rij in enumerate(clientrijen, start=2)])
        for blok, begin in enumerate(range(0, clienten, CLIENTEN_PER_BERICHT)):
            moment = ONTVANGEN + timedelta(minutes=blok)
            ontvangst = Ontvangst(gemeente_id=gemeente.id, kanaal="IEB", soort="WMO407",
                                  bestandsnaam=f"wmo407_{blok}.xml", inhoud=b"", sha256="0" * 64, grootte=0,
                                  ontvangen_op=moment, status=OntvangstStatus.VERWERKT, uitkomst="Goedgekeurd")
            db.session.add(ontvangst)
            db.session.flush()
            einde = min(begin + CLIENTEN_PER_BERICHT, clienten)
            bericht = Wmo407Bericht(ontvangst_id=ontvangst.id, gemeente_id=gemeente.id,
                                    identificatie=f"MIG{blok:09d}", dagtekening=date(2022, 10, 4), ontvangen_op=moment,
                                    niveau=3, geaccepteerd=True, retourcodes="0200", aantal_clienten=einde - begin,
                                    aantal_perioden=2 * (einde - begin), rapport={"header": []})
            db.session.add(bericht)
            db.session.flush()
            db.session.execute(insert(BerichtPeriode), [
                {"bericht_id": bericht.id, "gemeente_id": gemeente.id, "bsn": clientrijen[n]["bsn"],
                     "bw_startnummer": 2 * n + k + 1, "bw_startdatum": date(2022, 10, 1) if k else date(2021, 1, 1),
                     "bw_einddatum": None if k else date(2022, 9, 30), "status_aanlevering": 1, "retourcodes": "0200",
                     "client_retourcodes": "0200"}
                for n in range(begin, einde) for k in (0, 1)])
        db.session.commit()
        db.engine.dispose()


_APPS: dict[str, Any] = {}
_ENGINES: dict[str, Any] = {}


def _engine(url: str) -> Any:
    from sqlalchemy import create_engine

    from portal.config import normalise_database_url

    if url not in _ENGINES:
        _ENGINES[url] = create_engine(normalise_database_url(url))
    return _ENGINES[url]


def _app(url: str) -> Any:
    """One portal app per database, made outside the timed calls."""
    if url not in _APPS:
        _APPS[url] = kader.app_voor(url)
    return _APPS[url]


def _piek_van(func: Callable[..., Any], *args: Any) -> float:
    """In a fresh process: first what a running portal already has (the imports, the app, a connection),
    then the growth of the peak RSS (MB) during ``func(*args)``: the memory the file itself costs."""
    import openpyxl  # noqa: F401
    import xlsxwriter  # noqa: F401

    import portal.services.migratie  # noqa: F401
    from portal.extensions import db

    if args and isinstance(args[0], str):
        with _app(args[0]).app_context():
            db.session.execute(select(1))
            db.session.rollback()
        with _engine(args[0]).connect() as conn:
            conn.execute(select(1))
    _, piek, _ = kader.piek_van(lambda: func(*args))
    return piek


def _piek(func: Callable[..., Any], *args: Any) -> float:
    piek, _, _ = kader.in_eigen_proces(_piek_van, func, *args)
    return float(piek)


# --------------------------------------------------------------------------------------------- B4
def _b4_ons(url: str) -> int:
    from portal.extensions import db
    from portal.models import Gemeente
    from portal.services.migratie import b4

    with _app(url).app_context():
        gemeente = db.session.query(Gemeente).filter_by(code=CODE).one()
        inhoud, _ = b4.maak_b4(gemeente, MOMENT)
        db.session.rollback()
        return len(inhoud)


def _b4_basis(url: str) -> int:
    from openpyxl import Workbook
    from sqlalchemy import text

    from portal.spreadsheets.bestandsvergelijking import LAYOUT

    with _engine(url).connect() as conn:
        rijen = conn.execute(text(
            "select g.code, c.bsn, c.geslachtsnaam, c.voorvoegsel, c.voorletters, c.geboortedatum, "
            "c.datum_start_bw, c.datum_einde_bw, c.bron, c.aanbieder_agb, c.soort_bijdrage "
            "from bw_client c join gemeente g on g.id = c.gemeente_id order by g.code, c.geslachtsnaam, c.bsn"))
        werkmap = Workbook(write_only=True)
        blad = werkmap.create_sheet(LAYOUT.title)
        blad.append(list(LAYOUT.names))
        for rij in rijen:
            blad.append(list(rij))
        uit = BytesIO()
        werkmap.save(uit)
    return len(uit.getvalue())


# --------------------------------------------------------------------------------------------- terugkoppeling
def _ingevulde_b4(clienten: int) -> tuple[bytes, list]:
    from openpyxl import load_workbook

    from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking

    rijen = [B4Rij(CODE, bsn, f"Naam {n}", None, "A.B.", date(1980, 5, 17), date(2019, 3, 1), None, "H&V",
                   f"{n:08d}", "LEB") for n, bsn in enumerate(bsns(clienten))]
    # Filled in and saved again by a spreadsheet program, as every real upload is: openpyxl's normal
    # workbook stands in for it (shared strings, as Excel and LibreOffice save them).
    werkmap = load_workbook(BytesIO(write_bestandsvergelijking(rijen, created_at=MOMENT)))
    blad = werkmap["Bestandsvergelijking"]
    for nummer in range(2, clienten + 2):
        blad.cell(row=nummer, column=12, value="J")
    uit = BytesIO()
    werkmap.save(uit)
    return uit.getvalue(), rijen


def _terugkoppeling_ons(inhoud: bytes, rijen: list) -> int:
    from portal.spreadsheets.terugkoppeling import read_terugkoppeling

    resultaat = read_terugkoppeling(inhoud, gemeentecodes={CODE}, b4_rows=rijen)
    if not resultaat.geldig:
        raise RuntimeError(f"terugkoppeling afgekeurd: {resultaat.problemen[:3]}")
    return len(resultaat.rijen)


def _terugkoppeling_basis(inhoud: bytes) -> int:
    from openpyxl import load_workbook

    werkmap = load_workbook(BytesIO(inhoud), read_only=True, data_only=True)
    aantal = sum(1 for rij in werkmap["Bestandsvergelijking"].iter_rows(values_only=True) if rij[1])
    werkmap.close()
    return aantal


# --------------------------------------------------------------------------------------------- reports
def _rapport_ons(url: str, soort: str) -> int:
    from portal.extensions import db
    from portal.models import Gemeente
    from portal.services import uitval
    from portal.services.migratie import aansluiting, bestanden
    from portal.spreadsheets.aanleverrapportage import write_aanleverrapportage

    with _app(url).app_context():
        gemeente = db.session.query(Gemeente).filter_by(code=CODE).one()
        if soort == "week":
            inhoud = write_aanleverrapportage(
                bestanden.berichtrijen(gemeente, tot=MOMENT, vanaf=VANAF),
                bestanden.productafnamerijen(gemeente, MOMENT), created_at=MOMENT,
                uitval=uitval.rijen(gemeente, tot=MOMENT))
        else:
            stand = aansluiting.bereken_aansluiting(gemeente, tot=MOMENT)
            inhoud = write_aanleverrapportage(
                bestanden.berichtrijen(gemeente, tot=MOMENT), bestanden.productafnamerijen(gemeente, MOMENT),
                created_at=MOMENT, aansluiting=stand)
        db.session.rollback()
        return len(inhoud)


def _rapport_basis(url: str, soort: str) -> int:
    """Two SQL queries and openpyxl write-only with the same sheets and cells (Aansluiting: one row per
    client from the second query)."""
    from openpyxl import Workbook
    from sqlalchemy import text

    from portal.kalender import to_local
    from portal.spreadsheets.aanleverrapportage import AANSLUITING, BERICHTEN, PRODUCTAFNAME

    werkmap = Workbook(write_only=True)
    with _engine(url).connect() as conn:
        berichten = werkmap.create_sheet(BERICHTEN.title)
        berichten.append(list(BERICHTEN.names))
        for ident, dag, ontvangen, bsn, nummer, start, einde, status_, codes in conn.execute(text(
                "select b.identificatie, b.dagtekening, o.ontvangen_op, p.bsn, p.bw_startnummer, p.bw_startdatum, "
                "p.bw_einddatum, p.status_aanlevering, p.retourcodes from bericht_periode p "
                "join wmo407_bericht b on b.id = p.bericht_id join ontvangst o on o.id = b.ontvangst_id "
                "order by o.ontvangen_op, o.id, p.id")):
            moment = ontvangen if isinstance(ontvangen, datetime) else datetime.fromisoformat(str(ontvangen))
            berichten.append([ident, dag, to_local(moment.replace(tzinfo=UTC)).replace(tzinfo=None), bsn, nummer,
                              start, einde, str(status_), codes, "0200: Geen opmerking", "goedgekeurd"])
        productafname = werkmap.create_sheet(PRODUCTAFNAME.title)
        productafname.append(list(PRODUCTAFNAME.names))
        rijen = conn.execute(text(
            "select p.bsn, p.bw_startnummer, p.bw_startdatum, p.bw_einddatum, r.geboortedatum, r.soort_bijdrage "
            "from bericht_periode p left join b4_regel r on r.bsn = p.bsn order by p.bsn, p.bw_startnummer")).all()
        for bsn, nummer, start, einde, _, soort_bijdrage in rijen:
            productafname.append([bsn, nummer, start, einde, "J", soort_bijdrage, None, start])
        if soort == "aanlevering":
            blad = werkmap.create_sheet(AANSLUITING.title)
            blad.append(["De aanlevering is correct."])
            blad.append(list(AANSLUITING.names))
            vorige = None
            for bsn, _, start, *_ in rijen:
                if bsn != vorige:
                    blad.append([bsn, "J", "J", start, "ok"])
                vorige = bsn
    uit = BytesIO()
    werkmap.save(uit)
    return len(uit.getvalue())


# --------------------------------------------------------------------------------------------- measures
def _database(db: kader.Database, naam: str, clienten: int) -> str:
    url = kader.nieuwe_database(db, f"{naam}{clienten}")
    kader.migreer(url)
    laad(url, clienten)
    return url


def _b4(omgeving: kader.Omgeving) -> Iterator[kader.Resultaat]:
    groottes = (500, 2_000) if omgeving.snel else (5_000, 30_000)
    for db in omgeving.databases:
        for clienten in groottes:
            url = _database(db, "b4_", clienten)
            ons, basis = kader.afwisselend(lambda url=url: _b4_ons(url), lambda url=url: _b4_basis(url))
            piek, basis_piek = _piek(_b4_ons, url), _piek(_b4_basis, url)
            grens = 100 if clienten >= 30_000 else None
            yield kader.resultaat(
                "B4 schrijven", f"{kader.duizendtallen(clienten)} cliënten", db.naam, ons, basis,
                doel="≤ 1,3× basis; piek ≤ 100 MB bij 30.000", max_ratio=1.3, piek_mb=piek, max_piek_mb=grens,
                basis_piek_mb=round(basis_piek, 1))


def _terugkoppeling(omgeving: kader.Omgeving) -> Iterator[kader.Resultaat]:
    for rijen_aantal in (500, 2_000) if omgeving.snel else (5_000, 30_000):
        inhoud, rijen = _ingevulde_b4(rijen_aantal)
        ons, basis = kader.afwisselend(lambda inhoud=inhoud, rijen=rijen: _terugkoppeling_ons(inhoud, rijen),
                                       lambda inhoud=inhoud: _terugkoppeling_basis(inhoud))
        piek = _piek(_terugkoppeling_ons, inhoud, rijen)
        yield kader.resultaat("Terugkoppeling controleren", f"{kader.duizendtallen(rijen_aantal)} rijen", "-",
                              ons, basis, doel="≤ 1,3× basis", max_ratio=1.3, piek_mb=piek)
        del inhoud, rijen
        gc.collect()


def _rapporten(omgeving: kader.Omgeving) -> Iterator[kader.Resultaat]:
    clienten = 1_000 if omgeving.snel else 30_000
    for db in omgeving.databases:
        url = _database(db, "rapport_", clienten)
        half = _database(db, "rapport_half_", clienten // 2)
        for naam, soort in (("Weekrapportage", "week"), ("Aanleverrapportage", "aanlevering")):
            ons, basis = kader.afwisselend(lambda url=url, soort=soort: _rapport_ons(url, soort),
                                           lambda url=url, soort=soort: _rapport_basis(url, soort))
            half_ons, _ = kader.afwisselend(lambda half=half, soort=soort: _rapport_ons(half, soort), lambda: None,
                                            rondes=3)
            piek, basis_piek = _piek(_rapport_ons, url, soort), _piek(_rapport_basis, url, soort)
            lineair = min(ons) / min(half_ons)
            yield kader.resultaat(
                naam, f"{kader.duizendtallen(clienten)} cliënten, {kader.duizendtallen(2 * clienten)} perioden",
                db.naam, ons, basis, doel="≤ 1,5× basis; piek ≤ 150 MB; lineair (tijd bij 2× zoveel ≈ 2×)",
                max_ratio=1.5, piek_mb=piek, max_piek_mb=150, basis_piek_mb=round(basis_piek, 1),
                tijd_halve_omvang=round(min(half_ons), 4), verhouding_dubbel_half=round(lineair, 2))


def meet(omgeving: kader.Omgeving) -> Iterator[kader.Resultaat]:
    yield from _b4(omgeving)
    yield from _terugkoppeling(omgeving)
    yield from _rapporten(omgeving)

