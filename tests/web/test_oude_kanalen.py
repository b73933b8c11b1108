"""The page of the old channels as its users see it: each channel's state, the H&V lookup and form, the
uploads with their receipts, the lists; the Excel template round trip from the folder; access per role."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Bestand, Categorie
from portal.services import kanalen, storage
from portal.services.audit import Actor
from portal.services.migratie import b4
from portal.spreadsheets.mutaties import TEMPLATE_FILENAME
from tests.mutatiebestanden import (
    BSN_DE_VRIES,
    BSN_JANSEN,
    NA,
    VOOR,
    formulier,
    record60,
    record60_bestand,
    rij,
    sjabloon,
    vul_in,
)
from tests.scenario import (
    CAK,
    MEDEWERKER,
    client_bsns,
    gemeente_met_code,
    leverende_gemeente,
    pagina,
    sessietoken,
    tabelrijen,
    tekst,
)

URL = "/gemeenten/0363/oude-kanalen/"


@pytest.fixture
def amsterdam(app):
    with app.app_context():
        gemeente = leverende_gemeente("0363", "Amsterdam", clients=2)
        storage.plaats_bestand(gemeente, storage.NieuwBestand(
            categorie=Categorie.SJABLOON, naam=TEMPLATE_FILENAME, inhoud=sjabloon(), mediatype=storage.XLSX),
            Actor.job_named("test"))
        db.session.commit()
    return gemeente


def post_bestand(client, soort: str, inhoud: bytes, naam: str, htmx: bool = False):
    data = {"bestand": (io.BytesIO(inhoud), naam), "csrf_token": sessietoken(client, URL)}
    return client.post(f"{URL}{soort}", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def test_the_excel_template_round_trip_download_fill_in_upload_accepted_and_the_client_in_the_b4(
        app, amsterdam, session):
    session.login(MEDEWERKER)
    boom = pagina(session.client.get(URL))
    [link] = boom.xpath('//a[@data-testid="sjabloon"]')
    assert tekst(link) == TEMPLATE_FILENAME
    download = session.client.get(link.get("href"))
    assert download.status_code == 200
    ingevuld = vul_in([rij(), rij(bsn=BSN_DE_VRIES, geslachtsnaam="Vries", voorvoegsel="de")], leeg=download.data)
    antwoord = post_bestand(session.client, "excel", ingevuld, "ingevuld.xlsx")
    assert antwoord.status_code == 303
    bewijs = session.client.get(antwoord.headers["Location"])
    inhoud = tekst(pagina(bewijs))
    assert "Excel (aan- en afmeldlijst): aangenomen 2 mutaties zijn aangenomen en verwerkt" in inhoud
    assert "ingevuld.xlsx" in inhoud and storage.sha256(ingevuld) in inhoud and f"van {MEDEWERKER}" in inhoud
    with app.app_context():
        rijen = {r.bsn: r for r in b4.clienten(gemeente_met_code("0363"))}
    assert (rijen[BSN_JANSEN].bron, rijen[BSN_JANSEN].datum_start_bw) == ("EXCEL", VOOR)
    assert BSN_DE_VRIES in rijen
    [de_vries, jansen] = tabelrijen(pagina(session.client.get(URL)).xpath('//table[@data-testid="mutaties"]')[0])
    assert jansen == ["19-09-2022 09:00", MEDEWERKER, "Excel (aan- en afmeldlijst)",
                      f"START BSN {BSN_JANSEN} (J. Jansen), gemeente 0363, start 15-09-2022"]
    assert de_vries[3].startswith(f"START BSN {BSN_DE_VRIES} (J. de Vries)")


def test_a_bad_60_record_gets_a_receipt_with_every_line_and_position_and_shows_in_the_refused_list(
        amsterdam, session):
    session.login(MEDEWERKER)
    antwoord = post_bestand(session.client, "record60",
                            record60_bestand(record60("123456789"), record60(start="2022091X")), "fout.txt")
    bewijs = pagina(session.client.get(antwoord.headers["Location"]))
    [eerste, tweede] = tabelrijen(bewijs.xpath('//table[@data-testid="problemen"]')[0])
    assert eerste[:2] == ["1", "posities 7-15 (BSN)"] and eerste[2].startswith("Het BSN 123456789 is niet geldig")
    assert tweede[:2] == ["2", "posities 17-24 (datum start BW)"]
    assert tweede[2].startswith("'2022091X' is geen geldige datum")
    [weigering] = tabelrijen(pagina(session.client.get(URL)).xpath('//table[@data-testid="weigeringen"]')[0])
    assert weigering[1:5] == [MEDEWERKER, "60-record (tekstbestand)", "fout.txt", "afgekeurd"]
    assert weigering[5].startswith("Het bestand is niet aangenomen: 2 problemen gevonden. Er is niets gewijzigd.")


def test_an_htmx_upload_answers_the_outcome_in_place_and_refreshes_the_lists(amsterdam, session):
    session.login(MEDEWERKER)
    bsn = client_bsns("0363", 2)[0]
    antwoord = post_bestand(session.client, "record60",
                            record60_bestand(record60(bsn, soort="E", start="20180101", einde="20220915")),
                            "stop.txt", htmx=True)
    assert antwoord.status_code == 200
    html = antwoord.get_data(as_text=True)
    assert "60-record (tekstbestand): aangenomen" in tekst(html)
    assert 'id="oude-kanalen-lijsten"' in html and 'hx-swap-oob="true"' in html
    assert f"STOP BSN {bsn}" in tekst(html) and "einde 15-09-2022" in tekst(html)


def test_the_hv_lookup_shows_the_registration_and_prefills_the_form_and_a_post_redirects_to_the_receipt(
        amsterdam, session):
    session.login(MEDEWERKER)
    bsn = client_bsns("0363", 2)[0]
    assert "vanaf 01-01-2018" not in tekst(pagina(session.client.get(f"{URL}?bsn={bsn}")))  # never from the address
    boom = pagina(session.post(URL, {"bsn": bsn}))
    assert "vanaf 01-01-2018, lopend" in tekst(boom.xpath('//table[@data-testid="registratie"]')[0])
    assert boom.xpath('//input[@name="geslachtsnaam"]')[0].get("value") == "Cliënt000"
    assert boom.xpath('//input[@name="datum_start_bw"]')[0].get("value") == "01-01-2018"
    velden = formulier(bsn=bsn, soort_mutatie="STOP", datum_start_bw="01-01-2018", datum_einde_bw=VOOR)
    antwoord = session.post(f"{URL}hv", velden, form_url=URL)
    assert antwoord.status_code == 303
    assert "H&V-app (webformulier): aangenomen" in tekst(pagina(session.client.get(antwoord.headers["Location"])))


def test_a_plain_hv_post_with_problems_answers_422_with_each_message_at_its_field(amsterdam, session):
    session.login(MEDEWERKER)
    antwoord = session.post(f"{URL}hv", formulier(bsn="123456789", aanbieder_naam=""), form_url=URL)
    assert antwoord.status_code == 422
    boom = pagina(antwoord)
    assert "Het BSN 123456789 is niet geldig" in tekst(boom.xpath('//p[@id="bsn-fout"]')[0])
    assert "AANBIEDER_NAAM ontbreekt" in tekst(boom.xpath('//p[@id="aanbieder_naam-fout"]')[0])
    assert boom.xpath('//input[@id="bsn"]')[0].get("value") == "123456789"
    assert boom.xpath('//*[@data-testid="foutoverzicht"]')


def test_after_closing_the_page_says_so_per_channel_and_a_late_hv_mutation_is_refused(app, amsterdam, session):
    with app.app_context():
        kanalen.sluit_oude_kanalen(gemeente_met_code("0363"), Actor.job_named("test"))
        db.session.commit()
    session.login(MEDEWERKER)
    boom = pagina(session.client.get(URL))
    for kanaal in ("HV_APP", "EXCEL", "RECORD60"):
        stand = tekst(boom.xpath(f'//*[@data-testid="stand-{kanaal}"]')[0])
        assert stand.startswith("Stand: gesloten sinds 19-09-2022")
        assert "meld andere aan- en afmeldingen met een WMO407-bericht" in tekst(
            boom.xpath(f'//*[@data-testid="regel-{kanaal}"]')[0])
    antwoord = session.post(f"{URL}hv", formulier(datum_start_bw=NA), form_url=URL)
    assert antwoord.status_code == 422
    assert "Meld deze cliënt aan of af met een WMO407-bericht." in tekst(pagina(antwoord))


def test_every_input_of_the_page_says_its_type_so_the_bsn_lookup_box_is_styled_as_a_text_field(amsterdam, session):
    session.login(MEDEWERKER)
    boom = pagina(session.client.get(URL))
    assert boom.xpath('//input[@id="zoek-bsn"]/@type') == ["text"]
    assert boom.xpath("//input[not(@type)]") == []


@pytest.mark.parametrize("rol", ["cak", "cak_beheerder"])
def test_the_cak_reads_the_page_without_forms_and_a_post_is_refused(amsterdam, session, rol):
    session.login(CAK if rol == "cak" else "beheer@cak.example.nl")
    boom = pagina(session.client.get(URL))
    assert "Alleen de gemeente of haar softwareleverancier kan mutaties insturen." in tekst(
        boom.xpath('//*[@data-testid="alleen-inzien"]')[0])
    assert not boom.xpath('//input[@type="file"]') and not boom.xpath('//input[@name="geslachtsnaam"]')
    antwoord = post_bestand(session.client, "excel", vul_in([rij()]), "cak.xlsx")
    assert "Alleen de gemeente of haar softwareleverancier kan mutaties insturen." in tekst(
        pagina(session.client.get(antwoord.headers["Location"])))


def test_the_folder_links_to_the_old_channels_and_another_gemeente_gets_404(app, amsterdam, session):
    with app.app_context():
        leverende_gemeente("0344", "Utrecht", clients=0)
    session.login(MEDEWERKER)
    assert session.client.get("/gemeenten/0344/oude-kanalen/").status_code == 404
    assert post_bestand(session.client, "excel", vul_in([rij()]), "x.xlsx").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Bestand).where(Bestand.naam == TEMPLATE_FILENAME)) is not None


def test_an_upload_without_a_file_answers_422_with_the_message(amsterdam, session):
    session.login(MEDEWERKER)
    antwoord = session.client.post(f"{URL}excel", data={"csrf_token": sessietoken(session.client, URL)})
    assert antwoord.status_code == 422
    assert "Kies een bestand om te uploaden." in tekst(pagina(antwoord))
