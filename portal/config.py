"""Configuration from the environment, with safe defaults.

Every setting the portal reads from the environment is declared here, with its default and meaning;
README.md lists the same table for operators.

The `portal` command also reads an env file (``instance/portal.env``, written by `make run` with
`portal instellingen bewaar`) for every setting its environment does not set, so a command in a new
shell works on the same database and in the same mode as the portal `make run` started. The app
factory itself reads only the environment it is given. The file never holds a secret.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_SECRET_KEY = "onveilig-standaard-geheim-alleen-voor-ontwikkeling"

MODES = ("productie", "ketentest", "ontwikkeling")
DATABASES = ("sqlite", "postgresql")

ENV_FILE = "PORTAL_ENV_FILE"
ENV_FILE_NAME = "portal.env"
# Settings that the env file never holds; the password in DATABASE_URL is left out too.
SECRETS = ("SECRET_KEY", "SMTP_PASSWORD")

T = TypeVar("T")


class ConfigurationError(RuntimeError):
    """The portal refuses to start with this configuration."""


class UnsafeConfiguration(ConfigurationError):
    """The configuration can be read, but is unsafe for its mode."""


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
    Setting("SESSIE_INACTIEF_MINUTEN", "30",
            "na zoveel minuten zonder verzoek is een sessie verlopen en moet de gebruiker opnieuw inloggen "
            "(echte tijd, ook in de ketentest)"),
    Setting("SESSIE_MAXIMAAL_UREN", "12",
            "na zoveel uur na het inloggen is een sessie verlopen, ook als de gebruiker steeds actief was"),
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
    Setting("BW_STARTNUMMER_BLOK", "100000",
            "grootte van het blok BwStartNummers per gemeente; de blokken van twee gemeenten overlappen nooit"),
    Setting("KETENTEST_STARTMOMENT", "2022-09-19 09:00",
            "stand van de virtuele klok in een nieuwe ketentest (lokale tijd)"),
    Setting("SCHEDULER_INTERVAL", "30", "seconden tussen twee ronden van de planner"),
    Setting("API_LIMIET", "120",
            "hoeveel verzoeken één API-token per venster mag doen; daarboven antwoordt de API 429"),
    Setting("API_VENSTER", "60", "lengte van het venster van API_LIMIET, in seconden"),
    Setting("INLOG_MAX_MISLUKT", "5",
            "na zoveel verkeerde wachtwoorden op rij voor één e-mailadres moet elke volgende poging wachten"),
    Setting("INLOG_WACHTTIJD", "30",
            "de eerste wachttijd in seconden; na elke volgende fout twee keer zo lang"),
    Setting("INLOG_MAX_WACHTTIJD", "900", "de langste wachttijd per e-mailadres, in seconden"),
    Setting("INLOG_ADRES_MAX_MISLUKT", "20",
            "zoveel verkeerde inlogpogingen mag één netwerkadres (IP) doen binnen INLOG_ADRES_VENSTER; daarna wacht "
            "het adres INLOG_ADRES_VENSTER seconden"),
    Setting("INLOG_ADRES_VENSTER", "900", "het venster en de wachttijd van INLOG_ADRES_MAX_MISLUKT, in seconden"),
    Setting("MAX_UPLOAD_MB", "50",
            "grootste upload die het portaal aanneemt en bewaart, in MB (een WMO407 boven 25 MB wordt bewaard "
            "en geweigerd)"),
    Setting("PROXY_AANTAL", "0",
            "hoeveel vertrouwde proxy's (nginx, load balancer) vóór het portaal staan; alleen dan telt het "
            "adres uit X-Forwarded-For (in de audittrail); 0 = het adres van de verbinding zelf"),
    Setting("BEWAARTERMIJN_GEWEIGERD_DAGEN", "90",
            "zoveel dagen bewaart het portaal de inhoud van een afgekeurde of geweigerde upload; daarna blijven "
            "alleen naam, grootte, SHA-256, tijdstip en uitkomst bewaard (een aangenomen upload blijft altijd)"),
    Setting("QUOTUM_GEWEIGERD_MB", "100",
            "zoveel MB aan afgekeurde en geweigerde uploads bewaart het portaal per gemeente; daarboven gaat de "
            "inhoud van de oudste eraf"),
    Setting(ENV_FILE, None,
            "het bestand met instellingen dat het commando portal leest voor wat niet in de omgeving staat; "
            "standaard instance/portal.env (geschreven door make run), leeg = geen bestand"),
)
SETTING_NAMES = frozenset(setting.name for setting in SETTINGS)


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
        "SESSIE_INACTIEF_MINUTEN": read("SESSIE_INACTIEF_MINUTEN", _whole_number),
        "SESSIE_MAXIMAAL_UREN": read("SESSIE_MAXIMAAL_UREN", _whole_number),
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
        "BW_STARTNUMMER_BLOK": read("BW_STARTNUMMER_BLOK", _whole_number),
        "KETENTEST_STARTMOMENT": read("KETENTEST_STARTMOMENT", _moment),
        "SCHEDULER_INTERVAL": read("SCHEDULER_INTERVAL", _whole_number),
        "API_LIMIET": read("API_LIMIET", _whole_number),
        "API_VENSTER": read("API_VENSTER", _whole_number),
        "INLOG_MAX_MISLUKT": read("INLOG_MAX_MISLUKT", _whole_number),
        "INLOG_WACHTTIJD": read("INLOG_WACHTTIJD", _whole_number),
        "INLOG_MAX_WACHTTIJD": read("INLOG_MAX_WACHTTIJD", _whole_number),
        "INLOG_ADRES_MAX_MISLUKT": read("INLOG_ADRES_MAX_MISLUKT", _whole_number),
        "INLOG_ADRES_VENSTER": read("INLOG_ADRES_VENSTER", _whole_number),
        "PROXY_AANTAL": read("PROXY_AANTAL", lambda value: 0 if value.strip() == "0" else _whole_number(value)),
        "MAX_CONTENT_LENGTH": read("MAX_UPLOAD_MB", _whole_number) * 1024 * 1024 + 64 * 1024,
        "BEWAARTERMIJN_GEWEIGERD_DAGEN": read("BEWAARTERMIJN_GEWEIGERD_DAGEN", _whole_number),
        "QUOTUM_GEWEIGERD_MB": read("QUOTUM_GEWEIGERD_MB", _whole_number),
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


def env_file_path(environ: Mapping[str, str], instance_path: str | Path) -> Path | None:
    """The env file `portal` reads: PORTAL_ENV_FILE, by default instance/portal.env; None when
    PORTAL_ENV_FILE is set but empty."""
    value = environ.get(ENV_FILE)
    if value is None:
        return Path(instance_path) / ENV_FILE_NAME
    return Path(value) if value.strip() else None


def read_env_file(path: Path) -> dict[str, str]:
    """The settings in an env file: ``NAAM=waarde`` lines, ``#`` comments; an absent file holds none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        raise ConfigurationError(f"{path} is niet te lezen als tekst; controleer het bestand en de rechten, of "
                                 "verwijder het en start opnieuw met make run.") from None
    settings: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, is_, value = line.partition("=")
        name = name.removeprefix("export ").strip()
        if not is_ or name not in SETTING_NAMES or name == ENV_FILE:
            raise ConfigurationError(
                f"{path}, regel {number}: '{line}' is geen instelling van het portaal; schrijf NAAM=waarde "
                "met een naam uit de README, of verwijder de regel.")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        settings[name] = value
    return settings


