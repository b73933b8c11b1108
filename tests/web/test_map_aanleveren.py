"""The folder page says before a WMO407 is sent whether it would be refused, and why."""
from __future__ import annotations

from portal.services import migratie
from portal.toestanden import Toestand
from tests.scenario import CAK, MEDEWERKER, actor, gemeente_in, gemeente_met_code

MELDING = "Er is nog geen akkoord om aan te leveren voor Amsterdam."


def test_the_folder_warns_that_a_wmo407_would_be_refused_until_the_akkoord(app, session, clock):
    with app.app_context():
        gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)
    session.login(MEDEWERKER)
    assert MELDING in session.client.get("/gemeenten/0363/").get_data(as_text=True)

    with app.app_context():
        migratie.geef_akkoord_aanleveren(actor(CAK), gemeente_met_code("0363"))
    assert MELDING not in session.client.get("/gemeenten/0363/").get_data(as_text=True)
