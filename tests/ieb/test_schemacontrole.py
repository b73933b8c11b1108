"""Niveau 1: XSD-fouten met regel, kolom, element, Nederlandse uitleg en de melding van de controle."""

import re
from datetime import date

import pytest

from portal.ieb import controleer_schema, controleer_transport, lees_wmo407
from portal.ieb.bericht import Client, Periode

from .berichten import bericht_bytes, voorbeeld


def _afgekeurd(data: bytes):
    controle = lees_wmo407(data)
    assert not controle.ok
    assert controle.niveau == 1
    assert controle.bericht is None
    assert controle.samenvatting.startswith("Bericht voldoet niet aan XSD")
    for bevinding in controle.bevindingen:
        assert bevinding.niveau == 1
        assert "opnieuw aan" in bevinding.toelichting
    return controle.bevindingen


def test_a_bsn_of_five_digits_is_explained_with_line_column_and_element():
    [bevinding] = _afgekeurd(voorbeeld().replace(b"123456782", b"12345"))

    assert bevinding.regelnummer == 19
    assert bevinding.kolom == 5
    assert bevinding.element == "Bsn"
    assert bevinding.toelichting == (
        "Element 'Bsn' op regel 19: de waarde '12345' heeft niet het juiste formaat: een BSN bestaat uit precies "
        "9 cijfers. Verbeter de waarde en lever het bericht opnieuw aan."
    )
    assert "[facet 'pattern']" in bevinding.parsermelding
    assert "regel 19" in str(bevinding) and "kolom 5" in str(bevinding)


def test_a_missing_status_aanlevering_is_named():
    data = voorbeeld().replace(b"<wmo407:StatusAanlevering>1</wmo407:StatusAanlevering>", b"")

    [bevinding] = _afgekeurd(data)

    assert bevinding.element == "BeschermdWonen"
    assert (bevinding.regelnummer, bevinding.kolom) == (20, 5)
    assert "er ontbreekt een verplicht element" in bevinding.toelichting
    assert "'StatusAanlevering'" in bevinding.toelichting
    assert "Missing child element" in bevinding.parsermelding


def test_an_unexpected_element_is_named_with_what_was_expected():
    data = voorbeeld().replace(b"</wmo407:Bsn>", b"</wmo407:Bsn><wmo407:Naam>Jansen</wmo407:Naam>")

    [bevinding] = _afgekeurd(data)

    regel = data.split(b"\n")[18].decode()
    assert bevinding.element == "Naam"
    assert (bevinding.regelnummer, bevinding.kolom) == (19, regel.index("<wmo407:Naam>") + 1)
    assert "hoort hier niet" in bevinding.toelichting
    assert "'BeschermdWonen'" in bevinding.toelichting


def test_elements_in_the_wrong_order_are_explained():
    data = voorbeeld().replace(b"<wmo407:BwStartNummer>1001</wmo407:BwStartNummer>", b"").replace(
        b"</wmo407:BwStartdatum>", b"</wmo407:BwStartdatum><wmo407:BwStartNummer>1001</wmo407:BwStartNummer>"
    )

    [bevinding] = _afgekeurd(data)

    assert bevinding.element == "BwStartdatum"
    assert "'BwStartNummer'" in bevinding.toelichting and "volgorde" in bevinding.toelichting


def test_an_impossible_date_is_explained():
    [bevinding] = _afgekeurd(voorbeeld().replace(b"2022-10-01", b"2022-13-01"))

    assert bevinding.element == "BwStartdatum"
    assert bevinding.regelnummer == 22
    assert "'2022-13-01' is geen geldige datum" in bevinding.toelichting
    assert "jjjj-mm-dd" in bevinding.toelichting


def test_a_date_with_a_time_zone_is_refused():
    [bevinding] = _afgekeurd(voorbeeld().replace(b"2022-10-01", b"2022-10-01Z"))

    assert bevinding.element == "BwStartdatum"
    assert "zonder tijd of tijdzone" in bevinding.toelichting


def test_a_date_the_schema_allows_but_python_cannot_hold_is_refused_at_level_1():
    [bevinding] = _afgekeurd(voorbeeld().replace(b"2022-10-01", b"12022-10-01"))

    assert bevinding.element == "BwStartdatum"
    assert (bevinding.regelnummer, bevinding.kolom) == (22, 7)
    assert "jaartal van vier cijfers" in bevinding.toelichting


