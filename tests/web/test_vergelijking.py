"""The bimonthly comparison on the screens: the migrated gemeente's folder shows the file awaiting its answer and
takes the answer on the usual upload form; the CAK lists the differences per gemeente, downloads them and
marks each handled with a note (htmx in place, or a plain post/redirect/get)."""
from __future__ import annotations

from datetime import date

import pytest

from portal.kalender import lees_moment
from tests.scenario import (
    BEHEER,
    BIMAANDELIJKS_BESTAND,
    CAK,
    MEDEWERKER,
    bimaandelijks_bestand,
    elfproef_bsn,
    fragment,
    gemigreerd_met_vergelijking,
    lees_xlsx,
    maak_gebruiker,
    pagina,
    rij,
    sessietoken,
    tekst,
    upload,
    vul_bimaandelijks,
)

NIEUW_BSN = elfproef_bsn(123456000)


@pytest.fixture
def gemigreerd(app, clock) -> bytes:
    """Amsterdam migrated, its first bimonthly file (02-01-2023) placed; the clock on 04-01-2023 09:00.
    Its value: the answer the gemeente will upload, the first client marked U and one client added."""
    with app.app_context():
        gemeente = gemigreerd_met_vergelijking(clock)
        clock.set(lees_moment("2023-01-04 09:00"))
        rijen = lees_xlsx(bimaandelijks_bestand(gemeente).inhoud)["Bestandsvergelijking"]
        eerste = rijen[1][1]
        return vul_bimaandelijks(gemeente, {eerste: "U"}, extra={eerste: {"M": date(2022, 12, 20)}},
                                 toegevoegd=[{"A": "0363", "B": NIEUW_BSN, "C": "Nieuw", "E": "B.",
                                              "F": date(1980, 5, 5), "L": "J"}])


def _beantwoord(session, antwoord: bytes) -> None:
    session.login(MEDEWERKER)
    response = upload(session.client, "terugkoppeling", antwoord, "antwoord.xlsx")
    assert "Terugkoppeling aangenomen" in tekst(response.get_data(as_text=True))
    session.client.post("/logout", data={"csrf_token": sessietoken(session.client, "/gemeenten/0363/")})


def test_the_folder_of_a_migrated_gemeente_shows_the_bimonthly_file_awaiting_its_answer(app, session, gemigreerd):
    session.login(MEDEWERKER)

    boom = pagina(session.client.get("/gemeenten/0363/"))

    stand = tekst(boom.xpath('//*[@data-testid="vergelijking-stand"]')[0])
    assert "De bestandsvergelijking van 02-01-2023 met 4 cliënten wacht op uw terugkoppeling" in stand
    paneel = tekst(boom.xpath('//section[h2[@id="terugkoppeling-kop"]]')[0])
    assert "Tweemaandelijkse bestandsvergelijking" in paneel and BIMAANDELIJKS_BESTAND in paneel
    assert boom.xpath('//form[@action="/gemeenten/0363/terugkoppeling"]')
    assert "wacht op uw terugkoppeling" in tekst(boom.xpath('//section[@id="migratie-status"]')[0])


def test_the_answer_sent_with_htmx_says_which_comparison_it_answered_and_refreshes_the_counts(
        app, session, gemigreerd):
    session.login(MEDEWERKER)

    response = upload(session.client, "terugkoppeling", gemigreerd, "antwoord.xlsx")

    boom = fragment(response)
    [uitkomst] = boom.xpath('//*[@data-testid="terugkoppeling-uitkomst"]')
    assert tekst(uitkomst.xpath(".//h3")[0]) == (
        "Terugkoppeling aangenomen (tweemaandelijkse bestandsvergelijking van 02-01-2023)")
    assert "2 verschillen voor het CAK" in tekst(uitkomst)
    [stand] = boom.xpath('//*[@data-testid="vergelijking-stand"]')
    assert stand.get("hx-swap-oob") == "true"
    assert "J 4, O 0, U 1, V 0, N 0, X 0; 2 verschillen voor het CAK" in tekst(stand)


def test_a_plain_upload_of_the_answer_redirects_to_a_receipt_naming_the_comparison(app, session, gemigreerd):
    session.login(MEDEWERKER)

    response = upload(session.client, "terugkoppeling", gemigreerd, "antwoord.xlsx",
                      htmx=False)

    assert response.status_code == 303
    boom = pagina(session.client.get(response.headers["Location"]))
    assert tekst(boom.xpath("//h1")[0]) == (
        "Ontvangstbewijs terugkoppeling op de tweemaandelijkse bestandsvergelijking van 02-01-2023")
    assert "antwoord op de tweemaandelijkse bestandsvergelijking van 02-01-2023" in tekst(boom)


