"""Uploading the filled-in B4 (the terugkoppeling) through the folder page, with htmx and as a plain form."""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.kalender import lees_moment
from portal.models import Ontvangst
from portal.services import migratie
from portal.toestanden import Toestand
from portal.web import grootte
from tests.scenario import (
    CAK,
    MEDEWERKER,
    actor,
    b4_bsns,
    b4_van,
    element,
    formuliertoken,
    fragment,
    gemeente_in,
    gemeente_met_code,
    ontvangsten,
    pagina,
    tabelrijen,
    tekst,
    upload,
    vul_b4,
)


@pytest.fixture
def b4(app, clock):
    """Amsterdam with its B4 of four clients published; the clock: Tuesday 27-09-2022 14:00."""
    with app.app_context():
        gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD, clients=4)
        clock.set(lees_moment("2022-09-27 14:00"))
        return {"inhoud": b4_van(gemeente).inhoud, "bsns": b4_bsns(gemeente)}


def _geldig(b4) -> bytes:
    return vul_b4(b4["inhoud"], codes={b4["bsns"][2]: "N"})


def _ongeldig(b4) -> bytes:
    bsns = b4["bsns"]
    return vul_b4(b4["inhoud"], codes={bsns[0]: "Q", bsns[1]: "O", bsns[2]: None},
                       toegevoegd=[{"A": "0363", "B": "123456789", "C": "Nieuw", "E": "N.", "F": "01-01-1990",
                                    "L": "J"}])


ONGELDIG_VERWACHT = [
    ("2", "L (TERUGKOPPELING)", "'Q' is geen geldige code."),
    ("3", "M (EINDDATUM_GEMEENTE)", "Bij code O is een einddatum verplicht."),
    ("4", "L (TERUGKOPPELING)", "De terugkoppeling ontbreekt."),
    ("6", "B (BSN)", "Het BSN 123456789 staat niet in de bestandsvergelijking en is geen geldig BSN"),
]


def _toestand(boom) -> str:
    return tekst(element(boom, "migratie-status").xpath('.//*[@data-testid="toestand"]')[0])


def _uitkomst(boom):
    [uitkomst] = boom.xpath('//*[@data-testid="terugkoppeling-uitkomst"]')
    return uitkomst


def _controleer_geldig(uitkomst, inhoud: bytes) -> None:
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Terugkoppeling aangenomen"
    assert tabelrijen(uitkomst.xpath(".//table")[0]) == [
        ["J", "3"], ["O", "0"], ["U", "0"], ["V", "0"], ["N", "1"], ["X", "0"]]
    bonnetje = tekst(uitkomst.xpath('.//p[contains(@class, "klein")]')[0])
    assert f"Ontvangstbewijs: terugkoppeling amsterdam.xlsx, {grootte(len(inhoud))}, ontvangen 27-09-2022 14:00" \
        in bonnetje
    assert hashlib.sha256(inhoud).hexdigest() in bonnetje


def _controleer_ongeldig(uitkomst) -> None:
    assert tekst(uitkomst.xpath(".//h3")[0]) == "Terugkoppeling niet aangenomen"
    assert "4 problemen gevonden" in tekst(uitkomst)
    rijen = tabelrijen(uitkomst.xpath(".//table")[0])
    assert [(rij, kolom) for rij, kolom, _ in rijen] == [(rij, kolom) for rij, kolom, _ in ONGELDIG_VERWACHT]
    for (_, _, melding), (_, _, begin) in zip(rijen, ONGELDIG_VERWACHT, strict=True):
        assert melding.startswith(begin)


def test_a_valid_terugkoppeling_sent_with_htmx_shows_counts_receipt_and_the_status_teruggekoppeld(
        app, session, b4):
    session.login(MEDEWERKER)
    inhoud = _geldig(b4)

    response = upload(session.client, "terugkoppeling", inhoud, "terugkoppeling amsterdam.xlsx")

    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    boom = fragment(response)
    _controleer_geldig(_uitkomst(boom), inhoud)
    assert element(boom, "migratie-status").get("hx-swap-oob") == "true"
    assert _toestand(boom) == "terugkoppeling ontvangen"


