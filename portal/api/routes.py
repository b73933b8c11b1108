"""The blueprint of the JSON API (/api/v1). Its routes live in one module per area, each registering on
`bp`: `auth` (the bearer token, the rate limit, the JSON errors), `gemeenten`, `bestanden`, `berichten`,
`cak`, `uitval`, `oude_kanalen` (the old channels), `ketentest` and `openapi` (the OpenAPI 3.1 document
that describes every route).

A route parses its input, calls a service and answers JSON; what may be done is decided by the services.
The API never reads the session cookie: only a token authenticates it, so it needs no CSRF token.
"""
from __future__ import annotations

from portal.api import (  # noqa: F401  (the routes)
    auth,
    berichten,
    bestanden,
    cak,
    gemeenten,
    ketentest,
    openapi,
    oude_kanalen,
    uitval,
)
from portal.api.blueprint import bp

__all__ = ["bp"]
