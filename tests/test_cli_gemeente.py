"""`portal gemeente zet`: the CAK's settings of a gemeente from the command line, through the same service
as the beheerder's page; Dutch output, and a refusal is a Dutch message with exit code 1."""
from __future__ import annotations

from portal.cli import cli
from tests.scenario import gemeente_met_code, leverende_gemeente, tijdlijn, toestand


def _portal(app, *args: str):
    return app.test_cli_runner().invoke(cli, list(args))


def test_gemeente_zet_changes_the_given_settings_and_says_what_changed(app):
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", 3, regio=(("0384", "Diemen", 2),))

    uitvoer = _portal(app, "gemeente", "zet", "0384", "--startnummer", "38400001", "--prefix", "680384",
                      "--levert-zelf-aan", "ja", "--contact-email", "bw@diemen.example.nl")

    assert uitvoer.exit_code == 0, uitvoer.output
    assert uitvoer.output.splitlines() == [
        "Gewijzigd: eerste BwStartNummer: leeg → 38400001",
        "Gewijzigd: e-mailadres contactpersoon: leeg → bw@diemen.example.nl",
        "Gewijzigd: levert zelf aan: nee → ja",
    ]
    with app.app_context():
        diemen = gemeente_met_code("0384")
        assert diemen.levert_aan and diemen.bw_startnummer == 38400001
        assert str(toestand(diemen)) == "NIET_GEPLAND"
        assert [g.door for g in tijdlijn(diemen, "instellingen")] == ["opdrachtregel"]


def test_gemeente_zet_refuses_an_overlapping_block_in_dutch_with_exit_code_1(app):
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", 1)
        leverende_gemeente("0344", "Utrecht", 1)

    uitvoer = _portal(app, "gemeente", "zet", "0344", "--startnummer", "36350000")

    assert uitvoer.exit_code == 1
    assert uitvoer.output.strip() == (
        "Fout: Het startnummer 36350000 is geweigerd: het blok 36350000 t/m 36449999 overlapt met het blok van "
        "Amsterdam (0363), 36300001 t/m 36400000. Kies een startnummer waarvan het blok geen ander blok raakt.")
    with app.app_context():
        assert gemeente_met_code("0344").bw_startnummer == 34400001


def test_gemeente_zet_names_an_unknown_code_and_says_when_nothing_changed(app):
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", 1)

    onbekend = _portal(app, "gemeente", "zet", "9999", "--prefix", "689999")
    hetzelfde = _portal(app, "gemeente", "zet", "0363", "--prefix", "680363")

    assert onbekend.exit_code == 1
    assert onbekend.output.strip() == "Fout: Er is geen gemeente met code 9999; controleer de gemeentecode."
    assert hetzelfde.exit_code == 0
    assert hetzelfde.output.strip() == "Er is niets gewijzigd: de instellingen van gemeente 0363 waren al zo."
