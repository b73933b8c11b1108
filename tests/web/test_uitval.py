"""The uitval page of a gemeente, its .xlsx export, the links to it and the count on the CAK dashboard.

Every test reads the one scenario `post`, built once for this module (an export only adds an audit event,
which no test here reads).
"""
from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from portal.kalender import lees_moment
from portal.services import delivery
from portal.toestanden import Toestand
from tests.conftest import Session
from tests.scenario import (
    BEHEER,
    CAK,
    MEDEWERKER,
    MIGRATIEDATUM,
    UTRECHT,
    actor,
    b4_bsns,
    client,
    dashboard_zoals_getoond,
    elfproef_bsn,
    leverende_gemeente,
    maak_gebruiker,
    naar_toestand,
    pagina,
    periode,
    rij,
    tabelrijen,
    tekst,
    wmo407,
)

BEHEERDER = "beheerder@amsterdam.example.nl"
LEVERANCIER = "support@leverancier.example.nl"


@pytest.fixture(scope="module")
def post(module_app, module_clock):
    """Amsterdam on 03-10-2022: at 09:00 a message is rejected (a: 9103, b: no code of its own); at 09:10 b is
    sent again and accepted; at 09:20 a is sent again and rejected again; at 09:30 a message with c (9063) and
    x (no code of its own) is rejected. Utrecht sent nothing."""
    clock = module_clock
    with module_app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=3)
        utrecht = leverende_gemeente("0344", "Utrecht", clients=2)
        maak_gebruiker(BEHEERDER, "gemeente_beheerder", gemeenten=("0363",))
        maak_gebruiker(LEVERANCIER, "leverancier", gemeenten=("0363",))
        naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, amsterdam, utrecht)
        a, b, c = b4_bsns(amsterdam)
        x = elfproef_bsn(990363900)
        n = amsterdam.bw_startnummer
        berichten = [
            ("09:00", wmo407("EERSTE", client(a, periode(n, status=2)), client(b, periode(n + 1)))),
            ("09:10", wmo407("HERSTEL", client(b, periode(n + 1)))),
            ("09:20", wmo407("TWEEDE", client(a, periode(n, status=2)))),
            ("09:30", wmo407("DERDE", client(x, periode(n + 3)), client(c, periode(n + 2, status=3)))),
        ]
        ids = {}
        for tijd, inhoud in berichten:
            clock.set(lees_moment(f"2022-10-03 {tijd}"))
            verwerking = delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", "bericht.xml", inhoud)
            ids[tijd] = verwerking.ontvangst_id
        return {"ids": ids, "a": a, "b": b, "c": c, "x": x, "n": n}


@pytest.fixture
def app(module_app, post):
    return module_app


def _open(session: Session, email: str, url: str):
    session.login(email)
    return session.client.get(url)


def _rijen(response) -> list[list[str]]:
    [tabel] = pagina(response).xpath('//table[@data-testid="uitval"]')
    return tabelrijen(tabel)


def test_the_page_lists_each_period_still_to_fix_oldest_message_first(session, post):
    response = _open(session, MEDEWERKER, "/gemeenten/0363/uitval")

    assert response.status_code == 200
    a, c, x, n = post["a"], post["c"], post["x"], post["n"]
    rijen = _rijen(response)
    assert [r[:2] + r[5:] for r in rijen] == [
        [a, str(n), "TWEEDE", "03-10-2022 09:20"],
        [c, str(n + 2), "DERDE", "03-10-2022 09:30"],
        [x, str(n + 3), "DERDE", "03-10-2022 09:30"],
    ]
    assert rijen[0][2:4] == ["01-10-2022", "open"]
    assert rijen[0][4] == "9103 Wijzigen zonder eerdere aanlevering met hetzelfde BwStartNummer"
    assert rijen[1][4] == "9063 Verwijderen zonder eerdere aanlevering met hetzelfde BwStartNummer"
    assert rijen[2][4] == "geen eigen code afgekeurd om een ander deel van het bericht"


def test_the_page_explains_uitval_and_what_to_do_per_retourcode(session):
    boom = pagina(_open(session, MEDEWERKER, "/gemeenten/0363/uitval"))
    inhoud = tekst(boom)

    assert "3 perioden uitval" in inhoud
    assert "stuur een nieuw WMO407-bericht met dezelfde periode, dus met hetzelfde BwStartNummer" in inhoud
    assert "Het oudste bericht staat bovenaan" in inhoud
    wat = tekst(boom.xpath('//dl[@class="wat-te-doen"]')[0])
    assert ("9103 Wijzigen zonder eerdere aanlevering met hetzelfde BwStartNummer (1) "
            "U wijzigt (StatusAanlevering 2)") in wat
    assert "Geen eigen retourcode (1) Aan deze periode zelf is niets fout." in wat


def test_each_row_links_to_its_message(session, post):
    boom = pagina(_open(session, MEDEWERKER, "/gemeenten/0363/uitval"))

    links = boom.xpath('//table[@data-testid="uitval"]//a[text()="TWEEDE"]/@href')
    assert links == [f"/gemeenten/0363/berichten/{post['ids']['09:20']}"]
    assert session.client.get(links[0]).status_code == 200


