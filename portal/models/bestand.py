"""Files: what the portal publishes in a gemeente's folder, and everything anyone uploads."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, Tekstwaarde, UTCDateTime
from portal.models.inhoud import OpgeslagenInhoud

if TYPE_CHECKING:
    from portal.models.gebruiker import User
    from portal.models.gemeente import Gemeente


class Categorie(StrEnum):
    """The groups of a gemeente's folder, in the order the folder shows them (bestanden.md)."""

    BESTANDSVERGELIJKING = "bestandsvergelijking"
    AANLEVERRAPPORTAGE = "aanleverrapportage"
    RETOURBERICHT = "retourbericht"
    VERSLAG = "verslag"
    SJABLOON = "sjabloon"

    @property
    def titel(self) -> str:
        return CATEGORIE_TITEL[self]


CATEGORIE_TITEL: Mapping[Categorie, str] = {
    Categorie.BESTANDSVERGELIJKING: "Bestandsvergelijking",
    Categorie.AANLEVERRAPPORTAGE: "Aanleverrapportages",
    Categorie.RETOURBERICHT: "Retourberichten",
    Categorie.VERSLAG: "Verslagen",
    Categorie.SJABLOON: "Sjablonen",
}


class Bestand(OpgeslagenInhoud, Base):
    __tablename__ = "bestand"
    __table_args__ = (UniqueConstraint("gemeente_id", "sleutel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    categorie: Mapped[Categorie] = mapped_column(Tekstwaarde(Categorie, 30))
    naam: Mapped[str] = mapped_column(String(255))
    mediatype: Mapped[str] = mapped_column(String(100))
    # inhoud (the original bytes; stored compressed): see OpgeslagenInhoud
    sha256: Mapped[str] = mapped_column(String(64))
    grootte: Mapped[int] = mapped_column(Integer)
    gepubliceerd_op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    gemaakt_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gemaakt_door_job: Mapped[str | None] = mapped_column(String(64))
    # Set by scheduled actions so that a retried action never publishes a file twice.
    sleutel: Mapped[str | None] = mapped_column(String(120))

    gemeente: Mapped[Gemeente] = relationship()
    gemaakt_door: Mapped[User | None] = relationship()
    downloads: Mapped[list[Download]] = relationship(
        back_populates="bestand", order_by="Download.op", cascade="all, delete-orphan")

    @property
    def eerste_download(self) -> Download | None:
        """The first download by the gemeente's side; a CAK user looking at a file does not count."""
        for download in self.downloads:
            if download.gebruiker is None or not download.gebruiker.is_cak:
                return download
        return None


class Download(Base):
    __tablename__ = "download"

    id: Mapped[int] = mapped_column(primary_key=True)
    bestand_id: Mapped[int] = mapped_column(ForeignKey("bestand.id", ondelete="CASCADE"), index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    op: Mapped[datetime] = mapped_column(UTCDateTime)

    bestand: Mapped[Bestand] = relationship(back_populates="downloads")
    gebruiker: Mapped[User | None] = relationship()


class OntvangstStatus(StrEnum):
    ONTVANGEN = "ontvangen"          # stored, not yet processed
    VERWERKT = "verwerkt"            # processed and accepted
    AFGEKEURD = "afgekeurd"          # processed, content rejected (WMO408 with codes, invalid sheet)
    GEWEIGERD = "geweigerd"          # refused before processing (transport, channel closed, no akkoord)


class Ontvangst(OpgeslagenInhoud, Base):
    """Every file anyone uploads, whatever the channel and outcome, stored before it is processed."""

    __tablename__ = "ontvangst"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    kanaal: Mapped[str] = mapped_column(String(20))
    soort: Mapped[str] = mapped_column(String(30))
    bestandsnaam: Mapped[str] = mapped_column(String(255))
    # inhoud (the original bytes; stored compressed): see OpgeslagenInhoud
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    grootte: Mapped[int] = mapped_column(Integer)
    ontvangen_op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[OntvangstStatus] = mapped_column(Tekstwaarde(OntvangstStatus, 20),
                                                    default=OntvangstStatus.ONTVANGEN)
    uitkomst: Mapped[str | None] = mapped_column(Text)
    details: Mapped[Any | None] = mapped_column(JSON)
    # A refused upload's bytes are dropped after the retention period or over the gemeente's quota; the row
    # (name, size, SHA-256, time, outcome) stays, and says when.
    inhoud_verwijderd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who is processing the stored upload, since when (real time): the worker that stored it, or the planner
    # that took over an upload whose worker died. While status is ONTVANGEN the claim expires after a while.
    geclaimd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    geclaimd_door: Mapped[str | None] = mapped_column(String(100))

    gemeente: Mapped[Gemeente | None] = relationship()
    gebruiker: Mapped[User | None] = relationship()
