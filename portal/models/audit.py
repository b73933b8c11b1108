"""The audit trail: who did what to which object, when, from which address."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    actor: Mapped[str] = mapped_column(String(254))
    actie: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[Any | None] = mapped_column(JSON)
