"""The ketentest pages: the virtual clock (only in PORTAL_MODE=ketentest, only for CAK users) and the
kit for testers (ketentest and ontwikkeling)."""
from portal.ketentest import kit  # noqa: F401  (registers the kit's routes on bp)
from portal.ketentest.routes import bp

__all__ = ["bp"]
