"""The CAK's follow-up tasks after the migration period."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from portal.models.bestand import Bestand
    from portal.models.gemeente import Gemeente

ONTBREKENDE_WMO407 = "ontbrekende_wmo407"


class Opvolgtaak(Base):
    """A task on the CAK's dashboard: follow up a gemeente about the clients listed when the task was made.

    `clienten` is a snapshot of the listed clients ([{"bsn": ..., "naam": ...}]) at the report moment; the
    task closes by itself when every one of them has an accepted WMO407, or when the CAK records the outcome."""

    __tablename__ = "opvolgtaak"
    __table_args__ = (UniqueConstraint("gemeente_id", "soort", "aangemaakt_op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    soort: Mapped[str] = mapped_column(String(40), default=ONTBREKENDE_WMO407)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime)
    clienten: Mapped[Any] = mapped_column(JSON)
    bestand_id: Mapped[int | None] = mapped_column(ForeignKey("bestand.id"))
    gesloten_op: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    gesloten_door: Mapped[str | None] = mapped_column(String(254))
    uitkomst: Mapped[str | None] = mapped_column(Text)
    # Why it was closed: "alle_wmo407_ontvangen" or "uitkomst_vastgelegd".
    reden_gesloten: Mapped[str | None] = mapped_column(String(40))

    gemeente: Mapped[Gemeente] = relationship()
    bestand: Mapped[Bestand | None] = relationship()

    @property
    def open(self) -> bool:
        return self.gesloten_op is None
