"""Bench only: the portal as gunicorn serves it (`portal.create_app()`), plus a bare route that answers with a
page's HTML from memory, the baseline of the web measure (bench/metingen/web.py). Never part of portal/.

The HTML comes from the files in the folder BENCH_BASIS_MAP (one file per page name), read once at start."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Response

from portal import create_app

app = create_app()
_BASIS = {pad.stem: pad.read_bytes() for pad in Path(os.environ.get("BENCH_BASIS_MAP", ".")).glob("*.html")}


@app.route("/bench/basis/<naam>")
def basis(naam: str) -> Response:
    return Response(_BASIS.get(naam, b""), mimetype="text/html")
