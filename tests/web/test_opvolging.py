"""The CAK's follow-up of missing WMO407 messages (issue 9, point 5): the end-of-period report makes a task per
gemeente with missing clients; the task shows on the dashboard and its own page, and closes when every listed
client has an accepted WMO407 or when the CAK records the outcome."""
from __future__ import annotations

import lxml.html
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import GeplandeActie
from portal.services import migratie, opvolging
from portal.services.toegang import NietGevonden
from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    CONTACT_TELEFOON,
    actor,
    bsn_zoekknop,
    client,
    client_bsns,
    gemeente_met_code,
    klok_naar,
    leverende_gemeente,
    medewerker,
    naar_toestand,
    periode,
    sectie,
    stuur_wmo407,
    tekst,
    tijdlijn,
    zoek_bsn,
)

AMSTERDAM = client_bsns("0363", 4)
# Amsterdam marks its second client N and, on the call list, delivers every J but the last: two are missing.
ONTBREKEND = [AMSTERDAM[1], AMSTERDAM[3]]
EINDE_PERIODE = "2022-11-14 10:30"


@pytest.fixture
def einde_periode(app, clock) -> int:
    """Amsterdam ends the period with two clients missing; Utrecht, also on the call list, delivered its last
    client later and misses none. The id of Amsterdam's task."""
    with app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", 4)
        utrecht = leverende_gemeente("0344", "Utrecht", 3)
        naar_toestand(clock, Toestand.NABELLEN, amsterdam, utrecht, codes={AMSTERDAM[1]: "N"})
        klok_naar(clock, "2022-10-10 09:00")
        laatste = client_bsns("0344", 3)[-1]
        assert stuur_wmo407(utrecht, client(laatste, periode(utrecht.bw_startnummer + 10))).geaccepteerd
        klok_naar(clock, EINDE_PERIODE)
        [taak] = opvolging.open_taken(actor(CAK).user)
        return taak.taak.id


