"""The deterministic demo scenario (portal/demo.py, seed/demo_gemeenten.toml)."""
from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from stdnum.nl import bsn as stdnum_bsn

from portal import config
from portal.demo import (
    CENTRUMGEMEENTE,
    DEMO_SEED,
    REGIOGEMEENTE,
    DemoDataFout,
    demo_scenario,
)
from portal.gemeentecodes import laad_cbs_gemeenten

SEED_TOML = Path(__file__).resolve().parents[2] / "seed" / "demo_gemeenten.toml"
PEILDATUM = date(2022, 10, 1)
ROLLEN = ("gemeente", "gemeente_beheerder", "cak", "cak_beheerder", "leverancier")


@pytest.fixture(scope="module")
def scenario():
    return demo_scenario()


def _standaard_timeslots() -> tuple[date, ...]:
    standaard = next(s.default for s in config.SETTINGS if s.name == "TIMESLOTS")
    return tuple(date.fromisoformat(d) for d in standaard.split(","))


def _minderjarig(geboren: date) -> bool:
    try:
        achttien = geboren.replace(year=geboren.year + 18)
    except ValueError:
        achttien = geboren.replace(year=geboren.year + 18, day=28)
    return achttien > PEILDATUM


def test_every_demo_gemeente_code_is_in_the_cbs_list_with_its_cbs_name(scenario):
    cbs = laad_cbs_gemeenten()
    for gemeente in scenario.gemeenten:
        assert gemeente.code in cbs
        assert gemeente.naam == cbs[gemeente.code]
    for client in scenario.clients:
        assert client.gemeentecode in cbs


def test_there_are_about_eight_delivering_gemeenten_with_centrumgemeenten_and_one_that_delivers_itself(scenario):
    leverend = scenario.leverende_gemeenten
    assert 7 <= len(leverend) <= 10
    assert sum(g.soort == CENTRUMGEMEENTE for g in leverend) >= 6
    zelf = [g for g in leverend if g.soort == REGIOGEMEENTE]
    assert zelf and all(g.levert_zelf_aan for g in zelf)
    assert all(scenario.gemeente(g.centrumgemeente_code).soort == CENTRUMGEMEENTE for g in zelf)
    assert scenario.gemeente("0363").naam == "Amsterdam"


def test_each_default_timeslot_has_at_least_one_delivering_gemeente(scenario):
    timeslots = _standaard_timeslots()
    assert timeslots == (date(2022, 10, 3), date(2022, 10, 10), date(2022, 10, 17),
                         date(2022, 10, 24), date(2022, 10, 31), date(2022, 11, 7))
    per_timeslot = Counter(g.voorkeur_timeslot for g in scenario.leverende_gemeenten)
    for timeslot in timeslots:
        assert per_timeslot[timeslot] >= 1, timeslot
    assert set(per_timeslot) <= set(timeslots)


def test_delivering_gemeenten_have_prefix_startnummer_contact_and_example_domains(scenario):
    for gemeente in scenario.leverende_gemeenten:
        assert gemeente.prefix == "68" + gemeente.code
        assert gemeente.bw_startnummer == int(gemeente.code) * 100000 + 1
        assert gemeente.contact_naam
        assert gemeente.contact_email.endswith(".example.nl")
        assert gemeente.contact_telefoon.startswith("010-")


def test_bw_startnummer_blocks_never_collide(scenario):
    blokken = sorted((g.bw_startnummer, g.bw_startnummer + len(scenario.clients_van(g.code)))
                     for g in scenario.leverende_gemeenten)
    for (_, einde), (volgende_start, _) in pairwise(blokken):
        assert einde <= volgende_start


def test_non_delivering_regiogemeenten_have_no_b4_of_their_own_but_appear_in_their_centrumgemeentes(scenario):
    niet_leverend = [g for g in scenario.gemeenten if not g.levert_aan]
    assert len(niet_leverend) >= 6
    for gemeente in niet_leverend:
        assert gemeente.soort == REGIOGEMEENTE
        assert gemeente.voorkeur_timeslot is None and gemeente.bw_startnummer is None
        assert scenario.clients_van(gemeente.code) == ()
        rijen = [c for c in scenario.clients if c.gemeentecode == gemeente.code]
        assert rijen, gemeente.code
        assert {c.leverende_gemeentecode for c in rijen} == {gemeente.centrumgemeente_code}


def test_a_regiogemeente_that_delivers_itself_has_only_its_own_clients(scenario):
    zelf = [g for g in scenario.leverende_gemeenten if g.levert_zelf_aan]
    for gemeente in zelf:
        rijen = scenario.clients_van(gemeente.code)
        assert rijen and {c.gemeentecode for c in rijen} == {gemeente.code}
        centrum_b4 = scenario.clients_van(gemeente.centrumgemeente_code)
        assert gemeente.code not in {c.gemeentecode for c in centrum_b4}


def test_every_delivering_gemeente_has_between_20_and_400_clients_and_the_numbers_vary(scenario):
    aantallen = [len(scenario.clients_van(g.code)) for g in scenario.leverende_gemeenten]
    assert all(20 <= n <= 400 for n in aantallen)
    assert len(set(aantallen)) == len(aantallen)
    assert sum(aantallen) == len(scenario.clients)


def test_all_bsns_pass_the_elfproef_start_with_9999_and_are_unique(scenario):
    bsns = [c.bsn for c in scenario.clients]
    assert all(stdnum_bsn.is_valid(b) for b in bsns)
    assert all(len(b) == 9 and b.startswith("9999") for b in bsns)
    assert len(set(bsns)) == len(bsns)