def test_a_plain_form_upload_is_redirected_to_its_receipt_so_a_reload_never_sends_it_again(app, session, b4):
    session.login(MEDEWERKER)
    inhoud = _geldig(b4)

    response = upload(session.client, "terugkoppeling", inhoud, "terugkoppeling amsterdam.xlsx", htmx=False)

    assert response.status_code == 303
    bewijs = response.headers["Location"]
    assert bewijs.startswith("/gemeenten/0363/terugkoppeling/")
    for _ in range(2):      # the receipt, and the same page reloaded
        boom = pagina(session.client.get(bewijs))
        assert tekst(boom.xpath("//h1")[0]) == "Ontvangstbewijs terugkoppeling"
        _controleer_geldig(_uitkomst(boom), inhoud)
    with app.app_context():
        assert len(ontvangsten(soort="terugkoppeling")) == 1
    assert _toestand(pagina(session.client.get("/gemeenten/0363/"))) == "terugkoppeling ontvangen"


def test_a_receipt_of_another_gemeente_or_of_a_wmo407_is_not_found(app, session, b4):
    session.login(MEDEWERKER)
    bewijs = upload(session.client, "terugkoppeling", _geldig(b4), "t.xlsx", htmx=False).headers["Location"]
    ontvangst_id = bewijs.rsplit("/", 1)[1]

    assert session.client.get(f"/gemeenten/0344/terugkoppeling/{ontvangst_id}").status_code == 404
    assert session.client.get(f"/gemeenten/0363/terugkoppeling/{int(ontvangst_id) + 1}").status_code == 404


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_an_invalid_terugkoppeling_shows_every_problem_per_row_and_column_and_changes_nothing(
        app, session, b4, htmx):
    session.login(MEDEWERKER)

    response = upload(session.client, "terugkoppeling", _ongeldig(b4), "fout.xlsx", htmx=htmx)

    assert response.status_code == (200 if htmx else 303)
    boom = fragment(response) if htmx else pagina(session.client.get(response.headers["Location"]))
    _controleer_ongeldig(_uitkomst(boom))
    if htmx:
        assert _toestand(boom) == "bestandsvergelijking geplaatst"
    assert _toestand(pagina(session.client.get("/gemeenten/0363/"))) == "bestandsvergelijking geplaatst"


def test_the_receipt_link_gives_the_uploaded_spreadsheet_back_byte_for_byte(app, session, b4):
    session.login(MEDEWERKER)
    inhoud = _ongeldig(b4)

    boom = fragment(upload(session.client, "terugkoppeling", inhoud, "fout.xlsx"))

    [link] = [a for a in _uitkomst(boom).xpath(".//a") if a.text == "uw bestand"]
    assert session.client.get(link.get("href")).data == inhoud


def test_a_terugkoppeling_without_csrf_token_is_refused_with_400_and_nothing_is_stored(app, session, b4):
    session.login(MEDEWERKER)

    antwoorden = [upload(session.client, "terugkoppeling", _geldig(b4), "t.xlsx", token=False, htmx=htmx)
                  for htmx in (True, False)]

    assert [a.status_code for a in antwoorden] == [400, 400]
    with app.app_context():
        assert db.session.scalars(select(Ontvangst)).all() == []
        assert _toestand(pagina(session.client.get("/gemeenten/0363/"))) == "bestandsvergelijking geplaatst"


def test_the_terugkoppeling_receipt_shows_file_size_time_uploader_and_sha256(app, session, b4):
    # bestanden.md: every accepted file is kept with its SHA-256, size, uploader and time, "and the
    # uploader gets a receipt showing those"
    session.login(MEDEWERKER)
    inhoud = _geldig(b4)

    boom = fragment(upload(session.client, "terugkoppeling", inhoud, "bonnetje.xlsx"))

    bonnetje = tekst(next(p for p in _uitkomst(boom).xpath(".//p") if "Ontvangstbewijs" in tekst(p)))
    assert "bonnetje.xlsx" in bonnetje and grootte(len(inhoud)) in bonnetje and "27-09-2022 14:00" in bonnetje
    assert hashlib.sha256(inhoud).hexdigest() in bonnetje
    assert MEDEWERKER in bonnetje


