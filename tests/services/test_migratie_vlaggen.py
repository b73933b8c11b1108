"""The flags beside the state (terugkoppeling_te_laat, aanlevering_te_laat) and what the CAK must chase
("actie nodig"), proces.md sections 2 and 3."""
from __future__ import annotations

from datetime import date

from portal.kalender import format_moment, lees_moment
from portal.services import migratie
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    CAK_TEAM,
    MEDEWERKER,
    UTRECHT,
    actor,
    b4_bsns,
    bestanden,
    gebruiker,
    gemeente_in,
    klok_naar,
    leverende_gemeente,
    mails,
    migratie_rij,
    overgangen,
    plan,
    stuur_gegenereerde_wmo407,
    stuur_terugkoppeling,
    tijdlijn,
)


def test_a_terugkoppeling_after_thursday_17_00_is_accepted_and_flagged_late(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)

    klok_naar(clock, "2022-09-29 17:00")

    rij = migratie_rij(gemeente)
    assert rij.terugkoppeling_te_laat and rij.toestand == Toestand.BV_GEPUBLICEERD
    assert migratie.actie_nodig(rij) == "terugkoppeling te laat: gemeente benaderen"
    [event] = tijdlijn(gemeente, "terugkoppeling_te_laat")
    assert (event.door, format_moment(event.op)) == ("planner", "29-09-2022 17:00")
    [mail] = mails("Terugkoppeling te laat")
    assert mail.aan == [CAK_TEAM]
    assert "Amsterdam" in mail.onderwerp and "0363" in mail.onderwerp
    assert "29-09-2022 17:00" in mail.tekst and "010-5550000" in mail.tekst
    assert "30-09-2022 17:00" in mail.tekst

    clock.set(lees_moment("2022-09-29 18:30"))
    uitkomst = stuur_terugkoppeling(gemeente)

    assert uitkomst.geldig and uitkomst.te_laat
    assert "als te laat gemarkeerd" in uitkomst.melding
    stand = migratie.status(gemeente)
    assert stand.toestand == Toestand.TERUGGEKOPPELD
    assert stand.vlaggen == ["terugkoppeling_te_laat"]
    assert migratie.actuele_terugkoppeling(gemeente).te_laat
    assert "na de deadline" in tijdlijn(gemeente)[-1].omschrijving
    assert len(mails("Terugkoppeling te laat")) == 1


