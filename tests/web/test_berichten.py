"""The messages page of a gemeente: every WMO407 with its outcome, a filter on retourcode, a BSN search, details.

Every test reads the one scenario `post`, built once for this module (an export only adds an audit event,
which no test here reads).
"""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from portal.kalender import lees_moment
from portal.services import delivery
from portal.toestanden import Toestand
from tests.conftest import Session
from tests.ieb.berichten import lees_wmo408
from tests.scenario import (
    CAK,
    MEDEWERKER,
    UTRECHT,
    actor,
    b4_bsns,
    bsn_zoekknop,
    client,
    leverende_gemeente,
    naar_toestand,
    pagina,
    periode,
    tabelrijen,
    tekst,
    wmo407,
    wmo407_berichten,
    zoek_bsn,
)


@pytest.fixture(scope="module")
def post(module_app, module_clock):
    """Amsterdam sent five files on 03-10-2022 (one every ten minutes from 09:00) and one at 11:00 that
    removes a period of the first; Utrecht sent one at 09:50."""
    clock = module_clock
    with module_app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=3)
        utrecht = leverende_gemeente("0344", "Utrecht", clients=3)
        naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, amsterdam, utrecht)
        a, b, _ = b4_bsns(amsterdam)
        u = b4_bsns(utrecht)[0]
        eerste = wmo407("BER-1", client(a, periode(36300001)), client(b, periode(36300002)))
        bestanden = [
            ("09:00", MEDEWERKER, "0363", "eerste.xml", eerste),
            ("09:10", MEDEWERKER, "0363", "nogmaals.xml", eerste),
            ("09:20", MEDEWERKER, "0363", "elfproef.xml", wmo407("BER-2", client("123456789", periode(5)))),
            ("09:30", MEDEWERKER, "0363", "kapot.xml", b"<wmo407:Bericht"),
            ("09:40", MEDEWERKER, "0363", "xsd.xml", wmo407("BER-3", client("12345", periode(6)))),
            ("09:50", UTRECHT, "0344", "utrecht.xml", wmo407("UTR-1", client(u, periode(34400001)), afzender="0344")),
            ("11:00", MEDEWERKER, "0363", "weg.xml", wmo407("BER-4", client(b, periode(36300002, status=3)))),
        ]
        ids = {}
        for tijd, wie, code, naam, inhoud in bestanden:
            clock.set(lees_moment(f"2022-10-03 {tijd}"))
            ids[naam] = delivery.ontvang_wmo407(actor(wie), code, naam, inhoud).ontvangst_id
        retour = {bericht.ontvangst.bestandsnaam: bericht.identificatie_retour
                  for bericht in wmo407_berichten(amsterdam)}
        return {"ids": ids, "a": a, "b": b, "u": u, "retour": retour}


@pytest.fixture
def app(module_app, post):
    return module_app


def _berichtentabel(response) -> list[list[str]]:
    boom = pagina(response)
    tabellen = boom.xpath(
        '//table[thead/tr/th[1][normalize-space()="Ontvangen"] and .//th[normalize-space()="WMO408"]]')
    return tabelrijen(tabellen[0]) if tabellen else []


def _kop(response) -> str:
    return tekst(pagina(response).xpath("//h2[starts-with(normalize-space(), 'Berichten')]")[0])


def test_the_messages_page_lists_every_message_newest_first_with_date_identificatie_result_counts_and_codes(
        app, session, post):
    session.login(MEDEWERKER)

    response = session.client.get("/gemeenten/0363/berichten")

    assert response.status_code == 200
    assert _kop(response) == "Berichten (6)"
    retour = post["retour"]
    assert _berichtentabel(response) == [
        ["03-10-2022 11:00", "weg.xml", "BER-4", "03-10-2022", "geaccepteerd", "1", "1", "0200 Geen opmerking",
         retour["weg.xml"]],
        ["03-10-2022 09:40", "xsd.xml", "—", "—", "ongeldig", "—", "—", "", "—"],
        ["03-10-2022 09:30", "kapot.xml", "—", "—", "geweigerd", "—", "—", "", "—"],
        ["03-10-2022 09:20", "elfproef.xml", "BER-2", "03-10-2022", "afgekeurd", "1", "1",
         "0001 Bericht is afgekeurd om technische redenen", retour["elfproef.xml"]],
        ["03-10-2022 09:10", "nogmaals.xml", "BER-1", "03-10-2022", "afgekeurd", "2", "2",
         "9056 Identificatie van het bericht is niet uniek voor deze afzender "
         "9404 Er bestaat al een aanlevering met dit BwStartNummer", retour["nogmaals.xml"]],
        ["03-10-2022 09:00", "eerste.xml", "BER-1", "03-10-2022", "geaccepteerd", "2", "2", "0200 Geen opmerking",
         retour["eerste.xml"]],
    ]