def test_a_late_terugkoppeling_is_accepted_and_the_result_says_it_is_late(app, session, b4, clock):
    clock.set(lees_moment("2022-09-29 17:05"))
    session.login(MEDEWERKER)

    boom = fragment(upload(session.client, "terugkoppeling", _geldig(b4), "laat.xlsx"))

    assert tekst(_uitkomst(boom).xpath(".//h3")[0]) == "Terugkoppeling aangenomen"
    assert "na de deadline, en als te laat gemarkeerd" in tekst(_uitkomst(boom))
    assert "terugkoppeling te laat" in tekst(element(boom, "migratie-status"))


def test_after_the_akkoord_a_new_terugkoppeling_is_kept_but_refused_in_dutch(app, session, b4):
    session.login(MEDEWERKER)
    upload(session.client, "terugkoppeling", _geldig(b4), "eerste.xlsx")
    # the page stays open in the browser while the CAK gives its akkoord; then the form is sent again
    token = formuliertoken(session.client, "/gemeenten/0363/", "terugkoppeling")
    with app.app_context():
        migratie.geef_akkoord_aanleveren(actor(CAK), gemeente_met_code("0363"))
    inhoud = vul_b4(b4["inhoud"])

    boom = fragment(upload(session.client, "terugkoppeling", inhoud, "tweede.xlsx", token=token))

    assert tekst(_uitkomst(boom).xpath(".//h3")[0]) == "Terugkoppeling niet aangenomen"
    assert "Het CAK heeft de terugkoppeling al goedgekeurd" in tekst(_uitkomst(boom))
    assert _toestand(boom) == "akkoord om aan te leveren"
    with app.app_context():
        bewaard = db.session.scalars(select(Ontvangst).where(Ontvangst.bestandsnaam == "tweede.xlsx")).one()
        assert (bewaard.inhoud, bewaard.status) == (inhoud, "geweigerd")


def test_a_code_dragged_past_the_last_client_and_a_formula_in_toelichting_are_each_named_once(app, session, b4):
    session.login(MEDEWERKER)
    bsns = b4["bsns"]
    inhoud = vul_b4(b4["inhoud"], codes={bsns[3]: "X"}, extra={bsns[3]: {"N": "=- verhuisd naar Utrecht"}},
                    toegevoegd=[{"L": "J"}] * 297)

    boom = fragment(upload(session.client, "terugkoppeling", inhoud, "doorgetrokken.xlsx"))

    assert "2 problemen gevonden" in tekst(_uitkomst(boom))
    assert tabelrijen(_uitkomst(boom).xpath(".//table")[0]) == [
        ["5", "N (TOELICHTING)", "Hier staat een formule (=- verhuisd naar Utrecht), geen tekst. Excel maakt een "
         "formule van tekst die begint met =, +, - of @. Typ de toelichting als gewone tekst: begin met een letter, "
         "of zet er een apostrof (') voor."],
        ["6", "L (TERUGKOPPELING)", "De rijen 6 tot en met 302 horen bij geen cliënt: maak die rijen leeg. Er staat "
         "alleen een code in kolom L, zonder cliënt ervoor; waarschijnlijk is de code verder naar beneden "
         "doorgetrokken dan de laatste cliënt."]]


def test_an_opendocument_spreadsheet_is_refused_with_how_to_save_it_as_xlsx_in_libreoffice(app, session, b4):
    session.login(MEDEWERKER)
    uitvoer = io.BytesIO()
    with zipfile.ZipFile(uitvoer, "w") as archief:
        archief.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archief.writestr("content.xml", "<office:document-content/>")

    boom = fragment(upload(session.client, "terugkoppeling", uitvoer.getvalue(), "terugkoppeling.ods"))

    assert tekst(_uitkomst(boom).xpath(".//h3")[0]) == "Terugkoppeling niet aangenomen"
    [[rij, kolom, melding]] = tabelrijen(_uitkomst(boom).xpath(".//table")[0])
    assert (rij, kolom) == ("—", "—")
    assert melding == (
        "Het bestand is een OpenDocument-rekenblad (.ods), geen Excel-werkmap (.xlsx). Sla het op als .xlsx: open "
        "het in LibreOffice Calc, kies Bestand › Opslaan als…, kies bij Bestandstype 'Excel 2007-365 (.xlsx)', "
        "klik op Opslaan en bevestig dat u de Excel-indeling wilt gebruiken. Upload daarna het .xlsx-bestand.")
