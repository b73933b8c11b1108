"""`portal` outside `make run`: `make run` keeps its settings in instance/portal.env, and a command in a new
shell reads them for every setting its environment does not set; a configuration error is one Dutch line.

The commands run in this process with click's runner, each in an environment of its own, the way a new
shell starts them; one runs as a real `portal` process.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from portal.cli import cli
from portal.config import SETTINGS, env_file_path
from portal.kalender import format_moment

ROOT = Path(__file__).resolve().parent.parent


def portal(args: list[str], omgeving: dict[str, str]) -> Result:
    """`portal ARGS` in a new shell whose environment sets exactly ``omgeving`` of the portal's settings."""
    env: dict[str, str | None] = {setting.name: None for setting in SETTINGS}
    env.update({"PORTAL_ENV_FILE": ""}, **omgeving)
    return CliRunner().invoke(cli, args, env=env)


def make_run(env_file: Path, **instellingen: str) -> Result:
    """What `make run` does first: keep the settings it runs with."""
    resultaat = portal(["instellingen", "bewaar"], {"PORTAL_MODE": "ketentest", "SESSION_COOKIE_SECURE": "0",
                                                     "PORTAL_ENV_FILE": str(env_file), **instellingen})
    assert resultaat.exit_code == 0, resultaat.output
    return resultaat


def test_after_make_run_portal_in_a_new_shell_works_on_the_same_database_and_in_the_same_mode(
        app, migrated_database, tmp_path):
    env_file = tmp_path / "portal.env"
    bewaard = make_run(env_file, DATABASE_URL=migrated_database)
    assert bewaard.output == (f"Instellingen bewaard in {env_file}: `portal` werkt ook in een nieuwe shell op "
                              f"{migrated_database} in de modus ketentest.\n")

    nieuwe_shell = {"PORTAL_ENV_FILE": str(env_file)}
    gezet = portal(["klok", "zet", "2022-10-03 10:31"], nieuwe_shell)
    assert gezet.exit_code == 0, gezet.output
    assert gezet.output.startswith("03-10-2022 10:31  (virtuele klok (ketentest))")
    assert portal(["klok"], nieuwe_shell).output.startswith("03-10-2022 10:31  (virtuele klok (ketentest))")
    with app.app_context():
        from portal.extensions import db
        from portal.models import KlokStand

        stand = db.session.scalars(select(KlokStand)).one()
        assert format_moment(stand.moment) == "03-10-2022 10:31"


def test_a_setting_in_the_environment_wins_over_the_file_of_make_run(app, migrated_database, tmp_path):
    env_file = tmp_path / "portal.env"
    make_run(env_file, DATABASE_URL=migrated_database)
    eigen_modus = {"PORTAL_ENV_FILE": str(env_file), "PORTAL_MODE": "ontwikkeling"}

    klok = portal(["klok"], eigen_modus)
    assert klok.exit_code == 0, klok.output
    assert klok.output.rstrip().endswith("(systeemklok)")
    getoond = portal(["instellingen"], eigen_modus).output
    regels = {regel.split()[0]: regel.split()[1:] for regel in getoond.splitlines()}
    assert regels["PORTAL_MODE"] == ["ontwikkeling", "omgeving"]
    assert regels["DATABASE_URL"] == [migrated_database, str(env_file)]
    assert regels["SESSION_COOKIE_SECURE"] == ["0", str(env_file)]
    assert regels["SECRET_KEY"] == ["(niet", "ingesteld)", "standaard"]


def test_the_file_of_make_run_holds_no_secret(tmp_path):
    env_file = tmp_path / "instance" / "portal.env"
    bewaard = make_run(env_file, DATABASE_URL="postgres://portal:Zeer-geheim-1@db.example.nl/portal",
                       SECRET_KEY="Ook-geheim-2", SMTP_PASSWORD="Geheim-3", SMTP_HOST="smtp.example.nl")
    tekst = env_file.read_text(encoding="utf-8")
    for geheim in ("Zeer-geheim-1", "Ook-geheim-2", "Geheim-3"):
        assert geheim not in tekst
        assert geheim not in bewaard.output
    instellingen = [regel for regel in tekst.splitlines() if not regel.startswith("#")]
    assert instellingen == ["DATABASE_URL=postgresql+psycopg://portal@db.example.nl/portal", "PORTAL_MODE=ketentest",
                            "SESSION_COOKIE_SECURE=0", "SMTP_HOST=smtp.example.nl"]
    assert "Het wachtwoord van de database staat niet hier" in tekst


