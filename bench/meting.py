"""One measurement in a fresh process; bench/ieb.py starts this script once per measurement.

    python bench/meting.py kaal  BESTAND [--tracemalloc]
    python bench/meting.py vol   BESTAND [--tracemalloc] [--profiel PAD.prof] [--snapshot PAD.txt] [--fasen]

``kaal`` is the bare XSD validation: parse the bytes with a safe parser and validate with the
portal's own WMO407 schema (``portal.ieb.xsd.wmo407_schema()``). ``vol`` is the full path,
``delivery.ontvang_wmo407`` on an app with a fresh SQLite file, as a user of gemeente 0363, clock
fixed at 2022-10-04. Both start from the file's bytes in memory, with the schema already compiled
(the portal keeps it per thread), and time only that one call.

``--fasen`` times the steps of the full path one by one (wall time, and the resident and peak
memory after each step, from /proc/self/status), without the overhead of a profiler.

The last line on stdout is one JSON object with the result.
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GEMEENTE = "0363"
EMAIL = "medewerker@amsterdam.example.nl"


def _peak_mb() -> float:
    """The process's peak resident set size so far, in MB (ru_maxrss is in KiB on Linux)."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        maxrss /= 1024
    return maxrss / 1024


class _Meter:
    """Time one call; optionally trace its Python allocations or profile it."""

    def __init__(self, trace: bool, profiel: str | None, snapshot: str | None) -> None:
        self.trace = trace or snapshot is not None
        self.profiel = profiel
        self.snapshot = snapshot
        self.resultaat: dict = {}
        self.grootste_snapshot: tuple[int, str, tracemalloc.Snapshot] | None = None

    def na_stap(self, stap: str) -> None:
        """Keep the snapshot of the step boundary with the most traced memory (when snapshots are asked)."""
        if not self.snapshot or not tracemalloc.is_tracing():
            return
        huidig, _ = tracemalloc.get_traced_memory()
        if self.grootste_snapshot is None or huidig > self.grootste_snapshot[0]:
            self.grootste_snapshot = (huidig, stap, tracemalloc.take_snapshot())

    def meet(self, functie):
        gc.collect()
        self.resultaat["peak_mb_voor"] = round(_peak_mb(), 1)
        profiler = None
        if self.trace:
            tracemalloc.start(1)
        if self.profiel:
            import cProfile
            profiler = cProfile.Profile()
            profiler.enable()
        begin = time.perf_counter()
        uitkomst = functie()
        seconden = time.perf_counter() - begin
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(self.profiel)
        if self.trace:
            _, piek = tracemalloc.get_traced_memory()
            self.resultaat["tracemalloc_peak_mb"] = round(piek / 1024 / 1024, 1)
            if self.snapshot:
                _schrijf_snapshot(self.snapshot, self.grootste_snapshot)
            tracemalloc.stop()
        self.resultaat["seconden"] = seconden
        self.resultaat["peak_mb"] = round(_peak_mb(), 1)
        return uitkomst


def _schrijf_snapshot(pad: str, grootste: tuple[int, str, tracemalloc.Snapshot] | None) -> None:
    """The Python allocations at the step boundary with the most traced memory, by line, largest first."""
    _, piek = tracemalloc.get_traced_memory()
    regels = [f"tracemalloc peak during the call: {piek / 1024 / 1024:.1f} MB (Python allocations only; "
              "lxml and SQLite memory is not traced)"]
    if grootste is None:
        grootste = (tracemalloc.get_traced_memory()[0], "end of the call", tracemalloc.take_snapshot())
    huidig, stap, snapshot = grootste
    regels.append(f"allocated after the step '{stap}': {huidig / 1024 / 1024:.1f} MB, by line:")
    snapshot = snapshot.filter_traces((tracemalloc.Filter(False, tracemalloc.__file__),))
    for stat in snapshot.statistics("lineno")[:25]:
        regels.append(f"  {stat.size / 1024 / 1024:8.1f} MB {stat.count:9d} blocks  {stat.traceback[0]}")
    Path(pad).write_text("\n".join(regels) + "\n", encoding="utf-8")


