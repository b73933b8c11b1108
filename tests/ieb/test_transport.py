"""Niveau 0: het bestand wordt geweigerd met een Nederlandse reden, zonder iets uit te vouwen of op te halen."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from portal.ieb import controleer_schema, controleer_transport
from portal.ieb.constants import MAX_BESTANDSGROOTTE, NS_WMO407, NS_WMO408

from .berichten import voorbeeld

XML_DECLARATIE = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _zonder_declaratie(data: bytes) -> bytes:
    assert data.startswith(XML_DECLARATIE)
    return data[len(XML_DECLARATIE) :]


def _met_doctype(doctype: bytes) -> bytes:
    return XML_DECLARATIE + doctype + b"\n" + _zonder_declaratie(voorbeeld())


def _geweigerd(data: bytes, *woorden: str):
    transport = controleer_transport(data)
    assert not transport.ok
    assert len(transport.bevindingen) == 1
    bevinding = transport.bevindingen[0]
    assert bevinding.niveau == 0
    for woord in woorden:
        assert woord in bevinding.toelichting
    assert any(actie in bevinding.toelichting.lower() for actie in ("lever", "verdeel"))
    schema = controleer_schema(transport)
    assert not schema.ok and schema.niveau == 0 and schema.bericht is None
    return transport


def test_a_valid_wmo407_passes_the_transport_check_and_names_its_afzender():
    transport = controleer_transport(voorbeeld())

    assert transport.ok
    assert transport.bevindingen == []
    assert transport.afzender == "0363"
    assert transport.namespace == NS_WMO407


def test_a_dtd_is_refused_outright():
    transport = _geweigerd(_met_doctype(b"<!DOCTYPE wmo407:Bericht>"), "DTD")

    assert transport.bevindingen[0].regelnummer == 2


def test_an_external_entity_is_refused_and_never_read():
    data = _met_doctype(b'<!DOCTYPE wmo407:Bericht [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace(
        b">0363<", b">&xxe;<"
    )

    transport = _geweigerd(data, "DTD")

    assert transport.afzender is None
    assert "root:" not in str(transport.bevindingen[0])


def test_billion_laughs_is_refused_without_expanding_anything():
    entiteiten = [b'<!ENTITY lol "lol">']
    for niveau in range(1, 10):
        vorige = b"&lol%d;" % (niveau - 1) if niveau > 1 else b"&lol;"
        entiteiten.append(b'<!ENTITY lol%d "%s">' % (niveau, vorige * 10))
    data = _met_doctype(b"<!DOCTYPE wmo407:Bericht [" + b"".join(entiteiten) + b"]>").replace(b">0363<", b">&lol9;<")

    transport = _geweigerd(data, "DTD")

    assert transport.afzender is None


def test_a_dtd_hidden_behind_comments_and_processing_instructions_is_still_refused():
    proloog = b"<!-- x -->\n<?pi data?>\n  <!DOCTYPE x [<!ENTITY e 'x'>]>\n"
    data = XML_DECLARATIE + proloog + _zonder_declaratie(voorbeeld())

    transport = _geweigerd(data, "DTD")

    assert transport.bevindingen[0].regelnummer == 4


def test_doctype_text_inside_a_comment_is_not_mistaken_for_a_dtd():
    data = voorbeeld().replace(b"<wmo407:Header>", b"<!-- <!DOCTYPE x> <!ENTITY y 'z'> --><wmo407:Header>")

    assert controleer_transport(data).ok


def test_an_xinclude_is_not_processed():
    data = voorbeeld().replace(
        b">0363<",
        b'><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/><',
    )

    transport = controleer_transport(data)
    schema = controleer_schema(transport)

    assert transport.ok and not schema.ok
    assert "root:" not in " ".join(str(b) for b in schema.bevindingen)


def test_a_declared_encoding_other_than_utf8_is_refused():
    data = voorbeeld().replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')

    transport = _geweigerd(data, "ISO-8859-1", "UTF-8")

    assert transport.bevindingen[0].regelnummer == 1


def test_bytes_that_are_not_utf8_are_refused_with_their_line():
    data = voorbeeld().replace(b"MIG0363-0001", "MIGRATIE-é".encode("latin-1"))

    transport = _geweigerd(data, "UTF-8", "0xE9", "regel 10")

    assert transport.bevindingen[0].regelnummer == 10


def test_an_invalid_utf8_sequence_across_the_reading_blocks_is_found():
    vulling = b"<!--" + b"x" * ((1 << 20) - 5) + b"\xc3"
    data = voorbeeld().replace(b"<wmo407:Header>", vulling + b"(-->" + b"<wmo407:Header>")

    _geweigerd(data, "UTF-8", "0xC3")


def test_a_valid_utf8_character_across_the_reading_blocks_is_accepted():
    begin = voorbeeld().index(b"<wmo407:Header>")
    vulling = b"<!--" + b"x" * ((1 << 20) - begin - 5) + "é".encode() + b"-->"

    assert controleer_transport(voorbeeld().replace(b"<wmo407:Header>", vulling + b"<wmo407:Header>")).ok


def test_utf16_is_refused_with_or_without_a_byte_order_mark():
    tekst = voorbeeld().decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')

    _geweigerd(tekst.encode("utf-16"), "UTF-16")
    _geweigerd(tekst.encode("utf-16-le"), "UTF-16")


def test_a_utf8_byte_order_mark_is_accepted():
    assert controleer_transport(b"\xef\xbb\xbf" + voorbeeld()).ok


def test_a_lower_case_utf8_declaration_is_accepted():
    assert controleer_transport(voorbeeld().replace(b'encoding="UTF-8"', b"encoding='utf-8'")).ok


def test_an_unknown_namespace_is_refused():
    data = voorbeeld().replace(NS_WMO407.encode(), b"http://example.org/ander")

    _geweigerd(data, "onbekende namespace", "http://example.org/ander", NS_WMO407)


def test_a_bericht_without_namespace_is_refused():
    data = XML_DECLARATIE + b"<Bericht><Header/></Bericht>"

    _geweigerd(data, "niet in een namespace")


def test_a_wmo408_is_refused_as_a_return_message():
    data = voorbeeld().replace(NS_WMO407.encode(), NS_WMO408.encode())

    transport = _geweigerd(data, "WMO408", "retourbericht")

    assert transport.namespace == NS_WMO408


def test_a_root_element_other_than_bericht_is_refused():
    data = XML_DECLARATIE + f'<Aanlevering xmlns="{NS_WMO407}"/>'.encode()

    _geweigerd(data, "'Aanlevering'", "'Bericht'")


def test_a_file_over_25_mb_is_refused_without_parsing():
    data = b"<" * (MAX_BESTANDSGROOTTE + 1)

    _geweigerd(data, "25 MB")


def test_a_file_of_exactly_25_mb_is_not_refused_for_its_size():
    data = voorbeeld()
    blok = b"<!--" + b"x" * 1000 + b"-->\n"
    aantal = (MAX_BESTANDSGROOTTE - len(data)) // len(blok)
    data = data.replace(b"</wmo407:Bericht>", blok * aantal + b"</wmo407:Bericht>")
    data = data + b" " * (MAX_BESTANDSGROOTTE - len(data))

    transport = controleer_transport(data)

    assert len(data) == MAX_BESTANDSGROOTTE
    assert transport.ok


def test_xml_that_is_not_well_formed_is_refused_with_line_column_and_parser_message():
    data = voorbeeld().replace(b"</wmo407:Afzender>", b"</wmo407:Afzendr>")

    transport = _geweigerd(data, "geen goedgevormde XML", "regel 8")

    bevinding = transport.bevindingen[0]
    assert bevinding.regelnummer == 8
    assert bevinding.kolom is not None
    assert bevinding.parsermelding


def test_an_undefined_entity_is_refused_as_not_well_formed():
    _geweigerd(voorbeeld().replace(b">0363<", b">&gemeente;<"), "geen goedgevormde XML")


@pytest.mark.parametrize("data", [b"", b"   \n\t  "], ids=["leeg", "alleen-witruimte"])
def test_an_empty_file_is_refused(data):
    _geweigerd(data, "leeg")


def test_text_that_is_not_xml_at_all_is_refused():
    _geweigerd(b"BSN;startdatum\n123456782;2022-10-01\n", "geen goedgevormde XML")


# A well-formed WMO407 is validated against the XSD once, right after parsing; an invalid one passes level 0
# and is left to the schema check, so that a level-0 finding always comes before a level-1 finding.


def test_a_valid_wmo407_is_validated_against_the_xsd_at_level_0_already():
    transport = controleer_transport(voorbeeld())

    assert transport.ok and transport._schema_geldig


def test_a_wmo407_that_is_well_formed_but_not_valid_passes_level_0_and_is_left_to_the_schema_check():
    transport = controleer_transport(voorbeeld().replace(b"123456782", b"12345"))

    assert transport.ok and not transport._schema_geldig
    assert transport.afzender == "0363"
    schema = controleer_schema(transport)
    assert not schema.ok and schema.niveau == 1
    assert [b.element for b in schema.bevindingen] == ["Bsn"]


def test_a_file_that_is_not_well_formed_and_not_valid_is_refused_at_level_0():
    data = voorbeeld().replace(b"123456782", b"12345").replace(b"</wmo407:Afzender>", b"</wmo407:Afzendr>")

    transport = _geweigerd(data, "geen goedgevormde XML", "regel 8")

    assert not transport._schema_geldig


def test_a_wmo408_is_still_refused_at_level_0_although_the_wmo407_schema_rejects_it_first():
    transport = _geweigerd(voorbeeld().replace(NS_WMO407.encode(), NS_WMO408.encode()), "WMO408")

    assert not transport._schema_geldig


# Files and messages the portal does not take are named for what they are.


def _zip(*onderdelen: tuple[str, bytes]) -> bytes:
    uitvoer = io.BytesIO()
    with zipfile.ZipFile(uitvoer, "w") as archief:
        for naam, inhoud in onderdelen:
            archief.writestr(naam, inhoud)
    return uitvoer.getvalue()


def _xlsx() -> bytes:
    werkmap = Workbook()
    werkmap.active["A1"] = "BSN"
    uitvoer = io.BytesIO()
    werkmap.save(uitvoer)
    return uitvoer.getvalue()


ODS = _zip(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<office/>"))


def _ieb(versie: str, bericht: str = "wmo407") -> bytes:
    return voorbeeld().replace(NS_WMO407.encode(), f"http://www.istandaarden.nl/ieb/{versie}/{bericht}/schema".encode())


def test_an_ieb_1_0_message_is_refused_as_ieb_1_0_with_the_date_since_when():
    data = _ieb("1_0").replace(b"ieb/2_0/basisschema", b"ieb/1_0/basisschema")

    transport = _geweigerd(data, "WMO407-bericht volgens iEb 1.0",
                           "iEb 1.0 wordt niet meer aangenomen sinds 01-10-2022; lever een WMO407 volgens iEb 2.0 aan")

    assert transport.namespace == "http://www.istandaarden.nl/ieb/1_0/wmo407/schema"
    anders = controleer_transport(data, migratiedatum=date(2022, 11, 1))
    assert "niet meer aangenomen sinds 01-11-2022" in anders.bevindingen[0].toelichting


def test_a_wmo401_is_refused_as_the_abonnementstarief_that_goes_through_the_regular_ieb_channel():
    transport = _geweigerd(_ieb("2_0", "wmo401"), "WMO401-bericht (iEb 2.0) over het abonnementstarief",
                           "niet via dit portaal", "het gewone iEb-berichtenverkeer van uw gemeente",
                           "GGK en VECOZO", "aan het CAK")

    assert "geen goedgevormde" not in transport.bevindingen[0].toelichting


def test_another_ieb_2_0_message_and_a_message_of_another_istandaard_are_named():
    _geweigerd(_ieb("2_0", "wmo405"), "WMO405-bericht van iEb 2.0, geen WMO407")
    _geweigerd(voorbeeld().replace(NS_WMO407.encode(), b"http://www.istandaarden.nl/iwmo/3_0/wmo301/schema"),
               "WMO301-bericht van de iStandaard iWmo 3.0, geen iEb-bericht")


@pytest.mark.parametrize("data, woorden", [
    (_xlsx(), ["Excel-werkmap, geen WMO407-bericht", "Terugkoppeling op de bestandsvergelijking"]),
    (ODS, ["OpenDocument-rekenblad (.ods), geen WMO407-bericht",
           "LibreOffice Calc, kies Bestand › Opslaan als…", "'Excel 2007-365 (.xlsx)'"]),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ["oud Excel-bestand (.xls)"]),
    (_zip(("a.xml", voorbeeld()), ("b.xml", voorbeeld())),
     ["ZIP-bestand met 2 XML-bestanden, geen WMO407-bericht", "pak het uit en lever elk WMO407-bericht"]),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ["Dit bestand is een PDF"]),
], ids=["xlsx", "ods", "xls", "zip", "pdf"])
def test_a_zip_spreadsheet_or_pdf_in_the_wmo407_field_is_named_for_what_it_is(data, woorden):
    transport = _geweigerd(data, *woorden)

    assert "UTF-8" not in transport.bevindingen[0].toelichting


MEER_DAN_10_MB = 10 * 1024 * 1024 + 1


@pytest.mark.parametrize("data, woorden", [
    (voorbeeld().replace(b">0363<", b">" + b"1" * MEER_DAN_10_MB + b"<"),
     ["rond regel 8 staat in één element een tekst van meer dan 10 MB", "libxml2"]),
    (voorbeeld().replace(b"<wmo407:Header>", b"<!--" + b"x" * MEER_DAN_10_MB + b"--><wmo407:Header>"),
     ["rond regel 4 staat een commentaar (<!-- … -->) van meer dan 10 MB", "Verwijder het commentaar"]),
    (voorbeeld().replace(b"<wmo407:Header>", b"<a>" * 300 + b"</a>" * 300 + b"<wmo407:Header>"),
     ["te diep genest", "meer dan 256 elementen in elkaar", "vier niveaus diep"]),
], ids=["tekst", "commentaar", "diepte"])
def test_a_limit_of_the_xml_parser_is_named_as_such_and_not_as_not_well_formed(data, woorden):
    transport = _geweigerd(data, *woorden)

    bevinding = transport.bevindingen[0]
    assert "goedgevormd" not in bevinding.toelichting
    assert bevinding.parsermelding
