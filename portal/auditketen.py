"""The hash chain of the audit trail, without Flask or a database: the canonical form of an event, its
SHA-256 over that form and the previous event's hash, and the walk that finds the first broken link."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

BEGIN = "0" * 64
"""The `vorige_hash` of the first event of a chain."""

MAX_GETOONDE_BSNS = 50
"""Up to this many shown BSNs are listed in an event; more are only counted."""

VELDEN = ("volgnummer", "op", "op_echt", "gebruiker_id", "actor", "actie", "object_type", "object_id",
          "gemeente_id", "ip", "bsns", "aantal_bsns", "details", "vorige_hash")


def _tijd(waarde: datetime | None) -> str | None:
    return None if waarde is None else waarde.astimezone(UTC).isoformat(timespec="microseconds")


def als_json(waarde: Any) -> Any:
    """A value as it comes back from a JSON column (tuples as lists, keys as strings)."""
    return None if waarde is None else json.loads(json.dumps(waarde, default=str, ensure_ascii=False))


def canoniek(velden: Mapping[str, Any]) -> bytes:
    """The one serialisation of an event the hash is taken over: every field of VELDEN, sorted keys,
    instants in UTC with microseconds."""
    waarden = {naam: velden.get(naam) for naam in VELDEN}
    waarden["op"] = _tijd(waarden["op"])
    waarden["op_echt"] = _tijd(waarden["op_echt"])
    waarden["details"] = als_json(waarden["details"])
    waarden["bsns"] = als_json(waarden["bsns"])
    return json.dumps(waarden, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def bereken_hash(velden: Mapping[str, Any]) -> str:
    return hashlib.sha256(canoniek(velden)).hexdigest()


def getoonde_bsns(bsns: Iterable[str]) -> tuple[list[str] | None, int]:
    """The BSNs an event lists (in order, each once; None above MAX_GETOONDE_BSNS) and how many there were."""
    uniek = list(dict.fromkeys(bsns))
    return (uniek if len(uniek) <= MAX_GETOONDE_BSNS else None), len(uniek)


@dataclass(frozen=True)
class Breuk:
    event_id: int | None
    volgnummer: int | None
    reden: str


@dataclass(frozen=True)
class Controle:
    aantal: int
    breuk: Breuk | None
    laatste_hash: str

    @property
    def in_orde(self) -> bool:
        return self.breuk is None


def controleer(events: Iterable[Mapping[str, Any]], kop: tuple[int, str] | None) -> Controle:
    """Walk the events in chain order (by `volgnummer`, each a mapping with `id`, `hash` and VELDEN) and
    compare the end with the chain head (`kop`: last volgnummer and hash, None when there is none)."""
    vorige, aantal = BEGIN, 0
    for event in events:
        verwacht = aantal + 1
        if event["volgnummer"] != verwacht:
            reden = (f"gebeurtenis {verwacht} tot en met {event['volgnummer'] - 1} ontbreekt"
                     if event["volgnummer"] > verwacht else "de volgorde van de keten is veranderd")
            return Controle(aantal, Breuk(event["id"], event["volgnummer"], reden), vorige)
        if event["vorige_hash"] != vorige:
            return Controle(aantal, Breuk(event["id"], event["volgnummer"],
                                          "de verwijzing naar de vorige gebeurtenis klopt niet (een gebeurtenis "
                                          "ervoor is gewijzigd, verwijderd of verplaatst)"), vorige)
        if bereken_hash(event) != event["hash"]:
            return Controle(aantal, Breuk(event["id"], event["volgnummer"],
                                          "de inhoud is gewijzigd na het vastleggen"), vorige)
        vorige, aantal = event["hash"], verwacht
    kop_volgnummer, kop_hash = kop if kop is not None else (0, BEGIN)
    if (kop_volgnummer, kop_hash) != (aantal, vorige):
        reden = (f"de laatste {kop_volgnummer - aantal} gebeurtenis(sen) na nummer {aantal} ontbreken"
                 if kop_volgnummer > aantal else "het einde van de keten klopt niet met de ketenkop")
        return Controle(aantal, Breuk(None, aantal + 1, reden), vorige)
    return Controle(aantal, None, vorige)
