"""Two portal instances on one PostgreSQL (issue 12, point 4; docs/schaal.md).

Two real `portal serve` processes (gunicorn and the planner beside it, as production runs them) on their own
ports, against one PostgreSQL database in ketentest mode. Uploads go through both, the same upload to both at
once, the virtual clock is moved through both (also at the same moment), and the CAK's steps are sent to both
at once. Afterwards every planned action has run exactly once and every upload has exactly one answer.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from tests.conftest import TEST_SECRET
from tests.scenario import vul_b4
from tests.services.test_mail_smtp import Verzamelaar
from tests.test_serve import Uitvoer, _vrije_poort

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith(("postgresql", "postgres:")),
    reason="twee portaalprocessen op één database vragen PostgreSQL: zet TEST_DATABASE_URL op een "
           "PostgreSQL-database (SQLite staat maar één schrijver tegelijk toe en draait nooit met meer machines)")

AMSTERDAM, ROTTERDAM, UTRECHT = "0363", "0599", "0344"


@pytest.fixture
def app_config() -> dict[str, object]:
    # The test reads and seeds the same database as the instances, on the same virtual clock.
    return {"PORTAL_MODE": "ketentest", "CLOCK": None}


class TrageVerzamelaar(Verzamelaar):
    """A mail server that takes its time over each mail, as a real one may: while one planner is still
    sending the outbox, the other one's round comes."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.3)
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def trage_smtp_server(poort: int):
    verzamelaar = TrageVerzamelaar()
    controller = Controller(verzamelaar, hostname="127.0.0.1", port=poort)
    controller.start()
    try:
        yield verzamelaar
    finally:
        controller.stop()