def test_the_wmo408_link_on_the_messages_page_downloads_the_return_message(app, session, post):
    session.login(MEDEWERKER)
    boom = pagina(session.client.get("/gemeenten/0363/berichten"))

    [link] = boom.xpath(f'//a[normalize-space()="{post["retour"]["nogmaals.xml"]}"]')
    response = session.client.get(link.get("href"))

    assert response.status_code == 200
    assert lees_wmo408(response.data).header_retourcodes == ["9056"]


def test_filtering_on_a_retourcode_shows_only_the_messages_that_got_that_code(app, session, post):
    session.login(MEDEWERKER)

    met_9404 = session.client.get("/gemeenten/0363/berichten?retourcode=9404")
    met_0001 = session.client.get("/gemeenten/0363/berichten?retourcode=0001")
    met_s300 = session.client.get("/gemeenten/0363/berichten?retourcode=s300")

    assert _kop(met_9404) == "Berichten met retourcode 9404 (1)"
    assert [rij[1] for rij in _berichtentabel(met_9404)] == ["nogmaals.xml"]
    assert [rij[1] for rij in _berichtentabel(met_0001)] == ["elfproef.xml"]
    assert _berichtentabel(met_s300) == []
    assert "Geen berichten met retourcode S300." in tekst(pagina(met_s300))
    keuzes = pagina(met_9404).xpath('//select[@name="retourcode"]/option')
    assert [(o.get("value"), o.get("selected") is not None) for o in keuzes] == [
        ("", False), ("0001", False), ("9056", False), ("9404", True)]
    assert tekst(keuzes[3]) == "9404 — Er bestaat al een aanlevering met dit BwStartNummer"


def test_searching_a_bsn_shows_its_registered_periods_and_every_message_that_touched_it(app, session, post):
    session.login(MEDEWERKER)
    a = post["a"]

    response = zoek_bsn(session, "0363", f"{a[:3]} {a[3:6]} {a[6:]}")

    boom = pagina(response)
    [paneel] = boom.xpath('//section[@aria-labelledby="bsn-kop"]')
    assert tekst(paneel.xpath("./h2")[0]) == f"BSN {a}"
    [geregistreerd, berichten] = paneel.xpath(".//table")
    assert tabelrijen(geregistreerd) == [["36300001", "01-10-2022", "open", "actueel", "03-10-2022 09:00"]]
    assert tabelrijen(berichten) == [
        ["03-10-2022 09:10", "BER-1", "36300001", "01-10-2022", "open", "1", "9404", "afgekeurd"],
        ["03-10-2022 09:00", "BER-1", "36300001", "01-10-2022", "open", "1", "0200", "geaccepteerd"]]
    assert [link.get("href") for link in berichten.xpath(".//a")] == [
        f"/gemeenten/0363/berichten/{post['ids']['nogmaals.xml']}",
        f"/gemeenten/0363/berichten/{post['ids']['eerste.xml']}"]
    assert _kop(response) == "Berichten (6)"


def test_a_bsn_search_shows_nothing_of_another_gemeentes_client(app, session, post):
    session.login(MEDEWERKER)

    response = zoek_bsn(session, "0363", post["u"])

    [paneel] = pagina(response).xpath('//section[@aria-labelledby="bsn-kop"]')
    assert paneel.xpath(".//table") == []
    assert "Geen geregistreerde perioden voor dit BSN." in tekst(paneel)
    assert "Geen berichten met dit BSN." in tekst(paneel)


