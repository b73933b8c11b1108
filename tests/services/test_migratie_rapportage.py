"""Wednesday's aanleverrapportage, the verdict, the verslag with the CAK's approval and the closing of the
old channels (proces.md sections 2, 4 and 5; bestanden.md "Aanleverrapportage" and "Verslag")."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.extensions import db
from portal.kalender import format_moment, lees_moment
from portal.services import delivery, kanalen, migratie, planner
from portal.services.audit import Actor
from portal.toestanden import Toestand
from tests.scenario import (
    CAK,
    CONTACT,
    MEDEWERKER,
    actor,
    b4_bsns,
    bestanden,
    client,
    elfproef_bsn,
    gebruiker,
    gemeente_in,
    geplande_acties,
    klok_naar,
    lees_xlsx,
    mails,
    migratie_rij,
    momentopname,
    periode,
    stuur_gegenereerde_wmo407,
    stuur_wmo407,
    tijdlijn,
    toestand,
    wmo407,
)

RAPPORT = "680363_AanleverrapportageBW_20221005.xlsx"
VERSLAG = "680363_Verslag_Migratie_20221005.xlsx"


def _tabel(rijen: list[tuple], kop: int = 0) -> list[dict]:
    namen = rijen[kop]
    return [dict(zip(namen, rij, strict=True)) for rij in rijen[kop + 1:]]


def _rapport(gemeente):
    [bestand] = bestanden(gemeente, "aanleverrapportage")
    return bestand, lees_xlsx(bestand.inhoud)


@pytest.fixture
def gemeente(app_ctx, clock):
    """Four clients marked J, all delivered on Monday by the portal-made WMO407; on Monday also one
    message rejected at level 3 and one that is not valid XML for the schema (level 1)."""
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    clock.set(lees_moment("2022-10-03 09:00"))
    stuur_gegenereerde_wmo407(gemeente)
    clock.set(lees_moment("2022-10-03 09:10"))
    assert stuur_wmo407(gemeente, client(b4_bsns(gemeente)[0], periode(36300099, status=2)),
                   naam="correctie.xml").uitkomst == "afgekeurd"
    clock.set(lees_moment("2022-10-03 09:20"))
    ongeldig = wmo407("VEEL-TE-LANGE-ID", client(b4_bsns(gemeente)[1], periode(36300098)))
    assert delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", "ongeldig.xml", ongeldig).niveau == 1
    klok_naar(clock, "2022-10-04 15:00")
    return gemeente


def test_the_wednesday_aanleverrapportage_appears_in_the_folder_with_its_three_sheets(gemeente, clock):
    klok_naar(clock, "2022-10-05 10:00")

    bestand, bladen = _rapport(gemeente)
    assert bestand.naam == RAPPORT
    assert format_moment(bestand.gepubliceerd_op) == "05-10-2022 10:00"
    assert bestand.gemaakt_door_job == "planner"
    assert list(bladen) == ["Berichten", "Productafname", "Aansluiting", "Toelichting"]
    bsns = b4_bsns(gemeente)

    berichten = _tabel(bladen["Berichten"])
    assert [(r["BSN"], r["BW_STARTNUMMER"], r["RETOURCODES"], r["RESULTAAT"]) for r in berichten] == [
        (bsns[0], 36300001, "0200", "goedgekeurd"), (bsns[1], 36300002, "0200", "goedgekeurd"),
        (bsns[2], 36300003, "0200", "goedgekeurd"), (bsns[3], 36300004, "0200", "goedgekeurd"),
        (bsns[0], 36300099, "9103, 9400", "afgekeurd"), (None, None, None, "afgekeurd")]
    assert berichten[0]["BERICHT_IDENTIFICATIE"] == "MIG0363-0001"
    assert berichten[0]["ONTVANGEN_OP"] == datetime(2022, 10, 3, 9, 0)
    assert berichten[0]["BW_STARTDATUM"] == datetime(2022, 10, 1)
    assert "9103: Wijzigen zonder eerdere aanlevering" in berichten[4]["OMSCHRIJVING"]
    assert berichten[5]["BERICHT_IDENTIFICATIE"] and "XSD" in berichten[5]["OMSCHRIJVING"]

    productafname = _tabel(bladen["Productafname"])
    assert [(r["BSN"], r["EIGEN_BIJDRAGE_OPGELEGD"], r["SOORT_BIJDRAGE"], r["INGANGSDATUM_EIGEN_BIJDRAGE"])
            for r in productafname] == [
        (bsns[0], "J", "HEB", datetime(2022, 10, 1)), (bsns[1], "J", "LEB", datetime(2022, 10, 1)),
        (bsns[2], "J", "HEB", datetime(2022, 10, 1)), (bsns[3], "J", "LEB", datetime(2022, 10, 1))]

    aansluiting = bladen["Aansluiting"]
    assert aansluiting[0][0] == "Oordeel: correct. Alle 4 verwachte cliënten zijn ontvangen met de juiste BwStartdatum."
    assert [(r["BSN"], r["TERUGKOPPELING"], r["ONTVANGEN"], r["UITKOMST"]) for r in _tabel(aansluiting, kop=1)] == [
        (bsn, "J", "J", "ok") for bsn in bsns]


def test_a_correct_report_is_mailed_and_asks_the_cak_to_give_akkoord(gemeente, clock):
    klok_naar(clock, "2022-10-05 10:00")

    stand = migratie.status(gemeente)
    assert stand.toestand == Toestand.GERAPPORTEERD
    assert stand.actie_nodig == "aanlevering correct: akkoord geven"
    assert migratie.open_belactie(gemeente) is None
    [mail] = mails("Aanleverrapportage geplaatst")
    assert mail.aan == [CONTACT, MEDEWERKER]
    assert mail.onderwerp == "Aanleverrapportage geplaatst voor Amsterdam (0363)"
    assert RAPPORT in mail.tekst and "Oordeel: correct" in mail.tekst
    acties = migratie.mogelijke_acties(migratie_rij(gemeente), gebruiker(CAK))
    assert [a.naam for a in acties] == ["goedkeuren"]


def test_an_incorrect_report_puts_the_gemeente_on_the_call_list_with_the_differences(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
    bsns = b4_bsns(gemeente)
    clock.set(lees_moment("2022-10-03 09:00"))
    stuur_wmo407(gemeente, client(bsns[0], periode(36300001)),
                 client(bsns[1], periode(36300002, start=date(2022, 9, 1))))

    klok_naar(clock, "2022-10-05 10:00")

    assert toestand(gemeente) == Toestand.NABELLEN
    _, bladen = _rapport(gemeente)
    assert bladen["Aansluiting"][0][0] == ("Oordeel: niet correct. 1 van de 4 cliënten ok; verschillen: "
                                           "2 ontbreekt, 1 afwijkende_startdatum.")
    assert {r["BSN"]: r["UITKOMST"] for r in _tabel(bladen["Aansluiting"], kop=1)} == {
        bsns[0]: "ok", bsns[1]: "afwijkende_startdatum", bsns[2]: "ontbreekt", bsns[3]: "ontbreekt"}
    belactie = migratie.open_belactie(gemeente)
    assert format_moment(belactie.aangemaakt_op) == "05-10-2022 10:00"
    assert {v["bsn"]: v["uitkomst"] for v in belactie.verschillen["verschillen"]} == {
        bsns[1]: "afwijkende_startdatum", bsns[2]: "ontbreekt", bsns[3]: "ontbreekt"}
    assert belactie.verschillen["correct"] is False
    assert [m.naam for m in migratie.mogelijke_acties(migratie_rij(gemeente), gebruiker(CAK))] == [
        "belresultaat", "goedkeuren"]
    [mail] = mails("Aanleverrapportage geplaatst")
    assert "Oordeel: niet correct" in mail.tekst


def test_the_report_is_frozen_when_made_while_the_aansluiting_follows_later_messages(gemeente, clock):
    klok_naar(clock, "2022-10-05 10:00")
    bestand, _ = _rapport(gemeente)
    clock.set(lees_moment("2022-10-05 10:30"))

    onverwacht = elfproef_bsn(444555000)
    assert stuur_wmo407(gemeente, client(onverwacht, periode(36300050))).geaccepteerd
    klok_naar(clock, "2022-10-05 11:00")

    nu_bestand, bladen = _rapport(gemeente)
    assert (nu_bestand.id, nu_bestand.sha256) == (bestand.id, bestand.sha256)
    assert onverwacht not in [r["BSN"] for r in _tabel(bladen["Aansluiting"], kop=1)]
    assert migratie_rij(gemeente).aansluiting["aantallen"]["onverwacht"] == 1


def test_the_approval_places_the_verslag_and_attaches_it_to_the_approval_mail(gemeente, clock):
    klok_naar(clock, "2022-10-05 10:00")
    clock.set(lees_moment("2022-10-05 13:45"))

    migratie.keur_aanlevering_goed(actor(CAK), gemeente)

    [verslag] = bestanden(gemeente, "verslag")
    assert verslag.naam == VERSLAG and format_moment(verslag.gepubliceerd_op) == "05-10-2022 13:45"
    bladen = lees_xlsx(verslag.inhoud)
    assert list(bladen)[:2] == ["Samenvatting", "Aansluiting"]
    samenvatting = dict(rij[:2] for rij in bladen["Samenvatting"][1:])
    assert samenvatting["Gemeente"] == "0363 Amsterdam"
    assert samenvatting["Timeslot (maandag)"] == datetime(2022, 10, 3)
    assert samenvatting["Cliënten in de bestandsvergelijking"] == 4
    assert samenvatting["Verwacht (code J)"] == 4 and samenvatting["Cliënten ontvangen"] == 4
    assert samenvatting["Aansluiting ok"] == 4 and samenvatting["Aansluiting ontbreekt"] == 0
    assert samenvatting["Akkoord gegeven door"] == CAK
    assert samenvatting["Akkoord gegeven op"] == datetime(2022, 10, 5, 13, 45)
    assert samenvatting["Geaccepteerde afwijking"] == "geen"
    assert bladen["Aansluiting"][0][0].startswith("Oordeel: correct")
    [mail] = mails("Akkoord op aanlevering")
    assert [(b.naam, b.inhoud) for b in mail.bijlagen] == [(VERSLAG, verslag.inhoud)]
    assert mail.onderwerp == "Akkoord op de aanlevering van Amsterdam (0363)"


def test_approving_after_a_later_unexpected_message_needs_a_reason(gemeente, clock):
    klok_naar(clock, "2022-10-05 10:00")
    clock.set(lees_moment("2022-10-05 11:00"))
    assert stuur_wmo407(gemeente, client(elfproef_bsn(444555000), periode(36300050))).geaccepteerd
    voor = momentopname(gemeente)

    with pytest.raises(migratie.MigratieFout) as fout:
        migratie.keur_aanlevering_goed(actor(CAK), gemeente)
    db.session.rollback()

    assert fout.value.melding.startswith("De aanlevering wijkt af (1 cliënten niet 'ok').")
    assert momentopname(gemeente) == voor
    migratie.keur_aanlevering_goed(actor(CAK), gemeente, reden="Cliënt verhuisd naar Amsterdam.")
    assert toestand(gemeente) == Toestand.GEMIGREERD


def test_the_next_tick_after_the_approval_closes_the_three_old_channels_once(gemeente, clock):
    klok_naar(clock, "2022-10-05 10:00")
    clock.set(lees_moment("2022-10-05 13:45"))
    migratie.keur_aanlevering_goed(actor(CAK), gemeente)
    assert [(k.kanaal, k.open) for k in kanalen.stand(gemeente)] == [
        ("IEB", True), ("HV_APP", True), ("EXCEL", True), ("RECORD60", True)]

    uitgevoerd = klok_naar(clock, "2022-10-05 13:46")

    assert [(u.soort, u.resultaat) for u in uitgevoerd] == [
        (migratie.Actiesoort.SLUIT_OUDE_KANALEN, "gesloten: HV_APP, EXCEL, RECORD60")]
    stand = {k.kanaal: (k.open, k.sinds and format_moment(k.sinds)) for k in kanalen.stand(gemeente)}
    assert stand == {"IEB": (True, "28-09-2022 10:00"), "HV_APP": (False, "05-10-2022 13:45"),
                     "EXCEL": (False, "05-10-2022 13:45"), "RECORD60": (False, "05-10-2022 13:45")}
    [event] = tijdlijn(gemeente, "kanalen_gesloten")
    assert (event.door, format_moment(event.op)) == ("planner", "05-10-2022 13:45")
    assert "H&V-app" in event.omschrijving and "60-record" in event.omschrijving
    assert "WMO407" in kanalen.weigering_oud_kanaal(gemeente, kanalen.Kanaalsoort.EXCEL, [date(2022, 10, 10)])
    assert kanalen.weigering_oud_kanaal(gemeente, kanalen.Kanaalsoort.EXCEL, [date(2022, 9, 15)]) is None

    # Closing again, by a second scheduled action or directly, changes nothing.
    voor = momentopname(gemeente)
    planner.plan(gemeente, migratie.Actiesoort.SLUIT_OUDE_KANALEN, clock.now())
    db.session.commit()
    opnieuw = klok_naar(clock, "2022-10-05 13:50")
    assert [(u.soort, u.resultaat) for u in opnieuw] == [(migratie.Actiesoort.SLUIT_OUDE_KANALEN, "al gesloten")]
    assert kanalen.sluit_oude_kanalen(gemeente, Actor.job_named("test"), clock.now()) == []
    db.session.commit()
    na = momentopname(gemeente)
    assert na["kanalen"] == voor["kanalen"] and na["tijdlijn"] == voor["tijdlijn"]


def test_the_old_channels_stay_open_until_the_delivery_is_approved(gemeente, clock):
    klok_naar(clock, "2022-10-05 10:00")

    klok_naar(clock, "2022-10-06 10:00")

    assert [(k.kanaal, k.open) for k in kanalen.stand(gemeente)] == [
        ("IEB", True), ("HV_APP", True), ("EXCEL", True), ("RECORD60", True)]
    assert migratie.Actiesoort.SLUIT_OUDE_KANALEN not in [a.soort for a in geplande_acties(gemeente)]


def test_a_report_for_a_moved_delivery_date_is_made_on_the_day_after_it(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD)
    klok_naar(clock, "2022-09-30 12:00")
    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente, aanleverdatum=date(2022, 10, 6))

    dinsdag = klok_naar(clock, "2022-10-04 15:00")
    woensdag = klok_naar(clock, "2022-10-05 10:00")

    assert [(u.soort, u.resultaat) for u in dinsdag + woensdag] == [
        (migratie.Actiesoort.AKKOORD_TE_LAAT, "op tijd"),
        (migratie.Actiesoort.AANLEVERING_TE_LAAT, "aanleverdatum verschoven"),
        (migratie.Actiesoort.AANLEVERRAPPORTAGE, "overgeslagen: er geldt een latere aanleverdatum")]
    assert bestanden(gemeente, "aanleverrapportage") == []
    assert migratie.status(gemeente).vlaggen == []
    clock.set(lees_moment("2022-10-06 11:00"))
    stuur_gegenereerde_wmo407(gemeente)

    klok_naar(clock, "2022-10-07 10:00")

    assert [b.naam for b in bestanden(gemeente, "aanleverrapportage")] == [
        "680363_AanleverrapportageBW_20221007.xlsx"]
    assert toestand(gemeente) == Toestand.GERAPPORTEERD
    assert migratie.status(gemeente).vlaggen == []
