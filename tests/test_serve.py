"""`portal serve` (what `make run` starts): the portal and the planner beside it, and both stop on Ctrl-C."""
from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Uitvoer:
    """The output of a running process, line by line, read beside it."""

    def __init__(self, proces: subprocess.Popen) -> None:
        self.regels: list[str] = []
        self._nieuw: queue.Queue[str | None] = queue.Queue()
        self._lezer = threading.Thread(target=self._lees, args=(proces,), daemon=True)
        self._lezer.start()

    def _lees(self, proces: subprocess.Popen) -> None:
        for regel in proces.stdout:
            self._nieuw.put(regel)
        self._nieuw.put(None)

    def wacht_op(self, *teksten: str, seconden: float = 60) -> None:
        """Wait until every text has appeared in the output; fail when the process ends or time runs out."""
        einde = time.monotonic() + seconden
        while not all(any(tekst in regel for regel in self.regels) for tekst in teksten):
            try:
                regel = self._nieuw.get(timeout=max(0.0, einde - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"niet binnen {seconden} seconden: {teksten}\n{self.tekst}") from None
            assert regel is not None, f"het proces stopte voor {teksten}\n{self.tekst}"
            self.regels.append(regel)

    def tot_het_einde(self) -> str:
        """All output, once the process and everything it started have closed it."""
        self._lezer.join(timeout=60)
        assert not self._lezer.is_alive(), f"de uitvoer werd niet gesloten\n{self.tekst}"
        while (regel := self._nieuw.get_nowait()) is not None:
            self.regels.append(regel)
        return self.tekst

    @property
    def tekst(self) -> str:
        return "".join(self.regels)


def _kinderen(pid: int) -> list[int]:
    uitvoer = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(regel) for regel in uitvoer.split()]


def test_serve_runs_the_portal_with_the_planner_and_ctrl_c_stops_both(tmp_path):
    poort = _vrije_poort()
    omgeving = dict(os.environ, PORTAL_MODE="ketentest", SESSION_COOKIE_SECURE="0",
                    DATABASE_URL="sqlite:///" + str(tmp_path / "portal.sqlite"), SCHEDULER_INTERVAL="1")
    omgeving.pop("TEST_DATABASE_URL", None)
    portal = [sys.executable, "-m", "portal.cli"]
    subprocess.run([*portal, "db", "upgrade"], env=omgeving, cwd=ROOT, check=True, capture_output=True)
    proces = subprocess.Popen([*portal, "serve", "--port", str(poort), "--workers", "1"], env=omgeving, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    uitvoer = Uitvoer(proces)
    try:
        uitvoer.wacht_op("Het BW-portaal draait op", f"Listening at: http://127.0.0.1:{poort}", "Planner gestart")
        with urllib.request.urlopen(f"http://127.0.0.1:{poort}/login", timeout=60) as antwoord:
            pagina = antwoord.read().decode()
        assert "Ketentestomgeving" in pagina and 'name="csrf_token"' in pagina
        kinderen = _kinderen(proces.pid)
        assert len(kinderen) == 2  # gunicorn and the planner
    finally:
        proces.send_signal(signal.SIGINT)
        proces.wait(timeout=60)
    assert "Het portaal stopt..." in uitvoer.tot_het_einde()
    for pid in kinderen:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