@pytest.mark.parametrize(
    ("oud", "nieuw", "element"),
    [
        (b"<wmo407:BerichtCode>476</wmo407:BerichtCode>", b"<wmo407:BerichtCode/>", "BerichtCode"),
        (b"<wmo407:Bsn>123456782</wmo407:Bsn>", b"<wmo407:Bsn></wmo407:Bsn>", "Bsn"),
        (b"<ieb:Identificatie>MIG0363-0001</ieb:Identificatie>", b"<ieb:Identificatie/>", "Identificatie"),
        (b"<wmo407:BwStartdatum>2022-10-01</wmo407:BwStartdatum>", b"<wmo407:BwStartdatum/>", "BwStartdatum"),
        (
            b"<wmo407:StatusAanlevering>1</wmo407:StatusAanlevering>",
            b"<wmo407:StatusAanlevering/>",
            "StatusAanlevering",
        ),
    ],
)
def test_an_empty_element_is_refused(oud, nieuw, element):
    [bevinding] = _afgekeurd(voorbeeld().replace(oud, nieuw))

    assert bevinding.element == element
    assert f"Element '{element}' op regel" in bevinding.toelichting
    assert "is leeg" in bevinding.toelichting


def test_an_identificatie_of_13_characters_is_too_long():
    [bevinding] = _afgekeurd(voorbeeld().replace(b"MIG0363-0001", b"MIG0363-00001"))

    assert bevinding.element == "Identificatie"
    assert bevinding.regelnummer == 10
    assert "13 tekens lang" in bevinding.toelichting and "hoogstens 12 tekens" in bevinding.toelichting


def test_an_identificatie_of_only_spaces_is_refused():
    [bevinding] = _afgekeurd(voorbeeld().replace(b"MIG0363-0001", b"    "))

    assert bevinding.element == "Identificatie"
    assert "niet alleen uit spaties" in bevinding.toelichting


def test_an_unknown_status_aanlevering_is_explained_with_the_allowed_values():
    data = voorbeeld().replace(b">1</wmo407:StatusAanlevering>", b">4</wmo407:StatusAanlevering>")

    [bevinding] = _afgekeurd(data)

    assert bevinding.element == "StatusAanlevering"
    assert "de waarde '4' is niet toegestaan" in bevinding.toelichting
    assert "1 (eerste aanlevering)" in bevinding.toelichting
    assert "[facet 'enumeration']" in bevinding.parsermelding


def test_a_wrong_fixed_berichtcode_is_explained():
    [bevinding] = _afgekeurd(voorbeeld().replace(b">476<", b">477<"))

    assert bevinding.element == "BerichtCode"
    assert "altijd de waarde '476'" in bevinding.toelichting
    assert "fixed value" in bevinding.parsermelding


def test_a_bw_startnummer_above_the_maximum_is_explained():
    [bevinding] = _afgekeurd(voorbeeld().replace(b">1001<", b">1000000000<"))

    assert bevinding.element == "BwStartNummer"
    assert "te groot" in bevinding.toelichting and "999999999" in bevinding.toelichting


def test_a_basisschema_element_in_the_message_namespace_is_explained_as_a_namespace_mistake():
    data = voorbeeld().replace(
        b"<ieb:Identificatie>MIG0363-0001</ieb:Identificatie>",
        b"<wmo407:Identificatie>MIG0363-0001</wmo407:Identificatie>",
    )

    [bevinding] = _afgekeurd(data)

    assert bevinding.element == "Identificatie"
    assert "verkeerde namespace" in bevinding.toelichting


def test_an_attribute_is_not_allowed():
    [bevinding] = _afgekeurd(voorbeeld().replace(b"<wmo407:Bsn>", b'<wmo407:Bsn soort="bsn">'))

    assert bevinding.element == "Bsn"
    assert "attribuut 'soort'" in bevinding.toelichting


def test_a_message_without_client_is_refused():
    data = voorbeeld()
    data = data[: data.index(b"  <wmo407:Client>")] + b"</wmo407:Bericht>\n"

    [bevinding] = _afgekeurd(data)

    assert bevinding.element == "Bericht"
    assert "'Client'" in bevinding.toelichting
    assert bevinding.regelnummer == 2


def test_several_violations_are_each_reported_in_file_order():
    data = voorbeeld().replace(b"123456782", b"12345").replace(b">476<", b">477<").replace(b"2022-10-01", b"01-10-2022")

    bevindingen = _afgekeurd(data)

    assert [(b.element, b.regelnummer) for b in bevindingen] == [("BerichtCode", 5), ("Bsn", 19), ("BwStartdatum", 22)]


