"""Every state transition of a gemeente's migration (proces.md section 3), with its timeline event and its
e-mail (section 7), and for every state a transition the portal refuses without changing anything."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.kalender import format_moment, lees_moment
from portal.models import Belactie
from portal.services import kanalen, migratie
from portal.services.migratie import MigratieFout
from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    CONTACT,
    MEDEWERKER,
    actor,
    b4_bsns,
    bestanden,
    client,
    gemeente_in,
    geplande_acties,
    klok_naar,
    lees_xlsx,
    leverende_gemeente,
    mails,
    migratie_rij,
    momentopname,
    overgangen,
    periode,
    plan,
    stuur_terugkoppeling,
    stuur_wmo407,
    tijdlijn,
    timeslot_acties,
    toestand,
)

T = Toestand


def _event(gemeente, naar: Toestand):
    gevonden = [g for g in tijdlijn(gemeente) if g.naar_toestand == naar.value]
    assert len(gevonden) == 1, [(g.soort, g.van_toestand, g.naar_toestand) for g in tijdlijn(gemeente)]
    return gevonden[0]


def _enige_mail(soort: str):
    gevonden = mails(soort)
    assert len(gevonden) == 1, [m.onderwerp for m in mails()]
    return gevonden[0]


# ---------------------------------------------------------------- the happy path, step by step

def test_a_gemeente_signs_up_and_the_cak_assigns_another_timeslot(app_ctx, clock):
    gemeente = leverende_gemeente(clients=3)

    migratie.meld_aan(actor(MEDEWERKER), gemeente, date(2022, 10, 10), date(2022, 10, 17), "Liever later.")

    rij = migratie_rij(gemeente)
    assert (rij.toestand, rij.voorkeur_timeslot, rij.tweede_keus_timeslot) == (
        "NIET_GEPLAND", date(2022, 10, 10), date(2022, 10, 17))
    assert migratie.actie_nodig(rij) == "aanmelding bevestigen of een andere timeslot toewijzen"
    [aanmelding] = tijdlijn(gemeente)
    assert (aanmelding.soort, aanmelding.door, aanmelding.naar_toestand) == ("aanmelding", MEDEWERKER, None)

    plan(gemeente, date(2022, 10, 3))

    event = _event(gemeente, T.GEPLAND)
    assert "(voorkeur was 10-10-2022)" in event.omschrijving
    with pytest.raises(MigratieFout) as fout:
        migratie.meld_aan(actor(MEDEWERKER), gemeente, date(2022, 10, 17), None, None)
    assert fout.value.melding.startswith("Amsterdam is al ingepland in de week van 03-10-2022.")


def test_planning_a_timeslot_makes_the_gemeente_gepland_and_schedules_its_calendar(app_ctx, clock):
    gemeente = leverende_gemeente(clients=3)

    plan(gemeente)

    assert toestand(gemeente) == T.GEPLAND
    event = _event(gemeente, T.GEPLAND)
    assert (event.van_toestand, event.door) == ("NIET_GEPLAND", BEHEER)
    assert format_moment(event.op) == "19-09-2022 09:00"
    assert "03-10-2022" in event.omschrijving and "26-09-2022 10:30" in event.omschrijving
    assert timeslot_acties(gemeente) == [
        (migratie.Actiesoort.B4_PUBLICEREN, "26-09-2022 10:30"),
        (migratie.Actiesoort.TERUGKOPPELING_TE_LAAT, "29-09-2022 17:00"),
        (migratie.Actiesoort.AANLEVERING_TE_LAAT, "04-10-2022 15:00"),
        (migratie.Actiesoort.AANLEVERRAPPORTAGE, "05-10-2022 10:00"),
    ]
    assert mails() == []


def test_the_b4_at_monday_10_30_makes_it_bv_gepubliceerd_and_mails_the_gemeente_contacts(app_ctx, clock):
    gemeente = leverende_gemeente(clients=3)
    plan(gemeente)

    klok_naar(clock, "2022-09-26 10:30")

    assert toestand(gemeente) == T.BV_GEPUBLICEERD
    event = _event(gemeente, T.BV_GEPUBLICEERD)
    assert (event.van_toestand, event.door, format_moment(event.op)) == ("GEPLAND", "planner", "26-09-2022 10:30")
    mail = _enige_mail("Bestandsvergelijking geplaatst")
    assert mail.aan == [CONTACT, MEDEWERKER]
    assert "Amsterdam" in mail.onderwerp and "0363" in mail.onderwerp
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx" in mail.tekst
    assert "3 cliënten" in mail.tekst
    assert "29-09-2022 17:00" in mail.tekst


def test_a_valid_terugkoppeling_makes_it_teruggekoppeld_and_mails_the_uploader_the_counts(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD, clients=4)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-09-27 14:12"))

    uitkomst = stuur_terugkoppeling(gemeente, {bsns[0]: "N", bsns[1]: "V"}, bestandsnaam="amsterdam tk.xlsx")

    assert uitkomst.geldig and not uitkomst.te_laat
    assert toestand(gemeente) == T.TERUGGEKOPPELD
    event = _event(gemeente, T.TERUGGEKOPPELD)
    assert (event.van_toestand, event.door, format_moment(event.op)) == (
        "BV_GEPUBLICEERD", MEDEWERKER, "27-09-2022 14:12")
    mail = _enige_mail("Terugkoppeling ontvangen")
    assert mail.aan == [MEDEWERKER]
    assert "Amsterdam" in mail.onderwerp
    assert "amsterdam tk.xlsx" in mail.tekst and uitkomst.sha256 in mail.tekst
    assert "J: 2" in mail.tekst and "N: 1" in mail.tekst and "V: 1" in mail.tekst
    assert "30-09-2022 17:00" in mail.tekst


def test_the_cak_akkoord_makes_it_akkoord_aanleveren_opens_ieb_and_mails_the_contacts(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=4)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-09-27 10:05"))
    stuur_terugkoppeling(gemeente, {bsns[0]: "O"}, extra={bsns[0]: {"M": date(2022, 9, 20)}})
    clock.set(lees_moment("2022-09-28 11:00"))

    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente)

    assert toestand(gemeente) == T.AKKOORD_AANLEVEREN
    event = _event(gemeente, T.AKKOORD_AANLEVEREN)
    assert (event.van_toestand, event.door, format_moment(event.op)) == ("TERUGGEKOPPELD", CAK, "28-09-2022 11:00")
    assert "3 cliënten verwacht" in event.omschrijving
    rij = migratie_rij(gemeente)
    assert rij.verwacht_aantal == 3
    assert format_moment(rij.aanleverdeadline) == "04-10-2022 15:00"
    assert kanalen.is_open(gemeente, kanalen.Kanaalsoort.IEB)
    mail = _enige_mail("Akkoord om aan te leveren")
    assert mail.aan == [CONTACT, MEDEWERKER]
    assert "Amsterdam" in mail.onderwerp
    assert "3 cliënten met code J" in mail.tekst and "01-10-2022" in mail.tekst
    assert "04-10-2022 15:00" in mail.tekst


def test_the_first_accepted_wmo407_makes_it_aangeleverd_once(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=4)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-10-03 09:30"))

    eerste = stuur_wmo407(gemeente, client(bsns[0], periode(36300001)))
    clock.set(lees_moment("2022-10-03 09:45"))
    tweede = stuur_wmo407(gemeente, client(bsns[1], periode(36300002)))

    assert eerste.geaccepteerd and tweede.geaccepteerd
    assert toestand(gemeente) == T.AANGELEVERD
    event = _event(gemeente, T.AANGELEVERD)
    assert (event.van_toestand, event.door, format_moment(event.op)) == (
        "AKKOORD_AANLEVEREN", MEDEWERKER, "03-10-2022 09:30")
    assert eerste.identificatie in event.omschrijving
    assert [b.naam for b in bestanden(gemeente, "retourbericht")] == [eerste.wmo408_naam, tweede.wmo408_naam]


def test_a_rejected_wmo407_does_not_make_it_aangeleverd(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=3)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-10-03 09:30"))

    # StatusAanlevering 2 (a change) for a period that was never delivered: rejected with 9103.
    verwerking = stuur_wmo407(gemeente, client(bsns[0], periode(36300001, status=2)))

    assert verwerking.uitkomst == "afgekeurd" and "9103" in verwerking.retourcodes
    assert toestand(gemeente) == T.AKKOORD_AANLEVEREN


def test_a_correct_delivery_is_reported_on_wednesday_10_00_and_becomes_gerapporteerd(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AANGELEVERD, clients=3)

    klok_naar(clock, "2022-10-05 10:00")

    assert toestand(gemeente) == T.GERAPPORTEERD
    event = _event(gemeente, T.GERAPPORTEERD)
    assert (event.van_toestand, event.door, format_moment(event.op)) == ("AANGELEVERD", "planner", "05-10-2022 10:00")
    assert "680363_AanleverrapportageBW_20221005.xlsx" in event.omschrijving
    mail = _enige_mail("Aanleverrapportage geplaatst")
    assert mail.aan == [CONTACT, MEDEWERKER]
    assert "Amsterdam" in mail.onderwerp
    assert "680363_AanleverrapportageBW_20221005.xlsx" in mail.tekst
    assert "Oordeel: correct" in mail.tekst
    assert migratie.actie_nodig(migratie_rij(gemeente)) == "aanlevering correct: akkoord geven"


def test_the_cak_approval_makes_it_gemigreerd_and_mails_the_verslag_to_the_contacts(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GERAPPORTEERD, clients=3)
    clock.set(lees_moment("2022-10-05 14:20"))

    migratie.keur_aanlevering_goed(actor(CAK), gemeente)

    assert toestand(gemeente) == T.GEMIGREERD
    event = _event(gemeente, T.GEMIGREERD)
    assert (event.van_toestand, event.door, format_moment(event.op)) == ("GERAPPORTEERD", CAK, "05-10-2022 14:20")
    rij = migratie_rij(gemeente)
    assert (rij.goedgekeurd_door, format_moment(rij.goedgekeurd_op), rij.afwijking_reden) == (
        CAK, "05-10-2022 14:20", None)
    mail = _enige_mail("Akkoord op aanlevering")
    assert mail.aan == [CONTACT, MEDEWERKER]
    assert "Amsterdam" in mail.onderwerp
    assert "verslag" in mail.tekst.lower()
    assert [b.naam for b in mail.bijlagen] == ["680363_Verslag_Migratie_20221005.xlsx"]


def test_a_deviating_delivery_goes_from_gerapporteerd_to_nabellen_with_a_call_task(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.NABELLEN, clients=4)

    assert overgangen(gemeente)[-2:] == [("AANGELEVERD", "GERAPPORTEERD"), ("GERAPPORTEERD", "NABELLEN")]
    event = _event(gemeente, T.NABELLEN)
    assert (event.door, format_moment(event.op)) == ("planner", "05-10-2022 10:00")
    assert "1 cliënten wijken af" in event.omschrijving
    belactie = migratie.open_belactie(gemeente)
    assert belactie is not None and format_moment(belactie.aangemaakt_op) == "05-10-2022 10:00"
    assert [v["bsn"] for v in belactie.verschillen["verschillen"]] == [b4_bsns(gemeente)[-1]]
    mail = _enige_mail("Aanleverrapportage geplaatst")
    assert "Oordeel: niet correct" in mail.tekst and "contact met u op" in mail.tekst
    assert migratie.actie_nodig(migratie_rij(gemeente)) == "gemeente nabellen over de verschillen"


def test_a_recorded_call_returns_the_gemeente_to_akkoord_aanleveren_and_the_redelivery_is_reported(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.NABELLEN, clients=4)
    ontbrekend = b4_bsns(gemeente)[-1]
    clock.set(lees_moment("2022-10-05 15:00"))

    migratie.registreer_belresultaat(actor(CAK), gemeente, "Eén cliënt vergeten, levert na.", date(2022, 10, 7))

    assert toestand(gemeente) == T.AKKOORD_AANLEVEREN
    event = tijdlijn(gemeente)[-1]
    assert (event.van_toestand, event.naar_toestand, event.door, format_moment(event.op)) == (
        "NABELLEN", "AKKOORD_AANLEVEREN", CAK, "05-10-2022 15:00")
    assert "Eén cliënt vergeten" in event.omschrijving and "07-10-2022 15:00" in event.omschrijving
    assert format_moment(migratie_rij(gemeente).aanleverdeadline) == "07-10-2022 15:00"
    [belactie] = db.session.scalars(select(Belactie).where(Belactie.gemeente_id == gemeente.id)).all()
    assert (belactie.uitkomst, belactie.nieuwe_leverdatum, belactie.afgehandeld_door) == (
        "Eén cliënt vergeten, levert na.", date(2022, 10, 7), CAK)

    clock.set(lees_moment("2022-10-06 09:00"))
    stuur_wmo407(gemeente, client(ontbrekend, periode(36300010)))
    assert toestand(gemeente) == T.AANGELEVERD
    klok_naar(clock, "2022-10-08 10:00")

    assert toestand(gemeente) == T.GERAPPORTEERD
    assert [b.naam for b in bestanden(gemeente, "aanleverrapportage")] == [
        "680363_AanleverrapportageBW_20221005.xlsx", "680363_AanleverrapportageBW_20221008.xlsx"]
    assert overgangen(gemeente)[-3:] == [("NABELLEN", "AKKOORD_AANLEVEREN"), ("AKKOORD_AANLEVEREN", "AANGELEVERD"),
                                            ("AANGELEVERD", "GERAPPORTEERD")]


def test_the_cak_can_accept_a_deviation_from_nabellen_with_a_recorded_reason(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.NABELLEN, clients=4)
    clock.set(lees_moment("2022-10-06 09:15"))

    migratie.keur_aanlevering_goed(actor(CAK), gemeente, reden="Cliënt is per 30-09 verhuisd.")

    assert toestand(gemeente) == T.GEMIGREERD
    event = _event(gemeente, T.GEMIGREERD)
    assert (event.van_toestand, event.door, format_moment(event.op)) == ("NABELLEN", CAK, "06-10-2022 09:15")
    assert "Cliënt is per 30-09 verhuisd." in event.omschrijving
    assert migratie_rij(gemeente).afwijking_reden == "Cliënt is per 30-09 verhuisd."
    assert migratie.open_belactie(gemeente) is None
    mail = _enige_mail("Akkoord op aanlevering")
    assert "Cliënt is per 30-09 verhuisd." in mail.tekst
    samenvatting = dict(r[:2] for r in lees_xlsx(mail.bijlagen[0].inhoud)["Samenvatting"][1:])
    assert samenvatting["Geaccepteerde afwijking"] == "Cliënt is per 30-09 verhuisd."


def test_the_timeline_of_a_whole_migration_lists_every_transition_in_order(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEMIGREERD, clients=3)

    assert overgangen(gemeente) == [
        ("NIET_GEPLAND", "GEPLAND"), ("GEPLAND", "BV_GEPUBLICEERD"), ("BV_GEPUBLICEERD", "TERUGGEKOPPELD"),
        ("TERUGGEKOPPELD", "AKKOORD_AANLEVEREN"), ("AKKOORD_AANLEVEREN", "AANGELEVERD"),
        ("AANGELEVERD", "GERAPPORTEERD"), ("GERAPPORTEERD", "GEMIGREERD")]
    momenten = [g.op for g in tijdlijn(gemeente)]
    assert momenten == sorted(momenten)


# ---------------------------------------------------------------- refused transitions

def _akkoord_aanleveren(gemeente):
    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente)


def _goedkeuren(gemeente):
    migratie.keur_aanlevering_goed(actor(CAK), gemeente)


def _belresultaat(gemeente):
    migratie.registreer_belresultaat(actor(CAK), gemeente, "Gebeld.", date(2022, 10, 28))


def _plannen(gemeente):
    migratie.plan_timeslot(actor(BEHEER), gemeente, date(2022, 10, 17))


def _plannen_door_gewone_cak_medewerker(gemeente):
    migratie.plan_timeslot(actor(CAK), gemeente, date(2022, 10, 3))


def _plannen_op_een_week_zonder_timeslot(gemeente):
    migratie.plan_timeslot(actor(BEHEER), gemeente, date(2022, 12, 5))


def _plannen_op_een_dinsdag(gemeente):
    migratie.plan_timeslot(actor(BEHEER), gemeente, date(2022, 10, 4))


def _akkoord_door_de_gemeente(gemeente):
    migratie.geef_akkoord_aanleveren(actor(MEDEWERKER), gemeente)


def _goedkeuren_door_de_gemeente(gemeente):
    migratie.keur_aanlevering_goed(actor(MEDEWERKER), gemeente)


GEWEIGERD = [
    (T.NIET_GEPLAND, _akkoord_aanleveren, "kan niet in de toestand 'nog niet gepland'"),
    (T.NIET_GEPLAND, _plannen_door_gewone_cak_medewerker, "Alleen een beheerder van het CAK kan dit doen."),
    (T.NIET_GEPLAND, _plannen_op_een_week_zonder_timeslot, "05-12-2022 is geen timeslot van de migratie; kies een van: "
                                                           "03-10-2022, 10-10-2022, 17-10-2022"),
    (T.GEPLAND, _plannen_op_een_dinsdag, "04-10-2022 is geen maandag"),
    (T.GEPLAND, _akkoord_aanleveren, "kan niet in de toestand 'gepland'"),
    (T.GEPLAND, _goedkeuren, "kan niet in de toestand 'gepland'"),
    (T.BV_GEPUBLICEERD, _akkoord_aanleveren, "akkoord geven om aan te leveren kan niet in de toestand "
                                             "'bestandsvergelijking geplaatst'"),
    (T.BV_GEPUBLICEERD, _plannen, "is al geplaatst; de timeslot kan niet meer worden verplaatst"),
    (T.TERUGGEKOPPELD, _goedkeuren, "kan niet in de toestand 'terugkoppeling ontvangen'"),
    (T.TERUGGEKOPPELD, _akkoord_door_de_gemeente, "Alleen een medewerker van het CAK kan dit doen."),
    (T.AKKOORD_AANLEVEREN, _goedkeuren, "akkoord geven op de aanlevering kan niet in de toestand "
                                        "'akkoord om aan te leveren'"),
    (T.AKKOORD_AANLEVEREN, _akkoord_aanleveren, "kan niet in de toestand 'akkoord om aan te leveren'"),
    (T.AANGELEVERD, _goedkeuren, "kan niet in de toestand 'aangeleverd'"),
    (T.AANGELEVERD, _plannen, "is al geplaatst"),
    (T.GERAPPORTEERD, _belresultaat, "een belresultaat vastleggen kan niet in de toestand "
                                     "'aanleverrapportage geplaatst'"),
    (T.GERAPPORTEERD, _akkoord_aanleveren, "kan niet in de toestand 'aanleverrapportage geplaatst'"),
    (T.GERAPPORTEERD, _goedkeuren_door_de_gemeente, "Alleen een medewerker van het CAK kan dit doen."),
    (T.NABELLEN, _goedkeuren, "Akkoord geven kan alleen met een reden"),
    (T.NABELLEN, _akkoord_aanleveren, "kan niet in de toestand 'nabellen'"),
    (T.GEMIGREERD, _goedkeuren, "kan niet in de toestand 'gemigreerd'"),
    (T.GEMIGREERD, _belresultaat, "kan niet in de toestand 'gemigreerd'"),
]


@pytest.mark.parametrize(("stand", "poging", "melding"), GEWEIGERD,
                         ids=[f"{t.value}-{p.__name__.strip('_')}" for t, p, _ in GEWEIGERD])
def test_a_transition_not_allowed_in_a_state_is_refused_in_dutch_and_changes_nothing(
        app_ctx, clock, stand, poging, melding):
    gemeente = gemeente_in(clock, stand, clients=4)
    clock.advance(timedelta(minutes=5))
    voor = momentopname(gemeente)

    with pytest.raises(MigratieFout) as fout:
        poging(gemeente)
    db.session.rollback()  # what a request does when the service refuses

    assert melding in fout.value.melding
    if "toestand" in melding:
        assert "Er is niets gewijzigd." in fout.value.melding
    assert momentopname(gemeente) == voor
    assert toestand(gemeente) == stand


def test_a_refused_transition_leaves_nothing_behind_for_a_later_commit(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=3)
    voor = momentopname(gemeente)

    with pytest.raises(MigratieFout):
        migratie.keur_aanlevering_goed(actor(CAK), gemeente)
    db.session.commit()  # a later, unrelated commit in the same session

    assert momentopname(gemeente) == voor


def test_a_past_delivery_date_in_a_call_outcome_is_refused_and_the_gemeente_stays_on_the_call_list(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.NABELLEN, clients=3)
    voor = momentopname(gemeente)

    with pytest.raises(MigratieFout) as fout:
        migratie.registreer_belresultaat(actor(CAK), gemeente, "Gebeld.", date(2022, 10, 4))
    db.session.rollback()

    assert "04-10-2022 15:00 is al voorbij" in fout.value.melding
    assert momentopname(gemeente) == voor


def test_a_call_outcome_without_what_was_agreed_is_refused(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.NABELLEN, clients=3)
    voor = momentopname(gemeente)

    with pytest.raises(MigratieFout) as fout:
        migratie.registreer_belresultaat(actor(CAK), gemeente, "   ", date(2022, 10, 20))
    db.session.rollback()

    assert fout.value.melding == "Vul in wat er met de gemeente is afgesproken."
    assert momentopname(gemeente) == voor


def test_moving_a_planned_timeslot_replaces_its_scheduled_steps(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEPLAND, clients=3)

    migratie.plan_timeslot(actor(BEHEER), gemeente, date(2022, 10, 17))

    assert migratie_rij(gemeente).timeslot == date(2022, 10, 17)
    assert "Verplaatst van de week van 03-10-2022 naar de week van 17-10-2022" in tijdlijn(gemeente)[-1].omschrijving
    assert timeslot_acties(gemeente, status="gepland") == [
        (migratie.Actiesoort.B4_PUBLICEREN, "10-10-2022 10:30"),
        (migratie.Actiesoort.TERUGKOPPELING_TE_LAAT, "13-10-2022 17:00"),
        (migratie.Actiesoort.AANLEVERING_TE_LAAT, "18-10-2022 15:00"),
        (migratie.Actiesoort.AANLEVERRAPPORTAGE, "19-10-2022 10:00")]
    assert [format_moment(a.due_op) for a in geplande_acties(gemeente)
            if a.soort == migratie.Actiesoort.WEKELIJKS and a.status == "gepland"] == ["25-10-2022 10:00"]
    klok_naar(clock, "2022-09-26 10:30")
    assert toestand(gemeente) == T.GEPLAND and bestanden(gemeente) == []
