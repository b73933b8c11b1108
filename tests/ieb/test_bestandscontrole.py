"""De batchcontrole voor de opdrachtregel: één samenvattingsregel per bestand, details, WMO408-bestanden."""

from datetime import date

import pytest

from portal.ieb import controleer_bestanden, exit_code, valideer_wmo408
from portal.ieb.bestandscontrole import identificatie_retour

from .berichten import BSN_A, BSN_B, CBS_CODES, VANDAAG, bericht_bytes, client, lees_wmo408, periode, voorbeeld

START = date(2022, 10, 1)


def _bestand(map_, naam: str, data: bytes):
    pad = map_ / naam
    pad.write_bytes(data)
    return pad


@pytest.fixture
def bestanden(tmp_path):
    invoer = tmp_path / "invoer"
    invoer.mkdir()
    return {
        "eerste": _bestand(invoer, "eerste.xml", voorbeeld()),
        "nogmaals": _bestand(invoer, "nogmaals.xml", voorbeeld()),
        "kapot": _bestand(invoer, "kapot.xml", b"<wmo407:Bericht"),
        "xsd": _bestand(invoer, "xsd.xml", voorbeeld().replace(b"123456782", b"12345")),
        "niveau2": _bestand(
            invoer, "niveau2.xml", bericht_bytes(client("123456789", periode(5, START)), identificatie="N2")
        ),
        "gemengd": _bestand(
            invoer,
            "gemengd.xml",
            bericht_bytes(client(BSN_B, periode(9, START, status=2)), afzender="9999", identificatie="G1"),
        ),
        "wijziging": _bestand(
            invoer,
            "wijziging.xml",
            bericht_bytes(client("123456782", periode(1001, START, date(2022, 12, 31), status=2)), identificatie="W1"),
        ),
    }


def _samenvattingen(uitkomsten):
    return [u.samenvatting for u in uitkomsten]


def test_each_file_gets_one_summary_line_with_sorted_codes_or_a_dash(bestanden, tmp_path):
    volgorde = ["eerste", "nogmaals", "kapot", "xsd", "niveau2", "gemengd", "wijziging"]

    paden = [bestanden[naam] for naam in volgorde]

    uitkomsten = controleer_bestanden(paden, vandaag=VANDAAG, cbs_codes=CBS_CODES, uitvoermap=None)

    assert _samenvattingen(uitkomsten) == [
        "eerste.xml: geaccepteerd -",
        "nogmaals.xml: afgekeurd 9056,9404",
        "kapot.xml: ongeldig -",
        "xsd.xml: ongeldig -",
        "niveau2.xml: afgekeurd 0001",
        "gemengd.xml: afgekeurd 9103,S300",
        "wijziging.xml: geaccepteerd -",
    ]
    assert exit_code(uitkomsten) == 2


def test_detail_lines_are_dutch_and_indented_by_two_spaces(bestanden):
    uitkomsten = controleer_bestanden(
        [bestanden["eerste"], bestanden["kapot"], bestanden["xsd"], bestanden["nogmaals"]],
        vandaag=VANDAAG,
        cbs_codes=CBS_CODES,
    )

    for uitkomst in uitkomsten:
        [samenvatting, *details] = uitkomst.regels()
        assert samenvatting == uitkomst.samenvatting
        assert details
        assert all(regel.startswith("  ") and not regel.startswith("   ") for regel in details)
    assert "geaccepteerd" in uitkomsten[0].regels()[1]
    assert "geen goedgevormde XML" in uitkomsten[1].regels()[1]
    assert uitkomsten[2].regels()[1].startswith("  Bericht voldoet niet aan XSD")
    assert "Element 'Bsn' op regel 19" in uitkomsten[2].regels()[2]
    assert any("TR056" in regel for regel in uitkomsten[3].regels())


def test_wmo408_files_are_written_by_stem_for_every_file_with_a_return_message(bestanden, tmp_path):
    uitvoer = tmp_path / "uit"
    paden = [bestanden[n] for n in ("eerste", "nogmaals", "kapot", "niveau2")]

    uitkomsten = controleer_bestanden(paden, vandaag=VANDAAG, cbs_codes=CBS_CODES, uitvoermap=uitvoer)

    assert sorted(p.name for p in uitvoer.iterdir()) == [
        "eerste.wmo408.xml",
        "niveau2.wmo408.xml",
        "nogmaals.wmo408.xml",
    ]
    assert [u.wmo408_pad.name if u.wmo408_pad else None for u in uitkomsten] == [
        "eerste.wmo408.xml",
        "nogmaals.wmo408.xml",
        None,
        "niveau2.wmo408.xml",
    ]
    identificaties = []
    for pad in uitvoer.iterdir():
        data = pad.read_bytes()
        assert valideer_wmo408(data) == []
        identificaties.append(lees_wmo408(data).header["IdentificatieRetour"])
    assert len(set(identificaties)) == 3
    assert all(1 <= len(i) <= 12 for i in identificaties)
    assert lees_wmo408((uitvoer / "nogmaals.wmo408.xml").read_bytes()).header_retourcodes == ["9056"]


