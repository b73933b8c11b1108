"""The bimonthly comparison, answered (proces.md section 2, last row): the gemeente's terugkoppeling on the
bimonthly file through the folder's upload, the differences for the CAK, handling them with a note, and the
wrong file recognised both ways."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.kalender import lees_moment
from portal.models import OntvangstStatus
from portal.models.vergelijking import Vergelijking, Verschil
from portal.services import migratie, toegang
from portal.services.audit import Actor
from portal.services.migratie import bestanden as migratiebestanden
from portal.services.migratie.dossier import MigratieFout
from portal.spreadsheets.bestandsvergelijking import write_bestandsvergelijking
from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    BIMAANDELIJKS_BESTAND,
    CAK,
    MEDEWERKER,
    actor,
    b4_bsns,
    b4_van,
    bimaandelijks_bestand,
    elfproef_bsn,
    gemeente_in,
    gemigreerd_met_vergelijking,
    lees_xlsx,
    maak_gebruiker,
    mails,
    ontvangsten,
    stuur_bimaandelijkse_terugkoppeling,
    tijdlijn,
    toestand,
    vul_b4,
)

NIEUW_BSN = elfproef_bsn(123456000)
TOEGEVOEGD = {"A": "0363", "B": NIEUW_BSN, "C": "Nieuw", "E": "B.", "F": date(1980, 5, 5), "L": "J"}


def _bsns(gemeente) -> list[str]:
    [vergelijking] = db.session.scalars(select(Vergelijking).where(Vergelijking.gemeente_id == gemeente.id))
    return [r.bsn for r in vergelijking.regels]


def _antwoord(gemeente, **kwargs):
    """An answer with three differences: the second client died, the third has another reason, one added."""
    bsns = _bsns(gemeente)
    return stuur_bimaandelijkse_terugkoppeling(
        gemeente, {bsns[1]: "O", bsns[2]: "X"},
        extra={bsns[1]: {"M": date(2022, 12, 1)}, bsns[2]: {"N": "Verhuisd naar een instelling in Duitsland"}},
        toegevoegd=[TOEGEVOEGD], **kwargs)


def _open(gemeente) -> list[tuple[str, str]]:
    lijst = migratie.verschillenlijst(actor(CAK).user, gemeente.code)
    return [(v.bsn, "toegevoegd" if v.toegevoegd else v.code) for v in lijst.open]


def test_the_bimonthly_file_keeps_its_rows_as_published_once(app_ctx, clock):
    gemeente = gemigreerd_met_vergelijking(clock)
    bestand = bimaandelijks_bestand(gemeente)
    assert bestand.naam == BIMAANDELIJKS_BESTAND
    rijen = lees_xlsx(bestand.inhoud)["Bestandsvergelijking"]
    gepubliceerd = [r[1] for r in rijen[1:] if r[1]]
    assert _bsns(gemeente) == gepubliceerd == sorted(b4_bsns(gemeente))
    assert {r[8] for r in rijen[1:] if r[1]} == {"IEB"}

    opnieuw, aantal = migratiebestanden.plaats_bimaandelijkse_vergelijking(
        gemeente, bestand.gepubliceerd_op, Actor.job_named("planner"))
    assert (opnieuw.id, aantal) == (bestand.id, 4)
    assert _bsns(gemeente) == gepubliceerd


def test_bimonthly_terugkoppeling_accepted_and_differences_listed(app_ctx, clock):
    gemeente = gemigreerd_met_vergelijking(clock)
    clock.set(lees_moment("2023-01-05 14:00"))
    bsns = _bsns(gemeente)

    uitkomst = _antwoord(gemeente)

    assert uitkomst.geldig, uitkomst.problemen
    assert uitkomst.vergelijking == "02-01-2023"
    assert "antwoord op de tweemaandelijkse bestandsvergelijking van 02-01-2023" in uitkomst.melding
    assert "3 verschillen" in uitkomst.melding
    assert uitkomst.aantallen["J"] == 3 and uitkomst.aantallen["O"] == 1 and uitkomst.aantallen["X"] == 1
    assert _open(gemeente) == [(bsns[1], "O"), (bsns[2], "X"), (NIEUW_BSN, "toegevoegd")]
    lijst = migratie.verschillenlijst(actor(CAK).user, gemeente.code)
    [overleden, anders, nieuw] = lijst.open
    assert overleden.einddatum_gemeente == date(2022, 12, 1) and overleden.datum_start_bw == date(2022, 10, 1)
    assert anders.toelichting == "Verhuisd naar een instelling in Duitsland"
    assert (nieuw.geslachtsnaam, nieuw.geboortedatum, nieuw.datum_start_bw) == ("Nieuw", date(1980, 5, 5), None)
    # No state change, no akkoord: only an event on the timeline, and a receipt mail to the uploader.
    assert toestand(gemeente) == Toestand.GEMIGREERD
    assert "3 verschillen" in tijdlijn(gemeente, "bimaandelijkse_terugkoppeling")[-1].omschrijving
    [_migratie, brief] = mails("Terugkoppeling ontvangen", gemeente)
    assert brief.aan == [MEDEWERKER]
    assert BIMAANDELIJKS_BESTAND in brief.tekst and "Verschillen voor het CAK" in brief.tekst
    [upload] = ontvangsten(gemeente, "bimaandelijkse_terugkoppeling")
    assert upload.status == OntvangstStatus.VERWERKT and upload.bestandsnaam == "antwoord_bimaandelijks.xlsx"
    bewijs = migratie.ontvangstbewijs(actor(MEDEWERKER).user, gemeente.code, upload.id)
    assert bewijs.geldig and bewijs.vergelijking == "02-01-2023"
    assert [g.gemeente.code for g in migratie.verschillenoverzicht(actor(CAK).user)] == ["0363"]


def test_an_invalid_bimonthly_answer_is_reported_per_row_and_changes_nothing(app_ctx, clock):
    gemeente = gemigreerd_met_vergelijking(clock)
    assert _antwoord(gemeente).geldig
    bsns = _bsns(gemeente)
    voor = _open(gemeente)

    uitkomst = stuur_bimaandelijkse_terugkoppeling(gemeente, {bsns[0]: "Q", bsns[3]: "U"})

    assert not uitkomst.geldig
    assert {(p["rij"], p["kolom"]) for p in uitkomst.problemen} == {(2, "L"), (5, "M")}
    assert "02-01-2023" in uitkomst.melding and "Er is niets gewijzigd" in uitkomst.melding
    assert _open(gemeente) == voor
    assert ontvangsten(gemeente, "bimaandelijkse_terugkoppeling")[-1].status == OntvangstStatus.AFGEKEURD
    assert len(mails("Terugkoppeling ontvangen", gemeente)) == 2  # the migration's and the first answer's


def test_a_difference_handled_shows_its_note_and_the_open_count_drops(app_ctx, clock):
    gemeente = gemigreerd_met_vergelijking(clock)
    _antwoord(gemeente)
    [eerste, *_] = migratie.verschillenlijst(actor(CAK).user, gemeente.code).open
    assert migratie.aantal_open_verschillen(gemeente) == 3
    clock.set(lees_moment("2023-01-09 11:15"))

    migratie.handel_verschil_af(actor(CAK), gemeente.code, eerste.id, "  Registratie beëindigd per 01-12-2022.  ")

    lijst = migratie.verschillenlijst(actor(BEHEER).user, gemeente.code)
    assert len(lijst.open) == 2 and migratie.aantal_open_verschillen(gemeente) == 2
    [afgehandeld] = lijst.afgehandeld
    assert (afgehandeld.id, afgehandeld.notitie, afgehandeld.afgehandeld_door) == (
        eerste.id, "Registratie beëindigd per 01-12-2022.", CAK)
    with pytest.raises(MigratieFout, match="al afgehandeld op 09-01-2023 11:15 door " + CAK):
        migratie.handel_verschil_af(actor(BEHEER), gemeente.code, eerste.id, "nog eens")
    with pytest.raises(MigratieFout, match="Vul een notitie in"):
        migratie.handel_verschil_af(actor(CAK), gemeente.code, lijst.open[0].id, "   ")


@pytest.mark.parametrize("rol, mag", [("cak", True), ("cak_beheerder", True), ("gemeente", False),
                                      ("gemeente_beheerder", False), ("leverancier", False)])
def test_only_the_cak_sees_and_handles_the_differences(app_ctx, clock, rol, mag):
    gemeente = gemigreerd_met_vergelijking(clock)
    _antwoord(gemeente)
    verschil = db.session.scalars(select(Verschil)).first()
    assert verschil is not None
    wie = maak_gebruiker(f"{rol}@test.example.nl", rol, gemeenten=() if rol.startswith("cak") else ("0363",))

    if mag:
        migratie.handel_verschil_af(Actor(user=wie), "0363", verschil.id, "Gecontroleerd")
        assert migratie.aantal_open_verschillen(gemeente) == 2
        assert migratie.exporteer_verschillen(Actor(user=wie), "0363").inhoud
        return
    for poging in (lambda: migratie.handel_verschil_af(Actor(user=wie), "0363", verschil.id, "Gecontroleerd"),
                   lambda: migratie.verschillenlijst(wie, "0363"),
                   lambda: migratie.verschillenoverzicht(wie),
                   lambda: migratie.exporteer_verschillen(Actor(user=wie), "0363")):
        with pytest.raises(toegang.NietGevonden):
            poging()
    db.session.rollback()
    assert migratie.aantal_open_verschillen(gemeente) == 3


def test_a_new_answer_replaces_the_open_differences_and_keeps_the_handled_ones(app_ctx, clock):
    gemeente = gemigreerd_met_vergelijking(clock)
    bsns = _bsns(gemeente)
    _antwoord(gemeente)
    eerste = migratie.verschillenlijst(actor(CAK).user, gemeente.code).open[0]
    migratie.handel_verschil_af(actor(CAK), gemeente.code, eerste.id, "Gebeld met de gemeente")
    clock.set(lees_moment("2023-01-10 09:00"))

    assert stuur_bimaandelijkse_terugkoppeling(gemeente, {bsns[3]: "N"}).geldig

    lijst = migratie.verschillenlijst(actor(CAK).user, gemeente.code)
    assert _open(gemeente) == [(bsns[3], "N")]
    assert [v.notitie for v in lijst.afgehandeld] == ["Gebeld met de gemeente"]
    assert lijst.aantal_vervangen == 2


def test_the_export_holds_open_and_handled_differences_with_the_note(app_ctx, clock):
    gemeente = gemigreerd_met_vergelijking(clock)
    bsns = _bsns(gemeente)
    _antwoord(gemeente)
    eerste = migratie.verschillenlijst(actor(CAK).user, gemeente.code).open[0]
    clock.set(lees_moment("2023-01-09 11:15"))
    migratie.handel_verschil_af(actor(CAK), gemeente.code, eerste.id, "=Registratie beëindigd")

    export = migratie.exporteer_verschillen(actor(CAK), gemeente.code)

    assert export.naam == "680363_Verschillen_BW_20230109.xlsx"
    bladen = lees_xlsx(export.inhoud)
    assert list(bladen) == ["Verschillen", "Toelichting"]
    kop, *rijen = bladen["Verschillen"]
    rijen_per_bsn = {r[1]: dict(zip(kop, r, strict=True)) for r in rijen}
    assert set(rijen_per_bsn) == {bsns[1], bsns[2], NIEUW_BSN}
    assert rijen_per_bsn[bsns[1]]["AFGEHANDELD"] == "J"
    assert rijen_per_bsn[bsns[1]]["NOTITIE"] == "=Registratie beëindigd"
    assert rijen_per_bsn[bsns[2]]["VERSCHIL"] == "X" and rijen_per_bsn[bsns[2]]["AFGEHANDELD"] == "N"
    assert rijen_per_bsn[NIEUW_BSN]["VERSCHIL"] == "toegevoegd"
    assert any("klopt" in str(cel) for rij in bladen["Toelichting"] for cel in rij)


def test_the_migration_b4_uploaded_for_the_bimonthly_answer_is_refused_naming_the_expected_file(app_ctx, clock):
    gemeente = gemigreerd_met_vergelijking(clock)
    inhoud = vul_b4(b4_van(gemeente).inhoud)

    uitkomst = migratie.ontvang_terugkoppeling(actor(MEDEWERKER), gemeente.code, "oud.xlsx", inhoud)

    assert not uitkomst.geldig
    assert "bestandsvergelijking van de migratie" in uitkomst.melding
    assert f"tweemaandelijkse bestandsvergelijking {BIMAANDELIJKS_BESTAND} van 02-01-2023" in uitkomst.melding
    assert ontvangsten(gemeente, "bimaandelijkse_terugkoppeling")[-1].status == OntvangstStatus.AFGEKEURD
    assert _open_zonder_antwoord(gemeente)


def _open_zonder_antwoord(gemeente) -> bool:
    return migratie.verschillenlijst(actor(CAK).user, gemeente.code).antwoord is None


def test_a_bimonthly_file_uploaded_while_the_migration_terugkoppeling_is_expected_names_the_b4(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
    rijen = [r.__class__(**{**r.__dict__, "bron": "IEB"}) for r in migratie.dossier.b4_rijen(b4_van(gemeente))]
    inhoud = vul_b4(write_bestandsvergelijking(rijen, created_at=lees_moment("2023-01-02 10:30")))

    uitkomst = migratie.ontvang_terugkoppeling(actor(MEDEWERKER), gemeente.code, BIMAANDELIJKS_BESTAND, inhoud)

    assert not uitkomst.geldig
    assert "tweemaandelijkse bestandsvergelijking" in uitkomst.melding
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx" in uitkomst.melding
    assert toestand(gemeente) == Toestand.BV_GEPUBLICEERD
    assert ontvangsten(gemeente, "terugkoppeling")[-1].status == OntvangstStatus.AFGEKEURD


def test_a_migrated_gemeente_without_a_bimonthly_file_hears_when_the_next_one_comes(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.GEMIGREERD)
    inhoud = vul_b4(b4_van(gemeente).inhoud)

    uitkomst = migratie.ontvang_terugkoppeling(actor(MEDEWERKER), gemeente.code, "terugkoppeling.xlsx", inhoud)

    assert not uitkomst.geldig
    assert "Er wacht geen bestandsvergelijking op een terugkoppeling" in uitkomst.melding
    assert "02-01-2023 10:30" in uitkomst.melding
    [upload] = ontvangsten(gemeente, "bimaandelijkse_terugkoppeling")
    assert upload.status == OntvangstStatus.GEWEIGERD and upload.sha256
