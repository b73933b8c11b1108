"""The frame of `make bench`: what it reports must be what happened, or every figure in bench/NOTES.md and
docs/schaal.md rests on sand."""
from __future__ import annotations

import json

import pytest

from bench import kader, run


def _maak_megabytes(aantal: int) -> int:
    blok = bytearray(aantal * 1024 * 1024)
    blok[-1] = 1
    return len(blok)


def test_the_peak_in_a_fresh_process_is_what_the_call_itself_allocated():
    resultaat, piek, voor = kader.in_eigen_proces(_maak_megabytes, 60)

    assert resultaat == 60 * 1024 * 1024
    assert 55 <= piek <= 90
    assert voor > 5


def _faal() -> None:
    raise ValueError("kapot")


def test_a_failing_call_in_its_own_process_is_reported_with_its_error():
    with pytest.raises(RuntimeError, match="ValueError: kapot"):
        kader.in_eigen_proces(_faal)


def test_both_paths_are_timed_alternately_for_every_round():
    volgorde: list[str] = []
    ons, basis = kader.afwisselend(lambda: volgorde.append("ons"), lambda: volgorde.append("basis"), rondes=5)

    assert volgorde == ["ons", "basis"] * 5
    assert len(ons) == len(basis) == 5


def test_a_target_is_met_only_when_ratio_peak_and_statements_are_all_within_bounds():
    def uitslag(**grenzen):
        return kader.resultaat("B4 schrijven", "10 cliënten", "sqlite", [2.0, 1.2], [1.0, 1.1], doel="≤ 1,3×",
                               max_ratio=1.3, **grenzen)

    assert uitslag().ratio == 1.2 and uitslag().gehaald
    assert not kader.resultaat("x", "y", "sqlite", [1.4], [1.0], doel="", max_ratio=1.3).gehaald
    assert not uitslag(piek_mb=120.0, max_piek_mb=100.0).gehaald
    assert uitslag(piek_mb=80.0, max_piek_mb=100.0).gehaald
    assert not uitslag(statements=9, max_statements=8).gehaald


def test_the_table_shows_every_measure_with_its_ratio_and_verdict():
    gehaald = kader.resultaat("Dashboard", "344 gemeenten", "postgresql", [0.05], [0.01], doel="≤ 8 statements",
                              max_ratio=10, statements=6, max_statements=8)
    gemist = kader.resultaat("WMO407", "25 MB", "sqlite", [6.0], [1.0], doel="≤ 5×", max_ratio=5)

    tekst = run.tabel([gehaald, gemist])

    regels = tekst.splitlines()
    assert "Dashboard" in regels[2] and "5,00×" in regels[2] and regels[2].endswith("ja")
    assert "WMO407" in regels[3] and "6,00×" in regels[3] and regels[3].endswith("NEE")


def test_a_partial_run_replaces_only_the_measures_it_ran(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "RESULTATEN", tmp_path / "results.json")
    oud = [{"naam": "WMO407", "grootte": "1.000", "database": "sqlite", "module": "wmo407", "ratio": 9.0},
           {"naam": "Dashboard", "grootte": "344", "database": "postgresql", "module": "web", "ratio": 40.0}]
    run.RESULTATEN.write_text(json.dumps(oud))

    run._bewaar([{"naam": "Dashboard", "grootte": "344", "database": "postgresql", "module": "web", "ratio": 4.0}],
                {"web"})

    bewaard = json.loads(run.RESULTATEN.read_text())
    assert {(o["naam"], o["ratio"]) for o in bewaard} == {("WMO407", 9.0), ("Dashboard", 4.0)}


def test_a_fresh_database_of_the_suites_kind_is_empty_and_takes_the_migrations(tmp_path, database_url):
    import sqlalchemy as sa

    kader.zet_werkmap(tmp_path)
    soort = kader.Database("postgresql", database_url) if database_url.startswith("postgresql") \
        else kader.Database("sqlite", "sqlite")
    url = kader.nieuwe_database(soort, "proef")
    assert url != database_url

    kader.migreer(url)

    engine = sa.create_engine(url)
    with engine.connect() as conn, kader.tel_statements(engine) as teller:
        assert conn.execute(sa.text("SELECT count(*) FROM gemeente")).scalar_one() == 0
    engine.dispose()
    assert teller.aantal == 1
    kader._ruim_op()
