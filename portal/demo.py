"""The deterministic demo scenario: gemeenten, synthetic BW clients and demo logins.

Pure: no Flask, no database, no clock. The gemeenten and logins are declared in
`seed/demo_gemeenten.toml`; the gemeentenamen come from the CBS list (`portal.gemeentecodes`);
the clients are generated from one `random.Random(DEMO_SEED)`, so every call on every machine
returns the same scenario. `seed/README.md` describes the scenario.

All persons are invented. Every BSN passes the elfproef, lies in the range 9999xxxxx (the BRP test
range) and occurs once in the whole scenario.
"""
from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

from portal.bsn import voldoet_aan_elfproef
from portal.gemeentecodes import laad_cbs_gemeenten

#: The constant seed of the scenario. Changing it changes every generated client.
DEMO_SEED = 20221001

STANDAARD_PAD = Path(__file__).resolve().parent.parent / "seed" / "demo_gemeenten.toml"

#: Ages are judged on the day every migrated client gets as BwStartdatum.
PEILDATUM = date(2022, 10, 1)

CENTRUMGEMEENTE = "centrumgemeente"
REGIOGEMEENTE = "regiogemeente"
SOORTEN = (CENTRUMGEMEENTE, REGIOGEMEENTE)

ROLLEN = ("gemeente", "gemeente_beheerder", "cak", "cak_beheerder", "leverancier")
GEMEENTEROLLEN = ("gemeente", "gemeente_beheerder", "leverancier")

BRONNEN = ("H&V", "EXCEL", "60-RECORD")
SOORTEN_BIJDRAGE = ("LEB", "HEB")

#: The behaviours a demo gemeente can have in the ketentest (see portal.services.demogedrag).
DEMOGEDRAGINGEN = ("op_tijd", "te_laat", "herstelt", "levert_niet")

MIN_CLIENTEN = 20
MAX_CLIENTEN = 400

#: First and last BSN of the range the demo takes its BSNs from.
BSN_VAN = 999_900_000
BSN_TOT_EN_MET = 999_999_999

EERSTE_START_BW = date(2016, 1, 1)
LAATSTE_START_BW = date(2022, 9, 30)


class DemoDataFout(ValueError):
    """The demo data file is missing or contradicts itself or the CBS list."""


@dataclass(frozen=True)
class DemoGemeente:
    code: str
    naam: str
    soort: str
    centrumgemeente_code: str | None
    levert_zelf_aan: bool
    prefix: str
    bw_startnummer: int | None
    contact_naam: str | None
    contact_email: str | None
    contact_telefoon: str | None
    voorkeur_timeslot: date | None
    aantal_clienten: int
    demogedrag: str | None = None   # how it acts by itself in the ketentest (portal.services.demogedrag)

    @property
    def levert_aan(self) -> bool:
        """Whether this gemeente delivers itself: it has its own B4, timeslot and folder."""
        return self.soort == CENTRUMGEMEENTE or self.levert_zelf_aan


@dataclass(frozen=True)
class DemoClient:
    """One BW client as the CAK knows it: the columns A-K of the B4 file, in that order,
    plus the delivering gemeente in whose B4 the row appears."""

    leverende_gemeentecode: str
    gemeentecode: str            # A  GEMEENTECODE: the gemeente responsible for the client
    bsn: str                     # B  BSN
    geslachtsnaam: str           # C  GESLACHTSNAAM
    voorvoegsel: str             # D  VOORVOEGSEL ("" when none)
    voorletters: str             # E  VOORLETTERS
    geboortedatum: date          # F  GEBOORTEDATUM
    datum_start_bw: date         # G  DATUM_START_BW
    datum_einde_bw: date | None  # H  DATUM_EINDE_BW (None when open)
    bron: str                    # I  BRON: H&V, EXCEL or 60-RECORD
    aanbieder_agb: str           # J  AANBIEDER_AGB (8 digits)
    soort_bijdrage: str          # K  SOORT_BIJDRAGE: LEB or HEB

    def b4_waarden(self) -> tuple[Any, ...]:
        """The values of the columns A-K, in column order."""
        return (self.gemeentecode, self.bsn, self.geslachtsnaam, self.voorvoegsel, self.voorletters,
                self.geboortedatum, self.datum_start_bw, self.datum_einde_bw, self.bron,
                self.aanbieder_agb, self.soort_bijdrage)

    def is_minderjarig_op(self, dag: date) -> bool:
        return _plus_jaren(self.geboortedatum, 18) > dag


