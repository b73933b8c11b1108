"""Vertaling van de meldingen van de XSD-controle (libxml2) naar Nederlandse uitleg.

De uitleg is geschreven voor een medewerker van de gemeente: welk element, wat er mis is en wat te
doen. Meldingen die hier niet herkend worden krijgen een algemene zin; de oorspronkelijke melding
gaat altijd mee in de bevinding.
"""

import re

from lxml.etree import QName

from portal.ieb.constants import (
    BERICHTCODE_WMO407,
    BERICHTSUBVERSIE,
    BERICHTVERSIE,
    IDENTIFICATIE_MAX_TEKENS,
)

_DATUM = "een datum schrijft u als jjjj-mm-dd, zonder tijd of tijdzone, bijvoorbeeld 2022-10-01"
_VERSIE = "een versie bestaat uit drie getallen met punten ertussen, bijvoorbeeld 2.0.0"

FORMAAT_PER_ELEMENT = {
    "BerichtCode": f"de berichtcode van een WMO407 is {BERICHTCODE_WMO407}",
    "BerichtVersie": f"de berichtversie is {BERICHTVERSIE}",
    "BerichtSubversie": f"de berichtsubversie is {BERICHTSUBVERSIE}",
    "Afzender": "de afzender is de CBS-gemeentecode van de gemeente: precies 4 cijfers, bijvoorbeeld 0363",
    "Identificatie": (
        f"de identificatie van het bericht bestaat uit 1 tot en met {IDENTIFICATIE_MAX_TEKENS} tekens "
        "en niet alleen uit spaties"
    ),
    "Dagtekening": _DATUM,
    "BasisschemaXsdVersie": _VERSIE,
    "BerichtXsdVersie": _VERSIE,
    "Bsn": "een BSN bestaat uit precies 9 cijfers",
    "BwStartNummer": "het BwStartNummer is een geheel getal van 0 tot en met 999999999",
    "BwStartdatum": _DATUM,
    "BwEinddatum": _DATUM,
    "StatusAanlevering": (
        "de StatusAanlevering is 1 (eerste aanlevering), 2 (gewijzigde aanlevering) of 3 (verwijderen aanlevering)"
    ),
}

_OPNIEUW = "en lever het bericht opnieuw aan."

_MELDING = re.compile(r"^Element '(?P<element>[^']*)'(?:, attribute '(?P<attribuut>[^']*)')?: (?P<rest>.*)$", re.S)
_ONVERWACHT = re.compile(r"This element is not expected\.(?: Expected is (?:one of )?\( (?P<verwacht>.*) \)\.)?")
_ONTBREEKT = re.compile(r"Missing child element\(s\)\.(?: Expected is (?:one of )?\( (?P<verwacht>.*) \)\.)?")
_PATROON = re.compile(
    r"\[facet 'pattern'\] The value '(?P<waarde>.*)' is not accepted by the pattern '(?P<patroon>.*)'\.", re.S
)
_KEUZE = re.compile(
    r"\[facet 'enumeration'\] The value '(?P<waarde>.*)' is not an element of the set \{(?P<set>.*)\}\.", re.S
)
_VAST = re.compile(
    r"The (?:actual )?value '(?P<waarde>.*)' does not match the fixed value constraint '(?P<vast>.*)'\.", re.S
)
_TYPE = re.compile(
    r"'(?P<waarde>.*)' is not a valid value of the (?:local )?(?:atomic|union|list) type '(?P<type>[^']*)'\.", re.S
)
_LENGTE = re.compile(
    r"\[facet '(?P<facet>minLength|maxLength|length)'\] The value has a length of '(?P<lengte>\d+)'; "
    r"this (?:underruns|exceeds|differs from) the allowed (?:minimum |maximum )?length of '(?P<grens>\d+)'\."
)
_BEREIK = re.compile(
    r"\[facet '(?P<facet>(?:min|max)(?:In|Ex)clusive)'\] The value '(?P<waarde>.*)' is (?:less|greater) than "
    r"(?:or equal to )?the (?:minimum|maximum) value allowed \('(?P<grens>.*)'\)\.",
    re.S,
)
_TEKST = re.compile(r"Character content other than whitespace is not allowed")
_KINDEREN = re.compile(r"Element content is not allowed, because the (?:type definition is simple|content type is)")
_ATTRIBUUT = re.compile(r"The attribute '(?P<attribuut>[^']*)' is not allowed\.")


