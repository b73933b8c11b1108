"""Sending a WMO407 through the folder page, with htmx and as a plain form."""
from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from portal import ieb
from portal.extensions import db
from portal.ieb import constants
from portal.ieb.niveau2_regels import GROEPSUITLEG as NIVEAU2_UITLEG
from portal.ieb.niveau3_regels import GROEPSUITLEG as NIVEAU3_UITLEG
from portal.kalender import lees_moment
from portal.models import Bestand, Ontvangst, OntvangstStatus
from portal.services import migratie
from portal.toestanden import Toestand
from portal.web import grootte
from tests.conftest import Session
from tests.ieb.berichten import lees_wmo408
from tests.scenario import (
    CAK,
    MEDEWERKER,
    UTRECHT,
    actor,
    akkoord_moment,
    b4_bsns,
    bsn_zoekknop,
    client,
    element,
    elfproef_bsns,
    formuliertoken,
    fragment,
    gemeente_in,
    gemeente_met_code,
    groep,
    leverende_gemeente,
    mag_aanleveren,
    pagina,
    periode,
    tabelrijen,
    tekst,
    upload,
    wmo407,
)


@pytest.fixture
def bsns(app, clock) -> list[str]:
    """Amsterdam (0363) may deliver; Utrecht (0344) exists with its own user. The clock: 03-10-2022 09:00."""
    with app.app_context():
        amsterdam = mag_aanleveren(clock)
        leverende_gemeente("0344", "Utrecht", clients=1)
        return b4_bsns(amsterdam)


@pytest.fixture
def amsterdam_en_utrecht(app) -> None:
    """Amsterdam and Utrecht, each with its own user; nothing planned."""
    with app.app_context():
        leverende_gemeente("0363", "Amsterdam", clients=1)
        leverende_gemeente("0344", "Utrecht", clients=1)


def groot_wmo407(grootte_: int, identificatie: str = "GROOT-1") -> bytes:
    """A well-formed, schema-valid WMO407 of exactly `grootte_` bytes, padded with comments of 1 MB each.

    (One comment of more than 10 MB would be refused by the XML parser for its own reasons.)
    """
    basis = wmo407(identificatie, client("123456782", periode(1001)))
    sluit = basis.rindex(b"</")
    opvulling, leeg = [], b"<!--  -->\n"
    over = grootte_ - len(basis)
    while over > 0:
        stuk = min(over, 1024 * 1024)
        if stuk < len(leeg):
            opvulling.append(b" " * stuk)
            break
        opvulling.append(b"<!-- " + b"x" * (stuk - len(leeg)) + b" -->\n")
        over -= stuk
    return basis[:sluit] + b"".join(opvulling) + basis[sluit:]


def _bevindingen(uitkomst) -> list[tuple[str, str, str | None, list[list[str]]]]:
    """Each group of findings as the user sees it: its heading, its one explanation, the summary of its
    folded list of BSNs and the rows of that list."""
    gevonden = []
    for sectie_ in uitkomst.xpath('.//section[contains(@class, "retourcode-bevinding")]'):
        samenvatting = sectie_.xpath("./details/summary")
        lijst = sectie_.xpath("./details//table")
        gevonden.append((tekst(sectie_.xpath("./*[1]")[0]), tekst(sectie_.xpath("./p")[0]),
                         tekst(samenvatting[0]) if samenvatting else None, tabelrijen(lijst[0]) if lijst else []))
    return gevonden


def _ontvangsten(app) -> list[Ontvangst]:
    with app.app_context():
        rijen = db.session.scalars(select(Ontvangst).where(Ontvangst.soort == "WMO407").order_by(Ontvangst.id)).all()
        for rij in rijen:
            rij.inhoud  # noqa: B018 - load the deferred column while the session is open
        db.session.expunge_all()
        return list(rijen)


