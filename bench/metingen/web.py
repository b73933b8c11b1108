"""The web pages at national scale: the CAK dashboard, the folder page and the API folder list, under gunicorn
(2 workers, as README's production section with --workers 2 for this 2-core machine) on the schaal scenario,
with 8 and 32 concurrent clients, each against a bare route returning the same page's HTML from memory
(bench/webapp.py). Statements per page are counted in-process with the test client on the same database."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp
import requests

from bench import kader

CAK = "cak@bench.example.nl"
GEMEENTE = "gemeente@bench.example.nl"
WACHTWOORD = "Bench-wachtwoord-2022"
MAP_CODE = "0080"   # tenth CBS gemeente: migrated in the schaal scenario, its folder holds B4 and WMO408s
PAGINAS = {"dashboard": "/cak/", "map": f"/gemeenten/{MAP_CODE}/", "api": f"/api/v1/gemeenten/{MAP_CODE}/bestanden"}
DOEL = {"dashboard": (0.200, "≤ 8 statements; p95 ≤ 200 ms bij 8 clients; ≥ 10% van de req/s van de basis"),
        "map": (0.050, "≤ 8 statements; p95 ≤ 50 ms bij 8 clients; ≥ 10% van de req/s van de basis"),
        "api": (0.050, "≤ 8 statements; p95 ≤ 50 ms bij 8 clients; ≥ 10% van de req/s van de basis")}


def _omgeving(url: str, werkmap: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "PORTAL_MODE": "ontwikkeling", "PORTAL_ENV_FILE": "",
            "SECRET_KEY": "bench-" + "x" * 40, "SESSION_COOKIE_SECURE": "0", "API_LIMIET": "100000000",
            "BENCH_BASIS_MAP": str(werkmap)}


def _laad(url: str, gemeenten: int, clients: int) -> str:
    """The schaal scenario, a CAK user and a gemeente user; the gemeente user's API token."""
    from portal import create_app
    from portal.services import accounts, apitokens, schaal
    from portal.services.audit import Actor

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_MODE": "ontwikkeling", "SECRET_KEY": "bench-" + "x" * 40})
    with app.app_context():
        schaal.laad_schaal(gemeenten, clients)
        job = Actor.job_named("bench")
        for email, rol, codes in ((CAK, "cak", ()), (GEMEENTE, "gemeente", (MAP_CODE,))):
            accounts.maak_gebruiker(accounts.NieuweGebruiker(email=email, password=WACHTWOORD, role=rol,
                                                             gemeente_codes=codes, naam=email), job)
        return apitokens.maak_token_voor(job, GEMEENTE, "bench").geheim


def _inloggen(get: Callable[[str], str], post: Callable[[str, dict], tuple[int, str]], email: str) -> None:
    """Log in through the form as a user would; a CAK user enrols the second factor with pyotp first."""
    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]  # type: ignore[index]

    _, plaats = post("/login", {"email": email, "password": WACHTWOORD, "csrf_token": csrf(get("/login"))})
    if "tweede-factor-instellen" in plaats:
        pagina = get(plaats)
        geheim = re.search(r'data-testid="geheim">([A-Z2-7 ]+)<', pagina)[1].replace(" ", "")  # type: ignore[index]
        post(plaats, {"code": pyotp.TOTP(geheim).now(), "csrf_token": csrf(pagina)})
    elif "/login/code" in plaats:
        raise RuntimeError("bench: gebruiker heeft al een tweede factor; gebruik een verse database")


def _http_inlog(basis_url: str, email: str) -> dict[str, str]:
    """The cookies of a session logged in over HTTP."""
    sessie = requests.Session()

    def post(pad: str, data: dict) -> tuple[int, str]:
        antwoord = sessie.post(basis_url + pad, data=data, allow_redirects=False)
        return antwoord.status_code, antwoord.headers.get("Location", "")

    _inloggen(lambda pad: sessie.get(basis_url + pad).text, post, email)
    return sessie.cookies.get_dict()


