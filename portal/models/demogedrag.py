"""How a demo gemeente acts by itself in the ketentest as the clock moves (one row per gemeente)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime


class Demogedrag(Base):
    """`gedrag` is one of op_tijd, te_laat, herstelt, levert_niet; `aan` switches it on or off."""

    __tablename__ = "demogedrag"

    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True)
    gedrag: Mapped[str] = mapped_column(String(20))
    aan: Mapped[bool] = mapped_column(Boolean, default=True)
    gewijzigd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gewijzigd_door: Mapped[str | None] = mapped_column(String(254))