def test_a_terugkoppeling_before_thursday_17_00_raises_no_flag_and_no_cak_mail(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    clock.set(lees_moment("2022-09-29 16:59"))
    assert not stuur_terugkoppeling(gemeente).te_laat

    uitgevoerd = klok_naar(clock, "2022-09-29 17:00")

    assert [(u.soort, u.resultaat) for u in uitgevoerd] == [(migratie.Actiesoort.TERUGKOPPELING_TE_LAAT, "op tijd")]
    assert migratie.status(gemeente).vlaggen == []
    assert mails("Terugkoppeling te laat") == []


def test_a_late_lateness_check_still_mails_the_cak_when_there_was_no_terugkoppeling_at_17_00(app_ctx, clock):
    # The scheduler was down at 17:00; the gemeente uploaded at 17:20; the check runs at 17:30.
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    clock.set(lees_moment("2022-09-29 17:20"))
    assert stuur_terugkoppeling(gemeente).te_laat

    klok_naar(clock, "2022-09-29 17:30")

    assert migratie.status(gemeente).vlaggen == ["terugkoppeling_te_laat"]
    assert [m.onderwerp for m in mails("Terugkoppeling te laat")] == ["Terugkoppeling te laat: Amsterdam (0363)"]
    assert "29-09-2022 17:00" in mails("Terugkoppeling te laat")[0].tekst


def test_a_wmo407_after_tuesday_15_00_is_processed_and_flagged_late(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    clock.set(lees_moment("2022-10-04 15:20"))

    verwerking = stuur_gegenereerde_wmo407(gemeente)

    assert verwerking.geaccepteerd and verwerking.te_laat
    assert verwerking.wmo408_naam in [b.naam for b in bestanden(gemeente, "retourbericht")]
    stand = migratie.status(gemeente)
    assert stand.toestand == Toestand.AANGELEVERD
    assert stand.vlaggen == ["aanlevering_te_laat"]
    [event] = tijdlijn(gemeente, "aanlevering_te_laat")
    assert (event.door, format_moment(event.op)) == (MEDEWERKER, "04-10-2022 15:20")
    assert verwerking.identificatie in event.omschrijving

    klok_naar(clock, "2022-10-04 15:30")
    assert len(tijdlijn(gemeente, "aanlevering_te_laat")) == 1


def test_no_delivery_by_tuesday_15_00_flags_the_delivery_late_and_the_cak_must_chase_it(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)

    klok_naar(clock, "2022-10-04 15:05")

    rij = migratie_rij(gemeente)
    assert rij.aanlevering_te_laat and rij.toestand == Toestand.AKKOORD_AANLEVEREN
    assert migratie.actie_nodig(rij, clock.now()) == "aanlevering te laat: gemeente benaderen"
    [event] = tijdlijn(gemeente, "aanlevering_te_laat")
    assert (event.door, format_moment(event.op)) == ("planner", "04-10-2022 15:00")


def test_a_delivery_on_time_raises_no_delivery_flag(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AANGELEVERD)

    klok_naar(clock, "2022-10-04 15:00")

    assert migratie.status(gemeente).vlaggen == []
    assert tijdlijn(gemeente, "aanlevering_te_laat") == []


def test_a_gemeente_that_never_sends_a_valid_terugkoppeling_stays_bv_gepubliceerd_with_actie_nodig(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    clock.set(lees_moment("2022-09-28 10:00"))
    assert not stuur_terugkoppeling(gemeente, {b4_bsns(gemeente)[0]: "Q"}).geldig

    for moment in ("2022-09-29 17:00", "2022-09-30 17:00", "2022-10-04 15:00", "2022-10-05 10:00",
                   "2022-10-12 10:00"):
        klok_naar(clock, moment)

    stand = migratie.status(gemeente)
    assert stand.toestand == Toestand.BV_GEPUBLICEERD
    assert "terugkoppeling_te_laat" in stand.vlaggen
    assert stand.actie_nodig == "terugkoppeling te laat: gemeente benaderen"
    assert "680363_AanleverrapportageBW_20221005.xlsx" not in [b.naam for b in bestanden(gemeente)]
    [overgeslagen] = tijdlijn(gemeente, "aanleverrapportage_overgeslagen")
    assert "nog geen akkoord om aan te leveren" in overgeslagen.omschrijving
    assert [s.gemeente.code for s in migratie.overzicht() if s.actie_nodig] == ["0363"]


def test_a_gemeente_that_delivers_nothing_reaches_nabellen_after_the_wednesday_report(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    bsns = b4_bsns(gemeente)

    klok_naar(clock, "2022-10-04 15:00")
    klok_naar(clock, "2022-10-05 10:00")

    stand = migratie.status(gemeente)
    assert stand.toestand == Toestand.NABELLEN
    assert stand.vlaggen == ["aanlevering_te_laat"]
    assert stand.actie_nodig == "gemeente nabellen over de verschillen"
    assert overgangen(gemeente)[-2:] == [("AKKOORD_AANLEVEREN", "GERAPPORTEERD"), ("GERAPPORTEERD", "NABELLEN")]
    belactie = migratie.open_belactie(gemeente)
    assert sorted((v["bsn"], v["uitkomst"]) for v in belactie.verschillen["verschillen"]) == [
        (bsn, "ontbreekt") for bsn in sorted(bsns)]
    assert [b.naam for b in bestanden(gemeente, "aanleverrapportage")] == [
        "680363_AanleverrapportageBW_20221005.xlsx"]


def test_a_moved_delivery_date_gets_its_own_lateness_check(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)
    clock.set(lees_moment("2022-09-30 12:00"))
    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente, aanleverdatum=date(2022, 10, 6))
    klok_naar(clock, "2022-10-05 10:00")
    assert migratie.status(gemeente).vlaggen == []

    klok_naar(clock, "2022-10-06 15:05")

    stand = migratie.status(gemeente)
    assert stand.actie_nodig == "aanlevering te laat: gemeente benaderen"
    assert stand.vlaggen == ["aanlevering_te_laat"]
    assert [format_moment(g.op) for g in tijdlijn(gemeente, "aanlevering_te_laat")] == ["06-10-2022 15:00"]


def test_a_redelivery_date_agreed_in_a_call_gets_its_own_lateness_check(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.NABELLEN)
    assert migratie.status(gemeente).vlaggen == []
    clock.set(lees_moment("2022-10-05 15:00"))
    migratie.registreer_belresultaat(actor(CAK), gemeente, "Levert vrijdag na.", date(2022, 10, 7))

    klok_naar(clock, "2022-10-07 15:05")

    stand = migratie.status(gemeente)
    assert stand.actie_nodig == "aanlevering te laat: gemeente benaderen"
    assert stand.vlaggen == ["aanlevering_te_laat"]


def test_the_overview_shows_a_gemeente_user_only_their_own_gemeente_and_the_cak_all(app_ctx):
    plan(leverende_gemeente("0363", "Amsterdam"))
    leverende_gemeente("0344", "Utrecht")

    assert [s.gemeente.code for s in migratie.overzicht(gebruiker(MEDEWERKER))] == ["0363"]
    assert [s.gemeente.code for s in migratie.overzicht(gebruiker(UTRECHT))] == ["0344"]
    assert [s.gemeente.code for s in migratie.overzicht(gebruiker(CAK))] == ["0363", "0344"]