def test_an_htmx_upload_shows_the_accepted_result_in_place_and_the_wmo408_in_retourberichten(
        app, session, bsns):
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0001", client(bsns[0], periode(36300001)), client(bsns[1], periode(36300002)))

    response = upload(session.client, "wmo407", inhoud, "aanlevering.xml")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<h1" not in html
    boom = fragment(response)
    [uitkomst] = boom.xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht geaccepteerd WEB-0001"
    assert "Het bericht is geaccepteerd: 2 cliënten en 2 perioden zijn verwerkt." in tekst(uitkomst)
    assert _bevindingen(uitkomst) == [
        ("0200 Geen opmerking", "Deze perioden zijn verwerkt en geregistreerd.",
         "2 perioden van 2 cliënten: toon de BSN's", [[bsns[0], "36300001", "19"], [bsns[1], "36300002", "27"]])]
    assert uitkomst.xpath(".//details[@open]") == []
    [link] = uitkomst.xpath('.//a[@data-testid="wmo408-link"]')
    assert link.text.startswith("680363_WMO408_") and link.text.endswith(".xml")
    bonnetje = tekst(uitkomst.xpath('.//p[contains(@class, "klein")]')[0])
    assert f"aanlevering.xml, {grootte(len(inhoud))}, ontvangen 03-10-2022 09:00" in bonnetje
    assert hashlib.sha256(inhoud).hexdigest() in bonnetje

    [bestanden] = boom.xpath('//*[@id="bestanden"]')
    assert bestanden.get("hx-swap-oob") == "true"
    retour = groep(bestanden, "Retourberichten")
    assert tekst(retour.xpath("./h3")[0]) == "Retourberichten (1)"
    [bestandslink] = retour.xpath(".//a")
    assert (bestandslink.text, bestandslink.get("href")) == (link.text, link.get("href"))
    [status] = boom.xpath('//*[@id="migratie-status"]')
    assert status.get("hx-swap-oob") == "true"
    assert tekst(status.xpath('.//*[@data-testid="toestand"]')[0]) == "aangeleverd"

    download = session.client.get(link.get("href"))
    assert download.status_code == 200
    assert link.text in download.headers["Content-Disposition"]
    assert ieb.valideer_wmo408(download.data) == []
    assert lees_wmo408(download.data).header["Identificatie"] == "WEB-0001"


def test_a_rejected_htmx_upload_shows_each_code_with_its_meaning_one_explanation_and_the_bsns_folded(
        app, session, bsns):
    session.login(MEDEWERKER)
    assert "Bericht geaccepteerd" in upload(session.client, "wmo407", wmo407(
        "WEB-0002", client(bsns[0], periode(36300001))), "eerste.xml").get_data(as_text=True)
    inhoud = wmo407("WEB-0002B", client(bsns[0], periode(36300001)), client(bsns[1], periode(36300002)))

    response = upload(session.client, "wmo407", inhoud, "tweede.xml")

    boom = fragment(response)
    [uitkomst] = boom.xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert uitkomst.get("role") == "alert"
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht afgekeurd WEB-0002B"
    assert "retourcodes 9404" in tekst(uitkomst)
    assert _bevindingen(uitkomst) == [
        ("9404 Er bestaat al een aanlevering met dit BwStartNummer (TR404)", NIVEAU3_UITLEG["TR404"],
         "1 periode van 1 cliënt: toon de BSN's", [[bsns[0], "36300001", "19"]]),
        ("0200 Geen opmerking", "Bij deze perioden is niets gevonden, maar ze zijn niet geregistreerd: het hele "
         "bericht is afgekeurd. Neem ze ongewijzigd op in het verbeterde bericht.",
         "1 periode van 1 cliënt: toon de BSN's", [[bsns[1], "36300002", "27"]])]
    assert tekst(bsn_zoekknop(uitkomst, bsns[0])) == bsns[0]
    retour = groep(boom.xpath('//*[@id="bestanden"]')[0], "Retourberichten")
    assert tekst(retour.xpath("./h3")[0]) == "Retourberichten (2)"
    [link] = uitkomst.xpath('.//a[@data-testid="wmo408-link"]')
    assert link.text in tekst(retour)