def lokale_naam(tag: str) -> str:
    return QName(tag).localname if tag.startswith("{") else tag


def _namespace(tag: str) -> str | None:
    return QName(tag).namespace if tag.startswith("{") else None


def _opsomming(namen: list[str]) -> str:
    tekst = [f"'{naam}'" for naam in namen]
    if len(tekst) == 1:
        return tekst[0]
    return ", ".join(tekst[:-1]) + " of " + tekst[-1]


def _verwachte_tags(verwacht: str | None) -> list[str]:
    if not verwacht:
        return []
    return [deel.strip() for deel in verwacht.split(", ") if deel.strip()]


def plaats(element: str | None, regelnummer: int | None) -> str:
    """``Element 'Bsn' op regel 17``, of zonder regel als die niet bekend is."""
    tekst = f"Element '{element}'" if element else "Het bericht"
    if regelnummer is not None:
        tekst += f" op regel {regelnummer}"
    return tekst


def leeg_element(element: str, regelnummer: int | None) -> str:
    """De uitleg bij een leeg element (geen waarde en geen onderliggende elementen)."""
    uitleg = FORMAAT_PER_ELEMENT.get(element)
    tekst = f"{plaats(element, regelnummer)} is leeg. Een leeg element is niet toegestaan"
    tekst += f": {uitleg}. " if uitleg else ". "
    return tekst + "Vul de waarde in, of laat het element weg als het niet verplicht is, " + _OPNIEUW


def onverwerkbare_datum(element: str, regelnummer: int | None, waarde: str) -> str:
    """De uitleg bij een datum die de XSD toelaat maar het portaal niet kan verwerken (zoals jaar 10000)."""
    return (
        f"{plaats(element, regelnummer)}: de datum '{waarde}' kan niet worden verwerkt: gebruik een jaartal van "
        f"vier cijfers; {_DATUM}. Verbeter de datum " + _OPNIEUW
    )


