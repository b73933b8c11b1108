"""The blueprint of the JSON API (/api/v1), on which each area module registers its routes.

A record's number in an address is `<id:...>`: a whole number from 1 to MAX_ID (a PostgreSQL integer), so
that a number the database cannot hold is a plain 404 and never reaches a query."""
from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.record_once
def _registreer_id(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("id", IdConverter)
