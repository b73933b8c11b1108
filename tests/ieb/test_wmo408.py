"""De WMO408 is bij elke uitkomst geldig volgens wmo408.xsd en neemt de Header van de WMO407 over."""

from datetime import date, timedelta

import pytest

from portal.ieb import GeregistreerdePeriode, InMemoryRegister, bouw_wmo408, is_geldige_identificatie, valideer_wmo408

from .berichten import BSN_A, BSN_B, VANDAAG, beoordeel_bytes, bericht_bytes, client, lees_wmo408, periode

START = date(2022, 10, 1)
DAGTEKENING_RETOUR = date(2022, 10, 5)


def _register(*perioden, identificaties=()):
    return InMemoryRegister([GeregistreerdePeriode(BSN_A, *p) for p in perioden], identificaties)


UITKOMSTEN = {
    "geaccepteerd": (dict(), None, [], []),
    "niveau 2 (0001)": (dict(clients=[client("123456789", periode(1, START))]), None, ["0001"], None),
    "S300": (dict(afzender="9999"), None, ["S300"], [["0200"]]),
    "8848": (dict(dagtekening=VANDAAG + timedelta(days=1)), None, ["8848"], [["0200"]]),
    "9056": (dict(), _register(identificaties=["Id &<\"'x"]), ["9056"], [["0200"]]),
    "9404": (dict(), _register((1, START, None, False)), [], [["9404"]]),
    "9103": (dict(clients=[client(BSN_A, periode(1, START, date(2022, 12, 31), status=2))]), None, [], [["9103"]]),
    "9063": (dict(clients=[client(BSN_A, periode(1, START, status=3))]), None, [], [["9063"]]),
    "9104": (
        dict(clients=[client(BSN_A, periode(1, START, status=3))]),
        _register((1, START, None, True)),
        [],
        [["9104"]],
    ),
    "9395": (dict(clients=[client(BSN_A, periode(1, date(2019, 1, 1), date(2019, 12, 31)))]), None, [], [["9395"]]),
    "9400": (dict(), _register((7, date(2022, 1, 1), None, False)), [], [["9400"]]),
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
