"""A gemeente's folder: what it shows, downloading, and that nobody sees another gemeente's files."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from portal.models import Categorie
from tests.scenario import maak_bestand, maak_gebruiker, maak_gemeente


@pytest.fixture
def twee_gemeenten(app):
    with app.app_context():
        amsterdam = maak_gemeente("0363", "Amsterdam")
        utrecht = maak_gemeente("0344", "Utrecht")
        maak_gebruiker("a@amsterdam.example.nl", gemeenten=("0363",))
        maak_gebruiker("u@utrecht.example.nl", gemeenten=("0344",))
        maak_gebruiker("cak@cak.example.nl", "cak")
        b4 = maak_bestand(amsterdam, naam="680363_B4_Bestandsvergelijking_20220926.xlsx", inhoud=b"inhoud-amsterdam")
        wmo408 = maak_bestand(amsterdam, naam="680363_WMO408_R00000001.xml", inhoud=b"<x/>",
                              categorie=Categorie.RETOURBERICHT)
        geheim = maak_bestand(utrecht, naam="680344_B4_Bestandsvergelijking_20221003.xlsx", inhoud=b"inhoud-utrecht")
        return {"amsterdam": amsterdam.code, "utrecht": utrecht.code,
                "b4": b4.id, "wmo408": wmo408.id, "utrecht_b4": geheim.id}


def test_the_folder_shows_each_group_with_name_size_and_hash(session, twee_gemeenten):
    session.login("a@amsterdam.example.nl")
    page = session.client.get("/gemeenten/0363/").get_data(as_text=True)
    for titel in ("Bestandsvergelijking", "Aanleverrapportages", "Retourberichten", "Verslagen", "Sjablonen"):
        assert f"<h3>{titel} " in page
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx" in page
    assert "680363_WMO408_R00000001.xml" in page
    assert hashlib.sha256(b"inhoud-amsterdam").hexdigest() in page
    assert "16 bytes" in page
    assert "nee, nieuw" in page
    assert "680344" not in page


def test_downloading_returns_the_bytes_and_marks_the_file_downloaded(session, twee_gemeenten):
    session.login("a@amsterdam.example.nl")
    response = session.client.get(f"/bestanden/{twee_gemeenten['b4']}")
    assert response.status_code == 200
    assert response.data == b"inhoud-amsterdam"
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx" in response.headers["Content-Disposition"]
    page = session.client.get("/gemeenten/0363/").get_data(as_text=True)
    row = page.split("680363_B4_Bestandsvergelijking_20220926.xlsx")[1].split("</tr>")[0]
    assert "ja, 19-09-2022 09:00" in row


def test_a_download_writes_an_audit_event(session, twee_gemeenten, app):
    from portal.extensions import db
    from portal.models import AuditEvent

    session.login("a@amsterdam.example.nl")
    session.client.get(f"/bestanden/{twee_gemeenten['b4']}", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "bestand_gedownload")).one()
        assert event.actor == "a@amsterdam.example.nl"
        assert event.object_id == str(twee_gemeenten["b4"])
        assert event.ip == "10.1.2.3"
        assert event.details["naam"] == "680363_B4_Bestandsvergelijking_20220926.xlsx"


def test_another_gemeentes_folder_answers_not_found(session, twee_gemeenten):
    session.login("a@amsterdam.example.nl")
    forbidden = session.client.get("/gemeenten/0344/")
    missing = session.client.get("/gemeenten/9999/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.get_data() == missing.get_data()


def test_another_gemeentes_file_answers_not_found_like_a_file_that_does_not_exist(
        session, twee_gemeenten, app):
    from portal.extensions import db
    from portal.models import Download

    session.login("a@amsterdam.example.nl")
    forbidden = session.client.get(f"/bestanden/{twee_gemeenten['utrecht_b4']}")
    missing = session.client.get("/bestanden/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.get_data() == missing.get_data()
    assert b"inhoud-utrecht" not in forbidden.get_data()
    with app.app_context():
        assert db.session.scalars(select(Download)).all() == []


def test_guessing_file_ids_reveals_only_the_own_files(session, twee_gemeenten):
    session.login("a@amsterdam.example.nl")
    found = {i for i in range(50) if session.client.get(f"/bestanden/{i}").status_code == 200}
    assert found == {twee_gemeenten["b4"], twee_gemeenten["wmo408"]}


def test_cak_users_see_every_gemeente_on_their_home_page_and_open_any_folder(session, twee_gemeenten):
    session.login("cak@cak.example.nl")
    home = session.client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Amsterdam" in home and "Utrecht" in home
    assert session.client.get("/gemeenten/0344/").status_code == 200
    assert session.client.get(f"/bestanden/{twee_gemeenten['utrecht_b4']}").data == b"inhoud-utrecht"


def test_gemeente_users_do_not_reach_the_cak_pages(session, twee_gemeenten):
    session.login("a@amsterdam.example.nl")
    assert session.client.get("/cak/").status_code == 404


def test_a_user_for_two_gemeenten_chooses_between_them(app, session, twee_gemeenten):
    with app.app_context():
        maak_gebruiker("leverancier@software.example.nl", "leverancier", gemeenten=("0363", "0344"))
    session.login("leverancier@software.example.nl")
    page = session.client.get("/").get_data(as_text=True)
    assert "/gemeenten/0363/" in page and "/gemeenten/0344/" in page
