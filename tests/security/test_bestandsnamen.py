"""Issue 11, point 6: every file name can be downloaded (RFC 6266 `filename*` plus an ASCII fallback), and
control and bidi characters never reach a page, a receipt or a header."""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from portal.extensions import db
from portal.models import Categorie
from portal.services import storage
from tests.scenario import (
    CAK,
    MEDEWERKER,
    actor,
    api_token,
    bearer,
    leverende_gemeente,
    maak_bestand,
    tekst,
    upload,
    wmo407,
)

NAMEN = {
    "streepje": ("Terugkoppeling 0363 – juni €.xlsx", "Terugkoppeling 0363 – juni €.xlsx"),
    "cjk": ("漢字の一覧.xlsx", "漢字の一覧.xlsx"),
    "bidi": ("rapport\u202excl.exe.xlsx", "rapportxcl.exe.xlsx"),
    "regels": ("eerste\nregel\r\n\x00tweede.xml", "eerste regel tweede.xml"),
    "leestekens": ('a"b;c=d\'e.xml', 'a"b;c=d\'e.xml'),
}
ONZICHTBAAR = re.compile("[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def portaal(module_app):
    with module_app.app_context():
        gemeente = leverende_gemeente("0363", "Amsterdam")
        # The portal names the files it publishes itself; only an upload's name can hold a NUL.
        bestanden = {soort: maak_bestand(gemeente, naam=naam.replace("\x00", ""), inhoud=soort.encode(),
                                         categorie=Categorie.VERSLAG).id
                     for soort, (naam, _) in NAMEN.items()}
        ontvangsten = {soort: storage.bewaar_ontvangst(inhoud=soort.encode(), bestandsnaam=naam, soort="WMO407",
                                                       kanaal="portaal", actor=actor(MEDEWERKER),
                                                       gemeente=gemeente).id
                       for soort, (naam, _) in NAMEN.items()}
        token = api_token(MEDEWERKER)
        db.session.commit()
    return {"bestanden": bestanden, "ontvangsten": ontvangsten, "token": token}


@pytest.fixture
def medewerker(module_app):
    from tests.conftest import Session

    sessie = Session(module_app.test_client())
    sessie.login(MEDEWERKER)
    return sessie


def _bestandsnaam(response) -> tuple[str, str]:
    """What a browser takes from Content-Disposition: the ASCII `filename` and the decoded `filename*`."""
    kop = response.headers["Content-Disposition"]
    kop.encode("latin-1")  # a WSGI server can send it at all
    assert kop.isascii() and "\n" not in kop and "\r" not in kop
    ascii_ = re.search(r'filename="([^"]*)"', kop)
    volledig = re.search(r"filename\*=UTF-8''([^;\s]+)", kop)
    assert ascii_ and volledig, kop
    return ascii_.group(1), unquote(volledig.group(1), encoding="utf-8", errors="strict")


@pytest.mark.parametrize("soort", NAMEN)
def test_a_published_file_with_any_name_downloads_with_its_name_in_filename_star(portaal, medewerker, soort):
    response = medewerker.client.get(f"/bestanden/{portaal['bestanden'][soort]}")
    assert response.status_code == 200
    assert response.data == soort.encode()
    ascii_, volledig = _bestandsnaam(response)
    assert volledig == NAMEN[soort][1]
    assert ascii_.isascii() and ascii_.endswith((".xlsx", ".xml"))


@pytest.mark.parametrize("soort", NAMEN)
def test_a_stored_upload_with_any_name_downloads_with_its_name_in_filename_star(portaal, medewerker, soort):
    response = medewerker.client.get(f"/ontvangsten/{portaal['ontvangsten'][soort]}")
    assert response.status_code == 200
    assert response.data == soort.encode()
    assert _bestandsnaam(response)[1] == NAMEN[soort][1]


@pytest.mark.parametrize("soort", NAMEN)
def test_the_api_hands_out_a_file_with_any_name(module_app, portaal, soort):
    response = module_app.test_client().get(f"/api/v1/bestanden/{portaal['bestanden'][soort]}",
                                            headers=bearer(portaal["token"]))
    assert response.status_code == 200
    assert _bestandsnaam(response)[1] == NAMEN[soort][1]


def test_the_folder_shows_names_without_control_or_bidi_characters(portaal, medewerker):
    pagina = medewerker.client.get("/gemeenten/0363/").get_data(as_text=True)
    assert not ONZICHTBAAR.search(pagina.replace("\n", "").replace("\r", "").replace("\t", ""))
    assert "rapportxcl.exe.xlsx" in pagina
    assert "eerste regel tweede.xml" in tekst(pagina)


def test_the_cak_dossier_lists_uploads_without_control_or_bidi_characters(module_app, portaal):
    from tests.conftest import Session

    sessie = Session(module_app.test_client())
    sessie.login(CAK)
    pagina = sessie.client.get("/cak/gemeenten/0363").get_data(as_text=True)
    assert "rapportxcl.exe.xlsx" in pagina
    assert "\u202e" not in pagina


def test_the_receipt_of_an_upload_shows_its_name_without_bidi_characters(portaal, medewerker):
    response = upload(medewerker.client, "wmo407", wmo407("T0363999999"), "bericht\u202elmx.exe")
    pagina = response.get_data(as_text=True)
    assert "Ontvangstbewijs: berichtlmx.exe" in tekst(pagina)
    assert "\u202e" not in pagina
