"""The answer to every download, web and API: the file's bytes with a Content-Disposition header that
works for any name (see `portal.bestandsnaam`) and never kept in a cache (a file may hold BSNs)."""
from __future__ import annotations

from flask import Response

from portal.bestandsnaam import content_disposition


def bijlage(inhoud: bytes, mediatype: str, naam: str, sha256: str | None = None) -> Response:
    response = Response(inhoud, mimetype=mediatype)
    response.headers["Content-Disposition"] = content_disposition(naam)
    if sha256 is not None:
        response.headers["X-Content-SHA256"] = sha256
    response.headers["Cache-Control"] = "no-store"
    return response
