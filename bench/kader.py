"""The frame every measure in bench/metingen/ runs in: databases, alternating timing, peak memory in a
fresh process, counting SQL statements, and one result type.

A measure times the portal's path (*ons*) and its baseline (*basis*) in the same run, alternately, and
compares the minima: on a shared machine the minimum is the run least disturbed by others.
"""
from __future__ import annotations

import atexit
import contextlib
import gc
import io
import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RONDES = 5


@dataclass(frozen=True)
class Database:
    naam: str  # "sqlite" or "postgresql"
    url: str   # for sqlite: the folder's marker "sqlite"; for postgresql: the server's database to start from


@dataclass
class Omgeving:
    snel: bool
    databases: list[Database]
    werkmap: Path


@dataclass
class Resultaat:
    naam: str
    grootte: str
    database: str
    tijd: float
    basis_tijd: float
    ratio: float
    piek_mb: float | None
    statements: int | None
    doel: str
    gehaald: bool
    extra: dict[str, Any] = field(default_factory=dict)
    datum: str = ""


_werkmap: Path | None = None
_op_te_ruimen: list[Callable[[], None]] = []


def zet_werkmap(map_: Path) -> None:
    global _werkmap
    _werkmap = map_


def nieuwe_database(db: Database, naam: str) -> str:
    """The URL of a fresh, empty database of ``db``'s kind: a new SQLite file in the work folder, or a new
    PostgreSQL database on ``db``'s server, dropped when the run ends."""
    if db.naam == "sqlite":
        if _werkmap is None:
            raise RuntimeError("zet_werkmap() is niet aangeroepen")
        pad = _werkmap / f"{naam}-{uuid.uuid4().hex[:6]}.sqlite"
        return f"sqlite:///{pad}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portal.config import normalise_database_url

    basis = make_url(normalise_database_url(db.url))
    databasenaam = f"bench_{naam}_{uuid.uuid4().hex[:6]}".lower()
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    with beheer.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{databasenaam}"'))
    beheer.dispose()

    def weg() -> None:
        engine = create_engine(basis, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{databasenaam}" WITH (FORCE)'))
        engine.dispose()

    _op_te_ruimen.append(weg)
    return basis.set(database=databasenaam).render_as_string(hide_password=False)


@atexit.register
def _ruim_op() -> None:
    while _op_te_ruimen:
        with contextlib.suppress(Exception):
            _op_te_ruimen.pop()()


def app_voor(url: str, **config: Any):
    """A portal app on ``url`` in ontwikkeling mode, as the measures use it."""
    from portal import create_app

    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PORTAL_MODE": "ontwikkeling",
                       "SECRET_KEY": "bench-geheim-niet-voor-productie", "SERVER_NAME": None, **config})


def migreer(url: str) -> None:
    """Build the schema on ``url`` with the Alembic migrations."""
    from flask_migrate import upgrade

    app = app_voor(url)
    # Alembic's log (one line per migration) would bury the table; its errors still raise.
    with app.app_context(), contextlib.redirect_stderr(io.StringIO()):
        upgrade()
        from portal.extensions import db
        db.engine.dispose()


def afwisselend(ons: Callable[[], Any], basis: Callable[[], Any],
                rondes: int = RONDES) -> tuple[list[float], list[float]]:
    """Time ``ons`` and ``basis`` alternately, ``rondes`` times each; seconds per run."""
    tijden_ons: list[float] = []
    tijden_basis: list[float] = []
    for _ in range(rondes):
        for functie, tijden in ((ons, tijden_ons), (basis, tijden_basis)):
            gc.collect()
            begin = time.perf_counter()
            functie()
            tijden.append(time.perf_counter() - begin)
    return tijden_ons, tijden_basis


def status_kb(veld: str) -> int:
    """One field of /proc/self/status in kB (VmRSS: now, VmHWM: the peak since the last reset)."""
    with open("/proc/self/status") as status:
        for regel in status:
            if regel.startswith(veld + ":"):
                return int(regel.split()[1])
    raise RuntimeError(f"{veld} ontbreekt in /proc/self/status")


def piek_van(functie: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``functie`` in this process: its result, the growth of the peak RSS during the call over the RSS
    just before it (MB), and that RSS (MB). The peak is reset first (/proc/self/clear_refs), so what the
    process held at its highest before the call does not count."""
    gc.collect()
    voor = status_kb("VmRSS")
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    resultaat = functie()
    return resultaat, max(status_kb("VmHWM") - voor, 0) / 1024, voor / 1024


def _in_kind(func: Callable[..., Any], args: tuple[Any, ...], uitvoer: Any) -> None:
    try:
        resultaat, piek, voor = piek_van(lambda: func(*args))
        uitvoer.send((resultaat, piek, voor, None))
    except BaseException as fout:  # the parent reports it
        uitvoer.send((None, 0.0, 0.0, f"{type(fout).__name__}: {fout}"))
    finally:
        uitvoer.close()


def in_eigen_proces(func: Callable[..., Any], *args: Any) -> tuple[Any, float, float]:
    """Run ``func(*args)`` in a fresh (spawned) process: its result, the growth of the peak RSS during
    the call over the RSS just before it (MB), and that RSS before the call (MB)."""
    context = multiprocessing.get_context("spawn")
    ontvanger, zender = context.Pipe(duplex=False)
    proces = context.Process(target=_in_kind, args=(func, args, zender))
    proces.start()
    zender.close()
    resultaat, piek, voor, fout = ontvanger.recv()
    proces.join()
    if fout is not None:
        raise RuntimeError(f"{getattr(func, '__name__', func)} faalde in een eigen proces: {fout}")
    return resultaat, piek, voor


class StatementTeller:
    def __init__(self) -> None:
        self.aantal = 0
        self.teksten: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        self.aantal += 1
        self.teksten.append(statement)


@contextlib.contextmanager
def tel_statements(engine: Any) -> Iterator[StatementTeller]:
    """Count the SQL statements ``engine`` executes inside the block (an executemany counts once)."""
    from sqlalchemy import event

    teller = StatementTeller()
    event.listen(engine, "before_cursor_execute", teller)
    try:
        yield teller
    finally:
        event.remove(engine, "before_cursor_execute", teller)


def resultaat(naam: str, grootte: str, database: str, ons: list[float], basis: list[float], *,
              doel: str, max_ratio: float, piek_mb: float | None = None, max_piek_mb: float | None = None,
              statements: int | None = None, max_statements: int | None = None, **extra: Any) -> Resultaat:
    """A result from the round times of both paths: minima compared against the target's bounds."""
    tijd, basis_tijd = min(ons), min(basis)
    ratio = tijd / basis_tijd if basis_tijd > 0 else float("inf")
    gehaald = ratio <= max_ratio
    if max_piek_mb is not None and piek_mb is not None:
        gehaald = gehaald and piek_mb <= max_piek_mb
    if max_statements is not None and statements is not None:
        gehaald = gehaald and statements <= max_statements
    return Resultaat(naam=naam, grootte=grootte, database=database, tijd=round(tijd, 4),
                     basis_tijd=round(basis_tijd, 4), ratio=round(ratio, 2),
                     piek_mb=None if piek_mb is None else round(piek_mb, 1), statements=statements,
                     doel=doel, gehaald=gehaald,
                     extra={"rondes_ons": [round(t, 4) for t in ons],
                            "rondes_basis": [round(t, 4) for t in basis], **extra})


def duizendtallen(getal: int) -> str:
    """12345 -> "12.345", the Dutch way."""
    return f"{getal:,}".replace(",", ".")