def _statements(url: str, token: str) -> dict[str, int]:
    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_MODE": "ontwikkeling", "SECRET_KEY": "bench-" + "x" * 40,
                      "SESSION_COOKIE_SECURE": False, "API_LIMIET": 100_000_000})
    aantallen = {}
    with app.app_context():
        engine = db.engine
    for naam, email in (("dashboard", CAK), ("map", GEMEENTE), ("api", None)):
        client = app.test_client()
        if email:
            _inloggen(lambda u: client.get(u).get_data(as_text=True),  # noqa: B023
                      lambda u, d: (lambda r: (r.status_code, r.headers.get("Location", "")))(client.post(u, data=d)),  # noqa: B023
                      email)
        kop = {"Authorization": f"Bearer {token}"} if naam == "api" else {}
        client.get(PAGINAS[naam], headers=kop)      # warm
        with kader.tel_statements(engine) as teller:
            assert client.get(PAGINAS[naam], headers=kop).status_code == 200
        aantallen[naam] = teller.aantal
    return aantallen


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rondgang(basis_url: str, pad: str, cookies: dict, kop: dict, clients: int, verzoeken: int) -> tuple[float, float]:
    """`verzoeken` requests by `clients` threads: (req/s, p95 in seconds)."""
    tijden: list[float] = []

    def een(_: int) -> None:
        begin = time.perf_counter()
        antwoord = requests.get(basis_url + pad, cookies=cookies, headers={**kop, "Connection": "close"}, timeout=60)
        antwoord.raise_for_status()
        tijden.append(time.perf_counter() - begin)

    begin = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(een, range(verzoeken)))
    duur = time.perf_counter() - begin
    tijden.sort()
    return verzoeken / duur, tijden[int(0.95 * (len(tijden) - 1))]


def meet(omgeving: kader.Omgeving) -> Iterator[kader.Resultaat]:
    gemeenten, clients = (40, 20) if omgeving.snel else (344, 150)
    verzoeken, rondes = (40, 3) if omgeving.snel else (200, 5)
    for database in omgeving.databases:
        url = kader.nieuwe_database(database, "web")
        kader.migreer(url)
        token = _laad(url, gemeenten, clients)
        statements = _statements(url, token)
        poort = _vrije_poort()
        basis_url = f"http://127.0.0.1:{poort}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{poort}", "--workers", "2", "--threads", "4",
             "bench.webapp:app"], env=_omgeving(url, omgeving.werkmap), stderr=subprocess.DEVNULL)
        try:
            sessie = requests.Session()
            for _ in range(100):
                try:
                    sessie.get(basis_url + "/login", timeout=2)
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
            cookies_per_pagina = {}
            for naam, email in (("dashboard", CAK), ("map", GEMEENTE)):
                cookies_per_pagina[naam] = _http_inlog(basis_url, email)
            cookies_per_pagina["api"] = {}
            for naam, pad in PAGINAS.items():
                kop = {"Authorization": f"Bearer {token}"} if naam == "api" else {}
                html = requests.get(basis_url + pad, cookies=cookies_per_pagina[naam], headers=kop, timeout=60).content
                (omgeving.werkmap / f"{naam}.html").write_bytes(html)
            # The baseline route reads its HTML at start: restart the workers now that the files are there.
            server.send_signal(1)
            time.sleep(3)
            for aantal_clients in (8, 32):
                for naam, pad in PAGINAS.items():
                    kop = {"Authorization": f"Bearer {token}"} if naam == "api" else {}
                    ons: list[tuple[float, float]] = []
                    basis: list[tuple[float, float]] = []
                    for _ in range(rondes):
                        ons.append(_rondgang(basis_url, pad, cookies_per_pagina[naam], kop, aantal_clients, verzoeken))
                        basis.append(_rondgang(basis_url, f"/bench/basis/{naam}", {}, {}, aantal_clients, verzoeken))
                    rps, p95 = max(r for r, _ in ons), min(p for _, p in ons)
                    basis_rps = max(r for r, _ in basis)
                    grens, doel = DOEL[naam]
                    gehaald = (statements[naam] <= 8 and rps >= 0.10 * basis_rps
                               and (aantal_clients != 8 or p95 <= grens))
                    yield kader.Resultaat(
                        naam=f"web {naam}",
                        grootte=f"{gemeenten} gemeenten × {clients} cliënten, {aantal_clients} clients",
                        database=database.naam, tijd=1 / rps, basis_tijd=1 / basis_rps, ratio=basis_rps / rps,
                        piek_mb=None, statements=statements[naam], doel=doel, gehaald=gehaald,
                        extra={"req_s": round(rps, 1), "basis_req_s": round(basis_rps, 1),
                               "p95_ms": round(p95 * 1000, 1),
                               "rondes": [(round(r, 1), round(p * 1000, 1)) for r, p in ons]})
        finally:
            server.terminate()
            server.wait(timeout=30)
