"""`portal ieb check FILE... --today YYYY-MM-DD [--out DIR] [--json]`: checking WMO407 files without a database.

The command is run as a user runs it: `click.testing.CliRunner` on `portal.cli.cli` in an environment
without PORTAL_MODE, DATABASE_URL or SECRET_KEY (so the portal itself could not even start), and once
as the installed `portal` program in a subprocess.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal import ieb
from portal.cli import cli

VOORBEELD = Path(__file__).parent / "ieb" / "voorbeelden" / "wmo407_voorbeeld.xml"
PORTAL = Path(sys.executable).parent / "portal"
OMGEVING = ("PORTAL_MODE", "DATABASE_URL", "SECRET_KEY", "FLASK_APP", "FLASK_DEBUG", "TEST_DATABASE_URL")


def _bericht(identificatie: str, *clients: ieb.Client, afzender: str = "0363",
             dagtekening: date = date(2022, 10, 4)) -> bytes:
    return ieb.wmo407_bytes(afzender=afzender, identificatie=identificatie, dagtekening=dagtekening,
                            clients=list(clients))


def _client(bsn: str, nummer: int, status: int = 1, einde: date | None = None) -> ieb.Client:
    return ieb.Client(bsn, (ieb.Periode(nummer, date(2022, 10, 1), einde, status),))


@pytest.fixture
def map_(tmp_path, monkeypatch):
    """A working directory with WMO407 files; the environment holds no portal configuration."""
    for naam in OMGEVING:
        monkeypatch.delenv(naam, raising=False)
    invoer = tmp_path / "invoer"
    invoer.mkdir()
    monkeypatch.chdir(invoer)
    bestanden = {
        "voorbeeld.xml": VOORBEELD.read_bytes(),
        "nogmaals.xml": VOORBEELD.read_bytes(),
        "kapot.xml": b"<wmo407:Bericht",
        "xsd.xml": VOORBEELD.read_bytes().replace(b"123456782", b"12345"),
        "niveau2.xml": _bericht("N2", _client("123456789", 5)),
        "wijziging.v2.xml": _bericht("W1", _client("123456782", 1001, status=2, einde=date(2022, 12, 31))),
        # from a gemeente that does not exist, dated tomorrow, removing periods that were never delivered,
        # and one client without a remark of its own
        "gemengd.xml": _bericht("G1", _client("123456782", 7, status=3), _client("111111110", 8, status=3),
                                _client("999999990", 9), afzender="9999", dagtekening=date(2022, 10, 5)),
    }
    for naam, inhoud in bestanden.items():
        (invoer / naam).write_bytes(inhoud)
    return invoer


def _check(*argumenten: str):
    return CliRunner().invoke(cli, ["ieb", "check", *argumenten], catch_exceptions=False)


def _samenvattingen(uitvoer: str) -> list[str]:
    return [regel for regel in uitvoer.splitlines() if not regel.startswith(" ")]


def test_each_file_gets_exactly_one_summary_line_followed_by_dutch_details_indented_by_two_spaces(map_):
    resultaat = _check("voorbeeld.xml", "nogmaals.xml", "kapot.xml", "xsd.xml", "niveau2.xml", "--today",
                       "2022-10-04")

    regels = resultaat.stdout.splitlines()
    assert _samenvattingen(resultaat.stdout) == [
        "voorbeeld.xml: geaccepteerd -",
        "nogmaals.xml: afgekeurd 9056,9404",
        "kapot.xml: ongeldig -",
        "xsd.xml: ongeldig -",
        "niveau2.xml: afgekeurd 0001",
    ]
    details = [regel for regel in regels if regel.startswith(" ")]
    assert all(regel.startswith("  ") and not regel.startswith("   ") and regel.strip() for regel in details)
    per_bestand: dict[str, list[str]] = {}
    huidig = ""
    for regel in regels:
        if regel.startswith("  "):
            per_bestand[huidig].append(regel.strip())
        else:
            huidig = regel.split(":")[0]
            per_bestand[huidig] = []
    assert per_bestand["voorbeeld.xml"] == ["Het bericht is geaccepteerd: 1 cliënt en 1 periode zijn verwerkt."]
    assert any(r.startswith("9056 TR056") for r in per_bestand["nogmaals.xml"])
    assert any(r.startswith("9404 TR404") for r in per_bestand["nogmaals.xml"])
    assert any("geen goedgevormde XML" in r for r in per_bestand["kapot.xml"])
    assert per_bestand["xsd.xml"][0].startswith("Bericht voldoet niet aan XSD")
    assert any("Bsn" in r and "9 cijfers" in r for r in per_bestand["xsd.xml"])
    assert any("CS002" in r and "elfproef" in r for r in per_bestand["niveau2.xml"])
    assert resultaat.exit_code == 2


def test_the_example_and_then_the_same_example_again_is_rejected_with_9056_and_9404(map_):
    resultaat = _check("voorbeeld.xml", "voorbeeld.xml", "--today", "2022-10-04")

    assert _samenvattingen(resultaat.stdout) == ["voorbeeld.xml: geaccepteerd -", "voorbeeld.xml: afgekeurd 9056,9404"]
    assert resultaat.exit_code == 1


def test_every_run_starts_with_an_empty_register(map_):
    eerste = _check("voorbeeld.xml", "--today", "2022-10-04")
    tweede = _check("voorbeeld.xml", "--today", "2022-10-04")

    assert eerste.stdout.splitlines()[0] == tweede.stdout.splitlines()[0] == "voorbeeld.xml: geaccepteerd -"
    assert eerste.exit_code == tweede.exit_code == 0


def test_an_accepted_file_changes_the_register_for_the_files_after_it(map_):
    resultaat = _check("voorbeeld.xml", "wijziging.v2.xml", "--today", "2022-10-04")
    alleen_wijziging = _check("wijziging.v2.xml", "--today", "2022-10-04")

    assert _samenvattingen(resultaat.stdout) == ["voorbeeld.xml: geaccepteerd -", "wijziging.v2.xml: geaccepteerd -"]
    assert _samenvattingen(alleen_wijziging.stdout) == ["wijziging.v2.xml: afgekeurd 9103"]


def test_the_codes_are_distinct_sorted_and_leave_out_0200(map_):
    resultaat = _check("gemengd.xml", "--today", "2022-10-04", "--out", "uit")

    assert _samenvattingen(resultaat.stdout) == ["gemengd.xml: afgekeurd 8848,9063,S300"]
    wmo408 = (map_ / "uit" / "gemengd.wmo408.xml").read_bytes()
    assert wmo408.count(b"9063") == 2 and b"0200" in wmo408


def test_out_writes_a_wmo408_named_after_each_files_stem_and_none_for_an_invalid_file(map_):
    resultaat = _check("voorbeeld.xml", "kapot.xml", "wijziging.v2.xml", "niveau2.xml", "--today", "2022-10-04",
                       "--out", "retour")

    assert sorted(p.name for p in (map_ / "retour").iterdir()) == [
        "niveau2.wmo408.xml", "voorbeeld.wmo408.xml", "wijziging.v2.wmo408.xml"]
    for naam in ("voorbeeld", "wijziging.v2", "niveau2"):
        inhoud = (map_ / "retour" / f"{naam}.wmo408.xml").read_bytes()
        assert ieb.valideer_wmo408(inhoud) == []
    assert ("  Het retourbericht (WMO408) is opgeslagen als retour/voorbeeld.wmo408.xml."
            in resultaat.stdout.splitlines())
    assert _samenvattingen(resultaat.stdout) == [
        "voorbeeld.xml: geaccepteerd -", "kapot.xml: ongeldig -", "wijziging.v2.xml: geaccepteerd -",
        "niveau2.xml: afgekeurd 0001"]


def test_json_gives_one_object_per_file_with_outcome_codes_details_and_the_wmo408_path(map_):
    resultaat = _check("voorbeeld.xml", "nogmaals.xml", "kapot.xml", "--today", "2022-10-04", "--json",
                       "--out", "uit")

    uitkomsten = json.loads(resultaat.stdout)
    assert [(u["bestand"], u["uitkomst"], u["retourcodes"], u["wmo408"]) for u in uitkomsten] == [
        ("voorbeeld.xml", "geaccepteerd", [], "uit/voorbeeld.wmo408.xml"),
        ("nogmaals.xml", "afgekeurd", ["9056", "9404"], "uit/nogmaals.wmo408.xml"),
        ("kapot.xml", "ongeldig", [], None)]
    assert all(u["details"] and all(isinstance(d, str) for d in u["details"]) for u in uitkomsten)
    assert resultaat.exit_code == 2


@pytest.mark.parametrize("bestanden, verwacht", [
    (["voorbeeld.xml"], 0),
    (["voorbeeld.xml", "wijziging.v2.xml"], 0),
    (["voorbeeld.xml", "nogmaals.xml"], 1),
    (["niveau2.xml"], 1),
    (["xsd.xml"], 2),
    (["voorbeeld.xml", "nogmaals.xml", "kapot.xml"], 2),
    (["kapot.xml", "voorbeeld.xml", "nogmaals.xml"], 2),
], ids=["accepted", "two-accepted", "rejected", "level-2", "xsd", "invalid-after-rejected",
        "invalid-before-rejected"])
def test_the_exit_code_is_0_when_all_are_accepted_1_when_one_is_rejected_and_2_when_one_is_invalid(
        map_, bestanden, verwacht):
    assert _check(*bestanden, "--today", "2022-10-04").exit_code == verwacht
    assert _check(*bestanden, "--today", "2022-10-04", "--json").exit_code == verwacht


def test_a_missing_file_is_ongeldig_with_a_dutch_reason(map_):
    resultaat = _check("voorbeeld.xml", "bestaat-niet.xml", "--today", "2022-10-04")

    assert _samenvattingen(resultaat.stdout) == ["voorbeeld.xml: geaccepteerd -", "bestaat-niet.xml: ongeldig -"]
    assert "kan niet worden gelezen" in resultaat.stdout
    assert resultaat.exit_code == 2


@pytest.mark.parametrize("argumenten", [
    ["voorbeeld.xml", "--today", "4-10-2022"],
    ["voorbeeld.xml", "./voorbeeld.xml", "--today", "2022-10-04", "--out", "uit"],
], ids=["malformed-today", "same-stem-twice-with-out"])
def test_a_wrong_invocation_is_explained_in_dutch_and_not_reported_as_a_rejected_file(map_, argumenten):
    resultaat = _check(*argumenten)

    assert resultaat.stdout == ""
    assert resultaat.stderr.startswith("Fout: ")
    # 1 means "a file was rejected" to a script; a usage error is exit code 2, as click gives without --today
    assert resultaat.exit_code == _check("voorbeeld.xml").exit_code == 2


def test_the_installed_program_runs_without_database_or_portal_configuration(map_):
    omgeving = {k: v for k, v in os.environ.items() if k not in OMGEVING}

    proces = subprocess.run([str(PORTAL), "ieb", "check", "voorbeeld.xml", "nogmaals.xml", "--today", "2022-10-04"],
                            cwd=map_, env=omgeving, capture_output=True, text=True, timeout=120)

    assert proces.stderr == ""
    assert _samenvattingen(proces.stdout) == ["voorbeeld.xml: geaccepteerd -", "nogmaals.xml: afgekeurd 9056,9404"]
    assert proces.returncode == 1
