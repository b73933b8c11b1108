"""Reading a 60-record file (RECORD60 channel): ASCII, every line exactly 60 characters, every bad line
reported with its line number and the position(s) of the field, all at once; CRLF and a final newline are fine."""
from __future__ import annotations

from portal.record60 import lees_record60
from tests.mutatiebestanden import BSN_BAKKER, BSN_DE_VRIES, BSN_JANSEN, VOOR, record60, record60_bestand


def lees(inhoud: bytes):
    return lees_record60(inhoud, gemeentecodes={"0363"})


def test_good_lines_become_mutations_with_lf_or_crlf_and_with_or_without_a_final_newline():
    regels = (record60(), record60(BSN_DE_VRIES, soort="E", start="20180101", einde="20220915", vorm="P"))
    for inhoud in (record60_bestand(*regels), record60_bestand(*regels, einde="\n"),
                   record60_bestand(*regels)[:-2]):
        resultaat = lees(inhoud)
        assert resultaat.geldig, [str(p) for p in resultaat.problemen]
        [(een, start), (twee, stop)] = resultaat.mutaties
        assert (een, twee) == (1, 2)
        assert (start.bsn, start.soort_mutatie, start.datum_start_bw, start.leveringsvorm, start.toelichting) == (
            BSN_JANSEN, "START", VOOR, "ZIN", "ref")
        assert (stop.soort_mutatie, stop.datum_einde_bw, stop.leveringsvorm) == ("STOP", VOOR, "PGB")
        assert start.geslachtsnaam is None and not start.heeft_personalia


def test_every_bad_line_is_reported_with_its_number_and_positions_all_at_once():
    resultaat = lees(record60_bestand(
        record60(),                                            # 1 fine
        record60("123456789"),                                 # 2 elfproef
        record60(soort="E"),                                   # 3 E without an end date
        record60(start="20221345"),                            # 4 not a date
        record60(gemeentecode="0599", bijdrage="XEB", vorm="Q"),  # 5 three fields
        record60()[:59],                                       # 6 too short
        "61" + record60()[2:],                                 # 7 record type
        record60(referentie="café"),                           # 8 not ASCII (é is two bytes)
        record60(BSN_BAKKER, agb="12AB5678"),                  # 9 AGB not digits
    ))
    tekst = [str(p) for p in resultaat.problemen]
    assert [(p.regel, p.posities) for p in resultaat.problemen] == [
        (2, "posities 7-15"), (3, "posities 25-32"), (4, "posities 17-24"), (5, "posities 3-6"),
        (5, "posities 41-43"), (5, "positie 44"), (6, None), (7, "posities 1-2"), (8, "positie 48"),
        (9, "posities 33-40")]
    assert tekst[0].startswith("Regel 2, posities 7-15 (BSN): Het BSN 123456789 is niet geldig")
    assert "Bij een afmelding (E) is DATUM_EINDE_BW verplicht" in tekst[1]
    assert "'20221345' is geen geldige datum. Schrijf de datum als EEJJMMDD" in tekst[2]
    assert "'Q' is geen leveringsvorm. Gebruik Z (zorg in natura) of P (pgb)." in tekst[5]
    assert "Regel 6: De regel is 59 tekens lang; elke regel moet precies 60 tekens lang zijn." in tekst[6]
    assert "een 60-record begint met 60" in tekst[7]
    assert "geen gewone ASCII-tekens" in tekst[8]
    assert [nummer for nummer, _ in resultaat.mutaties] == [1]


def test_an_empty_file_and_an_excel_file_are_refused_as_a_whole():
    assert "Het bestand is leeg" in str(lees(b"").problemen[0])
    assert "Dit is een Excel-bestand" in str(lees(b"PK\x03\x04rest").problemen[0])