@dataclass(frozen=True)
class DemoGebruiker:
    email: str
    password: str
    role: str
    gemeenten: tuple[str, ...]
    naam: str


@dataclass(frozen=True)
class DemoScenario:
    gemeenten: tuple[DemoGemeente, ...]
    clients: tuple[DemoClient, ...]
    gebruikers: tuple[DemoGebruiker, ...]

    def gemeente(self, code: str) -> DemoGemeente:
        for gemeente in self.gemeenten:
            if gemeente.code == code:
                return gemeente
        raise KeyError(code)

    @property
    def leverende_gemeenten(self) -> tuple[DemoGemeente, ...]:
        return tuple(g for g in self.gemeenten if g.levert_aan)

    def clients_van(self, leverende_code: str) -> tuple[DemoClient, ...]:
        """The rows of the B4 of the delivering gemeente `leverende_code`."""
        return tuple(c for c in self.clients if c.leverende_gemeentecode == leverende_code)


def demo_scenario(path: Path | str | None = None, cbs_path: Path | str | None = None) -> DemoScenario:
    """Build the demo scenario from the data file (default seed/demo_gemeenten.toml)."""
    cbs = laad_cbs_gemeenten(cbs_path)
    gegevens = _lees_toml(Path(path) if path is not None else STANDAARD_PAD)
    gemeenten = _gemeenten(gegevens.get("gemeente", []), cbs)
    gebruikers = _gebruikers(gegevens.get("gebruiker", []), gemeenten)
    clients = _genereer_clients(gemeenten, random.Random(DEMO_SEED))
    return DemoScenario(gemeenten=gemeenten, clients=clients, gebruikers=gebruikers)


# --- reading and checking the data file ---------------------------------------------------------

def _lees_toml(pad: Path) -> dict[str, Any]:
    try:
        with pad.open("rb") as bestand:
            return tomllib.load(bestand)
    except FileNotFoundError:
        raise DemoDataFout(f"Het demobestand is niet gevonden: {pad}.") from None
    except tomllib.TOMLDecodeError as fout:
        raise DemoDataFout(f"{pad} is geen geldige TOML: {fout}.") from None


def _gemeenten(rijen: list[dict[str, Any]], cbs: dict[str, str]) -> tuple[DemoGemeente, ...]:
    if not rijen:
        raise DemoDataFout("Het demobestand declareert geen enkele gemeente.")
    soort_per_code: dict[str, str] = {}
    for rij in rijen:
        code = str(rij.get("code", ""))
        if code not in cbs:
            raise DemoDataFout(f"Demogemeente '{code}' staat niet in de CBS-lijst van 1-10-2022.")
        if code in soort_per_code:
            raise DemoDataFout(f"Demogemeente {code} staat dubbel in het demobestand.")
        soort = rij.get("soort")
        if soort not in SOORTEN:
            raise DemoDataFout(f"Demogemeente {code}: soort moet centrumgemeente of regiogemeente zijn.")
        soort_per_code[code] = soort

    gemeenten: list[DemoGemeente] = []
    for rij in rijen:
        code = str(rij["code"])
        soort = rij["soort"]
        centrum = rij.get("centrumgemeente")
        levert_zelf_aan = bool(rij.get("levert_zelf_aan", False))
        if soort == CENTRUMGEMEENTE and (centrum is not None or levert_zelf_aan):
            raise DemoDataFout(f"Centrumgemeente {code} heeft geen centrumgemeente en geen 'levert_zelf_aan'.")
        if soort == REGIOGEMEENTE and soort_per_code.get(str(centrum)) != CENTRUMGEMEENTE:
            raise DemoDataFout(
                f"Regiogemeente {code}: centrumgemeente '{centrum}' is geen centrumgemeente in het demobestand.")
        levert_aan = soort == CENTRUMGEMEENTE or levert_zelf_aan
        leverveld = ("bw_startnummer", "contact_naam", "contact_email", "contact_telefoon",
                     "voorkeur_timeslot", "aantal_clienten")
        if levert_aan:
            ontbreekt = [veld for veld in leverveld if veld not in rij]
            if ontbreekt:
                raise DemoDataFout(f"Leverende demogemeente {code} mist: {', '.join(ontbreekt)}.")
            timeslot = rij["voorkeur_timeslot"]
            if not isinstance(timeslot, date) or timeslot.weekday() != 0:
                raise DemoDataFout(f"Demogemeente {code}: voorkeur_timeslot moet een maandag zijn.")
            aantal = int(rij["aantal_clienten"])
            if not MIN_CLIENTEN <= aantal <= MAX_CLIENTEN:
                raise DemoDataFout(
                    f"Demogemeente {code}: aantal_clienten moet tussen {MIN_CLIENTEN} en {MAX_CLIENTEN} liggen.")
            email = str(rij["contact_email"])
            if not email.endswith(".example.nl") and not email.endswith("@example.nl"):
                raise DemoDataFout(f"Demogemeente {code}: het e-mailadres moet onder example.nl vallen.")
        else:
            overbodig = [veld for veld in leverveld if veld in rij]
            if overbodig:
                raise DemoDataFout(
                    f"Regiogemeente {code} levert niet zelf aan en heeft dus geen: {', '.join(overbodig)}.")
        gedrag = rij.get("demogedrag")
        if gedrag is not None and (not levert_aan or gedrag not in DEMOGEDRAGINGEN):
            raise DemoDataFout(f"Demogemeente {code}: demogedrag moet een van {', '.join(DEMOGEDRAGINGEN)} zijn, "
                               "en alleen bij een gemeente die zelf aanlevert.")
        gemeenten.append(DemoGemeente(
            code=code,
            naam=cbs[code],
            soort=soort,
            centrumgemeente_code=str(centrum) if centrum is not None else None,
            levert_zelf_aan=levert_zelf_aan,
            prefix=str(rij.get("prefix", "68" + code)),
            bw_startnummer=int(rij["bw_startnummer"]) if levert_aan else None,
            contact_naam=rij.get("contact_naam"),
            contact_email=rij.get("contact_email"),
            contact_telefoon=rij.get("contact_telefoon"),
            voorkeur_timeslot=rij.get("voorkeur_timeslot"),
            aantal_clienten=int(rij["aantal_clienten"]) if levert_aan else 0,
            demogedrag=gedrag,
        ))

    # BwStartNummer blocks must never overlap: [startnummer, startnummer + aantal_clienten).
    blokken = sorted((g.bw_startnummer, g.bw_startnummer + g.aantal_clienten, g.code)
                     for g in gemeenten if g.bw_startnummer is not None)
    for (_, einde, code), (start, _, volgende) in pairwise(blokken):
        if start < einde:
            raise DemoDataFout(f"De BwStartNummers van demogemeenten {code} en {volgende} overlappen.")
    return tuple(gemeenten)


