"""The CAK's follow-up tasks after the migration period."""
from __future__ import annotations
