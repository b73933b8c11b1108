"""Meldingen gegroepeerd: één uitleg per retourcode met de plaatsen erbij, nooit driehonderd keer dezelfde alinea."""

from datetime import date

from portal.ieb import InMemoryRegister, groepeer
from portal.ieb.niveau2_regels import GROEPSUITLEG as NIVEAU2_UITLEG
from portal.ieb.niveau3_regels import GROEPSUITLEG as NIVEAU3_UITLEG
from tests.scenario import elfproef_bsns

from .berichten import beoordeel_bytes, bericht_bytes, client, periode

START = date(2022, 10, 1)
BSNS = elfproef_bsns(300, 100_000_000)


def _driehonderd(identificatie: str = "DUBBEL-1", status: int = 1) -> bytes:
    return bericht_bytes(*[client(bsn, periode(1000 + i, START, status=status)) for i, bsn in enumerate(BSNS)],
                         identificatie=identificatie)


def _tweemaal(data: bytes):
    register = InMemoryRegister()
    eerste, _ = beoordeel_bytes(data, register)
    register.reserveer(eerste.header.identificatie)
    register.pas_toe(eerste)
    return beoordeel_bytes(data, register)


def test_the_same_message_twice_gives_one_group_for_9056_and_one_for_9404_with_all_300_clients():
    bericht, beoordeling = _tweemaal(_driehonderd())

    groepen = groepeer(bericht, beoordeling)

    assert [(g.code, g.regel_id, g.aantal, g.aantal_bsns) for g in groepen] == [
        ("9056", "TR056", 0, 0), ("9404", "TR404", 300, 300)]
    header, perioden = groepen
    assert header.uitleg.startswith("De Identificatie 'DUBBEL-1' is al eerder gebruikt")
    assert perioden.omschrijving == "Er bestaat al een aanlevering met dit BwStartNummer"
    assert perioden.uitleg == NIVEAU3_UITLEG["TR404"]
    assert [(p.bsn, p.bw_startnummer) for p in perioden.plaatsen] == [(bsn, 1000 + i) for i, bsn in enumerate(BSNS)]
    assert perioden.over_perioden and all(p.regelnummer for p in perioden.plaatsen)


def test_the_places_of_a_group_are_capped_but_counted_in_full():
    bericht, beoordeling = _tweemaal(_driehonderd())

    [_, perioden] = groepeer(bericht, beoordeling, max_plaatsen=10)

    assert (perioden.aantal, perioden.aantal_bsns, len(perioden.plaatsen)) == (300, 300, 10)
    assert perioden.als_dict()["plaatsen"][0] == {"bsn": BSNS[0], "bw_startnummer": 1000, "regelnummer": 19}


def test_an_accepted_message_has_one_group_of_periods_without_remark():
    bericht, beoordeling = beoordeel_bytes(_driehonderd())

    [groep] = groepeer(bericht, beoordeling)

    assert (groep.code, groep.omschrijving, groep.aantal) == ("0200", "Geen opmerking", 300)
    assert groep.uitleg == "Deze perioden zijn verwerkt en geregistreerd."


def test_periods_without_remark_in_a_rejected_message_are_told_they_were_not_registered():
    data = bericht_bytes(client(BSNS[0], periode(1, START, status=2)), client(BSNS[1], periode(2, START)))
    bericht, beoordeling = beoordeel_bytes(data)

    groepen = groepeer(bericht, beoordeling)

    assert [(g.code, [p.bsn for p in g.plaatsen]) for g in groepen] == [("9103", [BSNS[0]]), ("0200", [BSNS[1]])]
    assert "niet geregistreerd: het hele bericht is afgekeurd" in groepen[1].uitleg


def test_at_level_2_each_rule_is_one_group_of_0001_with_the_bsns_it_concerns():
    data = bericht_bytes(client("123456789", periode(1, START)), client("111111111", periode(2, START)),
                         client(BSNS[0], periode(3, START, date(2022, 9, 1)), periode(3, START)))
    bericht, beoordeling = beoordeel_bytes(data)

    groepen = groepeer(bericht, beoordeling)

    assert beoordeling.niveau == 2
    assert [(g.code, g.regel_id, [(p.bsn, p.bw_startnummer) for p in g.plaatsen]) for g in groepen] == [
        ("0001", "CS002", [("123456789", None), ("111111111", None)]),
        ("0001", "CS003", [(BSNS[0], 3)]),
        ("0001", "IM001", [(BSNS[0], 3)])]
    assert [g.uitleg for g in groepen] == [NIVEAU2_UITLEG[r] for r in ("CS002", "CS003", "IM001")]
    assert not groepen[0].over_perioden and groepen[1].over_perioden


def test_a_header_rule_without_a_general_explanation_keeps_its_own():
    data = bericht_bytes(client(BSNS[0], periode(1, START)), basisschema_xsd_versie="2.1.0")
    bericht, beoordeling = beoordeel_bytes(data)

    [groep] = groepeer(bericht, beoordeling)

    assert (groep.regel_id, groep.aantal, groep.plaatsen) == ("IM003", 0, ())
    assert groep.uitleg.startswith("De BasisschemaXsdVersie in de header")
