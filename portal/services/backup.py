"""Backup and restore of the whole database: `portal backup FILE` and `portal herstel FILE`.

SQLite is copied with the sqlite3 backup API (a consistent copy while the portal runs); PostgreSQL with
`pg_dump -Fc` and restored with `pg_restore`. A restore refuses to overwrite a database that holds any row,
unless the caller says it may (`overschrijf`).
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from portal.extensions import db
from portal.models import Base


class BackupFout(Exception):
    """A backup or restore that could not be done; the message says why and what to do (Dutch)."""


@dataclass(frozen=True)
class Tellingen:
    per_tabel: dict[str, int]

    @property
    def totaal(self) -> int:
        return sum(self.per_tabel.values())


def tellingen() -> Tellingen:
    """The number of rows in every table of the portal."""
    per_tabel = {tabel.name: db.session.scalar(select(func.count()).select_from(tabel)) or 0
                 for tabel in Base.metadata.sorted_tables}
    db.session.rollback()
    return Tellingen(per_tabel)


def _dialect() -> str:
    return db.engine.dialect.name


def _libpq_url() -> str:
    """The database URL as pg_dump and pg_restore read it (without SQLAlchemy's driver name)."""
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _programma(naam: str) -> str:
    pad = shutil.which(naam)
    if pad is None:
        raise BackupFout(f"Het programma {naam} is niet gevonden. Installeer de PostgreSQL-clientprogramma's "
                         "(apt-get install postgresql-client) en probeer het opnieuw.")
    return pad


def _sqlite_pad() -> str:
    pad = db.engine.url.database
    if not pad or pad == ":memory:":
        raise BackupFout("Deze SQLite-database staat alleen in het geheugen; daarvan kan geen back-up worden "
                         "gemaakt. Gebruik een database in een bestand.")
    return pad


def maak(doel: Path) -> Tellingen:
    """Write a consistent copy of the database to `doel`; returns what it holds."""
    db.session.remove()
    aantallen = tellingen()
    doel.parent.mkdir(parents=True, exist_ok=True)
    if _dialect() == "sqlite":
        bron = sqlite3.connect(_sqlite_pad())
        try:
            kopie = sqlite3.connect(doel)
            try:
                bron.backup(kopie)
            finally:
                kopie.close()
        finally:
            bron.close()
    elif _dialect() == "postgresql":
        _draai([_programma("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(doel),
                "--dbname", _libpq_url()], "De back-up is niet gemaakt")
    else:
        raise BackupFout(f"Een back-up van een {_dialect()}-database kan het portaal niet maken.")
    return aantallen


def herstel(bron: Path, overschrijf: bool = False) -> Tellingen:
    """Restore the database from a backup made by `maak`; refuses to overwrite data unless `overschrijf`."""
    if not bron.is_file():
        raise BackupFout(f"Het bestand {bron} bestaat niet. Geef het pad van een back-up die met "
                         "'portal backup' is gemaakt.")
    db.session.remove()
    try:
        huidig = tellingen().totaal
    except Exception:  # no schema yet: an empty database
        db.session.rollback()
        huidig = 0
    if huidig and not overschrijf:
        raise BackupFout(f"De database is niet leeg (hij bevat {huidig} rijen); herstellen zou die gegevens "
                         "overschrijven. Herstel in een lege database, of geef --ja als u ze echt wilt vervangen.")
    db.session.remove()
    db.engine.dispose()
    if _dialect() == "sqlite":
        _herstel_sqlite(bron)
    elif _dialect() == "postgresql":
        _draai([_programma("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                "--single-transaction", "--exit-on-error", "--dbname", _libpq_url(), str(bron)],
               "Het herstel is niet gelukt")
    else:
        raise BackupFout(f"Een {_dialect()}-database kan het portaal niet herstellen.")
    db.engine.dispose()
    return tellingen()


def _herstel_sqlite(bron: Path) -> None:
    with open(bron, "rb") as bestand:
        if not bestand.read(16).startswith(b"SQLite format 3"):
            raise BackupFout(f"{bron} is geen back-up van een SQLite-database. Geef een bestand dat met "
                             "'portal backup' van deze database is gemaakt.")
    kopie = sqlite3.connect(bron)
    try:
        doel = sqlite3.connect(_sqlite_pad())
        try:
            kopie.backup(doel)
        finally:
            doel.close()
    finally:
        kopie.close()


def _draai(opdracht: list[str], wat: str) -> None:
    resultaat = subprocess.run(opdracht, capture_output=True, text=True, check=False)
    if resultaat.returncode != 0:
        regels = [r for r in resultaat.stderr.strip().splitlines() if r.strip()]
        raise BackupFout(f"{wat}: {regels[-1] if regels else 'onbekende fout'}. Controleer de database-"
                         "verbinding en het bestand, en probeer het opnieuw.")
