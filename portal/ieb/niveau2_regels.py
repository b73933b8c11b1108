"""De regels van niveau 2: alles wat binnen het bericht zelf te controleren is.

Elke overtreding geeft retourcode 0001; de WMO408 bevat dan alleen de Header. De meldingen noemen
de regel, het element en de regel in het bestand, voor het eigen rapport van het portaal.
"""

from collections.abc import Callable

from portal.ieb.bericht import Wmo407Bericht
from portal.ieb.constants import GEACCEPTEERDE_XSD_VERSIE, GEACCEPTEERDE_XSD_VERSIE_TEKST
from portal.ieb.melding import Melding, bij_regel, datum_tekst
from portal.ieb.retourcodes import TECHNISCH_AFGEKEURD

_OPNIEUW = "en lever het bericht opnieuw aan met een nieuwe Identificatie."


def voldoet_aan_elfproef(bsn: str) -> bool:
    """De elfproef voor een BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is deelbaar door 11, en niet 000000000."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit() or bsn == "000000000":
        return False
    cijfers = [int(teken) for teken in bsn]
    som = sum(gewicht * cijfer for gewicht, cijfer in zip(range(9, 1, -1), cijfers[:8])) - cijfers[8]
    return som % 11 == 0


def cs002_bsn_voldoet_aan_elfproef(bericht: Wmo407Bericht) -> list[Melding]:
    return [
        Melding(
            TECHNISCH_AFGEKEURD,
            "CS002",
            "Bsn",
            f"Het BSN {client.bsn} van de cliënt{bij_regel(client.regelnummer)} is geen geldig burgerservicenummer: "
            "het voldoet niet aan de elfproef. Controleer het BSN in uw administratie, verbeter het " + _OPNIEUW,
            client.regelnummer,
        )
        for client in bericht.clients
        if not voldoet_aan_elfproef(client.bsn)
    ]


def cs003_einddatum_niet_voor_startdatum(bericht: Wmo407Bericht) -> list[Melding]:
    return [
        Melding(
            TECHNISCH_AFGEKEURD,
            "CS003",
            "BwEinddatum",
            f"De BwEinddatum {datum_tekst(periode.bw_einddatum)} van de periode met BwStartNummer "
            f"{periode.bw_startnummer}{bij_regel(periode.regelnummer)} ligt vóór de BwStartdatum "
            f"{datum_tekst(periode.bw_startdatum)}. Verbeter de einddatum of de startdatum " + _OPNIEUW,
            periode.regelnummer,
        )
        for _, _, _, periode in bericht.perioden()
        if periode.bw_einddatum is not None and periode.bw_einddatum < periode.bw_startdatum
    ]


def im001_bw_startnummer_eenmaal_in_bericht(bericht: Wmo407Bericht) -> list[Melding]:
    eerste: dict[int, int | None] = {}
    meldingen = []
    for _, _, _, periode in bericht.perioden():
        if periode.bw_startnummer not in eerste:
            eerste[periode.bw_startnummer] = periode.regelnummer
            continue
        meldingen.append(
            Melding(
                TECHNISCH_AFGEKEURD,
                "IM001",
                "BwStartNummer",
                f"BwStartNummer {periode.bw_startnummer}{bij_regel(periode.regelnummer)} komt in dit bericht al "
                f"eerder voor{bij_regel(eerste[periode.bw_startnummer])}. Een BwStartNummer mag maar één keer in "
                "een bericht staan. Geef elke periode een eigen BwStartNummer, of stuur een wijziging van dezelfde "
                "periode in een volgend bericht, " + _OPNIEUW,
                periode.regelnummer,
            )
        )
    return meldingen


def im002_bsn_in_een_client(bericht: Wmo407Bericht) -> list[Melding]:
    eerste: dict[str, int | None] = {}
    meldingen = []
    for client in bericht.clients:
        if client.bsn not in eerste:
            eerste[client.bsn] = client.regelnummer
            continue
        meldingen.append(
            Melding(
                TECHNISCH_AFGEKEURD,
                "IM002",
                "Bsn",
                f"Het BSN {client.bsn} van de cliënt{bij_regel(client.regelnummer)} staat in dit bericht ook al bij "
                f"een eerdere cliënt{bij_regel(eerste[client.bsn])}. Zet alle perioden van één cliënt in één "
                "Client-element " + _OPNIEUW,
                client.regelnummer,
            )
        )
    return meldingen


def im003_xsd_versie_geaccepteerd(bericht: Wmo407Bericht) -> list[Melding]:
    header = bericht.header
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


NIVEAU2_REGELS: tuple[Callable[[Wmo407Bericht], list[Melding]], ...] = (
    cs002_bsn_voldoet_aan_elfproef,
    cs003_einddatum_niet_voor_startdatum,
    im001_bw_startnummer_eenmaal_in_bericht,
    im002_bsn_in_een_client,
    im003_xsd_versie_geaccepteerd,
)
