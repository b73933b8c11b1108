from flask import Blueprint

bp = Blueprint("gemeente", __name__)

from portal.gemeente import routes  # noqa: E402,F401
