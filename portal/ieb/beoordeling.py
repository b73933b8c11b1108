"""De inhoudelijke beoordeling van een schema-geldige WMO407: niveau 2 en daarna niveau 3."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from portal.ieb.bericht import Wmo407Bericht
from portal.ieb.geheugen import zonder_cyclische_gc
from portal.ieb.melding import Melding
from portal.ieb.niveau2_regels import niveau2_meldingen
from portal.ieb.niveau3_regels import Toetsing, header_meldingen, periode_meldingen
from portal.ieb.register import RegisterView
from portal.ieb.retourcodes import GEEN_OPMERKING, RETOURCODES, TECHNISCH_AFGEKEURD


def _uniek(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


@dataclass
class Beoordeling:
    """Uitkomst van niveau 2 of 3.

    Bij niveau 2 staan alle meldingen bij de Header (code 0001); de WMO408 bevat dan alleen de Header.
    Bij niveau 3 staan meldingen bij de Header, per cliënt (``client_index``) en per periode
    (``(client_index, periode_index)``); een klasse zonder melding krijgt ``0200``.
    """

    niveau: int
    header_meldingen: list[Melding] = field(default_factory=list)
    client_meldingen: dict[int, list[Melding]] = field(default_factory=dict)
    periode_meldingen: dict[tuple[int, int], list[Melding]] = field(default_factory=dict)
    aantal_clients: int = 0
    aantal_perioden: int = 0

    @property
    def geaccepteerd(self) -> bool:
        return self.niveau == 3 and not self.meldingen()

    def meldingen(self) -> list[Melding]:
        """Alle meldingen: eerst de Header, dan per cliënt en periode in de volgorde van het bericht."""
        alle = list(self.header_meldingen)
        plaatsen = sorted({(c, -1) for c in self.client_meldingen} | set(self.periode_meldingen))
        for client_index, periode_index in plaatsen:
            if periode_index == -1:
                alle.extend(self.client_meldingen[client_index])
            else:
                alle.extend(self.periode_meldingen[(client_index, periode_index)])
        return alle

    def header_retourcodes(self) -> list[str]:
        """De codes van de Header zelf; leeg als de Header geen code heeft (dan geen RetourCodes in de WMO408)."""
        return _uniek(melding.code for melding in self.header_meldingen)

    def client_retourcodes(self, client_index: int) -> list[str]:
        return _uniek(m.code for m in self.client_meldingen.get(client_index, ())) or [GEEN_OPMERKING]

    def periode_retourcodes(self, client_index: int, periode_index: int) -> list[str]:
        meldingen = self.periode_meldingen.get((client_index, periode_index), ())
        return _uniek(m.code for m in meldingen) or [GEEN_OPMERKING]

    def retourcodes(self) -> list[str]:
        """De verschillende retourcodes behalve 0200, gesorteerd."""
        return sorted({melding.code for melding in self.meldingen()} - {GEEN_OPMERKING})

    def rapport(self) -> list[str]:
        """Het eigen rapport van het portaal: een Nederlandse samenvatting en daarna elke melding."""
        if self.geaccepteerd:
            return [
                f"Het bericht is geaccepteerd: {self.aantal_clients} {_clients_woord(self.aantal_clients)} en "
                f"{self.aantal_perioden} {'periode' if self.aantal_perioden == 1 else 'perioden'} zijn verwerkt."
            ]
        if self.niveau == 2:
            kop = (
                f"Het bericht is afgekeurd met retourcode {TECHNISCH_AFGEKEURD} "
                f"({RETOURCODES[TECHNISCH_AFGEKEURD]}): het voldoet niet aan de regels hieronder. Het retourbericht "
                "bevat alleen de header en er is niets geregistreerd. Verbeter het bericht en lever het opnieuw aan "
                "met een nieuwe Identificatie."
            )
        else:
            codes = ", ".join(f"{code} ({RETOURCODES[code]})" for code in self.retourcodes())
            kop = (
                f"Het bericht is afgekeurd met retourcodes {codes}. Er is niets geregistreerd: het hele bericht is "
                "afgekeurd. Verbeter de punten hieronder en lever het bericht opnieuw aan met een nieuwe "
                "Identificatie."
            )
        return [kop, *(str(melding) for melding in self.meldingen())]


def _clients_woord(aantal: int) -> str:
    return "cliënt" if aantal == 1 else "cliënten"


def beoordeel(
    bericht: Wmo407Bericht,
    *,
    vandaag: date,
    cbs_codes: Collection[str],
    register: RegisterView,
) -> Beoordeling:
    """Beoordeel een schema-geldige WMO407: eerst niveau 2; alleen als dat slaagt niveau 3.

    ``register`` is de registratie van de Afzender van dit bericht. Elk niveau loopt het bericht één
    keer door en roept daarbij per Client en per periode de functie van elke regel aan.
    """
    aantal_clients = len(bericht.clients)
    aantal_perioden = sum(len(client.perioden) for client in bericht.clients)
    with zonder_cyclische_gc():
        niveau2 = niveau2_meldingen(bericht)
        if niveau2:
            return Beoordeling(
                niveau=2, header_meldingen=niveau2, aantal_clients=aantal_clients, aantal_perioden=aantal_perioden
            )

        toetsing = Toetsing(bericht=bericht, vandaag=vandaag, cbs_codes=frozenset(cbs_codes), register=register)
        return Beoordeling(
            niveau=3,
            header_meldingen=header_meldingen(toetsing),
            periode_meldingen=periode_meldingen(toetsing),
            aantal_clients=aantal_clients,
            aantal_perioden=aantal_perioden,
        )
