"""The blueprint of the JSON API (/api/v1), on which each area module registers its routes."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