def with_env_file(environ: Mapping[str, str], instance_path: str | Path) -> dict[str, str]:
    """The environment of a `portal` command: ``environ``, and from the env file every setting that
    ``environ`` does not set (an empty variable counts as not set, as everywhere in the portal)."""
    path = env_file_path(environ, instance_path)
    merged = dict(environ)
    for name, value in (read_env_file(path) if path else {}).items():
        if not merged.get(name):
            merged[name] = value
    return merged


def env_file_text(environ: Mapping[str, str]) -> str:
    """The env file for the settings ``environ`` sets, without secrets: never SECRET_KEY or
    SMTP_PASSWORD, DATABASE_URL without its password and, for SQLite, with an absolute path."""
    lines = [
        "# De instellingen van de laatste `make run` (portal instellingen bewaar). Het commando `portal`",
        "# gebruikt ze voor elke instelling die niet in de omgeving staat. Geheimen staan hier nooit in:",
        "# geen SECRET_KEY, geen SMTP_PASSWORD en geen wachtwoord in DATABASE_URL.",
    ]
    for setting in SETTINGS:
        value = environ.get(setting.name)
        if not value or setting.name in SECRETS or setting.name == ENV_FILE:
            continue
        if setting.name == "DATABASE_URL":
            if read_database_url(value).password is not None:
                lines.append("# Het wachtwoord van de database staat niet hier: geef het met PGPASSWORD of "
                             "~/.pgpass, of zet DATABASE_URL zelf.")
            value = database_url_for_file(value)
        lines.append(f"{setting.name}={value}")
    return "\n".join(lines) + "\n"