def test_a_removed_period_shows_as_removed_in_the_bsn_search(app, session, post):
    session.login(MEDEWERKER)

    boom = pagina(zoek_bsn(session, "0363", post["b"]))

    [geregistreerd, berichten] = boom.xpath('//section[@aria-labelledby="bsn-kop"]//table')
    assert tabelrijen(geregistreerd) == [["36300002", "01-10-2022", "open", "verwijderd", "03-10-2022 11:00"]]
    assert [(rij[0], rij[1]) for rij in tabelrijen(berichten)] == [
        ("03-10-2022 11:00", "BER-4"), ("03-10-2022 09:10", "BER-1"), ("03-10-2022 09:00", "BER-1")]


def test_the_detail_page_of_a_rejected_message_shows_its_codes_periods_and_files(app, session, post):
    session.login(MEDEWERKER)
    ontvangst_id = post["ids"]["nogmaals.xml"]

    response = session.client.get(f"/gemeenten/0363/berichten/{ontvangst_id}")

    assert response.status_code == 200
    boom = pagina(response)
    assert tekst(boom.xpath("//h1")[0]) == "Bericht BER-1"
    zichtbaar = tekst(boom)
    assert "afgekeurd" in zichtbaar
    [codes] = boom.xpath('//tr[th[normalize-space()="Retourcodes"]]/td')
    assert tekst(codes) == ("9056 Identificatie van het bericht is niet uniek voor deze afzender "
                            "9404 Er bestaat al een aanlevering met dit BwStartNummer")
    assert [tekst(kop) for kop in boom.xpath('//section[contains(@class, "retourcode-bevinding")]/h3')] == [
        "9056 Identificatie van het bericht is niet uniek voor deze afzender (TR056)",
        "9404 Er bestaat al een aanlevering met dit BwStartNummer (TR404)"]
    perioden = boom.xpath('//table[thead/tr/th[normalize-space()="Retourcodes periode"]]')[0]
    assert tabelrijen(perioden) == [
        [post["a"], "36300001", "01-10-2022", "open", "1", "9404 Er bestaat al een aanlevering met dit BwStartNummer",
         "0200"],
        [post["b"], "36300002", "01-10-2022", "open", "1", "9404 Er bestaat al een aanlevering met dit BwStartNummer",
         "0200"]]
    [retour] = boom.xpath(f'//a[normalize-space()="{post["retour"]["nogmaals.xml"]}"]')
    assert session.client.get(retour.get("href")).status_code == 200
    [download] = boom.xpath('//a[normalize-space()="downloaden"]')
    assert download.get("href") == f"/ontvangsten/{ontvangst_id}"
    assert "via web door medewerker@amsterdam.example.nl" in zichtbaar


def test_the_detail_page_of_a_refused_file_shows_why_in_dutch(app, session, post):
    session.login(MEDEWERKER)

    response = session.client.get(f"/gemeenten/0363/berichten/{post['ids']['kapot.xml']}")

    boom = pagina(response)
    assert tekst(boom.xpath("//h1")[0]) == "Bericht kapot.xml"
    assert "geweigerd" in tekst(boom)
    [bevindingen] = boom.xpath('//table[thead/tr/th[normalize-space()="Uitleg"]]')
    [[regel, _, _, uitleg]] = tabelrijen(bevindingen)
    assert regel == "1"
    assert uitleg.startswith("Het bestand is geen goedgevormde XML")


def test_the_detail_page_of_a_level_2_message_names_the_broken_rule(app, session, post):
    session.login(MEDEWERKER)

    boom = pagina(session.client.get(f"/gemeenten/0363/berichten/{post['ids']['elfproef.xml']}"))

    assert "CS002" in tekst(boom) and "elfproef" in tekst(boom)


def test_cak_users_see_the_same_messages_for_any_gemeente(app, session, post):
    gemeente = Session(app.test_client())
    gemeente.login(MEDEWERKER)
    session.login(CAK)

    for url in ("/gemeenten/0363/berichten", "/gemeenten/0363/berichten?retourcode=9404"):
        assert _berichtentabel(session.client.get(url)) == _berichtentabel(gemeente.client.get(url))
    assert _berichtentabel(zoek_bsn(session, "0363", post["a"])) == _berichtentabel(
        zoek_bsn(gemeente, "0363", post["a"]))
    assert [rij[1:5] for rij in _berichtentabel(session.client.get("/gemeenten/0344/berichten"))] == [
        ["utrecht.xml", "UTR-1", "03-10-2022", "geaccepteerd"]]
    detail = session.client.get(f"/gemeenten/0344/berichten/{post['ids']['utrecht.xml']}")
    assert tekst(pagina(detail).xpath("//h1")[0]) == "Bericht UTR-1"
    assert session.client.get(f"/gemeenten/0363/berichten/{post['ids']['utrecht.xml']}").status_code == 404


