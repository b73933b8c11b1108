"""The migration of one delivering gemeente: its state, timeslot, terugkoppeling, channels and events;
the scheduled actions that carry out the calendar; the virtual clock; the e-mail outbox."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, Tekstwaarde, UTCDateTime
from portal.models.inhoud import OpgeslagenInhoud
from portal.toestanden import Toestand

if TYPE_CHECKING:
    from portal.models.bestand import Ontvangst
    from portal.models.gemeente import Gemeente


class Migratie(Base):
    __tablename__ = "migratie"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), unique=True)
    toestand: Mapped[Toestand] = mapped_column(Tekstwaarde(Toestand, 30), index=True)
    timeslot: Mapped[date | None] = mapped_column(Date, index=True)
    # Aanmelding: the gemeente's own preference, and the CAK's handling of it.
    voorkeur_timeslot: Mapped[date | None] = mapped_column(Date)
    tweede_keus_timeslot: Mapped[date | None] = mapped_column(Date)
    aanmelding_toelichting: Mapped[str | None] = mapped_column(Text)
    aangemeld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    aangemeld_door: Mapped[str | None] = mapped_column(String(254))
    gepland_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gepland_door: Mapped[str | None] = mapped_column(String(254))
    # Flags beside the state.
    terugkoppeling_te_laat: Mapped[bool] = mapped_column(Boolean, default=False)
    aanlevering_te_laat: Mapped[bool] = mapped_column(Boolean, default=False)
    # On the CAK's side: no akkoord to deliver by the Friday 17:00 before the timeslot week.
    akkoord_te_laat: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Akkoord om aan te leveren.
    verwacht_aantal: Mapped[int | None] = mapped_column(Integer)
    akkoord_terugkoppeling_id: Mapped[int | None] = mapped_column(ForeignKey("terugkoppeling.id"))
    akkoord_aanleveren_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    akkoord_aanleveren_door: Mapped[str | None] = mapped_column(String(254))
    # Deadline for delivery: the calendar's Tuesday, or the date agreed in a call.
    aanleverdeadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The reconciliation as last computed, and the verdict.
    aansluiting: Mapped[Any | None] = mapped_column(JSON)
    aansluiting_correct: Mapped[bool | None] = mapped_column(Boolean)
    # Akkoord op de aanlevering.
    goedgekeurd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    goedgekeurd_door: Mapped[str | None] = mapped_column(String(254))
    afwijking_reden: Mapped[str | None] = mapped_column(Text)

    gemeente: Mapped[Gemeente] = relationship()


class B4Regel(Base):
    """One row of a published B4 file, as it was published (A-K), so later checks compare with it."""

    __tablename__ = "b4_regel"
    __table_args__ = (UniqueConstraint("bestand_id", "bsn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bestand_id: Mapped[int] = mapped_column(ForeignKey("bestand.id", ondelete="CASCADE"), index=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    rij: Mapped[int] = mapped_column(Integer)
    gemeentecode: Mapped[str] = mapped_column(String(4))
    bsn: Mapped[str] = mapped_column(String(9))
    geslachtsnaam: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    voorletters: Mapped[str] = mapped_column(String(20))
    geboortedatum: Mapped[date] = mapped_column(Date)
    datum_start_bw: Mapped[date] = mapped_column(Date)
    datum_einde_bw: Mapped[date | None] = mapped_column(Date)
    bron: Mapped[str] = mapped_column(String(10))
    aanbieder_agb: Mapped[str] = mapped_column(String(8))
    soort_bijdrage: Mapped[str] = mapped_column(String(3))


class Terugkoppeling(Base):
    """An uploaded terugkoppeling that was checked; only a valid one counts, the newest valid one wins."""

    __tablename__ = "terugkoppeling"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    ontvangst_id: Mapped[int] = mapped_column(ForeignKey("ontvangst.id"), unique=True)
    b4_bestand_id: Mapped[int] = mapped_column(ForeignKey("bestand.id"))
    ontvangen_op: Mapped[datetime] = mapped_column(UTCDateTime)
    geldig: Mapped[bool] = mapped_column(Boolean)
    actueel: Mapped[bool] = mapped_column(Boolean, default=False)
    te_laat: Mapped[bool] = mapped_column(Boolean, default=False)
    tellingen: Mapped[Any | None] = mapped_column(JSON)
    problemen: Mapped[Any | None] = mapped_column(JSON)

    ontvangst: Mapped[Ontvangst] = relationship()
    regels: Mapped[list[TerugkoppelingRegel]] = relationship(
        back_populates="terugkoppeling", order_by="TerugkoppelingRegel.rij", cascade="all, delete-orphan")


class TerugkoppelingRegel(Base):
    __tablename__ = "terugkoppeling_regel"
    __table_args__ = (Index("ix_terugkoppeling_regel_tk_bsn", "terugkoppeling_id", "bsn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    terugkoppeling_id: Mapped[int] = mapped_column(ForeignKey("terugkoppeling.id", ondelete="CASCADE"))
    rij: Mapped[int] = mapped_column(Integer)
    bsn: Mapped[str] = mapped_column(String(9))
    code: Mapped[str] = mapped_column(String(1))
    einddatum_gemeente: Mapped[date | None] = mapped_column(Date)
    toelichting: Mapped[str | None] = mapped_column(Text)
    toegevoegd: Mapped[bool] = mapped_column(Boolean, default=False)
    gemeentecode: Mapped[str | None] = mapped_column(String(4))
    geslachtsnaam: Mapped[str | None] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    voorletters: Mapped[str | None] = mapped_column(String(20))
    geboortedatum: Mapped[date | None] = mapped_column(Date)

    terugkoppeling: Mapped[Terugkoppeling] = relationship(back_populates="regels")


class Kanaal(Base):
    """A registration channel of a gemeente: open or closed, and since when."""

    __tablename__ = "kanaal"
    __table_args__ = (UniqueConstraint("gemeente_id", "kanaal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    kanaal: Mapped[str] = mapped_column(String(10))
    open: Mapped[bool] = mapped_column(Boolean)
    gewijzigd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gewijzigd_door: Mapped[str | None] = mapped_column(String(254))


class Gebeurtenis(Base):
    """The timeline of a gemeente's migration: every transition and every notable step."""

    __tablename__ = "gebeurtenis"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    op: Mapped[datetime] = mapped_column(UTCDateTime)
    soort: Mapped[str] = mapped_column(String(40))
    van_toestand: Mapped[Toestand | None] = mapped_column(Tekstwaarde(Toestand, 30))
    naar_toestand: Mapped[Toestand | None] = mapped_column(Tekstwaarde(Toestand, 30))
    door: Mapped[str] = mapped_column(String(254))
    omschrijving: Mapped[str] = mapped_column(Text)


