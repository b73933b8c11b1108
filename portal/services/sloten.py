"""Locks that hold across the transactions of one piece of work, for work that several processes (two portal
instances, a web process and the planner) may start at the same moment and that commits as it goes, so that a
row lock would be released halfway.

On PostgreSQL a session advisory lock on a connection of its own, held for the block and released after it;
the work itself runs in the session as always. A second process waits for the first to finish, then sees what
the first did. SQLite allows one writer at a time and no advisory locks: there the block runs unlocked.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum

from sqlalchemy import func, select

from portal.extensions import db


class Slot(IntEnum):
    """The kinds of work with such a lock (the first key of the advisory lock; the second is an id)."""

    DEMOGEDRAG = 1201


@contextmanager
def exclusief(soort: Slot, sleutel: int) -> Iterator[None]:
    """Run the block while holding the lock (`soort`, `sleutel`), waiting for whoever holds it now.

    The session's transaction is ended first: the block starts on fresh reads, and a session that holds row
    locks while waiting here could deadlock with the holder."""
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as verbinding:
        verbinding.execute(select(func.pg_advisory_lock(int(soort), sleutel)))
        verbinding.commit()
        try:
            yield
        finally:
            verbinding.execute(select(func.pg_advisory_unlock(int(soort), sleutel)))
            verbinding.commit()
