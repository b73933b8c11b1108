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
from typing import Any

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


class Inlog:
    """Logging in through the form as a user would. A CAK user's first login enrols the second factor (pyotp
    computes the code from the secret the page shows); the recovery codes shown then serve the later logins,
    one each, so no TOTP step is needed twice (the portal refuses a step that was used)."""

    def __init__(self) -> None:
        self.herstelcodes: list[str] = []

    def __call__(self, get: Callable[[str], str], post: Callable[[str, dict], tuple[int, str, str]],
                 email: str) -> None:
        def csrf(html: str) -> str:
            return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]  # type: ignore[index]

        _, plaats, _ = post("/login", {"email": email, "password": WACHTWOORD, "csrf_token": csrf(get("/login"))})
        if "tweede-factor-instellen" in plaats:
            pagina = get(plaats)
            geheim = re.search(r'data-testid="geheim">([A-Z2-7 ]+)<', pagina)[1].replace(" ", "")  # type: ignore[index]
            _, _, codes = post(plaats, {"code": pyotp.TOTP(geheim).now(), "csrf_token": csrf(pagina)})
            self.herstelcodes = re.findall(r"<li><code>([^<]+)</code></li>", codes)
            if not self.herstelcodes:
                raise RuntimeError("bench: het instellen van de tweede factor toonde geen herstelcodes")
        elif "/login/code" in plaats:
            if not self.herstelcodes:
                raise RuntimeError("bench: geen herstelcode meer over om in te loggen")
            pagina = get(plaats)
            status, _, _ = post(plaats, {"code": self.herstelcodes.pop(), "csrf_token": csrf(pagina)})
            if status != 302:
                raise RuntimeError(f"bench: inloggen met een herstelcode gaf {status}")


def _http_inlog(basis_url: str, email: str, inlog: Inlog) -> dict[str, str]:
    """The cookies of a session logged in over HTTP."""
    sessie = requests.Session()

    def post(pad: str, data: dict) -> tuple[int, str, str]:
        antwoord = sessie.post(basis_url + pad, data=data, allow_redirects=False)
        return antwoord.status_code, antwoord.headers.get("Location", ""), antwoord.text

    inlog(lambda pad: sessie.get(basis_url + pad).text, post, email)
    return sessie.cookies.get_dict()


def _statements(url: str, token: str, inlog: Inlog) -> dict[str, int]:
    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_MODE": "ontwikkeling", "SECRET_KEY": "bench-" + "x" * 40,
                      "SESSION_COOKIE_SECURE": False, "API_LIMIET": 100_000_000})
    aantallen = {}
    with app.app_context():
        engine = db.engine
    for naam, email in (("dashboard", CAK), ("map", GEMEENTE), ("api", None)):
        client = app.test_client()

        def get(pad: str, client: Any = client) -> str:
            return str(client.get(pad).get_data(as_text=True))

        def post(pad: str, data: dict, client: Any = client) -> tuple[int, str, str]:
            antwoord = client.post(pad, data=data)
            return antwoord.status_code, antwoord.headers.get("Location", ""), antwoord.get_data(as_text=True)

        if email:
            inlog(get, post, email)
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


def _rondgang(basis_url: str, pad: str, cookies: dict, kop: dict, clients: int,
              verzoeken: int) -> tuple[float, list[float]]:
    """`verzoeken` requests by `clients` threads: (req/s, the seconds of each request)."""
    tijden: list[float] = []

    def een(_: int) -> None:
        begin = time.perf_counter()
        antwoord = requests.get(basis_url + pad, cookies=cookies, headers={**kop, "Connection": "close"}, timeout=60)
        antwoord.raise_for_status()
        tijden.append(time.perf_counter() - begin)

    begin = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(een, range(verzoeken)))
    return verzoeken / (time.perf_counter() - begin), tijden


def _p95(tijden: list[float]) -> float:
    geordend = sorted(tijden)
    return geordend[int(0.95 * (len(geordend) - 1))]


def _start(url: str, werkmap: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn with 2 workers on a free port (README's production settings, --workers 2 for 2 cores)."""
    poort = _vrije_poort()
    basis_url = f"http://127.0.0.1:{poort}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{poort}", "--workers", "2", "--threads", "4",
         "bench.webapp:app"], env=_omgeving(url, werkmap), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            requests.get(basis_url + "/login", timeout=10)
            return server, basis_url
        except (requests.ConnectionError, requests.Timeout):
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("bench: gunicorn kwam niet op")


def meet(omgeving: kader.Omgeving) -> Iterator[kader.Resultaat]:
    gemeenten, clients = (40, 20) if omgeving.snel else (344, 150)
    rondes = kader.RONDES
    for database in omgeving.databases:
        url = kader.nieuwe_database(database, "web")
        kader.migreer(url)
        token = _laad(url, gemeenten, clients)
        inlog = Inlog()
        statements = _statements(url, token, inlog)
        server, basis_url = _start(url, omgeving.werkmap)
        try:
            cookies_per_pagina = {naam: _http_inlog(basis_url, email, inlog)
                                  for naam, email in (("dashboard", CAK), ("map", GEMEENTE))}
            cookies_per_pagina["api"] = {}
            koppen = {naam: {"Authorization": f"Bearer {token}"} if naam == "api" else {} for naam in PAGINAS}
            grootte_html = {}
            for naam, pad in PAGINAS.items():
                html = requests.get(basis_url + pad, cookies=cookies_per_pagina[naam], headers=koppen[naam],
                                    timeout=60).content
                (omgeving.werkmap / f"{naam}.html").write_bytes(html)   # the baseline serves these bytes
                grootte_html[naam] = len(html)
            for aantal_clients in (8, 32):
                verzoeken = aantal_clients * (2 if omgeving.snel else 8)
                for naam, pad in PAGINAS.items():
                    ons: list[tuple[float, list[float]]] = []
                    basis: list[tuple[float, list[float]]] = []
                    for _ in range(rondes):
                        ons.append(_rondgang(basis_url, pad, cookies_per_pagina[naam], koppen[naam], aantal_clients,
                                             verzoeken))
                        basis.append(_rondgang(basis_url, f"/bench/basis/{naam}", {}, {}, aantal_clients, verzoeken))
                    grens, doel = DOEL[naam]
                    # p95 of the least disturbed round, as the harness takes the minimum: the machine is shared.
                    p95 = min(_p95(t) for _, t in ons)
                    uitkomst = kader.resultaat(
                        f"web {naam}", f"{gemeenten} gemeenten × {clients} cliënten, {aantal_clients} clients",
                        database.naam, [1 / r for r, _ in ons], [1 / r for r, _ in basis], doel=doel,
                        max_ratio=10.0, statements=statements[naam], max_statements=8,
                        req_s=round(max(r for r, _ in ons), 1), basis_req_s=round(max(r for r, _ in basis), 1),
                        p95_ms=round(p95 * 1000, 1), basis_p95_ms=round(min(_p95(t) for _, t in basis) * 1000, 1),
                        p95_ms_alle_rondes=round(_p95([x for _, t in ons for x in t]) * 1000, 1),
                        verzoeken_per_ronde=verzoeken, html_bytes=grootte_html[naam])
                    if aantal_clients == 8:
                        uitkomst.gehaald = uitkomst.gehaald and p95 <= grens
                    yield uitkomst
        finally:
            server.terminate()
            server.wait(timeout=30)
