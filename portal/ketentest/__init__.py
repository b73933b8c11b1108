"""The ketentest pages: the virtual clock (only in PORTAL_MODE=ketentest, only for CAK users)."""
from portal.ketentest.routes import bp

__all__ = ["bp"]