def test_a_filter_on_a_retourcode_keeps_only_those_periods(session, post):
    session.login(MEDEWERKER)

    met_9063 = session.client.get("/gemeenten/0363/uitval?retourcode=9063")
    zonder_code = session.client.get("/gemeenten/0363/uitval?retourcode=0200")
    onbekend = session.client.get("/gemeenten/0363/uitval?retourcode=9999")

    assert [r[0] for r in _rijen(met_9063)] == [post["c"]]
    assert "Perioden met retourcode 9063 (1)" in tekst(pagina(met_9063))
    assert [r[0] for r in _rijen(zonder_code)] == [post["x"]]
    assert "Geen uitval met retourcode 9999. Toon alle uitval." in tekst(pagina(onbekend))


def test_a_gemeente_without_uitval_sees_that_there_is_none(session):
    response = _open(session, UTRECHT, "/gemeenten/0344/uitval")

    assert response.status_code == 200
    assert tekst(pagina(response).xpath('//*[@data-testid="geen-uitval"]')[0]).startswith(
        "Geen uitval: er is geen periode waarvan het laatste WMO407-bericht is afgekeurd.")
    assert not pagina(response).xpath('//table[@data-testid="uitval"]')


def test_the_export_is_an_xlsx_of_all_uitval_named_after_the_portal_day(session, post):
    response = _open(session, MEDEWERKER, "/gemeenten/0363/uitval?formaat=xlsx")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "680363_Uitval_20221003.xlsx" in response.headers["Content-Disposition"]
    boek = load_workbook(io.BytesIO(response.data))
    assert boek.sheetnames == ["Uitval", "Toelichting"]
    blad = boek["Uitval"]
    assert [c.value for c in blad[1]] == ["BSN", "BW_STARTNUMMER", "BW_STARTDATUM", "BW_EINDDATUM", "RETOURCODES",
                                         "OMSCHRIJVING", "WAT_TE_DOEN", "BERICHT_IDENTIFICATIE", "ONTVANGEN_OP"]
    assert all(c.font.b for c in blad[1])
    assert blad.freeze_panes == "A2"
    assert blad.auto_filter.ref == "A1:I4"
    eerste = list(blad[2])
    assert (eerste[0].value, eerste[0].data_type) == (post["a"], "s")
    assert eerste[1].value == post["n"]
    assert eerste[2].value == datetime.combine(MIGRATIEDATUM, datetime.min.time())
    assert eerste[2].number_format == "dd-mm-yyyy"
    assert eerste[3].value is None
    assert eerste[4].value == "9103"
    assert eerste[5].value == "9103: Wijzigen zonder eerdere aanlevering met hetzelfde BwStartNummer"
    assert eerste[6].value.startswith("U wijzigt (StatusAanlevering 2)")
    assert (eerste[7].value, eerste[8].value) == ("TWEEDE", datetime(2022, 10, 3, 9, 20))
    assert [r[0].value for r in blad.iter_rows(min_row=2)] == [post["a"], post["c"], post["x"]]
    assert blad.cell(4, 5).value is None
    assert blad.cell(4, 6).value.startswith("Geen eigen retourcode")
    toelichting = list(boek["Toelichting"].iter_rows(values_only=True))
    assert ("Uitval", "G", "WAT_TE_DOEN", "tekst", "ja", None,
            "Wat u doet om de periode alsnog geregistreerd te krijgen.") in toelichting


@pytest.mark.parametrize(("email", "eigen", "andere"), [
    (MEDEWERKER, "0363", "0344"),
    (BEHEERDER, "0363", "0344"),
    (LEVERANCIER, "0363", "0344"),
    (UTRECHT, "0344", "0363"),
    (CAK, "0363", None),
    (BEHEER, "0344", None),
])
def test_a_gemeente_user_sees_only_its_own_uitval_and_the_cak_every_gemeente(session, email, eigen, andere):
    session.login(email)

    assert session.client.get(f"/gemeenten/{eigen}/uitval").status_code == 200
    assert session.client.get(f"/gemeenten/{eigen}/uitval?formaat=xlsx").status_code == 200
    if andere is not None:
        assert session.client.get(f"/gemeenten/{andere}/uitval").status_code == 404
        assert session.client.get(f"/gemeenten/{andere}/uitval?formaat=xlsx").status_code == 404
    else:
        assert session.client.get("/gemeenten/0344/uitval").status_code == 200
        assert session.client.get("/gemeenten/0363/uitval").status_code == 200


def test_the_folder_page_and_the_messages_page_link_to_the_uitval_with_its_count(session):
    session.login(MEDEWERKER)

    for url in ("/gemeenten/0363/", "/gemeenten/0363/berichten"):
        boom = pagina(session.client.get(url))
        [link] = boom.xpath('//*[@data-testid="uitval-link"]')
        assert "3" in tekst(link)
        assert link.xpath("descendant-or-self::a/@href") == ["/gemeenten/0363/uitval"]
    assert "Uitval: 3 perioden te herstellen" in tekst(pagina(session.client.get("/gemeenten/0363/")))
    assert ("3 perioden zijn nog niet geregistreerd omdat hun laatste bericht is afgekeurd."
            in tekst(pagina(session.client.get("/gemeenten/0363/berichten"))))


def test_the_cak_dashboard_shows_the_uitval_per_gemeente_linking_to_its_page(session):
    session.login(CAK)
    page = dashboard_zoals_getoond(session.client)

    for code, aantal in (("0363", 3), ("0344", 0)):
        gevonden = re.search(r'<a href="([^"]+)"[^>]*data-testid="uitval">(\d+)</a>', rij(page, code))
        assert gevonden is not None
        assert (gevonden.group(1), int(gevonden.group(2))) == (f"/gemeenten/{code}/uitval", aantal)
