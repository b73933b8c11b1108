"""WMO407 receipt: the portal's full path against the bare XSD validation of the same bytes.

- *ons*: ``delivery.ontvang_wmo407(actor, "0363", naam, bytes)`` on a migrated database of each kind, as a
  gemeente user of 0363 whose iEb channel is open, clock fixed at 04-10-2022 10:00: store the upload,
  levels 0 to 3, BerichtPeriode and BwPeriode rows, the WMO408 built and stored, one commit. Every round
  must come back ``geaccepteerd`` with one registered period per client, or the measure stops: a
  measurement of a failing path is worthless. Between rounds (not timed) the message's rows are deleted,
  so every round is a first receipt.
- *basis*: parse the bytes with the safe options of the portal's transport parser and
  ``XMLSchema.validate`` with the portal's own WMO407 schema (``portal.ieb.xsd.wmo407_schema()``).

Both start from the bytes in memory with the XSD compiled. Files: 1,000 and 10,000 clients, and as many
as fit under the 25 MB transport limit (83,482), written by bench/wmo407_bestanden.py into the work
folder; ``--snel``: 1,000 and 5,000. Five rounds each; the 25 MB file three when the time budget needs
it (``extra.rondes``). The peak (``piek_mb``) is one more receipt in a fresh process: what the call took
on top of what the process held just before it (the app, the compiled XSD and the file's bytes; that
base is ``extra.rss_voor_mb``).

Targets: at most 5x the baseline on SQLite, 8x on PostgreSQL, each size; peak at most 300 MB.

Diagnose (not part of ``make bench``; the step timer and the profiler, on one file and database)::

    python -m bench.metingen.wmo407 --diagnose                          # steps, 25 MB file, SQLite
    python -m bench.metingen.wmo407 --diagnose --database postgresql    # needs BENCH_/TEST_DATABASE_URL
    python -m bench.metingen.wmo407 --diagnose --clients 10000 --profiel  # + cProfile, bench/out/*.prof
    python -m bench.metingen.wmo407 --diagnose --tracemalloc            # + Python allocations by line
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import kader, wmo407_bestanden

NAAM = "WMO407 ontvangen"
GEMEENTE = "0363"
EMAIL = "medewerker@amsterdam.example.nl"
MAX_RATIO = {"sqlite": 5.0, "postgresql": 8.0}
MAX_PIEK_MB = 300.0
RONDES = 5
RONDES_GROOT = 3                  # the 25 MB file, when five rounds would overrun the budget
BUDGET_GROOT_SECONDEN = 90        # per database, for the rounds of the 25 MB file
UITVOER = Path(__file__).resolve().parent.parent / "out"
MOMENT = datetime(2022, 10, 4, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


# ---------------------------------------------------------------- the two paths

def _parser():
    from lxml import etree

    # The safe options of the portal's own transport parser (portal/ieb/transport.py): no entities, no DTD,
    # no network, no huge trees; blank text, comments and PIs dropped.
    return etree.XMLParser(encoding="utf-8", resolve_entities=False, load_dtd=False, dtd_validation=False,
                           no_network=True, huge_tree=False, remove_blank_text=True, remove_comments=True,
                           remove_pis=True, collect_ids=False)


def kaal(data: bytes) -> None:
    """The baseline: parse and validate against the portal's WMO407 XSD."""
    from lxml import etree

    from portal.ieb.xsd import wmo407_schema

    schema = wmo407_schema()
    if not schema.validate(etree.fromstring(data, _parser()).getroottree()):
        raise SystemExit(f"het bestand is niet geldig volgens de XSD: {schema.error_log.last_error}")