def test_columns_are_exact_in_a_message_on_a_single_line():
    data = bericht_bytes(
        Client("123456782", (Periode(1, date(2022, 10, 1), None, 1),)),
        Client("12345", (Periode(2, date(2022, 10, 1), None, 1),)),
        Client("1234", (Periode(3, date(2022, 10, 1), None, 1),)),
    )
    regels = data.split(b"\n", 1)
    data = regels[0] + b"\n" + regels[1].replace(b"\n", b"").replace(b"  ", b"")

    bevindingen = _afgekeurd(data)

    tweede_regel = data.split(b"\n")[1].decode()
    verwacht = [tweede_regel.index("<wmo407:Bsn>12345<") + 1, tweede_regel.index("<wmo407:Bsn>1234<") + 1]
    assert [(b.regelnummer, b.kolom) for b in bevindingen] == [(2, verwacht[0]), (2, verwacht[1])]


def test_a_start_tag_over_several_lines_is_reported_at_its_first_line():
    data = voorbeeld().replace(b"<wmo407:Bsn>12345", b"<wmo407:Bsn>12345").replace(
        b"<wmo407:Client>\n    <wmo407:Bsn>123456782",
        b"<wmo407:Client>\n    <wmo407:Bsn\n       >12345",
    )

    [bevinding] = _afgekeurd(data)

    assert (bevinding.element, bevinding.regelnummer, bevinding.kolom) == ("Bsn", 19, 5)


def test_line_numbers_beyond_65535_are_reported_correctly():
    clients = [Client("123456782", (Periode(nummer, date(2022, 10, 1), None, 1),)) for nummer in range(12000)]
    clients.append(Client("999", (Periode(99999, date(2022, 10, 1), None, 1),)))
    data = bericht_bytes(*clients)

    [bevinding] = _afgekeurd(data)

    verwacht = data[: data.index(b"<wmo407:Bsn>999<")].count(b"\n") + 1
    assert verwacht > 65535
    assert bevinding.regelnummer == verwacht
    assert f"op regel {verwacht}:" in bevinding.toelichting


def test_an_unknown_kind_of_violation_gets_a_general_dutch_sentence_and_the_parser_text():
    from portal.ieb.schemafouten import vertaal

    naam, uitleg = vertaal("Element '{urn:x}Iets': Something entirely new happened.", 7)

    assert naam == "Iets"
    assert uitleg.startswith("Element 'Iets' op regel 7 voldoet niet aan het XSD-schema van de WMO407.")


def test_the_number_of_reported_violations_is_capped(monkeypatch):
    monkeypatch.setattr("portal.ieb.schemacontrole.MAX_BEVINDINGEN", 3)
    clients = [Client(f"{nummer:05d}", (Periode(nummer, date(2022, 10, 1), None, 1),)) for nummer in range(5)]

    bevindingen = _afgekeurd(bericht_bytes(*clients))

    assert len(bevindingen) == 4
    assert bevindingen[-1].toelichting.startswith("Er zijn nog 2 meldingen van de controle")


def test_the_schema_check_gives_the_same_answer_when_asked_twice():
    transport = controleer_transport(voorbeeld())

    eerste = controleer_schema(transport)

    assert controleer_schema(transport) is eerste
    assert eerste.ok


def _breed_bericht(fouten: bool) -> bytes:
    clients = []
    for nummer in range(10):
        bsn = "12345" if fouten and nummer in (1, 5, 9) else "123456782"
        aantal = 8 if nummer == 6 else 1
        perioden = tuple(
            Periode(nummer * 100 + volgnummer, date(2022, 10, 1), None, 1) for volgnummer in range(aantal)
        )
        clients.append(Client(bsn, perioden))
    data = bericht_bytes(*clients)
    if fouten:
        data = data.replace(b">476<", b">477<")
        for startnummer in (b"601", b"606"):
            periode = data.index(b">" + startnummer + b"<")
            status = data.index(b"<wmo407:StatusAanlevering>1<", periode)
            data = data[:status] + b"<wmo407:StatusAanlevering>4<" + data[status + 28 :]
    return data


def _uitkomst(controle):
    return [(b.element, b.regelnummer, b.kolom, b.toelichting) for b in controle.bevindingen]


