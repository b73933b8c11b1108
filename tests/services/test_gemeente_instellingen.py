"""A gemeente's settings set by the CAK (issue 9, points 6 and 7): who may, the rules per field, the audit
trail, and the region switch of a regiogemeente that starts delivering itself."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, B4Regel, BwPeriode
from portal.services import gemeenten, kanalen, migratie
from portal.services.audit import Actor
from portal.services.gemeenten import Instellingen, InstellingenFout
from portal.services.toegang import NietGevonden
from portal.toestanden import Toestand
from tests.scenario import (
    BEHEER,
    CAK,
    actor,
    b4_van,
    gemeente_met_code,
    klok_naar,
    leverende_gemeente,
    maak_gebruiker,
    naar_toestand,
    tijdlijn,
    toestand,
)

JOB = Actor.job_named("opdrachtregel")


@pytest.fixture
def regio(app_ctx):
    """Amsterdam (3 clients) delivers for Diemen (2 clients); Utrecht is another centrumgemeente."""
    amsterdam = leverende_gemeente("0363", "Amsterdam", 3, regio=(("0384", "Diemen", 2),))
    leverende_gemeente("0344", "Utrecht", 2)
    return amsterdam


def _fout(actor_: Actor, code: str, **velden: object) -> dict[str, str]:
    with pytest.raises(InstellingenFout) as fout:
        gemeenten.zet_instellingen(actor_, code, Instellingen(**velden))  # type: ignore[arg-type]
    db.session.rollback()
    return fout.value.fouten


# ---------------------------------------------------------------- who may

def test_a_cak_beheerder_and_a_job_may_change_settings_and_every_change_is_audited_with_old_and_new(regio):
    wijzigingen = gemeenten.zet_instellingen(actor(BEHEER), "0363", Instellingen(
        prefix="680999", contact_naam="Piet Jansen", contact_email="piet@amsterdam.example.nl",
        contact_telefoon="020 555 1234"))
    assert [w.tekst for w in wijzigingen] == [
        "bestandsprefix: 680363 → 680999", "contactpersoon: Contact Amsterdam → Piet Jansen",
        "e-mailadres contactpersoon: bw@amsterdam.example.nl → piet@amsterdam.example.nl",
        "telefoonnummer contactpersoon: 010-5550000 → 020 555 1234"]
    gemeenten.zet_instellingen(JOB, "0363", Instellingen(startnummer=36300001, prefix="680999"))  # nothing differs

    amsterdam = gemeente_met_code("0363")
    assert (amsterdam.bestandsprefix, amsterdam.contact_naam) == ("680999", "Piet Jansen")
    audits = db.session.scalars(select(AuditEvent).where(AuditEvent.actie == "gemeente_instelling_gewijzigd")
                                .order_by(AuditEvent.id)).all()
    assert len(audits) == 4
    assert (audits[0].actor, audits[0].details) == (BEHEER, {"veld": "bestandsprefix", "van": "680363",
                                                             "naar": "680999"})
    [regel] = tijdlijn(amsterdam, "instellingen")
    assert regel.omschrijving.startswith("Instellingen gewijzigd door het CAK: bestandsprefix: 680363 → 680999;")


def test_a_plain_cak_user_is_refused_with_a_dutch_message(regio):
    assert _fout(actor(CAK), "0363", prefix="680999") == {
        "": "Alleen een beheerder van het CAK kan de instellingen van een gemeente wijzigen. Vraag een beheerder om "
            "de wijziging door te voeren."}
    assert gemeente_met_code("0363").bestandsprefix == "680363"


@pytest.mark.parametrize("rol", ["gemeente", "gemeente_beheerder", "leverancier"])
def test_a_gemeente_or_supplier_user_finds_no_settings_at_all(regio, rol):
    maak_gebruiker(f"{rol}@amsterdam.example.nl", rol, ("0363",))
    with pytest.raises(NietGevonden):
        gemeenten.zet_instellingen(actor(f"{rol}@amsterdam.example.nl"), "0363", Instellingen(prefix="680999"))
    assert gemeente_met_code("0363").bestandsprefix == "680363"


# ---------------------------------------------------------------- the rules

def test_a_startnummer_whose_block_overlaps_another_gemeente_is_refused_naming_that_gemeente(regio):
    assert _fout(JOB, "0363", startnummer=34450000) == {"startnummer": (
        "Het startnummer 34450000 is geweigerd: het blok 34450000 t/m 34549999 overlapt met het blok van Utrecht "
        "(0344), 34400001 t/m 34500000. Kies een startnummer waarvan het blok geen ander blok raakt.")}
    gemeenten.zet_instellingen(JOB, "0363", Instellingen(startnummer=34500001))  # just after Utrecht's block
    assert gemeente_met_code("0363").bw_startnummer == 34500001


def test_every_wrong_field_is_reported_at_once_and_nothing_changes(regio):
    fouten = _fout(JOB, "0363", startnummer="-5", prefix="68a", regio="0363", contact_email="geen-adres",
                   contact_telefoon="bel me")
    assert set(fouten) == {"startnummer", "prefix", "regio", "contact_email", "contact_telefoon"}
    assert fouten["startnummer"].startswith("Het startnummer '-5' is geen positief geheel getal;")
    assert fouten["prefix"] == "Het bestandsprefix '68a' is ongeldig: gebruik 4 tot 10 cijfers, standaard 680363."
    assert fouten["regio"] == "Amsterdam kan niet haar eigen centrumgemeente zijn; kies een andere centrumgemeente."
    assert gemeente_met_code("0363").bw_startnummer == 36300001


def test_a_centrumgemeente_must_be_a_centrumgemeente(regio):
    assert _fout(JOB, "0344", regio="0384") == {
        "regio": "Diemen (0384) is geen centrumgemeente; kies de centrumgemeente van de regio."}
    assert _fout(JOB, "0384", regio="9999") == {
        "regio": "Er is geen gemeente met code 9999; vul de code van een centrumgemeente in."}
    assert "centrumgemeente van een regio" in _fout(JOB, "0363", regio="0344")["regio"]
    gemeenten.zet_instellingen(JOB, "0384", Instellingen(regio="0344"))
    assert gemeente_met_code("0384").centrumgemeente.code == "0344"


def test_levert_zelf_aan_needs_a_startnummer_of_its_own(regio):
    assert _fout(JOB, "0384", levert_zelf_aan=True) == {"levert_zelf_aan": (
        "Een gemeente die zelf aanlevert heeft een eigen eerste BwStartNummer; vul het startnummer van Diemen in.")}
    assert _fout(JOB, "0363", levert_zelf_aan=True) == {"levert_zelf_aan": (
        "Een centrumgemeente levert altijd zelf aan; 'levert zelf aan' geldt alleen voor een regiogemeente.")}


# ---------------------------------------------------------------- the region switch

def _stand(*codes: str) -> dict[str, dict]:
    db.session.expire_all()
    stand = {}
    for code in codes:
        gemeente = gemeente_met_code(code)
        b4 = migratie.laatste_b4(gemeente) if gemeente.levert_aan else None
        stand[code] = {
            "registraties": set(db.session.scalars(select(BwPeriode.bsn).where(BwPeriode.gemeente_id == gemeente.id))),
            "b4": set(db.session.scalars(select(B4Regel.bsn).where(B4Regel.bestand_id == b4.id))) if b4 else set(),
        }
    return stand


def test_a_regiogemeente_that_delivers_itself_takes_its_registrations_along_nothing_double_or_lost(regio, clock):
    naar_toestand(clock, Toestand.GEMIGREERD, regio)
    klok_naar(clock, "2022-10-06 09:00")
    voor = _stand("0363", "0384")
    assert (len(voor["0363"]["registraties"]), len(voor["0384"]["registraties"])) == (5, 0)
    assert (len(voor["0363"]["b4"]), len(voor["0384"]["b4"])) == (5, 0)
    diemen_bsns = set(db.session.scalars(select(B4Regel.bsn).where(B4Regel.gemeentecode == "0384")))

    gemeenten.zet_instellingen(actor(BEHEER), "0384", Instellingen(startnummer=38400001, levert_zelf_aan=True))

    na = _stand("0363", "0384")
    assert (len(na["0363"]["registraties"]), len(na["0384"]["registraties"])) == (3, 2)
    assert na["0384"]["registraties"] == diemen_bsns
    assert not na["0363"]["registraties"] & na["0384"]["registraties"]
    assert na["0363"]["registraties"] | na["0384"]["registraties"] == voor["0363"]["registraties"]
    assert (len(na["0363"]["b4"]), len(na["0384"]["b4"])) == (3, 2)
    assert na["0384"]["b4"] == diemen_bsns and not na["0363"]["b4"] & na["0384"]["b4"]
    amsterdam, diemen = gemeente_met_code("0363"), gemeente_met_code("0384")
    assert b4_van(diemen).naam == "680384_B4_Bestandsvergelijking_20221006.xlsx"
    assert b4_van(amsterdam).naam == "680363_B4_Bestandsvergelijking_20221006.xlsx"
    # Diemen's clients are in iEb already: its own migration starts as taken over, with Amsterdam's channels.
    assert toestand(diemen) == Toestand.GEMIGREERD
    assert {k.kanaal: k.open for k in kanalen.stand(diemen)} == {k.kanaal: k.open for k in kanalen.stand(amsterdam)}
    assert kanalen.is_open(diemen, kanalen.Kanaalsoort.IEB)
    [overname] = [g for g in tijdlijn(diemen) if g.naar_toestand == Toestand.GEMIGREERD]
    assert overname.omschrijving.startswith("Overgenomen van de centrumgemeente Amsterdam")
    for gemeente in (amsterdam, diemen):
        [wissel] = tijdlijn(gemeente, "regiowissel")
        assert "2 registraties van 2 cliënten overgezet van Amsterdam naar Diemen." in wissel.omschrijving

    # Switching back is refused now that Diemen has registrations of its own.
    assert _fout(JOB, "0384", levert_zelf_aan=False) == {"levert_zelf_aan": (
        "Diemen heeft al eigen registraties (WMO407); terug naar aanleveren via de centrumgemeente kan daarom "
        "niet meer.")}


def test_a_regiogemeente_before_its_centrums_week_starts_unplanned_and_may_switch_back(regio):
    gemeenten.zet_instellingen(JOB, "0384", Instellingen(startnummer=38400001, levert_zelf_aan=True))
    diemen = gemeente_met_code("0384")
    assert diemen.levert_aan and toestand(diemen) == Toestand.NIET_GEPLAND
    assert migratie.laatste_b4(diemen) is None

    gemeenten.zet_instellingen(JOB, "0384", Instellingen(levert_zelf_aan=False))
    assert not gemeente_met_code("0384").levert_aan


def test_the_switch_is_refused_while_the_centrums_migration_week_runs(regio, clock):
    naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, regio)
    assert _fout(JOB, "0384", startnummer=38400001, levert_zelf_aan=True) == {"levert_zelf_aan": (
        "De migratie van Amsterdam loopt (toestand 'akkoord om aan te leveren'). Laat Diemen zelf aanleveren zodra "
        "Amsterdam is gemigreerd.")}
    assert not gemeente_met_code("0384").levert_aan
    assert gemeente_met_code("0384").bw_startnummer is None
