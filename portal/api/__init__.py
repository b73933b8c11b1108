"""The JSON API for software suppliers under /api/v1, with bearer tokens; and the portal's page where a user
manages their API tokens; and /api, the document rendered for people."""
from portal.api.auth import fout_response
from portal.api.documentatie import bp as documentatie_bp
from portal.api.routes import bp
from portal.api.tokenpagina import bp as tokens_bp

__all__ = ["bp", "documentatie_bp", "fout_response", "tokens_bp"]
