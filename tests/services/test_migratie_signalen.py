"""The signals of the flow are right (proces.md section 3): a past week cannot be chosen or planned,
weekly reports go only to gemeenten that may deliver, 'aanlevering te laat' only when delivery was
possible and judged again against a new date, and the CAK's own miss is flagged 'akkoord te laat'."""
from __future__ import annotations

from datetime import date

import pytest

from portal.services import migratie
from portal.services.migratie import MigratieFout
from portal.toestanden import Toestand, Vlag
from tests.scenario import (
    BEHEER,
    CAK,
    TIMESLOT,
    WEEK_2,
    actor,
    bestanden,
    gemeente_in,
    geplande_acties,
    klok_naar,
    leverende_gemeente,
    mails,
    medewerker,
    stuur_terugkoppeling,
    tijdlijn,
    toestand,
)


def test_a_week_whose_b4_moment_has_passed_cannot_be_planned_and_nothing_is_scheduled(app_ctx, clock):
    gemeente = leverende_gemeente()
    klok_naar(clock, "2022-09-26 10:30")   # the B4 moment of the week of 03-10-2022

    with pytest.raises(MigratieFout) as fout:
        migratie.plan_timeslot(actor(BEHEER), gemeente, TIMESLOT)

    assert fout.value.melding == (
        "De week van 03-10-2022 kan niet meer: de bestandsvergelijking voor die week had op 26-09-2022 10:30 "
        "geplaatst moeten worden en dat moment is voorbij. Kies een latere week: 10-10-2022, 17-10-2022, "
        "24-10-2022, 31-10-2022, 07-11-2022.")
    assert toestand(gemeente) == Toestand.NIET_GEPLAND
    assert geplande_acties(gemeente) == [] and bestanden(gemeente) == []


def test_a_week_still_ahead_can_be_planned_until_its_b4_moment(app_ctx, clock):
    gemeente = leverende_gemeente()
    klok_naar(clock, "2022-09-26 10:29")

    migratie.plan_timeslot(actor(BEHEER), gemeente, TIMESLOT)

    assert toestand(gemeente) == Toestand.GEPLAND
    assert migratie.open_timeslots(clock.now())[0] == TIMESLOT


@pytest.mark.parametrize(("voorkeur", "tweede"), [(TIMESLOT, WEEK_2), (WEEK_2, TIMESLOT)])
def test_signing_up_for_a_past_week_is_refused_as_first_or_second_choice(app_ctx, clock, voorkeur, tweede):
    gemeente = leverende_gemeente()
    klok_naar(clock, "2022-09-27 09:00")

    with pytest.raises(MigratieFout) as fout:
        migratie.meld_aan(actor(medewerker("Amsterdam")), gemeente, voorkeur, tweede, None)

    assert fout.value.melding.startswith("De week van 03-10-2022 kan niet meer:")
    assert migratie.migratie_van(gemeente).aangemeld_op is None


def test_when_every_week_has_passed_the_refusal_says_to_contact_the_cak(app_ctx, clock):
    gemeente = leverende_gemeente()
    klok_naar(clock, "2022-11-01 09:00")

    with pytest.raises(MigratieFout) as fout:
        migratie.plan_timeslot(actor(BEHEER), gemeente, date(2022, 11, 7))

    assert fout.value.melding.endswith("Er is geen latere migratieweek meer; neem contact op met het CAK.")
    assert migratie.open_timeslots(clock.now()) == ()


def test_no_weekly_report_for_a_gemeente_without_akkoord_but_the_next_tuesday_is_planned(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)

    uitgevoerd = klok_naar(clock, "2022-10-11 10:00")

    assert [(u.soort, u.resultaat) for u in uitgevoerd if u.soort == migratie.Actiesoort.WEKELIJKS] == [
        (migratie.Actiesoort.WEKELIJKS, "overgeslagen: nog geen akkoord om aan te leveren")]
    assert [b.naam for b in bestanden(gemeente, "aanleverrapportage")] == []
    assert mails("Wekelijkse aanleverrapportage geplaatst") == []
    [overgeslagen] = tijdlijn(gemeente, "wekelijkse_rapportage_overgeslagen")
    assert overgeslagen.omschrijving == ("Geen wekelijkse aanleverrapportage op 11-10-2022 10:00: er is nog geen "
                                         "akkoord om aan te leveren (kanaal iEb dicht).")
    assert "18-10-2022" in [a.due_op.astimezone(clock.now().tzinfo).strftime("%d-%m-%Y")
                            for a in geplande_acties(gemeente) if a.soort == migratie.Actiesoort.WEKELIJKS]
    assert migratie.status(gemeente).toelichting == (
        "geen wekelijkse aanleverrapportage: nog geen akkoord om aan te leveren (alleen gemeenten met een "
        "geopend kanaal iEb krijgen die)")


