"""The `portal` command line."""
from __future__ import annotations

from sqlalchemy import select

from portal.cli import cli
from tests.scenario import maak_gebruiker, maak_gemeente


def test_user_create_makes_a_user_who_can_log_in(app, session):
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "Nieuw@Amsterdam.example.nl", "--password-stdin",
        "--role", "gemeente", "--gemeente", "0363"], input="Een-goed-wachtwoord\n")
    assert result.exit_code == 0, result.output
    assert "nieuw@amsterdam.example.nl" in result.output
    assert session.login("nieuw@amsterdam.example.nl", "Een-goed-wachtwoord").status_code == 302


def test_user_create_refuses_an_unknown_gemeente_in_dutch(app):
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "x@example.nl", "--password-stdin",
        "--role", "gemeente", "--gemeente", "9999"], input="Een-goed-wachtwoord\n")
    assert result.exit_code == 1
    assert "Gemeente met code 9999 is niet bekend" in result.output


def test_user_create_refuses_a_duplicate_address_whatever_its_case(app):
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker("dubbel@example.nl", gemeenten=("0363",))
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "DUBBEL@example.nl", "--password-stdin",
        "--role", "cak"], input="Een-goed-wachtwoord\n")
    assert result.exit_code == 1
    assert "Er bestaat al een gebruiker" in result.output


def test_user_create_refuses_a_short_password_and_an_unknown_role(app):
    runner = app.test_cli_runner()
    short = runner.invoke(cli, ["user", "create", "--email", "a@example.nl", "--password-stdin", "--role", "cak"],
                          input="kort\n")
    assert short.exit_code == 1 and "gebruik minstens 12 tekens" in short.output
    role = runner.invoke(cli, ["user", "create", "--email", "a@example.nl", "--password-stdin", "--role", "baas"],
                         input="Een-goed-wachtwoord\n")
    assert role.exit_code == 2


def test_user_create_asks_for_the_password_twice_without_showing_it(app, session):
    result = app.test_cli_runner().invoke(cli, ["user", "create", "--email", "cak@example.nl", "--role", "cak"],
                                          input="Een-goed-wachtwoord\nEen-goed-wachtwoord\n")
    assert result.exit_code == 0, result.output
    assert "Wachtwoord: \nHerhaal het wachtwoord: \n" in result.output
    assert "Een-goed-wachtwoord" not in result.output
    assert session.login("cak@example.nl", "Een-goed-wachtwoord").status_code == 302


def test_user_create_refuses_two_different_passwords_at_the_prompt(app):
    result = app.test_cli_runner().invoke(cli, ["user", "create", "--email", "cak@example.nl", "--role", "cak"],
                                          input="Een-goed-wachtwoord\nEen-ander-wachtwoord\n")
    assert result.exit_code == 2
    assert "De twee wachtwoorden zijn niet gelijk; er is niemand aangemaakt." in result.output


def test_user_create_no_longer_takes_the_password_on_the_command_line(app):
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "cak@example.nl", "--password", "Een-goed-wachtwoord", "--role", "cak"])
    assert result.exit_code == 2
    assert "No such option '--password'" in result.output


def test_user_create_refuses_an_empty_standard_input(app):
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "cak@example.nl", "--password-stdin", "--role", "cak"], input="")
    assert result.exit_code == 2
    assert "Er kwam geen wachtwoord binnen op de standaardinvoer" in result.output


def test_user_create_applies_the_password_policy(app):
    runner = app.test_cli_runner()
    veelgebruikt = runner.invoke(cli, ["user", "create", "--email", "a@example.nl", "--password-stdin",
                                       "--role", "cak"], input="Welkom123456\n")
    assert veelgebruikt.exit_code == 1
    assert "lijst van veelgebruikte wachtwoorden" in veelgebruikt.output
    email = runner.invoke(cli, ["user", "create", "--email", "jan.de.vries@example.nl", "--password-stdin",
                                "--role", "cak"], input="Jan.de.Vries@Example.nl\n")
    assert email.exit_code == 1
    assert "uw e-mailadres" in email.output


def test_a_gemeente_user_needs_a_gemeente(app):
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "a@example.nl", "--password-stdin",
        "--role", "gemeente"], input="Een-goed-wachtwoord\n")
    assert result.exit_code == 1
    assert "minstens één gemeente" in result.output


def test_created_users_are_in_the_audit_trail(app):
    from portal.extensions import db
    from portal.models import AuditEvent

    app.test_cli_runner().invoke(cli, ["user", "create", "--email", "cak@example.nl", "--password-stdin",
                                       "--role", "cak_beheerder"], input="Een-goed-wachtwoord\n")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.actie == "gebruiker_aangemaakt")).one()
        assert event.actor == "opdrachtregel"
        assert event.details["role"] == "cak_beheerder"
