"""Roles that hold: only the gemeente's own roles deliver (terugkoppeling, WMO407, making a WMO407, signing up);
the CAK reads and judges. The CAK does not see the forms, and a POST (web or API) is refused with a Dutch 403
that says why and what to do, while the gemeente's state, files and uploads stay as they were."""
from __future__ import annotations

import pytest

from portal.toestanden import Toestand
from tests.conftest import Session
from tests.scenario import (
    BEHEER,
    CAK,
    api_token,
    b4_van,
    bearer,
    gemeente_in,
    gemeente_met_code,
    leverende_gemeente,
    medewerker,
    ontvangsten,
    pagina,
    sessietoken,
    tekst,
    tijdlijn,
    toestand,
    upload,
    vul_b4,
)

WEIGERING = "Alleen de gemeente of haar softwareleverancier kan"
CAK_GEBRUIKERS = {"cak": CAK, "cak_beheerder": BEHEER}


def ingelogd(app, email: str) -> Session:
    sessie = Session(app.test_client())
    assert sessie.login(email).status_code == 302
    return sessie


def formulieren(sessie: Session) -> list[str]:
    boom = pagina(sessie.client.get("/gemeenten/0363/"))
    return [actie.rsplit("/", 1)[-1] for actie in boom.xpath("//form/@action")]


@pytest.mark.parametrize("rol", sorted(CAK_GEBRUIKERS))
def test_the_cak_sees_no_terugkoppeling_form_and_its_upload_is_refused_with_403_and_nothing_stored(app, clock,
                                                                                                    rol):
    with app.app_context():
        gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
        inhoud = vul_b4(b4_van(gemeente).inhoud)
    gemeente_medewerker = ingelogd(app, medewerker("Amsterdam"))
    assert "terugkoppeling" in formulieren(gemeente_medewerker)

    cak = ingelogd(app, CAK_GEBRUIKERS[rol])
    boom = pagina(cak.client.get("/gemeenten/0363/"))
    assert "terugkoppeling" not in formulieren(cak)
    assert WEIGERING in tekst(boom.xpath('//*[@data-testid="alleen-inzien"]')[0])

    for htmx in (False, True):
        antwoord = upload(cak.client, "terugkoppeling", inhoud, "terugkoppeling.xlsx", htmx=htmx,
                          token=sessietoken(cak.client, "/logout"))
        assert antwoord.status_code == 403
        assert f"{WEIGERING} een terugkoppeling uploaden." in tekst(antwoord.get_data(as_text=True))
    with app.app_context():
        assert toestand(gemeente_met_code("0363")) == Toestand.BV_GEPUBLICEERD
        assert ontvangsten(gemeente_met_code("0363"), "terugkoppeling") == []


@pytest.mark.parametrize("rol", sorted(CAK_GEBRUIKERS))
def test_the_cak_neither_sends_nor_makes_a_wmo407_nor_signs_a_gemeente_up(app, clock, rol):
    with app.app_context():
        gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN)
        leverende_gemeente("0344", "Utrecht", clients=1)
    assert {"wmo407", "genereer"} <= set(formulieren(ingelogd(app, medewerker("Amsterdam"))))

    cak = ingelogd(app, CAK_GEBRUIKERS[rol])
    assert {"wmo407", "genereer", "aanmelding"} & set(formulieren(cak)) == set()
    token = sessietoken(cak.client, "/logout")
    verstuurd = upload(cak.client, "wmo407", b"<bericht/>", "bericht.xml", htmx=False, token=token)
    gemaakt = cak.client.post("/gemeenten/0363/wmo407/genereer", data={"csrf_token": token})
    aangemeld = cak.client.post("/gemeenten/0344/aanmelding", data={"aanmelding-csrf_token": token})
    for antwoord, wat in ((verstuurd, "een WMO407-bericht sturen"), (gemaakt, "een WMO407-bericht laten maken"),
                          (aangemeld, "de gemeente aanmelden voor een migratieweek")):
        assert antwoord.status_code == 403
        assert f"{WEIGERING} {wat}." in tekst(antwoord.get_data(as_text=True))
    assert "aanmelding" not in [a.rsplit("/", 1)[-1] for a in pagina(cak.client.get("/gemeenten/0344/"))
                                .xpath("//form/@action")]
    with app.app_context():
        assert ontvangsten(gemeente_met_code("0363"), "WMO407") == []
        assert tijdlijn(gemeente_met_code("0344"), "aanmelding") == []


@pytest.mark.parametrize("rol", sorted(CAK_GEBRUIKERS))
def test_a_cak_token_gets_403_json_for_a_terugkoppeling_and_a_wmo407_and_nothing_is_stored(app, client, clock,
                                                                                          rol):
    with app.app_context():
        gemeente = gemeente_in(clock, Toestand.BV_GEPUBLICEERD)
        inhoud = vul_b4(b4_van(gemeente).inhoud)
        token = api_token(CAK_GEBRUIKERS[rol])
    for pad, body, wat in (("terugkoppeling", inhoud, "een terugkoppeling uploaden"),
                           ("berichten", b"<bericht/>", "een WMO407-bericht sturen")):
        antwoord = client.post(f"/api/v1/gemeenten/0363/{pad}", data=body, headers=bearer(token))
        assert antwoord.status_code == 403
        assert antwoord.get_json()["fout"].startswith(f"{WEIGERING} {wat}.")
    with app.app_context():
        assert toestand(gemeente_met_code("0363")) == Toestand.BV_GEPUBLICEERD
        assert ontvangsten(gemeente_met_code("0363")) == []
