"""The CBS gemeente list of 1 October 2022 (seed/cbs_gemeenten_2022-10-01.csv)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.gemeentecodes import STANDAARD_PAD, GemeentelijstFout, cbs_codes, laad_cbs_gemeenten

SEED_CSV = Path(__file__).resolve().parents[2] / "seed" / "cbs_gemeenten_2022-10-01.csv"


def _rijen() -> list[list[str]]:
    with SEED_CSV.open(encoding="utf-8", newline="") as bestand:
        return list(csv.reader(bestand))


def test_the_csv_has_the_header_and_344_unique_four_digit_codes_sorted_by_code():
    # 345 gemeenten on 1-1-2022 (CBS), minus Weesp (merged into Amsterdam on 24-3-2022) = 344.
    rijen = _rijen()
    assert rijen[0] == ["gemeentecode", "gemeentenaam"]
    codes = [rij[0] for rij in rijen[1:]]
    assert len(codes) == 344
    assert len(set(codes)) == 344
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    assert codes == sorted(codes)
    assert all(rij[1].strip() for rij in rijen[1:])


def test_the_csv_contains_amsterdam_and_not_weesp():
    gemeenten = laad_cbs_gemeenten()
    assert gemeenten["0363"] == "Amsterdam"
    assert "0457" not in gemeenten
    assert "Weesp" not in gemeenten.values()


def test_the_mergers_of_1_january_2022_are_in_and_their_old_gemeenten_are_out():
    gemeenten = laad_cbs_gemeenten()
    # Beemster joined Purmerend.
    assert gemeenten["0439"] == "Purmerend"
    assert "0370" not in gemeenten
    # Heerhugowaard + Langedijk became Dijk en Waard.
    assert gemeenten["1980"] == "Dijk en Waard"
    assert {"0398", "0416"}.isdisjoint(gemeenten)
    # Landerd + Uden became Maashorst.
    assert gemeenten["1991"] == "Maashorst"
    assert {"1685", "0856"}.isdisjoint(gemeenten)
    # Boxmeer, Cuijk, Grave, Mill en Sint Hubert and Sint Anthonis became Land van Cuijk.
    assert gemeenten["1982"] == "Land van Cuijk"
    assert {"0756", "1684", "0786", "0815", "1702"}.isdisjoint(gemeenten)


def test_the_merger_of_2021_is_in_and_the_merger_of_2023_is_not_yet():
    gemeenten = laad_cbs_gemeenten()
    # Appingedam, Delfzijl and Loppersum became Eemsdelta on 1-1-2021.
    assert gemeenten["1979"] == "Eemsdelta"
    assert {"0003", "0010", "0024"}.isdisjoint(gemeenten)
    # Voorne aan Zee (1992) only exists from 1-1-2023: its three gemeenten still stand.
    assert "1992" not in gemeenten
    assert gemeenten["0501"] == "Brielle"
    assert gemeenten["0530"] == "Hellevoetsluis"
    assert gemeenten["0614"] == "Westvoorne"


def test_names_keep_their_official_spelling():
    gemeenten = laad_cbs_gemeenten()
    assert gemeenten["0518"] == "'s-Gravenhage"
    assert gemeenten["0796"] == "'s-Hertogenbosch"
    assert gemeenten["0820"] == "Nuenen, Gerwen en Nederwetten"
    assert gemeenten["1900"] == "Súdwest-Fryslân"
    assert gemeenten["0893"] == "Bergen (L.)"
    assert gemeenten["0373"] == "Bergen (NH.)"
    assert gemeenten["0014"] == "Groningen"


def test_the_default_path_is_the_seed_csv_of_the_repository():
    assert STANDAARD_PAD == SEED_CSV
    assert laad_cbs_gemeenten() == laad_cbs_gemeenten(SEED_CSV)
    assert laad_cbs_gemeenten(str(SEED_CSV)) == laad_cbs_gemeenten()


def test_cbs_codes_is_the_frozen_set_of_the_codes():
    codes = cbs_codes()
    assert isinstance(codes, frozenset)
    assert codes == frozenset(laad_cbs_gemeenten())
    assert "0363" in codes and "0457" not in codes


def test_an_explicit_path_is_read(tmp_path):
    lijst = tmp_path / "gemeenten.csv"
    lijst.write_text("gemeentecode,gemeentenaam\n0363,Amsterdam\n0014,Groningen\n", encoding="utf-8")
    assert laad_cbs_gemeenten(lijst) == {"0014": "Groningen", "0363": "Amsterdam"}
    assert cbs_codes(lijst) == frozenset({"0014", "0363"})


def test_a_missing_file_gives_a_clear_dutch_error(tmp_path):
    ontbrekend = tmp_path / "bestaat-niet.csv"
    with pytest.raises(GemeentelijstFout, match="niet gevonden") as fout:
        laad_cbs_gemeenten(ontbrekend)
    assert str(ontbrekend) in str(fout.value)


@pytest.mark.parametrize(("inhoud", "melding"), [
    ("code,naam\n0363,Amsterdam\n", "eerste regel"),
    ("gemeentecode,gemeentenaam\n363,Amsterdam\n", "vier cijfers"),
    ("gemeentecode,gemeentenaam\n0363,\n", "naam ontbreekt"),
    ("gemeentecode,gemeentenaam\n0363,Amsterdam\n0363,Amsterdam\n", "dubbel"),
])
def test_a_malformed_file_is_refused_with_the_line_that_is_wrong(tmp_path, inhoud, melding):
    lijst = tmp_path / "gemeenten.csv"
    lijst.write_text(inhoud, encoding="utf-8")
    with pytest.raises(GemeentelijstFout, match=melding):
        laad_cbs_gemeenten(lijst)