def test_a_finding_of_300_clients_is_one_explanation_with_a_folded_list_of_300_bsns(app, session, bsns):
    session.login(MEDEWERKER)
    driehonderd = elfproef_bsns(300, 100_000_000)
    perioden = [client(bsn, periode(36310000 + i)) for i, bsn in enumerate(driehonderd)]
    assert "Bericht geaccepteerd" in upload(session.client, "wmo407", wmo407("VEEL-1", *perioden),
                                            "eerste.xml").get_data(as_text=True)

    response = upload(session.client, "wmo407", wmo407("VEEL-2", *perioden), "tweede.xml")

    [uitkomst] = fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]')
    [(kop, _, samenvatting, rijen)] = _bevindingen(uitkomst)
    assert kop == "9404 Er bestaat al een aanlevering met dit BwStartNummer (TR404)"
    assert tekst(uitkomst).count(NIVEAU3_UITLEG["TR404"]) == 1
    assert tekst(uitkomst).count("TR404") == 1
    assert samenvatting == "300 perioden van 300 cliënten: toon de BSN's"
    assert [rij[0] for rij in rijen] == driehonderd
    assert uitkomst.xpath(".//details[@open]") == []


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_the_same_file_twice_says_first_that_it_was_received_and_processed_and_is_still_answered_with_9056(
        app, session, bsns, clock, htmx):
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0010", client(bsns[0], periode(36300001)), client(bsns[1], periode(36300002)))
    eerste = fragment(upload(session.client, "wmo407", inhoud, "aanlevering.xml"))
    [eerste_link] = eerste.xpath('//*[@data-testid="wmo407-uitkomst"]//a[normalize-space()="details"]')
    clock.set(lees_moment("2022-10-03 09:30"))

    response = upload(session.client, "wmo407", inhoud, "aanlevering (1).xml", htmx=htmx)

    if not htmx:     # without JavaScript: redirected to the message's own page, which says it first
        detail = pagina(session.client.get(response.headers["Location"]))
        assert tekst(detail.xpath('//div[contains(@class, "melding")]')[0]).startswith(
            "afgekeurd Dit bestand is op 03-10-2022 09:00 al ontvangen en verwerkt (uitkomst: geaccepteerd). "
            "U hoeft niets te doen.")
        return
    [uitkomst] = fragment(response).xpath('.//*[@data-testid="wmo407-uitkomst"]')
    eerst = uitkomst.xpath("./*[1]")[0]
    assert eerst.get("data-testid") == "al-ontvangen"
    assert tekst(eerst) == ("Dit bestand is op 03-10-2022 09:00 al ontvangen en verwerkt (uitkomst: geaccepteerd). "
                            "U hoeft niets te doen. Bekijk het eerdere bericht WEB-0010.")
    assert eerst.xpath(".//a")[0].get("href") == eerste_link.get("href")
    assert uitkomst.get("role") == "status"
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht afgekeurd WEB-0010"
    assert "is dit tweede exemplaar afgekeurd met retourcodes 9056 en 9404" in tekst(uitkomst)
    [herhaling] = uitkomst.xpath('./details[contains(@class, "retourbericht-herhaling")]')
    assert herhaling.get("open") is None
    assert [kop for kop, *_ in _bevindingen(herhaling)] == [
        "9056 Identificatie van het bericht is niet uniek voor deze afzender (TR056)",
        "9404 Er bestaat al een aanlevering met dit BwStartNummer (TR404)"]
    [link] = uitkomst.xpath('.//a[@data-testid="wmo408-link"]')
    assert lees_wmo408(session.client.get(link.get("href")).data).header_retourcodes == ["9056"]

    detail = pagina(session.client.get(uitkomst.xpath('.//a[normalize-space()="details"]')[0].get("href")))
    assert tekst(detail.xpath('//div[contains(@class, "melding")]')[0]).startswith(
        "afgekeurd Dit bestand is op 03-10-2022 09:00 al ontvangen en verwerkt (uitkomst: geaccepteerd). "
        "U hoeft niets te doen.")


def test_a_rejected_file_sent_again_is_told_that_sending_it_again_changes_nothing(app, session, bsns, clock):
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0011", client(bsns[0], periode(36300001, status=2)))
    upload(session.client, "wmo407", inhoud, "wijziging.xml")
    clock.set(lees_moment("2022-10-03 10:15"))

    [uitkomst] = fragment(upload(session.client, "wmo407", inhoud, "wijziging.xml")).xpath(
        '//*[@data-testid="wmo407-uitkomst"]')

    assert uitkomst.get("role") == "alert"
    assert tekst(uitkomst.xpath('./*[@data-testid="al-ontvangen"]')[0]).startswith(
        "Dit bestand is op 03-10-2022 09:00 al ontvangen en verwerkt (uitkomst: afgekeurd, retourcodes 9103). "
        "Hetzelfde bestand nog eens sturen verandert daar niets aan: verbeter het bericht en lever het aan met een "
        "nieuwe Identificatie.")


