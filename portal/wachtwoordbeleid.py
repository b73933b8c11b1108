"""The password policy: what a new password must be, checked wherever a password is set.

Pure core: no Flask, no database. `controleer` answers every rule that a password breaks, as Dutch sentences that
say what is wrong and what to do, so a form can show them all at once.

The rules: at least MIN_LENGTE characters (the length does the real work; a sentence of a few words is long
and easy to remember), not one of the common passwords in `data/veelgebruikte_wachtwoorden.txt`, and not the
e-mail address or the part before the '@'.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MIN_LENGTE = 12
MAX_LENGTE = 200
LIJST = Path(__file__).parent / "data" / "veelgebruikte_wachtwoorden.txt"

TE_KORT = (f"Het wachtwoord is te kort: gebruik minstens {MIN_LENGTE} tekens. Een zin van een paar woorden is lang "
           "en goed te onthouden.")
TE_LANG = f"Het wachtwoord is te lang: gebruik hoogstens {MAX_LENGTE} tekens."
VEELGEBRUIKT = ("Dit wachtwoord komt voor op de lijst van veelgebruikte wachtwoorden en is daardoor snel te raden. "
                "Kies een ander wachtwoord, bijvoorbeeld een zin van een paar woorden die alleen u kent.")
IS_EMAIL = ("Het wachtwoord is (een deel van) uw e-mailadres en dus makkelijk te raden. Kies een wachtwoord dat "
            "niet op uw e-mailadres lijkt.")


def _normaal(tekst: str) -> str:
    return "".join(tekst.split()).casefold()


@lru_cache(maxsize=1)
def veelgebruikte_wachtwoorden() -> frozenset[str]:
    """The common passwords, compared without case and spaces; lines starting with '#' are comments."""
    regels = LIJST.read_text(encoding="utf-8").splitlines()
    return frozenset(_normaal(regel) for regel in regels if regel.strip() and not regel.startswith("#"))


def controleer(wachtwoord: str, email: str = "") -> list[str]:
    """Every rule the password breaks (empty: the password may be used). `email` is the account's address."""
    fouten: list[str] = []
    if len(wachtwoord) < MIN_LENGTE:
        fouten.append(TE_KORT)
    elif len(wachtwoord) > MAX_LENGTE:
        fouten.append(TE_LANG)
    normaal = _normaal(wachtwoord)
    if normaal in veelgebruikte_wachtwoorden():
        fouten.append(VEELGEBRUIKT)
    adres = _normaal(email)
    lokaal = adres.split("@", 1)[0]
    if adres and normaal and (normaal == adres or (len(lokaal) >= 3 and normaal == lokaal)
                              or (len(lokaal) >= 6 and lokaal in normaal and len(normaal) - len(lokaal) <= 4)):
        fouten.append(IS_EMAIL)
    return fouten