def test_the_identificatie_retour_is_deterministic():
    assert identificatie_retour(date(2022, 10, 4), 1) == "R22100400001"
    assert identificatie_retour(date(2022, 10, 4), 99999) == "R22100499999"
    with pytest.raises(ValueError):
        identificatie_retour(date(2022, 10, 4), 100000)


def test_exit_code_is_0_when_every_file_is_accepted(bestanden):
    paden = [bestanden["eerste"], bestanden["wijziging"]]

    uitkomsten = controleer_bestanden(paden, vandaag=VANDAAG, cbs_codes=CBS_CODES)

    assert _samenvattingen(uitkomsten) == ["eerste.xml: geaccepteerd -", "wijziging.xml: geaccepteerd -"]
    assert exit_code(uitkomsten) == 0


def test_exit_code_is_1_when_a_file_is_rejected(bestanden):
    paden = [bestanden["eerste"], bestanden["nogmaals"]]

    uitkomsten = controleer_bestanden(paden, vandaag=VANDAAG, cbs_codes=CBS_CODES)

    assert exit_code(uitkomsten) == 1


def test_exit_code_is_2_when_a_file_is_invalid_even_if_another_is_rejected(bestanden):
    uitkomsten = controleer_bestanden([bestanden["niveau2"], bestanden["xsd"]], vandaag=VANDAAG, cbs_codes=CBS_CODES)

    assert [u.uitkomst for u in uitkomsten] == ["afgekeurd", "ongeldig"]
    assert exit_code(uitkomsten) == 2


def test_a_rejected_file_changes_nothing_but_reserves_its_identificatie(bestanden, tmp_path):
    later = _bestand(tmp_path, "later.xml", bericht_bytes(client(BSN_A, periode(5, START)), identificatie="N2"))

    uitkomsten = controleer_bestanden([bestanden["niveau2"], later], vandaag=VANDAAG, cbs_codes=CBS_CODES)

    assert _samenvattingen(uitkomsten) == ["niveau2.xml: afgekeurd 0001", "later.xml: afgekeurd 9056"]


def test_each_afzender_has_its_own_register(bestanden, tmp_path):
    andere = _bestand(tmp_path, "andere.xml", voorbeeld().replace(b">0363<", b">0344<"))

    uitkomsten = controleer_bestanden([bestanden["eerste"], andere], vandaag=VANDAAG, cbs_codes=CBS_CODES)

    assert _samenvattingen(uitkomsten) == ["eerste.xml: geaccepteerd -", "andere.xml: geaccepteerd -"]


def test_a_missing_file_is_invalid_with_a_dutch_reason(tmp_path):
    [uitkomst] = controleer_bestanden([tmp_path / "bestaat-niet.xml"], vandaag=VANDAAG, cbs_codes=CBS_CODES)

    assert uitkomst.samenvatting == "bestaat-niet.xml: ongeldig -"
    assert "kan niet worden gelezen" in uitkomst.regels()[1]


def test_an_oversized_file_is_invalid_without_being_read_whole(tmp_path):
    from portal.ieb.constants import MAX_BESTANDSGROOTTE

    groot = tmp_path / "groot.xml"
    with open(groot, "wb") as bestand:
        bestand.truncate(MAX_BESTANDSGROOTTE + 5 * 1024 * 1024)

    [uitkomst] = controleer_bestanden([groot], vandaag=VANDAAG, cbs_codes=CBS_CODES)

    assert uitkomst.samenvatting == "groot.xml: ongeldig -"
    assert "30,0 MB" in uitkomst.regels()[1]


def test_files_whose_names_would_give_the_same_wmo408_file_are_refused_before_checking(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    een = _bestand(tmp_path / "a", "bericht.xml", voorbeeld())
    twee = _bestand(tmp_path / "b", "bericht.xml", voorbeeld())

    with pytest.raises(ValueError, match="bericht"):
        controleer_bestanden([een, twee], vandaag=VANDAAG, cbs_codes=CBS_CODES, uitvoermap=tmp_path / "uit")