@pytest.mark.parametrize("waarde", ["%", "9_04"])
def test_a_retourcode_filter_with_a_like_wildcard_matches_no_message(app, session, post, waarde):
    # No message has the retourcode "%" or "9_04"; the filter must not treat them as SQL LIKE patterns.
    session.login(MEDEWERKER)

    response = session.client.get("/gemeenten/0363/berichten", query_string={"retourcode": waarde})

    assert response.status_code == 200
    assert _berichtentabel(response) == []


# ---------------------------------------------------------------- views for fixing: codes, periods, BSN, export

def _perioden(response):
    [paneel] = pagina(response).xpath('//section[@data-testid="perioden-met-retourcode"]')
    return paneel


def test_each_code_in_the_message_list_links_to_the_periods_that_got_it(app, session, post):
    session.login(MEDEWERKER)
    boom = pagina(session.client.get("/gemeenten/0363/berichten"))

    [rij] = [r for r in boom.xpath("//table/tbody/tr") if "nogmaals.xml" in tekst(r)]

    assert [a.get("href") for a in rij.xpath('.//ul[@class="codelijst"]//a')] == [
        "/gemeenten/0363/berichten?retourcode=9056", "/gemeenten/0363/berichten?retourcode=9404"]


def test_filtering_on_a_code_lists_the_affected_bsns_and_periods(app, session, post):
    session.login(MEDEWERKER)
    a, b = post["a"], post["b"]

    paneel = _perioden(session.client.get("/gemeenten/0363/berichten?retourcode=9404"))

    assert tekst(paneel.xpath("./h2")[0]) == (
        "Perioden met retourcode 9404: Er bestaat al een aanlevering met dit BwStartNummer")
    assert tekst(paneel.xpath("./p")[0]).startswith("2 perioden van 2 cliënten, nieuwste bericht eerst.")
    assert tabelrijen(paneel.xpath(".//table")[0]) == [
        ["03-10-2022 09:10", "BER-1", a, "36300001", "01-10-2022", "open", "1", "9056, 9404"],
        ["03-10-2022 09:10", "BER-1", b, "36300002", "01-10-2022", "open", "1", "9056, 9404"]]
    assert tekst(bsn_zoekknop(paneel, a)) == a


def test_filtering_on_a_header_code_lists_every_period_of_the_messages_that_got_it(app, session, post):
    session.login(MEDEWERKER)

    met_9056 = _perioden(session.client.get("/gemeenten/0363/berichten?retourcode=9056"))
    met_0001 = _perioden(session.client.get("/gemeenten/0363/berichten?retourcode=0001"))

    assert [rij[2:4] for rij in tabelrijen(met_9056.xpath(".//table")[0])] == [
        [post["a"], "36300001"], [post["b"], "36300002"]]
    assert tabelrijen(met_0001.xpath(".//table")[0]) == [
        ["03-10-2022 09:20", "BER-2", "123456789", "5", "01-10-2022", "open", "1", "0001"]]
    zonder = _perioden(session.client.get("/gemeenten/0363/berichten?retourcode=9400"))
    assert tekst(zonder).endswith("Geen perioden met retourcode 9400.")


@pytest.mark.parametrize("invoer, fout", [
    ("12345", "Een BSN heeft 9 cijfers; u vulde er 5 in. Controleer het nummer."),
    ("12345678", "Een BSN heeft 9 cijfers; u vulde er 8 in. Begint het BSN met een 0? Vul die dan ook in."),
    ("123 456 789", "123456789 is geen geldig BSN: het voldoet niet aan de elfproef."),
    ("12345678a", "'12345678a' is geen BSN: een BSN bestaat uit 9 cijfers, zonder letters of andere tekens."),
], ids=["te-kort", "voorloopnul", "elfproef", "letter"])
def test_the_bsn_search_checks_its_input_and_says_what_is_wrong_at_the_field(app, session, post, invoer, fout):
    session.login(MEDEWERKER)

    boom = pagina(zoek_bsn(session, "0363", invoer))

    [veld] = boom.xpath('//input[@id="bsn"]')
    assert veld.get("aria-invalid") == "true"
    assert veld.get("value") == invoer
    [melding] = boom.xpath(f'//*[@id="{veld.get("aria-describedby").split()[-1]}"]')
    assert tekst(melding).startswith(fout)
    assert boom.xpath('//section[@aria-labelledby="bsn-kop"]') == []