class Ontvanger:
    """One app on one database with a gemeente that may deliver; ``ontvang`` is the measured call."""

    def __init__(self, url: str) -> None:
        from portal.services.klok import FixedClock

        self.app = kader.app_voor(url, CLOCK=FixedClock(MOMENT))
        self.context = self.app.app_context()
        self.context.push()
        self.gemeente_id, self.actor = _gemeente_die_mag_aanleveren()
        from portal.ieb.xsd import wmo407_schema
        wmo407_schema()

    def ontvang(self, naam: str, data: bytes) -> Any:
        from portal.services import delivery

        return delivery.ontvang_wmo407(self.actor, GEMEENTE, naam, data)

    def controleer(self, verwerking: Any, clients: int) -> None:
        from sqlalchemy import func, select

        from portal.extensions import db
        from portal.models import BwPeriode

        geregistreerd = db.session.scalar(select(func.count()).select_from(BwPeriode).where(
            BwPeriode.gemeente_id == self.gemeente_id, BwPeriode.verwijderd.is_(False)))
        if verwerking.uitkomst != "geaccepteerd" or geregistreerd != clients or verwerking.aantal_perioden != clients:
            raise RuntimeError(
                f"het volledige pad is niet geslaagd, de meting is waardeloos: uitkomst {verwerking.uitkomst!r} "
                f"(niveau {verwerking.niveau}), {geregistreerd} geregistreerde perioden voor {clients} cliënten. "
                f"{verwerking.melding[:300]}")

    def leeg(self) -> None:
        """Delete what a receipt wrote, so the next round is a first receipt again (not timed)."""
        from sqlalchemy import delete, select, text

        from portal.extensions import db
        from portal.models import (
            BerichtPeriode,
            Bestand,
            BwPeriode,
            IdentificatieReservering,
            Ontvangst,
            Wmo407Bericht,
        )

        db.session.rollback()
        g = self.gemeente_id
        for model in (BwPeriode, BerichtPeriode, IdentificatieReservering):
            db.session.execute(delete(model).where(model.gemeente_id == g))
        retour = select(Wmo407Bericht.wmo408_bestand_id).where(Wmo407Bericht.gemeente_id == g)
        bestanden = [b for b in db.session.scalars(retour) if b is not None]
        db.session.execute(delete(Wmo407Bericht).where(Wmo407Bericht.gemeente_id == g))
        db.session.execute(delete(Bestand).where(Bestand.id.in_(bestanden)))
        db.session.execute(delete(Ontvangst).where(Ontvangst.gemeente_id == g))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as verbinding:
                verbinding.execute(text("VACUUM ANALYZE bw_periode, bericht_periode, ontvangst, bestand, "
                                        "wmo407_bericht"))

    def sluit(self) -> None:
        from portal.extensions import db

        db.session.remove()
        db.engine.dispose()
        self.context.pop()


def _gemeente_die_mag_aanleveren() -> tuple[int, Any]:
    from portal.extensions import db
    from portal.models import Gemeente
    from portal.services import accounts, kanalen
    from portal.services.audit import Actor

    gemeente = Gemeente(code=GEMEENTE, naam="Amsterdam", soort="centrumgemeente", levert_zelf_aan=False,
                        bestandsprefix=Gemeente.standaard_prefix(GEMEENTE), bw_startnummer=36_300_001)
    db.session.add(gemeente)
    db.session.commit()
    user = accounts.maak_gebruiker(accounts.NieuweGebruiker(EMAIL, "Wachtwoord-123", "gemeente", (GEMEENTE,),
                                                            "medewerker"), Actor.job_named("bench"))
    db.session.commit()
    actor = Actor(user=user, ip="127.0.0.1")
    kanalen.zet(gemeente, kanalen.Kanaalsoort.IEB, True, actor)
    db.session.commit()
    return gemeente.id, actor


# ---------------------------------------------------------------- the peak, in a fresh process

def piek_ons(url: str, pad: str, clients: int) -> dict[str, float]:
    """One receipt on a fresh, migrated database: the peak of the call alone (the setup is not in it)."""
    kader.migreer(url)
    ontvanger = Ontvanger(url)
    data = Path(pad).read_bytes()
    verwerking, piek, voor = kader.piek_van(lambda: ontvanger.ontvang(Path(pad).name, data))
    ontvanger.controleer(verwerking, clients)
    ontvanger.sluit()
    return {"piek_mb": piek, "rss_voor_mb": voor}


def piek_kaal(pad: str) -> dict[str, float]:
    from portal.ieb.xsd import wmo407_schema

    wmo407_schema()
    data = Path(pad).read_bytes()
    _, piek, voor = kader.piek_van(lambda: kaal(data))
    return {"piek_mb": piek, "rss_voor_mb": voor}


# ---------------------------------------------------------------- the measure

def _bestanden(map_: Path, snel: bool) -> list[tuple[int, Path]]:
    aantallen = [1_000, 5_000] if snel else [1_000, 10_000, wmo407_bestanden.maximaal_aantal()]
    return [(aantal, wmo407_bestanden.schrijf(map_, aantal)) for aantal in aantallen]


def _grootte(clients: int, pad: Path) -> str:
    megabytes = f"{pad.stat().st_size / 1024 / 1024:.1f}".replace(".", ",")
    return f"{kader.duizendtallen(clients)} cliënten ({megabytes} MB)"


def _doel(database: str) -> str:
    return f"≤ {MAX_RATIO[database]:g}× basis; piek ≤ {MAX_PIEK_MB:g} MB"


