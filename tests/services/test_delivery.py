"""Receiving a WMO407 (delivery.ontvang_wmo407): store first, levels 0 to 3, apply once, answer with a WMO408."""
from __future__ import annotations

import hashlib
import threading
from datetime import date

import pytest
from sqlalchemy import select

from portal import ieb
from portal.extensions import db
from portal.kalender import lees_moment
from portal.models import (
    Bestand,
    BwPeriode,
    Categorie,
    IdentificatieReservering,
    Ontvangst,
    OntvangstStatus,
    Wmo407Bericht,
)
from portal.services import delivery, migratie, toegang
from portal.toestanden import Toestand
from tests.ieb.berichten import lees_wmo408, voorbeeld
from tests.scenario import (
    CAK,
    MEDEWERKER,
    UTRECHT,
    actor,
    b4_bsns,
    bestanden,
    client,
    client_bsns,
    gemeente_in,
    leverende_gemeente,
    maak_gebruiker,
    mag_aanleveren,
    migratie_rij,
    naar_toestand,
    ontvangsten,
    periode,
    perioden,
    periodestand,
    reserveringen,
    wmo407,
    wmo407_berichten,
)

LEVERANCIER = "koppeling@software.example.nl"


def _ontvangst(ontvangst_id: int) -> Ontvangst:
    db.session.expire_all()
    return db.session.get(Ontvangst, ontvangst_id)


def _wmo408(verwerking) -> bytes:
    return db.session.get(Bestand, verwerking.wmo408_bestand_id).inhoud


def _stuur(afzender_email: str, inhoud: bytes, code: str = "0363", naam: str = "bericht.xml", kanaal: str = "web"):
    return delivery.ontvang_wmo407(actor(afzender_email), code, naam, inhoud, kanaal=kanaal)


def _groepen(verwerking) -> list[tuple[str, list[tuple[str, int | None]]]]:
    """The findings as the uploader sees them: per retourcode, the BSN and BwStartNummer of each place."""
    return [(g["code"], [(p["bsn"], p["bw_startnummer"]) for p in g["plaatsen"]]) for g in verwerking.groepen]


def _retourberichten(gemeente) -> list[Bestand]:
    return bestanden(gemeente, Categorie.RETOURBERICHT)


# ---------------------------------------------------------------- store first, whatever the outcome

def _geaccepteerd(bsns):
    return wmo407("OPSLAG-1", client(bsns[0], periode(36309001)))


def _afgekeurd_niveau3(bsns):
    # a change of a period that was never delivered: 9103
    return wmo407("OPSLAG-2", client(bsns[0], periode(36309002, einde=date(2022, 12, 31), status=2)))


def _afgekeurd_niveau2(bsns):
    return wmo407("OPSLAG-3", client("123456789", periode(36309003)))  # fails the elfproef


def _ongeldig_xsd(bsns):
    return wmo407("OPSLAG-4", client("12345", periode(36309004)))


def _geen_xml(bsns):
    return b"BSN;startdatum\n990363004;01-10-2022\n"


def _met_dtd(bsns):
    bericht = wmo407("OPSLAG-5", client(bsns[0], periode(36309005)))
    kop, rest = bericht.split(b"?>", 1)
    return kop + b'?>\n<!DOCTYPE Bericht [<!ENTITY x "y">]>' + rest


def _andere_afzender(bsns):
    return wmo407("OPSLAG-6", client(bsns[0], periode(36309006)), afzender="0344")


