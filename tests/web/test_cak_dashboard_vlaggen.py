"""The CAK dashboard after the Wednesday report: the late flags and the reconciliation counts."""
from __future__ import annotations

from portal.services import migratie
from tests.scenario import CAK, actor, dashboard_zoals_getoond, drie_weken, getallen, klok_naar, rij, sectie


def test_late_gemeenten_get_their_flags_and_the_reconciliation_counts_show_after_the_report(
        app, session, clock):
    with app.app_context():
        amsterdam = drie_weken(clock)["amsterdam"]
        klok_naar(clock, "2022-09-28 09:00")
        migratie.geef_akkoord_aanleveren(actor(CAK), amsterdam)
        klok_naar(clock, "2022-10-05 10:00")    # Wednesday report: Amsterdam delivered nothing
    session.login(CAK)
    page = dashboard_zoals_getoond(session.client)
    week = sectie(page, "Week van maandag 03-10-2022")

    utrecht = rij(week, "0344")
    # Utrecht never sent its terugkoppeling: late there, but it could not deliver, so not late delivering.
    assert "terugkoppeling te laat" in utrecht and "aanlevering te laat" not in utrecht
    assert "akkoord CAK te laat" not in utrecht
    assert "verlopen" in utrecht
    amsterdam_rij = rij(week, "0363")
    assert "nabellen" in amsterdam_rij and "aanlevering te laat" in amsterdam_rij
    assert "terugkoppeling te laat" not in amsterdam_rij
    assert getallen(amsterdam_rij) == [8, 3, 1, 1, 1, 1, 1, 0, 0, 0, 3, 0, 0, 0]
    assert "(3 gemeenten, 3 actie nodig, 3 te laat)" in week
    actie = sectie(page, "Actie nodig <span")
    assert "gemeente nabellen over de verschillen" in rij(actie, "0363")
    assert "terugkoppeling te laat: gemeente benaderen" in rij(actie, "0344")
