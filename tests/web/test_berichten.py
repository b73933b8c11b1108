"""The messages page of a gemeente: every WMO407 with its outcome, a filter on retourcode, a BSN search, details."""
from __future__ import annotations


import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Ontvangst
from portal.services import delivery
from tests import flow
from tests.conftest import Session
from tests.services import delivery_helpers as h
from tests.services.delivery_helpers import client, periode, snelle_wachtwoorden, wmo407  # noqa: F401

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


@pytest.fixture
def post(app, clock):
    """Amsterdam sent five files on 03-10-2022 (one every ten minutes from 09:00), Utrecht one at 09:50."""
    with app.app_context():
        amsterdam, utrecht = h.mogen_aanleveren(clock, ("0363", "Amsterdam"), ("0344", "Utrecht"))
        a, b, _ = h.bsns(amsterdam)
        u = h.bsns(utrecht)[0]
        eerste = wmo407("BER-1", client(a, periode(36300001)), client(b, periode(36300002)))
        bestanden = [
            ("09:00", h.AMSTERDAM, "0363", "eerste.xml", eerste),
            ("09:10", h.AMSTERDAM, "0363", "nogmaals.xml", eerste),
            ("09:20", h.AMSTERDAM, "0363", "elfproef.xml", wmo407("BER-2", client("123456789", periode(5)))),
            ("09:30", h.AMSTERDAM, "0363", "kapot.xml", b"<wmo407:Bericht"),
            ("09:40", h.AMSTERDAM, "0363", "xsd.xml", wmo407("BER-3", client("12345", periode(6)))),
            ("09:50", h.UTRECHT, "0344", "utrecht.xml", wmo407("UTR-1", client(u, periode(34400001)),
                                                               afzender="0344")),
        ]
        ids = {}
        for tijd, wie, code, naam, inhoud in bestanden:
            clock.set(flow.moment(f"2022-10-03 {tijd}"))
            ids[naam] = delivery.ontvang_wmo407(flow.actor(wie), code, naam, inhoud).ontvangst_id
        terugkoppeling = db.session.scalar(select(Ontvangst.id).where(
            Ontvangst.gemeente_id == amsterdam.id, Ontvangst.soort == "terugkoppeling"))
        retour = {b.ontvangst.bestandsnaam: b.identificatie_retour for b in h.berichten(amsterdam)}
        return {"ids": ids, "a": a, "b": b, "u": u, "terugkoppeling": terugkoppeling, "retour": retour}


def _berichtentabel(response) -> list[list[str]]:
    boom = h.pagina(response)
    tabellen = boom.xpath('//table[thead/tr/th[1][normalize-space()="Ontvangen"] and .//th[normalize-space()="WMO408"]]')
    return h.tabelrijen(tabellen[0]) if tabellen else []


def _kop(response) -> str:
    return h.tekst(h.pagina(response).xpath("//h2[starts-with(normalize-space(), 'Berichten')]")[0])


def test_the_messages_page_lists_every_message_newest_first_with_date_identificatie_result_counts_and_codes(
        app, session, post):
    session.login(h.AMSTERDAM)

    response = session.client.get("/gemeenten/0363/berichten")

    assert response.status_code == 200
    assert _kop(response) == "Berichten (5)"
    retour = post["retour"]
    assert _berichtentabel(response) == [
        ["03-10-2022 09:40", "xsd.xml", "—", "—", "ongeldig", "—", "—", "", "—"],
        ["03-10-2022 09:30", "kapot.xml", "—", "—", "geweigerd", "—", "—", "", "—"],
        ["03-10-2022 09:20", "elfproef.xml", "BER-2", "03-10-2022", "afgekeurd", "1", "1", "0001",
         retour["elfproef.xml"]],
        ["03-10-2022 09:10", "nogmaals.xml", "BER-1", "03-10-2022", "afgekeurd", "2", "2", "9056, 9404",
         retour["nogmaals.xml"]],
        ["03-10-2022 09:00", "eerste.xml", "BER-1", "03-10-2022", "geaccepteerd", "2", "2", "—",
         retour["eerste.xml"]],
    ]


def test_the_wmo408_link_on_the_messages_page_downloads_the_return_message(app, session, post):
    session.login(h.AMSTERDAM)
    boom = h.pagina(session.client.get("/gemeenten/0363/berichten"))

    [link] = boom.xpath(f'//a[normalize-space()="{post["retour"]["nogmaals.xml"]}"]')
    response = session.client.get(link.get("href"))

    assert response.status_code == 200
    assert h.lees_wmo408(response.data).header_retourcodes == ["9056"]


