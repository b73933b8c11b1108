"""BW-portaal: the application factory.

Flask and SQLAlchemy are imported inside the factory, so the domain core (portal.ieb,
portal.kalender, portal.spreadsheets, ...) can be imported without the web layer.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = PROJECT_ROOT / "instance"
_pragmas_registered = False


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, let readers and one writer work side by side, wait on locks."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_app(test_config: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """The portal on the settings of ``environ`` (by default the process's environment), then
    ``test_config``; a ConfigurationError when the portal refuses them."""
    global _pragmas_registered
    from flask import Flask
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from portal import config as portal_config

    if not _pragmas_registered:
        event.listen(Engine, "connect", _sqlite_pragmas)
        _pragmas_registered = True

    app = Flask(__name__, instance_path=str(INSTANCE_PATH), instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)

    app.config.update(portal_config.from_environment(environ, instance_path=app.instance_path))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        WTF_CSRF_TIME_LIMIT=None,
    )
    if test_config:
        app.config.update(test_config)
    if app.debug:
        app.config["SESSION_COOKIE_SECURE"] = False
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    portal_config.check(app.config)
    if app.config.get("PROXY_AANTAL"):
        # Behind that many trusted proxies the client's address is taken from X-Forwarded-For, never otherwise.
        from werkzeug.middleware.proxy_fix import ProxyFix
        aantal = int(app.config["PROXY_AANTAL"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=aantal, x_proto=aantal)  # type: ignore[method-assign]

    from portal import models  # noqa: F401  (registers the tables)
    from portal.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from portal import kalender
    from portal.services import klok, migratie, planner
    if app.config.get("CLOCK") is not None:
        klok.install(app, app.config["CLOCK"])
    elif app.config["PORTAL_MODE"] == "ketentest":
        klok.install(app, klok.VirtualClock(kalender.lees_moment(app.config["KETENTEST_STARTMOMENT"])))
    else:
        klok.install(app, klok.SystemClock())

    planner.registreer(app, migratie.PLANNER_ACTIES)

    from portal import api, auth, cak, gebruikers, gemeente, hulp, ketentest, web
    web.init_app(app)
    for blueprint in (auth.bp, gemeente.bp, cak.bp, ketentest.bp, hulp.bp, gebruikers.bp, api.bp, api.tokens_bp,
                      api.documentatie_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)  # the API authenticates by bearer token only, never by the session cookie
    web.fouten_in_json(app, api.bp.url_prefix or "/api/v1", api.fout_response)
    return app
