"""Help and contact, the accessibility statement and the privacy statement: readable without logging in.

The weekly rhythm comes from the calendar (`portal.hulp.weekritme`), the retourcodes and what to do
about each from the iEb core (`portal.ieb.retourcodes`), the dates of this installation from the
migration service; the templates hold only the prose.
"""
from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from portal import kalender
from portal.hulp import weekritme
from portal.ieb.retourcodes import ALGEMEEN_ADVIES, RETOURCODES, WAT_TE_DOEN
from portal.services import migratie
from portal.spreadsheets.bestandsvergelijking import TERUGKOPPELING_CODES

bp = Blueprint("hulp", __name__)

SERVICEDESK = "wmoservicedesk@hetcak.nl"
"""The CAK's Wmo servicedesk: the one address for questions about the portal and the migration."""

# The steps of a timeslot in the table of migration weeks, in the order of its columns.
WEEKKOLOMMEN = (kalender.Stap.B4_PUBLICEREN, kalender.Stap.TERUGKOPPELING_DEADLINE, kalender.Stap.AKKOORD_UITERLIJK,
                kalender.Stap.AANLEVERING_DEADLINE, kalender.Stap.AANLEVERRAPPORTAGE)


@bp.app_context_processor
def contact() -> dict[str, object]:
    """Every page's footer names the servicedesk."""
    return {"servicedesk": SERVICEDESK}


@bp.route("/help", endpoint="help")
def helppagina() -> ResponseReturnValue:
    timeslots = migratie.timeslots()
    voorbeeld = timeslots[0] if timeslots else kalender.TIMESLOTS[0]
    weken = [(t, [kalender.moment(t, stap) for stap in WEEKKOLOMMEN]) for t in timeslots]
    retourcodes = [(code, tekst, WAT_TE_DOEN[code]) for code, tekst in RETOURCODES.items()]
    return render_template("hulp/help.html", ritme=weekritme.weekritme(voorbeeld), weken=weken,
                           periode=weekritme.periode(timeslots), retourcodes=retourcodes,
                           algemeen_advies=ALGEMEEN_ADVIES, migratiedatum=migratie.migratie_startdatum(),
                           peildatum=migratie.peildatum_oude_kanalen(), terugkoppeling_codes=TERUGKOPPELING_CODES)


@bp.route("/toegankelijkheid")
def toegankelijkheid() -> ResponseReturnValue:
    return render_template("hulp/toegankelijkheid.html")


@bp.route("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("hulp/privacy.html")