def test_a_file_refused_before_the_akkoord_and_sent_again_after_it_is_processed_without_a_note(app, session, clock):
    with app.app_context():
        gemeente = gemeente_in(clock, Toestand.TERUGGEKOPPELD, clients=1)
        bsn = b4_bsns(gemeente)[0]
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0012", client(bsn, periode(36300001)), dagtekening=date(2022, 9, 27))
    assert "Bericht geweigerd" in upload(session.client, "wmo407", inhoud, "te-vroeg.xml").get_data(as_text=True)
    with app.app_context():
        clock.set(akkoord_moment())
        migratie.geef_akkoord_aanleveren(actor(CAK), gemeente_met_code("0363"))

    [uitkomst] = fragment(upload(session.client, "wmo407", inhoud, "te-vroeg.xml")).xpath(
        '//*[@data-testid="wmo407-uitkomst"]')

    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht geaccepteerd WEB-0012"
    assert uitkomst.xpath('.//*[@data-testid="al-ontvangen"]') == []


def test_a_plain_form_upload_is_redirected_to_the_message_with_its_wmo408_and_a_reload_sends_nothing(
        app, session, bsns):
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0003", client(bsns[0], periode(36300001)))

    response = upload(session.client, "wmo407", inhoud, "zonder-javascript.xml", htmx=False)

    assert response.status_code == 303
    for _ in range(2):      # the receipt, and the same page reloaded
        boom = pagina(session.client.get(response.headers["Location"]))
        assert tekst(boom.xpath("//h1")[0]) == "Bericht WEB-0003"
        assert "geaccepteerd" in tekst(boom.xpath('//*[contains(@class, "melding")]')[0])
        assert "zonder-javascript.xml" in tekst(boom) and hashlib.sha256(inhoud).hexdigest() in tekst(boom)
    [link] = [a for a in boom.xpath("//a") if (a.text or "").startswith("R0")]
    map_ = pagina(session.client.get("/gemeenten/0363/"))
    retour = groep(element(map_, "bestanden"), "Retourberichten")
    assert [a.text for a in retour.xpath(".//a")] == [f"680363_WMO408_{link.text}.xml"]
    assert tekst(element(map_, "migratie-status").xpath('.//*[@data-testid="toestand"]')[0]) == "aangeleverd"
    assert len(_ontvangsten(app)) == 1


def test_an_xsd_invalid_file_shows_line_element_and_a_dutch_explanation_and_gets_no_wmo408(app, session, bsns):
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0004", client("12345", periode(36300001)))

    for htmx in (True, False):
        response = upload(session.client, "wmo407", inhoud, "fout.xml", htmx=htmx)
        if htmx:
            [uitkomst] = fragment(response).xpath('.//*[@data-testid="wmo407-uitkomst"]')
            assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht voldoet niet aan XSD"
            assert "Er is geen retourbericht (WMO408) gemaakt" in tekst(uitkomst)
            tabel = uitkomst.xpath(".//table")[0]
        else:
            boom = pagina(session.client.get(response.headers["Location"]))
            assert "Bericht voldoet niet aan XSD" in tekst(boom)
            tabel = boom.xpath('//h2[text()="Bevindingen"]/following-sibling::*[1]//table')[0]
        [[regel, kolom, element_naam, uitleg]] = tabelrijen(tabel)
        assert regel == str(inhoud.decode().splitlines().index(
            next(r for r in inhoud.decode().splitlines() if "<wmo407:Bsn>" in r)) + 1)
        assert kolom.isdigit()
        assert element_naam == "Bsn"
        assert "een BSN bestaat uit precies 9 cijfers" in uitleg
    with app.app_context():
        assert db.session.scalars(select(Bestand).where(Bestand.categorie == "retourbericht")).all() == []
    assert [o.status for o in _ontvangsten(app)] == [OntvangstStatus.AFGEKEURD] * 2


def test_an_upload_without_csrf_token_is_refused_with_400_and_nothing_is_stored(app, session, bsns):
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0005", client(bsns[0], periode(36300001)))

    met_htmx = upload(session.client, "wmo407", inhoud, "bericht.xml", token=False)
    zonder_htmx = upload(session.client, "wmo407", inhoud, "bericht.xml", token=False, htmx=False)

    assert met_htmx.status_code == zonder_htmx.status_code == 400
    assert "Formulier verlopen of onvolledig" in zonder_htmx.get_data(as_text=True)
    assert _ontvangsten(app) == []


