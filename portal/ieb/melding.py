"""Een melding van een inhoudelijke regel (niveau 2 of 3) bij een deel van een WMO407."""

from dataclasses import dataclass
from datetime import date

from portal.kalender import format_datum


@dataclass(frozen=True, slots=True)
class Melding:
    """Eén overtreden regel: de retourcode, de regel (zoals ``TR404``), het element en een Nederlandse uitleg.

    ``regelnummer`` is de regel in het aangeleverde bestand waarop de klasse begint waar het element
    bij hoort (Header, Client of BeschermdWonen), als die bekend is. Een melding van niveau 2 over een
    cliënt of periode noemt ook haar ``bsn`` en ``bw_startnummer`` (niveau 3 kent de plaats uit de index).
    """

    code: str
    regel_id: str
    element: str
    toelichting: str
    regelnummer: int | None = None
    bsn: str | None = None
    bw_startnummer: int | None = None

    def __str__(self) -> str:
        return f"{self.code} {self.regel_id}, element {self.element}: {self.toelichting}"


def datum_tekst(datum: date | None) -> str:
    """Een datum zoals gebruikers die zien: dd-mm-jjjj; een open einde als 'open'."""
    return "open" if datum is None else format_datum(datum)


def bij_regel(regelnummer: int | None) -> str:
    return f" (regel {regelnummer})" if regelnummer is not None else ""