def meet(omgeving: kader.Omgeving) -> Iterator[kader.Resultaat]:
    map_ = omgeving.werkmap / "wmo407"
    map_.mkdir(exist_ok=True)
    bestanden = _bestanden(map_, omgeving.snel)
    for database in omgeving.databases:
        url = kader.nieuwe_database(database, "wmo407")
        kader.migreer(url)
        ontvanger = Ontvanger(url)
        try:
            for clients, pad in bestanden:
                yield _meet_bestand(database, ontvanger, clients, pad)
        finally:
            ontvanger.sluit()


def _meet_bestand(database: kader.Database, ontvanger: Ontvanger, clients: int,
                  pad: Path) -> kader.Resultaat:
    from portal.extensions import db

    data = pad.read_bytes()
    laatste: list[Any] = []

    def ons() -> None:
        laatste.append(ontvanger.ontvang(pad.name, data))

    def basis() -> None:
        kaal(data)

    # One untimed round first: it checks the path, counts its statements and warms the caches.
    with kader.tel_statements(db.engine) as teller:
        ons()
    ontvanger.controleer(laatste.pop(), clients)
    ontvanger.leeg()
    groot = pad.stat().st_size > 20 * 1024 * 1024
    tijden_ons: list[float] = []
    tijden_basis: list[float] = []
    begin = time.monotonic()
    for ronde in range(RONDES):
        if groot and ronde >= RONDES_GROOT and time.monotonic() - begin > BUDGET_GROOT_SECONDEN:
            break
        een_ons, een_basis = kader.afwisselend(ons, basis, rondes=1)
        tijden_ons += een_ons
        tijden_basis += een_basis
        ontvanger.controleer(laatste.pop(), clients)
        ontvanger.leeg()
    gemeten, piek_proces_mb, _ = kader.in_eigen_proces(piek_ons, kader.nieuwe_database(database, "wmo407piek"),
                                                       str(pad), clients)
    kaal_gemeten, _, _ = kader.in_eigen_proces(piek_kaal, str(pad))
    extra: dict[str, Any] = {
        "rondes": len(tijden_ons), "bytes": pad.stat().st_size,
        "rss_voor_mb": round(gemeten["rss_voor_mb"], 1), "piek_basis_mb": round(kaal_gemeten["piek_mb"], 1),
        # The whole spawned call, migrations and app set-up included: an upper bound.
        "piek_met_opzet_mb": round(piek_proces_mb, 1)}
    if database.naam == "postgresql":
        extra["statements_noot"] = "de COPY van de BerichtPeriode-rijen gaat buiten SQLAlchemy om en telt niet mee"
    if len(tijden_ons) < RONDES:
        extra["rondes_noot"] = f"{len(tijden_ons)} rondes: het tijdbudget van het 25 MB-bestand"
    return kader.resultaat(NAAM, _grootte(clients, pad), database.naam, tijden_ons, tijden_basis,
                           doel=_doel(database.naam), max_ratio=MAX_RATIO[database.naam],
                           piek_mb=gemeten["piek_mb"],
                           max_piek_mb=MAX_PIEK_MB, statements=teller.aantal, **extra)


# ---------------------------------------------------------------- diagnose: the steps one by one

class _Fasen:
    """Wraps the steps of ``ontvang_wmo407`` to time them; what is not in a step is "overig"."""

    def __init__(self) -> None:
        self.stappen: list[dict[str, Any]] = []
        self._diepte = 0

    def omhul(self, module: Any, naam: str, label: str) -> None:
        origineel = getattr(module, naam)
        fasen = self

        def omhuld(*args: Any, **kwargs: Any) -> Any:
            fasen._diepte += 1
            begin = time.perf_counter()
            try:
                return origineel(*args, **kwargs)
            finally:
                seconden = time.perf_counter() - begin
                fasen._diepte -= 1
                fasen.stappen.append({"stap": label, "seconden": seconden,
                                      "rss_mb_na": kader.status_kb("VmRSS") / 1024,
                                      "piek_mb_na": kader.status_kb("VmHWM") / 1024, "genest": fasen._diepte > 0})

        setattr(module, naam, omhuld)

    def installeer(self) -> None:
        from portal import ieb
        from portal.extensions import db
        from portal.services import migratie, storage
        from portal.services.delivery import ontvangst

        self.omhul(storage, "bewaar_ontvangst", "upload bewaren (storage.bewaar_ontvangst, commit)")
        self.omhul(ieb, "controleer_transport", "niveau 0: ieb.controleer_transport (parse)")
        self.omhul(ieb, "controleer_schema", "niveau 1: ieb.controleer_schema (XSD + omzetten)")
        self.omhul(ontvangst, "DbRegister", "register lezen (delivery.register.DbRegister)")
        self.omhul(ieb, "beoordeel", "niveau 2+3: ieb.beoordeel")
        self.omhul(ontvangst, "bewaar_berichtperioden",
                   "BerichtPeriode insert: delivery.register.bewaar_berichtperioden")
        self.omhul(ontvangst, "pas_toe", "toepassen: delivery.register.pas_toe (BwPeriode insert)")
        self.omhul(ieb, "bouw_wmo408", "WMO408 bouwen: ieb.bouw_wmo408")
        self.omhul(storage, "plaats_bestand", "WMO408 opslaan: storage.plaats_bestand")
        self.omhul(migratie, "na_wmo407", "migratieservice.na_wmo407")
        self.omhul(ieb, "groepeer", "bevindingen per retourcode voor het scherm: ieb.groepeer")
        self.omhul(db.session, "commit", "db.session.commit")


