"""The JSON API for software suppliers under /api/v1, with bearer tokens; and the portal's page where a user
manages their API tokens."""
from portal.api.auth import fout_response
from portal.api.routes import bp
from portal.api.tokenpagina import bp as tokens_bp

__all__ = ["bp", "fout_response", "tokens_bp"]
