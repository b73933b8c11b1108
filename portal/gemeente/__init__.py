"""The gemeente's pages: its folder with the migration, uploads and messages, and the old channels."""
from portal.gemeente import oude_kanalen  # noqa: F401  (registers its routes on the blueprint)
from portal.gemeente.routes import bp

__all__ = ["bp"]
