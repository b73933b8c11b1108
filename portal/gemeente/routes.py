from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.gemeente import bp
from portal.services import folders, toegang
from portal.services.audit import Actor
from portal.web import client_ip


def actor() -> Actor:
    return Actor(user=current_user._get_current_object(), ip=client_ip())


@bp.route("/")
@login_required
def start():
    if current_user.is_cak:
        return redirect(url_for("cak.overzicht"))
    gemeenten = toegang.zichtbare_gemeenten(current_user)
    if len(gemeenten) == 1:
        return redirect(url_for("gemeente.map", code=gemeenten[0].code))
    return render_template("gemeente/start.html", gemeenten=gemeenten)


@bp.route("/gemeenten/<code>/")
@login_required
def map(code: str):
    gemeentemap = folders.map_van(current_user, code)
    return render_template("gemeente/map.html", map=gemeentemap, gemeente=gemeentemap.gemeente)


@bp.route("/bestanden/<int:bestand_id>")
@login_required
def download(bestand_id: int):
    uitgifte = folders.download(current_user, bestand_id, actor())
    response = Response(uitgifte.inhoud, mimetype=uitgifte.mediatype)
    response.headers.set("Content-Disposition", "attachment", filename=uitgifte.naam)
    response.headers["X-Content-SHA256"] = uitgifte.sha256
    response.headers["Cache-Control"] = "no-store"
    return response
