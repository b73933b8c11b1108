"""Receiving WMO407 messages and everything around them, one module per part:

- `ontvangst`: store first, check levels 0 to 3, apply an accepted message, answer with a WMO408;
- `register`: the registrations as the rules see them, and writing a judged or accepted message;
- `genereren`: the migration WMO407 for a gemeente without software;
- `berichten`: the messages page (list, retourcode filter, BSN search, one message).
"""
from __future__ import annotations

from portal.services.delivery.berichten import (
                                                Berichtdetail,
                                                Berichtregel,
                                                BsnOverzicht,
                                                bericht_detail,
                                                berichten,
                                                retourcodes_in_gebruik,
                                                zoek_bsn,
)
from portal.services.delivery.genereren import GegenereerdBericht, genereer_wmo407
from portal.services.delivery.ontvangst import SOORT, EerdereOntvangst, Verwerking, ontvang_wmo407

__all__ = [
    "SOORT", "Berichtdetail", "Berichtregel", "BsnOverzicht", "EerdereOntvangst", "GegenereerdBericht",
    "Verwerking", "bericht_detail", "berichten", "genereer_wmo407", "ontvang_wmo407",
    "retourcodes_in_gebruik", "zoek_bsn",
]
