"""Users managed in the portal: invitations and access requests."""
from __future__ import annotations
