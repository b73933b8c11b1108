"""Users, their roles and the gemeenten they may act for."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, Tekstwaarde, UTCDateTime
from portal.rollen import CAK_ROLLEN, ROL_TEKST, Rol

if TYPE_CHECKING:
    from portal.models.gemeente import Gemeente

gebruiker_gemeente = Table(
    "gebruiker_gemeente",
    Base.metadata,
    Column("gebruiker_id", Integer, ForeignKey("gebruiker.id", ondelete="CASCADE"), primary_key=True),
    Column("gemeente_id", Integer, ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Base):
    __tablename__ = "gebruiker"
    __table_args__ = (
        CheckConstraint(
            "role in ('gemeente', 'gemeente_beheerder', 'cak', 'cak_beheerder', 'leverancier')",
            name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Always stored in lower case, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    naam: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Rol] = mapped_column(Tekstwaarde(Rol, 20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stored in every login session; a session with another number has ended (logout, new password, switched off).
    sessie_generatie: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    gemeenten: Mapped[list[Gemeente]] = relationship(
        secondary=gebruiker_gemeente, back_populates="gebruikers", order_by="Gemeente.code")

    @staticmethod
    def normaliseer_email(email: str) -> str:
        return email.strip().lower()

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    @property
    def is_cak(self) -> bool:
        return self.role in CAK_ROLLEN

    @property
    def is_cak_beheerder(self) -> bool:
        return self.role == Rol.CAK_BEHEERDER

    @property
    def rol_tekst(self) -> str:
        return ROL_TEKST[self.role]

    def beeindig_sessies(self) -> None:
        """End every login session of this user, in every browser: the next request of each is logged out."""
        self.sessie_generatie = (self.sessie_generatie or 0) + 1

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


@event.listens_for(User.password_hash, "set")
def _nieuw_wachtwoord(target: User, value: str, oldvalue: object, initiator: object) -> None:
    """A new password (changed, reset, or set from an invitation) ends every session of the user."""
    if value != oldvalue:
        target.beeindig_sessies()


@event.listens_for(User.active, "set")
def _uitgeschakeld(target: User, value: bool, oldvalue: object, initiator: object) -> None:
    """A switched-off account stays logged out when it is switched on again."""
    if not value:
        target.beeindig_sessies()


class InlogBlokkade(Base):
    """Failed logins per e-mail address, counted in the database so they hold across processes.

    Keyed by the address as typed (lower case), whether an account exists or not, so the
    answer to a login never tells which addresses exist. Counted by `portal.services.inlogpogingen` with
    atomic statements; the moments are real time, never the ketentest clock.
    """

    __tablename__ = "inlog_blokkade"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    mislukt: Mapped[int] = mapped_column(Integer, default=0)
    """Failures since the last successful login (forgotten after INLOG_VERGEET seconds without a failure)."""
    laatste_mislukt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    geblokkeerd_tot: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """No attempt for this address is checked before this moment."""