def test_a_post_without_a_file_asks_for_one_in_dutch_and_stores_nothing(app, session, bsns):
    session.login(MEDEWERKER)
    token = formuliertoken(session.client, "/gemeenten/0363/", "wmo407")

    response = session.client.post("/gemeenten/0363/wmo407", data={"wmo407-csrf_token": token},
                                   content_type="multipart/form-data", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Kies een bestand om te uploaden." in tekst(fragment(response))
    assert _ontvangsten(app) == []


def test_a_file_over_25_mb_is_stored_and_refused_at_level_0_with_a_dutch_size_reason(app, session, bsns):
    session.login(MEDEWERKER)
    inhoud = groot_wmo407(26 * 1024 * 1024)

    response = upload(session.client, "wmo407", inhoud, "groot.xml")

    assert response.status_code == 200
    [uitkomst] = fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht geweigerd"
    zichtbaar = tekst(uitkomst)
    assert "Het bestand is 26,0 MB groot; de grens is 25 MB per bestand." in zichtbaar
    assert "26,0 MB" in zichtbaar and hashlib.sha256(inhoud).hexdigest() in zichtbaar
    [opgeslagen] = _ontvangsten(app)
    assert opgeslagen.inhoud == inhoud
    assert (opgeslagen.grootte, opgeslagen.status) == (len(inhoud), OntvangstStatus.GEWEIGERD)
    assert "de grens is 25 MB" in opgeslagen.uitkomst


def test_a_file_of_exactly_25_mb_passes_the_size_check(app, session, bsns):
    session.login(MEDEWERKER)
    inhoud = groot_wmo407(25 * 1024 * 1024)
    assert len(inhoud) == 25 * 1024 * 1024

    response = upload(session.client, "wmo407", inhoud, "precies25.xml")

    [uitkomst] = fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht geaccepteerd GROOT-1"


def test_another_gemeentes_folder_answers_404_to_an_upload_and_stores_nothing(app, session, amsterdam_en_utrecht):
    session.login(UTRECHT)
    token = session.csrf("/gemeenten/0344/")   # the session's token, as any form of the page carries it

    response = session.client.post(
        "/gemeenten/0363/wmo407", content_type="multipart/form-data",
        data={"wmo407-csrf_token": token,
              "wmo407-bestand": (io.BytesIO(wmo407("VREEMD-1", client("123456782", periode(1)))), "x.xml")})

    assert response.status_code == 404
    assert _ontvangsten(app) == []


def test_the_receipt_leads_to_the_details_and_the_upload_downloads_byte_for_byte(app, session, bsns):
    session.login(MEDEWERKER)
    inhoud = b"\xef\xbb\xbf" + wmo407("WEB-0006", client(bsns[0], periode(36300001)))

    response = upload(session.client, "wmo407", inhoud, "met-bom.xml")

    [details] = [a for a in fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]//a')
                 if a.text == "details"]
    detail = pagina(session.client.get(details.get("href")))
    [downloadlink] = [a for a in detail.xpath("//a") if a.text == "downloaden"]
    download = session.client.get(downloadlink.get("href"))
    assert download.status_code == 200
    assert download.data == inhoud
    assert "met-bom.xml" in download.headers["Content-Disposition"]

    utrecht = Session(app.test_client())
    utrecht.login(UTRECHT)
    assert utrecht.client.get(downloadlink.get("href")).status_code == 404


def test_the_result_says_when_a_message_arrives_after_the_deadline(app, session, bsns, clock):
    session.login(MEDEWERKER)
    clock.set(lees_moment("2022-10-04 16:00"))

    response = upload(session.client, "wmo407", wmo407("LAAT-1", client(bsns[0], periode(36300001))), "laat.xml")

    [uitkomst] = fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht geaccepteerd LAAT-1 na de aanleverdeadline"
    [status] = fragment(response).xpath('//*[@id="migratie-status"]')
    assert "aanlevering te laat" in tekst(status)


