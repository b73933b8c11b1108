"""The users' pages: a gemeente's users for its beheerder, invitations, access requests."""
from portal.gebruikers.routes import bp

__all__ = ["bp"]
