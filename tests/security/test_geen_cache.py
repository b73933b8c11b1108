"""Issue 11, point 8 (caching): every page, JSON answer and download that can show BSNs is sent with
`Cache-Control: no-store`, so no browser or proxy keeps a copy."""
from __future__ import annotations

import pytest

from portal.kalender import lees_moment
from portal.toestanden import Toestand
from tests.conftest import Session
from tests.scenario import (
    CAK,
    MEDEWERKER,
    api_token,
    b4_bsns,
    bearer,
    client,
    leverende_gemeente,
    naar_toestand,
    periode,
    stuur_wmo407,
)


@pytest.fixture(scope="module")
def portaal(module_app, module_clock):
    with module_app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=3)
        naar_toestand(module_clock, Toestand.AKKOORD_AANLEVEREN, amsterdam)
        module_clock.set(lees_moment("2022-10-03 09:00"))
        [bsn, *_] = b4_bsns(amsterdam)
        verwerking = stuur_wmo407(amsterdam, client(bsn, periode(36300001)))
        return {"ontvangst": verwerking.ontvangst_id, "token": api_token(MEDEWERKER)}


def _ingelogd(module_app, email: str):
    sessie = Session(module_app.test_client())
    sessie.login(email)
    return sessie.client


@pytest.mark.parametrize("adres", [
    "/gemeenten/0363/",
    "/gemeenten/0363/berichten",
    "/gemeenten/0363/berichten?bsn=123456782",
    "/gemeenten/0363/berichten/{ontvangst}",
    "/gemeenten/0363/uitval",
    "/ontvangsten/{ontvangst}",
])
def test_the_gemeente_pages_and_downloads_with_bsns_are_not_stored(module_app, portaal, adres):
    antwoord = _ingelogd(module_app, MEDEWERKER).get(adres.format(**portaal))
    assert antwoord.status_code == 200
    assert antwoord.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("adres", ["/cak/gemeenten/0363", "/cak/"])
def test_the_cak_dossier_is_not_stored(module_app, portaal, adres):
    antwoord = _ingelogd(module_app, CAK).get(adres)
    assert antwoord.status_code == 200
    assert antwoord.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("adres", ["/api/v1/gemeenten/0363", "/api/v1/gemeenten/0363/bestanden",
                                   "/api/v1/gemeenten/0363/berichten"])
def test_the_api_answers_are_not_stored(module_app, portaal, adres):
    antwoord = module_app.test_client().get(adres, headers=bearer(portaal["token"]))
    assert antwoord.status_code == 200
    assert antwoord.headers["Cache-Control"] == "no-store"


def test_an_api_download_is_not_stored(module_app, portaal):
    api = module_app.test_client()
    lijst = api.get("/api/v1/gemeenten/0363/bestanden", headers=bearer(portaal["token"])).get_json()
    [bestand, *_] = lijst["bestanden"]
    antwoord = api.get(bestand["url"], headers=bearer(portaal["token"]))
    assert antwoord.status_code == 200
    assert antwoord.headers["Cache-Control"] == "no-store"
