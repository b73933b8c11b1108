from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal.cak import bp
from portal.services import toegang


@bp.route("/")
def overzicht():
    gemeenten = toegang.zichtbare_gemeenten(current_user)
    return render_template("cak/overzicht.html", gemeenten=gemeenten)
