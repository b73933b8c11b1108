"""De regels van niveau 2: alles wat binnen het bericht zelf te controleren is.

Elke overtreding geeft retourcode 0001; de WMO408 bevat dan alleen de Header. De meldingen noemen
de regel, het element en de regel in het bestand, voor het eigen rapport van het portaal.

Elke regel is één functie, genoemd naar haar regel, over één Client, één periode of de Header.
``niveau2_meldingen`` loopt het bericht één keer door en roept ze per Client en per periode aan; de
meldingen staan per regel bij elkaar, in de volgorde van ``NIVEAU2_REGELS`` en daarbinnen in de
volgorde van het bericht.
"""

from portal.bsn import voldoet_aan_elfproef
from portal.ieb.bericht import Client, Header, Periode, Wmo407Bericht
from portal.ieb.constants import GEACCEPTEERDE_XSD_VERSIE, GEACCEPTEERDE_XSD_VERSIE_TEKST
from portal.ieb.melding import Melding, bij_regel, datum_tekst
from portal.ieb.retourcodes import TECHNISCH_AFGEKEURD

_OPNIEUW = "en lever het bericht opnieuw aan met een nieuwe Identificatie."


def cs002_bsn_voldoet_aan_elfproef(client: Client) -> Melding | None:
    if voldoet_aan_elfproef(client.bsn):
        return None
    return Melding(
        TECHNISCH_AFGEKEURD,
        "CS002",
        "Bsn",
        f"Het BSN {client.bsn} van de cliënt{bij_regel(client.regelnummer)} is geen geldig burgerservicenummer: "
        "het voldoet niet aan de elfproef. Controleer het BSN in uw administratie, verbeter het " + _OPNIEUW,
        client.regelnummer,
        bsn=client.bsn,
    )


def cs003_einddatum_niet_voor_startdatum(client: Client, periode: Periode) -> Melding | None:
    if periode.bw_einddatum is None or periode.bw_einddatum >= periode.bw_startdatum:
        return None
    return Melding(
        TECHNISCH_AFGEKEURD,
        "CS003",
        "BwEinddatum",
        f"De BwEinddatum {datum_tekst(periode.bw_einddatum)} van de periode met BwStartNummer "
        f"{periode.bw_startnummer}{bij_regel(periode.regelnummer)} ligt vóór de BwStartdatum "
        f"{datum_tekst(periode.bw_startdatum)}. Verbeter de einddatum of de startdatum " + _OPNIEUW,
        periode.regelnummer,
        bsn=client.bsn,
        bw_startnummer=periode.bw_startnummer,
    )


def im001_bw_startnummer_eenmaal_in_bericht(
    client: Client, periode: Periode, eerder: dict[int, int | None]
) -> Melding | None:
    """``eerder``: per BwStartNummer de regel waarop het eerst voorkwam; de regel vult dit zelf bij."""
    if periode.bw_startnummer not in eerder:
        eerder[periode.bw_startnummer] = periode.regelnummer
        return None
    return Melding(
        TECHNISCH_AFGEKEURD,
        "IM001",
        "BwStartNummer",
        f"BwStartNummer {periode.bw_startnummer}{bij_regel(periode.regelnummer)} komt in dit bericht al "
        f"eerder voor{bij_regel(eerder[periode.bw_startnummer])}. Een BwStartNummer mag maar één keer in "
        "een bericht staan. Geef elke periode een eigen BwStartNummer, of stuur een wijziging van dezelfde "
        "periode in een volgend bericht, " + _OPNIEUW,
        periode.regelnummer,
        bsn=client.bsn,
        bw_startnummer=periode.bw_startnummer,
    )


def im002_bsn_in_een_client(client: Client, eerder: dict[str, int | None]) -> Melding | None:
    """``eerder``: per BSN de regel van de eerste Client ermee; de regel vult dit zelf bij."""
    if client.bsn not in eerder:
        eerder[client.bsn] = client.regelnummer
        return None
    return Melding(
        TECHNISCH_AFGEKEURD,
        "IM002",
        "Bsn",
        f"Het BSN {client.bsn} van de cliënt{bij_regel(client.regelnummer)} staat in dit bericht ook al bij "
        f"een eerdere cliënt{bij_regel(eerder[client.bsn])}. Zet alle perioden van één cliënt in één "
        "Client-element " + _OPNIEUW,
        client.regelnummer,
        bsn=client.bsn,
    )