def test_filtering_on_a_retourcode_shows_only_the_messages_that_got_that_code(app, session, post):
    session.login(h.AMSTERDAM)

    met_9404 = session.client.get("/gemeenten/0363/berichten?retourcode=9404")
    met_0001 = session.client.get("/gemeenten/0363/berichten?retourcode=0001")
    met_s300 = session.client.get("/gemeenten/0363/berichten?retourcode=s300")

    assert _kop(met_9404) == "Berichten met retourcode 9404 (1)"
    assert [rij[1] for rij in _berichtentabel(met_9404)] == ["nogmaals.xml"]
    assert [rij[1] for rij in _berichtentabel(met_0001)] == ["elfproef.xml"]
    assert _berichtentabel(met_s300) == []
    assert "Geen berichten met retourcode S300." in h.tekst(h.pagina(met_s300))
    keuzes = h.pagina(met_9404).xpath('//select[@name="retourcode"]/option')
    assert [(o.get("value"), o.get("selected") is not None) for o in keuzes] == [
        ("", False), ("0001", False), ("9056", False), ("9404", True)]
    assert h.tekst(keuzes[3]) == "9404 — Er bestaat al een aanlevering met dit BwStartNummer"


def test_searching_a_bsn_shows_its_registered_periods_and_every_message_that_touched_it(app, session, post):
    session.login(h.AMSTERDAM)
    a = post["a"]

    response = session.client.get(f"/gemeenten/0363/berichten?bsn={a[:3]} {a[3:6]} {a[6:]}")

    boom = h.pagina(response)
    [paneel] = boom.xpath('//section[@aria-labelledby="bsn-kop"]')
    assert h.tekst(paneel.xpath("./h2")[0]) == f"BSN {a}"
    [geregistreerd, berichten] = paneel.xpath(".//table")
    assert h.tabelrijen(geregistreerd) == [["36300001", "01-10-2022", "open", "actueel", "03-10-2022 09:00"]]
    assert h.tabelrijen(berichten) == [
        ["03-10-2022 09:00", "BER-1", "36300001", "01-10-2022", "open", "1", "0200", "geaccepteerd"],
        ["03-10-2022 09:10", "BER-1", "36300001", "01-10-2022", "open", "1", "9404", "afgekeurd"]]
    assert [l.get("href") for l in berichten.xpath(".//a")] == [
        f"/gemeenten/0363/berichten/{post['ids']['eerste.xml']}",
        f"/gemeenten/0363/berichten/{post['ids']['nogmaals.xml']}"]
    assert _kop(response) == "Berichten (5)"


def test_a_bsn_search_shows_nothing_of_another_gemeentes_client(app, session, post):
    session.login(h.AMSTERDAM)

    response = session.client.get(f"/gemeenten/0363/berichten?bsn={post['u']}")

    [paneel] = h.pagina(response).xpath('//section[@aria-labelledby="bsn-kop"]')
    assert paneel.xpath(".//table") == []
    assert "Geen geregistreerde perioden voor dit BSN." in h.tekst(paneel)
    assert "Geen berichten met dit BSN." in h.tekst(paneel)


def test_a_removed_period_shows_as_removed_in_the_bsn_search(app, session, post, clock):
    with app.app_context():
        clock.set(flow.moment("2022-10-03 11:00"))
        verwerking = delivery.ontvang_wmo407(flow.actor(h.AMSTERDAM), "0363", "weg.xml", wmo407(
            "BER-4", client(post["a"], periode(36300001, status=3))))
        assert verwerking.geaccepteerd, verwerking.rapport
    session.login(h.AMSTERDAM)

    boom = h.pagina(session.client.get(f"/gemeenten/0363/berichten?bsn={post['a']}"))

    [geregistreerd, berichten] = boom.xpath('//section[@aria-labelledby="bsn-kop"]//table')
    assert h.tabelrijen(geregistreerd) == [["36300001", "01-10-2022", "open", "verwijderd", "03-10-2022 11:00"]]
    assert [rij[1] for rij in h.tabelrijen(berichten)] == ["BER-1", "BER-1", "BER-4"]