def test_wide_elements_are_checked_in_groups_with_exactly_the_same_findings(monkeypatch):
    data = _breed_bericht(fouten=True)
    in_een_keer = lees_wmo407(data)

    monkeypatch.setattr("portal.ieb.schemacontrole._GROEPSGROOTTE", 3)
    in_groepen = lees_wmo407(data)

    assert _uitkomst(in_groepen) == _uitkomst(in_een_keer)
    assert [b.element for b in in_groepen.bevindingen] == [
        "BerichtCode",
        "Bsn",
        "Bsn",
        "StatusAanlevering",
        "StatusAanlevering",
        "Bsn",
    ]
    assert in_groepen.volledig


def test_a_message_checked_in_groups_is_read_in_its_original_order(monkeypatch):
    verwacht = lees_wmo407(_breed_bericht(fouten=False)).bericht

    monkeypatch.setattr("portal.ieb.schemacontrole._GROEPSGROOTTE", 3)
    gelezen = lees_wmo407(_breed_bericht(fouten=False)).bericht

    assert gelezen == verwacht
    assert [c.regelnummer for c in gelezen.clients] == [c.regelnummer for c in verwacht.clients]


def test_the_check_stops_after_the_maximum_number_of_findings(monkeypatch):
    monkeypatch.setattr("portal.ieb.schemacontrole._GROEPSGROOTTE", 3)
    monkeypatch.setattr("portal.ieb.schemacontrole.MAX_BEVINDINGEN", 2)
    clients = [Client("1234", (Periode(nummer, date(2022, 10, 1), None, 1),)) for nummer in range(12)]

    controle = lees_wmo407(bericht_bytes(*clients))

    assert not controle.volledig
    assert "minstens" in controle.samenvatting
    assert "gestopt" in controle.bevindingen[-1].toelichting


# The common case: a valid message was already validated right after it was parsed (transport), so the schema
# check only looks for empty elements where the XSD allows them, and converts the values in bulk. Anything
# unusual takes the full check or the conversion element by element, with the same outcome.


def _zonder_schema_bij_het_parsen(monkeypatch):
    monkeypatch.setattr("portal.ieb.transport._is_schema_geldig", lambda document: False)


def _bericht_met_regels(controle):
    bericht = controle.bericht
    regels = [(c.regelnummer, [p.regelnummer for p in c.perioden]) for c in bericht.clients]
    return bericht, bericht.header.regelnummer, regels


def test_a_valid_message_is_not_validated_a_second_time(monkeypatch):
    def niet_nodig(*args):
        raise AssertionError("het document is al bij het parsen gevalideerd")

    monkeypatch.setattr("portal.ieb.schemacontrole._valideer", niet_nodig)

    controle = lees_wmo407(voorbeeld())

    assert controle.ok
    assert controle.bericht.clients[0].bsn == "123456782"


def _bijzondere_vormen() -> list[bytes]:
    basis = bericht_bytes(
        Client(
            "123456782",
            (Periode(1, date(2022, 1, 1), date(2022, 9, 30), 2), Periode(2, date(2022, 10, 1), None, 1)),
        ),
        Client("111111110", (Periode(3, date(2022, 10, 1), date(2022, 10, 1), 3),)),
    )
    return [
        basis,
        basis.replace(b"wmo407:", b"w:").replace(b"xmlns:wmo407", b"xmlns:w"),
        basis.replace(b"<wmo407:Bsn>123456782", b"<wmo407:Bsn><!-- x -->1234<![CDATA[56]]>&#55;82"),
        basis.replace(b"<wmo407:BeschermdWonen>", b"<wmo407:BeschermdWonen>&#32;<!-- y -->\n"),
        basis.replace(b"<wmo407:BwStartdatum>2022-10-01", b"<wmo407:BwStartdatum>\n 2022-10-01 "),
        basis.replace(b"<wmo407:BwStartNummer>1<", b"<wmo407:BwStartNummer> +0001 <"),
        basis.replace(b"<wmo407:Client>", b'<wmo407:Client xmlns:x="urn:x">'),
        bericht_bytes(*[Client("123456782", (Periode(n, date(2022, 10, 1), None, 1),)) for n in range(700)]),
    ]


