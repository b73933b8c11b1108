"""The kit's test set in the pure core: judged in order against an in-memory register, every file gets
the outcome and retourcodes it promises; each breaks one rule only."""
from __future__ import annotations

from datetime import date

from portal import ieb
from portal.ieb.testbestanden import Uitgangspunt, als_zip, maak_testset, met_afgekeurde_records
from tests.scenario import elfproef_bsn

DAG = date(2022, 10, 3)
UITGANGSPUNT = Uitgangspunt("0363", "680363", 1, DAG, date(2022, 10, 1), elfproef_bsn(999_900_000),
                            elfproef_bsn(999_900_100), (36300001, 36300002))


def test_every_file_of_the_set_gets_its_promised_outcome_and_codes_in_order():
    register = ieb.InMemoryRegister()
    for bestand in maak_testset(UITGANGSPUNT):
        schema = ieb.controleer_schema(ieb.controleer_transport(bestand.inhoud))
        if not schema.ok or schema.bericht is None:
            assert (bestand.sleutel, bestand.uitkomst) == ("SCHEMA", "ongeldig")
            continue
        beoordeling = ieb.beoordeel(schema.bericht, vandaag=DAG, cbs_codes={"0363"}, register=register)
        uitkomst = "geaccepteerd" if beoordeling.geaccepteerd else "afgekeurd"
        assert (bestand.sleutel, uitkomst, beoordeling.retourcodes()) == (
            bestand.sleutel, bestand.uitkomst, list(bestand.retourcodes))
        if beoordeling.geaccepteerd:
            register.pas_toe(schema.bericht)
        register.reserveer(bestand.identificatie)


def test_identificaties_fit_the_twelve_characters_of_ieb_and_the_zip_holds_every_file():
    bestanden = maak_testset(UITGANGSPUNT)
    assert all(len(b.identificatie) <= 12 for b in bestanden)
    assert bestanden[0].identificatie == "KT036300101"
    assert b"LEESMIJ.txt" in als_zip(bestanden)


def test_a_message_with_rejected_records_has_its_first_periods_too_old():
    bericht = ieb.lees_wmo407(maak_testset(UITGANGSPUNT)[0].inhoud).bericht
    assert bericht is not None
    fout = met_afgekeurde_records(bericht)
    beoordeling = ieb.beoordeel(fout, vandaag=DAG, cbs_codes={"0363"}, register=ieb.InMemoryRegister())
    assert beoordeling.retourcodes() == ["9395"]
