"""The old channels (H&V-app, Excel sheet, 60-record): the mutations they brought in.

A mutation that was accepted and applied to the CAK's registration (``BwClient``) is kept here, with
who sent it, when and through which channel. Refused input is not kept here: it is the stored
``Ontvangst`` with its reason (GEWEIGERD for the closing rule, AFGEKEURD for content problems).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from portal.models.bestand import Ontvangst
    from portal.models.gemeente import BwClient, Gemeente


class OudKanaalMutatie(Base):
    """One accepted start or stop through an old channel, as it was applied."""

    __tablename__ = "oud_kanaal_mutatie"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)  # whose page it was sent from
    kanaal: Mapped[str] = mapped_column(String(20))  # HV_APP, EXCEL or RECORD60
    ontvangst_id: Mapped[int | None] = mapped_column(ForeignKey("ontvangst.id"), index=True)
    volgnummer: Mapped[int | None] = mapped_column(Integer)  # the row of the sheet, the line of the 60-record
    gemeentecode: Mapped[str] = mapped_column(String(4))
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    geslachtsnaam: Mapped[str | None] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    voorletters: Mapped[str | None] = mapped_column(String(20))
    geboortedatum: Mapped[date | None] = mapped_column(Date)
    soort_mutatie: Mapped[str] = mapped_column(String(5))  # START or STOP
    datum_start_bw: Mapped[date] = mapped_column(Date)
    datum_einde_bw: Mapped[date | None] = mapped_column(Date)
    aanbieder_agb: Mapped[str] = mapped_column(String(8))
    aanbieder_naam: Mapped[str | None] = mapped_column(String(200))
    leveringsvorm: Mapped[str] = mapped_column(String(3))
    soort_bijdrage: Mapped[str] = mapped_column(String(3))
    woonsituatie: Mapped[str | None] = mapped_column(String(20))
    toelichting: Mapped[str | None] = mapped_column(Text)
    toegepast_op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gebruiker_naam: Mapped[str] = mapped_column(String(254))
    bw_client_id: Mapped[int] = mapped_column(ForeignKey("bw_client.id"), index=True)

    gemeente: Mapped[Gemeente] = relationship()
    ontvangst: Mapped[Ontvangst | None] = relationship()
    bw_client: Mapped[BwClient] = relationship()
