"""Uitval (services.uitval): the periods whose latest message was rejected and that no later accepted message
corrected, with their codes, what they mean and what to do; the counts for all gemeenten at once; the sheet
in the weekly report, as the uitval stood at its moment."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from portal.extensions import db
from portal.ieb.retourcodes import WAT_TE_DOEN
from portal.kalender import format_moment, lees_moment
from portal.models import AuditEvent, Categorie
from portal.services import delivery, toegang, uitval
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    MEDEWERKER,
    UTRECHT,
    actor,
    b4_bsns,
    bestanden,
    client,
    gebruiker,
    klok_naar,
    lees_xlsx,
    leverende_gemeente,
    mag_aanleveren,
    mails,
    naar_toestand,
    periode,
    stuur_wmo407,
    wmo407,
)


@pytest.fixture
def gemeente(app_ctx, clock):
    """Amsterdam (3 clients) may deliver; the clock stands on Monday 03-10-2022 09:00."""
    return mag_aanleveren(clock, clients=3)


def _sleutels(code: str = "0363", user: str = MEDEWERKER) -> list[tuple[str, int, tuple[str, ...], str]]:
    """What the uitval page lists: BSN, BwStartNummer, codes and the message, in order."""
    return [(r.rij.bsn, r.rij.bw_startnummer, r.rij.retourcodes, r.rij.bericht_identificatie)
            for r in uitval.overzicht(gebruiker(user), code).regels]


def _later(clock, minuten: int) -> None:
    clock.set(clock.now() + timedelta(minutes=minuten))


def test_a_rejected_period_appears_with_its_codes_their_meaning_and_what_to_do(gemeente, clock):
    a = b4_bsns(gemeente)[0]
    nummer = gemeente.bw_startnummer
    verwerking = stuur_wmo407(gemeente, client(a, periode(nummer, status=2)), identificatie="WIJZIG-1")
    assert verwerking.uitkomst == "afgekeurd"

    [regel] = uitval.overzicht(gebruiker(MEDEWERKER), "0363").regels
    assert (regel.rij.bsn, regel.rij.bw_startnummer, regel.rij.retourcodes) == (a, nummer, ("9103",))
    assert regel.rij.omschrijving == "9103: Wijzigen zonder eerdere aanlevering met hetzelfde BwStartNummer"
    assert regel.rij.wat_te_doen == WAT_TE_DOEN["9103"]
    assert regel.rij.bericht_identificatie == "WIJZIG-1"
    assert format_moment(regel.rij.ontvangen_op) == "03-10-2022 09:00"
    assert regel.ontvangst_id == verwerking.ontvangst_id


def test_a_later_accepted_correction_removes_it(gemeente, clock):
    a = b4_bsns(gemeente)[0]
    nummer = gemeente.bw_startnummer
    stuur_wmo407(gemeente, client(a, periode(nummer, status=2)))
    _later(clock, 10)

    correctie = stuur_wmo407(gemeente, client(a, periode(nummer, status=1)))

    assert correctie.geaccepteerd
    assert _sleutels() == []
    assert uitval.aantal(gebruiker(MEDEWERKER), "0363") == 0


def test_a_rejected_correction_keeps_it_with_the_codes_of_the_latest_message(gemeente, clock):
    a, b, _ = b4_bsns(gemeente)
    nummer = gemeente.bw_startnummer
    stuur_wmo407(gemeente, client(a, periode(nummer, status=2)), identificatie="EERSTE")
    stuur_wmo407(gemeente, client(b, periode(nummer + 1)), identificatie="ANDER")
    _later(clock, 10)

    # The correction makes the period new, but overlaps another new period of the same client: 9400.
    stuur_wmo407(gemeente, client(a, periode(nummer, status=1), periode(nummer + 5)), identificatie="TWEEDE")

    assert _sleutels() == [(a, nummer, ("9400",), "TWEEDE"), (a, nummer + 5, ("9400",), "TWEEDE")]


def test_a_period_without_a_code_of_its_own_in_a_rejected_message_is_uitval_too(gemeente, clock):
    a, b, _ = b4_bsns(gemeente)
    nummer = gemeente.bw_startnummer
    stuur_wmo407(gemeente, client(b, periode(nummer + 1, status=2)), client(a, periode(nummer)))

    regels = {r.rij.bsn: r.rij for r in uitval.overzicht(gebruiker(MEDEWERKER), "0363").regels}

    assert regels[b].retourcodes == ("9103",)
    assert regels[a].retourcodes == ()
    assert regels[a].omschrijving.startswith("Geen eigen retourcode: de periode is niet verwerkt")
    assert "hetzelfde BwStartNummer" in regels[a].wat_te_doen


def test_the_header_codes_of_the_message_count_for_every_period(gemeente, clock):
    a, b, _ = b4_bsns(gemeente)
    nummer = gemeente.bw_startnummer
    assert stuur_wmo407(gemeente, client(a, periode(nummer)), identificatie="ZELFDE").geaccepteerd
    _later(clock, 10)

    stuur_wmo407(gemeente, client(b, periode(nummer + 1)), identificatie="ZELFDE")

    assert _sleutels() == [(b, nummer + 1, ("9056",), "ZELFDE")]


def test_the_list_is_sorted_oldest_message_first_then_by_bsn(gemeente, clock):
    a, b, c = sorted(b4_bsns(gemeente))
    nummer = gemeente.bw_startnummer
    stuur_wmo407(gemeente, client(c, periode(nummer + 2, status=2)), client(a, periode(nummer, status=2)))
    _later(clock, 10)
    stuur_wmo407(gemeente, client(b, periode(nummer + 1, status=2)))

    assert [(bsn, n) for bsn, n, _, _ in _sleutels()] == [(a, nummer), (c, nummer + 2), (b, nummer + 1)]


def test_the_cak_reads_every_gemeente_and_a_gemeente_only_its_own(app_ctx, clock):
    amsterdam = leverende_gemeente("0363", "Amsterdam", clients=2)
    utrecht = leverende_gemeente("0344", "Utrecht", clients=2)
    naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, amsterdam, utrecht)
    stuur_wmo407(amsterdam, client(b4_bsns(amsterdam)[0], periode(amsterdam.bw_startnummer, status=2)))

    assert len(_sleutels("0363", CAK)) == 1
    assert _sleutels("0344", UTRECHT) == []
    with pytest.raises(toegang.NietGevonden):
        uitval.overzicht(gebruiker(UTRECHT), "0363")
    with pytest.raises(toegang.NietGevonden):
        uitval.exporteer(actor(MEDEWERKER), "0344")
    assert uitval.aantallen_voor(gebruiker(UTRECHT)) == {}
    assert uitval.aantallen_voor(gebruiker(CAK)) == {amsterdam.id: 1}


@contextmanager
def _statements() -> Iterator[list[str]]:
    gezien: list[str] = []

    def tel(conn, cursor, statement, parameters, context, executemany) -> None:
        gezien.append(statement)

    event.listen(db.engine, "before_cursor_execute", tel)
    try:
        yield gezien
    finally:
        event.remove(db.engine, "before_cursor_execute", tel)


def test_the_counts_of_all_gemeenten_take_one_query(app_ctx, clock):
    amsterdam = leverende_gemeente("0363", "Amsterdam", clients=3)
    utrecht = leverende_gemeente("0344", "Utrecht", clients=2)
    almere = leverende_gemeente("0034", "Almere", clients=2)
    naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, amsterdam, utrecht, almere)
    a, b, _ = b4_bsns(amsterdam)
    stuur_wmo407(amsterdam, client(a, periode(amsterdam.bw_startnummer, status=2)),
                 client(b, periode(amsterdam.bw_startnummer + 1)))
    u = b4_bsns(utrecht)[0]
    stuur_wmo407(utrecht, client(u, periode(utrecht.bw_startnummer, status=3)))
    db.session.commit()

    with _statements() as gezien:
        aantallen = uitval.aantallen()

    assert aantallen == {amsterdam.id: 2, utrecht.id: 1}
    assert len(gezien) == 1


def test_the_export_has_the_rows_and_is_audited(gemeente, clock):
    a = b4_bsns(gemeente)[0]
    stuur_wmo407(gemeente, client(a, periode(gemeente.bw_startnummer, status=2)), identificatie="WIJZIG-1")

    export = uitval.exporteer(actor(MEDEWERKER), "0363")

    assert export.naam == "680363_Uitval_20221003.xlsx"
    bladen = lees_xlsx(export.inhoud)
    assert list(bladen) == ["Uitval", "Toelichting"]
    assert bladen["Uitval"][1][:5] == (a, gemeente.bw_startnummer, bladen["Uitval"][1][2], None, "9103")
    [gebeurtenis] = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "uitval_geexporteerd")).all()
    assert gebeurtenis.details == {"bestandsnaam": "680363_Uitval_20221003.xlsx", "aantal": 1}


def test_the_weekly_report_has_the_uitval_as_it_stood_at_its_moment(gemeente, clock):
    a, b, _ = b4_bsns(gemeente)
    nummer = gemeente.bw_startnummer
    assert stuur_wmo407(gemeente, client(b, periode(nummer + 1))).geaccepteerd
    stuur_wmo407(gemeente, client(a, periode(nummer, status=2)), identificatie="WIJZIG-1")
    klok_naar(clock, "2022-10-10 09:00")
    clock.set(lees_moment("2022-10-11 09:30"))
    stuur_wmo407(gemeente, client(b, periode(nummer + 7, status=2)), identificatie="WIJZIG-2")
    # The correction at 11:00 comes after the report's moment (10:00), though the planner makes it at 11:05.
    clock.set(lees_moment("2022-10-11 11:00"))
    assert stuur_wmo407(gemeente, client(a, periode(nummer, status=1))).geaccepteerd
    klok_naar(clock, "2022-10-11 11:05")

    [rapport] = [r for r in bestanden(gemeente, Categorie.AANLEVERRAPPORTAGE)
                 if r.naam == "680363_AanleverrapportageBW_20221011.xlsx"]
    bladen = lees_xlsx(rapport.inhoud)
    assert list(bladen) == ["Berichten", "Productafname", "Uitval", "Toelichting"]
    kop, *rijen = bladen["Uitval"]
    assert kop == ("BSN", "BW_STARTNUMMER", "BW_STARTDATUM", "BW_EINDDATUM", "RETOURCODES", "OMSCHRIJVING",
                   "WAT_TE_DOEN", "BERICHT_IDENTIFICATIE", "ONTVANGEN_OP")
    assert [(r[0], r[1], r[4], r[7]) for r in rijen] == [
        (a, nummer, "9103", "WIJZIG-1"), (b, nummer + 7, "9103, 9400", "WIJZIG-2")]
    assert [(bsn, n) for bsn, n, _, _ in _sleutels()] == [(b, nummer + 7)]
    [brief] = mails("Wekelijkse aanleverrapportage geplaatst", gemeente)
    assert "op het blad Uitval de perioden waarvan het laatste bericht is afgekeurd" in brief.tekst


def test_a_message_rejected_at_level_2_puts_its_periods_in_the_uitval_with_0001(gemeente, clock):
    a = b4_bsns(gemeente)[0]
    inhoud = wmo407("NIVEAU2", client(a, periode(gemeente.bw_startnummer)), client("123456789", periode(5)))
    verwerking = delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", "bericht.xml", inhoud)
    assert verwerking.niveau == 2

    assert _sleutels() == [("123456789", 5, ("0001",), "NIVEAU2"), (a, gemeente.bw_startnummer, ("0001",), "NIVEAU2")]


def test_the_same_period_accepted_later_under_a_new_bwstartnummer_corrects_it(gemeente, clock):
    a, b = b4_bsns(gemeente)[:2]
    nummer = gemeente.bw_startnummer
    assert stuur_wmo407(gemeente, client(a, periode(nummer))).geaccepteerd
    _later(clock, 10)
    # the same BwStartNummer for another client: 9404, and the advice is to use a new number
    afgekeurd = stuur_wmo407(gemeente, client(b, periode(nummer)))
    assert "9404" in afgekeurd.retourcodes
    assert [s[:2] for s in _sleutels()] == [(b, nummer)]
    _later(clock, 10)

    anders = stuur_wmo407(gemeente, client(b, periode(nummer + 1, start=date(2022, 11, 1))))
    assert anders.geaccepteerd
    assert [s[:2] for s in _sleutels()] == [(b, nummer)]   # another period of the client fixes nothing

    _later(clock, 10)
    assert stuur_wmo407(gemeente, client(b, periode(nummer + 2, einde=date(2022, 10, 31)))).geaccepteerd
    assert _sleutels() == []
    assert uitval.aantallen([gemeente.id]) == {}
