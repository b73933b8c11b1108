"""Users managed in the portal: invitations and access requests."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, Tekstwaarde, UTCDateTime
from portal.models.gebruiker import User
from portal.models.gemeente import Gemeente
from portal.rollen import Rol


class Uitnodiging(Base):
    """A beheerder asked someone by e-mail to set a password and act for a gemeente in a role.

    The link in the mail is signed over this row's id (see `portal.services.gebruikersbeheer`); the row says
    whether it was used or withdrawn, so the link works once and no more after a deactivation.
    """

    __tablename__ = "uitnodiging"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"))
    rol: Mapped[Rol] = mapped_column(Tekstwaarde(Rol, 20))
    nieuw_account: Mapped[bool] = mapped_column(Boolean, default=True)
    """The invitation made the account: until it is used, the account has no password anyone knows."""
    uitgenodigd_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id", ondelete="SET NULL"))
    uitgenodigd_op: Mapped[datetime] = mapped_column(UTCDateTime)
    geldig_tot: Mapped[datetime] = mapped_column(UTCDateTime)
    gebruikt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(UTCDateTime)

    gebruiker: Mapped[User] = relationship(foreign_keys=[gebruiker_id])
    gemeente: Mapped[Gemeente | None] = relationship()


class VerzoekStatus(StrEnum):
    OPEN = "open"
    VERLEEND = "verleend"
    GEWEIGERD = "geweigerd"


class Toegangsverzoek(Base):
    """Someone without an account asks for access to a gemeente's folder (the public form)."""

    __tablename__ = "toegangsverzoek"
    __table_args__ = (
        CheckConstraint("status in ('open', 'verleend', 'geweigerd')", name="status"),
        CheckConstraint("rol in ('gemeente', 'leverancier')", name="rol"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    naam: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), index=True)
    rol: Mapped[Rol] = mapped_column(Tekstwaarde(Rol, 20))
    reden: Mapped[str] = mapped_column(Text)
    ingediend_op: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[VerzoekStatus] = mapped_column(Tekstwaarde(VerzoekStatus, 20), default=VerzoekStatus.OPEN)
    beoordeeld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    beoordeeld_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id", ondelete="SET NULL"))
    weigerreden: Mapped[str | None] = mapped_column(Text)

    gemeente: Mapped[Gemeente] = relationship()