def test_the_detail_page_of_a_rejected_message_shows_its_codes_periods_and_files(app, session, post):
    session.login(h.AMSTERDAM)
    ontvangst_id = post["ids"]["nogmaals.xml"]

    response = session.client.get(f"/gemeenten/0363/berichten/{ontvangst_id}")

    assert response.status_code == 200
    boom = h.pagina(response)
    assert h.tekst(boom.xpath("//h1")[0]) == "Bericht BER-1"
    tekst = h.tekst(boom)
    assert "afgekeurd" in tekst
    assert "9056, 9404" in tekst
    assert "TR056" in tekst
    perioden = boom.xpath('//table[thead/tr/th[normalize-space()="Retourcodes periode"]]')[0]
    assert h.tabelrijen(perioden) == [
        [post["a"], "36300001", "01-10-2022", "open", "1", "9404 Er bestaat al een aanlevering met dit BwStartNummer",
         "0200"],
        [post["b"], "36300002", "01-10-2022", "open", "1", "9404 Er bestaat al een aanlevering met dit BwStartNummer",
         "0200"]]
    [retour] = boom.xpath(f'//a[normalize-space()="{post["retour"]["nogmaals.xml"]}"]')
    assert session.client.get(retour.get("href")).status_code == 200
    [download] = boom.xpath('//a[normalize-space()="downloaden"]')
    assert download.get("href") == f"/ontvangsten/{ontvangst_id}"
    assert "via web door medewerker@amsterdam.example.nl" in tekst


def test_the_detail_page_of_a_refused_file_shows_why_in_dutch(app, session, post):
    session.login(h.AMSTERDAM)

    response = session.client.get(f"/gemeenten/0363/berichten/{post['ids']['kapot.xml']}")

    boom = h.pagina(response)
    assert h.tekst(boom.xpath("//h1")[0]) == "Bericht kapot.xml"
    assert "geweigerd" in h.tekst(boom)
    [bevindingen] = boom.xpath('//table[thead/tr/th[normalize-space()="Uitleg"]]')
    [[regel, _, _, uitleg]] = h.tabelrijen(bevindingen)
    assert regel == "1"
    assert uitleg.startswith("Het bestand is geen goedgevormde XML")


def test_the_detail_page_of_a_level_2_message_names_the_broken_rule(app, session, post):
    session.login(h.AMSTERDAM)

    boom = h.pagina(session.client.get(f"/gemeenten/0363/berichten/{post['ids']['elfproef.xml']}"))

    assert "CS002" in h.tekst(boom) and "elfproef" in h.tekst(boom)


def test_message_ids_of_another_gemeente_or_of_another_kind_answer_404(app, session, post):
    session.login(h.AMSTERDAM)
    van_utrecht = post["ids"]["utrecht.xml"]

    antwoorden = [session.client.get(url).status_code for url in (
        f"/gemeenten/0363/berichten/{van_utrecht}",
        f"/gemeenten/0344/berichten/{van_utrecht}",
        "/gemeenten/0344/berichten",
        f"/gemeenten/0344/berichten?bsn={post['u']}",
        f"/gemeenten/0363/berichten/{post['terugkoppeling']}",
        "/gemeenten/0363/berichten/999999",
        f"/ontvangsten/{van_utrecht}",
    )]

    assert antwoorden == [404] * 7


def test_cak_users_see_the_same_messages_for_any_gemeente(app, session, post):
    gemeente = Session(app.test_client())
    gemeente.login(h.AMSTERDAM)
    session.login(h.CAK)

    for url in ("/gemeenten/0363/berichten", "/gemeenten/0363/berichten?retourcode=9404",
                f"/gemeenten/0363/berichten?bsn={post['a']}"):
        assert _berichtentabel(session.client.get(url)) == _berichtentabel(gemeente.client.get(url))
    assert [rij[1:5] for rij in _berichtentabel(session.client.get("/gemeenten/0344/berichten"))] == [
        ["utrecht.xml", "UTR-1", "03-10-2022", "geaccepteerd"]]
    detail = session.client.get(f"/gemeenten/0344/berichten/{post['ids']['utrecht.xml']}")
    assert h.tekst(h.pagina(detail).xpath("//h1")[0]) == "Bericht UTR-1"
    assert session.client.get(f"/gemeenten/0363/berichten/{post['ids']['utrecht.xml']}").status_code == 404


@pytest.mark.parametrize("waarde", ["%", "9_04"])
def test_a_retourcode_filter_with_a_like_wildcard_matches_no_message(app, session, post, waarde):
    # No message has the retourcode "%" or "9_04"; the filter must not treat them as SQL LIKE patterns.
    session.login(h.AMSTERDAM)

    response = session.client.get("/gemeenten/0363/berichten", query_string={"retourcode": waarde})

    assert response.status_code == 200
    assert _berichtentabel(response) == []
