from flask import Blueprint, abort, current_app
from flask_login import current_user, login_required

bp = Blueprint("ketentest", __name__, url_prefix="/ketentest")


@bp.before_request
@login_required
def alleen_ketentest_en_cak():
    if current_app.config["PORTAL_MODE"] != "ketentest" or not current_user.is_cak:
        abort(404)


from portal.ketentest import routes  # noqa: E402,F401