def test_client_rows_fill_the_b4_columns_a_to_k_with_valid_values(scenario):
    for client in scenario.clients:
        waarden = client.b4_waarden()
        assert len(waarden) == 11
        assert waarden[0] == client.gemeentecode and waarden[1] == client.bsn
        assert client.geslachtsnaam and client.voorletters.endswith(".")
        assert client.voorvoegsel in {"", "de", "van", "van der", "van den", "'t", "in 't"}
        assert date(2016, 1, 1) <= client.datum_start_bw <= date(2022, 9, 30)
        assert client.geboortedatum < client.datum_start_bw
        assert client.datum_einde_bw is None or client.datum_einde_bw > client.datum_start_bw
        assert client.bron in {"H&V", "EXCEL", "60-RECORD"}
        assert len(client.aanbieder_agb) == 8 and client.aanbieder_agb.isdigit()
        assert client.soort_bijdrage in {"LEB", "HEB"}


def test_the_mix_shows_every_source_both_bijdragen_prefixes_and_some_end_dates(scenario):
    clients = scenario.clients
    assert {c.bron for c in clients} == {"H&V", "EXCEL", "60-RECORD"}
    assert {c.soort_bijdrage for c in clients} == {"LEB", "HEB"}
    assert {"", "de", "van", "van der"} <= {c.voorvoegsel for c in clients}
    met_einde = sum(c.datum_einde_bw is not None for c in clients)
    assert 0 < met_einde < len(clients) / 5


def test_each_b4_has_a_few_minors_on_1_october_2022_and_mostly_adults(scenario):
    for gemeente in scenario.leverende_gemeenten:
        rijen = scenario.clients_van(gemeente.code)
        minderjarig = [c for c in rijen if _minderjarig(c.geboortedatum)]
        assert 1 <= len(minderjarig) <= len(rijen) / 10, gemeente.code
        assert all(c.is_minderjarig_op(PEILDATUM) == _minderjarig(c.geboortedatum) for c in rijen)


def test_the_first_b4_holds_the_18th_birthday_edge_cases(scenario):
    geboortedata = {c.geboortedatum for c in scenario.clients_van("0363")}
    assert date(2004, 10, 1) in geboortedata   # 18 on the BwStartdatum itself: not minderjarig
    assert date(2004, 10, 2) in geboortedata   # 18 one day later: minderjarig


def test_two_calls_give_the_same_scenario():
    eerste, tweede = demo_scenario(), demo_scenario()
    assert eerste == tweede
    assert eerste is not tweede
    assert DEMO_SEED == 20221001


def test_the_scenario_is_built_from_plain_frozen_dataclasses(scenario):
    for waarde in (scenario, scenario.gemeenten[0], scenario.clients[0], scenario.gebruikers[0]):
        assert dataclasses.is_dataclass(waarde)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(waarde, dataclasses.fields(waarde)[0].name, None)
    assert isinstance(scenario.clients, tuple)


def test_every_role_has_a_demo_user(scenario):
    rollen = Counter(g.role for g in scenario.gebruikers)
    assert set(rollen) == set(ROLLEN)


def test_demo_users_match_the_brief(scenario):
    gebruikers = {g.email: g for g in scenario.gebruikers}
    assert gebruikers["gemeente@demo.example.nl"].password == "Demo-gemeente-2022"
    gemeente_users = [g for g in scenario.gebruikers if g.role == "gemeente"]
    assert len({g.gemeenten for g in gemeente_users}) >= 2
    beheerder = next(g for g in scenario.gebruikers if g.role == "gemeente_beheerder")
    assert beheerder.gemeenten == ("0363",)
    leverancier = next(g for g in scenario.gebruikers if g.role == "leverancier")
    assert len(leverancier.gemeenten) == 2
    leverend = {g.code for g in scenario.leverende_gemeenten}
    for gebruiker in scenario.gebruikers:
        assert gebruiker.email.endswith(".example.nl")
        assert len(gebruiker.password) >= 10 and gebruiker.naam
        assert set(gebruiker.gemeenten) <= leverend
        assert (gebruiker.role in {"cak", "cak_beheerder"}) == (gebruiker.gemeenten == ())


def _schrijf(tmp_path: Path, tekst: str) -> Path:
    pad = tmp_path / "demo.toml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


LEVEREND = """
[[gemeente]]
code = "{code}"
soort = "centrumgemeente"
bw_startnummer = {start}
contact_naam = "Test Persoon"
contact_email = "bw@test.example.nl"
contact_telefoon = "010-5550000"
voorkeur_timeslot = 2022-10-03
aantal_clienten = 20
"""


def test_a_demo_gemeente_outside_the_cbs_list_is_refused(tmp_path):
    pad = _schrijf(tmp_path, LEVEREND.format(code="0457", start=45700001))
    with pytest.raises(DemoDataFout, match=r"0457.*CBS-lijst"):
        demo_scenario(pad)


def test_overlapping_startnummer_blocks_are_refused(tmp_path):
    pad = _schrijf(tmp_path, LEVEREND.format(code="0363", start=1000)
                   + LEVEREND.format(code="0599", start=1010))
    with pytest.raises(DemoDataFout, match="overlappen"):
        demo_scenario(pad)


def test_a_missing_demo_file_gives_a_clear_error(tmp_path):
    with pytest.raises(DemoDataFout, match="niet gevonden"):
        demo_scenario(tmp_path / "ontbreekt.toml")


def test_the_seed_file_is_the_default(scenario):
    assert demo_scenario(SEED_TOML) == scenario
