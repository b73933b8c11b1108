"""The gemeente's pages: its folder with the migration, uploads and messages."""
from portal.gemeente.routes import bp

__all__ = ["bp"]
