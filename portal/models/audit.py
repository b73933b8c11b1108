"""The audit trail: who did what to which object, which BSNs it showed, when (on the portal's clock and on
the wall clock), from which address; each event chained to the one before it by a SHA-256 hash."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    volgnummer: Mapped[int] = mapped_column(Integer, unique=True)
    op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    op_echt: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    actor: Mapped[str] = mapped_column(String(254))
    actie: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    bsns: Mapped[list[str] | None] = mapped_column(JSON)
    aantal_bsns: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[Any | None] = mapped_column(JSON)
    vorige_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditKetenkop(Base):
    """The head of the chain, one row: the last volgnummer and hash. Appending locks this row, so two
    workers never chain onto the same event."""

    __tablename__ = "audit_ketenkop"

    id: Mapped[int] = mapped_column(primary_key=True)
    volgnummer: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
