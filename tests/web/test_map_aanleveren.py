"""The folder page says before a WMO407 is sent whether it would be refused, and why."""
from __future__ import annotations

from portal.services import toegang
from portal.services import migratie
from tests import flow

MELDING = "Er is nog geen akkoord om aan te leveren voor Amsterdam."


def test_the_folder_warns_that_a_wmo407_would_be_refused_until_the_akkoord(app, session, clock):
    with app.app_context():
        gemeente = flow.maak_gemeente(clients=3)
        flow.plan(gemeente)
        flow.tot(clock, "2022-09-26 10:30")
        migratie.ontvang_terugkoppeling(flow.actor("medewerker@amsterdam.example.nl"), "0363", "tk.xlsx",
                                        flow.vul_b4(flow.b4_van(gemeente).inhoud))
    session.login("medewerker@amsterdam.example.nl")
    assert MELDING in session.client.get("/gemeenten/0363/").get_data(as_text=True)

    with app.app_context():
        cak = flow.actor("cak@cak.example.nl")
        migratie.geef_akkoord_aanleveren(cak, toegang.gemeente_voor(cak.user, "0363"))
    assert MELDING not in session.client.get("/gemeenten/0363/").get_data(as_text=True)