class Instantie:
    """One portal instance: `portal serve` (gunicorn and its own planner) on its own port."""

    def __init__(self, naam: str, database_url: str, smtp_poort: int) -> None:
        self.naam = naam
        self.poort = _vrije_poort()
        omgeving = dict(os.environ, PORTAL_MODE="ketentest", SESSION_COOKIE_SECURE="0", DATABASE_URL=database_url,
                        SECRET_KEY=TEST_SECRET, SCHEDULER_INTERVAL="1", PORTAL_ENV_FILE="",
                        SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_poort))
        omgeving.pop("TEST_DATABASE_URL", None)
        self.proces = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(self.poort), "--workers", "2"],
            env=omgeving, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.uitvoer = Uitvoer(self.proces)

    def wacht_tot_klaar(self) -> None:
        self.uitvoer.wacht_op(f"Listening at: http://127.0.0.1:{self.poort}", "Planner gestart")

    def stop(self) -> str:
        if self.proces.poll() is None:
            self.proces.send_signal(signal.SIGINT)
            try:
                self.proces.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proces.kill()
                self.proces.wait(timeout=30)
        return self.uitvoer.tot_het_einde()

    def vraag(self, methode: str, pad: str, token: str, body: Any = None,
              soort: str = "application/json") -> tuple[int, Any]:
        """An API request; the status and the answer (JSON as data, anything else as bytes)."""
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
        verzoek = urllib.request.Request(f"http://127.0.0.1:{self.poort}/api/v1{pad}", data=body, method=methode,
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": soort})
        try:
            with urllib.request.urlopen(verzoek, timeout=120) as antwoord:
                status, inhoud, type_ = antwoord.status, antwoord.read(), antwoord.headers.get("Content-Type", "")
        except urllib.error.HTTPError as fout:
            status, inhoud, type_ = fout.code, fout.read(), fout.headers.get("Content-Type", "")
        return status, (json.loads(inhoud) if type_.startswith("application/json") else inhoud)


def tegelijk(*verzoeken: Callable[[], tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Send the requests at the same moment, each from its own thread; their answers in the same order."""
    start = threading.Barrier(len(verzoeken))

    def na_start(verzoek: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
        start.wait()
        return verzoek()

    with ThreadPoolExecutor(len(verzoeken)) as pool:
        return list(pool.map(na_start, verzoeken))


def _ok(antwoord: tuple[int, Any], *statussen: int) -> Any:
    status, inhoud = antwoord
    assert status in (statussen or (200,)), (status, inhoud)
    return inhoud


def test_two_instances_on_one_database_run_every_planned_action_once_and_answer_every_upload_once(app):
    from portal.extensions import db
    from portal.models import Mail
    from portal.services import apitokens
    from portal.services.audit import Actor
    from portal.services.seed import laad_demo

    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        laad_demo()
        wie = Actor.job_named("twee-instanties-test")
        tokens = {email: apitokens.maak_token_voor(wie, email).geheim for email in (
            "cak@demo.example.nl", "cak-beheerder@demo.example.nl", "gemeente@demo.example.nl",
            "rotterdam@demo.example.nl")}
        db.session.remove()

    smtp_poort = _vrije_poort()
    with trage_smtp_server(smtp_poort) as smtp:  # both planners deliver the outbox to the same mail server
        a, b = Instantie("A", database_url, smtp_poort), Instantie("B", database_url, smtp_poort)
        _doorloop(app, a, b, tokens)
        # Both planners deliver what is still waiting; then the server has each mail of the outbox once.
        with app.app_context():
            einde = time.monotonic() + 30
            while db.session.scalar(select(func.count()).select_from(Mail).where(Mail.verzonden_op.is_(None))) \
                    and time.monotonic() < einde:
                db.session.rollback()
                time.sleep(0.5)
            db.session.remove()
        uitvoer = {i.naam: i.stop() for i in (a, b)}
        for naam, tekst in uitvoer.items():  # shown by pytest when the test fails
            print(f"--- instantie {naam} ---\n{tekst}")
    _controleer(app, uitvoer, smtp.gelezen())


def _doorloop(app, a: Instantie, b: Instantie, tokens: dict[str, str]) -> None:
    from portal.extensions import db
    from portal.models import Categorie
    from portal.services import accounts, delivery
    from portal.services.audit import Actor

    cak, beheerder = tokens["cak@demo.example.nl"], tokens["cak-beheerder@demo.example.nl"]
    amsterdam, rotterdam = tokens["gemeente@demo.example.nl"], tokens["rotterdam@demo.example.nl"]
    try:
        a.wacht_tot_klaar()
        b.wacht_tot_klaar()

        def klok_naar(moment_a: str, moment_b: str) -> None:
            """Both instances move the clock at the same moment (the later target wins)."""
            for antwoord in tegelijk(lambda: a.vraag("PUT", "/ketentest/klok", cak, {"nu": moment_a}),
                                     lambda: b.vraag("PUT", "/ketentest/klok", cak, {"nu": moment_b})):
                _ok(antwoord, 200, 409)  # 409: the other instance moved the clock past this moment first

        def b4(instantie: Instantie, code: str, token: str) -> bytes:
            bestanden = _ok(instantie.vraag("GET", f"/gemeenten/{code}/bestanden", token))["bestanden"]
            [bestand] = [f for f in bestanden if f["categorie"] == Categorie.BESTANDSVERGELIJKING]
            return _ok(instantie.vraag("GET", f"/bestanden/{bestand['id']}", token))

        # The CAK plans Rotterdam in the first week, beside Amsterdam (the demo plans Amsterdam there).
        _ok(b.vraag("PUT", f"/gemeenten/{ROTTERDAM}/timeslot", beheerder, {"maandag": "2022-10-03"}))

        # Monday: the B4 of both appears; each gemeente downloads it and gives its terugkoppeling, Amsterdam
        # the same file through both instances at once.
        klok_naar("2022-09-26 10:31", "2022-09-26 10:32")
        terugkoppeling_0363 = vul_b4(b4(a, AMSTERDAM, amsterdam))
        terugkoppeling_0599 = vul_b4(b4(b, ROTTERDAM, rotterdam))
        pad = "/gemeenten/{}/terugkoppeling?bestandsnaam=terugkoppeling.xlsx"
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        for antwoord in tegelijk(
                lambda: a.vraag("POST", pad.format(AMSTERDAM), amsterdam, terugkoppeling_0363, xlsx),
                lambda: b.vraag("POST", pad.format(AMSTERDAM), amsterdam, terugkoppeling_0363, xlsx),
                lambda: b.vraag("POST", pad.format(ROTTERDAM), rotterdam, terugkoppeling_0599, xlsx)):
            assert _ok(antwoord)["geldig"] is True

        # Thursday's deadline passes (both were on time), then the CAK gives the akkoord: Amsterdam's through
        # both instances at once (a double click in two windows), Rotterdam's through B.
        klok_naar("2022-09-29 17:01", "2022-09-29 17:02")
        akkoord = "/gemeenten/{}/akkoord-aanleveren"
        statussen = [s for s, _ in tegelijk(lambda: a.vraag("POST", akkoord.format(AMSTERDAM), cak),
                                            lambda: b.vraag("POST", akkoord.format(AMSTERDAM), cak),
                                            lambda: b.vraag("POST", akkoord.format(ROTTERDAM), cak))]
        assert sorted(statussen[:2]) == [200, 409] and statussen[2] == 200, statussen

        # Tuesday of the timeslot week: Utrecht (a demo gemeente that acts by itself) gives its terugkoppeling
        # while both instances and both planners move on; Amsterdam sends its WMO407 through both at once.
        klok_naar("2022-10-04 10:01", "2022-10-04 10:02")
        with app.app_context():
            # "WMO407 maken uit de terugkoppeling", as each gemeente's worker clicks it.
            wmo407_0363 = delivery.genereer_wmo407(
                Actor(user=accounts.zoek_op_email("gemeente@demo.example.nl")), AMSTERDAM).inhoud
            wmo407_0599 = delivery.genereer_wmo407(
                Actor(user=accounts.zoek_op_email("rotterdam@demo.example.nl")), ROTTERDAM).inhoud
            db.session.remove()
        berichten = "/gemeenten/{}/berichten?bestandsnaam=wmo407.xml"
        uitkomsten = [_ok(antwoord, 201)["uitkomst"] for antwoord in tegelijk(
            lambda: a.vraag("POST", berichten.format(AMSTERDAM), amsterdam, wmo407_0363, "application/xml"),
            lambda: b.vraag("POST", berichten.format(AMSTERDAM), amsterdam, wmo407_0363, "application/xml"),
            lambda: a.vraag("POST", berichten.format(ROTTERDAM), rotterdam, wmo407_0599, "application/xml"))]
        assert sorted(uitkomsten[:2]) == ["afgekeurd", "geaccepteerd"] and uitkomsten[2] == "geaccepteerd"

        # Wednesday's report, the CAK's verdict (through both at once for Amsterdam), the closing of the old
        # channels by the next round of a planner, and the first weekly report a week later.
        klok_naar("2022-10-05 10:01", "2022-10-05 10:02")
        goed = "/gemeenten/{}/akkoord-aanlevering"
        statussen = [s for s, _ in tegelijk(lambda: a.vraag("POST", goed.format(AMSTERDAM), cak),
                                            lambda: b.vraag("POST", goed.format(AMSTERDAM), cak),
                                            lambda: a.vraag("POST", goed.format(ROTTERDAM), cak))]
        assert sorted(statussen[:2]) == [200, 409] and statussen[2] == 200, statussen
        klok_naar("2022-10-11 10:01", "2022-10-11 10:02")
        time.sleep(3)  # a few rounds of both planners after the last move: nothing may run again
    except BaseException:
        for instantie in (a, b):
            print(f"--- instantie {instantie.naam} ---\n{instantie.stop()}")
        raise


def _controleer(app, uitvoer: dict[str, str], ontvangen: list) -> None:
    from portal.extensions import db
    from portal.models import (
        ActieStatus,
        AuditEvent,
        Bestand,
        Categorie,
        Gebeurtenis,
        Gemeente,
        GeplandeActie,
        Mail,
        Ontvangst,
        OntvangstStatus,
        Terugkoppeling,
        Wmo407Bericht,
    )
    from portal.services import delivery, klok

    with app.app_context():
        db.session.expire_all()
        moment = klok.nu()
        assert "MISLUKT" not in uitvoer["A"] + uitvoer["B"], uitvoer
        gemeente_id = {g.code: g.id for g in db.session.scalars(select(Gemeente))}

        # Every planned action that fell due ran once: claimed once, carried out, nothing left behind.
        acties = list(db.session.scalars(select(GeplandeActie).where(GeplandeActie.due_op <= moment)))
        assert acties and [(a.soort, a.status, a.pogingen) for a in acties if
                           (a.status, a.pogingen) != (ActieStatus.KLAAR, 1)] == []
        # ... and did what it does once: one file per name in each folder, one mail of each kind per gemeente,
        # each step once on each gemeente's timeline and in the audit trail.
        bestanden = Counter(db.session.execute(select(Bestand.gemeente_id, Bestand.naam)).all())
        assert [k for k, n in bestanden.items() if n > 1] == []
        mails = Counter(db.session.execute(select(Mail.soort, Mail.gemeente_id, Mail.onderwerp)).all())
        ontvangstbewijs = "Terugkoppeling ontvangen"  # the receipt of each valid upload, to its uploader
        assert [k for k, n in mails.items() if n > 1 and k[0] != ontvangstbewijs] == []
        assert sum(n for k, n in mails.items() if k[0] == ontvangstbewijs) == db.session.scalar(
            select(func.count()).select_from(Terugkoppeling).where(Terugkoppeling.geldig.is_(True)))
        assert {k[0] for k in mails} >= {"Bestandsvergelijking geplaatst", "Akkoord om aan te leveren",
                                         "Aanleverrapportage geplaatst", "Akkoord op aanlevering"}, mails
        stappen = Counter(db.session.execute(select(Gebeurtenis.gemeente_id, Gebeurtenis.soort)).all())
        # (Amsterdam's terugkoppeling came twice, and a second valid one replaces the first: two steps.)
        assert [k for k, n in stappen.items() if n > 1] == [(gemeente_id[AMSTERDAM], "terugkoppeling")]
        for code in (AMSTERDAM, ROTTERDAM):
            soorten = {soort for (gid, soort) in stappen if gid == gemeente_id[code]}
            assert {"b4_publiceren", "akkoord_aanleveren", "aangeleverd", "rapporteren", "goedkeuren",
                    "kanalen_gesloten"} <= soorten, (code, soorten)
            rapportages = db.session.scalars(select(Bestand.naam).where(
                Bestand.gemeente_id == gemeente_id[code], Bestand.categorie == Categorie.AANLEVERRAPPORTAGE)).all()
            assert len(rapportages) == 2, rapportages  # Wednesday's and the first weekly one
        audit = Counter(db.session.execute(select(AuditEvent.gemeente_id, AuditEvent.actie)
                                           .where(AuditEvent.actie.like("migratie_%"))).all())
        assert audit == Counter({(gid, f"migratie_{soort}"): n for (gid, soort), n in stappen.items()})

        # Every upload has exactly one answer: each terugkoppeling one verdict, each WMO407 one WMO408.
        ontvangsten = list(db.session.scalars(select(Ontvangst)))
        assert [o.id for o in ontvangsten if o.status == OntvangstStatus.ONTVANGEN] == []
        terugkoppelingen = Counter(db.session.scalars(select(Terugkoppeling.ontvangst_id)))
        for ontvangst in ontvangsten:
            if ontvangst.soort == "terugkoppeling":
                assert terugkoppelingen[ontvangst.id] == 1, ontvangst.id
        wmo407 = [o for o in ontvangsten if o.soort == delivery.SOORT]
        assert len(wmo407) == 3
        for ontvangst in wmo407:
            [bericht] = db.session.scalars(select(Wmo407Bericht).where(Wmo407Bericht.ontvangst_id == ontvangst.id))
            assert db.session.scalar(select(func.count()).select_from(Bestand).where(
                Bestand.id == bericht.wmo408_bestand_id, Bestand.categorie == Categorie.RETOURBERICHT)) == 1
        assert db.session.scalar(select(func.count()).select_from(Bestand).where(
            Bestand.categorie == Categorie.RETOURBERICHT)) == 3

        # Utrecht, acting by itself, gave its terugkoppeling once, however many processes saw the moment pass.
        utrecht = [o for o in ontvangsten if o.gemeente_id == gemeente_id[UTRECHT]]
        assert len(utrecht) == 1 and utrecht[0].status == OntvangstStatus.VERWERKT

        # Each mail of the outbox reached the mail server once, though two planners deliver the outbox.
        uitbak = sorted((sorted(m.aan), m.onderwerp) for m in db.session.scalars(select(Mail)))
        assert sorted((aan, bericht["Subject"]) for _, aan, bericht in ontvangen) == uitbak
        db.session.remove()
