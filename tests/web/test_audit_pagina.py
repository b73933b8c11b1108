"""The CAK beheerders' audit page (issue 11, point 5): search on user, gemeente, BSN and period, page by page,
export the result (itself audited); every other role gets 404."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.services import audit
from portal.services.audit import Actor
from tests.conftest import Session
from tests.scenario import BEHEER, CAK, MEDEWERKER, cak_gebruikers, gebruiker, leverende_gemeente, pagina, tekst

BSN = "123456782"
URL = "/cak/audit"


@pytest.fixture
def trail(app):
    with app.app_context():
        cak_gebruikers()
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=1)
        medewerker = Actor(user=gebruiker(MEDEWERKER), ip="198.51.100.4")
        audit.registreer(medewerker, "bericht_bekeken", object_type="ontvangst", object_id=7,
                         gemeente_id=amsterdam.id, bsns=[BSN])
        for nummer in range(60):
            audit.registreer(Actor.job_named("planner"), "actie_uitgevoerd", object_id=nummer)
        db.session.commit()


def _rijen(response) -> list[list[str]]:
    rijen = pagina(response).xpath('//table[@data-testid="audit"]/tbody/tr')
    return [[tekst(td) for td in tr.xpath("./td")] for tr in rijen]


def test_only_a_cak_beheerder_sees_the_trail_others_get_404(app, trail):
    antwoorden = {}
    for email in (BEHEER, CAK, MEDEWERKER):
        sessie = Session(app.test_client())
        sessie.login(email)
        antwoorden[email] = (sessie.client.get(URL).status_code,
                             sessie.post(f"{URL}/export", {}, form_url="/help").status_code)
    assert antwoorden == {BEHEER: (200, 200), CAK: (404, 404), MEDEWERKER: (404, 404)}
    assert app.test_client().get(URL).status_code == 302


def test_searching_on_a_bsn_finds_who_saw_it_and_from_where(app, session, trail):
    session.login(BEHEER)

    [rij] = _rijen(session.post(URL, {"bsn": BSN}, form_url=URL))

    assert rij[2:] == [MEDEWERKER, "bericht_bekeken", "ontvangst 7", "198.51.100.4", BSN]


def test_searching_on_user_and_gemeente_and_period(app, session, trail):
    session.login(BEHEER)

    op_gebruiker = _rijen(session.post(URL, {"email": "MEDEWERKER@amsterdam"}, form_url=URL))
    op_gemeente = _rijen(session.post(URL, {"gemeente": "0363"}, form_url=URL))
    vroeger = _rijen(session.post(URL, {"tot": "01-01-2020"}, form_url=URL))

    assert [r[3] for r in op_gebruiker] == ["bericht_bekeken"]
    assert "bericht_bekeken" in [r[3] for r in op_gemeente] and "actie_uitgevoerd" not in [r[3] for r in op_gemeente]
    assert vroeger == [["Geen gebeurtenissen gevonden. Maak de zoekvraag ruimer."]]


def test_the_trail_is_paged_by_50(app, session, trail):
    session.login(BEHEER)

    eerste = session.post(URL, {"email": "planner"}, form_url=URL)
    tweede = session.post(URL, {"email": "planner", "pagina": "2"}, form_url=URL)

    assert "60 gebeurtenissen, pagina 1 van 2" in tekst(pagina(eerste))
    assert (len(_rijen(eerste)), len(_rijen(tweede))) == (50, 10)


def test_a_wrong_question_says_what_to_do_at_the_field(app, session, trail):
    session.login(BEHEER)

    response = session.post(URL, {"van": "gisteren", "gemeente": "9999"}, form_url=URL)

    assert response.status_code == 422
    assert "Schrijf de datum als dd-mm-jjjj" in tekst(pagina(response))
    assert "Gemeente met code '9999' is niet bekend" in tekst(pagina(response))


def test_the_export_holds_the_found_events_and_is_itself_audited(app, session, trail):
    session.login(BEHEER)

    response = session.post(f"{URL}/export", {"bsn": BSN}, form_url=URL)

    assert response.headers["Content-Type"].startswith("text/csv")
    [kop, rij] = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert kop[0] == "nummer" and rij[3:5] == [MEDEWERKER, "bericht_bekeken"] and rij[8] == BSN
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "audittrail_geexporteerd")).all()
        assert event.actor == BEHEER and event.details["aantal"] == 1


def test_a_bsn_search_in_the_trail_is_itself_in_the_trail(app, session, trail):
    session.login(BEHEER)

    session.post(URL, {"bsn": BSN}, form_url=URL)

    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "bsns_ingezien:cak.audittrail")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.actor, e.bsns) for e in events] == [(BEHEER, []), (BEHEER, [BSN])]  # the form, then the search
