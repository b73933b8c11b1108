"""De retourcodes van iEb 2.0 met hun Nederlandse omschrijving (ieb-2.0.md, sectie 6), en per code wat
de gemeente (of haar softwareleverancier) dan doet.

De lijst van codes staat ook als enumeratie van ``LDT_RetourCode`` in ``schemas/basisschema.xsd``;
een test bewaakt dat beide gelijk zijn. ``WAT_TE_DOEN`` is de ene plek voor het advies per code: de
helppagina toont het, en elk scherm dat een retourcode uitlegt, haalt het hier.
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


ALGEMEEN_ADVIES = (
    "Eén retourcode anders dan 0200 keurt het hele bericht af: er wordt dan niets geregistreerd, ook niet "
    "de cliënten zonder opmerking. Herstel wat de codes zeggen en stuur het hele bericht opnieuw, met een "
    "nieuwe berichtidentificatie: een identificatie die al bij het CAK is gebruikt, geeft 9056."
)
"""Wat voor elk afgekeurd bericht geldt, welke codes het ook heeft."""

WAT_TE_DOEN = MappingProxyType(
    {
        TECHNISCH_AFGEKEURD:
            "Het bericht breekt een regel binnen het bericht zelf, bijvoorbeeld een BSN dat niet door de elfproef "
            "komt, een BwEinddatum vóór de BwStartdatum, of een BSN of BwStartNummer dat twee keer in het bericht "
            "staat. Het portaal noemt bij het bericht welke regel en welk element. Herstel dat in uw systeem en "
            "stuur het hele bericht opnieuw, met een nieuwe berichtidentificatie.",
        GEEN_OPMERKING:
            "Niets: dit deel van het bericht is goed. Staat er elders in hetzelfde bericht een andere code, "
            "dan is het hele bericht toch afgekeurd; herstel dan dat deel en stuur het hele bericht opnieuw.",
        NIET_BEOORDEELD:
            "Dit deel van het bericht is niet beoordeeld, omdat een ander deel het bericht al afkeurde. "
            "Herstel eerst wat de andere retourcodes zeggen; bij het opnieuw sturen wordt dit deel alsnog "
            "beoordeeld.",
        DAGTEKENING_NA_HUIDIGE_DATUM:
            "De dagtekening van het bericht ligt na vandaag. Zet de dagtekening op de dag van verzenden (of "
            "eerder) en stuur het bericht opnieuw met een nieuwe berichtidentificatie. In de ketentest geldt "
            "de datum van de virtuele klok, die bovenaan elke pagina staat.",
        IDENTIFICATIE_NIET_UNIEK:
            "Uw gemeente heeft deze berichtidentificatie al eens gebruikt voor een WMO407. Stuurde u hetzelfde "
            "bestand nog een keer, dan is het eerste al verwerkt en hoeft u niets te doen: de uitkomst staat bij "
            "Retourberichten. Is het een nieuw bericht, geef het dan een nieuwe, unieke identificatie en stuur "
            "het opnieuw.",
        VERWIJDEREN_ZONDER_AANLEVERING:
            "U verwijdert (StatusAanlevering 3) een periode met een BwStartNummer dat het CAK niet van uw "
            "gemeente heeft. Controleer het BwStartNummer: het moet het nummer zijn van de periode die u eerder "
            "aanleverde. Is de periode nooit aangeleverd, dan valt er niets te verwijderen: laat haar weg.",
        WIJZIGEN_ZONDER_AANLEVERING:
            "U wijzigt (StatusAanlevering 2) een periode met een BwStartNummer dat het CAK niet van uw "
            "gemeente heeft. Controleer het BwStartNummer; is de periode nog niet aangeleverd, lever haar dan "
            "aan als nieuwe periode (StatusAanlevering 1).",
        AANLEVERING_AL_VERWIJDERD:
            "De periode met dit BwStartNummer is al verwijderd en kan niet meer gewijzigd of verwijderd worden. "
            "Moet de periode toch geregistreerd worden, lever haar dan aan als nieuwe periode "
            "(StatusAanlevering 1) met een nieuw BwStartNummer.",
        STARTDATUM_TE_OUD:
            "De BwStartdatum ligt meer dan 36 maanden vóór de dagtekening; zo'n periode kan niet via iEb "
            "worden aangeleverd. Controleer de BwStartdatum: bij de migratie krijgt elke cliënt de vaste "
            "migratiedatum als BwStartdatum. Gaat het echt om zorg van langer geleden, neem dan contact op met "
            "de servicedesk van het CAK.",
        PERIODE_OVERLAPT:
            "De cliënt heeft bij uw gemeente al een andere periode die deze periode overlapt, uit een eerder "
            "bericht of uit hetzelfde bericht. Een periode zonder BwEinddatum loopt door. Beëindig de oude "
            "periode (StatusAanlevering 2 met een BwEinddatum) of verwijder haar (StatusAanlevering 3), of pas "
            "de data aan, zodat de perioden elkaar niet overlappen; stuur daarna het bericht opnieuw.",
        BW_STARTNUMMER_BESTAAT_AL:
            "Dit BwStartNummer is al eens gebruikt door uw gemeente, ook als die periode later is verwijderd. "
            "Geef een nieuwe periode een nieuw BwStartNummer. Wilt u de bestaande periode aanpassen, stuur "
            "haar dan met StatusAanlevering 2 (wijzigen).",
        AFZENDER_ONGELDIG:
            "De afzender in de header is geen gemeentecode uit de CBS-lijst. Vul de viercijferige "
            "CBS-gemeentecode van uw gemeente in, met de voorloopnul (bijvoorbeeld 0363 voor Amsterdam), en "
            "stuur het bericht opnieuw.",
    }
)
"""Per retourcode wat de gemeente of haar softwareleverancier eraan doet."""

# De codes die alleen de Header draagt (ieb-2.0.md, sectie 4); 0001 keurt bij niveau 2 het hele bericht af.
HEADER_RETOURCODES = frozenset({TECHNISCH_AFGEKEURD, AFZENDER_ONGELDIG, DAGTEKENING_NA_HUIDIGE_DATUM,
                                IDENTIFICATIE_NIET_UNIEK})


def omschrijving(code: str) -> str:
    """De Nederlandse omschrijving van een retourcode; een onbekende code geeft KeyError."""
    return RETOURCODES[code]


def wat_te_doen(code: str) -> str:
    """Wat de gemeente doet bij een retourcode; een onbekende code geeft KeyError."""
    return WAT_TE_DOEN[code]