def test_a_level_2_rejection_shows_0001_and_names_the_broken_rule_in_dutch(app, session, bsns):
    session.login(MEDEWERKER)

    response = upload(session.client, "wmo407", wmo407("WEB-0007", client("123456789", periode(1))), "n2.xml")

    [uitkomst] = fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht afgekeurd WEB-0007"
    assert _bevindingen(uitkomst) == [
        ("0001 Bericht is afgekeurd om technische redenen (CS002)", NIVEAU2_UITLEG["CS002"],
         "1 cliënt: toon de BSN's", [["123456789", "17"]])]
    assert "elfproef" in NIVEAU2_UITLEG["CS002"]
    assert uitkomst.xpath('.//a[@data-testid="wmo408-link"]')


def test_the_aansluiting_panel_is_updated_in_place_after_an_accepted_message(app, session, bsns):
    session.login(MEDEWERKER)

    response = upload(session.client, "wmo407", wmo407("WEB-0008", client(bsns[0], periode(36300001))), "a.xml")

    [aansluiting] = fragment(response).xpath('//*[@id="aansluiting"]')
    assert aansluiting.get("hx-swap-oob") == "true"
    cijfers = {li.xpath("./strong")[0].tail.strip(): li.xpath("./strong")[0].text
               for li in aansluiting.xpath('.//ul[@class="cijfers"]/li')}
    assert (cijfers["ok"], cijfers["ontbreekt"]) == ("1", "2")
    assert bsns[1] in tekst(aansluiting) and bsns[2] in tekst(aansluiting)
    # before the delivery deadline this is the state so far, not the verdict
    assert ("Tussenstand: 1 van de 3 verwachte cliënten ontvangen. Het oordeel over de aanlevering volgt na de "
            "aanleverdeadline (04-10-2022 15:00).") in tekst(aansluiting)
    assert "Oordeel" not in tekst(aansluiting)


def test_the_uitval_link_is_updated_in_place_after_a_rejected_message(app, session, bsns):
    session.login(MEDEWERKER)
    assert "Uitval: 0 perioden te herstellen" in tekst(pagina(session.client.get("/gemeenten/0363/")))
    upload(session.client, "wmo407", wmo407("WEB-0009", client(bsns[0], periode(36300001))), "a.xml")

    response = upload(session.client, "wmo407", wmo407("WEB-0010", client(bsns[1], periode(36300001))), "b.xml")

    [link] = fragment(response).xpath('//*[@id="uitval-link"]')
    assert link.get("hx-swap-oob") == "true"
    assert (tekst(link), link.get("href")) == ("Uitval: 1 periode te herstellen", "/gemeenten/0363/uitval")


def test_the_wmo407_receipt_shows_file_size_time_uploader_and_sha256(app, session, bsns):
    # bestanden.md: every accepted file is kept with its SHA-256, size, uploader and time, "and the
    # uploader gets a receipt showing those"
    session.login(MEDEWERKER)
    inhoud = wmo407("WEB-0009", client(bsns[0], periode(36300001)))

    response = upload(session.client, "wmo407", inhoud, "bonnetje.xml")

    [uitkomst] = fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]')
    bonnetje = tekst(next(p for p in uitkomst.xpath(".//p") if "Ontvangstbewijs" in tekst(p)))
    assert "bonnetje.xml" in bonnetje and grootte(len(inhoud)) in bonnetje and "03-10-2022 09:00" in bonnetje
    assert hashlib.sha256(inhoud).hexdigest() in bonnetje
    assert MEDEWERKER in bonnetje


def test_a_file_name_with_markup_is_shown_as_text(app, session, bsns):
    session.login(MEDEWERKER)

    response = upload(session.client, "wmo407", b"geen xml", '<img src=x onerror=alert(1)>.xml')

    [uitkomst] = fragment(response).xpath('//*[@data-testid="wmo407-uitkomst"]')
    assert uitkomst.xpath(".//img") == []
    assert '<img src=x onerror=alert(1)>.xml' in tekst(uitkomst)


def _zip(*onderdelen: tuple[str, bytes]) -> bytes:
    uitvoer = io.BytesIO()
    with zipfile.ZipFile(uitvoer, "w") as archief:
        for naam, inhoud in onderdelen:
            archief.writestr(naam, inhoud)
    return uitvoer.getvalue()


def _xlsx() -> bytes:
    uitvoer = io.BytesIO()
    Workbook().save(uitvoer)
    return uitvoer.getvalue()


