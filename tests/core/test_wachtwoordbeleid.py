"""The password policy (issue 11, point 3c): at least 12 characters, not a common password, not the e-mail."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from portal import wachtwoordbeleid
from portal.wachtwoordbeleid import IS_EMAIL, TE_KORT, TE_LANG, VEELGEBRUIKT, controleer

SEED = Path(__file__).resolve().parents[2] / "seed" / "demo_gemeenten.toml"


def test_a_long_uncommon_password_that_is_not_the_email_passes():
    assert controleer("paarse olifant op de fiets", "jan@gemeente.nl") == []


def test_eleven_characters_are_too_few_and_twelve_are_enough():
    assert controleer("Xk4#pq9!Lm2", "jan@gemeente.nl") == [TE_KORT]
    assert controleer("Xk4#pq9!Lm2z", "jan@gemeente.nl") == []


def test_more_than_two_hundred_characters_are_refused():
    assert controleer("a9" * 101, "jan@gemeente.nl") == [TE_LANG]


@pytest.mark.parametrize("wachtwoord", ["qwertyuiop123", "Wachtwoord2024", "WELKOM123456", "password 1234",
                                        "1q2w3e4r5t6y", "Welkom2022!!"])
def test_common_passwords_are_refused_whatever_their_case_or_spaces(wachtwoord):
    assert controleer(wachtwoord, "jan@gemeente.nl") == [VEELGEBRUIKT]


@pytest.mark.parametrize("wachtwoord", ["jan.de.vries@gemeente.nl", "JAN.DE.VRIES@GEMEENTE.NL", "jan.de.vries",
                                        "jan.de.vries2024", "Jan.de.Vries!"])
def test_the_email_address_or_its_local_part_is_refused(wachtwoord):
    assert IS_EMAIL in controleer(wachtwoord, "Jan.de.Vries@Gemeente.nl")


def test_every_broken_rule_is_named_at_once():
    assert controleer("jan", "jan@gemeente.nl") == [TE_KORT, IS_EMAIL]


def test_every_message_says_what_is_wrong_and_what_to_do():
    for melding in (TE_KORT, TE_LANG, VEELGEBRUIKT, IS_EMAIL):
        assert melding.startswith(("Het wachtwoord", "Dit wachtwoord")) and ("gebruik" in melding or "Kies" in melding)


def test_the_list_holds_only_passwords_the_length_rule_lets_through():
    lijst = wachtwoordbeleid.veelgebruikte_wachtwoorden()
    assert len(lijst) > 150
    assert all(len(wachtwoord) >= wachtwoordbeleid.MIN_LENGTE for wachtwoord in lijst)


def test_the_demo_passwords_pass_the_policy():
    demo = tomllib.loads(SEED.read_text(encoding="utf-8"))
    gebruikers = [g for g in _alle_tabellen(demo) if "password" in g and "email" in g]
    assert len(gebruikers) >= 6
    for gebruiker in gebruikers:
        assert controleer(gebruiker["password"], gebruiker["email"]) == [], gebruiker["email"]


def _alle_tabellen(waarde: object) -> list[dict]:
    if isinstance(waarde, dict):
        return [waarde, *[t for v in waarde.values() for t in _alle_tabellen(v)]]
    if isinstance(waarde, list):
        return [t for v in waarde for t in _alle_tabellen(v)]
    return []
