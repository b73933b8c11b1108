"""The OpenAPI document is true: schemathesis generates requests for every operation from the document and
sends them to the portal served on a loopback port (ketentest mode, a demo gemeente, a valid token). No answer
may be a server error or break the document (status code, content type, body schema).

Deterministic for CI: a fixed seed, derandomized examples, a bounded number per operation, no deadline."""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.api.openapi import document
from portal.toestanden import Toestand
from tests.conftest import _maak_app, _sluit
from tests.scenario import api_token, leverende_gemeente, medewerker, naar_toestand, stuur_gegenereerde_wmo407

VOORBEELDEN = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def portaal(migrated_database, module_clock, trage_functies_onthouden) -> Iterator[dict[str, str]]:
    """The portal on a loopback port in ketentest mode: Amsterdam has delivered its WMO407 (AANGELEVERD), its
    user has a token. The token's rate limit is lifted so that every generated request is answered."""
    from werkzeug.serving import make_server

    app = _maak_app(migrated_database, module_clock, {"PORTAL_MODE": "ketentest", "API_LIMIET": 1_000_000})
    with app.app_context():
        amsterdam = leverende_gemeente("0363", "Amsterdam", clients=2)
        naar_toestand(module_clock, Toestand.AKKOORD_AANLEVEREN, amsterdam)
        stuur_gegenereerde_wmo407(amsterdam)
        token = api_token(medewerker("Amsterdam"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "token": token}
    finally:
        server.shutdown()
        thread.join(timeout=5)
        _sluit(app)


@pytest.fixture(scope="module")
def api_schema(portaal):
    """The document as the live portal serves it."""
    config = schemathesis.Config.from_dict({"seed": 20221003, "generation": {"deterministic": True}})
    return schemathesis.openapi.from_url(f"{portaal['url']}/api/v1/openapi.json", config=config)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
schemathesis.serializer.alias(XLSX, "application/octet-stream")  # an .xlsx body is sent as its bytes


def _operaties() -> list[tuple[str, str, GenerationMode]]:
    """Every operation with valid input, and with invalid input where it has any input to get wrong."""
    gevallen = []
    for pad, operaties in document()["paths"].items():
        for methode, operatie in operaties.items():
            gevallen.append((methode, pad, GenerationMode.POSITIVE))
            if operatie["parameters"] or "requestBody" in operatie or operatie.get("security") != []:
                gevallen.append((methode, pad, GenerationMode.NEGATIVE))
    return gevallen


OPERATIES = _operaties()


@pytest.mark.parametrize(("methode", "pad", "soort"), OPERATIES,
                         ids=[f"{s.value} {m.upper()} {p}" for m, p, s in OPERATIES])
def test_every_operation_answers_as_the_openapi_document_says(api_schema, portaal, methode, pad, soort):
    operatie = api_schema[pad][methode.upper()]

    @given(case=operatie.as_strategy(generation_mode=soort))
    @settings(max_examples=VOORBEELDEN, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def antwoordt_volgens_het_document(case) -> None:
        if "code" in (case.path_parameters or {}):
            case.path_parameters["code"] = "0363"  # the token's gemeente; another one is a plain 404
        case.call_and_validate(base_url=f"{portaal['url']}/api/v1",
                               headers={"Authorization": f"Bearer {portaal['token']}"}, checks=CHECKS)

    antwoordt_volgens_het_document()
