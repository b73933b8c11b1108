"""De meldingen van een beoordeling gegroepeerd: één uitleg per retourcode, met de lijst van plaatsen.

Een bericht met driehonderd keer dezelfde fout krijgt zo niet driehonderd keer dezelfde alinea, maar één
groep: de retourcode met haar betekenis, één uitleg van wat er mis is en wat te doen (``GROEPSUITLEG`` van
de regels), en de BSN's en BwStartNummers waar het om gaat. Bij niveau 2 heeft elke regel een eigen groep
(alle meldingen hebben daar code 0001). Bij niveau 3 staan de perioden zonder opmerking (0200) in een
groep van zichzelf, zodat ook een geaccepteerd bericht per cliënt na te lopen is.
"""

from dataclasses import dataclass, field
from typing import Any

from portal.ieb import niveau2_regels, niveau3_regels
from portal.ieb.beoordeling import Beoordeling
from portal.ieb.bericht import Wmo407Bericht
from portal.ieb.melding import Melding
from portal.ieb.retourcodes import GEEN_OPMERKING, RETOURCODES

GROEPSUITLEG = {**niveau2_regels.GROEPSUITLEG, **niveau3_regels.GROEPSUITLEG}

GEEN_OPMERKING_GEACCEPTEERD = "Deze perioden zijn verwerkt en geregistreerd."
GEEN_OPMERKING_AFGEKEURD = (
    "Bij deze perioden is niets gevonden, maar ze zijn niet geregistreerd: het hele bericht is afgekeurd. "
    "Neem ze ongewijzigd op in het verbeterde bericht."
)
MAX_PLAATSEN = 500
_MAX_EIGEN_TOELICHTINGEN = 3


@dataclass(frozen=True, slots=True)
class Plaats:
    """Waar een melding over gaat: een cliënt (zonder BwStartNummer) of een periode."""

    bsn: str
    bw_startnummer: int | None = None
    regelnummer: int | None = None


@dataclass(frozen=True)
class Meldingsgroep:
    """Alle meldingen met één retourcode en regel.

    ``plaatsen`` zijn er hoogstens ``MAX_PLAATSEN`` (in de volgorde van het bericht); ``aantal`` telt ze
    allemaal, ``aantal_bsns`` de verschillende BSN's. Een groep over de Header heeft geen plaatsen.
    """

    code: str
    omschrijving: str
    regel_id: str | None
    uitleg: str
    plaatsen: tuple[Plaats, ...]
    aantal: int
    aantal_bsns: int

    @property
    def over_perioden(self) -> bool:
        return any(plaats.bw_startnummer is not None for plaats in self.plaatsen)

    def als_dict(self) -> dict[str, Any]:
        """De groep als JSON-waarden, om te bewaren en te tonen."""
        return {
            "code": self.code,
            "omschrijving": self.omschrijving,
            "regel_id": self.regel_id,
            "uitleg": self.uitleg,
            "aantal": self.aantal,
            "aantal_bsns": self.aantal_bsns,
            "over_perioden": self.over_perioden,
            "plaatsen": [
                {"bsn": p.bsn, "bw_startnummer": p.bw_startnummer, "regelnummer": p.regelnummer} for p in self.plaatsen
            ],
        }