def _diagnose(url: str, pad: Path, clients: int, profiel: Path | None, trace: bool) -> None:
    kader.migreer(url)
    ontvanger = Ontvanger(url)
    data = pad.read_bytes()
    fasen = _Fasen()
    fasen.installeer()
    profiler = None
    if profiel is not None:
        import cProfile
        profiler = cProfile.Profile()
    if trace:
        tracemalloc.start(1)
    gc.collect()
    begin = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    verwerking = ontvanger.ontvang(pad.name, data)
    if profiler is not None:
        profiler.disable()
    totaal = time.perf_counter() - begin
    ontvanger.controleer(verwerking, clients)
    print(f"\n{kader.duizendtallen(clients)} cliënten, {pad.stat().st_size / 1024 / 1024:.1f} MB, "
          f"{url.split(':', 1)[0]}: {totaal:.3f} s"
          f"{' (met profiler)' if profiler else ''}{' (met tracemalloc)' if trace else ''}")
    print(f"{'seconden':>9} {'RSS na':>8} {'piek na':>8}  stap")
    for stap in fasen.stappen:
        print(f"{stap['seconden']:>9.3f} {stap['rss_mb_na']:>5.0f} MB {stap['piek_mb_na']:>5.0f} MB  "
              f"{'    ' if stap['genest'] else ''}{stap['stap']}")
    binnen = sum(stap["seconden"] for stap in fasen.stappen if not stap["genest"])
    print(f"{totaal - binnen:>9.3f} {'':>8} {'':>8}  overig (Wmo407Bericht, Identificatie, rapport, ...)")
    if trace:
        _, top = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        print(f"\ntracemalloc: piek {top / 1024 / 1024:.1f} MB aan Python-allocaties (lxml en de database niet); "
              "nog in gebruik na de aanroep, per regel:")
        for stat in snapshot.statistics("lineno")[:15]:
            print(f"  {stat.size / 1024 / 1024:8.1f} MB  {stat.traceback[0]}")
    if profiler is not None and profiel is not None:
        import pstats
        profiler.dump_stats(str(profiel))
        print(f"\ncProfile (met de overhead van de profiler), top 30 op eigen tijd; het hele profiel: {profiel}")
        pstats.Stats(str(profiel)).sort_stats("tottime").print_stats(30)
    ontvanger.sluit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.metingen.wmo407", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--diagnose", action="store_true", help="de stappen van het volledige pad, één voor één")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=0, help="aantal cliënten (standaard: het 25 MB-bestand)")
    parser.add_argument("--profiel", action="store_true", help="ook cProfile, naar bench/out/")
    parser.add_argument("--tracemalloc", action="store_true", help="ook de Python-allocaties (maakt het trager)")
    opties = parser.parse_args(argv)
    if not opties.diagnose:
        parser.print_help()
        return 2
    if opties.database == "postgresql":
        server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
        if not server or not server.startswith("postgres"):
            print("Zet BENCH_DATABASE_URL of TEST_DATABASE_URL op een PostgreSQL-server.", file=sys.stderr)
            return 2
        database = kader.Database("postgresql", server)
    else:
        database = kader.Database("sqlite", "sqlite")
    clients = opties.clients or wmo407_bestanden.maximaal_aantal()
    with tempfile.TemporaryDirectory(prefix="bench-wmo407-") as werkmap:
        kader.zet_werkmap(Path(werkmap))
        pad = wmo407_bestanden.schrijf(Path(werkmap), clients)
        profiel = None
        if opties.profiel:
            UITVOER.mkdir(exist_ok=True)
            profiel = UITVOER / f"wmo407_{opties.database}_{clients}.prof"
        _diagnose(kader.nieuwe_database(database, "wmo407diagnose"), pad, clients, profiel, opties.tracemalloc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
