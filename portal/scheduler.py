"""The scheduler process: APScheduler runs two jobs every SCHEDULER_INTERVAL seconds: `tick` (the
scheduled actions that are due, and, in the ketentest and ontwikkeling, what the demo gemeenten that act by
themselves would have done by now) and the delivery of the outbox by SMTP.

Several scheduler processes may run against one database; the claim on each action makes sure
every action is carried out once.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from portal.extensions import db
from portal.services import bewaartermijn, demogedrag, herverwerking, mail, planner

log = logging.getLogger("portal.scheduler")


def tick_in_app(app: Flask) -> None:
    with app.app_context():
        try:
            # First the uploads whose worker died (in order of arrival): a report the tick makes counts them.
            for herverwerkt in herverwerking.verwerk_achtergebleven():
                log.info("%s upload %s (%s) alsnog verwerkt: %s", herverwerkt.gemeente or "----",
                         herverwerkt.ontvangst_id, herverwerkt.soort, herverwerkt.status)
            for uitvoering in planner.tick():
                log.info("%s %s %s: %s", uitvoering.gemeente or "----", uitvoering.soort,
                         "ok" if uitvoering.gelukt else "MISLUKT", uitvoering.resultaat)
            for gedaan in demogedrag.handel():
                log.info("demogemeente: %s", gedaan)
            if verwijderd := bewaartermijn.ruim_op():
                log.info("bewaartermijn: inhoud van %s geweigerde uploads verwijderd", verwijderd)
        finally:
            db.session.remove()


def bezorg_mail_in_app(app: Flask) -> None:
    with app.app_context():
        try:
            verzonden, mislukt = mail.bezorg_wachtende()
            if verzonden or mislukt:
                log.info("uitbak: %s verzonden, %s mislukt (volgt opnieuw)", verzonden, mislukt)
        finally:
            db.session.remove()


def start(app: Flask) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s planner %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # the rounds themselves log what they did
    interval = int(app.config.get("SCHEDULER_INTERVAL", 30))
    scheduler = BlockingScheduler(timezone=UTC)
    scheduler.add_job(tick_in_app, "interval", seconds=interval, args=[app], id="tick",
                      max_instances=1, coalesce=True, next_run_time=datetime.now(UTC))
    scheduler.add_job(bezorg_mail_in_app, "interval", seconds=interval, args=[app], id="mail",
                      max_instances=1, coalesce=True, next_run_time=datetime.now(UTC))
    with app.app_context():
        try:
            vrijgegeven = planner.geef_claims_van_dode_processen_vrij()
            if vrijgegeven:
                log.info("Planner gestart: %s acties van een gestopte planner vrijgegeven.", vrijgegeven)
        finally:
            db.session.remove()
    log.info("Planner gestart: elke %s seconden een ronde.", interval)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("Planner gestopt.")
