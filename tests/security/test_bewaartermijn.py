"""Issue 11, point 9: the bytes of refused uploads are kept for a retention period and within a quota per
gemeente; then the oldest go (the row and its receipt stay, the drop is audited); nothing accepted is pruned,
and an upload over the quota is still stored and gets its receipt."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Ontvangst, OntvangstStatus
from portal.services import bewaartermijn, storage
from tests.conftest import START, Session
from tests.scenario import CAK, MEDEWERKER, actor, leverende_gemeente

KB = 1024


@pytest.fixture
def app_config():
    return {"BEWAARTERMIJN_GEWEIGERD_DAGEN": 90, "QUOTUM_GEWEIGERD_MB": 1}


def ontvang(gemeente, naam: str, grootte: int, status: OntvangstStatus) -> int:
    ontvangst = storage.bewaar_ontvangst(inhoud=naam.encode().ljust(grootte, b"."), bestandsnaam=naam,
                                         soort="terugkoppeling", kanaal="portaal", actor=actor(MEDEWERKER),
                                         gemeente=gemeente)
    storage.markeer(ontvangst, status, "afgekeurd: kolom L is leeg" if status != OntvangstStatus.VERWERKT else "ok")
    db.session.commit()
    return ontvangst.id


def rij(ontvangst_id: int) -> Ontvangst:
    db.session.expire_all()
    ontvangst = db.session.get(Ontvangst, ontvangst_id)
    assert ontvangst is not None
    return ontvangst


def ingelogd(app, email: str):
    sessie = Session(app.test_client())
    sessie.login(email)
    return sessie.client


def test_a_refused_upload_loses_its_bytes_after_the_retention_period_and_keeps_its_receipt(app, clock):
    with app.app_context():
        gemeente = leverende_gemeente()
        geweigerd = ontvang(gemeente, "oud-geweigerd.xlsx", 10 * KB, OntvangstStatus.AFGEKEURD)
        aangenomen = ontvang(gemeente, "oud-aangenomen.xlsx", 10 * KB, OntvangstStatus.VERWERKT)
        clock.set(START + timedelta(days=89))
        assert bewaartermijn.ruim_op() == 0
        clock.set(START + timedelta(days=91))
        assert bewaartermijn.ruim_op() == 1
        weg, blijft = rij(geweigerd), rij(aangenomen)
        assert weg.inhoud == b"" and weg.inhoud_verwijderd_op == START + timedelta(days=91)
        assert (weg.bestandsnaam, weg.grootte, weg.status) == ("oud-geweigerd.xlsx", 10 * KB, "afgekeurd")
        assert len(blijft.inhoud) == 10 * KB and blijft.inhoud_verwijderd_op is None
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "inhoud_verwijderd")).all()
        assert event.details["reden"] == "bewaartermijn" and event.details["sha256"] == weg.sha256

    medewerker = ingelogd(app, MEDEWERKER)
    antwoord = medewerker.get(f"/ontvangsten/{geweigerd}")
    assert antwoord.status_code == 410
    assert "De inhoud van oud-geweigerd.xlsx is verwijderd na de bewaartermijn" in antwoord.get_data(as_text=True)
    assert medewerker.get(f"/ontvangsten/{aangenomen}").status_code == 200
    dossier = ingelogd(app, CAK).get("/cak/gemeenten/0363").get_data(as_text=True)
    assert "inhoud verwijderd na de bewaartermijn" in dossier


def test_over_the_quota_the_oldest_refused_bytes_go_first_and_the_new_upload_is_stored(app, clock):
    with app.app_context():
        gemeente = leverende_gemeente()
        geweigerd = []
        for nummer in range(3):
            clock.set(START + timedelta(minutes=nummer))
            geweigerd.append(ontvang(gemeente, f"geweigerd-{nummer}.xlsx", 400 * KB, OntvangstStatus.GEWEIGERD))
        groot_aangenomen = ontvang(gemeente, "groot-aangenomen.xlsx", 2048 * KB, OntvangstStatus.VERWERKT)
        clock.set(START + timedelta(minutes=10))
        nieuw = ontvang(gemeente, "nieuw.xlsx", 400 * KB, OntvangstStatus.GEWEIGERD)  # 1.6 MB refused > 1 MB

        assert rij(geweigerd[0]).inhoud == b""  # pruned when the fourth arrived: 1.2 MB was over the quota
        assert [len(rij(i).inhoud) for i in geweigerd[1:]] == [400 * KB, 400 * KB]
        assert len(rij(nieuw).inhoud) == 400 * KB  # stored with its receipt, whatever the quota
        assert len(rij(groot_aangenomen).inhoud) == 2048 * KB  # accepted: never pruned

        assert bewaartermijn.ruim_op() == 1  # the planner's round: 1.2 MB again, the oldest goes
        assert rij(geweigerd[1]).inhoud == b""
        assert len(rij(nieuw).inhoud) == 400 * KB
        redenen = db.session.scalars(select(AuditEvent.details).where(AuditEvent.actie == "inhoud_verwijderd")).all()
        assert [r["reden"] for r in redenen] == ["quotum", "quotum"]


def test_an_upload_not_yet_processed_is_never_pruned(app, clock):
    with app.app_context():
        gemeente = leverende_gemeente()
        ontvangst = storage.bewaar_ontvangst(inhoud=b"x" * 2048 * KB, bestandsnaam="bezig.xlsx", soort="terugkoppeling",
                                             kanaal="portaal", actor=actor(MEDEWERKER), gemeente=gemeente)
        clock.set(START + timedelta(days=365))
        assert bewaartermijn.ruim_op() == 0
        assert len(rij(ontvangst.id).inhoud) == 2048 * KB