UITKOMSTEN = [
    # (bytes, akkoord given, status of the Ontvangst, outcome, level, a phrase of the Dutch outcome)
    pytest.param(_geaccepteerd, True, OntvangstStatus.VERWERKT, "geaccepteerd", 3, "is geaccepteerd",
                 id="accepted"),
    pytest.param(_afgekeurd_niveau3, True, OntvangstStatus.AFGEKEURD, "afgekeurd", 3, "afgekeurd",
                 id="rejected-level-3"),
    pytest.param(_afgekeurd_niveau2, True, OntvangstStatus.AFGEKEURD, "afgekeurd", 2, "retourcode 0001",
                 id="rejected-level-2"),
    pytest.param(_ongeldig_xsd, True, OntvangstStatus.AFGEKEURD, "ongeldig", 1, "voldoet niet aan XSD",
                 id="xsd-level-1"),
    pytest.param(_geen_xml, True, OntvangstStatus.GEWEIGERD, "geweigerd", 0, "geen goedgevormde XML",
                 id="not-xml-level-0"),
    pytest.param(_met_dtd, True, OntvangstStatus.GEWEIGERD, "geweigerd", 0, "DTD",
                 id="dtd-level-0"),
    pytest.param(_andere_afzender, True, OntvangstStatus.GEWEIGERD, "geweigerd", 0,
                 "de Afzender in het bericht is 0344", id="wrong-afzender-level-0"),
    pytest.param(_geaccepteerd, False, OntvangstStatus.GEWEIGERD, "geweigerd", 0,
                 "nog geen akkoord om aan te leveren", id="no-akkoord-level-0"),
]


@pytest.mark.parametrize("maak, akkoord, status, uitkomst, niveau, zin", UITKOMSTEN)
def test_every_upload_is_kept_byte_for_byte_with_its_receipt_status_and_dutch_outcome(
        app_ctx, clock, maak, akkoord, status, uitkomst, niveau, zin):
    gemeente = mag_aanleveren(clock) if akkoord else gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)
    inhoud = maak(b4_bsns(gemeente))
    clock.set(lees_moment("2022-10-03 11:17"))

    verwerking = _stuur(MEDEWERKER, inhoud, naam="aanlevering oktober.xml", kanaal="api")

    assert (verwerking.uitkomst, verwerking.niveau) == (uitkomst, niveau)
    opgeslagen = _ontvangst(verwerking.ontvangst_id)
    assert opgeslagen.inhoud == inhoud
    assert opgeslagen.sha256 == hashlib.sha256(inhoud).hexdigest() == verwerking.sha256
    assert opgeslagen.grootte == len(inhoud) == verwerking.grootte
    assert opgeslagen.bestandsnaam == "aanlevering oktober.xml"
    assert opgeslagen.gebruiker.email == MEDEWERKER
    assert opgeslagen.gemeente.code == "0363"
    assert opgeslagen.ontvangen_op == lees_moment("2022-10-03 11:17")
    assert opgeslagen.kanaal == "api"
    assert opgeslagen.soort == "WMO407"
    assert opgeslagen.status == status
    assert zin in opgeslagen.uitkomst
    assert opgeslagen.uitkomst == verwerking.melding


def test_an_upload_is_kept_even_when_processing_it_fails(app_ctx, clock, monkeypatch):
    gemeente = mag_aanleveren(clock)
    inhoud = wmo407("KAPOT-1", client(b4_bsns(gemeente)[0], periode(36300001)))

    def kapot(data, **opties):
        raise RuntimeError("de controle valt om")

    monkeypatch.setattr(ieb, "controleer_transport", kapot)
    with pytest.raises(RuntimeError):
        _stuur(MEDEWERKER, inhoud)
    db.session.rollback()

    [opgeslagen] = [o for o in ontvangsten(gemeente) if o.soort == "WMO407"]
    assert opgeslagen.inhoud == inhoud
    assert opgeslagen.status == OntvangstStatus.ONTVANGEN
    assert perioden(gemeente) == []


# ---------------------------------------------------------------- level 0: akkoord and Afzender

def test_a_wmo407_before_the_akkoord_is_kept_refused_in_dutch_and_gets_no_wmo408(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)
    clock.set(lees_moment("2022-09-28 09:00"))
    inhoud = wmo407("VROEG-1", client(b4_bsns(gemeente)[0], periode(36300001)))

    verwerking = _stuur(MEDEWERKER, inhoud)

    assert verwerking.uitkomst == "geweigerd" and verwerking.niveau == 0
    assert "nog geen akkoord om aan te leveren" in verwerking.melding
    assert verwerking.wmo408_bestand_id is None
    assert _ontvangst(verwerking.ontvangst_id).status == OntvangstStatus.GEWEIGERD
    assert _retourberichten(gemeente) == []
    assert wmo407_berichten(gemeente) == []
    assert perioden(gemeente) == []
    assert reserveringen(gemeente) == []


