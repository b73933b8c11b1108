"""The bimonthly bestandsvergelijking after the migration: its rows, the gemeente's answer and the differences."""
from __future__ import annotations