def _gebruikers(rijen: list[dict[str, Any]], gemeenten: tuple[DemoGemeente, ...]) -> tuple[DemoGebruiker, ...]:
    leverend = {g.code for g in gemeenten if g.levert_aan}
    gebruikers: list[DemoGebruiker] = []
    gezien: set[str] = set()
    for rij in rijen:
        email = str(rij.get("email", "")).strip().lower()
        if not email.endswith(".example.nl") and not email.endswith("@example.nl"):
            raise DemoDataFout(f"Demogebruiker '{email}': het e-mailadres moet onder example.nl vallen.")
        if email in gezien:
            raise DemoDataFout(f"Demogebruiker {email} staat dubbel in het demobestand.")
        gezien.add(email)
        role = rij.get("role")
        if role not in ROLLEN:
            raise DemoDataFout(f"Demogebruiker {email}: onbekende rol '{role}'.")
        codes = tuple(str(c) for c in rij.get("gemeenten", []))
        if role in GEMEENTEROLLEN and not codes:
            raise DemoDataFout(f"Demogebruiker {email} ({role}) moet voor minstens één gemeente werken.")
        if role not in GEMEENTEROLLEN and codes:
            raise DemoDataFout(f"Demogebruiker {email} ({role}) werkt niet voor een gemeente.")
        onbekend = [c for c in codes if c not in leverend]
        if onbekend:
            raise DemoDataFout(
                f"Demogebruiker {email}: {', '.join(onbekend)} is geen leverende demogemeente.")
        gebruikers.append(DemoGebruiker(email=email, password=str(rij["password"]), role=role,
                                        gemeenten=codes, naam=str(rij.get("naam", email))))
    return tuple(gebruikers)


# --- generating the clients -------------------------------------------------------------------

# (voorvoegsel, geslachtsnaam): invented combinations of common Dutch family names.
_NAMEN: tuple[tuple[str, str], ...] = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
    ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"),
    ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"),
    ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"),
    ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"),
    ("de", "Bruijn"), ("de", "Jong"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"), ("", "Koster"),
    ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"),
    ("'t", "Hart"), ("in 't", "Veld"), ("", "Yılmaz"), ("", "Öztürk"), ("", "El Amrani"),
    ("", "Bouzid"), ("", "Nguyen"), ("", "Pinas"), ("", "Martina"), ("", "Kaya"), ("", "Ramdin"),
    ("", "Wiersma"), ("", "Postma"), ("", "Kuipers"), ("", "Sedney"), ("", "Doğan"),
)
_INITIALEN = "AABCDEEFGHHIJJKLMMNOPRSTWY"


