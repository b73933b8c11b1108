"""Een gelezen WMO407 als gewone dataclasses.

De klassen volgen de elementen van het bericht (ieb-2.0.md, sectie 3). ``regelnummer`` is de regel
in het aangeleverde bestand waarop het element begint, voor meldingen aan de gebruiker; bij een
bericht dat in code is opgebouwd is het ``None``.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from portal.ieb.constants import (
    STATUS_EERSTE_AANLEVERING,
    STATUS_VERWIJDEREN_AANLEVERING,
)


@dataclass(frozen=True, slots=True)
class Header:
    afzender: str
    identificatie: str
    dagtekening: date
    basisschema_xsd_versie: str
    bericht_xsd_versie: str
    regelnummer: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Periode:
    """Eén BeschermdWonen-element: een periode beschermd wonen."""

    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None
    status_aanlevering: int
    regelnummer: int | None = field(default=None, compare=False)

    @property
    def is_eerste_aanlevering(self) -> bool:
        return self.status_aanlevering == STATUS_EERSTE_AANLEVERING

    @property
    def is_verwijdering(self) -> bool:
        return self.status_aanlevering == STATUS_VERWIJDEREN_AANLEVERING


@dataclass(frozen=True, slots=True)
class Client:
    bsn: str
    perioden: tuple[Periode, ...]
    regelnummer: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Wmo407Bericht:
    header: Header
    clients: tuple[Client, ...]

    def perioden(self) -> Iterator[tuple[int, int, Client, Periode]]:
        """Alle perioden met hun plaats: ``(client_index, periode_index, client, periode)``."""
        for client_index, client in enumerate(self.clients):
            for periode_index, periode in enumerate(client.perioden):
                yield client_index, periode_index, client, periode