@dataclass
class _Verzameling:
    code: str
    regel_id: str | None
    max_plaatsen: int
    toelichtingen: list[str] = field(default_factory=list)
    plaatsen: list[Plaats] = field(default_factory=list)
    aantal: int = 0
    bsns: set[str] = field(default_factory=set)

    def voeg_toe(self, plaats: Plaats | None, melding: Melding | None = None) -> None:
        if (melding is not None and len(self.toelichtingen) < _MAX_EIGEN_TOELICHTINGEN
                and melding.toelichting not in self.toelichtingen):
            self.toelichtingen.append(melding.toelichting)
        if plaats is None:
            return
        self.aantal += 1
        self.bsns.add(plaats.bsn)
        if len(self.plaatsen) < self.max_plaatsen:
            self.plaatsen.append(plaats)

    def groep(self, uitleg: str | None = None) -> Meldingsgroep:
        if uitleg is None:
            uitleg = GROEPSUITLEG.get(self.regel_id or "") or " ".join(self.toelichtingen)
        return Meldingsgroep(
            code=self.code,
            omschrijving=RETOURCODES.get(self.code, "onbekende code"),
            regel_id=self.regel_id,
            uitleg=uitleg,
            plaatsen=tuple(self.plaatsen),
            aantal=self.aantal,
            aantal_bsns=len(self.bsns),
        )


def groepeer(
    bericht: Wmo407Bericht, beoordeling: Beoordeling, max_plaatsen: int = MAX_PLAATSEN
) -> list[Meldingsgroep]:
    """De meldingen per retourcode en regel: eerst die van de Header, dan in de volgorde van het bericht;
    bij niveau 3 als laatste de perioden zonder opmerking (0200)."""
    verzamelingen: dict[tuple[str, str | None], _Verzameling] = {}

    def verzameling(code: str, regel_id: str | None) -> _Verzameling:
        sleutel = (code, regel_id)
        if sleutel not in verzamelingen:
            verzamelingen[sleutel] = _Verzameling(code, regel_id, max_plaatsen)
        return verzamelingen[sleutel]

    for melding in beoordeling.header_meldingen:
        # Bij niveau 2 staan alle meldingen bij de Header, maar gaan ze meestal over een cliënt of periode.
        plaats = None
        if melding.bsn is not None:
            plaats = Plaats(melding.bsn, melding.bw_startnummer, melding.regelnummer)
        verzameling(melding.code, melding.regel_id).voeg_toe(plaats, melding)
    if beoordeling.niveau != 3:
        return [v.groep() for v in verzamelingen.values()]

    clients = bericht.clients
    for client_index, periode_index in sorted(
        {(c, -1) for c in beoordeling.client_meldingen} | set(beoordeling.periode_meldingen)
    ):
        if not 0 <= client_index < len(clients):
            continue
        client = clients[client_index]
        if periode_index == -1:
            plaats = Plaats(client.bsn, None, client.regelnummer)
            meldingen = beoordeling.client_meldingen[client_index]
        elif 0 <= periode_index < len(client.perioden):
            periode = client.perioden[periode_index]
            plaats = Plaats(client.bsn, periode.bw_startnummer, periode.regelnummer)
            meldingen = beoordeling.periode_meldingen[(client_index, periode_index)]
        else:
            continue
        for melding in meldingen:
            verzameling(melding.code, melding.regel_id).voeg_toe(plaats, melding)

    # Per periode zonder opmerking alleen tellen; een Plaats alleen voor de eerste ``max_plaatsen``.
    zonder_opmerking = _Verzameling(GEEN_OPMERKING, None, max_plaatsen)
    periode_meldingen = beoordeling.periode_meldingen
    plaatsen, bsns = zonder_opmerking.plaatsen, zonder_opmerking.bsns
    aantal = 0
    for client_index, client in enumerate(clients):
        bsn = client.bsn
        for periode_index, periode in enumerate(client.perioden):
            if (client_index, periode_index) not in periode_meldingen:
                aantal += 1
                bsns.add(bsn)
                if len(plaatsen) < max_plaatsen:
                    plaatsen.append(Plaats(bsn, periode.bw_startnummer, periode.regelnummer))
    zonder_opmerking.aantal = aantal
    groepen = [v.groep() for v in verzamelingen.values()]
    if zonder_opmerking.aantal:
        groepen.append(zonder_opmerking.groep(
            GEEN_OPMERKING_GEACCEPTEERD if beoordeling.geaccepteerd else GEEN_OPMERKING_AFGEKEURD))
    return groepen