def test_a_relative_sqlite_file_of_make_run_is_the_same_file_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env_file = tmp_path / "portal.env"
    make_run(env_file, DATABASE_URL="sqlite:///demo.sqlite")
    assert f"DATABASE_URL=sqlite:///{tmp_path}/demo.sqlite" in env_file.read_text(encoding="utf-8").splitlines()


def test_portal_reads_instance_portal_env_unless_told_otherwise():
    assert env_file_path({}, "/srv/bw-portaal/instance") == Path("/srv/bw-portaal/instance/portal.env")
    assert env_file_path({"PORTAL_ENV_FILE": "/etc/bw-portaal.env"}, "/srv/instance") == Path("/etc/bw-portaal.env")
    assert env_file_path({"PORTAL_ENV_FILE": ""}, "/srv/instance") is None


@pytest.mark.parametrize(("omgeving", "begin"), [
    ({"PORTAL_MODE": "demo"}, "Fout: PORTAL_MODE 'demo' is onbekend; kies uit: productie, ketentest, ontwikkeling."),
    ({"SMTP_PORT": "vijfentwintig"}, "Fout: SMTP_PORT: 'vijfentwintig' is geen geheel getal."),
    ({"DATABASE_URL": "mysql://portal:geheim@db.example.nl/portal"},
     "Fout: DATABASE_URL 'mysql://portal:***@db.example.nl/portal' is geen database-URL voor het portaal; het werkt "
     "met SQLite of PostgreSQL"),
])
@pytest.mark.parametrize("args", [["klok"], ["db", "upgrade"], ["instellingen"]])
def test_a_configuration_error_is_one_dutch_line_without_a_traceback(omgeving, begin, args, tmp_path):
    resultaat = portal(args, {"PORTAL_MODE": "ketentest", "PORTAL_ENV_FILE": str(tmp_path / "portal.env"),
                              **omgeving})
    assert resultaat.exit_code == 1
    [regel] = resultaat.output.splitlines()
    assert regel.startswith(begin)


def test_a_wrong_line_in_the_file_of_make_run_is_named_with_its_number(tmp_path):
    env_file = tmp_path / "portal.env"
    env_file.write_text("# make run\nPORTAL_MODE=ketentest\nSMTP_HOTS=smtp.example.nl\n", encoding="utf-8")
    resultaat = portal(["klok"], {"PORTAL_ENV_FILE": str(env_file)})
    assert resultaat.exit_code == 1
    assert resultaat.output.splitlines() == [
        f"Fout: {env_file}, regel 3: 'SMTP_HOTS=smtp.example.nl' is geen instelling van het portaal; schrijf "
        "NAAM=waarde met een naam uit de README, of verwijder de regel."]


def test_the_help_shows_a_configuration_error_as_the_same_dutch_line_and_still_lists_the_commands(tmp_path):
    resultaat = portal(["--help"], {"PORTAL_MODE": "demo", "PORTAL_ENV_FILE": str(tmp_path / "portal.env")})
    assert resultaat.exit_code == 0
    assert resultaat.output.count("Fout: PORTAL_MODE 'demo' is onbekend") == 1
    assert "Traceback" not in resultaat.output
    assert "instellingen" in resultaat.output and "migratie" in resultaat.output


def test_portal_in_a_new_shell_before_make_run_says_in_one_dutch_line_what_to_do(tmp_path):
    shell = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PORTAL_ENV_FILE": str(tmp_path / "portal.env")}
    resultaat = subprocess.run([sys.executable, "-m", "portal.cli", "migratie", "status"], cwd=ROOT, env=shell,
                               capture_output=True, text=True, timeout=60)
    assert resultaat.returncode == 1
    assert resultaat.stdout == ""
    [regel] = resultaat.stderr.splitlines()
    assert regel.startswith("Fout: Het portaal start niet in productie met de standaard-SECRET_KEY.")
    assert regel.endswith("voor de demo: start eerst `make run`, daarna gebruikt `portal` dezelfde database en modus.")
