"""The second factor of a user: a TOTP secret (stored encrypted) and single-use recovery codes (stored hashed)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime


class TweedeFactor(Base):
    """One per user who has started enrolment. `ingesteld_op` is set once the user confirmed a code: only then
    does the portal ask for it. `laatste_stap` is the TOTP time step of the last accepted code, so no code
    is accepted twice."""

    __tablename__ = "tweede_factor"

    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), primary_key=True)
    geheim: Mapped[str] = mapped_column(String(255))
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime)
    ingesteld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    laatste_stap: Mapped[int | None] = mapped_column(BigInteger)


class Herstelcode(Base):
    """A recovery code: only its keyed hash is kept; `gebruikt_op` is set when it is used (once)."""

    __tablename__ = "herstelcode"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    gebruikt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)