def _dashboard(session) -> str:
    response = session.client.get("/cak/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _taakpagina(session, taak_id: int) -> str:
    response = session.client.get(f"/cak/taken/{taak_id}")
    assert response.status_code == 200
    return tekst(response.get_data(as_text=True))


def _klok(app, clock, moment: str) -> None:
    with app.app_context():
        klok_naar(clock, moment)


def _stuur_ontbrekende(app, *bsns: str) -> None:
    with app.app_context():
        amsterdam = gemeente_met_code("0363")
        for bsn in bsns:
            nummer = amsterdam.bw_startnummer + 10 + AMSTERDAM.index(bsn)
            verwerking = stuur_wmo407(amsterdam, client(bsn, periode(nummer)))
            assert verwerking.geaccepteerd, (verwerking.melding, verwerking.rapport)


def test_the_end_of_period_report_puts_a_task_for_the_gemeente_with_missing_clients_on_the_dashboard(
        app, einde_periode, session):
    session.login(CAK)

    opvolging_ = tekst(sectie(_dashboard(session), 'id="opvolging"'))
    assert "Opvolging ontbrekende WMO407 (1)" in opvolging_
    assert "Amsterdam 0363 2 van 2 cliënten Contact Amsterdam" in opvolging_
    assert CONTACT_TELEFOON in opvolging_ and "bw@amsterdam.example.nl" in opvolging_
    assert "Utrecht" not in opvolging_

    pagina = _taakpagina(session, einde_periode)
    assert "Gemaakt op 14-11-2022 10:30" in pagina
    assert "680363_Ontbrekende407_20221114.xlsx" in pagina
    assert "Open: nog 2 van 2 zonder goedgekeurd WMO407-bericht" in pagina
    assert "Contactpersoon Contact Amsterdam Telefoon 010-5550000 E-mail bw@amsterdam.example.nl" in pagina
    for bsn in ONTBREKEND:
        assert f"{bsn} A. Cliënt" in pagina
    assert pagina.count("nog geen goedgekeurd WMO407") == 2


def test_each_client_of_a_task_links_to_the_gemeentes_messages_with_its_bsn_rejected_ones_included(
        einde_periode, session):
    session.login(CAK)
    pagina = session.client.get(f"/cak/taken/{einde_periode}").get_data(as_text=True)
    for bsn in ONTBREKEND:
        assert bsn_zoekknop(lxml.html.fromstring(pagina), bsn).text == bsn
        assert zoek_bsn(session, "0363", bsn).status_code == 200


def test_a_retried_end_of_period_report_makes_no_second_task(app, einde_periode):
    with app.app_context():
        actie = db.session.scalar(select(GeplandeActie).where(
            GeplandeActie.soort == migratie.Actiesoort.EINDE_PERIODE))
        migratie.periode.einde_migratieperiode(actie)
        db.session.commit()
        assert [t.taak.id for t in opvolging.alle_taken(actor(CAK).user)] == [einde_periode]


def test_the_task_closes_by_itself_when_the_last_missing_client_gets_an_accepted_wmo407(
        app, einde_periode, clock, session):
    session.login(CAK)
    _klok(app, clock, "2022-11-15 09:00")
    _stuur_ontbrekende(app, AMSTERDAM[3])
    pagina = _taakpagina(session, einde_periode)
    assert "Open: nog 1 van 2 zonder goedgekeurd WMO407-bericht" in pagina
    assert "WMO407 ontvangen op 15-11-2022" in pagina

    _klok(app, clock, "2022-11-16 11:00")
    _stuur_ontbrekende(app, AMSTERDAM[1])
    with app.app_context():
        # Closed when the message was accepted, before anyone looked at the task.
        [gebeurtenis] = [g for g in tijdlijn(gemeente_met_code("0363"), "opvolgtaak") if "afgesloten" in g.omschrijving]
        assert "voor elke cliënt op de lijst is een goedgekeurd WMO407-bericht ontvangen" in gebeurtenis.omschrijving

    pagina = _taakpagina(session, einde_periode)
    assert "Afgesloten op 16-11-2022 11:00" in pagina
    assert "Uitkomst vastleggen" not in pagina
    assert 'id="opvolging"' not in _dashboard(session)
    lijst = tekst(session.client.get("/cak/taken").get_data(as_text=True))
    assert "Amsterdam 0363 14-11-2022 10:30 0 van 2 afgesloten 16-11-2022 11:00" in lijst


def test_the_cak_records_the_outcome_and_the_task_closes_with_it(app, einde_periode, clock, session):
    _klok(app, clock, "2022-11-15 14:00")
    session.login(CAK)
    url = f"/cak/taken/{einde_periode}"

    response = session.post(f"{url}/uitkomst", {"uitkomst": "Gemeente stuurt de twee berichten vrijdag."},
                            form_url=url)

    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    pagina = _taakpagina(session, einde_periode)
    assert f"Afgesloten op 15-11-2022 14:00 door {CAK}" in pagina
    assert "Uitkomst: Gemeente stuurt de twee berichten vrijdag." in pagina
    assert "nog geen goedgekeurd WMO407" in pagina
    assert 'id="opvolging"' not in _dashboard(session)
    with app.app_context():
        assert any("Uitkomst: Gemeente stuurt" in g.omschrijving
                   for g in tijdlijn(gemeente_met_code("0363"), "opvolgtaak"))


def test_an_empty_outcome_is_refused_at_the_field_and_the_task_stays_open(app, einde_periode, session):
    session.login(BEHEER)
    url = f"/cak/taken/{einde_periode}"

    plain = session.post(f"{url}/uitkomst", {"uitkomst": "  "}, form_url=url)
    htmx = session.post(f"{url}/uitkomst", {"uitkomst": ""}, form_url=url, headers={"HX-Request": "true"})

    assert plain.status_code == 422 and htmx.status_code == 422
    melding = "Vul de uitkomst in: wat is er met de gemeente afgesproken over de ontbrekende WMO407-berichten?"
    assert "Er is een probleem" in tekst(plain.get_data(as_text=True))
    assert melding in tekst(plain.get_data(as_text=True))
    assert melding in tekst(htmx.get_data(as_text=True))
    assert "<html" not in htmx.get_data(as_text=True)
    assert "Open: nog 2 van 2" in _taakpagina(session, einde_periode)


@pytest.mark.parametrize("rol", ["cak", "cak_beheerder"])
def test_both_cak_roles_may_record_the_outcome(app, einde_periode, rol):
    with app.app_context():
        wie = actor(CAK if rol == "cak" else BEHEER)
        assert wie.user is not None and wie.user.role == rol
        taak = opvolging.leg_uitkomst_vast(wie, einde_periode, "Afgesproken.")
        assert taak.reden_gesloten == opvolging.UITKOMST_VASTGELEGD


@pytest.mark.parametrize("rol", ["gemeente", "gemeente_beheerder", "leverancier"])
def test_a_gemeente_or_supplier_neither_sees_the_task_nor_records_an_outcome(app, einde_periode, session, rol):
    from tests.scenario import maak_gebruiker

    with app.app_context():
        email = f"{rol}@amsterdam.example.nl"
        maak_gebruiker(email, rol, ("0363",))
        with pytest.raises(NietGevonden):
            opvolging.leg_uitkomst_vast(actor(email), einde_periode, "Afgesproken.")
        with pytest.raises(NietGevonden):
            opvolging.open_taken(actor(email).user)
    session.login(email)
    assert session.client.get(f"/cak/taken/{einde_periode}").status_code == 404
    assert session.client.get("/cak/taken").status_code == 404
    with app.app_context():
        assert len(opvolging.open_taken(actor(CAK).user)) == 1


def test_the_gemeente_own_user_gets_404_on_the_task_page(app, einde_periode, session):
    session.login(medewerker("Amsterdam"))
    assert session.client.get(f"/cak/taken/{einde_periode}").status_code == 404
