"""Configuration from the environment, with safe defaults.

Every setting the portal reads from the environment is declared here, with its default and meaning;
README.md lists the same table for operators.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_SECRET_KEY = "onveilig-standaard-geheim-alleen-voor-ontwikkeling"

MODES = ("productie", "ketentest", "ontwikkeling")
DATABASES = ("sqlite", "postgresql")

T = TypeVar("T")


class ConfigurationError(RuntimeError):
    """The portal refuses to start with this configuration."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", None,
            "SQLAlchemy-URL van de database; standaard een SQLite-bestand instance/portal.sqlite. "
            "Productie: postgresql+psycopg://gebruiker@host/db"),
    Setting("SECRET_KEY", None,
            "geheim voor sessies en CSRF; verplicht (en niet de standaardwaarde) in productie"),
    Setting("PORTAL_MODE", "productie",
            "productie, ketentest (virtuele klok, banner, demodata) of ontwikkeling"),
    Setting("SESSION_COOKIE_SECURE", None,
            "1/0: sessiecookie alleen over HTTPS; standaard aan, behalve in ontwikkeling en tests"),
    Setting("SMTP_HOST", None, "SMTP-server voor uitgaande e-mail; leeg = alleen de uitbak in het portaal"),
    Setting("SMTP_PORT", "25", "poort van de SMTP-server"),
    Setting("SMTP_USER", None, "gebruikersnaam voor SMTP (optioneel)"),
    Setting("SMTP_PASSWORD", None, "wachtwoord voor SMTP (optioneel)"),
    Setting("SMTP_STARTTLS", "0", "1 = STARTTLS gebruiken"),
    Setting("MAIL_AFZENDER", "bw-portaal@cak.example.nl", "afzenderadres van uitgaande e-mail"),
    Setting("CAK_MAILADRES", "bw-migratie@cak.example.nl", "adres van het CAK-team voor meldingen"),
    Setting("MIGRATIE_STARTDATUM", "2022-10-01", "BwStartdatum van elke gemigreerde cliënt"),
    Setting("TIMESLOTS", "2022-10-03,2022-10-10,2022-10-17,2022-10-24,2022-10-31,2022-11-07",
            "de maandagen van de migratieweken, kommagescheiden"),
    Setting("MIGRATIE_PEILDATUM_OUDE_KANALEN", "2022-10-01",
            "na sluiting accepteren oude kanalen nog mutaties van vóór deze dag"),
    Setting("KETENTEST_STARTMOMENT", "2022-09-19 09:00",
            "stand van de virtuele klok in een nieuwe ketentest (lokale tijd)"),
    Setting("SCHEDULER_INTERVAL", "30", "seconden tussen twee ronden van de planner"),
    Setting("MAX_UPLOAD_MB", "50",
            "grootste upload die het portaal aanneemt en bewaart, in MB (een WMO407 boven 25 MB wordt bewaard "
            "en geweigerd)"),
)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "ja", "yes", "on"}


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is geen datum; schrijf JJJJ-MM-DD") from None


def _whole_number(value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is geen geheel getal") from None
    if number <= 0:
        raise ValueError(f"'{value}' moet groter zijn dan 0")
    return number


def _moment(value: str) -> str:
    from portal.kalender import lees_moment

    lees_moment(value)  # a Dutch ValueError when it is no moment
    return value


def from_environment(environ: Mapping[str, str] | None = None,
                     instance_path: str = "instance") -> dict[str, object]:
    """Build the Flask config mapping from environment variables; a value that cannot be read is a
    ConfigurationError that names the variable."""
    env = dict(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = env.get(name)
        if value is None or value == "":
            for setting in SETTINGS:
                if setting.name == name:
                    return setting.default
        return value

    def read(name: str, parse: Callable[[str], T]) -> T:
        value = get(name) or ""
        try:
            return parse(value)
        except ValueError as fout:
            raise ConfigurationError(f"{name}: {str(fout).rstrip('.')}.") from None

    mode = (get("PORTAL_MODE") or "productie").strip().lower()
    if mode not in MODES:
        raise ConfigurationError(
            f"PORTAL_MODE '{mode}' is onbekend; kies uit: {', '.join(MODES)}.")
    database_url = get("DATABASE_URL") or "sqlite:///" + os.path.join(instance_path, "portal.sqlite")
    read_database_url(database_url)
    secure_default = mode != "ontwikkeling"
    return {
        "PORTAL_MODE": mode,
        "SECRET_KEY": get("SECRET_KEY") or DEFAULT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), secure_default),
        "SMTP_HOST": get("SMTP_HOST"),
        "SMTP_PORT": read("SMTP_PORT", _whole_number),
        "SMTP_USER": get("SMTP_USER"),
        "SMTP_PASSWORD": get("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _flag(get("SMTP_STARTTLS"), False),
        "MAIL_AFZENDER": get("MAIL_AFZENDER"),
        "CAK_MAILADRES": get("CAK_MAILADRES"),
        "MIGRATIE_STARTDATUM": read("MIGRATIE_STARTDATUM", _date),
        "TIMESLOTS": read("TIMESLOTS", lambda value: tuple(_date(d) for d in value.split(",") if d.strip())),
        "MIGRATIE_PEILDATUM_OUDE_KANALEN": read("MIGRATIE_PEILDATUM_OUDE_KANALEN", _date),
        "KETENTEST_STARTMOMENT": read("KETENTEST_STARTMOMENT", _moment),
        "SCHEDULER_INTERVAL": read("SCHEDULER_INTERVAL", _whole_number),
        "MAX_CONTENT_LENGTH": read("MAX_UPLOAD_MB", _whole_number) * 1024 * 1024 + 64 * 1024,
    }


def read_database_url(url: str) -> URL:
    """DATABASE_URL as SQLAlchemy reads it (postgres:// spellings get the psycopg 3 driver); a
    ConfigurationError when it is no SQLite or PostgreSQL URL that SQLAlchemy knows."""
    try:
        parsed = make_url(normalise_database_url(url))
        if parsed.get_backend_name() not in DATABASES:
            raise ValueError(parsed.get_backend_name())
        parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise ConfigurationError(
            f"DATABASE_URL '{_without_password(url)}' is geen database-URL voor het portaal; het werkt met SQLite "
            "of PostgreSQL, bijvoorbeeld sqlite:////pad/naar/portal.sqlite of "
            "postgresql+psycopg://gebruiker@host/db.") from None
    return parsed


def _without_password(url: str) -> str:
    """The URL to show in a message: without what follows ':' in its user part."""
    scheme, separator, rest = url.partition("://")
    user, at, host = rest.rpartition("@")
    if separator and at and ":" in user:
        return f"{scheme}://{user.split(':', 1)[0]}:***@{host}"
    return url


def normalise_database_url(url: str) -> str:
    """Accept the common postgres:// spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check(config: dict[str, object]) -> None:
    """Refuse configurations that are unsafe for the mode."""
    if config.get("PORTAL_MODE") == "productie" and config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
        raise ConfigurationError(
            "Het portaal start niet in productie met de standaard-SECRET_KEY. "
            "Zet SECRET_KEY op een lange willekeurige waarde, bijvoorbeeld met: "
            "python -c 'import secrets; print(secrets.token_hex(32))'.")