def im003_xsd_versie_geaccepteerd(header: Header) -> list[Melding]:
    meldingen = []
    for element, versie in (
        ("BasisschemaXsdVersie", header.basisschema_xsd_versie),
        ("BerichtXsdVersie", header.bericht_xsd_versie),
    ):
        if GEACCEPTEERDE_XSD_VERSIE.fullmatch(versie) is None:
            meldingen.append(
                Melding(
                    TECHNISCH_AFGEKEURD,
                    "IM003",
                    element,
                    f"De {element} in de header{bij_regel(header.regelnummer)} is {versie}; het portaal accepteert "
                    f"alleen versie {GEACCEPTEERDE_XSD_VERSIE_TEKST}. Maak het bericht volgens de iEb-schema's "
                    f"{GEACCEPTEERDE_XSD_VERSIE_TEKST} " + _OPNIEUW,
                    header.regelnummer,
                )
            )
    return meldingen


# Per regel één uitleg voor al haar meldingen samen, voor wie ze gegroepeerd ziet (``meldingsgroepen``); de
# lijst van BSN's en BwStartNummers staat erbij. IM003 gaat over de header en houdt haar eigen melding.
GROEPSUITLEG = {
    "CS002": "Deze BSN's voldoen niet aan de elfproef en zijn dus geen geldig burgerservicenummer. Controleer ze in "
    "uw administratie en verbeter ze.",
    "CS003": "Bij deze perioden ligt de BwEinddatum vóór de BwStartdatum. Verbeter de einddatum of de startdatum.",
    "IM001": "Deze BwStartNummers staan meer dan eens in het bericht, terwijl een BwStartNummer maar één keer in een "
    "bericht mag staan. Geef elke periode een eigen BwStartNummer, of stuur een wijziging van dezelfde periode in "
    "een volgend bericht.",
    "IM002": "Deze BSN's staan bij meer dan één Client in het bericht. Zet alle perioden van één cliënt in één "
    "Client-element.",
}

# De regels van niveau 2, in de volgorde waarin hun meldingen in het rapport staan.
NIVEAU2_REGELS = (
    cs002_bsn_voldoet_aan_elfproef,
    cs003_einddatum_niet_voor_startdatum,
    im001_bw_startnummer_eenmaal_in_bericht,
    im002_bsn_in_een_client,
    im003_xsd_versie_geaccepteerd,
)


def niveau2_meldingen(bericht: Wmo407Bericht) -> list[Melding]:
    """Alle meldingen van niveau 2, in één doorgang door het bericht; leeg als het bericht alle regels haalt."""
    per_regel: dict[object, list[Melding]] = {regel: [] for regel in NIVEAU2_REGELS}
    cs002, cs003 = per_regel[cs002_bsn_voldoet_aan_elfproef], per_regel[cs003_einddatum_niet_voor_startdatum]
    im001, im002 = per_regel[im001_bw_startnummer_eenmaal_in_bericht], per_regel[im002_bsn_in_een_client]
    bw_startnummers: dict[int, int | None] = {}
    bsns: dict[str, int | None] = {}
    for client in bericht.clients:
        if (melding := cs002_bsn_voldoet_aan_elfproef(client)) is not None:
            cs002.append(melding)
        if (melding := im002_bsn_in_een_client(client, bsns)) is not None:
            im002.append(melding)
        for periode in client.perioden:
            if (melding := cs003_einddatum_niet_voor_startdatum(client, periode)) is not None:
                cs003.append(melding)
            if (melding := im001_bw_startnummer_eenmaal_in_bericht(client, periode, bw_startnummers)) is not None:
                im001.append(melding)
    per_regel[im003_xsd_versie_geaccepteerd].extend(im003_xsd_versie_geaccepteerd(bericht.header))
    return [melding for regel in NIVEAU2_REGELS for melding in per_regel[regel]]
