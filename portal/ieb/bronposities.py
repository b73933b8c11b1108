"""De plaats (regel en kolom) van elementen in de bytes van een XML-bestand.

libxml2 geeft bij een XSD-fout alleen een regelnummer, en bij een starttag die over meerdere regels
loopt de regel waarop die eindigt. Voor een melding aan de gebruiker zoeken we daarom de plaats van
het begin (``<``) van de starttag op. Elementen worden aangewezen met hun volgnummer in
documentvolgorde (het hoofdelement heeft 0). Dit wordt alleen gebruikt als er iets te melden is.

Het bestand is dan al door de transportcontrole gekomen: geen DTD, geen entiteiten, goedgevormd.
"""

from collections.abc import Collection
from xml.parsers import expat


class _Klaar(Exception):
    pass


def zoek_posities(data: bytes, volgnummers: Collection[int]) -> dict[int, tuple[int, int]]:
    """Geef voor elk gevraagd volgnummer ``(regel, kolom)`` van de starttag, beide vanaf 1."""
    gezocht = set(volgnummers)
    if not gezocht:
        return {}
    laatste = max(gezocht)
    posities: dict[int, tuple[int, int]] = {}
    parser = expat.ParserCreate()
    teller = -1

    def start(_naam: str, _attributen: dict[str, str]) -> None:
        nonlocal teller
        teller += 1
        if teller in gezocht:
            posities[teller] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            if teller >= laatste:
                raise _Klaar

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Klaar:
        pass
    except expat.ExpatError:
        pass
    return posities
