"""What every page shares: the acting user, htmx fragments, login handling, error pages, filters and
security headers. The blueprints themselves are registered by the application factory."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date, datetime

from flask import Flask, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError

from portal.aansluiting import UITKOMST_NAAM, Uitkomst
from portal.extensions import db, login_manager
from portal.ieb.retourcodes import RETOURCODES
from portal.kalender import format_datum, format_moment
from portal.models import User
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.services.toegang import GeenToegang, NietGevonden
from portal.toestanden import TOESTAND_TEKST, VLAG_TEKST, Toestand, Vlag


def datum(value: date | datetime | str | None) -> str:
    """``dd-mm-jjjj`` (an instant as its Dutch calendar day, a stored ISO date as that day); empty for nothing."""
    if value is None or value == "":
        return ""
    return format_datum(date.fromisoformat(value) if isinstance(value, str) else value)


def tijdstip(value: datetime | None) -> str:
    """``dd-mm-jjjj hh:mm`` in Dutch local time; empty for nothing."""
    return "" if value is None else format_moment(value)


def grootte(value: int | None) -> str:
    if value is None:
        return ""
    if value < 1024:
        return f"{value} bytes"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} kB".replace(".", ",")
    return f"{value / (1024 * 1024):.1f} MB".replace(".", ",")


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_fragment(page: str, fragment: str, **context: object) -> str:
    """The fragment for an htmx request, the full page otherwise (so it works without JavaScript)."""
    return render_template(fragment if is_htmx() else page, **context)


def timeslot_keuzes(timeslots: Iterable[date]) -> list[tuple[str, str]]:
    """The weeks a select field offers: the value is the Monday (JJJJ-MM-DD), the text says which week."""
    return [(t.isoformat(), f"week van maandag {format_datum(t)}") for t in timeslots]


def client_ip() -> str | None:
    return request.remote_addr


def actor() -> Actor:
    """Who acts in this request: the logged-in user, from their address."""
    user: User = current_user._get_current_object()
    return Actor(user=user, ip=client_ip())


JSON_FOUTEN = "portal_json_fouten"
# Seconds a client is asked to wait when the database cannot be reached.
DATABASE_RETRY_AFTER = 30


def fouten_in_json(app: Flask, prefix: str, antwoord: Callable[[int], Response]) -> None:
    """Under `prefix` the error pages (404, 405, 413, 500, ...) are answered by `antwoord`, not as HTML."""
    app.extensions.setdefault(JSON_FOUTEN, {})[prefix] = antwoord


def init_app(app: Flask) -> None:
    """What every page shares: filters, login handling, the context of every template, headers, errors."""
    app.add_template_filter(datum, "datum")
    app.add_template_filter(tijdstip, "tijdstip")
    app.add_template_filter(grootte, "grootte")

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        try:
            user = db.session.get(User, int(user_id))
        except ValueError:
            return None
        # A switched-off account is logged out at its next request, not only refused at the login form.
        return user if user is not None and user.active else None

    @app.context_processor
    def shared_context() -> dict[str, object]:
        return {
            "toestand_tekst": lambda t: TOESTAND_TEKST[Toestand(t)],
            "vlag_tekst": lambda v: VLAG_TEKST[Vlag(v)],
            "retourcode_tekst": lambda c: RETOURCODES.get(c, ""),
            "uitkomst_naam": lambda u: UITKOMST_NAAM[Uitkomst(u)],
            "portal_mode": app.config["PORTAL_MODE"],
            "ketentest": app.config["PORTAL_MODE"] == "ketentest",
            "klok_nu": nu,
        }

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
        return response

    def fout(status: int, titel: str, uitleg: str) -> ResponseReturnValue:
        antwoorden: dict[str, Callable[[int], Response]] = app.extensions.get(JSON_FOUTEN, {})
        for prefix, antwoord in antwoorden.items():
            if request.path == prefix or request.path.startswith(prefix + "/"):
                return antwoord(status)  # e.g. the API: JSON, also for addresses and methods it does not have
        return render_template("fout.html", status=status, titel=titel, uitleg=uitleg), status

    @app.errorhandler(NietGevonden)
    @app.errorhandler(404)
    def niet_gevonden(error: Exception) -> ResponseReturnValue:
        return fout(404, "Pagina niet gevonden",
                    "Deze pagina of dit bestand bestaat niet, of u heeft er geen toegang toe. "
                    "Controleer het adres, of ga terug naar de startpagina.")

    @app.errorhandler(GeenToegang)
    def geen_toegang(error: GeenToegang) -> ResponseReturnValue:
        return fout(403, "Dit kunt u niet doen", error.melding)

    @app.errorhandler(CSRFError)
    def csrf_fout(error: Exception) -> ResponseReturnValue:
        return fout(400, "Formulier verlopen of onvolledig",
                    "Het formulier kon niet veilig worden gecontroleerd (het beveiligingsveld "
                    "ontbreekt of is verlopen). Laad de pagina opnieuw en verstuur het formulier nog eens.")

    @app.errorhandler(405)
    def niet_toegestaan(error: Exception) -> ResponseReturnValue:
        return fout(405, "Deze actie kan hier niet",
                    "Deze pagina ondersteunt deze handeling niet. Gebruik de knoppen en "
                    "formulieren in het portaal.")

    @app.errorhandler(413)
    def te_groot(error: Exception) -> ResponseReturnValue:
        limiet = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return fout(413, "Bestand te groot",
                    f"Het bestand is groter dan {limiet} MB en is niet aangenomen. "
                    "Splits het bestand en stuur de delen afzonderlijk.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_onbereikbaar(error: Exception) -> ResponseReturnValue:
        # The transaction is rolled back whole: nothing of this request is half-written.
        with suppress(Exception):
            db.session.rollback()
        app.logger.error("Database onbereikbaar: %s", error)
        antwoorden: dict[str, Callable[[int], Response]] = app.extensions.get(JSON_FOUTEN, {})
        antwoord: Response | None = next((maak(503) for prefix, maak in antwoorden.items()
                                          if request.path == prefix or request.path.startswith(prefix + "/")), None)
        if antwoord is None:
            # Rendered without the context processors: they would load the user from the database again.
            antwoord = Response(app.jinja_env.get_template("storing.html").render(), status=503,
                                mimetype="text/html")
        antwoord.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
        antwoord.headers["Cache-Control"] = "no-store"
        return antwoord

    @app.errorhandler(500)
    def serverfout(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        return fout(500, "Er ging iets mis",
                    "Door een fout in het portaal kon uw verzoek niet worden afgerond. Er is niets "
                    "verloren gegaan van wat u eerder heeft opgeslagen. Probeer het over enkele minuten "
                    "opnieuw; blijft dit gebeuren, neem dan contact op met het CAK.")

