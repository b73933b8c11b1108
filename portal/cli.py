"""The `portal` command line: a Flask CLI group on the application factory.

Each command parses its arguments, calls one service and prints the answer.
"""
from __future__ import annotations

import click
from flask.cli import FlaskGroup, with_appcontext

from portal import create_app


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False,
             help="BW-portaal: beheer vanaf de opdrachtregel.")
def cli() -> None:
    pass


@cli.group("user", help="Gebruikers beheren.")
def user_group() -> None:
    pass


@user_group.command("create", help="Maak een gebruiker aan.")
@click.option("--email", required=True, help="e-mailadres (inlognaam)")
@click.option("--password", required=True, help="wachtwoord, minstens 10 tekens")
@click.option("--role", required=True,
              type=click.Choice(["gemeente", "gemeente_beheerder", "cak", "cak_beheerder", "leverancier"]),
              help="rol van de gebruiker")
@click.option("--gemeente", "gemeenten", multiple=True, help="gemeentecode waarvoor de gebruiker handelt (herhaalbaar)")
@click.option("--naam", default="", help="weergavenaam")
@with_appcontext
def user_create(email: str, password: str, role: str, gemeenten: tuple[str, ...], naam: str) -> None:
    from portal.extensions import db
    from portal.services import accounts
    from portal.services.audit import Actor

    try:
        user = accounts.maak_gebruiker(
            accounts.NieuweGebruiker(email=email, password=password, role=role,
                                     gemeente_codes=tuple(gemeenten), naam=naam),
            Actor.job_named("opdrachtregel"))
    except accounts.OngeldigeGebruiker as fout:
        db.session.rollback()
        raise click.ClickException(fout.melding) from None
    db.session.commit()
    click.echo(f"Gebruiker {user.email} aangemaakt met rol {user.role}.")


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


@cli.command("serve", help="Start het portaal (gunicorn) met de planner ernaast; stop met Ctrl-C.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--zonder-planner", is_flag=True, help="start de planner niet")
def serve(host: str, port: int, workers: int, zonder_planner: bool) -> None:
    import signal
    import subprocess
    import sys

    from portal import PROJECT_ROOT

    import gunicorn

    processen: list[subprocess.Popen] = []
    web = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
           "--threads", "4", "--access-logfile", "-", "--graceful-timeout", "5"]
    if gunicorn.version_info >= (27,):
        web.append("--no-control-socket")
    web.append("wsgi:app")
    processen.append(subprocess.Popen(web, cwd=PROJECT_ROOT))
    if not zonder_planner and "scheduler" in cli.commands:
        processen.append(subprocess.Popen([sys.executable, "-m", "portal.cli", "scheduler"], cwd=PROJECT_ROOT))
    click.echo(f"Het BW-portaal draait op http://{host}:{port}/ — stoppen met Ctrl-C.")
    try:
        while all(p.poll() is None for p in processen):
            try:
                processen[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
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


def main() -> None:
    cli(prog_name="portal")


if __name__ == "__main__":
    main()
