"""De testbestanden van de ketentest-kit: een set WMO407-berichten voor één gemeente, elk met zijn belofte.

Eén bestand is geldig; elk ander breekt precies één regel van niveau 2 of 3 (en krijgt dus precies die
retourcode), en één is schema-ongeldig (niveau 1). De set hangt af van de stand van de gemeente: de
service geeft BSN's zonder registratie, vrije BwStartNummers en een vrije reeks voor de Identificaties.

Volgorde: eerst het geldige bestand (dat registreert één periode); de andere bestanden rekenen op die
registratie (TR404, TR400) of op die Identificatie (TR056), en registreren zelf niets, dus daarna mag
elke volgorde. Elk bestand één keer sturen: een tweede keer is de Identificatie al gebruikt (9056).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from portal.bsn import voldoet_aan_elfproef
from portal.ieb.bericht import Client, Periode, Wmo407Bericht
from portal.ieb.constants import TR395_MAANDEN
from portal.ieb.niveau3_regels import maanden_terug
from portal.ieb.retourcodes import (
    BW_STARTNUMMER_BESTAAT_AL,
    DAGTEKENING_NA_HUIDIGE_DATUM,
    IDENTIFICATIE_NIET_UNIEK,
    PERIODE_OVERLAPT,
    STARTDATUM_TE_OUD,
    TECHNISCH_AFGEKEURD,
    VERWIJDEREN_ZONDER_AANLEVERING,
    WIJZIGEN_ZONDER_AANLEVERING,
)
from portal.ieb.wmo407_schrijven import wmo407_bytes

GEACCEPTEERD = "geaccepteerd"
AFGEKEURD = "afgekeurd"
ONGELDIG = "ongeldig"


@dataclass(frozen=True)
class Testbestand:
    """Eén bestand van de set en zijn belofte: de uitkomst en de retourcodes die het moet krijgen."""

    volgnummer: int
    sleutel: str                 # GELDIG, SCHEMA, of de regel (CS002, TR404, ...)
    bestandsnaam: str
    identificatie: str
    omschrijving: str
    uitkomst: str                # geaccepteerd, afgekeurd, ongeldig
    retourcodes: tuple[str, ...]
    voorwaarde: str
    inhoud: bytes


@dataclass(frozen=True)
class Uitgangspunt:
    """Wat de set nodig heeft van de stand van de gemeente."""

    afzender: str                # gemeentecode
    bestandsprefix: str
    reeks: int                   # vrije reeks voor de Identificaties (1..999)
    dagtekening: date            # vandaag volgens de klok van het portaal
    migratiedatum: date
    bsn_geldig: str              # een BSN van de gemeente zonder registratie: wordt geregistreerd
    bsn_ander: str               # een tweede BSN zonder registratie: wordt nooit geregistreerd
    nummers: tuple[int, int]     # twee vrije BwStartNummers


def identificatie(afzender: str, reeks: int, volgnummer: int) -> str:
    """KT + gemeentecode + reeks (3 cijfers) + volgnummer (2 cijfers): 11 tekens, binnen de 12 van iEb."""
    return f"KT{afzender}{reeks:03d}{volgnummer:02d}"


def reeksvoorvoegsel(afzender: str, reeks: int) -> str:
    return f"KT{afzender}{reeks:03d}"


def ongeldig_bsn(bsn: str) -> str:
    """Hetzelfde BSN met een ander laatste cijfer, zodat het niet door de elfproef komt."""
    for cijfer in "0123456789":
        kandidaat = bsn[:-1] + cijfer
        if not voldoet_aan_elfproef(kandidaat):
            return kandidaat
    raise ValueError(bsn)  # pragma: no cover - elk BSN heeft een laatste cijfer dat de elfproef breekt


def _periode(nummer: int, start: date, einde: date | None = None, status: int = 1) -> Periode:
    return Periode(bw_startnummer=nummer, bw_startdatum=start, bw_einddatum=einde, status_aanlevering=status)


def _client(bsn: str, *perioden: Periode) -> Client:
    return Client(bsn=bsn, perioden=tuple(perioden))


def _schema_ongeldig(inhoud: bytes) -> bytes:
    """Een StatusAanlevering 7 bestaat niet: het schema staat alleen 1, 2 en 3 toe (niveau 1)."""
    begin = inhoud.index(b"StatusAanlevering>") + len(b"StatusAanlevering>")
    return inhoud[:begin] + b"7" + inhoud[begin + 1:]


def maak_testset(u: Uitgangspunt) -> list[Testbestand]:
    """De set testbestanden in de volgorde waarin ze verstuurd worden; zie de moduletekst."""
    n0, n1 = u.nummers
    mig = u.migratiedatum
    v, w = u.bsn_geldig, u.bsn_ander
    id_geldig = identificatie(u.afzender, u.reeks, 1)
    na_geldig = "Na het geldige bestand (nummer 1) van deze set."
    altijd = "In elke stand; registreert niets."
    # (sleutel, omschrijving, uitkomst, codes, voorwaarde, cliënten, eigen dagtekening, eigen identificatie,
    #  eigen berichtversie)
    opgaven: list[tuple[str, str, str, tuple[str, ...], str, list[Client], date | None, str | None, str | None]] = [
        ("GELDIG", f"Eén cliënt (BSN {v}) met één nieuwe periode, BwStartNummer {n0}, vanaf {mig:%d-%m-%Y}.",
         GEACCEPTEERD, (), "Eerst sturen, zolang de gemeente mag aanleveren; daarna is de periode geregistreerd.",
         [_client(v, _periode(n0, mig))], None, None, None),
        ("SCHEMA", "Een periode met StatusAanlevering 7, die het schema niet kent (niveau 1).",
         ONGELDIG, (), altijd, [_client(w, _periode(n1, mig))], None, None, None),
        ("CS002", "Een BSN dat niet door de elfproef komt.", AFGEKEURD, (TECHNISCH_AFGEKEURD,), altijd,
         [_client(ongeldig_bsn(w), _periode(n1, mig))], None, None, None),
        ("CS003", "Een periode met een BwEinddatum vóór de BwStartdatum.", AFGEKEURD, (TECHNISCH_AFGEKEURD,),
         altijd, [_client(w, _periode(n1, mig, mig - timedelta(days=1)))], None, None, None),
        ("IM001", "Hetzelfde BwStartNummer twee keer in het bericht.", AFGEKEURD, (TECHNISCH_AFGEKEURD,), altijd,
         [_client(w, _periode(n1, mig, mig + timedelta(days=10)), _periode(n1, mig + timedelta(days=20)))],
         None, None, None),
        ("IM002", "Hetzelfde BSN in twee Client-elementen.", AFGEKEURD, (TECHNISCH_AFGEKEURD,), altijd,
         [_client(w, _periode(n1, mig, mig + timedelta(days=10))),
          _client(w, _periode(n1 + 1, mig + timedelta(days=20)))], None, None, None),
        ("IM003", "BerichtXsdVersie 2.1.0, terwijl het portaal alleen 2.0.x aanneemt.", AFGEKEURD,
         (TECHNISCH_AFGEKEURD,), altijd, [_client(w, _periode(n1, mig))], None, None, "2.1.0"),
        ("TR135", "Een Dagtekening van morgen.", AFGEKEURD, (DAGTEKENING_NA_HUIDIGE_DATUM,),
         f"Op de dag van de dagtekening van de set ({u.dagtekening:%d-%m-%Y}) sturen; registreert niets.",
         [_client(w, _periode(n1, mig))], u.dagtekening + timedelta(days=1), None, None),
        ("TR056", f"De Identificatie {id_geldig} van het geldige bestand nog een keer.", AFGEKEURD,
         (IDENTIFICATIE_NIET_UNIEK,), na_geldig, [_client(w, _periode(n1, mig))], None, id_geldig, None),
        ("TR404", f"Een eerste aanlevering met BwStartNummer {n0}, dat het geldige bestand al gebruikte.",
         AFGEKEURD, (BW_STARTNUMMER_BESTAAT_AL,), na_geldig, [_client(v, _periode(n0, mig))], None, None, None),
        ("TR103", f"Een wijziging (StatusAanlevering 2) van BwStartNummer {n1}, dat nooit is aangeleverd.",
         AFGEKEURD, (WIJZIGEN_ZONDER_AANLEVERING,), altijd, [_client(w, _periode(n1, mig, status=2))],
         None, None, None),
        ("TR063", f"Een verwijdering (StatusAanlevering 3) van BwStartNummer {n1}, dat nooit is aangeleverd.",
         AFGEKEURD, (VERWIJDEREN_ZONDER_AANLEVERING,), altijd, [_client(w, _periode(n1, mig, status=3))],
         None, None, None),
        ("TR395", f"Een BwStartdatum meer dan {TR395_MAANDEN} maanden vóór de Dagtekening.", AFGEKEURD,
         (STARTDATUM_TE_OUD,), altijd,
         [_client(w, _periode(n1, maanden_terug(u.dagtekening, TR395_MAANDEN) - timedelta(days=1)))],
         None, None, None),
        ("TR400", f"Een tweede open periode (BwStartNummer {n1}) voor BSN {v}, die de geregistreerde overlapt.",
         AFGEKEURD, (PERIODE_OVERLAPT,), na_geldig, [_client(v, _periode(n1, mig))], None, None, None),
    ]
    bestanden: list[Testbestand] = []
    for volgnummer, (sleutel, omschrijving, uitkomst, codes, voorwaarde, clients, dag, eigen_id,
                     versie) in enumerate(opgaven, start=1):
        ident = eigen_id or identificatie(u.afzender, u.reeks, volgnummer)
        inhoud = wmo407_bytes(afzender=u.afzender, identificatie=ident, dagtekening=dag or u.dagtekening,
                              clients=clients, bericht_xsd_versie=versie)
        if sleutel == "SCHEMA":
            inhoud = _schema_ongeldig(inhoud)
        naam = f"{u.bestandsprefix}_WMO407_{reeksvoorvoegsel(u.afzender, u.reeks)}_{volgnummer:02d}_{sleutel}.xml"
        bestanden.append(Testbestand(volgnummer, sleutel, naam, ident, omschrijving, uitkomst, codes, voorwaarde,
                                     inhoud))
    return bestanden


def leesmij(bestanden: Sequence[Testbestand]) -> str:
    """De beloften als tekst, voor in de zip."""
    regels = ["Ketentest-kit: WMO407-testbestanden en wat elk moet opleveren.",
              "Stuur eerst bestand 01 (geldig); daarna de andere in willekeurige volgorde, elk één keer.", ""]
    for bestand in bestanden:
        codes = ", ".join(bestand.retourcodes) or "geen"
        regels.append(f"{bestand.bestandsnaam}: {bestand.omschrijving} Uitkomst: {bestand.uitkomst}; "
                      f"retourcodes: {codes}. {bestand.voorwaarde}")
    return "\n".join(regels) + "\n"


def als_zip(bestanden: Sequence[Testbestand]) -> bytes:
    uitvoer = io.BytesIO()
    with zipfile.ZipFile(uitvoer, "w", zipfile.ZIP_DEFLATED) as archief:
        archief.writestr("LEESMIJ.txt", leesmij(bestanden))
        for bestand in bestanden:
            archief.writestr(bestand.bestandsnaam, bestand.inhoud)
    return uitvoer.getvalue()


def met_afgekeurde_records(bericht: Wmo407Bericht, aantal: int = 1) -> Wmo407Bericht:
    """Het bericht met bij de eerste `aantal` perioden een BwStartdatum van meer dan 36 maanden vóór de
    Dagtekening: die records krijgen retourcode 9395 en het hele bericht wordt afgekeurd."""
    te_oud = maanden_terug(bericht.header.dagtekening, TR395_MAANDEN) - timedelta(days=1)
    clients: list[Client] = []
    over = aantal
    for client in bericht.clients:
        perioden = []
        for periode in client.perioden:
            if over > 0:
                periode = replace(periode, bw_startdatum=te_oud)
                over -= 1
            perioden.append(periode)
        clients.append(replace(client, perioden=tuple(perioden)))
    return replace(bericht, clients=tuple(clients))