def vertaal(melding: str, regelnummer: int | None) -> tuple[str | None, str]:
    """Vertaal één melding van de XSD-controle; geeft ``(lokale elementnaam, Nederlandse uitleg)``."""
    gevonden = _MELDING.match(melding.strip())
    if gevonden is None:
        return None, (
            "Het bericht voldoet niet aan het XSD-schema van de WMO407. Bekijk de melding van de controle, "
            "verbeter het bericht " + _OPNIEUW
        )
    tag = gevonden.group("element")
    naam = lokale_naam(tag)
    rest = gevonden.group("rest")
    waar = plaats(naam, regelnummer)
    uitleg = FORMAAT_PER_ELEMENT.get(naam)

    attribuut = gevonden.group("attribuut")
    attribuut_in_rest = _ATTRIBUUT.search(rest)
    if not attribuut and attribuut_in_rest:
        attribuut = attribuut_in_rest.group("attribuut")
    if attribuut is not None:
        return naam, (
            f"{waar} heeft het attribuut '{lokale_naam(attribuut)}', dat hier niet is toegestaan. "
            "Verwijder het attribuut " + _OPNIEUW
        )

    if m := _ONVERWACHT.search(rest):
        return naam, _onverwacht(tag, naam, waar, _verwachte_tags(m.group("verwacht")))

    if m := _ONTBREEKT.search(rest):
        verwacht = [lokale_naam(t) for t in _verwachte_tags(m.group("verwacht"))]
        tekst = f"{waar} is niet compleet: er ontbreekt een verplicht element."
        if verwacht:
            tekst += f" Op deze plaats verwacht het schema {_opsomming(verwacht)}."
        return naam, tekst + " Voeg het ontbrekende element toe " + _OPNIEUW

    if m := _PATROON.search(rest):
        if m.group("waarde") == "":
            return naam, leeg_element(naam, regelnummer)
        formaat = uitleg or f"de waarde moet voldoen aan het patroon {m.group('patroon')}"
        return naam, (
            f"{waar}: de waarde '{m.group('waarde')}' heeft niet het juiste formaat: {formaat}. "
            "Verbeter de waarde " + _OPNIEUW
        )

    if m := _KEUZE.search(rest):
        if m.group("waarde") == "":
            return naam, leeg_element(naam, regelnummer)
        keuze = uitleg or f"toegestaan zijn: {m.group('set')}"
        return naam, (
            f"{waar}: de waarde '{m.group('waarde')}' is niet toegestaan; {keuze}. Kies een toegestane waarde "
            + _OPNIEUW
        )

    if m := _VAST.search(rest):
        vast = m.group("vast")
        return naam, (
            f"{waar}: de waarde '{m.group('waarde')}' is niet toegestaan; dit element heeft altijd de waarde "
            f"'{vast}'. Vul '{vast}' in " + _OPNIEUW
        )

    if m := _TYPE.search(rest):
        waarde = m.group("waarde")
        if waarde.strip() == "":
            return naam, leeg_element(naam, regelnummer)
        soort = lokale_naam(m.group("type"))
        if "Datum" in soort or soort == "date":
            wat = "geen geldige datum"
        elif "Nummer" in soort or "Code" in soort or "Versie" in soort or soort == "integer":
            wat = "geen geldig geheel getal"
        else:
            wat = "geen geldige waarde"
        tekst = f"{waar}: '{waarde}' is {wat}"
        tekst += f": {uitleg}. " if uitleg else ". "
        return naam, tekst + "Verbeter de waarde " + _OPNIEUW

    if m := _LENGTE.search(rest):
        lengte, grens = int(m.group("lengte")), int(m.group("grens"))
        if lengte == 0:
            return naam, leeg_element(naam, regelnummer)
        if m.group("facet") == "maxLength":
            eis = f"mag hoogstens {grens} tekens lang zijn"
        elif m.group("facet") == "minLength":
            eis = f"moet minstens {grens} tekens lang zijn"
        else:
            eis = f"moet precies {grens} tekens lang zijn"
        tekst = f"{waar}: de waarde is {lengte} tekens lang, maar {eis}"
        tekst += f" ({uitleg}). " if uitleg else ". "
        return naam, tekst + "Pas de waarde aan " + _OPNIEUW

    if m := _BEREIK.search(rest):
        richting = "klein" if m.group("facet").startswith("min") else "groot"
        tekst = f"{waar}: de waarde '{m.group('waarde')}' is te {richting}"
        tekst += f": {uitleg}. " if uitleg else f" (grens: {m.group('grens')}). "
        return naam, tekst + "Verbeter de waarde " + _OPNIEUW

    if _TEKST.search(rest):
        return naam, (
            f"{waar} bevat tekst, maar mag alleen andere elementen bevatten. Verwijder de tekst tussen de "
            "elementen " + _OPNIEUW
        )

    if _KINDEREN.search(rest):
        tekst = f"{waar} bevat andere elementen, maar mag alleen een waarde bevatten"
        tekst += f" ({uitleg}). " if uitleg else ". "
        return naam, tekst + "Vervang de elementen door de waarde " + _OPNIEUW

    return naam, (
        f"{waar} voldoet niet aan het XSD-schema van de WMO407. Bekijk de melding van de controle, verbeter "
        "het element " + _OPNIEUW
    )


def _onverwacht(tag: str, naam: str, waar: str, verwacht: list[str]) -> str:
    namespace = _namespace(tag)
    for verwachte_tag in verwacht:
        if lokale_naam(verwachte_tag) == naam and _namespace(verwachte_tag) != namespace:
            juiste = _namespace(verwachte_tag) or "geen namespace"
            huidige = namespace or "geen namespace"
            return (
                f"{waar} staat in de verkeerde namespace ({huidige}). Op deze plaats hoort '{naam}' uit de "
                f"namespace {juiste}. Zet het element in de juiste namespace (let op het voorvoegsel, zoals "
                "ieb: of wmo407:) " + _OPNIEUW
            )
    if verwacht:
        return (
            f"{waar} hoort hier niet. Op deze plaats verwacht het schema "
            f"{_opsomming([lokale_naam(t) for t in verwacht])}. Controleer de naam en de volgorde van de "
            "elementen " + _OPNIEUW
        )
    return (
        f"{waar} hoort hier niet: op deze plaats mag geen element meer staan. Verwijder het element of zet het "
        "op de juiste plaats, " + _OPNIEUW
    )