def database_url_for_file(url: str) -> str:
    """DATABASE_URL as the env file holds it: without its password and, for SQLite, with an absolute path,
    so that it names the same database from any directory."""
    parsed = read_database_url(url)._replace(password=None)  # URL.set() leaves a field alone when given None
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        parsed = parsed.set(database=os.path.abspath(parsed.database))
    return parsed.render_as_string(hide_password=False)


def write_env_file(path: Path, environ: Mapping[str, str]) -> None:
    """Write the env file for ``environ`` (see `env_file_text`), replacing the previous one whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_name(path.name + ".nieuw")
    new.write_text(env_file_text(environ), encoding="utf-8")
    new.replace(path)


def normalise_database_url(url: str) -> str:
    """Accept the common postgres:// spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


MIN_SECRET_KEY_LENGTH = 32


def check(config: Mapping[str, object]) -> None:
    """Refuse configurations that are unsafe for the mode. Productie needs a SECRET_KEY of at least 32
    characters (not the default), PostgreSQL (SQLite has one writer and no backups by pg_dump) and debug off
    (the debugger runs code on request). `TESTING`, which only a test's own config sets and no environment
    variable can, lets the suite try productie's pages on its SQLite database."""
    if config.get("PORTAL_MODE") != "productie":
        return
    secret_key = config.get("SECRET_KEY")
    if secret_key in (None, "", DEFAULT_SECRET_KEY):
        raise UnsafeConfiguration(
            "Het portaal start niet in productie met de standaard-SECRET_KEY. "
            "Zet SECRET_KEY op een lange willekeurige waarde, bijvoorbeeld met: "
            "python -c 'import secrets; print(secrets.token_hex(32))'.")
    if len(str(secret_key)) < MIN_SECRET_KEY_LENGTH:
        raise UnsafeConfiguration(
            f"Het portaal start niet in productie met een SECRET_KEY van {len(str(secret_key))} tekens; "
            f"er zijn er minstens {MIN_SECRET_KEY_LENGTH} nodig. Zet SECRET_KEY op een lange willekeurige waarde, "
            "bijvoorbeeld met: python -c 'import secrets; print(secrets.token_hex(32))'.")
    if config.get("DEBUG"):
        raise UnsafeConfiguration(
            "Het portaal start niet in productie met debug aan: de debugger laat iedereen code uitvoeren. "
            "Zet FLASK_DEBUG=0 (of haal FLASK_DEBUG en --debug weg) en start opnieuw.")
    database = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if database.startswith("sqlite") and not config.get("TESTING"):
        raise UnsafeConfiguration(
            "Het portaal start niet in productie op SQLite (DATABASE_URL wijst naar een SQLite-bestand). "
            "Zet DATABASE_URL op een PostgreSQL-database, bijvoorbeeld postgresql+psycopg://gebruiker@host/db.")
