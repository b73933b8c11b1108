"""Benchmark of WMO407 receipt: the bare XSD validation against the portal's full path (`make bench`).

For WMO407 files of 1,000 and 10,000 clients and one just under the 25 MB transport limit, every
measurement runs in a fresh process (bench/meting.py) so that its peak memory is its own:

- kaal (bare): parse the bytes with the portal's safe parser options and `XMLSchema.validate` with the
  portal's own WMO407 schema;
- vol (full): `delivery.ontvang_wmo407` on a fresh SQLite database, as a user of gemeente 0363, clock
  fixed at 2022-10-04; the outcome must be "geaccepteerd" with one registered period per client.

The best wall time of N runs is kept, with the peak RSS of the process. The results are appended to
bench/results.json and printed as a table with the targets: full at most 5x bare, and a peak below
400 MB for the 25 MB file.

    .venv/bin/python bench/ieb.py              # the benchmark (a few minutes)
    .venv/bin/python bench/ieb.py --snel       # only 1,000 and 10,000 clients, one run each; not saved
    .venv/bin/python bench/ieb.py --diagnose   # then also profile the full path of the largest file (bench/out/)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import wmo407_bestanden  # noqa: E402  (after the path is set)

from portal.ieb.constants import MAX_BESTANDSGROOTTE  # noqa: E402

RESULTATEN = BENCH / "results.json"
UITVOER = BENCH / "out"
MAX_RATIO = 5.0
MAX_PIEK_MB = 400.0
BUDGET_SECONDEN = 540          # stop repeating runs after this; the whole benchmark stays under ~10 minutes
TRACEMALLOC_MAX_CLIENTS = 10_000   # tracemalloc slows the full path ~15x: too dear for the 25 MB file


class BenchFout(RuntimeError):
    pass


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _bron_sha256() -> str:
    """A fingerprint of the code under test (portal/**/*.py and the XSD files), uncommitted changes included."""
    digest = hashlib.sha256()
    for pad in sorted([*(ROOT / "portal").rglob("*.py"), *(ROOT / "portal").rglob("*.xsd")]):
        digest.update(str(pad.relative_to(ROOT)).encode())
        digest.update(pad.read_bytes())
    return digest.hexdigest()[:16]


def _machine() -> dict:
    return {"platform": platform.platform(), "python": platform.python_version(), "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None}


def _meet(soort: str, bestand: Path, *extra: str) -> dict:
    """Run bench/meting.py in a fresh process; its last stdout line is the JSON result."""
    proces = subprocess.run([sys.executable, str(BENCH / "meting.py"), soort, str(bestand), *extra], cwd=ROOT,
                            capture_output=True, text=True)
    if proces.returncode != 0:
        raise BenchFout(f"meting {soort} {bestand.name} faalde (exit {proces.returncode}):\n"
                        + "\n".join((proces.stderr or proces.stdout).splitlines()[-25:]))
    return json.loads(proces.stdout.strip().splitlines()[-1])


def _controleer_vol(resultaat: dict, clients: int, bestand: Path) -> None:
    if resultaat["uitkomst"] != "geaccepteerd" or resultaat["geregistreerde_perioden"] != clients \
            or resultaat["aantal_perioden"] != clients:
        raise BenchFout(f"het volledige pad op {bestand.name} is niet geslaagd, de meting is waardeloos: uitkomst "
                        f"{resultaat['uitkomst']!r} (niveau {resultaat['niveau']}), "
                        f"{resultaat['geregistreerde_perioden']} geregistreerde perioden voor {clients} cliënten. "
                        f"{resultaat['melding']}")


class Benchmark:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.begin = time.monotonic()

    def over(self) -> float:
        return BUDGET_SECONDEN - (time.monotonic() - self.begin)

    def herhaal(self, soort: str, bestand: Path, runs: int, clients: int) -> list[dict]:
        """Up to `runs` measurements; a repeat is skipped when it would overrun the time budget."""
        metingen: list[dict] = []
        for run in range(runs):
            gestart = time.monotonic()
            resultaat = _meet(soort, bestand)
            if soort == "vol":
                _controleer_vol(resultaat, clients, bestand)
            metingen.append(resultaat)
            duur = time.monotonic() - gestart
            if run + 1 < runs and duur > self.over():
                print(f"  (tijdbudget: {soort} {clients} cliënten na {run + 1} run(s) gestopt)", flush=True)
                break
        return metingen

    def bestand(self, pad: Path, clients: int, runs: int, fasen: bool) -> dict:
        grootte = pad.stat().st_size
        print(f"- {clients:,} cliënten ({grootte / 1024 / 1024:.1f} MB): {runs} run(s) kaal en vol ...", flush=True)
        kaal = self.herhaal("kaal", pad, runs, clients)
        vol = self.herhaal("vol", pad, runs, clients)
        bare = min(m["seconden"] for m in kaal)
        full = min(m["seconden"] for m in vol)
        regel = {
            "clients": clients, "bytes": grootte,
            "bare_seconds": round(bare, 4), "full_seconds": round(full, 4), "ratio": round(full / bare, 1),
            "peak_mb": max(m["peak_mb"] for m in vol),
            "bare_peak_mb": max(m["peak_mb"] for m in kaal),
            "full_peak_mb_before_call": max(m["peak_mb_voor"] for m in vol),
            "bare_runs_seconds": [round(m["seconden"], 4) for m in kaal],
            "full_runs_seconds": [round(m["seconden"], 4) for m in vol],
            "tracemalloc_peak_mb_bare": None, "tracemalloc_peak_mb_full": None,
            "uitkomst": vol[0]["uitkomst"], "geregistreerde_perioden": vol[0]["geregistreerde_perioden"],
        }
        if clients <= TRACEMALLOC_MAX_CLIENTS and not self.args.snel:
            regel["tracemalloc_peak_mb_bare"] = _meet("kaal", pad, "--tracemalloc")["tracemalloc_peak_mb"]
            regel["tracemalloc_peak_mb_full"] = _meet("vol", pad, "--tracemalloc")["tracemalloc_peak_mb"]
        if fasen:
            stappen = _meet("vol", pad, "--fasen")
            _controleer_vol(stappen, clients, pad)
            regel["full_steps"] = stappen["fasen"]
            regel["full_steps_total_seconds"] = round(stappen["seconden"], 3)
            regel["full_steps_rest_seconds"] = stappen["fasen_overig_seconden"]
        return regel

    def diagnose(self, pad: Path, clients: int) -> None:
        """cProfile and a tracemalloc snapshot of the full path (both slow it down; not in the table)."""
        UITVOER.mkdir(exist_ok=True)
        profiel = UITVOER / f"vol_{clients}.prof"
        snapshot = UITVOER / f"vol_{clients}_tracemalloc.txt"
        print(f"- diagnose: cProfile van het volledige pad, {clients:,} cliënten ...", flush=True)
        _controleer_vol(_meet("vol", pad, "--profiel", str(profiel)), clients, pad)
        import pstats
        print(f"\ncProfile (profiler overhead included), top 30 by cumulative time; full file: {profiel}")
        pstats.Stats(str(profiel)).sort_stats("cumulative").print_stats(30)
        print(f"- diagnose: tracemalloc, {clients:,} cliënten (tracemalloc maakt het pad ~15x trager) ...",
              flush=True)
        _controleer_vol(_meet("vol", pad, "--snapshot", str(snapshot)), clients, pad)
        print(snapshot.read_text(encoding="utf-8"))


def _gehaald(ok: bool) -> str:
    return "gehaald" if ok else "niet gehaald"


def _doelen(bestanden: list[dict]) -> list[dict]:
    doelen = []
    for regel in bestanden:
        doelen.append({"target": f"full <= {MAX_RATIO:g}x bare, {regel['clients']} clients",
                       "value": regel["ratio"], "gehaald": regel["ratio"] <= MAX_RATIO})
    groot = [r for r in bestanden if r["bytes"] > MAX_BESTANDSGROOTTE * 0.9]
    for regel in groot:
        doelen.append({"target": f"peak < {MAX_PIEK_MB:g} MB, full path, {regel['clients']} clients "
                                 f"({regel['bytes'] / 1024 / 1024:.1f} MB)",
                       "value": regel["peak_mb"], "gehaald": regel["peak_mb"] < MAX_PIEK_MB})
    return doelen


def _tabel(meting: dict) -> str:
    machine = meting["machine"]
    regels = [
        f"WMO407 benchmark {meting['date']}  commit {meting['commit']}"
        f"{' (+ uncommitted changes)' if meting['worktree_dirty'] else ''}  source {meting['source_sha256']}",
        f"{machine['platform']}, Python {machine['python']}, {machine['cpu_count']} CPUs, "
        f"load average at start {machine['load_average']}",
        "",
        f"{'clients':>8} {'MB':>6} {'bare s':>8} {'full s':>8} {'full/bare':>9} {'peak bare':>10} {'peak full':>10}"
        f" {'(before call)':>13} {'tracemalloc full':>16}",
    ]
    for r in meting["files"]:
        tm = "-" if r["tracemalloc_peak_mb_full"] is None else f"{r['tracemalloc_peak_mb_full']:.1f} MB"
        regels.append(
            f"{r['clients']:>8,} {r['bytes'] / 1024 / 1024:>6.1f} {r['bare_seconds']:>8.3f} {r['full_seconds']:>8.3f}"
            f" {r['ratio']:>8.1f}x {r['bare_peak_mb']:>7.0f} MB {r['peak_mb']:>7.0f} MB"
            f" {r['full_peak_mb_before_call']:>10.0f} MB"
            f" {tm:>16}")
    regels += ["", "Targets:"]
    for doel in meting["targets"]:
        waarde = f"{doel['value']:.1f}x" if "x bare" in doel["target"] else f"{doel['value']:.0f} MB"
        regels.append(f"  {doel['target']:<52} {waarde:>9}   {_gehaald(doel['gehaald'])}")
    for r in meting["files"]:
        if "full_steps" in r:
            regels += ["", f"Steps of the full path, {r['clients']:,} clients (separate run, "
                           f"{r['full_steps_total_seconds']:.2f} s in all):",
                       f"  {'seconds':>8} {'RSS after':>10} {'peak after':>11}  step"]
            for stap in r["full_steps"]:
                inspringing = "    " if stap["genest"] else ""
                regels.append(f"  {stap['seconden']:>8.3f} {stap['rss_mb_na']:>7.0f} MB {stap['piek_mb_na']:>8.0f} MB"
                              f"  {inspringing}{stap['stap']}")
            regels.append(f"  {r['full_steps_rest_seconds']:>8.3f} {'':>10} {'':>11}  rest (Wmo407Bericht record, "
                          "reservation, rapport, ...)")
    return "\n".join(regels)


def _bewaar(meting: dict) -> None:
    bestaande: list = []
    if RESULTATEN.exists():
        try:
            bestaande = json.loads(RESULTATEN.read_text(encoding="utf-8"))
        except json.JSONDecodeError as fout:
            raise BenchFout(f"{RESULTATEN} is geen geldige JSON ({fout}); herstel of verwijder het bestand.") from fout
        if not isinstance(bestaande, list):
            raise BenchFout(f"{RESULTATEN} is geen JSON-lijst; herstel of verwijder het bestand.")
    bestaande.append(meting)
    tijdelijk = RESULTATEN.with_suffix(".json.tmp")
    tijdelijk.write_text(json.dumps(bestaande, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tijdelijk.replace(RESULTATEN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--snel", action="store_true", help="1,000 and 10,000 clients, one run each, not saved")
    parser.add_argument("--diagnose", action="store_true",
                        help="also cProfile and tracemalloc the full path of the largest file (into bench/out/)")
    args = parser.parse_args(argv)
    bench = Benchmark(args)

    wmo407_bestanden.controleer_voorbeeld()
    maximaal = wmo407_bestanden.maximaal_aantal(MAX_BESTANDSGROOTTE)
    plan = [(1_000, 1 if args.snel else 3), (10_000, 1 if args.snel else 3)]
    if not args.snel:
        plan.append((maximaal, 2))
    meting = {
        "date": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "machine": _machine(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "worktree_dirty": bool(_git("status", "--porcelain", "--", "portal", "migrations", "pyproject.toml")),
        "source_sha256": _bron_sha256(),
        "limit_bytes": MAX_BESTANDSGROOTTE,
        "files": [],
    }
    try:
        with tempfile.TemporaryDirectory(prefix="bw-bench-") as map_:
            print(f"WMO407-bestanden maken in {map_} (grootste: {maximaal:,} cliënten, net onder "
                  f"{MAX_BESTANDSGROOTTE / 1024 / 1024:.0f} MB) ...", flush=True)
            paden = [(wmo407_bestanden.schrijf(Path(map_), clients), clients, runs) for clients, runs in plan]
            for pad, clients, runs in paden:
                if clients == maximaal and pad.stat().st_size > MAX_BESTANDSGROOTTE:
                    raise BenchFout(f"{pad.name} is {pad.stat().st_size} bytes, boven de grens")
                meting["files"].append(bench.bestand(pad, clients, runs, fasen=clients == paden[-1][1]))
            meting["targets"] = _doelen(meting["files"])
            meting["duration_seconds"] = round(time.monotonic() - bench.begin, 1)
            print()
            print(_tabel(meting))
            if args.snel:
                print("\n(--snel: niet opgeslagen in results.json)")
            else:
                _bewaar(meting)
                print(f"\nOpgeslagen in {RESULTATEN.relative_to(ROOT)} ({meting['duration_seconds']:.0f} s).")
            if args.diagnose:
                pad, clients, _ = paden[-1]
                bench.diagnose(pad, clients)
    except BenchFout as fout:
        print(f"\nBENCHMARK MISLUKT: {fout}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
