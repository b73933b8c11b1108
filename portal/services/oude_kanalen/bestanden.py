"""The two file intakes of the old channels: the start/stop sheet (``EXCEL``) and the 60-record (``RECORD60``).

Each file is stored first, read by its core reader (every problem per row and column, or per line and
position, at once), then checked and applied all or nothing by ``intake.verwerk``.
"""
from __future__ import annotations

from portal.models import Gemeente, Ontvangst
from portal.record60 import POSITIES, lees_record60
from portal.services.audit import Actor
from portal.services.kanalen import Kanaalsoort
from portal.services.oude_kanalen import intake
from portal.services.oude_kanalen.intake import Intakeuitkomst
from portal.spreadsheets.mutatielijst import read_mutaties
from portal.spreadsheets.mutaties import LAYOUT

_EXCEL_PLAATS = {column.field: f"{LAYOUT.letter(column.name)} ({column.name})" for column in LAYOUT.columns}
_RECORD60_PLAATS = {veld: f"{p.tekst} ({p.naam})" for veld, p in POSITIES.items()}


def ontvang_excel(actor: Actor, code: str, bestandsnaam: str, inhoud: bytes, via: str = "web") -> Intakeuitkomst:
    """An uploaded start/stop sheet: stored first, every row checked, applied all or nothing."""
    gemeente, ontvangst, uitkomst = intake.begin(actor, code, Kanaalsoort.EXCEL, bestandsnaam, inhoud, via)
    return verwerk_excel(actor, gemeente, ontvangst, inhoud, uitkomst)


def verwerk_excel(actor: Actor, gemeente: Gemeente, ontvangst: Ontvangst, inhoud: bytes,
                  uitkomst: Intakeuitkomst | None = None) -> Intakeuitkomst:
    """Process a stored upload (just received, or left unprocessed by a worker that died)."""
    uitkomst = uitkomst or intake.nieuwe_uitkomst(actor, Kanaalsoort.EXCEL, ontvangst)
    if not intake.mag_indienen(actor.user):
        return intake.weiger_rol(ontvangst, uitkomst)
    resultaat = read_mutaties(inhoud, gemeentecodes=intake.gemeenten_voor_codes(gemeente))
    problemen = [intake.probleem(p.rij, f"{p.kolom} ({p.kolomnaam})" if p.kolom else None,
                                 p.kolomnaam.lower() if p.kolomnaam else None, p.melding)
                 for p in resultaat.problemen]
    return intake.verwerk(actor, gemeente, Kanaalsoort.EXCEL, ontvangst, uitkomst, resultaat.mutaties, problemen,
                          _EXCEL_PLAATS, "Het bestand",
                          "Herstel de punten hieronder in het bestand en upload het opnieuw.")


def ontvang_record60(actor: Actor, code: str, bestandsnaam: str, inhoud: bytes, via: str = "web") -> Intakeuitkomst:
    """An uploaded 60-record file: stored first, every line checked, applied all or nothing."""
    gemeente, ontvangst, uitkomst = intake.begin(actor, code, Kanaalsoort.RECORD60, bestandsnaam, inhoud, via)
    return verwerk_record60(actor, gemeente, ontvangst, inhoud, uitkomst)


def verwerk_record60(actor: Actor, gemeente: Gemeente, ontvangst: Ontvangst, inhoud: bytes,
                     uitkomst: Intakeuitkomst | None = None) -> Intakeuitkomst:
    """Process a stored upload (just received, or left unprocessed by a worker that died)."""
    uitkomst = uitkomst or intake.nieuwe_uitkomst(actor, Kanaalsoort.RECORD60, ontvangst)
    if not intake.mag_indienen(actor.user):
        return intake.weiger_rol(ontvangst, uitkomst)
    resultaat = lees_record60(inhoud, gemeentecodes=intake.gemeenten_voor_codes(gemeente))
    problemen = [intake.probleem(p.regel, f"{p.posities} ({p.veld})" if p.posities else None, None, p.melding)
                 for p in resultaat.problemen]
    return intake.verwerk(actor, gemeente, Kanaalsoort.RECORD60, ontvangst, uitkomst, resultaat.mutaties,
                          problemen, _RECORD60_PLAATS, "Het bestand",
                          "Herstel de regels hieronder in het bestand en upload het opnieuw.")
