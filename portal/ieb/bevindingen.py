"""Bevindingen van de transportcontrole (niveau 0) en de schemacontrole (niveau 1)."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bevinding:
    """Eén probleem in een aangeleverd bestand.

    ``toelichting`` is een Nederlandse zin voor een medewerker van de gemeente: wat er mis is en wat
    te doen. ``parsermelding`` is de oorspronkelijke melding van de XML-parser of XSD-controle.
    """

    niveau: int
    toelichting: str
    regelnummer: int | None = None
    kolom: int | None = None
    element: str | None = None
    parsermelding: str | None = None

    def __str__(self) -> str:
        tekst = self.toelichting
        positie = []
        if self.regelnummer is not None and f"regel {self.regelnummer}" not in tekst:
            positie.append(f"regel {self.regelnummer}")
        if self.kolom is not None and f"kolom {self.kolom}" not in tekst:
            positie.append(f"kolom {self.kolom}")
        if positie:
            tekst += f" ({', '.join(positie)})"
        if self.parsermelding:
            tekst += f" Melding van de controle: {self.parsermelding}"
        return tekst
