"""API tokens of users: a software supplier's (or a gemeente's) key to the JSON API."""
from __future__ import annotations