@pytest.mark.parametrize("data", _bijzondere_vormen(), ids=range(len(_bijzondere_vormen())))
def test_the_fast_path_reads_the_same_message_as_the_full_check(data, monkeypatch):
    snel = lees_wmo407(data)
    assert snel.ok, [str(b) for b in snel.bevindingen]
    assert controleer_transport(data)._schema_geldig

    _zonder_schema_bij_het_parsen(monkeypatch)
    volledig = lees_wmo407(data)

    assert _bericht_met_regels(snel) == _bericht_met_regels(volledig)


@pytest.mark.parametrize("data", _bijzondere_vormen(), ids=range(len(_bijzondere_vormen())))
def test_the_bulk_conversion_equals_the_conversion_element_by_element(data):
    from portal.ieb import schemacontrole

    def document():
        return controleer_transport(data)._document.getroot()

    in_bulk = schemacontrole._snel_naar_bericht(document())
    per_element = schemacontrole._naar_bericht_per_element(document())

    assert in_bulk == per_element
    assert [(c.regelnummer, [p.regelnummer for p in c.perioden]) for c in in_bulk.clients] == [
        (c.regelnummer, [p.regelnummer for p in c.perioden]) for c in per_element.clients
    ]


@pytest.mark.parametrize(
    "data",
    [
        voorbeeld().replace(b"123456782", b"12345"),
        voorbeeld().replace(b">476<", b">477<").replace(b"2022-10-01", b"01-10-2022"),
        voorbeeld().replace(b"<wmo407:StatusAanlevering>1</wmo407:StatusAanlevering>", b""),
        voorbeeld().replace(b"<wmo407:BerichtSubversie>0</wmo407:BerichtSubversie>", b"<wmo407:BerichtSubversie/>"),
        voorbeeld().replace(b"2022-10-01", b"12022-10-01"),
        _breed_bericht(fouten=True),
    ],
    ids=["bsn", "twee-fouten", "ontbrekend", "leeg-vast", "jaar-12022", "breed"],
)
def test_an_invalid_message_gets_the_same_findings_with_or_without_the_schema_at_parse_time(data, monkeypatch):
    met_schema = lees_wmo407(data)

    _zonder_schema_bij_het_parsen(monkeypatch)
    zonder_schema = lees_wmo407(data)

    assert not met_schema.ok and met_schema.niveau == 1
    assert _uitkomst(met_schema) == _uitkomst(zonder_schema)
    assert met_schema.samenvatting == zonder_schema.samenvatting


@pytest.mark.parametrize("element", ["BerichtCode", "BerichtVersie", "BerichtSubversie"])
def test_an_empty_element_with_a_fixed_value_is_refused_although_the_xsd_accepts_it(element):
    data = re.sub(rf"<wmo407:{element}>[^<]*</wmo407:{element}>".encode(), f"<wmo407:{element}/>".encode(), voorbeeld())
    assert controleer_transport(data)._schema_geldig

    [bevinding] = _afgekeurd(data)

    assert bevinding.element == element
    assert "is leeg" in bevinding.toelichting


def test_only_elements_with_a_fixed_value_can_be_empty_in_a_message_the_xsd_accepts():
    """The empty-element search of a valid message looks only at these tags; every other element of the
    example must make the XSD fail when it is emptied (children and text removed)."""
    from lxml import etree

    from portal.ieb.constants import WMO407_XSD
    from portal.ieb.xsd import tags_met_vaste_waarde, wmo407_schema

    data = bericht_bytes(Client("123456782", (Periode(1, date(2022, 1, 1), date(2022, 9, 30), 1),)))
    aantal = len(list(etree.fromstring(data).iter()))
    leeg_geldig = set()
    for volgnummer in range(aantal):
        root = etree.fromstring(data)
        element = list(root.iter())[volgnummer]
        for kind in list(element):
            element.remove(kind)
        element.text = None
        if wmo407_schema().validate(root.getroottree()):
            leeg_geldig.add(element.tag)

    assert leeg_geldig == set(tags_met_vaste_waarde(WMO407_XSD))
    assert {etree.QName(tag).localname for tag in leeg_geldig} == {"BerichtCode", "BerichtVersie", "BerichtSubversie"}


def test_when_the_bulk_values_do_not_add_up_the_message_is_read_element_by_element(monkeypatch):
    from portal.ieb import schemacontrole

    data = _bijzondere_vormen()[0]
    verwacht = _bericht_met_regels(lees_wmo407(data))
    teksten = schemacontrole._teksten
    monkeypatch.setattr(schemacontrole, "_teksten", lambda root: teksten(root)[1:])

    assert _bericht_met_regels(lees_wmo407(data)) == verwacht