class Belactie(Base):
    """A call task on the CAK's list (nabellen): the gemeente delivered differently than promised."""

    __tablename__ = "belactie"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime)
    verschillen: Mapped[Any] = mapped_column(JSON)
    afgehandeld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    afgehandeld_door: Mapped[str | None] = mapped_column(String(254))
    uitkomst: Mapped[str | None] = mapped_column(Text)
    nieuwe_leverdatum: Mapped[date | None] = mapped_column(Date)

    gemeente: Mapped[Gemeente] = relationship()


class ActieStatus(StrEnum):
    GEPLAND = "gepland"
    BEZIG = "bezig"
    KLAAR = "klaar"
    VERVALLEN = "vervallen"
    MISLUKT = "mislukt"


class GeplandeActie(Base):
    """A step of the calendar that the scheduler carries out once, at or after its due time."""

    __tablename__ = "geplande_actie"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "soort", "due_op"),
        Index("ix_geplande_actie_status_due", "status", "due_op"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"))
    soort: Mapped[str] = mapped_column(String(40))
    due_op: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[ActieStatus] = mapped_column(Tekstwaarde(ActieStatus, 12), default=ActieStatus.GEPLAND)
    geclaimd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    geclaimd_door: Mapped[str | None] = mapped_column(String(80))
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    uitgevoerd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fout: Mapped[str | None] = mapped_column(Text)
    parameters: Mapped[Any | None] = mapped_column(JSON)

    gemeente: Mapped[Gemeente | None] = relationship()


class KlokStand(Base):
    """The virtual clock of the ketentest: one row."""

    __tablename__ = "klokstand"

    id: Mapped[int] = mapped_column(primary_key=True)
    moment: Mapped[datetime] = mapped_column(UTCDateTime)
    gewijzigd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gewijzigd_door: Mapped[str | None] = mapped_column(String(254))


class Mail(Base):
    """An e-mail in the outbox; sent by SMTP when configured, retried until it goes."""

    __tablename__ = "mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A scheduled action that sends a mail sets a key, so a retried action never sends it twice.
    sleutel: Mapped[str | None] = mapped_column(String(160), unique=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    soort: Mapped[str] = mapped_column(String(60))
    aan: Mapped[Any] = mapped_column(JSON)
    onderwerp: Mapped[str] = mapped_column(String(300))
    tekst: Mapped[str] = mapped_column(Text)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    verzonden_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    volgende_poging_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    laatste_fout: Mapped[str | None] = mapped_column(Text)

    gemeente: Mapped[Gemeente | None] = relationship()
    bijlagen: Mapped[list[MailBijlage]] = relationship(
        back_populates="mail", cascade="all, delete-orphan", order_by="MailBijlage.id")


class MailBijlage(OpgeslagenInhoud, Base):
    __tablename__ = "mail_bijlage"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mail.id", ondelete="CASCADE"), index=True)
    naam: Mapped[str] = mapped_column(String(255))
    mediatype: Mapped[str] = mapped_column(String(100))
    # inhoud (the original bytes; stored compressed): see OpgeslagenInhoud

    mail: Mapped[Mail] = relationship(back_populates="bijlagen")
