"""WMO407 messages received, their periods, and the registrations they built up."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from portal.models.bestand import Bestand, Ontvangst
    from portal.models.gemeente import Gemeente


class Wmo407Bericht(Base):
    """A WMO407 that passed levels 0 and 1 and was judged on levels 2 and 3."""

    __tablename__ = "wmo407_bericht"

    id: Mapped[int] = mapped_column(primary_key=True)
    ontvangst_id: Mapped[int] = mapped_column(ForeignKey("ontvangst.id"), unique=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    identificatie: Mapped[str] = mapped_column(String(12))
    dagtekening: Mapped[date] = mapped_column(Date)
    ontvangen_op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    niveau: Mapped[int] = mapped_column(SmallInteger)
    geaccepteerd: Mapped[bool] = mapped_column(Boolean)
    # The distinct retourcodes other than 0200 as ",9056,9404," so one code is found with LIKE.
    retourcodes: Mapped[str] = mapped_column(String(200), default="")
    aantal_clienten: Mapped[int] = mapped_column(Integer)
    aantal_perioden: Mapped[int] = mapped_column(Integer)
    identificatie_retour: Mapped[str | None] = mapped_column(String(12), unique=True)
    wmo408_bestand_id: Mapped[int | None] = mapped_column(ForeignKey("bestand.id"))
    te_laat: Mapped[bool] = mapped_column(Boolean, default=False)
    # Level 2 report and header remarks, in Dutch, for the screens.
    rapport: Mapped[Any | None] = mapped_column(JSON)

    gemeente: Mapped[Gemeente] = relationship()
    ontvangst: Mapped[Ontvangst] = relationship()
    wmo408: Mapped[Bestand | None] = relationship()

    @property
    def codes(self) -> list[str]:
        return [c for c in self.retourcodes.split(",") if c]


# The two bulk tables below, BerichtPeriode and BwPeriode, are written a message at a time (83,482 rows for a
# 25 MB WMO407) by delivery.register only, with the ids of the Wmo407Bericht it has just flushed and of the
# gemeente it holds locked. They have no foreign keys in the database (migration 0016): a check per row was
# 1.5 s of the 25 MB message on PostgreSQL and guarded nothing that code path can get wrong. Their indexes
# stay: every one serves a query (by message, by gemeente and BSN, and the key Afzender + BwStartNummer).


class BerichtPeriode(Base):
    """One BeschermdWonen period as it stood in a message, with the codes it got back."""

    __tablename__ = "bericht_periode"
    __table_args__ = (Index("ix_bericht_periode_gemeente_bsn", "gemeente_id", "bsn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bericht_id: Mapped[int] = mapped_column(Integer, index=True)        # Wmo407Bericht.id
    gemeente_id: Mapped[int] = mapped_column(Integer)                   # Gemeente.id
    bsn: Mapped[str] = mapped_column(String(9))
    bw_startnummer: Mapped[int] = mapped_column(BigInteger)
    bw_startdatum: Mapped[date] = mapped_column(Date)
    bw_einddatum: Mapped[date | None] = mapped_column(Date)
    status_aanlevering: Mapped[int] = mapped_column(SmallInteger)
    retourcodes: Mapped[str] = mapped_column(String(100))
    client_retourcodes: Mapped[str] = mapped_column(String(100))

    bericht: Mapped[Wmo407Bericht] = relationship(
        primaryjoin="foreign(BerichtPeriode.bericht_id) == Wmo407Bericht.id", viewonly=True)


class BwPeriode(Base):
    """A registered BW period: the current state under the key (Afzender, BwStartNummer)."""

    __tablename__ = "bw_periode"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "bw_startnummer"),
        Index("ix_bw_periode_gemeente_bsn", "gemeente_id", "bsn"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(Integer)                   # Gemeente.id
    bw_startnummer: Mapped[int] = mapped_column(BigInteger)
    bsn: Mapped[str] = mapped_column(String(9))
    bw_startdatum: Mapped[date] = mapped_column(Date)
    bw_einddatum: Mapped[date | None] = mapped_column(Date)
    verwijderd: Mapped[bool] = mapped_column(Boolean, default=False)
    bericht_id: Mapped[int] = mapped_column(Integer)                    # the Wmo407Bericht that last changed it
    gewijzigd_op: Mapped[datetime] = mapped_column(UTCDateTime)


class IdentificatieReservering(Base):
    """Every Identificatie a message that passed level 1 used, per Afzender; never used twice."""

    __tablename__ = "identificatie_reservering"
    __table_args__ = (UniqueConstraint("gemeente_id", "identificatie"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    identificatie: Mapped[str] = mapped_column(String(12))
    bericht_id: Mapped[int] = mapped_column(ForeignKey("wmo407_bericht.id"))