def test_once_the_akkoord_is_given_the_weekly_reports_come(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)
    klok_naar(clock, "2022-10-11 10:00")
    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente, aanleverdatum=date(2022, 10, 14))

    klok_naar(clock, "2022-10-18 10:00")

    assert "680363_AanleverrapportageBW_20221018.xlsx" in [b.naam for b in bestanden(gemeente)]
    assert migratie.status(gemeente).toelichting is None


def test_no_aanlevering_te_laat_when_the_gemeente_could_not_deliver_before_the_deadline(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)

    uitgevoerd = klok_naar(clock, "2022-10-04 15:00")

    assert ("AANLEVERING_TE_LAAT_CONTROLE", "nog geen akkoord om aan te leveren") in [
        (u.soort, u.resultaat) for u in uitgevoerd]
    assert Vlag.AANLEVERING_TE_LAAT not in migratie.status(gemeente).vlaggen


def test_a_gemeente_that_could_deliver_and_did_not_is_late_and_is_judged_again_at_a_new_date(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    klok_naar(clock, "2022-10-05 10:00")        # deadline passed without delivery, report: call list
    assert Vlag.AANLEVERING_TE_LAAT in migratie.status(gemeente).vlaggen
    assert toestand(gemeente) == Toestand.NABELLEN

    klok_naar(clock, "2022-10-06 11:00")
    migratie.registreer_belresultaat(actor(CAK), gemeente, "Levert vrijdag.", date(2022, 10, 7))

    assert Vlag.AANLEVERING_TE_LAAT not in migratie.status(gemeente).vlaggen
    assert tijdlijn(gemeente, "aanlevering_te_laat")[-1].omschrijving == (
        "Nieuwe aanleverdatum 07-10-2022 15:00: 'aanlevering te laat' wordt tegen die datum opnieuw beoordeeld.")
    klok_naar(clock, "2022-10-07 15:00")
    assert Vlag.AANLEVERING_TE_LAAT in migratie.status(gemeente).vlaggen


def test_the_cak_is_flagged_akkoord_te_laat_when_a_terugkoppeling_waited_past_friday_1700(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)

    uitgevoerd = klok_naar(clock, "2022-09-30 17:00")

    assert [(u.soort, u.resultaat) for u in uitgevoerd] == [
        (migratie.Actiesoort.TERUGKOPPELING_TE_LAAT, "op tijd"), (migratie.Actiesoort.AKKOORD_TE_LAAT, "te laat")]
    status = migratie.status(gemeente)
    assert status.vlaggen == [Vlag.AKKOORD_TE_LAAT]
    assert tijdlijn(gemeente, "akkoord_te_laat")[0].omschrijving == (
        "Om 30-09-2022 17:00 had het CAK nog geen akkoord gegeven om aan te leveren: akkoord CAK te laat.")
    klok_naar(clock, "2022-10-03 09:00")
    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente, aanleverdatum=date(2022, 10, 5))
    assert migratie.status(gemeente).vlaggen == [Vlag.AKKOORD_TE_LAAT]
    assert len(tijdlijn(gemeente, "akkoord_te_laat")) == 1


def test_an_akkoord_in_time_or_a_missing_terugkoppeling_is_no_miss_of_the_cak(app_ctx, clock):
    op_tijd = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    zonder = leverende_gemeente("0344", "Utrecht", 2)
    migratie.plan_timeslot(actor(BEHEER), zonder, WEEK_2)

    klok_naar(clock, "2022-10-07 17:00")

    assert Vlag.AKKOORD_TE_LAAT not in migratie.status(op_tijd).vlaggen
    assert migratie.status(zonder).vlaggen == [Vlag.TERUGKOPPELING_TE_LAAT]


def test_a_late_akkoord_without_the_scheduled_check_is_still_flagged(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)
    for actie in geplande_acties(gemeente):
        if actie.soort == migratie.Actiesoort.AKKOORD_TE_LAAT:
            actie.status = "vervallen"
    clock.set(clock.now().replace(day=3, month=10))

    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente, aanleverdatum=date(2022, 10, 5))

    assert Vlag.AKKOORD_TE_LAAT in migratie.status(gemeente).vlaggen


def test_a_terugkoppeling_sent_after_friday_does_not_make_the_cak_late(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    klok_naar(clock, "2022-10-01 09:00")
    assert stuur_terugkoppeling(gemeente).geldig

    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente, aanleverdatum=date(2022, 10, 5))

    assert migratie.status(gemeente).vlaggen == [Vlag.TERUGKOPPELING_TE_LAAT]
