"""The aansluiting (reconciliation): did the gemeente deliver what it promised? (proces.md section 4)

Expected = the BSNs marked ``J`` in the approved terugkoppeling (added rows included).
Received = the BSNs with at least one current period (StatusAanlevering 1 or 2, not removed) in an
accepted WMO407 of this gemeente. Every BSN that is expected or received gets exactly one outcome:

=======================  =====================================================================
``ok``                   expected, and one of its received periods starts on MIGRATIE_STARTDATUM
``afwijkende_startdatum`` expected, received, but no received period starts on MIGRATIE_STARTDATUM
``afgekeurd``            expected, not received, and it occurred in at least one rejected message
``ontbreekt``            expected, not received, and in no rejected message either
``onverwacht``           received, not expected (not in the terugkoppeling, or marked other than J)
=======================  =====================================================================

Interpretations of the edge cases:

- A BSN received with several periods, one of which starts on MIGRATIE_STARTDATUM, is ``ok``: the
  migrated period is there; the other periods are later care periods of the same client.
- An expected BSN that was in a rejected message and was also accepted (earlier or later) is judged
  on its accepted periods only (``ok`` or ``afwijkende_startdatum``): ``afgekeurd`` means the *only*
  messages that held it were rejected.
- A BSN that is not expected and only occurred in rejected messages was not received, and gets no
  outcome (nothing was registered for it).
- An empty expectation with nothing received gives no rows and counts as correct: the gemeente
  promised nothing and delivered nothing. Anything received is then ``onverwacht`` and not correct.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.kalender import MIGRATIE_STARTDATUM

CODE_AANLEVEREN = "J"


class Uitkomst(StrEnum):
    OK = "ok"
    ONTBREEKT = "ontbreekt"
    AFWIJKENDE_STARTDATUM = "afwijkende_startdatum"
    ONVERWACHT = "onverwacht"
    AFGEKEURD = "afgekeurd"


UITKOMST_NAAM: Mapping[Uitkomst, str] = {
    Uitkomst.OK: "ok",
    Uitkomst.ONTBREEKT: "ontbreekt",
    Uitkomst.AFWIJKENDE_STARTDATUM: "afwijkende startdatum",
    Uitkomst.ONVERWACHT: "onverwacht",
    Uitkomst.AFGEKEURD: "afgekeurd",
}
"""The outcome in a word or two, as the screens show it."""

UITKOMST_OMSCHRIJVING: Mapping[Uitkomst, str] = {
    Uitkomst.OK: "verwacht en ontvangen met de migratiedatum als BwStartdatum",
    Uitkomst.ONTBREEKT: "verwacht, maar geen WMO407 ontvangen",
    Uitkomst.AFWIJKENDE_STARTDATUM: "verwacht en ontvangen, maar met een andere BwStartdatum",
    Uitkomst.ONVERWACHT: "ontvangen, maar niet verwacht (niet in de terugkoppeling of niet met J)",
    Uitkomst.AFGEKEURD: "verwacht, maar alleen ontvangen in afgekeurde berichten",
}


@dataclass(frozen=True)
class AansluitingRegel:
    bsn: str
    terugkoppeling: str | None  # the code in the approved terugkoppeling, None when not in it
    ontvangen: bool  # at least one current period in an accepted WMO407
    bw_startdatum: date | None  # MIGRATIE_STARTDATUM when received with it, else the earliest received
    uitkomst: Uitkomst


@dataclass(frozen=True)
class Aansluiting:
    regels: tuple[AansluitingRegel, ...]  # one per BSN, sorted by BSN
    aantallen: Mapping[Uitkomst, int]  # every outcome, 0 included
    correct: bool

    @property
    def aantal_verwacht(self) -> int:
        return sum(1 for regel in self.regels if regel.terugkoppeling == CODE_AANLEVEREN)

    @property
    def aantal_ontvangen(self) -> int:
        return sum(1 for regel in self.regels if regel.ontvangen)

    def uitkomst(self, bsn: str) -> Uitkomst | None:
        for regel in self.regels:
            if regel.bsn == bsn:
                return regel.uitkomst
        return None

    def verschillen(self) -> tuple[AansluitingRegel, ...]:
        """The rows that are not ``ok`` (what the CAK discusses when calling the gemeente)."""
        return tuple(regel for regel in self.regels if regel.uitkomst != Uitkomst.OK)


def bepaal_aansluiting(
    terugkoppeling: Mapping[str, str],
    ontvangen: Mapping[str, Iterable[date]],
    afgekeurd: Iterable[str] = (),
    migratie_startdatum: date = MIGRATIE_STARTDATUM,
) -> Aansluiting:
    """The reconciliation of one gemeente.

    ``terugkoppeling``: BSN -> code of the approved terugkoppeling (added rows included).
    ``ontvangen``: BSN -> the BwStartdatum of each current period in accepted WMO407 messages.
    ``afgekeurd``: the BSNs that occurred in rejected WMO407 messages.
    """
    codes = {bsn: code.strip().upper() for bsn, code in terugkoppeling.items()}
    startdata = {bsn: sorted(set(data)) for bsn, data in ontvangen.items()}
    startdata = {bsn: data for bsn, data in startdata.items() if data}
    in_afgekeurd = set(afgekeurd)

    verwacht = {bsn for bsn, code in codes.items() if code == CODE_AANLEVEREN}
    regels = []
    for bsn in sorted(verwacht | set(startdata)):
        data = startdata.get(bsn, [])
        if bsn not in verwacht:
            uitkomst = Uitkomst.ONVERWACHT
        elif migratie_startdatum in data:
            uitkomst = Uitkomst.OK
        elif data:
            uitkomst = Uitkomst.AFWIJKENDE_STARTDATUM
        elif bsn in in_afgekeurd:
            uitkomst = Uitkomst.AFGEKEURD
        else:
            uitkomst = Uitkomst.ONTBREEKT
        getoonde_startdatum = migratie_startdatum if migratie_startdatum in data else (data[0] if data else None)
        regels.append(AansluitingRegel(bsn, codes.get(bsn), bool(data), getoonde_startdatum, uitkomst))

    aantallen = dict.fromkeys(Uitkomst, 0)
    for regel in regels:
        aantallen[regel.uitkomst] += 1
    correct = all(regel.uitkomst == Uitkomst.OK for regel in regels)
    return Aansluiting(regels=tuple(regels), aantallen=aantallen, correct=correct)


def oordeel_tekst(aansluiting: Aansluiting) -> str:
    """The verdict in one Dutch sentence, as shown above the Aansluiting sheet."""
    if not aansluiting.regels:
        return "Oordeel: correct. Er werden geen cliënten verwacht en er is niets ontvangen."
    if aansluiting.correct:
        return (
            f"Oordeel: correct. Alle {len(aansluiting.regels)} verwachte cliënten zijn ontvangen "
            "met de juiste BwStartdatum."
        )
    verschillen = ", ".join(
        f"{aantal} {uitkomst.value}"
        for uitkomst, aantal in aansluiting.aantallen.items()
        if uitkomst != Uitkomst.OK and aantal
    )
    return (
        f"Oordeel: niet correct. {aansluiting.aantallen[Uitkomst.OK]} van de "
        f"{len(aansluiting.regels)} cliënten ok; verschillen: {verschillen}."
    )
