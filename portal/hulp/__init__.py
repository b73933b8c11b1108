"""The pages anyone may read, logged in or not: help and contact, the accessibility statement, privacy."""
from portal.hulp.routes import bp

__all__ = ["bp"]