def _genereer_clients(gemeenten: tuple[DemoGemeente, ...], rng: random.Random) -> tuple[DemoClient, ...]:
    leverend = [g for g in gemeenten if g.levert_aan]
    totaal = sum(g.aantal_clienten for g in leverend)
    pool = [n for n in range(BSN_VAN, BSN_TOT_EN_MET + 1) if voldoet_aan_elfproef(f"{n:09d}")]
    if totaal > len(pool):
        raise DemoDataFout(f"Het demobestand vraagt {totaal} cliënten; de BSN-reeks heeft er {len(pool)}.")
    bsns = iter(rng.sample(pool, totaal))

    clients: list[DemoClient] = []
    for index, gemeente in enumerate(leverend):
        leden = [gemeente.code]
        if gemeente.soort == CENTRUMGEMEENTE:
            leden += [g.code for g in gemeenten
                      if g.centrumgemeente_code == gemeente.code and not g.levert_aan]
        gewichten = [0.7] + [0.3 / (len(leden) - 1)] * (len(leden) - 1) if len(leden) > 1 else [1.0]
        aanbieders = _aanbieders(rng, rng.randint(3, 6))
        aantal = gemeente.aantal_clienten
        minderjarig = set(rng.sample(range(aantal), max(1, round(aantal * 0.03))))
        beeindigd = set(rng.sample(range(aantal), max(1, round(aantal * 0.06))))

        eigen: list[DemoClient] = []
        for i in range(aantal):
            if index == 0 and i < 2:
                # Edge cases in the first B4: 18 exactly on the BwStartdatum, and one day short of it.
                geboren = _plus_jaren(PEILDATUM, -18) + timedelta(days=i)
            elif i in minderjarig:
                geboren = _willekeurige_dag(rng, _plus_jaren(PEILDATUM, -18) + timedelta(days=1),
                                            _plus_jaren(PEILDATUM, -14))
            else:
                geboren = _willekeurige_dag(rng, date(1932, 1, 1), _plus_jaren(PEILDATUM, -18))
            start = _willekeurige_dag(rng, max(EERSTE_START_BW, _plus_jaren(geboren, 12)), LAATSTE_START_BW)
            einde = None
            if i in beeindigd:
                einde = _willekeurige_dag(rng, max(start + timedelta(days=30), date(2022, 7, 1)),
                                          date(2023, 3, 31))
            voorvoegsel, naam = rng.choice(_NAMEN)
            voorletters = "".join(rng.choice(_INITIALEN) + "." for _ in range(rng.choices((1, 2, 3), (5, 4, 1))[0]))
            eigen.append(DemoClient(
                leverende_gemeentecode=gemeente.code,
                gemeentecode=rng.choices(leden, gewichten)[0],
                bsn=f"{next(bsns):09d}",
                geslachtsnaam=naam,
                voorvoegsel=voorvoegsel,
                voorletters=voorletters,
                geboortedatum=geboren,
                datum_start_bw=start,
                datum_einde_bw=einde,
                bron=rng.choices(BRONNEN, (70, 20, 10))[0],
                aanbieder_agb=rng.choice(aanbieders),
                soort_bijdrage=rng.choices(SOORTEN_BIJDRAGE, (25, 75))[0],
            ))
        eigen.sort(key=lambda c: (c.gemeentecode, c.geslachtsnaam, c.voorvoegsel, c.voorletters, c.bsn))
        clients.extend(eigen)
    return tuple(clients)


def _aanbieders(rng: random.Random, aantal: int) -> list[str]:
    """Invented 8-digit AGB codes of BW providers (the 98 prefix of Wmo providers, random rest)."""
    codes: list[str] = []
    while len(codes) < aantal:
        code = f"98{rng.randrange(1_000_000):06d}"
        if code not in codes:
            codes.append(code)
    return codes


def _willekeurige_dag(rng: random.Random, van: date, tot_en_met: date) -> date:
    if tot_en_met < van:
        return van
    return van + timedelta(days=rng.randint(0, (tot_en_met - van).days))


def _plus_jaren(dag: date, jaren: int) -> date:
    try:
        return dag.replace(year=dag.year + jaren)
    except ValueError:  # 29 February in a year without it
        return dag.replace(year=dag.year + jaren, day=28)
