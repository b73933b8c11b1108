"""The `portal` command line: a Flask CLI group on the application factory.

Each command parses its arguments, calls one service and prints the answer. The app of a command is made
on the environment and, for every setting the environment does not set, on the env file that `make run`
writes (instance/portal.env, see portal.config); a configuration the portal refuses is one Dutch line.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from portal import INSTANCE_PATH, create_app
from portal import config as portal_config
from portal.config import ConfigurationError
from portal.kalender import format_datum, format_moment
from portal.services.audit import Actor
from portal.services.ketentestklok import Verzetting
from portal.services.planner import Uitvoering

if TYPE_CHECKING:
    from flask import Flask

T = TypeVar("T")


class Fout(click.ClickException):
    """A Dutch error for the command line: 'Fout: ...' and exit code 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fout: {self.format_message()}", file=file, err=True)


class Gebruiksfout(Fout):
    """The command was called wrongly (not a verdict on a file): exit code 2, as click's own usage errors."""

    exit_code = 2


class Configuratiefout(Fout):
    """The portal refuses its configuration: the reason in one Dutch line, no traceback."""


def omgeving() -> dict[str, str]:
    """The environment of a command: the process's, completed from the env file of `make run`."""
    try:
        return portal_config.with_env_file(os.environ, INSTANCE_PATH)
    except ConfigurationError as fout:
        raise Configuratiefout(str(fout)) from None


def weigering(fout: ConfigurationError, instellingen: dict[str, str]) -> Configuratiefout:
    melding = str(fout)
    if isinstance(fout, portal_config.UnsafeConfiguration) and not instellingen.get("PORTAL_MODE"):
        melding += (" PORTAL_MODE staat nergens, dus geldt productie; voor de demo: start eerst `make run`, "
                    "daarna gebruikt `portal` dezelfde database en modus.")
    return Configuratiefout(melding)


def maak_app() -> Flask:
    instellingen = omgeving()
    try:
        return create_app(environ=instellingen)
    except ConfigurationError as fout:
        raise weigering(fout, instellingen) from None


