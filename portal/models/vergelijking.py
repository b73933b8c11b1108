"""The bimonthly bestandsvergelijking after the migration: its rows, the gemeente's answer and the differences.

Kept apart from `B4Regel` and `Terugkoppeling`, which hold the migration's own B4 and its answer."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from portal.models.bestand import Bestand, Ontvangst


class Vergelijking(Base):
    """One bimonthly bestandsvergelijking placed in a gemeente's folder."""

    __tablename__ = "vergelijking"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    bestand_id: Mapped[int] = mapped_column(ForeignKey("bestand.id", ondelete="CASCADE"), unique=True)
    moment: Mapped[datetime] = mapped_column(UTCDateTime)  # the calendar moment of the file

    bestand: Mapped[Bestand] = relationship()
    regels: Mapped[list[VergelijkingRegel]] = relationship(
        back_populates="vergelijking", order_by="VergelijkingRegel.rij", cascade="all, delete-orphan")


class VergelijkingRegel(Base):
    """One row (A-K) of a bimonthly file as it was published."""

    __tablename__ = "vergelijking_regel"
    __table_args__ = (UniqueConstraint("vergelijking_id", "bsn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vergelijking_id: Mapped[int] = mapped_column(ForeignKey("vergelijking.id", ondelete="CASCADE"), index=True)
    rij: Mapped[int] = mapped_column(Integer)
    gemeentecode: Mapped[str] = mapped_column(String(4))
    bsn: Mapped[str] = mapped_column(String(9))
    geslachtsnaam: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    voorletters: Mapped[str] = mapped_column(String(20))
    geboortedatum: Mapped[date | None] = mapped_column(Date)
    datum_start_bw: Mapped[date | None] = mapped_column(Date)
    datum_einde_bw: Mapped[date | None] = mapped_column(Date)
    bron: Mapped[str] = mapped_column(String(10))
    aanbieder_agb: Mapped[str] = mapped_column(String(8))
    soort_bijdrage: Mapped[str] = mapped_column(String(3))

    vergelijking: Mapped[Vergelijking] = relationship(back_populates="regels")


class VergelijkingTerugkoppeling(Base):
    """An uploaded answer on a bimonthly file that was checked; the newest valid one of a gemeente is current."""

    __tablename__ = "vergelijking_terugkoppeling"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    vergelijking_id: Mapped[int] = mapped_column(ForeignKey("vergelijking.id"), index=True)
    ontvangst_id: Mapped[int] = mapped_column(ForeignKey("ontvangst.id"), unique=True)
    ontvangen_op: Mapped[datetime] = mapped_column(UTCDateTime)
    geldig: Mapped[bool] = mapped_column(Boolean)
    actueel: Mapped[bool] = mapped_column(Boolean, default=False)
    tellingen: Mapped[Any | None] = mapped_column(JSON)
    problemen: Mapped[Any | None] = mapped_column(JSON)

    vergelijking: Mapped[Vergelijking] = relationship()
    ontvangst: Mapped[Ontvangst] = relationship()


class Verschil(Base):
    """A difference of a valid answer: a row marked other than J, or a client the gemeente added.

    Open until the CAK handles it with a note; an open one is replaced (`vervangen_op`) when a newer
    valid answer arrives, a handled one stays as history."""

    __tablename__ = "verschil"
    __table_args__ = (Index("ix_verschil_gemeente_open", "gemeente_id", "afgehandeld_op", "vervangen_op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    terugkoppeling_id: Mapped[int] = mapped_column(
        ForeignKey("vergelijking_terugkoppeling.id", ondelete="CASCADE"), index=True)
    rij: Mapped[int] = mapped_column(Integer)
    bsn: Mapped[str] = mapped_column(String(9))
    code: Mapped[str] = mapped_column(String(1))
    toegevoegd: Mapped[bool] = mapped_column(Boolean, default=False)
    einddatum_gemeente: Mapped[date | None] = mapped_column(Date)
    toelichting: Mapped[str | None] = mapped_column(Text)
    gemeentecode: Mapped[str | None] = mapped_column(String(4))
    geslachtsnaam: Mapped[str | None] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    voorletters: Mapped[str | None] = mapped_column(String(20))
    geboortedatum: Mapped[date | None] = mapped_column(Date)
    datum_start_bw: Mapped[date | None] = mapped_column(Date)
    datum_einde_bw: Mapped[date | None] = mapped_column(Date)
    vervangen_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    afgehandeld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    afgehandeld_door: Mapped[str | None] = mapped_column(String(254))
    notitie: Mapped[str | None] = mapped_column(Text)

    terugkoppeling: Mapped[VergelijkingTerugkoppeling] = relationship()
