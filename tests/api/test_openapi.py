"""The OpenAPI document describes every route of the API, and nothing else."""
from __future__ import annotations

import re


def _routes(app) -> set[tuple[str, str]]:
    routes = set()
    for regel in app.url_map.iter_rules():
        if not regel.rule.startswith("/api/v1/"):
            continue
        pad = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", regel.rule.removeprefix("/api/v1"))
        routes |= {(methode.lower(), pad) for methode in regel.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_registered_route_is_described_and_every_described_route_exists(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    beschreven = {(methode, pad) for pad, operaties in document["paths"].items() for methode in operaties}
    assert beschreven == _routes(app)


def test_the_document_is_openapi_3_1_with_a_bearer_scheme_and_every_error_as_the_fout_schema(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["token"] == {"type": "http", "scheme": "bearer"}
    for pad, operaties in document["paths"].items():
        for methode, operatie in operaties.items():
            assert operatie["summary"]
            for status, antwoord in operatie["responses"].items():
                if status.startswith(("4", "5")):
                    schema = antwoord["content"]["application/json"]["schema"]["$ref"]
                    assert schema in ("#/components/schemas/Fout", "#/components/schemas/Ongeldig"), (pad, methode)
            parameters = {p["name"] for p in operatie["parameters"] if p["in"] == "path"}
            assert parameters == set(re.findall(r"{([a-z_]+)}", pad))


def test_every_reference_in_the_document_points_at_a_declared_schema(client):
    document = client.get("/api/v1/openapi.json")
    verwijzingen = set(re.findall(r'"#/components/schemas/([A-Za-z]+)"', document.get_data(as_text=True)))
    assert verwijzingen <= set(document.get_json()["components"]["schemas"])
