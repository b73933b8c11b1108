"""Logging in and out."""
from portal.auth.routes import bp

__all__ = ["bp"]
