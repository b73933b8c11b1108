"""The `portal` command line."""
from __future__ import annotations

from sqlalchemy import select

from portal.cli import cli
from tests.scenario import maak_gebruiker, maak_gemeente


def test_user_create_makes_a_user_who_can_log_in(app, session):
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "Nieuw@Amsterdam.example.nl", "--password", "Een-goed-wachtwoord",
        "--role", "gemeente", "--gemeente", "0363"])
    assert result.exit_code == 0, result.output
    assert "nieuw@amsterdam.example.nl" in result.output
    assert session.login("nieuw@amsterdam.example.nl", "Een-goed-wachtwoord").status_code == 302


def test_user_create_refuses_an_unknown_gemeente_in_dutch(app):
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "x@example.nl", "--password", "Een-goed-wachtwoord",
        "--role", "gemeente", "--gemeente", "9999"])
    assert result.exit_code == 1
    assert "Gemeente met code 9999 is niet bekend" in result.output


def test_user_create_refuses_a_duplicate_address_whatever_its_case(app):
    with app.app_context():
        maak_gemeente("0363", "Amsterdam")
        maak_gebruiker("dubbel@example.nl", gemeenten=("0363",))
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "DUBBEL@example.nl", "--password", "Een-goed-wachtwoord",
        "--role", "cak"])
    assert result.exit_code == 1
    assert "Er bestaat al een gebruiker" in result.output


def test_user_create_refuses_a_short_password_and_an_unknown_role(app):
    runner = app.test_cli_runner()
    short = runner.invoke(cli, ["user", "create", "--email", "a@example.nl", "--password", "kort",
                                "--role", "cak"])
    assert short.exit_code == 1 and "minstens 10 tekens" in short.output
    role = runner.invoke(cli, ["user", "create", "--email", "a@example.nl", "--password",
                               "Een-goed-wachtwoord", "--role", "baas"])
    assert role.exit_code == 2


def test_a_gemeente_user_needs_a_gemeente(app):
    result = app.test_cli_runner().invoke(cli, [
        "user", "create", "--email", "a@example.nl", "--password", "Een-goed-wachtwoord",
        "--role", "gemeente"])
    assert result.exit_code == 1
    assert "minstens één gemeente" in result.output


def test_created_users_are_in_the_audit_trail(app):
    from portal.extensions import db
    from portal.models import AuditEvent

    app.test_cli_runner().invoke(cli, ["user", "create", "--email", "cak@example.nl", "--password",
                                       "Een-goed-wachtwoord", "--role", "cak_beheerder"])
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.actie == "gebruiker_aangemaakt")).one()
        assert event.actor == "opdrachtregel"
        assert event.details["role"] == "cak_beheerder"
