"""The ketentest clock from the command line (proces.md section 8): `portal klok`, `klok zet`, `klok verzet`.
In ketentest mode the clock is the database-backed VirtualClock; every step that falls due fires at once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.cli import cli
from portal.extensions import db
from portal.kalender import format_moment
from portal.models import AuditEvent, KlokStand
from portal.services import migratie
from portal.services.klok import VirtualClock, klok
from portal.toestanden import Toestand
from tests.scenario import (
    b4_van,
    bestanden,
    gemeente_met_code,
    leverende_gemeente,
    mails,
    migratie_rij,
    plan,
    tijdlijn,
    toestand,
)

KETENTEST = "virtuele klok (ketentest)"


@pytest.fixture
def app_config():
    return {"PORTAL_MODE": "ketentest", "CLOCK": None, "KETENTEST_STARTMOMENT": "2022-09-19 09:00"}


def _portal(app, *args: str):
    return app.test_cli_runner().invoke(cli, list(args))


def _amsterdam():
    return gemeente_met_code("0363")


@pytest.fixture
def geplande_gemeente(app):
    with app.app_context():
        assert isinstance(klok(), VirtualClock)
        plan(leverende_gemeente(clients=3))


def test_klok_shows_the_virtual_time_of_a_new_ketentest(app):
    uitvoer = _portal(app, "klok")

    assert (uitvoer.exit_code, uitvoer.output) == (0, f"19-09-2022 09:00  ({KETENTEST})\n")


def test_klok_zet_moves_the_clock_and_carries_out_what_fell_due_at_once(app, geplande_gemeente):
    uitvoer = _portal(app, "klok", "zet", "2022-09-26 10:31")

    assert uitvoer.exit_code == 0, uitvoer.output
    assert uitvoer.output.splitlines() == [
        f"26-09-2022 10:31  ({KETENTEST})",
        "26-09-2022 10:30  0363  bestandsvergelijking (B4) plaatsen: ok "
        "680363_B4_Bestandsvergelijking_20220926.xlsx (3 cliënten)"]
    with app.app_context():
        gemeente = _amsterdam()
        assert toestand(gemeente) == Toestand.BV_GEPUBLICEERD
        b4 = b4_van(gemeente)
        assert (b4.naam, format_moment(b4.gepubliceerd_op)) == ("680363_B4_Bestandsvergelijking_20220926.xlsx",
                                                            "26-09-2022 10:30")
        assert len(mails("Bestandsvergelijking geplaatst")) == 1
        stand = db.session.get(KlokStand, 1)
        assert (format_moment(stand.moment), stand.gewijzigd_door) == ("26-09-2022 10:31", "opdrachtregel")
        [verzet] = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "klok_verzet")).all()
        assert verzet.actor == "opdrachtregel"
    assert _portal(app, "klok").output == f"26-09-2022 10:31  ({KETENTEST})\n"


def test_the_ketentest_clock_cannot_go_back_and_a_refusal_changes_nothing(app, geplande_gemeente):
    assert _portal(app, "klok", "zet", "2022-09-26 10:31").exit_code == 0

    uitvoer = _portal(app, "klok", "zet", "2022-09-20 10:00")

    assert uitvoer.exit_code == 1
    assert uitvoer.output.strip() == ("Fout: De klok kan niet terug: het is nu 26-09-2022 10:31 en 20-09-2022 10:00 "
                                      "ligt daarvoor. Kies een later tijdstip.")
    assert _portal(app, "klok").output == f"26-09-2022 10:31  ({KETENTEST})\n"
    with app.app_context():
        assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "klok_verzet")).all()) == 1
        assert len(bestanden(_amsterdam())) == 1


@pytest.mark.parametrize(("duur", "daarna"), [("1d", "27-09-2022 10:31"), ("90", "26-09-2022 12:01"),
                                               ("2h", "26-09-2022 12:31"), ("1w", "03-10-2022 10:31")])
def test_klok_verzet_advances_by_minutes_hours_days_or_weeks(app, duur, daarna):
    assert _portal(app, "klok", "zet", "2022-09-26 10:31").exit_code == 0

    uitvoer = _portal(app, "klok", "verzet", duur)

    assert (uitvoer.exit_code, uitvoer.output) == (0, f"{daarna}  ({KETENTEST})\n")


def test_klok_verzet_in_steps_fires_every_step_that_falls_due_in_order(app, geplande_gemeente):
    for duur in ("1w", "1d", "90", "2h"):  # 26-09 09:00; 27-09 09:00 (the B4 fires); 10:30; 12:30
        assert _portal(app, "klok", "verzet", duur).exit_code == 0
    assert _portal(app, "klok").output == f"27-09-2022 12:30  ({KETENTEST})\n"
    with app.app_context():
        gemeente = _amsterdam()
        assert toestand(gemeente) == Toestand.BV_GEPUBLICEERD
        assert not migratie_rij(gemeente).terugkoppeling_te_laat

    assert _portal(app, "klok", "zet", "2022-09-29 17:00").exit_code == 0

    with app.app_context():
        gemeente = _amsterdam()
        assert migratie.status(gemeente).vlaggen == ["terugkoppeling_te_laat"]
        assert [(g.soort, format_moment(g.op)) for g in tijdlijn(gemeente) if g.door == "planner"] == [
            ("b4_publiceren", "26-09-2022 10:30"), ("terugkoppeling_te_laat", "29-09-2022 17:00")]


@pytest.mark.parametrize(("opdracht", "melding"), [
    (("verzet", "3x"), "Fout: '3x' is geen duur; gebruik minuten (90), uren (2h), dagen (1d) of weken (1w)."),
    (("verzet", "0"), "Fout: De klok kan alleen vooruit: geef een positieve duur op."),
    (("zet", "morgen"), "Fout: 'morgen' is geen tijdstip; schrijf het als JJJJ-MM-DD UU:MM, "
                        "bijvoorbeeld 2022-09-26 10:30."),
])
def test_a_wrong_time_or_duration_is_refused_in_dutch_and_the_clock_stays(app, opdracht, melding):
    uitvoer = _portal(app, "klok", *opdracht)

    assert uitvoer.exit_code == 1
    assert uitvoer.output.strip() == melding
    assert _portal(app, "klok").output == f"19-09-2022 09:00  ({KETENTEST})\n"