def _status_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB; zeros where /proc is not available."""
    waarden = {}
    try:
        for regel in Path("/proc/self/status").read_text().splitlines():
            naam, _, rest = regel.partition(":")
            if naam in ("VmRSS", "VmHWM"):
                waarden[naam] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return round(waarden.get("VmRSS", 0.0), 1), round(waarden.get("VmHWM", 0.0), 1)


class _Fasen:
    """Wraps the steps of ``ontvang_wmo407`` to time them; what is not in a step is "overig"."""

    def __init__(self, meter: _Meter) -> None:
        self.meter = meter
        self.stappen: list[dict] = []
        self._diepte = 0

    def omhul(self, module, naam: str, label: str) -> None:
        origineel = getattr(module, naam)
        fasen = self

        def omhuld(*args, **kwargs):
            fasen._diepte += 1
            begin = time.perf_counter()
            try:
                return origineel(*args, **kwargs)
            finally:
                seconden = time.perf_counter() - begin
                fasen._diepte -= 1
                rss, hwm = _status_mb()
                fasen.stappen.append({"stap": label, "seconden": round(seconden, 3), "rss_mb_na": rss,
                                      "piek_mb_na": hwm, "genest": fasen._diepte > 0})
                fasen.meter.na_stap(label)

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


def kaal(pad: Path, meter: _Meter) -> dict:
    from lxml import etree

    from portal.ieb.xsd import wmo407_schema

    schema = wmo407_schema()
    data = pad.read_bytes()

    def valideer() -> bool:
        # The safe options of the portal's own transport parser (portal/ieb/transport.py): no entities,
        # no DTD, no network, no huge trees; blank text, comments and PIs dropped (a smaller tree).
        parser = etree.XMLParser(encoding="utf-8", resolve_entities=False, load_dtd=False, dtd_validation=False,
                                 no_network=True, huge_tree=False, remove_blank_text=True, remove_comments=True,
                                 remove_pis=True, collect_ids=False)
        document = etree.fromstring(data, parser).getroottree()
        return schema.validate(document)

    geldig = meter.meet(valideer)
    if not geldig:
        raise SystemExit(f"{pad.name} is niet geldig volgens de XSD: {schema.error_log.last_error}")
    return {"geldig": geldig}


def _app(database: Path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portal import create_app
    from portal.services.klok import FixedClock

    klok = FixedClock(datetime(2022, 10, 4, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    return create_app({"TESTING": True, "SECRET_KEY": "bench-geheim-niet-voor-productie",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "PORTAL_MODE": "ontwikkeling",
                       "SERVER_NAME": None, "CLOCK": klok})


def _gemeente_die_mag_aanleveren():
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
    return gemeente, actor


def vol(pad: Path, meter: _Meter, fasen: _Fasen | None = None) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.ieb.xsd import wmo407_schema
    from portal.models import BwPeriode
    from portal.services import delivery

    with tempfile.TemporaryDirectory(prefix="bw-bench-db-") as map_:
        app = _app(Path(map_) / "bench.sqlite")
        with app.app_context():
            upgrade()
            gemeente, actor = _gemeente_die_mag_aanleveren()
            wmo407_schema()
            data = pad.read_bytes()
            if fasen is not None:
                fasen.installeer()
            verwerking = meter.meet(lambda: delivery.ontvang_wmo407(actor, GEMEENTE, pad.name, data))
            geregistreerd = db.session.scalar(select(func.count()).select_from(BwPeriode).where(
                BwPeriode.gemeente_id == gemeente.id, BwPeriode.verwijderd.is_(False)))
            resultaat = {"uitkomst": verwerking.uitkomst, "niveau": verwerking.niveau,
                         "melding": verwerking.melding[:500], "aantal_clienten": verwerking.aantal_clienten,
                         "aantal_perioden": verwerking.aantal_perioden, "geregistreerde_perioden": geregistreerd}
            if fasen is not None:
                binnen = sum(stap["seconden"] for stap in fasen.stappen if not stap["genest"])
                resultaat["fasen"] = fasen.stappen
                resultaat["fasen_overig_seconden"] = round(meter.resultaat["seconden"] - binnen, 3)
            db.session.remove()
            db.engine.dispose()
    return resultaat


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("soort", choices=("kaal", "vol"))
    parser.add_argument("bestand", type=Path)
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations during the call")
    parser.add_argument("--profiel", help="write a cProfile of the call to this file")
    parser.add_argument("--snapshot", help="write the top Python allocations (tracemalloc) at the step boundary "
                        "with the most traced memory to this file; implies --fasen")
    parser.add_argument("--fasen", action="store_true", help="time the steps of the full path one by one")
    args = parser.parse_args(argv)
    meter = _Meter(args.tracemalloc, args.profiel, args.snapshot)
    if args.soort == "kaal":
        resultaat = kaal(args.bestand, meter)
    else:
        resultaat = vol(args.bestand, meter, _Fasen(meter) if args.fasen or args.snapshot else None)
    resultaat.update(meter.resultaat)
    print(json.dumps(resultaat))


if __name__ == "__main__":
    main()
