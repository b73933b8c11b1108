"""The scheduler process: APScheduler runs `tick` every SCHEDULER_INTERVAL seconds.

Several scheduler processes may run against one database; the claim on each action makes sure
every action is carried out once.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

log = logging.getLogger("portal.scheduler")


def tick_in_app(app: Flask) -> None:
    from portal.extensions import db
    from portal.services import planner

    with app.app_context():
        try:
            for uitvoering in planner.tick():
                log.info("%s %s %s: %s", uitvoering.gemeente or "----", uitvoering.soort,
                         "ok" if uitvoering.gelukt else "MISLUKT", uitvoering.resultaat)
        finally:
            db.session.remove()


def start(app: Flask) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s planner %(levelname)s %(message)s")
    interval = int(app.config.get("SCHEDULER_INTERVAL", 30))
    scheduler = BlockingScheduler(timezone=timezone.utc)
    scheduler.add_job(tick_in_app, "interval", seconds=interval, args=[app], id="tick",
                      max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc))
    log.info("Planner gestart: elke %s seconden een ronde.", interval)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("Planner gestopt.")
