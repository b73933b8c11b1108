"""De XSD-bestanden zijn de enige bron van het berichtformaat; de constanten van het portaal volgen ze."""

import pytest
from lxml import etree

from portal.ieb.constants import (
    BASISSCHEMA_XSD,
    BERICHTCODE_WMO407,
    BERICHTCODE_WMO408,
    BERICHTSUBVERSIE,
    BERICHTVERSIE,
    IDENTIFICATIE_MAX_TEKENS,
    NS_BASISSCHEMA,
    NS_WMO407,
    NS_WMO408,
    WMO407_XSD,
    WMO408_XSD,
)
from portal.ieb.retourcodes import RETOURCODES
from portal.ieb.xsd import schemadocument, schemaversie, wmo407_schema, wmo408_schema

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def _vaste_waarde(naam_schema: str, element: str) -> str:
    [waarde] = schemadocument(naam_schema).xpath(f"//xs:element[@name='{element}']/@fixed", namespaces=XS)
    return waarde


@pytest.mark.parametrize(
    ("schema", "namespace", "berichtcode"),
    [(WMO407_XSD, NS_WMO407, BERICHTCODE_WMO407), (WMO408_XSD, NS_WMO408, BERICHTCODE_WMO408)],
)
def test_the_message_schemas_fix_the_same_values_as_the_constants(schema, namespace, berichtcode):
    root = schemadocument(schema).getroot()

    assert root.get("targetNamespace") == namespace
    assert root.get("elementFormDefault") == "qualified"
    assert _vaste_waarde(schema, "BerichtCode") == str(berichtcode)
    assert _vaste_waarde(schema, "BerichtVersie") == str(BERICHTVERSIE)
    assert _vaste_waarde(schema, "BerichtSubversie") == str(BERICHTSUBVERSIE)
    [importeer] = root.findall("{http://www.w3.org/2001/XMLSchema}import")
    assert (importeer.get("namespace"), importeer.get("schemaLocation")) == (NS_BASISSCHEMA, BASISSCHEMA_XSD)


def test_the_retourcode_enumeration_is_the_retourcode_table():
    codes = schemadocument(BASISSCHEMA_XSD).xpath(
        "//xs:simpleType[@name='LDT_RetourCode']//xs:enumeration/@value", namespaces=XS
    )

    assert sorted(codes) == sorted(RETOURCODES)


def test_the_identificatie_length_constant_is_the_schema_maximum():
    [maximum] = schemadocument(BASISSCHEMA_XSD).xpath(
        "//xs:simpleType[@name='LDT_IdentificatieBericht']//xs:maxLength/@value", namespaces=XS
    )

    assert int(maximum) == IDENTIFICATIE_MAX_TEKENS


def test_the_schema_versions_are_read_from_the_schema_files():
    assert schemaversie(BASISSCHEMA_XSD) == schemaversie(WMO407_XSD) == schemaversie(WMO408_XSD) == "2.0.0"


def test_both_message_schemas_load_with_the_basisschema_imported_locally():
    assert isinstance(wmo407_schema(), etree.XMLSchema)
    assert isinstance(wmo408_schema(), etree.XMLSchema)


def test_a_schema_cannot_import_anything_outside_the_schema_folder(tmp_path):
    from portal.ieb.xsd import _schemaparser

    vreemd = tmp_path / "vreemd.xsd"
    vreemd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">'
        '<xs:import namespace="urn:y" schemaLocation="http://example.org/y.xsd"/></xs:schema>'
    )

    with pytest.raises(etree.XMLSchemaParseError, match="hoort niet bij de iEb-schema's"):
        etree.XMLSchema(etree.parse(str(vreemd), _schemaparser()))
