"""Failed logins per network address: one address that tries many accounts is slowed down as a whole."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime


class InlogAdres(Base):
    """Failed logins from one address (IP) within a window of INLOG_ADRES_VENSTER seconds, counted atomically by
    `portal.services.inlogpogingen`; the moments are real time."""

    __tablename__ = "inlog_adres"

    adres: Mapped[str] = mapped_column(String(64), primary_key=True)
    mislukt: Mapped[int] = mapped_column(Integer, default=0)
    venster_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    geblokkeerd_tot: Mapped[datetime | None] = mapped_column(UTCDateTime)
