"""Bench only: the portal as gunicorn serves it (`portal.create_app()`), plus a bare route that answers with a
page's HTML from memory, the baseline of the web measure (bench/metingen/web.py). Never part of portal/.

The HTML comes from the file <naam>.html in the folder BENCH_BASIS_MAP, read once per worker on first use."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Response

from portal import create_app

app = create_app()
_BASIS: dict[str, bytes] = {}


@app.route("/bench/basis/<naam>")
def basis(naam: str) -> Response:
    if naam not in _BASIS:
        pad = Path(os.environ.get("BENCH_BASIS_MAP", ".")) / f"{naam}.html"
        _BASIS[naam] = pad.read_bytes() if naam.isalnum() and pad.exists() else b""
    return Response(_BASIS[naam], mimetype="text/html")
