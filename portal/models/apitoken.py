"""API tokens of users: a software supplier's (or a gemeente's) key to the JSON API."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from portal.models.gebruiker import User


class ApiToken(Base):
    """A token acts as its user. Only its SHA-256 is stored; the prefix is shown to tell tokens apart.

    The rate limit is a fixed window per token, counted in this row (`venster_start`, `venster_aantal`)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    naam: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime)
    aangemaakt_door: Mapped[str] = mapped_column(String(254))
    laatst_gebruikt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_door: Mapped[str | None] = mapped_column(String(254))
    venster_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    venster_aantal: Mapped[int] = mapped_column(Integer, default=0)

    gebruiker: Mapped[User] = relationship()

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None