def test_the_cak_sees_the_differences_per_gemeente_and_downloads_them(app, session, gemigreerd):
    _beantwoord(session, gemigreerd)
    session.login(CAK)

    overzicht = session.client.get("/cak/verschillen").get_data(as_text=True)
    assert pagina(session.client.get("/cak/")).xpath('//main//a[@href="/cak/verschillen"]')
    amsterdam = rij(overzicht, "0363")
    assert "Amsterdam" in tekst(amsterdam) and '<td class="getal">2</td>' in amsterdam
    assert pagina(session.client.get("/cak/gemeenten/0363")).xpath('//a[@href="/cak/gemeenten/0363/verschillen"]')

    boom = pagina(session.client.get("/cak/gemeenten/0363/verschillen"))
    assert "Code J betekent in dit bestand: klopt, staat zo geregistreerd" in tekst(boom)
    [tabel] = boom.xpath('//table[@data-testid="open-verschillen"]')
    regels = [tekst(r) for r in tabel.xpath("./tbody/tr")]
    assert len(regels) == 2
    assert "U" in regels[0] and "einddatum 20-12-2022" in regels[0]
    assert NIEUW_BSN in regels[1] and "toegevoegd" in regels[1] and "niet geregistreerd" in regels[1]

    export = session.client.get("/cak/gemeenten/0363/verschillen.xlsx")
    assert export.status_code == 200
    assert "680363_Verschillen_BW_20230104.xlsx" in export.headers["Content-Disposition"]
    kop, *rijen = lees_xlsx(export.data)["Verschillen"]
    assert {r[kop.index("BSN")] for r in rijen} >= {NIEUW_BSN}
    assert {r[kop.index("AFGEHANDELD")] for r in rijen} == {"N"}


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_difference_handled_shows_the_note_and_the_open_count_drops(app, session, gemigreerd, htmx):
    _beantwoord(session, gemigreerd)
    session.login(BEHEER)
    boom = pagina(session.client.get("/cak/gemeenten/0363/verschillen"))
    [formulier, _] = boom.xpath('//table[@data-testid="open-verschillen"]//form')
    actie = formulier.get("action")
    prefix = formulier.xpath(".//textarea")[0].get("name").removesuffix("-notitie")
    token = formulier.xpath(f'.//input[@name="{prefix}-csrf_token"]')[0].get("value")

    response = session.client.post(actie, data={f"{prefix}-csrf_token": token,
                                                 f"{prefix}-notitie": "Registratie beëindigd"},
                                   headers={"HX-Request": "true"} if htmx else {})

    if htmx:
        assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
        boom = fragment(response)
    else:
        assert response.status_code == 303
        boom = pagina(session.client.get(response.headers["Location"]))
    assert "is afgehandeld" in tekst(boom)
    assert tekst(boom.xpath('//*[@data-testid="aantal-open"]')[0]) == "(1)"
    [afgehandeld] = boom.xpath('//table[@data-testid="afgehandelde-verschillen"]/tbody/tr')
    assert "Registratie beëindigd" in tekst(afgehandeld) and BEHEER in tekst(afgehandeld)
    assert '<td class="getal">1</td>' in rij(session.client.get("/cak/verschillen").get_data(as_text=True), "0363")


def test_handling_without_a_note_answers_422_with_the_error_and_changes_nothing(app, session, gemigreerd):
    _beantwoord(session, gemigreerd)
    session.login(CAK)
    boom = pagina(session.client.get("/cak/gemeenten/0363/verschillen"))
    formulier = boom.xpath('//table[@data-testid="open-verschillen"]//form')[0]
    prefix = formulier.xpath(".//textarea")[0].get("name").removesuffix("-notitie")
    token = formulier.xpath(f'.//input[@name="{prefix}-csrf_token"]')[0].get("value")

    response = session.client.post(formulier.get("action"), data={f"{prefix}-csrf_token": token,
                                                                  f"{prefix}-notitie": " "})

    assert response.status_code == 422
    boom = pagina(response)
    assert "Vul een notitie in" in tekst(boom.xpath('//*[@data-testid="foutoverzicht"]')[0])
    assert tekst(boom.xpath('//*[@data-testid="aantal-open"]')[0]) == "(2)"
    assert session.client.post(formulier.get("action"), data={f"{prefix}-notitie": "zonder token"}).status_code == 400


@pytest.mark.parametrize("rol", ["gemeente", "gemeente_beheerder", "leverancier"])
def test_gemeente_roles_get_not_found_on_the_cak_pages_of_the_differences(app, session, gemigreerd, rol):
    _beantwoord(session, gemigreerd)
    with app.app_context():
        maak_gebruiker(f"{rol}@test.example.nl", rol, gemeenten=("0363",))
    session.login(f"{rol}@test.example.nl")
    token = sessietoken(session.client, "/gemeenten/0363/")

    for adres in ("/cak/verschillen", "/cak/gemeenten/0363/verschillen", "/cak/gemeenten/0363/verschillen.xlsx"):
        assert session.client.get(adres).status_code == 404, adres
    response = session.client.post("/cak/gemeenten/0363/verschillen/1/afhandelen",
                                   data={"verschil-1-csrf_token": token, "verschil-1-notitie": "mag niet"})
    assert response.status_code == 404
