"""De WMO408 is bij elke uitkomst geldig volgens wmo408.xsd en neemt de Header van de WMO407 over."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.ieb import (
    Beoordeling,
    Client,
    GeregistreerdePeriode,
    Header,
    InMemoryRegister,
    Melding,
    Periode,
    Wmo407Bericht,
    beoordeel,
    bouw_wmo408,
    is_geldige_identificatie,
    valideer_wmo408,
)
from tests.scenario import elfproef_bsn

from .berichten import (
    BSN_A,
    BSN_B,
    VANDAAG,
    beoordeel_bytes,
    bericht_bytes,
    client,
    lees_wmo408,
    periode,
)
from .wmo408_referentie import wmo408_per_element

START = date(2022, 10, 1)
DAGTEKENING_RETOUR = date(2022, 10, 5)


def _register(*perioden, identificaties=()):
    return InMemoryRegister([GeregistreerdePeriode(BSN_A, *p) for p in perioden], identificaties)


UITKOMSTEN = {
    "geaccepteerd": ({}, None, [], []),
    "niveau 2 (0001)": ({"clients": [client("123456789", periode(1, START))]}, None, ["0001"], None),
    "S300": ({"afzender": "9999"}, None, ["S300"], [["0200"]]),
    "8848": ({"dagtekening": VANDAAG + timedelta(days=1)}, None, ["8848"], [["0200"]]),
    "9056": ({}, _register(identificaties=["Id &<\"'x"]), ["9056"], [["0200"]]),
    "9404": ({}, _register((1, START, None, False)), [], [["9404"]]),
    "9103": ({"clients": [client(BSN_A, periode(1, START, date(2022, 12, 31), status=2))]}, None, [], [["9103"]]),
    "9063": ({"clients": [client(BSN_A, periode(1, START, status=3))]}, None, [], [["9063"]]),
    "9104": (
        {"clients": [client(BSN_A, periode(1, START, status=3))]},
        _register((1, START, None, True)),
        [],
        [["9104"]],
    ),
    "9395": ({"clients": [client(BSN_A, periode(1, date(2019, 1, 1), date(2019, 12, 31)))]}, None, [], [["9395"]]),
    "9400": ({}, _register((7, date(2022, 1, 1), None, False)), [], [["9400"]]),
}


@pytest.mark.parametrize("naam", list(UITKOMSTEN))
def test_the_wmo408_of_every_outcome_validates_and_copies_the_header(naam):
    instellingen, register, header_codes, periode_codes = UITKOMSTEN[naam]
    instellingen = dict(instellingen)
    clients = instellingen.pop("clients", [client(BSN_A, periode(1, START, date(2023, 3, 31)))])
    instellingen.setdefault("identificatie", "Id &<\"'x")
    data = bericht_bytes(*clients, basisschema_xsd_versie="2.0.3", bericht_xsd_versie="2.0.1", **instellingen)
    bericht, beoordeling = beoordeel_bytes(data, register)

    wmo408 = bouw_wmo408(
        bericht, beoordeling, identificatie_retour="RET-00000001", dagtekening_retour=DAGTEKENING_RETOUR
    )

    assert valideer_wmo408(wmo408) == []
    inhoud = lees_wmo408(wmo408)
    header = bericht.header
    assert inhoud.header == {
        "BerichtCode": "477",
        "Afzender": header.afzender,
        "Identificatie": "Id &<\"'x",
        "Dagtekening": header.dagtekening.isoformat(),
        "BasisschemaXsdVersie": "2.0.3",
        "BerichtXsdVersie": "2.0.1",
        "IdentificatieRetour": "RET-00000001",
        "DagtekeningRetour": "2022-10-05",
        "RetourBasisschemaXsdVersie": "2.0.0",
        "RetourBerichtXsdVersie": "2.0.0",
    }
    assert inhoud.header_retourcodes == (header_codes or None)
    if periode_codes is None:
        assert inhoud.clients == []
        return
    assert [[p.retourcodes for p in c.perioden] for c in inhoud.clients] == [periode_codes or [["0200"]]]
    assert [c.retourcodes for c in inhoud.clients] == [["0200"]]
    assert beoordeling.geaccepteerd == (naam == "geaccepteerd")


def test_every_period_is_copied_with_all_its_elements():
    data = bericht_bytes(
        client(BSN_A, periode(1, date(2022, 1, 1), date(2022, 9, 30)), periode(2, START)),
        client(BSN_B, periode(3, START, START)),
    )
    bericht, beoordeling = beoordeel_bytes(data)

    inhoud = lees_wmo408(bouw_wmo408(bericht, beoordeling, identificatie_retour="R", dagtekening_retour=VANDAAG))

    assert [c.bsn for c in inhoud.clients] == [BSN_A, BSN_B]
    assert [[p.velden for p in c.perioden] for c in inhoud.clients] == [
        [
            {"BwStartNummer": "1", "BwStartdatum": "2022-01-01", "BwEinddatum": "2022-09-30", "StatusAanlevering": "1"},
            {"BwStartNummer": "2", "BwStartdatum": "2022-10-01", "StatusAanlevering": "1"},
        ],
        [{"BwStartNummer": "3", "BwStartdatum": "2022-10-01", "BwEinddatum": "2022-10-01", "StatusAanlevering": "1"}],
    ]


@pytest.mark.parametrize("identificatie", ["R", "123456789012", "  a ", "é€"])
def test_valid_identificatie_retour_values(identificatie):
    assert is_geldige_identificatie(identificatie)


@pytest.mark.parametrize("identificatie", ["", "1234567890123", "   ", "\t\n"])
def test_invalid_identificatie_retour_values(identificatie):
    assert not is_geldige_identificatie(identificatie)


def test_building_a_wmo408_with_an_invalid_identificatie_retour_is_refused():
    bericht, beoordeling = beoordeel_bytes(bericht_bytes(client(BSN_A, periode(1, START))))

    with pytest.raises(ValueError, match="IdentificatieRetour"):
        bouw_wmo408(bericht, beoordeling, identificatie_retour="1234567890123", dagtekening_retour=VANDAAG)


def test_the_wmo408_validator_reports_an_invalid_return_message():
    assert valideer_wmo408(b"<niet-af") != []
    assert valideer_wmo408(bericht_bytes(client(BSN_A, periode(1, START)))) != []


# The template writer of bouw_wmo408 against the element-by-element writer it replaced


def _beide(bericht, beoordeling, identificatie_retour="RET-00000001"):
    instellingen = {"identificatie_retour": identificatie_retour, "dagtekening_retour": DAGTEKENING_RETOUR}
    return bouw_wmo408(bericht, beoordeling, **instellingen), wmo408_per_element(bericht, beoordeling, **instellingen)


@pytest.mark.parametrize("naam", list(UITKOMSTEN))
def test_the_wmo408_of_every_outcome_is_byte_for_byte_the_one_written_element_by_element(naam):
    instellingen, register, _, _ = UITKOMSTEN[naam]
    instellingen = dict(instellingen)
    clients = instellingen.pop("clients", [client(BSN_A, periode(1, START, date(2023, 3, 31)))])
    instellingen.setdefault("identificatie", "Id &<\"'x")
    data = bericht_bytes(*clients, **instellingen)
    bericht, beoordeling = beoordeel_bytes(data, register)

    nieuw, referentie = _beide(bericht, beoordeling)

    assert nieuw == referentie
    assert valideer_wmo408(nieuw) == []


def test_a_wmo408_with_many_clients_codes_and_periods_equals_the_one_written_element_by_element():
    register = _register((1, date(2018, 1, 1), None, False), (5, START, None, True))
    data = bericht_bytes(
        client(BSN_A, periode(1, date(2018, 1, 1)), periode(2, START, date(2022, 12, 31))),
        client(BSN_B, periode(3, START, START), periode(4, date(2023, 1, 1), status=2), periode(5, START, status=3)),
        *[client(elfproef_bsn(300_000_000 + i * 70), periode(100 + i, START)) for i in range(2500)],
        afzender="9999",
    )
    bericht, beoordeling = beoordeel_bytes(data, register)
    assert beoordeling.niveau == 3 and beoordeling.periode_meldingen and beoordeling.header_meldingen

    nieuw, referentie = _beide(bericht, beoordeling)

    assert nieuw == referentie
    assert valideer_wmo408(nieuw) == []


def test_client_codes_are_written_as_the_element_writer_writes_them():
    data = bericht_bytes(client(BSN_A, periode(1, START)), client(BSN_B, periode(2, START)))
    bericht, beoordeling = beoordeel_bytes(data)
    beoordeling.client_meldingen[1] = [Melding("9404", "TEST", "Bsn", "Een melding bij de cliënt.")]

    nieuw, referentie = _beide(bericht, beoordeling)

    assert nieuw == referentie
    assert [c.retourcodes for c in lees_wmo408(nieuw).clients] == [["0200"], ["9404"]]


def _met_een_client(bsn: str, identificatie: str = "A") -> tuple[Wmo407Bericht, Beoordeling]:
    """A message built in code (not read from XML), judged at level 3 without any code."""
    bericht = Wmo407Bericht(
        Header("0363", identificatie, VANDAAG, "2.0.0", "2.0.0"), (Client(bsn, (Periode(1, START, None, 1),)),)
    )
    return bericht, Beoordeling(niveau=3, aantal_clients=1, aantal_perioden=1)


@pytest.mark.parametrize("bsn", ["12&45<78>", "1\r2", "é€😀", "]]>", "' \" \t\n"])
def test_values_that_need_escaping_are_escaped_as_lxml_escapes_them(bsn):
    bericht, beoordeling = _met_een_client(bsn, identificatie="A&B<\r>")

    nieuw, referentie = _beide(bericht, beoordeling, identificatie_retour="R&<>\r")

    assert nieuw == referentie
    assert lees_wmo408(nieuw).clients[0].bsn == bsn


@pytest.mark.parametrize("bsn", ["\x00", "12\x01", "\ufffe"])
def test_a_value_lxml_refuses_is_refused_by_both_writers(bsn):
    bericht, beoordeling = _met_een_client(bsn)

    with pytest.raises(ValueError):
        bouw_wmo408(bericht, beoordeling, identificatie_retour="R", dagtekening_retour=VANDAAG)
    with pytest.raises(ValueError):
        wmo408_per_element(bericht, beoordeling, identificatie_retour="R", dagtekening_retour=VANDAAG)


bsns = st.integers(0, 99_999_999).map(lambda begin: elfproef_bsn(begin * 10))
perioden = st.builds(
    Periode,
    bw_startnummer=st.integers(0, 999_999_999),
    bw_startdatum=st.dates(date(2019, 1, 1), date(2023, 12, 31)),
    bw_einddatum=st.none() | st.dates(date(2019, 1, 1), date(2025, 12, 31)),
    status_aanlevering=st.sampled_from([1, 2, 3]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clients=st.lists(st.builds(Client, bsn=bsns, perioden=st.lists(perioden, min_size=1, max_size=3).map(tuple)),
                     min_size=1, max_size=6),
    identificatie=st.text(min_size=1, max_size=12).filter(lambda t: t.strip() != ""),
    geregistreerd=st.lists(st.tuples(st.integers(0, 999_999_999), st.booleans()), max_size=3),
)
def test_any_judged_message_gets_the_same_wmo408_from_both_writers(clients, identificatie, geregistreerd):
    bericht = Wmo407Bericht(Header("0363", identificatie, VANDAAG, "2.0.0", "2.0.0"), tuple(clients))
    register = InMemoryRegister(
        [GeregistreerdePeriode(BSN_A, nummer, START, None, weg) for nummer, weg in geregistreerd]
    )
    beoordeling = beoordeel(bericht, vandaag=VANDAAG, cbs_codes={"0363"}, register=register)

    try:
        referentie = wmo408_per_element(bericht, beoordeling, identificatie_retour="P", dagtekening_retour=VANDAAG)
    except ValueError:
        with pytest.raises(ValueError):
            bouw_wmo408(bericht, beoordeling, identificatie_retour="P", dagtekening_retour=VANDAAG)
        return
    assert bouw_wmo408(bericht, beoordeling, identificatie_retour="P", dagtekening_retour=VANDAAG) == referentie
