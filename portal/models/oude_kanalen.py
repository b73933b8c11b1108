"""The old channels (H&V-app, Excel sheet, 60-record): the mutations they brought in."""
from __future__ import annotations
