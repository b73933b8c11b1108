"""The CAK's pages: the dashboard, the gemeenten, one gemeente with its actions, and the outbox."""
from portal.cak.routes import bp

__all__ = ["bp"]
