"""Who may see and do what on the web: the CAK's pages and another gemeente's data answer "niet gevonden"."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.services import delivery, mail, migratie
from portal.toestanden import Toestand
from tests.conftest import Session
from tests.scenario import (
    CAK,
    MEDEWERKER,
    UTRECHT,
    actor,
    client,
    client_bsns,
    gemeente_in,
    gemeente_met_code,
    leverende_gemeente,
    periode,
    toestand,
    wmo407,
    zoek_bsn,
)

CAK_PAGINAS = ["/cak/", "/cak/gemeenten", "/cak/gemeenten/0363", "/cak/uitbak", "/cak/uitbak/{mail}"]


@pytest.fixture
def amsterdam_met_een_mail(app) -> dict[str, int]:
    """Amsterdam with its user, the CAK's users, and one mail in the outbox."""
    with app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=0)
        bericht = mail.zet_klaar(soort="Bestandsvergelijking geplaatst", aan=["bw@amsterdam.example.nl"],
                                 gemeente=amsterdam, onderwerp="Bestandsvergelijking geplaatst voor Amsterdam (0363)",
                                 tekst="De bestandsvergelijking staat in uw map.")
        db.session.commit()
        return {"mail": bericht.id}


@pytest.mark.parametrize("url", CAK_PAGINAS)
def test_a_gemeente_user_gets_not_found_on_every_cak_page(app, session, amsterdam_met_een_mail, url):
    url = url.format(**amsterdam_met_een_mail)
    cak = Session(app.test_client())
    cak.login(CAK)
    assert cak.client.get(url).status_code == 200

    session.login(MEDEWERKER)
    response = session.client.get(url)

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_a_gemeente_user_cannot_post_a_cak_action(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=1)
    session.login(MEDEWERKER)

    response = session.post("/cak/gemeenten/0363/acties/akkoord_aanleveren", {}, form_url="/gemeenten/0363/")

    assert response.status_code == 404
    with app.app_context():
        assert toestand(gemeente_met_code("0363")) == Toestand.TERUGGEKOPPELD


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get("/cak/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def twee_gemeenten_met_een_upload(app) -> dict[str, object]:
    """Amsterdam and Utrecht, each with a user. Utrecht sent a WMO407 and Amsterdam a terugkoppeling,
    both kept (and refused: neither gemeente is planned yet)."""
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", clients=1)
        leverende_gemeente("0344", "Utrecht", clients=1)
        [u] = client_bsns("0344", 1)
        van_utrecht = delivery.ontvang_wmo407(actor(UTRECHT), "0344", "utrecht.xml", wmo407(
            "UTR-1", client(u, periode(34400001)), afzender="0344"))
        terugkoppeling = migratie.ontvang_terugkoppeling(actor(MEDEWERKER), "0363", "tk.xlsx", b"PK\x03\x04 iets")
        return {"van_utrecht": van_utrecht.ontvangst_id, "terugkoppeling": terugkoppeling.ontvangst_id, "u": u}


def test_message_ids_of_another_gemeente_or_of_another_kind_answer_404(app, session, twee_gemeenten_met_een_upload):
    van_utrecht, terugkoppeling, u = (twee_gemeenten_met_een_upload[k] for k in ("van_utrecht", "terugkoppeling", "u"))
    utrecht = Session(app.test_client())
    utrecht.login(UTRECHT)
    assert utrecht.client.get(f"/gemeenten/0344/berichten/{van_utrecht}").status_code == 200
    assert utrecht.client.get(f"/ontvangsten/{van_utrecht}").status_code == 200
    session.login(MEDEWERKER)
    assert session.client.get(f"/ontvangsten/{terugkoppeling}").status_code == 200

    antwoorden = [session.client.get(url).status_code for url in (
        f"/gemeenten/0363/berichten/{van_utrecht}",
        f"/gemeenten/0344/berichten/{van_utrecht}",
        "/gemeenten/0344/berichten",
        f"/gemeenten/0363/berichten/{terugkoppeling}",
        "/gemeenten/0363/berichten/999999",
        f"/ontvangsten/{van_utrecht}",
    )]

    assert antwoorden == [404] * 6
    assert zoek_bsn(session, "0344", u).status_code == 404
