"""Loading the demo scenario into the database, idempotently, through the same rules as the portal."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from portal.demo import DemoGemeente, DemoScenario, demo_scenario
from portal.extensions import db
from portal.models import BwClient, Gemeente
from portal.services import accounts
from portal.services.audit import Actor

SEED_ACTOR = Actor.job_named("seed demo")


@dataclass
class Samenvatting:
    gemeenten: int = 0
    clients: int = 0
    gebruikers: int = 0
    extra: list[str] = field(default_factory=list)

    def tekst(self) -> str:
        regels = [f"Demoscenario geladen: {self.gemeenten} gemeenten, {self.clients} BW-cliënten en "
                  f"{self.gebruikers} gebruikers toegevoegd (wat er al was, is gebleven)."]
        regels.extend(self.extra)
        return "\n".join(regels)


def _gemeenten(scenario: DemoScenario, samenvatting: Samenvatting) -> dict[str, Gemeente]:
    bestaand = {g.code: g for g in db.session.scalars(select(Gemeente))}
    for demo in scenario.gemeenten:
        if demo.code in bestaand:
            continue
        gemeente = Gemeente(
            code=demo.code, naam=demo.naam, soort=demo.soort, levert_zelf_aan=demo.levert_zelf_aan,
            bestandsprefix=demo.prefix or Gemeente.standaard_prefix(demo.code),
            bw_startnummer=demo.bw_startnummer, contact_naam=demo.contact_naam,
            contact_email=demo.contact_email, contact_telefoon=demo.contact_telefoon)
        db.session.add(gemeente)
        bestaand[demo.code] = gemeente
        samenvatting.gemeenten += 1
    db.session.flush()
    for demo in scenario.gemeenten:
        if demo.centrumgemeente_code and bestaand[demo.code].centrumgemeente_id is None:
            bestaand[demo.code].centrumgemeente_id = bestaand[demo.centrumgemeente_code].id
    return bestaand


def _clients(scenario: DemoScenario, gemeenten: dict[str, Gemeente], samenvatting: Samenvatting) -> None:
    bestaand = {(gemeente_id, bsn) for gemeente_id, bsn in
                db.session.execute(select(BwClient.gemeente_id, BwClient.bsn))}
    for demo in scenario.clients:
        gemeente_id = gemeenten[demo.gemeentecode].id
        if (gemeente_id, demo.bsn) in bestaand:
            continue
        db.session.add(BwClient(
            gemeente_id=gemeente_id, bsn=demo.bsn, geslachtsnaam=demo.geslachtsnaam,
            voorvoegsel=demo.voorvoegsel or None, voorletters=demo.voorletters,
            geboortedatum=demo.geboortedatum, datum_start_bw=demo.datum_start_bw,
            datum_einde_bw=demo.datum_einde_bw, bron=demo.bron, aanbieder_agb=demo.aanbieder_agb,
            soort_bijdrage=demo.soort_bijdrage))
        samenvatting.clients += 1


def _gebruikers(scenario: DemoScenario, samenvatting: Samenvatting) -> None:
    for demo in scenario.gebruikers:
        if accounts.zoek_op_email(demo.email) is not None:
            continue
        accounts.maak_gebruiker(
            accounts.NieuweGebruiker(email=demo.email, password=demo.password, role=demo.role,
                                     gemeente_codes=demo.gemeenten, naam=demo.naam),
            SEED_ACTOR)
        samenvatting.gebruikers += 1


# This demo gemeente signs up but is left for the CAK to plan, so the whole walk can be done by hand.
AANGEMELD_NIET_GEPLAND = "0599"


def plan_demo_gemeente(demo: DemoGemeente, gemeente: Gemeente) -> str:
    """Bring one demo gemeente to its demo start, as the loader does: signed up for its preferred week
    and planned in it (0599 only signed up). Answers what it did: 'gepland', 'aangemeld', 'verleden'
    (the week lies behind the clock, so it can be neither chosen nor planned) or 'niets'."""
    from portal.services import migratie
    from portal.services.klok import nu
    from portal.toestanden import Toestand

    nog_open = migratie.open_timeslots(nu())
    stand = migratie.migratie_van(gemeente)
    if stand.toestand != Toestand.NIET_GEPLAND or demo.voorkeur_timeslot is None:
        return "niets"
    if demo.voorkeur_timeslot not in nog_open:
        # With the real clock the demo's 2022 weeks lie in the past: a past week can be neither
        # chosen nor planned. The ketentest's virtual clock starts before them.
        return "verleden"
    if stand.aangemeld_op is None:
        tweede = next((t for t in nog_open if t > demo.voorkeur_timeslot), None)
        migratie.meld_aan(SEED_ACTOR, gemeente, demo.voorkeur_timeslot, tweede, None)
    if demo.code == AANGEMELD_NIET_GEPLAND:
        return "aangemeld"
    migratie.plan_timeslot(SEED_ACTOR, gemeente, demo.voorkeur_timeslot, controle=False)
    return "gepland"


def _planning(scenario: DemoScenario, gemeenten: dict[str, Gemeente], samenvatting: Samenvatting) -> None:
    gepland = 0
    verleden = []
    for demo in scenario.leverende_gemeenten:
        gemeente = gemeenten[demo.code]
        gedaan = plan_demo_gemeente(demo, gemeente)
        if gedaan == "verleden":
            verleden.append(gemeente.naam)
        elif gedaan == "gepland":
            gepland += 1
    if verleden:
        samenvatting.extra.append(
            "Niet aangemeld en niet ingepland omdat de week van hun voorkeur volgens de klok al voorbij is: "
            + ", ".join(verleden)
            + ". Start de demo in de ketentest (PORTAL_MODE=ketentest) om het hele verloop te zien.")
    if gepland:
        samenvatting.extra.append(f"{gepland} gemeenten ingepland in hun voorkeurs-timeslot; "
                                  f"{gemeenten[AANGEMELD_NIET_GEPLAND].naam} is aangemeld en wacht op het CAK.")


def sjablonen(gemeenten: dict[str, Gemeente]) -> None:
    from portal.models import Categorie
    from portal.services import storage
    from portal.services.klok import nu
    from portal.spreadsheets.mutaties import TEMPLATE_FILENAME, write_mutaties_template

    sjabloon = None
    for gemeente in gemeenten.values():
        if not gemeente.levert_aan:
            continue
        sjabloon = sjabloon or write_mutaties_template(created_at=datetime(2022, 9, 1, tzinfo=UTC))
        storage.plaats_bestand(gemeente, storage.NieuwBestand(
            categorie=Categorie.SJABLOON, naam=TEMPLATE_FILENAME, inhoud=sjabloon, mediatype=storage.XLSX,
            gepubliceerd_op=nu(), sleutel="SJABLOON:mutaties"), SEED_ACTOR)


def _ketentestklok(samenvatting: Samenvatting) -> None:
    from flask import current_app

    from portal.kalender import format_moment
    from portal.services import ketentestklok

    if current_app.config["PORTAL_MODE"] != "ketentest":
        return
    start = ketentestklok.start_virtuele_klok(SEED_ACTOR.naam)
    if start is not None:
        samenvatting.extra.append(f"Ketentest: de virtuele klok start op {format_moment(start)}.")


def _demogedrag(scenario: DemoScenario, gemeenten: dict[str, Gemeente], samenvatting: Samenvatting) -> None:
    """In the ketentest (and ontwikkeling), the demo gemeenten with a behaviour act by themselves."""
    from portal.services import demogedrag

    if not demogedrag.actief():
        return
    namen = []
    for demo in scenario.leverende_gemeenten:
        if demo.demogedrag and demogedrag.van(gemeenten[demo.code]) is None:
            demogedrag.zet(gemeenten[demo.code], demo.demogedrag, True, SEED_ACTOR.naam)
            namen.append(f"{demo.naam} ({demo.demogedrag})")
    if namen:
        samenvatting.extra.append("Deze demogemeenten handelen zelf als de klok verzet wordt: " + ", ".join(namen)
                                  + ". Zet dit per gemeente uit op de ketentest-kit.")


def laad_demo() -> Samenvatting:
    scenario = demo_scenario()
    samenvatting = Samenvatting()
    _ketentestklok(samenvatting)
    gemeenten = _gemeenten(scenario, samenvatting)
    _clients(scenario, gemeenten, samenvatting)
    _gebruikers(scenario, samenvatting)
    sjablonen(gemeenten)
    _planning(scenario, gemeenten, samenvatting)
    _demogedrag(scenario, gemeenten, samenvatting)
    db.session.commit()
    return samenvatting


def demo_logins_tekst() -> str:
    regels = ["Demo-logins (alleen voor een lokale demo of ketentest):"]
    for demo in demo_scenario().gebruikers:
        regels.append(f"  {demo.role:<19} {demo.email:<36} wachtwoord: {demo.password}")
    return "\n".join(regels)