def test_after_the_akkoord_the_refused_message_can_be_sent_again_with_the_same_identificatie(app_ctx, clock):
    gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=3)
    inhoud = wmo407("VROEG-1", client(b4_bsns(gemeente)[0], periode(36300001)))
    assert _stuur(MEDEWERKER, inhoud).uitkomst == "geweigerd"

    migratie.geef_akkoord_aanleveren(actor(CAK), gemeente)
    clock.set(lees_moment("2022-10-03 09:00"))
    tweede = _stuur(MEDEWERKER, inhoud)

    assert tweede.uitkomst == "geaccepteerd", tweede.rapport
    assert reserveringen(gemeente) == ["VROEG-1"]


def test_a_message_with_another_gemeentes_afzender_is_refused_at_level_0_without_naming_that_gemeente(
        app_ctx, clock):
    amsterdam = mag_aanleveren(clock)
    leverende_gemeente("0344", "Utrecht", clients=1)
    inhoud = wmo407("ANDER-1", client(b4_bsns(amsterdam)[0], periode(36300001)), afzender="0344")

    verwerking = _stuur(MEDEWERKER, inhoud)

    assert (verwerking.uitkomst, verwerking.niveau) == ("geweigerd", 0)
    assert "de Afzender in het bericht is 0344" in verwerking.melding
    assert "Amsterdam (0363)" in verwerking.melding
    assert "Utrecht" not in verwerking.melding
    assert verwerking.wmo408_bestand_id is None
    assert _retourberichten(amsterdam) == [] and perioden(amsterdam) == [] and reserveringen(amsterdam) == []


def test_a_supplier_of_both_uploading_with_the_wrong_afzender_is_told_which_gemeente_the_afzender_is(app_ctx,
                                                                                                     clock):
    mag_aanleveren(clock)
    leverende_gemeente("0344", "Utrecht", clients=1)
    maak_gebruiker(LEVERANCIER, "leverancier", ("0363", "0344"))
    inhoud = wmo407("ANDER-2", client("123456782", periode(36300001)), afzender="0344")

    verwerking = _stuur(LEVERANCIER, inhoud)

    assert verwerking.uitkomst == "geweigerd"
    assert "de Afzender in het bericht is 0344 (Utrecht)" in verwerking.melding


def test_a_user_who_may_not_see_the_gemeente_gets_niet_gevonden_and_nothing_is_stored(app_ctx):
    leverende_gemeente("0363", "Amsterdam", clients=1)
    leverende_gemeente("0344", "Utrecht", clients=1)
    inhoud = wmo407("VREEMD-1", client(client_bsns("0363", 1)[0], periode(36300001)))

    with pytest.raises(toegang.NietGevonden):
        _stuur(UTRECHT, inhoud, code="0363")

    assert [o for o in ontvangsten() if o.soort == "WMO407"] == []


@pytest.mark.parametrize("rol", ["cak", "cak_beheerder"])
def test_a_cak_user_may_not_send_a_wmo407_and_nothing_is_stored_or_applied(app_ctx, clock, rol):
    amsterdam = mag_aanleveren(clock)
    maak_gebruiker("iemand@cak.example.nl", rol)
    inhoud = wmo407("CAK-1", client(b4_bsns(amsterdam)[0], periode(36300001)))

    with pytest.raises(toegang.GeenToegang) as weigering:
        _stuur("iemand@cak.example.nl", inhoud)

    assert weigering.value.melding.startswith("Alleen de gemeente of haar softwareleverancier kan een WMO407-bericht "
                                              "sturen.")
    assert [o for o in ontvangsten() if o.soort == "WMO407"] == []
    assert perioden(amsterdam) == [] and _retourberichten(amsterdam) == []


def test_a_regiogemeente_that_does_not_deliver_itself_is_refused_in_dutch(app_ctx):
    leverende_gemeente("0363", "Amsterdam", clients=1, regio=(("0384", "Diemen", 0),))
    maak_gebruiker(LEVERANCIER, "leverancier", ("0363", "0384"))

    verwerking = _stuur(LEVERANCIER, wmo407("REGIO-1", client("123456782", periode(1)), afzender="0384"), code="0384")

    assert (verwerking.uitkomst, verwerking.niveau) == ("geweigerd", 0)
    assert "Diemen levert niet zelf aan" in verwerking.melding
    assert "Amsterdam" in verwerking.melding


