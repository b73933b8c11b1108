"""Every page and API answer that shows BSNs leaves an audit event (issue 11, point 5): who, which page,
which object, which BSNs, from which address; and the BSN search is a POST, so no BSN is in an address."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.toestanden import Toestand
from tests.conftest import Session
from tests.scenario import (
    CAK,
    MEDEWERKER,
    api_token,
    b4_bsns,
    bearer,
    cak_gebruikers,
    client,
    leverende_gemeente,
    naar_toestand,
    periode,
    stuur_wmo407,
    zoek_bsn,
)


@pytest.fixture
def bericht(app, clock):
    """Amsterdam sent a message that was rejected for client a (who is now uitval)."""
    with app.app_context():
        cak_gebruikers()
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=3)
        naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, amsterdam)
        a = b4_bsns(amsterdam)[0]
        verwerking = stuur_wmo407(amsterdam, client(a, periode(amsterdam.bw_startnummer, status=2)),
                                  identificatie="WIJZIG-1")
        assert verwerking.uitkomst == "afgekeurd"
        [code] = verwerking.retourcodes
        return {"a": a, "id": verwerking.ontvangst_id, "code": code, "token": api_token(MEDEWERKER)}


def _inzage(app, na: int) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.id > na, AuditEvent.actie.like("bsns_ingezien:%")).order_by(AuditEvent.id)))


def _laatste(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.max(AuditEvent.id))) or 0


def test_every_page_and_answer_that_shows_bsns_leaves_an_event_with_who_what_and_which_bsns(app, session, bericht):
    a, ontvangst = bericht["a"], bericht["id"]
    session.login(MEDEWERKER)
    cak = Session(app.test_client())
    cak.login(CAK)
    api = app.test_client()
    verzoeken = {  # endpoint -> (request, BSNs it must list; None: the page itself is the event)
        "gemeente.berichten": (lambda: zoek_bsn(session, "0363", a), [a]),
        "gemeente.bericht": (lambda: session.client.get(f"/gemeenten/0363/berichten/{ontvangst}"), [a]),
        "gemeente.uitval": (lambda: session.client.get("/gemeenten/0363/uitval"), [a]),
        "gemeente.map": (lambda: session.client.get("/gemeenten/0363/"), None),
        "cak.gemeente": (lambda: cak.client.get("/cak/gemeenten/0363"), None),
        "api.bericht": (lambda: api.get(f"/api/v1/berichten/{ontvangst}", headers=bearer(bericht["token"])), [a]),
        "api.uitvallijst": (lambda: api.get("/api/v1/gemeenten/0363/uitval", headers=bearer(bericht["token"])), [a]),
    }
    for endpoint, (verzoek, bsns) in verzoeken.items():
        na = _laatste(app)
        assert verzoek().status_code == 200, endpoint
        [event] = _inzage(app, na)
        assert event.actie == f"bsns_ingezien:{endpoint}"
        assert event.actor == (CAK if endpoint.startswith("cak.") else MEDEWERKER)
        assert event.ip == "127.0.0.1"
        if bsns is not None:
            assert (event.bsns, event.aantal_bsns) == (bsns, 1), endpoint


def test_the_filter_on_a_retourcode_lists_the_bsns_it_showed(app, session, bericht):
    session.login(MEDEWERKER)
    na = _laatste(app)

    session.client.get(f"/gemeenten/0363/berichten?retourcode={bericht['code']}")

    [event] = _inzage(app, na)
    assert event.bsns == [bericht["a"]]


def test_the_exports_record_the_bsns_they_hand_out(app, session, bericht):
    session.login(MEDEWERKER)
    na = _laatste(app)

    assert session.client.get("/gemeenten/0363/uitval?formaat=xlsx").status_code == 200
    assert session.client.get(f"/gemeenten/0363/berichten/{bericht['id']}/afgekeurde-perioden.xlsx").status_code == 200

    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > na).order_by(AuditEvent.id)).all()
        assert [(e.actie, e.bsns) for e in events] == [("uitval_geexporteerd", [bericht["a"]]),
                                                       ("afgekeurde_perioden_geexporteerd", [bericht["a"]])]


def test_a_page_that_refuses_leaves_no_inzage_event(app, session, bericht):
    session.login(MEDEWERKER)
    na = _laatste(app)

    assert session.client.get("/gemeenten/0344/uitval").status_code == 404

    assert _inzage(app, na) == []


def test_the_bsn_search_is_a_post_and_a_bsn_in_the_address_is_not_searched(app, session, bericht):
    a = bericht["a"]
    session.login(MEDEWERKER)

    pagina = session.client.get(f"/gemeenten/0363/berichten?bsn={a}").get_data(as_text=True)
    gezocht = zoek_bsn(session, "0363", a)

    assert f"BSN {a}" not in pagina
    assert gezocht.status_code == 200 and f"BSN {a}" in gezocht.get_data(as_text=True)
    assert f"bsn={a}" not in gezocht.get_data(as_text=True)
    assert 'role="search"' in pagina and 'method="post"' in pagina.split('role="search"')[0].rsplit("<form", 1)[1]


@pytest.mark.parametrize("app_config, verwacht", [({}, "127.0.0.1"), ({"PROXY_AANTAL": 1}, "203.0.113.7")],
                         ids=["zonder-proxy", "achter-een-proxy"])
def test_the_address_comes_from_x_forwarded_for_only_behind_a_configured_proxy(app, session, bericht, verwacht):
    session.login(MEDEWERKER)
    na = _laatste(app)

    session.client.get("/gemeenten/0363/uitval", headers={"X-Forwarded-For": "203.0.113.7"})

    [event] = _inzage(app, na)
    assert event.ip == verwacht


def test_the_old_channels_lookup_is_a_post_and_leaves_an_event_with_the_bsn(app, session, bericht):
    a = bericht["a"]
    session.login(MEDEWERKER)
    url = "/gemeenten/0363/oude-kanalen/"
    na = _laatste(app)

    adres = session.client.get(f"{url}?bsn={a}").get_data(as_text=True)
    gezocht = session.post(url, {"bsn": a}, form_url=url)

    assert f"BSN {a}" not in adres
    assert gezocht.status_code == 200 and f"BSN {a}" in gezocht.get_data(as_text=True)
    [event] = _inzage(app, na)
    assert event.bsns == [a] and event.gebruiker_id is not None


def test_the_folder_and_the_cak_dossier_record_the_bsns_of_the_differences_they_show(app, session, clock):
    with app.app_context():
        cak_gebruikers()
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=2)
        naar_toestand(clock, Toestand.NABELLEN, amsterdam)   # delivered differently than promised
        from tests.scenario import migratie_rij
        bsns = sorted(v["bsn"] for v in migratie_rij(amsterdam).aansluiting["verschillen"])
        assert bsns
    session.login(MEDEWERKER)
    cak = Session(app.test_client())
    cak.login(CAK)
    na = _laatste(app)

    session.client.get("/gemeenten/0363/")
    cak.client.get("/cak/gemeenten/0363")

    map_event, dossier_event = _inzage(app, na)
    assert sorted(map_event.bsns) == bsns
    assert sorted(set(dossier_event.bsns)) == bsns
