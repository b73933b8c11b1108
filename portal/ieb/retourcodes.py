"""De retourcodes van iEb 2.0 met hun Nederlandse omschrijving (ieb-2.0.md, sectie 6).

De lijst van codes staat ook als enumeratie van ``LDT_RetourCode`` in ``schemas/basisschema.xsd``;
een test bewaakt dat beide gelijk zijn.
"""

from types import MappingProxyType

TECHNISCH_AFGEKEURD = "0001"
GEEN_OPMERKING = "0200"
NIET_BEOORDEELD = "0233"
DAGTEKENING_NA_HUIDIGE_DATUM = "8848"
IDENTIFICATIE_NIET_UNIEK = "9056"
VERWIJDEREN_ZONDER_AANLEVERING = "9063"
WIJZIGEN_ZONDER_AANLEVERING = "9103"
AANLEVERING_AL_VERWIJDERD = "9104"
STARTDATUM_TE_OUD = "9395"
PERIODE_OVERLAPT = "9400"
BW_STARTNUMMER_BESTAAT_AL = "9404"
AFZENDER_ONGELDIG = "S300"

RETOURCODES = MappingProxyType(
    {
        TECHNISCH_AFGEKEURD: "Bericht is afgekeurd om technische redenen",
        GEEN_OPMERKING: "Geen opmerking",
        NIET_BEOORDEELD: "Berichtklasse niet beoordeeld",
        DAGTEKENING_NA_HUIDIGE_DATUM: "Dagtekening ligt na de huidige datum",
        IDENTIFICATIE_NIET_UNIEK: "Identificatie van het bericht is niet uniek voor deze afzender",
        VERWIJDEREN_ZONDER_AANLEVERING: "Verwijderen zonder eerdere aanlevering met hetzelfde BwStartNummer",
        WIJZIGEN_ZONDER_AANLEVERING: "Wijzigen zonder eerdere aanlevering met hetzelfde BwStartNummer",
        AANLEVERING_AL_VERWIJDERD: "Een verwijderde aanlevering kan niet gewijzigd of opnieuw verwijderd worden",
        STARTDATUM_TE_OUD: "BwStartdatum ligt meer dan 36 maanden voor de dagtekening",
        PERIODE_OVERLAPT: "Periode beschermd wonen overlapt een andere periode van dezelfde cliënt",
        BW_STARTNUMMER_BESTAAT_AL: "Er bestaat al een aanlevering met dit BwStartNummer",
        AFZENDER_ONGELDIG: "Afzender is geen geldige gemeentecode",
    }
)


# De codes die alleen de Header draagt (ieb-2.0.md, sectie 4); 0001 keurt bij niveau 2 het hele bericht af.
HEADER_RETOURCODES = frozenset({TECHNISCH_AFGEKEURD, AFZENDER_ONGELDIG, DAGTEKENING_NA_HUIDIGE_DATUM,
                                IDENTIFICATIE_NIET_UNIEK})


def omschrijving(code: str) -> str:
    """De Nederlandse omschrijving van een retourcode; een onbekende code geeft KeyError."""
    return RETOURCODES[code]