# ---------------------------------------------------------------- level 1 and level 2

def test_an_xsd_invalid_message_gets_no_wmo408_and_does_not_use_up_its_identificatie(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    bsn = b4_bsns(gemeente)[0]

    verwerking = _stuur(MEDEWERKER, wmo407("XSD-1", client(bsn, periode(36300001, start=date(2022, 10, 1)),
                                                            ), dagtekening=date(2022, 10, 3)).replace(
        b"<wmo407:BwStartdatum>2022-10-01", b"<wmo407:BwStartdatum>01-10-2022"))

    assert (verwerking.uitkomst, verwerking.niveau) == ("ongeldig", 1)
    assert verwerking.melding.startswith("Bericht voldoet niet aan XSD")
    [bevinding] = verwerking.bevindingen
    assert bevinding["element"] == "BwStartdatum"
    assert bevinding["regel"] > 1
    assert "jjjj-mm-dd" in bevinding["toelichting"]
    assert verwerking.wmo408_bestand_id is None
    assert _retourberichten(gemeente) == [] and wmo407_berichten(gemeente) == [] and reserveringen(gemeente) == []

    verbeterd = _stuur(MEDEWERKER, wmo407("XSD-1", client(bsn, periode(36300001))))
    assert verbeterd.uitkomst == "geaccepteerd"


def test_every_schema_violation_is_reported_with_line_column_element_and_dutch_explanation(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    inhoud = wmo407("XSD-2", client("12345", periode(36300001)), client(b4_bsns(gemeente)[1], periode(36300002))
                    ).replace(b"<wmo407:StatusAanlevering>1<", b"<wmo407:StatusAanlevering>4<", 1)
    regels = inhoud.decode().splitlines()

    verwerking = _stuur(MEDEWERKER, inhoud)

    assert verwerking.niveau == 1
    gevonden = [(b["regel"], b["element"]) for b in verwerking.bevindingen]
    assert gevonden == [
        (next(i for i, r in enumerate(regels, 1) if "<wmo407:Bsn>12345<" in r), "Bsn"),
        (next(i for i, r in enumerate(regels, 1) if "<wmo407:StatusAanlevering>4<" in r), "StatusAanlevering")]
    assert all(isinstance(b["kolom"], int) and b["kolom"] > 0 for b in verwerking.bevindingen)
    assert "9 cijfers" in verwerking.bevindingen[0]["toelichting"]
    assert "1 (eerste aanlevering), 2 (gewijzigde aanlevering) of 3" in verwerking.bevindingen[1]["toelichting"]
    assert "2 fouten" in verwerking.melding


def test_a_wmo408_uploaded_as_if_it_were_a_wmo407_is_refused_at_level_0(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    eerste = _stuur(MEDEWERKER, wmo407("TERUG-1", client(b4_bsns(gemeente)[0], periode(36300001))))

    verwerking = _stuur(MEDEWERKER, _wmo408(eerste), naam="680363_WMO408.xml")

    assert (verwerking.uitkomst, verwerking.niveau) == ("geweigerd", 0)
    assert "Dit bestand is een WMO408" in verwerking.melding
    assert len(_retourberichten(gemeente)) == 1


def test_a_message_rejected_at_level_2_gets_a_header_only_wmo408_with_0001_and_reserves_its_identificatie(
        app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    bsn = b4_bsns(gemeente)[0]

    verwerking = _stuur(MEDEWERKER, wmo407("N2-1", client(bsn, periode(36300001, start=date(2022, 10, 1),
                                                                        einde=date(2022, 9, 1)))))

    assert (verwerking.uitkomst, verwerking.niveau) == ("afgekeurd", 2)
    assert verwerking.header_codes == [("0001", "Bericht is afgekeurd om technische redenen")]
    assert any("CS003" in regel for regel in verwerking.rapport)
    inhoud = lees_wmo408(_wmo408(verwerking))
    assert ieb.valideer_wmo408(_wmo408(verwerking)) == []
    assert inhoud.header_retourcodes == ["0001"]
    assert inhoud.clients == []
    assert perioden(gemeente) == []
    assert reserveringen(gemeente) == ["N2-1"]

    opnieuw = _stuur(MEDEWERKER, wmo407("N2-1", client(bsn, periode(36300001))))
    assert opnieuw.uitkomst == "afgekeurd"
    assert [c for c, _ in opnieuw.header_codes] == ["9056"]
    assert perioden(gemeente) == []


# ---------------------------------------------------------------- accepted

def test_an_accepted_message_registers_every_period_and_places_a_valid_wmo408_in_retourberichten(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    a, b, _ = b4_bsns(gemeente)
    inhoud = wmo407("ACC-0001",
                    client(a, periode(501, start=date(2022, 1, 1), einde=date(2022, 6, 30)), periode(502)),
                    client(b, periode(503)), dagtekening=date(2022, 10, 2))

    verwerking = _stuur(MEDEWERKER, inhoud)

    assert verwerking.uitkomst == "geaccepteerd" and verwerking.geaccepteerd
    assert verwerking.retourcodes == [] and verwerking.header_codes == []
    assert _groepen(verwerking) == [("0200", [(a, 501), (a, 502), (b, 503)])]
    assert verwerking.groepen[0]["uitleg"] == "Deze perioden zijn verwerkt en geregistreerd."
    [bericht] = wmo407_berichten(gemeente)
    assert periodestand(gemeente) == [
        (501, a, date(2022, 1, 1), date(2022, 6, 30), False, bericht.id),
        (502, a, date(2022, 10, 1), None, False, bericht.id),
        (503, b, date(2022, 10, 1), None, False, bericht.id)]
    assert reserveringen(gemeente) == ["ACC-0001"]
    assert _ontvangst(verwerking.ontvangst_id).status == OntvangstStatus.VERWERKT

    [retour] = _retourberichten(gemeente)
    identificatie_retour = bericht.identificatie_retour
    assert 1 <= len(identificatie_retour) <= 12
    assert retour.naam == f"680363_WMO408_{identificatie_retour}.xml" == verwerking.wmo408_naam
    assert retour.id == verwerking.wmo408_bestand_id
    assert ieb.valideer_wmo408(retour.inhoud) == []
    wmo408 = lees_wmo408(retour.inhoud)
    assert wmo408.header == {
        "BerichtCode": "477", "Afzender": "0363", "Identificatie": "ACC-0001", "Dagtekening": "2022-10-02",
        "BasisschemaXsdVersie": "2.0.0", "BerichtXsdVersie": "2.0.0",
        "IdentificatieRetour": identificatie_retour, "DagtekeningRetour": "2022-10-03",
        "RetourBasisschemaXsdVersie": "2.0.0", "RetourBerichtXsdVersie": "2.0.0"}
    assert wmo408.header_retourcodes is None
    assert [(c.bsn, c.retourcodes, [(p.velden, p.retourcodes) for p in c.perioden]) for c in wmo408.clients] == [
        (a, ["0200"], [({"BwStartNummer": "501", "BwStartdatum": "2022-01-01", "BwEinddatum": "2022-06-30",
                         "StatusAanlevering": "1"}, ["0200"]),
                       ({"BwStartNummer": "502", "BwStartdatum": "2022-10-01", "StatusAanlevering": "1"}, ["0200"])]),
        (b, ["0200"], [({"BwStartNummer": "503", "BwStartdatum": "2022-10-01", "StatusAanlevering": "1"},
                        ["0200"])])]


def test_every_wmo408_gets_its_own_identificatie_retour(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    a, b, c = b4_bsns(gemeente)

    for nummer, (identificatie, bsn) in enumerate((("U-1", a), ("U-2", b), ("U-2", c), ("U-3", "123456789"))):
        _stuur(MEDEWERKER, wmo407(identificatie, client(bsn, periode(600 + nummer))))

    namen = [b.naam for b in _retourberichten(gemeente)]
    retouren = [lees_wmo408(b.inhoud).header["IdentificatieRetour"] for b in _retourberichten(gemeente)]
    assert len(namen) == len(set(namen)) == 4
    assert len(set(retouren)) == 4 and all(1 <= len(r) <= 12 for r in retouren)
    assert [f"680363_WMO408_{r}.xml" for r in retouren] == namen


def test_status_2_replaces_status_3_removes_and_then_a_change_of_the_removed_period_gets_9104(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    bsn = b4_bsns(gemeente)[0]
    eerste = _stuur(MEDEWERKER, wmo407("S-1", client(bsn, periode(700))))
    assert eerste.geaccepteerd

    wijziging = _stuur(MEDEWERKER, wmo407("S-2", client(bsn, periode(700, einde=date(2022, 12, 31), status=2))))
    assert wijziging.geaccepteerd, wijziging.rapport
    [gewijzigd] = perioden(gemeente)
    assert (gewijzigd.bw_startdatum, gewijzigd.bw_einddatum, gewijzigd.verwijderd) == (
        date(2022, 10, 1), date(2022, 12, 31), False)
    assert gewijzigd.bericht_id == wijziging.bericht_id

    verwijdering = _stuur(MEDEWERKER, wmo407("S-3", client(bsn, periode(700, einde=date(2022, 12, 31), status=3))))
    assert verwijdering.geaccepteerd, verwijdering.rapport
    [verwijderd] = perioden(gemeente)
    assert verwijderd.verwijderd is True
    assert verwijderd.bericht_id == verwijdering.bericht_id
    voor = periodestand(gemeente)

    te_laat = _stuur(MEDEWERKER, wmo407("S-4", client(bsn, periode(700, einde=date(2023, 3, 31), status=2))))

    assert te_laat.uitkomst == "afgekeurd"
    assert te_laat.retourcodes == ["9104"]
    assert _groepen(te_laat) == [("9104", [(bsn, 700)])]
    assert te_laat.groepen[0]["omschrijving"] == (
        "Een verwijderde aanlevering kan niet gewijzigd of opnieuw verwijderd worden")
    assert periodestand(gemeente) == voor
    assert lees_wmo408(_wmo408(te_laat)).clients[0].perioden[0].retourcodes == ["9104"]


def test_the_reference_example_is_accepted_once_and_the_same_bytes_again_get_9056_and_9404(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    clock.set(lees_moment("2022-10-04 09:00"))
    inhoud = voorbeeld()

    eerste = _stuur(MEDEWERKER, inhoud, naam="wmo407_voorbeeld.xml")
    tweede = _stuur(MEDEWERKER, inhoud, naam="wmo407_voorbeeld.xml")

    assert eerste.uitkomst == "geaccepteerd", eerste.rapport
    assert tweede.uitkomst == "afgekeurd"
    assert eerste.eerder is None
    assert tweede.eerder.tekst == ("Dit bestand is op 04-10-2022 09:00 al ontvangen en verwerkt (uitkomst: "
                                   "geaccepteerd). U hoeft niets te doen.")
    assert _ontvangst(tweede.ontvangst_id).uitkomst.startswith(tweede.eerder.tekst)
    assert tweede.header_codes == [("9056", "Identificatie van het bericht is niet uniek voor deze afzender")]
    assert _groepen(tweede) == [("9056", []), ("9404", [("123456782", 1001)])]
    assert tweede.retourcodes == ["9056", "9404"]
    wmo408 = lees_wmo408(_wmo408(tweede))
    assert ieb.valideer_wmo408(_wmo408(tweede)) == []
    assert wmo408.header_retourcodes == ["9056"]
    assert wmo408.clients[0].perioden[0].retourcodes == ["9404"]
    assert wmo408.clients[0].retourcodes == ["0200"]

    [registratie] = perioden(gemeente)
    assert (registratie.bsn, registratie.bw_startnummer, registratie.bericht_id) == (
        "123456782", 1001, eerste.bericht_id)
    assert reserveringen(gemeente) == ["MIG0363-0001"]
    assert [o.status for o in ontvangsten(gemeente) if o.soort == "WMO407"] == [
        OntvangstStatus.VERWERKT, OntvangstStatus.AFGEKEURD]


def test_two_simultaneous_uploads_of_the_same_bytes_are_applied_once(app, app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    clock.set(lees_moment("2022-10-04 09:00"))
    gemeente_id = gemeente.id
    inhoud = voorbeeld()
    db.session.commit()
    db.session.remove()
    start = threading.Barrier(2, timeout=30)
    uitslagen, fouten = [], []

    def stuur() -> None:
        try:
            with app.app_context():
                afzender = actor(MEDEWERKER)
                start.wait()
                verwerking = delivery.ontvang_wmo407(afzender, "0363", "voorbeeld.xml", inhoud)
                uitslagen.append((verwerking.uitkomst, verwerking.retourcodes, verwerking.eerder is not None))
        except BaseException as fout:
            fouten.append(fout)

    draden = [threading.Thread(target=stuur) for _ in range(2)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(timeout=60)

    assert fouten == []
    # the one judged second says first that the same file was already processed
    assert sorted(uitslagen) == [("afgekeurd", ["9056", "9404"], True), ("geaccepteerd", [], False)]
    db.session.expire_all()
    assert len(db.session.scalars(select(BwPeriode).where(BwPeriode.gemeente_id == gemeente_id)).all()) == 1
    assert len(db.session.scalars(select(Wmo407Bericht).where(Wmo407Bericht.gemeente_id == gemeente_id)).all()) == 2
    assert len(db.session.scalars(select(IdentificatieReservering).where(
        IdentificatieReservering.gemeente_id == gemeente_id)).all()) == 1


def test_one_wrong_period_among_several_clients_rejects_the_whole_message_and_changes_nothing(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    a, b, c = b4_bsns(gemeente)
    assert _stuur(MEDEWERKER, wmo407("M-1", client(a, periode(800)))).geaccepteerd
    voor = periodestand(gemeente)

    verwerking = _stuur(MEDEWERKER, wmo407(
        "M-2", client(b, periode(801)), client(a, periode(800)), client(c, periode(802))))

    assert verwerking.uitkomst == "afgekeurd"
    assert verwerking.retourcodes == ["9404"]
    assert _groepen(verwerking) == [("9404", [(a, 800)]), ("0200", [(b, 801), (c, 802)])]
    assert periodestand(gemeente) == voor
    wmo408 = lees_wmo408(_wmo408(verwerking))
    assert [(k.bsn, k.perioden[0].retourcodes) for k in wmo408.clients] == [
        (b, ["0200"]), (a, ["9404"]), (c, ["0200"])]
    assert _ontvangst(verwerking.ontvangst_id).status == OntvangstStatus.AFGEKEURD
    assert reserveringen(gemeente) == ["M-1", "M-2"]


def test_an_overlapping_period_of_the_same_client_is_rejected_with_9400(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    a = b4_bsns(gemeente)[0]
    assert _stuur(MEDEWERKER, wmo407("O-1", client(a, periode(900)))).geaccepteerd

    verwerking = _stuur(MEDEWERKER, wmo407("O-2", client(a, periode(901, start=date(2022, 11, 1)))))

    assert verwerking.retourcodes == ["9400"]
    assert [p.bw_startnummer for p in perioden(gemeente)] == [900]


# ---------------------------------------------------------------- late

def test_a_message_after_the_tuesday_1500_deadline_is_still_processed_and_marked_te_laat(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    a, b, _ = b4_bsns(gemeente)

    clock.set(lees_moment("2022-10-04 15:00"))
    op_tijd = _stuur(MEDEWERKER, wmo407("L-1", client(a, periode(1000)), dagtekening=date(2022, 10, 4)))
    clock.set(lees_moment("2022-10-04 15:01"))
    laat = _stuur(MEDEWERKER, wmo407("L-2", client(b, periode(1001)), dagtekening=date(2022, 10, 4)))

    assert op_tijd.geaccepteerd and not op_tijd.te_laat
    assert laat.geaccepteerd and laat.te_laat
    assert [bericht.te_laat for bericht in wmo407_berichten(gemeente)] == [False, True]
    assert [p.bsn for p in perioden(gemeente)] == [a, b]
    assert migratie_rij(gemeente).aanlevering_te_laat is True


def test_after_the_switch_to_winter_time_the_deadline_is_still_1500_dutch_time(app_ctx, clock):
    # timeslot 31-10-2022: summer time ended on 30-10, so Tuesday 01-11 15:00 is 14:00 UTC
    gemeente = mag_aanleveren(clock, timeslot=date(2022, 10, 31))
    clock.set(lees_moment("2022-11-01 14:59"))
    a, b, _ = b4_bsns(gemeente)

    op_tijd = _stuur(MEDEWERKER, wmo407("W-1", client(a, periode(1)), dagtekening=date(2022, 11, 1)))
    clock.set(lees_moment("2022-11-01 15:01"))
    laat = _stuur(MEDEWERKER, wmo407("W-2", client(b, periode(2)), dagtekening=date(2022, 11, 1)))

    assert (op_tijd.geaccepteerd, op_tijd.te_laat) == (True, False)
    assert (laat.geaccepteerd, laat.te_laat) == (True, True)


# ---------------------------------------------------------------- keys and identificaties per Afzender; dates

def test_identificatie_and_bw_startnummer_are_unique_per_afzender_not_across_gemeenten(app_ctx, clock):
    amsterdam = leverende_gemeente("0363", "Amsterdam", clients=3)
    utrecht = leverende_gemeente("0344", "Utrecht", clients=3)
    naar_toestand(clock, Toestand.AKKOORD_AANLEVEREN, amsterdam, utrecht)
    clock.set(lees_moment("2022-10-03 09:00"))
    # the same person, placed by both gemeenten in overlapping periods: each Afzender has its own register
    bericht = {"identificatie": "ZELFDE-1", "dagtekening": date(2022, 10, 3)}

    in_amsterdam = _stuur(MEDEWERKER, ieb.wmo407_bytes(afzender="0363", clients=[client("123456782", periode(4242))],
                                                        **bericht))
    in_utrecht = _stuur(UTRECHT, ieb.wmo407_bytes(afzender="0344", clients=[client("123456782", periode(4242))],
                                                    **bericht), code="0344")

    assert in_amsterdam.geaccepteerd, in_amsterdam.rapport
    assert in_utrecht.geaccepteerd, in_utrecht.rapport
    assert [p.bw_startnummer for p in perioden(amsterdam)] == [4242]
    assert [p.bw_startnummer for p in perioden(utrecht)] == [4242]
    assert reserveringen(amsterdam) == reserveringen(utrecht) == ["ZELFDE-1"]


def test_the_wmo408_copies_the_xsd_versions_of_the_wmo407_and_states_its_own(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    inhoud = ieb.wmo407_bytes(afzender="0363", identificatie="VERSIE-1", dagtekening=date(2022, 10, 3),
                              clients=[client(b4_bsns(gemeente)[0], periode(36300001))],
                              basisschema_xsd_versie="2.0.1", bericht_xsd_versie="2.0.3")

    verwerking = _stuur(MEDEWERKER, inhoud)

    assert verwerking.geaccepteerd, verwerking.rapport
    header = lees_wmo408(_wmo408(verwerking)).header
    assert (header["BasisschemaXsdVersie"], header["BerichtXsdVersie"]) == ("2.0.1", "2.0.3")
    assert (header["RetourBasisschemaXsdVersie"], header["RetourBerichtXsdVersie"]) == ("2.0.0", "2.0.0")


def test_just_after_midnight_dutch_time_the_dutch_date_counts_for_dagtekening_and_dagtekening_retour(
        app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    clock.set(lees_moment("2022-10-04 00:30"))  # 03-10-2022 22:30 UTC

    verwerking = _stuur(MEDEWERKER, wmo407("NACHT-1", client(b4_bsns(gemeente)[0], periode(36300001)),
                                            dagtekening=date(2022, 10, 4)))

    assert verwerking.geaccepteerd, verwerking.retourcodes
    assert lees_wmo408(_wmo408(verwerking)).header["DagtekeningRetour"] == "2022-10-04"


def test_a_rejected_first_message_leaves_the_migration_waiting_for_an_accepted_one(app_ctx, clock):
    gemeente = mag_aanleveren(clock)
    afgekeurd = _stuur(MEDEWERKER, wmo407("EERST-1", client(b4_bsns(gemeente)[0], periode(1, status=2))))
    assert afgekeurd.uitkomst == "afgekeurd"
    assert migratie.status(gemeente).toestand == Toestand.AKKOORD_AANLEVEREN

    geaccepteerd = _stuur(MEDEWERKER, wmo407("EERST-2", client(b4_bsns(gemeente)[0], periode(1))))

    assert geaccepteerd.geaccepteerd
    assert migratie.status(gemeente).toestand == Toestand.AANGELEVERD
