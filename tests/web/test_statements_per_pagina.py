"""The pages that grow with the country take a fixed number of SQL statements: the CAK dashboard, a timeslot's
list on it, the gemeente's folder page and the API's folder list. Counted with a cursor listener, once with
the few gemeenten (or files) of the scenario and once with many more: the count may not grow."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from portal.cak import overzichten
from portal.extensions import db
from portal.models import Categorie, Download, Gemeente, Migratie
from portal.services import apitokens, schaal, storage
from portal.services.audit import Actor
from portal.services.klok import nu
from portal.toestanden import Toestand
from tests.conftest import Session
from tests.scenario import CAK, drie_weken, gebruiker, gemeente_met_code, maak_gebruiker, medewerker

MAXIMUM = 8


@contextmanager
def statements(app) -> Iterator[list[str]]:
    gezien: list[str] = []

    def tel(conn, cursor, statement, parameters, context, executemany) -> None:
        gezien.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", tel)
    try:
        yield gezien
    finally:
        event.remove(engine, "before_cursor_execute", tel)


def get(app, client, url: str, **kwargs) -> tuple[str, int]:
    with statements(app) as gezien:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True), len(gezien)


@pytest.fixture
def scenario(app, clock):
    with app.app_context():
        drie_weken(clock)


def veel_gemeenten(app, aantal: int = 40) -> None:
    with app.app_context():
        schaal.laad_schaal(aantal, clients=3)


def test_the_dashboard_takes_the_same_few_statements_with_six_or_over_forty_gemeenten(app, session, scenario):
    session.login(CAK)
    weinig_pagina, weinig = get(app, session.client, "/cak/")
    veel_gemeenten(app)
    veel_pagina, veel = get(app, session.client, "/cak/")
    assert "<strong>6</strong> leverende gemeenten" in weinig_pagina
    assert int(re.search(r"<strong>(\d+)</strong> leverende gemeenten", veel_pagina)[1]) > 40
    assert veel == weinig <= MAXIMUM


def test_a_timeslots_list_takes_the_same_few_statements_however_many_gemeenten_it_holds(app, session, scenario):
    session.login(CAK)
    weinig_pagina, weinig = get(app, session.client, "/cak/weken/2022-10-03", headers={"HX-Request": "true"})
    veel_gemeenten(app)
    veel_pagina, veel = get(app, session.client, "/cak/weken/2022-10-03", headers={"HX-Request": "true"})
    assert weinig_pagina.count("data-gemeente=") == 3
    assert veel_pagina.count("data-gemeente=") > 3
    assert veel == weinig <= MAXIMUM


def _veel_bestanden(app, code: str, aantal: int = 30) -> None:
    with app.app_context():
        gemeente = gemeente_met_code(code)
        lezer = gebruiker(medewerker("Amsterdam"))
        for n in range(aantal):
            bestand = storage.plaats_bestand(gemeente, storage.NieuwBestand(
                categorie=list(Categorie)[n % len(Categorie)], naam=f"bestand-{n}.xlsx", inhoud=b"x" * n,
                mediatype=storage.XLSX, gepubliceerd_op=nu()), Actor.job_named("test"))
            db.session.add(Download(bestand_id=bestand.id, gebruiker_id=lezer.id, op=nu()))
        db.session.commit()


def test_the_folder_page_takes_the_same_few_statements_with_one_or_thirty_files(app, session, scenario):
    session.login(medewerker("Amsterdam"))
    weinig_pagina, weinig = get(app, session.client, "/gemeenten/0363/")
    _veel_bestanden(app, "0363")
    veel_pagina, veel = get(app, session.client, "/gemeenten/0363/")
    assert "bestand-29.xlsx" not in weinig_pagina and "bestand-29.xlsx" in veel_pagina
    assert veel == weinig <= MAXIMUM


def test_the_api_folder_list_takes_the_same_few_statements_with_one_or_thirty_files(app, client, scenario):
    with app.app_context():
        eigenaar = gebruiker(medewerker("Amsterdam"))
        token = apitokens.maak_token(Actor(user=eigenaar), eigenaar, "meting").geheim
    kop = {"Authorization": f"Bearer {token}"}
    weinig_lijst, weinig = get(app, client, "/api/v1/gemeenten/0363/bestanden", headers=kop)
    _veel_bestanden(app, "0363")
    veel_lijst, veel = get(app, client, "/api/v1/gemeenten/0363/bestanden", headers=kop)
    assert veel_lijst.count('"naam"') == weinig_lijst.count('"naam"') + 30
    assert veel == weinig <= MAXIMUM


def test_a_migrated_gemeentes_folder_page_with_its_bimonthly_comparison_takes_no_more(app, client, scenario):
    veel_gemeenten(app)
    with app.app_context():
        gemigreerd = db.session.scalar(select(Gemeente).join(Migratie, Migratie.gemeente_id == Gemeente.id)
                                       .where(Migratie.toestand == Toestand.GEMIGREERD).order_by(Gemeente.code))
        assert gemigreerd is not None, "het schaalscenario heeft een gemigreerde gemeente"
        code, naam = gemigreerd.code, gemigreerd.naam
        maak_gebruiker("lezer@schaal.example.nl", gemeenten=(code,))
    sessie = Session(client)
    sessie.login("lezer@schaal.example.nl")
    pagina, aantal = get(app, client, f"/gemeenten/{code}/")
    assert naam in pagina and 'data-testid="vergelijking-stand"' in pagina
    assert aantal <= MAXIMUM


def test_the_dashboard_shows_the_most_urgent_first_rows_and_links_to_the_full_lists(app, session, scenario):
    veel_gemeenten(app, 80)
    session.login(CAK)
    pagina, dashboard_aantal = get(app, session.client, "/cak/")
    actie = pagina.split('id="actie-kop"')[1].split("</section>")[0]
    totaal = int(re.search(r"<strong>(\d+)</strong> actie nodig", pagina)[1])
    assert totaal > overzichten.EERSTE
    assert actie.count("data-gemeente=") == overzichten.EERSTE
    assert f"Alle {totaal} gemeenten waarvoor actie nodig is" in actie
    # Late ones (a red signal) come first.
    rijen = re.findall(r'<tr class="rij-actie( rij-vlag)?"', actie)
    assert rijen == sorted(rijen, reverse=True) and rijen[0]

    lijsten, lijsten_aantal = get(app, session.client, "/cak/actie-nodig")
    volledig = lijsten.split('id="actie-nodig"')[1].split("</section>")[0]
    assert volledig.count("data-gemeente=") == totaal
    assert dashboard_aantal <= MAXIMUM and lijsten_aantal <= MAXIMUM