class PortaalGroep(FlaskGroup):
    """Flask's command group; a configuration error in the help is the same Dutch line as in a command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except Configuratiefout as fout:
            fout.show()
            # The portal's own commands; `db` comes with the app and is missing until it can be made.
            return super(FlaskGroup, self).list_commands(ctx)
        return super().list_commands(ctx)


@click.group(cls=PortaalGroep, create_app=maak_app, add_version_option=False,
             help="BW-portaal: beheer vanaf de opdrachtregel.")
def cli() -> None:
    pass


@cli.group("instellingen", invoke_without_command=True,
           help="Toon de instellingen waarmee `portal` werkt en waar elke waarde vandaan komt.")
@click.pass_context
def instellingen_group(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(instellingen_toon)


@instellingen_group.command("toon", hidden=True, with_appcontext=False)
def instellingen_toon() -> None:
    instellingen = omgeving()
    try:
        config = portal_config.from_environment(instellingen, instance_path=str(INSTANCE_PATH))
        portal_config.check(config)
    except ConfigurationError as fout:
        raise weigering(fout, instellingen) from None
    bestand = portal_config.env_file_path(os.environ, INSTANCE_PATH)
    for setting in portal_config.SETTINGS:
        waarde = instellingen.get(setting.name) or ""
        bron = "omgeving" if os.environ.get(setting.name) else str(bestand) if waarde else "standaard"
        if setting.name == "DATABASE_URL":
            waarde = portal_config.read_database_url(str(config["SQLALCHEMY_DATABASE_URI"])).render_as_string()
        elif setting.name == portal_config.ENV_FILE:
            waarde = str(bestand or "(geen)")
        elif setting.name in portal_config.SECRETS:
            waarde = "(ingesteld)" if waarde else "(niet ingesteld)"
        click.echo(f"{setting.name:<32} {waarde or setting.default or '(leeg)':<44} {bron}")


@instellingen_group.command("bewaar", with_appcontext=False,
                            help="Zet de instellingen uit de omgeving (zonder geheimen) in instance/portal.env; "
                                 "`make run` doet dit, zodat `portal` in een nieuwe shell dezelfde gebruikt.")
def instellingen_bewaar() -> None:
    bestand = portal_config.env_file_path(os.environ, INSTANCE_PATH)
    if bestand is None:
        click.echo(f"{portal_config.ENV_FILE} is leeg: er is geen bestand om de instellingen in te bewaren.")
        return
    try:
        config = portal_config.from_environment(os.environ, instance_path=str(INSTANCE_PATH))
        portal_config.write_env_file(bestand, os.environ)
    except ConfigurationError as fout:
        raise Configuratiefout(str(fout)) from None
    except OSError:
        raise Configuratiefout(f"{bestand} is niet te schrijven; controleer de map en de rechten.") from None
    database = portal_config.database_url_for_file(str(config["SQLALCHEMY_DATABASE_URI"]))
    click.echo(f"Instellingen bewaard in {bestand}: `portal` werkt ook in een nieuwe shell op "
               f"{database} in de modus {config['PORTAL_MODE']}.")


@cli.group("user", help="Gebruikers beheren.")
def user_group() -> None:
    pass


@user_group.command("create", help="Maak een gebruiker aan. Het wachtwoord wordt gevraagd (twee keer, onzichtbaar), "
                                   "of met --password-stdin van de standaardinvoer gelezen.")
@click.option("--email", required=True, help="e-mailadres (inlognaam)")
@click.option("--password-stdin", "password_stdin", is_flag=True,
              help="lees het wachtwoord (de eerste regel) van de standaardinvoer, bijvoorbeeld uit een wachtwoordkluis")
@click.option("--role", required=True,
              type=click.Choice(["gemeente", "gemeente_beheerder", "cak", "cak_beheerder", "leverancier"]),
              help="rol van de gebruiker")
@click.option("--gemeente", "gemeenten", multiple=True, help="gemeentecode waarvoor de gebruiker handelt (herhaalbaar)")
@click.option("--naam", default="", help="weergavenaam")
@with_appcontext
def user_create(email: str, password_stdin: bool, role: str, gemeenten: tuple[str, ...], naam: str) -> None:
    from portal.extensions import db
    from portal.services import accounts
    from portal.services.audit import Actor

    password = _lees_wachtwoord(password_stdin)
    try:
        user = accounts.maak_gebruiker(
            accounts.NieuweGebruiker(email=email, password=password, role=role,
                                     gemeente_codes=tuple(gemeenten), naam=naam),
            Actor.job_named("opdrachtregel"))
    except accounts.OngeldigeGebruiker as fout:
        db.session.rollback()
        raise Fout(fout.melding) from None
    db.session.commit()
    click.echo(f"Gebruiker {user.email} aangemaakt met rol {user.role}.")


def _lees_wachtwoord(van_stdin: bool) -> str:
    """The new password: the first line of standard input, or typed twice at a hidden prompt."""
    if van_stdin:
        regel = sys.stdin.readline().rstrip("\r\n")
        if not regel:
            raise Gebruiksfout("Er kwam geen wachtwoord binnen op de standaardinvoer; geef het wachtwoord als "
                               "eerste regel, bijvoorbeeld: portal user create ... --password-stdin < bestand.")
        return regel
    wachtwoord: str = click.prompt("Wachtwoord", hide_input=True)
    if click.prompt("Herhaal het wachtwoord", hide_input=True) != wachtwoord:
        raise Gebruiksfout("De twee wachtwoorden zijn niet gelijk; er is niemand aangemaakt. Voer het commando "
                           "opnieuw uit en typ twee keer hetzelfde wachtwoord.")
    return wachtwoord


@cli.group("gemeente", help="Gemeenten beheren.")
def gemeente_group() -> None:
    pass


@gemeente_group.command("zet", help="Zet de instellingen van gemeente CODE (alleen wat u opgeeft verandert).")
@click.argument("code")
@click.option("--startnummer", help="eerste BwStartNummer; het blok mag geen ander blok overlappen")
@click.option("--prefix", help="bestandsprefix, 4 tot 10 cijfers (standaard 68 + gemeentecode)")
@click.option("--regio", help="code van de centrumgemeente van de regio")
@click.option("--levert-zelf-aan", "levert_zelf_aan", type=click.Choice(["ja", "nee"]),
              help="ja: de regiogemeente levert vanaf nu zelf aan (regiowissel)")
@click.option("--contact-naam", help="naam van de contactpersoon (leeg: wissen)")
@click.option("--contact-email", help="e-mailadres van de contactpersoon (leeg: wissen)")
@click.option("--contact-telefoon", help="telefoonnummer van de contactpersoon (leeg: wissen)")
@with_appcontext
def gemeente_zet(code: str, startnummer: str | None, prefix: str | None, regio: str | None,
                 levert_zelf_aan: str | None, contact_naam: str | None, contact_email: str | None,
                 contact_telefoon: str | None) -> None:
    from portal.extensions import db
    from portal.services import gemeenten
    from portal.services.toegang import NietGevonden

    instellingen = gemeenten.Instellingen(
        startnummer=startnummer, prefix=prefix, regio=regio,
        levert_zelf_aan=None if levert_zelf_aan is None else levert_zelf_aan == "ja",
        contact_naam=contact_naam, contact_email=contact_email, contact_telefoon=contact_telefoon)
    try:
        wijzigingen = gemeenten.zet_instellingen(Actor.job_named("opdrachtregel"), code, instellingen)
    except NietGevonden:
        db.session.rollback()
        raise Fout(f"Er is geen gemeente met code {code}; controleer de gemeentecode.") from None
    except gemeenten.InstellingenFout as fout:
        db.session.rollback()
        raise Fout(fout.melding) from None
    if not wijzigingen:
        click.echo(f"Er is niets gewijzigd: de instellingen van gemeente {code} waren al zo.")
    for wijziging in wijzigingen:
        click.echo(f"Gewijzigd: {wijziging.tekst}")


@cli.group("token", help="API-tokens.")
def token_group() -> None:
    pass


@token_group.command("maak", help="Maak een API-token voor een gebruiker; het token wordt één keer getoond.")
@click.option("--email", required=True, help="e-mailadres van de gebruiker namens wie het token handelt")
@click.option("--naam", default="", help="naam van het token (bijvoorbeeld de software die het gebruikt)")
@with_appcontext
def token_maak(email: str, naam: str) -> None:
    from portal.extensions import db
    from portal.services import apitokens

    try:
        nieuw = apitokens.maak_token_voor(Actor.job_named("opdrachtregel"), email, naam)
    except apitokens.TokenFout as fout:
        db.session.rollback()
        raise Fout(fout.melding) from None
    click.echo(f"API-token '{nieuw.token.naam}' gemaakt voor {nieuw.token.gebruiker.email} "
               f"({nieuw.token.gebruiker.role}). Bewaar het nu: het wordt niet nog eens getoond.")
    click.echo(nieuw.geheim)


@user_group.command("tweede-factor-wissen",
                    help="Wis de tweede factor van een gebruiker (telefoon en herstelcodes kwijt, of een nieuwe "
                         "SECRET_KEY); een CAK-gebruiker stelt bij de volgende login een nieuwe in.")
@click.option("--email", required=True, help="e-mailadres van de gebruiker")
@with_appcontext
def user_tweede_factor_wissen(email: str) -> None:
    from portal.services import tweede_factor

    try:
        user = tweede_factor.wis(email, Actor.job_named("opdrachtregel"))
    except LookupError as fout:
        raise Fout(f"{fout.args[0]} Controleer het adres.") from None
    click.echo(f"De tweede factor van {user.email} is gewist.")


@cli.group("seed", help="Referentie- en demogegevens laden.")
def seed_group() -> None:
    pass


@seed_group.command("demo", help="Laad het demoscenario (kan vaker; bestaande gegevens blijven).")
@click.option("--if-empty", is_flag=True, help="alleen laden als er nog geen gebruikers zijn")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    from portal.services import accounts, seed

    if if_empty and accounts.aantal_gebruikers() > 0:
        click.echo("De database bevat al gegevens; het demoscenario is niet opnieuw geladen.")
    else:
        samenvatting = seed.laad_demo()
        click.echo(samenvatting.tekst())
    click.echo(seed.demo_logins_tekst())


@seed_group.command("schaal", help="Laad het landelijke schaalscenario voor metingen: elke CBS-gemeente levert "
                                     "aan, verdeeld over de zes timeslots, met synthetische cliënten (alleen in de "
                                     "ketentest en in ontwikkeling).")
@click.option("--gemeenten", default=344, show_default=True, type=int, help="hoeveel CBS-gemeenten (op code)")
@click.option("--clients", default=150, show_default=True, type=int, help="hoeveel cliënten per gemeente")
@with_appcontext
def seed_schaal(gemeenten: int, clients: int) -> None:
    from portal.services import schaal

    try:
        samenvatting = schaal.laad_schaal(gemeenten, clients)
    except schaal.SchaalFout as fout:
        raise Fout(fout.melding) from None
    click.echo(samenvatting.tekst())


@cli.command("kalender", help="Toon de stappen van een timeslot (de maandag, JJJJ-MM-DD) in Nederlandse tijd.")
@click.argument("maandag")
def kalender_command(maandag: str) -> None:
    from datetime import date

    from portal import kalender

    try:
        timeslot = kalender.check_timeslot(date.fromisoformat(maandag))
    except ValueError as fout:
        melding = str(fout) if "maandag" in str(fout) else f"'{maandag}' is geen datum; schrijf JJJJ-MM-DD."
        raise Fout(melding) from None
    click.echo(kalender.format_kalender(kalender.kalender(timeslot)))


@cli.group("klok", invoke_without_command=True,
           help="Toon de klok van het portaal; in de ketentest: zet of verzet haar.")
@click.pass_context
def klok_group(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(klok_toon)


def _toon_klok() -> None:
    from flask import current_app

    from portal.services.klok import nu

    soort = "virtuele klok (ketentest)" if current_app.config["PORTAL_MODE"] == "ketentest" else "systeemklok"
    click.echo(f"{format_moment(nu())}  ({soort})")


@klok_group.command("toon", hidden=True)
@with_appcontext
def klok_toon() -> None:
    _toon_klok()


def _klok_actie(functie: Callable[[T, Actor], Verzetting], waarde: T) -> None:
    from portal.extensions import db
    from portal.services import ketentestklok
    from portal.services.audit import Actor

    try:
        verzetting = functie(waarde, Actor.job_named("opdrachtregel"))
    except ketentestklok.KlokFout as fout:
        db.session.rollback()
        raise Fout(fout.melding) from None
    _toon_klok()
    _toon_uitvoeringen(verzetting.uitgevoerd)


def _toon_uitvoeringen(uitgevoerd: list[Uitvoering]) -> None:
    from portal.services import planner

    for u in uitgevoerd:
        status = "ok" if u.gelukt else "MISLUKT"
        click.echo(f"{format_moment(u.due_op)}  {u.gemeente or '----'}  "
                   f"{planner.omschrijving(u.soort)}: {status} {u.resultaat}".rstrip())


@klok_group.command("zet", help='Zet de ketentestklok vooruit naar "JJJJ-MM-DD UU:MM" (Nederlandse tijd).')
@click.argument("moment")
@with_appcontext
def klok_zet(moment: str) -> None:
    from portal.services import ketentestklok

    try:
        doel = ketentestklok.lees_moment(moment)
    except ketentestklok.KlokFout as fout:
        raise Fout(fout.melding) from None
    _klok_actie(ketentestklok.zet, doel)


@klok_group.command("verzet",
                    help="Zet de ketentestklok vooruit met minuten (90), uren (2h), dagen (1d) of weken (1w).")
@click.argument("duur")
@with_appcontext
def klok_verzet(duur: str) -> None:
    from portal.services import ketentestklok

    try:
        delta = ketentestklok.lees_duur(duur)
    except ketentestklok.KlokFout as fout:
        raise Fout(fout.melding) from None
    _klok_actie(ketentestklok.verzet, delta)


@cli.command("tick", help="Voer alle geplande acties uit die op de klok van het portaal aan de beurt zijn.")
@with_appcontext
def tick_command() -> None:
    from portal.services import herverwerking, planner

    for herverwerkt in herverwerking.verwerk_achtergebleven():
        click.echo(f"{herverwerkt.gemeente or '----'} upload {herverwerkt.ontvangst_id} ({herverwerkt.soort}) "
                   f"alsnog verwerkt: {herverwerkt.status}")
    uitgevoerd = planner.tick()
    _toon_uitvoeringen(uitgevoerd)
    if not uitgevoerd:
        click.echo("Niets aan de beurt.")
    if any(not u.gelukt for u in uitgevoerd):
        raise SystemExit(1)


@cli.group("mail", help="De uitbak.")
def mail_group() -> None:
    pass


@mail_group.command("bezorg", help="Verstuur nu de wachtende e-mails uit de uitbak (zonder SMTP_HOST: niets).")
@with_appcontext
def mail_bezorg() -> None:
    from flask import current_app

    from portal.services import mail

    if not current_app.config.get("SMTP_HOST"):
        click.echo("Geen SMTP_HOST ingesteld: de e-mails blijven in de uitbak van het portaal.")
        return
    verzonden, mislukt = mail.bezorg_wachtende()
    click.echo(f"{verzonden} verzonden, {mislukt} mislukt (die worden later opnieuw geprobeerd).")
    if mislukt:
        raise SystemExit(1)


@cli.command("scheduler", help="De planner: voert elke SCHEDULER_INTERVAL seconden 'tick' uit (stoppen: Ctrl-C).")
@with_appcontext
def scheduler_command() -> None:
    from flask import current_app

    from portal import scheduler

    scheduler.start(current_app._get_current_object())  # type: ignore[attr-defined]  # the proxy's app


@cli.group("migratie", help="De migratie per gemeente.")
def migratie_group() -> None:
    pass


@migratie_group.command("status", help="De stand van elke aanleverende gemeente (of van CODE).")
@click.argument("code", required=False)
@click.option("--json", "als_json", is_flag=True, help="als JSON-lijst")
@with_appcontext
def migratie_status(code: str | None, als_json: bool) -> None:
    import json

    from portal.services import migratie

    statussen = migratie.overzicht(code=code)
    if code is not None and not statussen:
        raise Fout(f"Er is geen aanleverende gemeente met code {code}.")
    if als_json:
        click.echo(json.dumps([s.als_json() for s in statussen], ensure_ascii=False, indent=2))
        return
    for s in statussen:
        deadline = f"{format_moment(s.deadline[0])} {s.deadline[1]}" if s.deadline else "-"
        timeslot = format_datum(s.migratie.timeslot) if s.migratie.timeslot else "geen timeslot"
        vlaggen = (" [" + ", ".join(s.vlaggen) + "]") if s.vlaggen else ""
        click.echo(f"{s.gemeente.code} {s.gemeente.naam:<22} {timeslot:<13} {s.toestand.value:<19}{vlaggen}  "
                   f"volgende: {deadline}")


@cli.group("ieb", help="iEb 2.0: WMO407-berichten controleren zonder database.")
def ieb_group() -> None:
    pass


@ieb_group.command("check", with_appcontext=False,
                   help="Controleer WMO407-bestanden in deze volgorde tegen een register dat leeg begint.")
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--today", "vandaag", required=True, help="de datum van vandaag voor de regels, JJJJ-MM-DD")
@click.option("--out", "uitvoermap", type=click.Path(file_okay=False, path_type=Path),
              help="map waarin elke WMO408 als <naam>.wmo408.xml wordt geschreven")
@click.option("--json", "als_json", is_flag=True, help="de uitkomsten als JSON")
def ieb_check(bestanden: tuple[Path, ...], vandaag: str, uitvoermap: Path | None, als_json: bool) -> None:
    import json
    from datetime import date

    from portal import ieb
    from portal.gemeentecodes import cbs_codes

    try:
        dag = date.fromisoformat(vandaag)
    except ValueError:
        raise Gebruiksfout(f"--today '{vandaag}' is geen datum; schrijf JJJJ-MM-DD.") from None
    try:
        uitkomsten = ieb.controleer_bestanden(list(bestanden), vandaag=dag, cbs_codes=cbs_codes(),
                                              uitvoermap=uitvoermap)
    except ValueError as fout:
        raise Gebruiksfout(str(fout)) from None
    if als_json:
        click.echo(json.dumps([{
            "bestand": str(u.pad), "uitkomst": u.uitkomst, "retourcodes": u.retourcodes, "details": u.details,
            "wmo408": str(u.wmo408_pad) if u.wmo408_pad else None} for u in uitkomsten],
            ensure_ascii=False, indent=2))
    else:
        for uitkomst in uitkomsten:
            for regel in uitkomst.regels():
                click.echo(regel)
    raise SystemExit(ieb.exit_code(uitkomsten))


@cli.command("backup", help="Schrijf een consistente kopie van de database naar BESTAND (SQLite of pg_dump).")
@click.argument("bestand", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(bestand: Path) -> None:
    from portal.services import backup

    try:
        tellingen = backup.maak(bestand)
    except backup.BackupFout as fout:
        raise Fout(str(fout)) from None
    click.echo(f"Back-up geschreven naar {bestand}: {tellingen.totaal} rijen in {len(tellingen.per_tabel)} tabellen.")


@cli.command("herstel", help="Zet de database terug uit een back-up die met 'portal backup' is gemaakt.")
@click.argument("bestand", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ja", is_flag=True, help="overschrijf ook een database die al gegevens bevat")
@with_appcontext
def herstel_command(bestand: Path, ja: bool) -> None:
    from portal.services import backup

    try:
        tellingen = backup.herstel(bestand, overschrijf=ja)
    except backup.BackupFout as fout:
        raise Fout(str(fout)) from None
    click.echo(f"Database hersteld uit {bestand}: {tellingen.totaal} rijen in {len(tellingen.per_tabel)} tabellen.")


@cli.command("serve", help="Start het portaal (gunicorn) met de planner ernaast; stop met Ctrl-C.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--zonder-planner", is_flag=True, help="start de planner niet")
def serve(host: str, port: int, workers: int, zonder_planner: bool) -> None:
    import contextlib
    import signal
    import subprocess
    import sys

    import gunicorn

    from portal import PROJECT_ROOT

    processen: list[subprocess.Popen] = []
    instellingen = omgeving()  # the web app and the planner run on the settings of this command
    web = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
           "--threads", "4", "--access-logfile", "-", "--graceful-timeout", "5"]
    if gunicorn.version_info >= (27,):
        web.append("--no-control-socket")
    web.append("wsgi:app")
    processen.append(subprocess.Popen(web, cwd=PROJECT_ROOT, env=instellingen))
    if not zonder_planner and "scheduler" in cli.commands:
        processen.append(subprocess.Popen([sys.executable, "-m", "portal.cli", "scheduler"], cwd=PROJECT_ROOT,
                                          env=instellingen))
    click.echo(f"Het BW-portaal draait op http://{host}:{port}/ — stoppen met Ctrl-C.")

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Ctrl-C, or a process manager's SIGTERM: stop everything this command started.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processen):
            with contextlib.suppress(subprocess.TimeoutExpired):
                processen[0].wait(timeout=1)
    except KeyboardInterrupt:
        click.echo("Het portaal stopt...")
    finally:
        for proces in processen:
            if proces.poll() is None:
                proces.send_signal(signal.SIGTERM)
        for proces in processen:
            try:
                proces.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proces.kill()
    mislukt = [p.returncode for p in processen if p.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
    if mislukt:
        raise SystemExit(1)


@cli.group("audit", help="De audittrail.")
def audit_group() -> None:
    pass


@audit_group.command("controleer", help="Controleer de hashketen van de audittrail; niet 0 bij een breuk.")
@with_appcontext
def audit_controleer() -> None:
    from portal.services import audit

    uitkomst = audit.controleer()
    if uitkomst.breuk is not None:
        breuk = uitkomst.breuk
        welke = f"gebeurtenis {breuk.event_id}" if breuk.event_id is not None else "het einde van de keten"
        raise Fout(f"de audittrail is gebroken bij {welke} (plaats {breuk.volgnummer} in de keten): {breuk.reden}. "
                   f"De {uitkomst.aantal} gebeurtenissen daarvoor kloppen. Zet de trail terug uit een back-up "
                   "en zoek uit wie de database heeft gewijzigd.")
    click.echo(f"De audittrail klopt: {uitkomst.aantal} gebeurtenissen, de hashketen is ongebroken "
               f"(laatste hash {uitkomst.laatste_hash[:16]}…).")


def main() -> None:
    cli(prog_name="portal")


if __name__ == "__main__":
    main()