def test_a_valid_bsn_is_searched_without_an_error(app, session, post):
    session.login(MEDEWERKER)

    boom = pagina(zoek_bsn(session, "0363", post["a"]))

    [veld] = boom.xpath('//input[@id="bsn"]')
    assert veld.get("aria-invalid") is None and boom.xpath('//*[@id="bsn-fout"]') == []


def _blad(response):
    werkmap = load_workbook(io.BytesIO(response.data))
    return werkmap["Afgekeurde perioden"], werkmap.sheetnames


def test_the_periods_of_a_filter_export_to_xlsx(app, session, post):
    session.login(MEDEWERKER)
    a, b = post["a"], post["b"]
    paneel = _perioden(session.client.get("/gemeenten/0363/berichten?retourcode=9404"))
    [knop] = paneel.xpath('.//a[normalize-space()="Exporteren naar Excel (.xlsx)"]')

    response = session.client.get(knop.get("href"))

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "680363_AfgekeurdePerioden_9404_20221003.xlsx" in response.headers["Content-Disposition"]
    blad, bladen = _blad(response)
    assert bladen == ["Afgekeurde perioden", "Toelichting"]
    omschrijving = ("9056 Identificatie van het bericht is niet uniek voor deze afzender; "
                    "9404 Er bestaat al een aanlevering met dit BwStartNummer")
    assert [tuple(rij) for rij in blad.iter_rows(values_only=True)] == [
        ("BERICHT_IDENTIFICATIE", "DAGTEKENING", "ONTVANGEN_OP", "BSN", "BW_STARTNUMMER", "BW_STARTDATUM",
         "BW_EINDDATUM", "STATUS_AANLEVERING", "RETOURCODES", "OMSCHRIJVING"),
        ("BER-1", datetime(2022, 10, 3), datetime(2022, 10, 3, 9, 10), a, 36300001, datetime(2022, 10, 1), None,
         "1", "9056, 9404", omschrijving),
        ("BER-1", datetime(2022, 10, 3), datetime(2022, 10, 3, 9, 10), b, 36300002, datetime(2022, 10, 1), None,
         "1", "9056, 9404", omschrijving)]
    assert (blad.freeze_panes, blad.auto_filter.ref) == ("A2", "A1:J3")


def test_the_rejected_periods_of_a_message_export_to_xlsx_and_an_accepted_message_has_none(app, session, post):
    session.login(MEDEWERKER)
    afgekeurd = pagina(session.client.get(f"/gemeenten/0363/berichten/{post['ids']['elfproef.xml']}"))
    geaccepteerd = pagina(session.client.get(f"/gemeenten/0363/berichten/{post['ids']['eerste.xml']}"))
    [knop] = afgekeurd.xpath('//a[normalize-space()="Afgekeurde perioden exporteren naar Excel (.xlsx)"]')

    response = session.client.get(knop.get("href"))

    assert "680363_AfgekeurdePerioden_BER-2_20221003.xlsx" in response.headers["Content-Disposition"]
    blad, _ = _blad(response)
    assert [tuple(rij)[3:] for rij in blad.iter_rows(min_row=2, values_only=True)] == [
        ("123456789", 5, datetime(2022, 10, 1), None, "1", "0001", "0001 Bericht is afgekeurd om technische redenen")]
    assert geaccepteerd.xpath('//a[contains(normalize-space(), "exporteren naar Excel")]') == []
    assert session.client.get(
        f"/gemeenten/0363/berichten/{post['ids']['eerste.xml']}/afgekeurde-perioden.xlsx").status_code == 404
    utrecht = Session(app.test_client())
    utrecht.login(UTRECHT)
    assert utrecht.client.get(knop.get("href")).status_code == 404
    assert utrecht.client.get("/gemeenten/0363/berichten/afgekeurde-perioden.xlsx?retourcode=9404").status_code == 404
