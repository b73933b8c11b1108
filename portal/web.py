"""What every page shares: the acting user, htmx fragments, login handling, error pages, filters and
security headers. The blueprints themselves are registered by the application factory."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from flask import Flask, Response, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import joinedload

from portal.aansluiting import UITKOMST_NAAM, Uitkomst
from portal.bestandsnaam import zichtbare_naam
from portal.extensions import db, login_manager
from portal.ieb.retourcodes import RETOURCODES
from portal.kalender import format_datum, format_moment
from portal.models import User
from portal.services import audit
from portal.services.audit import Actor
from portal.services.bewaartermijn import InhoudVerwijderd
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


V = TypeVar("V", bound=Callable[..., ResponseReturnValue])
TOONT_BSNS = "toont_bsns"
# The route arguments that name what a page is about, most specific first.
_OBJECTEN = (("ontvangst_id", "ontvangst"), ("bestand_id", "bestand"), ("verschil_id", "verschil"),
             ("code", "gemeente"))


def toont_bsns(view: V) -> V:
    """Marks a page or answer that shows BSNs (or data about the people behind them): every successful
    request of it leaves an audit event, with the BSNs the services reported (`audit.bsns_getoond`)."""
    setattr(view, TOONT_BSNS, True)
    return view


def _inzage_vastleggen(app: Flask, response: Response) -> Response:
    """After a page that showed BSNs: one audit event with who saw which (or how many), from where."""
    if request.endpoint is None or response.status_code >= 400:
        return response
    verplicht = bool(getattr(app.view_functions.get(request.endpoint), TOONT_BSNS, False))
    if not verplicht and g.get("audit_inzage") is None:
        return response
    user: User | None = current_user._get_current_object() if current_user.is_authenticated else None
    user = user or g.get("api_gebruiker")
    argumenten = request.view_args or {}
    soort, sleutel = next(((soort, str(argumenten[naam])) for naam, soort in _OBJECTEN if naam in argumenten),
                          (None, None))
    audit.leg_inzage_vast(user, client_ip(), f"bsns_ingezien:{request.endpoint}"[:64], soort, sleutel, verplicht)
    return response


# ---------------------------------------------------------------- sessions that end
#
# A login session holds the user's session generation and, in real time (never the ketentest clock), when it
# began and when it was last used. Logging out, a new password or switching the account off raises the
# generation, which ends every session of that user; the timeouts end one session.

SESSIE_VERLOPEN = ("Uw sessie is verlopen, omdat u een tijd niet actief was of lang geleden heeft ingelogd. "
                   "Log opnieuw in om verder te gaan.")
SESSIE_BEEINDIGD = ("Uw sessie is beëindigd, omdat u elders heeft uitgelogd, uw wachtwoord is gewijzigd of uw "
                    "account is uitgeschakeld. Log opnieuw in om verder te gaan.")
_GENERATIE, _BEGIN, _LAATST = "sessie_generatie", "sessie_begin", "sessie_laatst"


def echte_tijd() -> datetime:
    """The real time, for sessions; tests put another function in the config's SESSIE_TIJD."""
    tijd: Callable[[], datetime] | None = current_app.config.get("SESSIE_TIJD")
    return tijd() if tijd is not None else datetime.now(UTC)


def begin_sessie(user: User) -> None:
    """After a login: remember the user's generation and the moment, and drop the CSRF token of the
    anonymous session, so the logged-in session gets a new one."""
    moment = echte_tijd().timestamp()
    session.pop("csrf_token", None)
    session[_GENERATIE] = user.sessie_generatie
    session[_BEGIN] = moment
    session[_LAATST] = moment


def _sessie_einde(user: User | None) -> str | None:
    """Why this request's login session has ended (the message to show), or None while it holds."""
    if user is None or not user.active or session.get(_GENERATIE) != user.sessie_generatie:
        return SESSIE_BEEINDIGD
    nu_ = echte_tijd().timestamp()
    begin, laatst = session.get(_BEGIN), session.get(_LAATST)
    if not isinstance(begin, (int, float)) or not isinstance(laatst, (int, float)):
        return SESSIE_VERLOPEN
    inactief = timedelta(minutes=current_app.config["SESSIE_INACTIEF_MINUTEN"]).total_seconds()
    maximaal = timedelta(hours=current_app.config["SESSIE_MAXIMAAL_UREN"]).total_seconds()
    if nu_ - laatst > inactief or nu_ - begin > maximaal:
        return SESSIE_VERLOPEN
    return None


def sessie_gebruiker(user_id: object) -> User | None:
    """The user of this request's session, read once per request: the session check and flask-login's
    user_loader share it (the identity map keeps an object only while someone holds it)."""
    bewaard: tuple[object, User | None] | None = g.get("sessie_gebruiker")
    if bewaard is not None and bewaard[0] == user_id:
        return bewaard[1]
    try:
        # With the user's gemeenten, which the menu of every page and the access checks ask for.
        user = db.session.get(User, int(user_id), options=[joinedload(User.gemeenten)])  # type: ignore[call-overload]
    except (TypeError, ValueError):
        user = None
    g.sessie_gebruiker = (user_id, user)
    return user


def controleer_sessie() -> ResponseReturnValue | None:
    """Before every request with a login session: end it when it has ended, then send the user to log in."""
    if "_user_id" not in session or request.endpoint == "static" or request.blueprint == "api":
        return None
    user = sessie_gebruiker(session["_user_id"])
    reden = _sessie_einde(user)
    if reden is None:
        session[_LAATST] = echte_tijd().timestamp()
        return None
    session.clear()
    flash(reden, "info")
    naar_login = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if is_htmx():
        response = Response(status=204)
        response.headers["HX-Redirect"] = naar_login
        return response
    return redirect(naar_login)


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
    app.add_template_filter(zichtbare_naam, "bestandsnaam")

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = sessie_gebruiker(user_id)
        # A switched-off account is logged out at its next request, not only refused at the login form;
        # so is a session of an older generation (`controleer_sessie` has sent that one to the login page).
        if user is None or not user.active or session.get(_GENERATIE) != user.sessie_generatie:
            return None
        return user

    app.before_request(controleer_sessie)

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
    def inzage(response: Response) -> Response:
        return _inzage_vastleggen(app, response)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages, JSON answers and downloads may hold BSNs: no browser or proxy keeps a copy.
            response.headers["Cache-Control"] = "no-store"
        if app.config["PORTAL_MODE"] == "productie":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
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

    @app.errorhandler(InhoudVerwijderd)
    def inhoud_verwijderd(error: InhoudVerwijderd) -> ResponseReturnValue:
        return fout(410, "Inhoud verwijderd na de bewaartermijn", error.melding)

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

