"""Logging in and out."""
from portal.auth import tweede_factor  # noqa: F401  (its routes join the blueprint)
from portal.auth.routes import bp

__all__ = ["bp"]
