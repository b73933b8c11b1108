"""`portal serve` (what `make run` starts): the portal and the planner beside it, and both stop on Ctrl-C."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wacht_op(url: str, seconden: float = 60) -> str:
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        try:
            with urllib.request.urlopen(url, timeout=2) as antwoord:
                return antwoord.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} antwoordde niet binnen {seconden} seconden")


def _kinderen(pid: int) -> list[int]:
    uitvoer = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(regel) for regel in uitvoer.split()]


def test_serve_runs_the_portal_with_the_planner_and_ctrl_c_stops_both(tmp_path):
    poort = _vrije_poort()
    omgeving = dict(os.environ, PORTAL_MODE="ketentest", SESSION_COOKIE_SECURE="0",
                    DATABASE_URL="sqlite:///" + str(tmp_path / "portal.sqlite"), SCHEDULER_INTERVAL="1")
    omgeving.pop("TEST_DATABASE_URL", None)
    portal = [sys.executable, "-m", "portal.cli"]
    subprocess.run(portal + ["db", "upgrade"], env=omgeving, cwd=ROOT, check=True, capture_output=True)
    proces = subprocess.Popen(portal + ["serve", "--port", str(poort), "--workers", "1"], env=omgeving, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        pagina = _wacht_op(f"http://127.0.0.1:{poort}/login")
        assert "Ketentestomgeving" in pagina and 'name="csrf_token"' in pagina
        kinderen = _kinderen(proces.pid)
        assert len(kinderen) == 2  # gunicorn and the planner
    finally:
        proces.send_signal(signal.SIGINT)
        uitvoer, _ = proces.communicate(timeout=60)
    assert "Het BW-portaal draait op" in uitvoer
    assert "Planner gestart" in uitvoer
    for pid in kinderen:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
