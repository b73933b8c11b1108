"""Controle van WMO407-bestanden in een reeks, voor de opdrachtregel.

De bestanden worden in de gegeven volgorde gecontroleerd tegen een register in het geheugen dat leeg
begint (één per Afzender) en elk geaccepteerd bestand opneemt. Elk bestand dat niveau 1 haalt
reserveert zijn Identificatie. Per bestand komt er één samenvattingsregel
``<bestandsnaam>: <uitkomst> <codes>`` en daarna Nederlandse detailregels die met twee spaties inspringen.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from portal.ieb.beoordeling import beoordeel
from portal.ieb.constants import MAX_BESTANDSGROOTTE
from portal.ieb.register import InMemoryRegister
from portal.ieb.schemacontrole import controleer_schema
from portal.ieb.transport import controleer_transport, te_groot
from portal.ieb.wmo408 import bouw_wmo408

GEACCEPTEERD = "geaccepteerd"
AFGEKEURD = "afgekeurd"
ONGELDIG = "ongeldig"

_INSPRINGING = "  "
_MAX_VOLGNUMMER = 99999


@dataclass
class Bestandsuitkomst:
    """De uitkomst voor één bestand.

    ``uitkomst`` is ``geaccepteerd``, ``afgekeurd`` (er is een WMO408 met codes) of ``ongeldig``
    (geweigerd op niveau 0 of 1: geen WMO408). ``retourcodes`` zijn de verschillende codes in de WMO408
    behalve 0200, gesorteerd. Het retourbericht staat in ``wmo408``, of, als het is weggeschreven,
    in het bestand ``wmo408_pad``.
    """

    pad: Path
    uitkomst: str
    retourcodes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    wmo408: bytes | None = field(default=None, repr=False)
    wmo408_pad: Path | None = None

    @property
    def samenvatting(self) -> str:
        codes = ",".join(self.retourcodes) if self.retourcodes else "-"
        return f"{self.pad.name}: {self.uitkomst} {codes}"

    def regels(self) -> list[str]:
        """De samenvattingsregel gevolgd door de detailregels, ingesprongen met twee spaties."""
        return [self.samenvatting, *(_INSPRINGING + detail for detail in self.details)]


def identificatie_retour(dagtekening_retour: date, volgnummer: int) -> str:
    """Een IdentificatieRetour voor de batch: ``R`` + jjmmdd + volgnummer van vijf cijfers (12 tekens)."""
    if not 1 <= volgnummer <= _MAX_VOLGNUMMER:
        raise ValueError(f"Volgnummer {volgnummer} valt buiten 1 tot en met {_MAX_VOLGNUMMER}.")
    return f"R{dagtekening_retour:%y%m%d}{volgnummer:05d}"


def _lees(pad: Path) -> bytes:
    """Lees een bestand, maar nooit meer dan de transportgrens plus één byte."""
    with open(pad, "rb") as bestand:
        return bestand.read(MAX_BESTANDSGROOTTE + 1)


def _leesfout(fout: OSError) -> str:
    return f"Het bestand kan niet worden gelezen ({fout.strerror or fout}). Controleer de naam en de rechten."


def controleer_bestanden(
    paden: Sequence[Path],
    *,
    vandaag: date,
    cbs_codes: Collection[str],
    uitvoermap: Path | None = None,
) -> list[Bestandsuitkomst]:
    """Controleer de bestanden in de gegeven volgorde; met ``uitvoermap`` wordt elke WMO408 weggeschreven
    als ``<bestandsnaam zonder extensie>.wmo408.xml``."""
    paden = [Path(pad) for pad in paden]
    if uitvoermap is not None:
        stammen = [pad.stem for pad in paden]
        dubbel = sorted({stam for stam in stammen if stammen.count(stam) > 1})
        if dubbel:
            raise ValueError(
                "Meerdere bestanden hebben dezelfde naam zonder extensie, zodat hun WMO408 elkaar zou overschrijven: "
                + ", ".join(dubbel)
            )
        uitvoermap.mkdir(parents=True, exist_ok=True)
    cbs_codes = frozenset(cbs_codes)
    registers: dict[str, InMemoryRegister] = {}
    uitkomsten = []
    volgnummer = 0
    for pad in paden:
        try:
            data = _lees(pad)
        except OSError as fout:
            uitkomsten.append(Bestandsuitkomst(pad, ONGELDIG, details=[_leesfout(fout)]))
            continue
        bevinding = te_groot(pad.stat().st_size if len(data) > MAX_BESTANDSGROOTTE else len(data))
        if bevinding is not None:
            uitkomsten.append(Bestandsuitkomst(pad, ONGELDIG, details=[str(bevinding)]))
            continue
        controle = controleer_schema(controleer_transport(data))
        del data
        if not controle.ok:
            details = [str(b) for b in controle.bevindingen]
            if controle.niveau == 1:
                details.insert(0, controle.samenvatting)
            uitkomsten.append(Bestandsuitkomst(pad, ONGELDIG, details=details))
            continue

        bericht = controle.bericht
        assert bericht is not None, "een geslaagde schemacontrole heeft altijd een bericht"
        register = registers.setdefault(bericht.header.afzender, InMemoryRegister())
        beoordeling = beoordeel(bericht, vandaag=vandaag, cbs_codes=cbs_codes, register=register)
        register.reserveer(bericht.header.identificatie)
        if beoordeling.geaccepteerd:
            register.pas_toe(bericht)
        volgnummer += 1
        wmo408 = bouw_wmo408(
            bericht,
            beoordeling,
            identificatie_retour=identificatie_retour(vandaag, volgnummer),
            dagtekening_retour=vandaag,
        )
        uitkomst = Bestandsuitkomst(
            pad,
            GEACCEPTEERD if beoordeling.geaccepteerd else AFGEKEURD,
            retourcodes=beoordeling.retourcodes(),
            details=beoordeling.rapport(),
            wmo408=wmo408,
        )
        if uitvoermap is not None:
            uitkomst.wmo408_pad = uitvoermap / f"{pad.stem}.wmo408.xml"
            uitkomst.wmo408_pad.write_bytes(wmo408)
            uitkomst.wmo408 = None
            uitkomst.details.append(f"Het retourbericht (WMO408) is opgeslagen als {uitkomst.wmo408_pad}.")
        uitkomsten.append(uitkomst)
    return uitkomsten


def exit_code(uitkomsten: Sequence[Bestandsuitkomst]) -> int:
    """0 als alles geaccepteerd is, 1 als er een bestand is afgekeurd, 2 als er een bestand ongeldig is."""
    soorten = {uitkomst.uitkomst for uitkomst in uitkomsten}
    if ONGELDIG in soorten:
        return 2
    if AFGEKEURD in soorten:
        return 1
    return 0
