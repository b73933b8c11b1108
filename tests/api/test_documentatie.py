"""The page /api: the OpenAPI document for people, rendered on the server, without a token or a login, with
nothing loaded from elsewhere; linked from the token page."""
from __future__ import annotations

from tests.conftest import Session
from tests.scenario import MEDEWERKER, leverende_gemeente, pagina, tekst


def test_the_api_page_describes_every_operation_with_its_answers_and_every_schema(client):
    document = client.get("/api/v1/openapi.json").get_json()
    antwoord = client.get("/api")
    assert antwoord.status_code == 200
    boom = pagina(antwoord)
    operaties = [tekst(h) for h in boom.xpath('//*[@data-testid="operatie"]/h3')]
    assert sorted(operaties) == sorted(f"{m.upper()} {p}" for p, ops in document["paths"].items() for m in ops)
    hv = tekst(boom.xpath('//*[@id="post_gemeenten_code_oude-kanalen_hv"]')[0])
    assert "409" in hv and "WMO407" in hv and "HvMutatie" in hv
    schemas = [tekst(h) for h in boom.xpath('//*[@data-testid="schema"]/h3')]
    assert sorted(schemas) == sorted(document["components"]["schemas"])
    schema = tekst(boom.xpath('//*[@id="schema-HvMutatie"]')[0])
    assert "datum_start_bw (tekst of null, altijd aanwezig)" in schema


def test_the_api_page_loads_nothing_from_another_site(client):
    boom = pagina(client.get("/api"))
    bronnen = boom.xpath("//script/@src | //link/@href | //img/@src | //iframe/@src")
    assert [b for b in bronnen if b.startswith(("http:", "https:", "//"))] == []


def test_the_token_page_links_to_the_api_page(app, client):
    with app.app_context():
        leverende_gemeente()
    Session(client).login(MEDEWERKER)
    [link] = pagina(client.get("/account/tokens/")).xpath('//a[@data-testid="api-documentatie"]')
    assert link.get("href") == "/api"
