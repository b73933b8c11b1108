"""Gemeenten and the CAK's registration of their BW clients."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base

if TYPE_CHECKING:
    from portal.models.gebruiker import User

CENTRUMGEMEENTE = "centrumgemeente"
REGIOGEMEENTE = "regiogemeente"


class Gemeente(Base):
    __tablename__ = "gemeente"
    __table_args__ = (
        CheckConstraint("soort in ('centrumgemeente', 'regiogemeente')", name="soort"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    naam: Mapped[str] = mapped_column(String(100))
    soort: Mapped[str] = mapped_column(String(20), default=CENTRUMGEMEENTE)
    centrumgemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"))
    levert_zelf_aan: Mapped[bool] = mapped_column(Boolean, default=False)
    bestandsprefix: Mapped[str] = mapped_column(String(16))
    bw_startnummer: Mapped[int | None] = mapped_column(BigInteger)
    contact_naam: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_telefoon: Mapped[str | None] = mapped_column(String(30))

    centrumgemeente: Mapped[Gemeente | None] = relationship(
        remote_side="Gemeente.id", back_populates="regiogemeenten")
    regiogemeenten: Mapped[list[Gemeente]] = relationship(back_populates="centrumgemeente")
    gebruikers: Mapped[list[User]] = relationship(
        secondary="gebruiker_gemeente", back_populates="gemeenten")

    @staticmethod
    def standaard_prefix(code: str) -> str:
        return "68" + code

    @property
    def levert_aan(self) -> bool:
        """Whether this gemeente delivers itself (and so has its own B4, timeslot and folder)."""
        return self.soort == CENTRUMGEMEENTE or self.levert_zelf_aan

    @property
    def soort_tekst(self) -> str:
        if self.soort == CENTRUMGEMEENTE:
            return "centrumgemeente"
        return "regiogemeente, levert zelf aan" if self.levert_zelf_aan else "regiogemeente"

    def __repr__(self) -> str:
        return f"<Gemeente {self.code} {self.naam}>"


class BwClient(Base):
    """The CAK's registration of one BW client: the columns A-K of the B4 file."""

    __tablename__ = "bw_client"
    __table_args__ = (UniqueConstraint("gemeente_id", "bsn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    geslachtsnaam: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    voorletters: Mapped[str] = mapped_column(String(20))
    geboortedatum: Mapped[date] = mapped_column(Date)
    datum_start_bw: Mapped[date] = mapped_column(Date)
    datum_einde_bw: Mapped[date | None] = mapped_column(Date)
    bron: Mapped[str] = mapped_column(String(10))
    aanbieder_agb: Mapped[str] = mapped_column(String(8))
    soort_bijdrage: Mapped[str] = mapped_column(String(3))

    gemeente: Mapped[Gemeente] = relationship()
