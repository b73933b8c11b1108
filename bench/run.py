"""`make bench`: every measure in bench/metingen/ on SQLite and, when BENCH_DATABASE_URL or
TEST_DATABASE_URL names a PostgreSQL server, on PostgreSQL; one table, and bench/results.json.

    python -m bench.run                 # everything (~20-30 minutes on the 2-core machine)
    python -m bench.run --snel          # small sizes, under 2 minutes, for everyday use
    python -m bench.run --alleen web    # one measure module (others stay as they were in results.json)
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench import kader
from bench.metingen import VOLGORDE

HIER = Path(__file__).resolve().parent
RESULTATEN = HIER / "results.json"


def _databases(zonder_pg: bool) -> list[kader.Database]:
    databases = [kader.Database("sqlite", "sqlite")]
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url and not zonder_pg and url.startswith(("postgres", "postgresql")):
        databases.append(kader.Database("postgresql", url))
    return databases


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HIER, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "onbekend"


def _getal(waarde: float | None, decimalen: int = 2) -> str:
    if waarde is None:
        return "–"
    return f"{waarde:,.{decimalen}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def tabel(resultaten: list[kader.Resultaat]) -> str:
    kop = ("meting", "grootte", "database", "tijd (s)", "basis (s)", "ratio", "piek MB", "statements", "doel",
           "gehaald")
    regels = [kop] + [
        (r.naam, r.grootte, r.database, _getal(r.tijd, 3), _getal(r.basis_tijd, 3), _getal(r.ratio) + "×",
         _getal(r.piek_mb, 0), "–" if r.statements is None else str(r.statements), r.doel,
         "ja" if r.gehaald else "NEE")
        for r in resultaten]
    breedtes = [max(len(regel[i]) for regel in regels) for i in range(len(kop))]
    lijnen = ["  ".join(cel.ljust(breedte) for cel, breedte in zip(regel, breedtes, strict=True)).rstrip()
              for regel in regels]
    lijnen.insert(1, "  ".join("-" * breedte for breedte in breedtes))
    return "\n".join(lijnen)


def _bewaar(nieuw: list[dict], vervangen: set[str]) -> None:
    """results.json keeps the newest object per measure, size and database; a partial run (--alleen)
    replaces only the measures it ran."""
    oud: list[dict] = []
    if RESULTATEN.exists():
        try:
            geladen = json.loads(RESULTATEN.read_text())
            oud = [o for o in geladen if isinstance(o, dict) and "naam" in o] if isinstance(geladen, list) else []
        except json.JSONDecodeError:
            oud = []
    sleutels = {(o["naam"], o["grootte"], o["database"]) for o in nieuw}
    bewaard = [o for o in oud if o.get("module") not in vervangen
               and (o["naam"], o["grootte"], o["database"]) not in sleutels]
    RESULTATEN.write_text(json.dumps(bewaard + nieuw, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--snel", action="store_true", help="kleine aantallen, onder 2 minuten; niet bewaard")
    parser.add_argument("--alleen", action="append", choices=VOLGORDE, help="alleen deze meting(en)")
    parser.add_argument("--zonder-pg", action="store_true", help="alleen SQLite, ook als er een PostgreSQL is")
    opties = parser.parse_args(argv)

    modules = opties.alleen or list(VOLGORDE)
    databases = _databases(opties.zonder_pg)
    begin = time.monotonic()
    print(f"bench: {', '.join(modules)} op {', '.join(d.naam for d in databases)}"
          f"{' (snel)' if opties.snel else ''}; load {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen",
          flush=True)
    resultaten: list[kader.Resultaat] = []
    herkomst: list[str] = []
    fouten: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as werkmap:
        kader.zet_werkmap(Path(werkmap))
        omgeving = kader.Omgeving(snel=opties.snel, databases=databases, werkmap=Path(werkmap))
        for naam in modules:
            try:
                module = importlib.import_module(f"bench.metingen.{naam}")
                for resultaat in module.meet(omgeving):
                    resultaat.datum = datetime.now(UTC).isoformat(timespec="seconds")
                    resultaten.append(resultaat)
                    herkomst.append(naam)
                    print(f"  {resultaat.naam}, {resultaat.grootte}, {resultaat.database}: "
                          f"{_getal(resultaat.ratio)}× ({'gehaald' if resultaat.gehaald else 'niet gehaald'})",
                          flush=True)
            except Exception:
                fouten.append(naam)
                print(f"meting {naam} faalde:\n{traceback.format_exc()}", file=sys.stderr, flush=True)

    print()
    print(tabel(resultaten))
    duur = time.monotonic() - begin
    print(f"\n{len(resultaten)} metingen in {duur:.0f} s; {sum(r.gehaald for r in resultaten)} doelen gehaald.")
    if not opties.snel:
        machine = {"platform": platform.platform(), "python": platform.python_version(),
                   "kernen": os.cpu_count(), "load": [round(x, 2) for x in os.getloadavg()]}
        commit = _commit()
        _bewaar([{**asdict(r), "module": m, "commit": commit, "machine": machine}
                 for r, m in zip(resultaten, herkomst, strict=True)], set(modules))
        print(f"bewaard in {RESULTATEN.relative_to(HIER.parent)}")
    if fouten:
        print(f"mislukt: {', '.join(fouten)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
