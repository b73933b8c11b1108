from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("cak", __name__, url_prefix="/cak")


@bp.before_request
@login_required
def alleen_cak():
    if not current_user.is_cak:
        abort(404)


from portal.cak import routes  # noqa: E402,F401
