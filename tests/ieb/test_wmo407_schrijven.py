"""Het schrijven van een WMO407 uit gewone gegevens."""

from datetime import date

from portal.ieb import Client, Periode, lees_wmo407, schrijf_wmo407, wmo407_bytes, wmo407_van_bericht

from .berichten import BSN_A, BSN_B, lees, voorbeeld


def _een_client(identificatie: str) -> bytes:
    return wmo407_bytes(
        afzender="0363",
        identificatie=identificatie,
        dagtekening=date(2022, 10, 4),
        clients=[Client(BSN_A, (Periode(1, date(2022, 10, 1), None, 1),))],
    )


def test_the_written_example_reads_back_to_the_same_message():
    bericht = lees(voorbeeld())

    assert lees(wmo407_van_bericht(bericht)) == bericht


def test_without_xsd_versions_the_versions_of_our_schemas_are_written():
    data = _een_client(identificatie="X")

    header = lees(data).header

    assert (header.basisschema_xsd_versie, header.bericht_xsd_versie) == ("2.0.0", "2.0.0")


def test_special_characters_are_escaped():
    data = _een_client(identificatie="A&B<é>")

    assert b"A&amp;B&lt;\xc3\xa9&gt;" in data
    assert lees(data).header.identificatie == "A&B<é>"


def test_a_message_is_written_to_a_path_from_a_generator_of_clients(tmp_path):
    def clients():
        for nummer in range(1, 2001):
            bsn = BSN_A if nummer % 2 else BSN_B
            yield Client(bsn, (Periode(nummer, date(2022, 10, 1), date(2022, 12, 31), 2),))

    pad = tmp_path / "migratie.xml"

    schrijf_wmo407(pad, afzender="0363", identificatie="MIG0363", dagtekening=date(2022, 10, 4), clients=clients())

    controle = lees_wmo407(pad.read_bytes())
    assert controle.ok
    assert len(controle.bericht.clients) == 2000
    assert controle.bericht.clients[-1].perioden[0] == Periode(2000, date(2022, 10, 1), date(2022, 12, 31), 2)


def test_the_written_message_is_indented_one_element_per_line():
    regels = _een_client(identificatie="X").decode().splitlines()

    assert regels[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    assert regels[16] == "  <wmo407:Client>"
    assert regels[17] == f"    <wmo407:Bsn>{BSN_A}</wmo407:Bsn>"
    assert regels[-1] == "</wmo407:Bericht>"