def _ander_bericht(namespace: str) -> bytes:
    return wmo407("ANDERS-1", client("123456782", periode(1))).replace(constants.NS_WMO407.encode(),
                                                                      namespace.encode())


NIET_AANGENOMEN = {
    "ieb-1.0": (_ander_bericht("http://www.istandaarden.nl/ieb/1_0/wmo407/schema"),
                "Dit bestand is een WMO407-bericht volgens iEb 1.0. iEb 1.0 wordt niet meer aangenomen sinds "
                "01-10-2022; lever een WMO407 volgens iEb 2.0 aan"),
    "wmo401": (_ander_bericht("http://www.istandaarden.nl/ieb/2_0/wmo401/schema"),
               "Dit bestand is een WMO401-bericht (iEb 2.0) over het abonnementstarief, geen WMO407. Het "
               "abonnementstarief wordt niet via dit portaal aangeleverd, maar via het gewone iEb-berichtenverkeer "
               "van uw gemeente (de route via het GGK en VECOZO) aan het CAK."),
    "xlsx": (_xlsx(), "Dit bestand is een Excel-werkmap, geen WMO407-bericht. Wilt u de ingevulde "
                      "bestandsvergelijking sturen? Upload die dan bij 'Terugkoppeling op de bestandsvergelijking'."),
    "ods": (_zip(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")),
            "Dit bestand is een OpenDocument-rekenblad (.ods), geen WMO407-bericht. Wilt u de ingevulde "
            "bestandsvergelijking sturen? Sla het dan op als Excel-werkmap (.xlsx): open het in LibreOffice Calc, "
            "kies Bestand › Opslaan als…, kies bij Bestandstype 'Excel 2007-365 (.xlsx)'"),
    "zip": (_zip(("januari.xml", b"<x/>"), ("februari.xml", b"<x/>")),
            "Dit bestand is een ZIP-bestand met 2 XML-bestanden, geen WMO407-bericht. Het portaal pakt geen "
            "ZIP-bestanden uit: pak het uit en lever elk WMO407-bericht (.xml) afzonderlijk aan."),
    "tekst-van-11-mb": (wmo407("GROOT-2", client("123456782", periode(1))).replace(
        b">0363<", b">" + b"1" * (11 * 1024 * 1024) + b"<"),
        "Het bestand is te groot voor de XML-parser: rond regel 7 staat in één element een tekst van meer dan "
        "10 MB. Dat is meer dan de parser (libxml2) in één tekst aanneemt"),
    "commentaar-van-11-mb": (wmo407("GROOT-3", client("123456782", periode(1))).replace(
        b"</wmo407:Bericht>", b"<!--" + b"x" * (11 * 1024 * 1024) + b"--></wmo407:Bericht>"),
        "Het bestand is te groot voor de XML-parser: rond regel 25 staat een commentaar (<!-- … -->) van meer "
        "dan 10 MB."),
    "diepte": (wmo407("DIEP-1", client("123456782", periode(1))).replace(
        b"</wmo407:Bericht>", b"<wmo407:x>" * 300 + b"</wmo407:x>" * 300 + b"</wmo407:Bericht>"),
        "Het bestand is te diep genest voor de XML-parser: rond regel 25 staan meer dan 256 elementen in elkaar."),
}


@pytest.mark.parametrize("soort", NIET_AANGENOMEN)
def test_a_file_or_message_the_portal_does_not_take_is_named_for_what_it_is_and_kept(
        app, session, amsterdam_en_utrecht, soort):
    inhoud, verwacht = NIET_AANGENOMEN[soort]
    session.login(MEDEWERKER)

    [uitkomst] = fragment(upload(session.client, "wmo407", inhoud, f"{soort}.bin")).xpath(
        '//*[@data-testid="wmo407-uitkomst"]')

    assert tekst(uitkomst.xpath(".//h3")[0]) == "Bericht geweigerd"
    [[_, _, _, uitleg]] = tabelrijen(uitkomst.xpath(".//table")[0])
    assert uitleg.startswith(verwacht)
    assert "goedgevormde XML" not in uitleg and "UTF-8" not in uitleg
    [opgeslagen] = _ontvangsten(app)
    assert (opgeslagen.inhoud, opgeslagen.status) == (inhoud, OntvangstStatus.GEWEIGERD)
