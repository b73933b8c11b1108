"""The scheduler's `tick`: every due action runs once, in due-time order, with its own due time; nothing
runs early; crashed claims and failing handlers are retried (proces.md section 2, last paragraph)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.kalender import format_moment, lees_moment
from portal.models import ActieStatus, B4Regel, GeplandeActie
from portal.services import migratie, planner
from portal.services.migratie import b4 as b4_stap
from portal.spreadsheets.bestandsvergelijking import write_bestandsvergelijking
from portal.toestanden import Toestand
from tests.conftest import _empty_tables
from tests.scenario import (
    BEHEER,
    TIMESLOT_ACTIES,
    actor,
    b4_bsns,
    b4_van,
    bestanden,
    client,
    gemeente_in,
    geplande_acties,
    klok_naar,
    lees_xlsx,
    leverende_gemeente,
    mails,
    momentopname,
    overgangen,
    periode,
    stuur_wmo407,
    tijdlijn,
    toestand,
)

B4_NAAM = "680363_B4_Bestandsvergelijking_20220926.xlsx"


def _actie(gemeente, soort: str) -> GeplandeActie:
    [actie] = [a for a in geplande_acties(gemeente) if a.soort == soort]
    return actie


def _uitgevoerd(uitvoeringen) -> list[tuple[str | None, str, str]]:
    return [(u.gemeente, u.soort, format_moment(u.due_op)) for u in uitvoeringen]


def test_a_clock_jump_over_several_steps_runs_each_due_action_once_in_due_time_order(app_ctx, clock):
    amsterdam = gemeente_in(clock, Toestand.GEPLAND)
    utrecht = leverende_gemeente(code="0344", naam="Utrecht", clients=3)
    migratie.plan_timeslot(actor(BEHEER), utrecht, date(2022, 10, 10))

    uitgevoerd = klok_naar(clock, "2022-10-05 10:00")

    assert _uitgevoerd(uitgevoerd) == [
        ("0363", migratie.Actiesoort.B4_PUBLICEREN, "26-09-2022 10:30"),
        ("0363", migratie.Actiesoort.TERUGKOPPELING_TE_LAAT, "29-09-2022 17:00"),
        ("0363", migratie.Actiesoort.AKKOORD_TE_LAAT, "30-09-2022 17:00"),
        ("0344", migratie.Actiesoort.B4_PUBLICEREN, "03-10-2022 10:30"),
        ("0363", migratie.Actiesoort.AANLEVERING_TE_LAAT, "04-10-2022 15:00"),
        ("0363", migratie.Actiesoort.AANLEVERRAPPORTAGE, "05-10-2022 10:00"),
    ]
    assert all(u.gelukt for u in uitgevoerd)
    # Amsterdam never sent a terugkoppeling: late on its side, so neither the CAK's akkoord nor the
    # delivery counts as late (nothing could be approved or delivered).
    assert [u.resultaat for u in uitgevoerd][1:] == [
        "te laat", "nog geen terugkoppeling", "680344_B4_Bestandsvergelijking_20221003.xlsx (3 cliënten)",
        "nog geen akkoord om aan te leveren", "overgeslagen"]
    assert [(g.soort, format_moment(g.op)) for g in tijdlijn(amsterdam) if g.door == "planner"] == [
        ("b4_publiceren", "26-09-2022 10:30"), ("terugkoppeling_te_laat", "29-09-2022 17:00"),
        ("aanleverrapportage_overgeslagen", "05-10-2022 10:00")]
    assert [b.naam for b in bestanden(amsterdam)] == [B4_NAAM]
    assert [(a.soort, a.status) for a in geplande_acties(utrecht)[:1]] == [
        (migratie.Actiesoort.B4_PUBLICEREN, ActieStatus.KLAAR)]
    assert all(a.status == ActieStatus.GEPLAND for a in geplande_acties(utrecht)[1:])


def test_the_steps_of_a_timeslot_across_the_change_to_winter_time_run_at_their_local_times(app_ctx, clock):
    gemeente = leverende_gemeente(clients=3)
    migratie.plan_timeslot(actor(BEHEER), gemeente, date(2022, 10, 31))

    assert [(format_moment(a.due_op), a.due_op.strftime("%H:%M")) for a in geplande_acties(gemeente)
            if a.soort in TIMESLOT_ACTIES] == [
        ("24-10-2022 10:30", "08:30"), ("27-10-2022 17:00", "15:00"),  # summer time, UTC+2
        ("01-11-2022 15:00", "14:00"), ("02-11-2022 10:00", "09:00")]  # winter time, UTC+1
    assert klok_naar(clock, "2022-10-24 10:29") == []
    assert [u.soort for u in klok_naar(clock, "2022-10-24 10:30")] == [migratie.Actiesoort.B4_PUBLICEREN]
    assert b4_van(gemeente).naam == "680363_B4_Bestandsvergelijking_20221024.xlsx"
    assert [u.soort for u in klok_naar(clock, "2022-11-02 09:59")] == [
        migratie.Actiesoort.TERUGKOPPELING_TE_LAAT, migratie.Actiesoort.AKKOORD_TE_LAAT,
        migratie.Actiesoort.AANLEVERING_TE_LAAT]
    assert [u.soort for u in klok_naar(clock, "2022-11-02 10:00")] == [migratie.Actiesoort.AANLEVERRAPPORTAGE]


def test_an_action_that_is_not_yet_due_does_not_run(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)

    assert klok_naar(clock, "2022-09-26 10:29") == []

    assert toestand(gemeente) == Toestand.GEPLAND
    assert bestanden(gemeente) == [] and mails() == []
    assert _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN).status == ActieStatus.GEPLAND
    assert _uitgevoerd(klok_naar(clock, "2022-09-26 10:30")) == [
        ("0363", migratie.Actiesoort.B4_PUBLICEREN, "26-09-2022 10:30")]


def test_running_tick_again_does_nothing_the_second_time(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    assert len(klok_naar(clock, "2022-09-26 10:30")) == 1
    voor = momentopname(gemeente)

    assert planner.tick() == []
    assert klok_naar(clock, "2022-09-26 12:00") == []

    assert momentopname(gemeente) == voor
    assert len(mails("Bestandsvergelijking geplaatst")) == 1
    actie = _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN)
    assert (actie.status, actie.pogingen, format_moment(actie.uitgevoerd_op)) == (
        ActieStatus.KLAAR, 1, "26-09-2022 10:30")


def _b4_zoals_gepubliceerd(gemeente) -> dict:
    bestand = b4_van(gemeente)
    [mail] = mails("Bestandsvergelijking geplaatst")
    return {"naam": bestand.naam, "gepubliceerd_op": bestand.gepubliceerd_op, "inhoud": bestand.inhoud,
            "sha256": bestand.sha256, "mail": (mail.onderwerp, mail.tekst),
            "regels": [(r.rij, r.bsn) for r in db.session.scalars(
                select(B4Regel).where(B4Regel.bestand_id == bestand.id).order_by(B4Regel.rij))],
            "event": [(g.op, g.omschrijving) for g in tijdlijn(gemeente, "b4_publiceren")]}


def test_a_late_tick_publishes_the_same_b4_with_the_same_name_date_and_bytes_as_a_punctual_one(
        app, app_ctx, clock, monkeypatch):
    monkeypatch.setattr(b4_stap, "write_bestandsvergelijking", write_bestandsvergelijking)  # not remembered
    op_tijd = gemeente_in(clock, Toestand.GEPLAND)
    klok_naar(clock, "2022-09-26 10:30")
    punctueel = _b4_zoals_gepubliceerd(op_tijd)

    db.session.remove()
    _empty_tables(db)
    clock.set(lees_moment("2022-09-19 09:00"))
    te_laat = gemeente_in(clock, Toestand.GEPLAND)
    uitgevoerd = klok_naar(clock, "2022-09-26 11:05")
    laat = _b4_zoals_gepubliceerd(te_laat)

    assert _uitgevoerd(uitgevoerd) == [("0363", migratie.Actiesoort.B4_PUBLICEREN, "26-09-2022 10:30")]
    assert laat["naam"] == punctueel["naam"] == B4_NAAM
    assert format_moment(laat["gepubliceerd_op"]) == format_moment(punctueel["gepubliceerd_op"]) == "26-09-2022 10:30"
    assert laat["inhoud"] == punctueel["inhoud"]
    assert laat == punctueel
    assert format_moment(_actie(te_laat, migratie.Actiesoort.B4_PUBLICEREN).uitgevoerd_op) == "26-09-2022 11:05"


def _aanleverrapportage_na_een_late_aanvulling(clock, tick_om: str) -> dict:
    """Three of four clients on Monday; the fourth on Wednesday 10:30, after the 10:00 report moment."""
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-10-03 09:00"))
    stuur_wmo407(gemeente, *[client(bsn, periode(36300001 + i)) for i, bsn in enumerate(bsns[:3])],
                 identificatie="MAANDAG-1")
    klok_naar(clock, "2022-10-04 15:00")
    if tick_om == "2022-10-05 10:00":
        klok_naar(clock, tick_om)
    clock.set(lees_moment("2022-10-05 10:30"))
    stuur_wmo407(gemeente, client(bsns[3], periode(36300004)), identificatie="WOENSDAG-1")
    klok_naar(clock, "2022-10-05 11:05")
    [rapport] = bestanden(gemeente, "aanleverrapportage")
    return {"naam": rapport.naam, "gepubliceerd_op": format_moment(rapport.gepubliceerd_op), "inhoud": rapport.inhoud,
            "aansluiting": lees_xlsx(rapport.inhoud)["Aansluiting"],
            "overgangen": overgangen(gemeente)[-2:], "belactie": migratie.open_belactie(gemeente) is not None}


def test_a_late_tick_makes_the_same_aanleverrapportage_as_a_punctual_one_when_a_message_came_in_between(
        app, app_ctx, clock):
    punctueel = _aanleverrapportage_na_een_late_aanvulling(clock, tick_om="2022-10-05 10:00")
    db.session.remove()
    _empty_tables(db)
    clock.set(lees_moment("2022-09-19 09:00"))
    laat = _aanleverrapportage_na_een_late_aanvulling(clock, tick_om="2022-10-05 11:05")

    assert punctueel["overgangen"] == [("AANGELEVERD", "GERAPPORTEERD"), ("GERAPPORTEERD", "NABELLEN")]
    assert punctueel["aansluiting"][0][0].startswith("Oordeel: niet correct. 3 van de 4")
    assert (laat["naam"], laat["gepubliceerd_op"]) == (punctueel["naam"], punctueel["gepubliceerd_op"]) == (
        "680363_AanleverrapportageBW_20221005.xlsx", "05-10-2022 10:00")
    assert laat["aansluiting"] == punctueel["aansluiting"]
    assert laat["overgangen"] == punctueel["overgangen"]
    assert laat["belactie"] == punctueel["belactie"]
    assert laat["inhoud"] == punctueel["inhoud"]


def test_an_action_left_claimed_by_a_crashed_scheduler_is_retried_and_done_once(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    echt_nu = datetime.now(UTC)
    db.session.execute(update(GeplandeActie).where(GeplandeActie.soort == migratie.Actiesoort.B4_PUBLICEREN).values(
        status=ActieStatus.BEZIG, geclaimd_op=echt_nu - timedelta(minutes=11), geclaimd_door="dode-planner:4711",
        pogingen=1))
    db.session.commit()

    uitgevoerd = klok_naar(clock, "2022-09-26 10:30")

    assert _uitgevoerd(uitgevoerd) == [("0363", migratie.Actiesoort.B4_PUBLICEREN, "26-09-2022 10:30")]
    actie = _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN)
    assert (actie.status, actie.pogingen) == (ActieStatus.KLAAR, 2)
    assert actie.geclaimd_door != "dode-planner:4711"
    assert [b.naam for b in bestanden(gemeente)] == [B4_NAAM]
    assert len(mails("Bestandsvergelijking geplaatst")) == 1
    assert len(tijdlijn(gemeente, "b4_publiceren")) == 1
    assert klok_naar(clock, "2022-09-26 10:45") == []


def test_an_action_claimed_a_moment_ago_by_another_scheduler_is_left_alone(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    db.session.execute(update(GeplandeActie).where(GeplandeActie.soort == migratie.Actiesoort.B4_PUBLICEREN).values(
        status=ActieStatus.BEZIG, geclaimd_op=datetime.now(UTC) - timedelta(minutes=1),
        geclaimd_door="andere-planner:42", pogingen=1))
    db.session.commit()

    assert klok_naar(clock, "2022-09-26 10:30") == []

    assert bestanden(gemeente) == [] and toestand(gemeente) == Toestand.GEPLAND
    assert _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN).geclaimd_door == "andere-planner:42"


@pytest.fixture
def falende_b4(app, monkeypatch):
    """The B4 handler fails while `nog` is above zero (the storage is unreachable), then works."""
    echte = planner.tabel()[migratie.Actiesoort.B4_PUBLICEREN]
    stand = {"nog": 0}

    def handler(actie):
        if stand["nog"] > 0:
            stand["nog"] -= 1
            raise RuntimeError("Opslag tijdelijk niet bereikbaar")
        return echte.functie(actie)

    monkeypatch.setitem(app.extensions[planner.EXTENSION_KEY], migratie.Actiesoort.B4_PUBLICEREN,
                        planner.Uitvoerder(handler, echte.omschrijving))
    return stand


def test_an_action_whose_handler_raises_is_retried_on_the_next_tick_and_keeps_its_error_text(
        app_ctx, clock, falende_b4):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    falende_b4["nog"] = 2

    eerste = klok_naar(clock, "2022-09-26 10:30")

    assert [(u.soort, u.gelukt, u.resultaat) for u in eerste] == [
        (migratie.Actiesoort.B4_PUBLICEREN, False, "RuntimeError: Opslag tijdelijk niet bereikbaar")]
    actie = _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN)
    assert (actie.status, actie.pogingen, actie.fout) == (
        ActieStatus.GEPLAND, 1, "RuntimeError: Opslag tijdelijk niet bereikbaar")
    assert toestand(gemeente) == Toestand.GEPLAND
    assert bestanden(gemeente) == [] and mails() == []

    tweede = klok_naar(clock, "2022-09-26 10:31")
    assert [u.gelukt for u in tweede] == [False]
    actie = _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN)
    assert (actie.status, actie.pogingen, actie.fout) == (
        ActieStatus.GEPLAND, 2, "RuntimeError: Opslag tijdelijk niet bereikbaar")

    derde = klok_naar(clock, "2022-09-26 10:32")

    assert [(u.gelukt, u.resultaat, format_moment(u.due_op)) for u in derde] == [
        (True, f"{B4_NAAM} (4 cliënten)", "26-09-2022 10:30")]
    actie = _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN)
    assert (actie.status, actie.pogingen) == (ActieStatus.KLAAR, 3)
    assert [(b.naam, format_moment(b.gepubliceerd_op)) for b in bestanden(gemeente)] == [(B4_NAAM, "26-09-2022 10:30")]
    assert len(mails("Bestandsvergelijking geplaatst")) == 1
    assert toestand(gemeente) == Toestand.BV_GEPUBLICEERD
    assert klok_naar(clock, "2022-09-26 10:33") == []


def test_an_action_that_keeps_failing_is_given_up_after_five_attempts(app_ctx, clock, falende_b4):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    falende_b4["nog"] = 99

    for minuut in range(30, 35):
        assert [u.gelukt for u in klok_naar(clock, f"2022-09-26 10:{minuut}")] == [False]

    actie = _actie(gemeente, migratie.Actiesoort.B4_PUBLICEREN)
    assert (actie.status, actie.pogingen, actie.fout) == (
        ActieStatus.MISLUKT, planner.MAX_POGINGEN, "RuntimeError: Opslag tijdelijk niet bereikbaar")
    assert klok_naar(clock, "2022-09-26 11:00") == []
    assert falende_b4["nog"] == 99 - planner.MAX_POGINGEN
