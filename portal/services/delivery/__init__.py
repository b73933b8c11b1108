"""Receiving WMO407 messages and everything around them, one module per part:

- `ontvangst`: store first, check levels 0 to 3, apply an accepted message, answer with a WMO408;
- `register`: the registrations as the rules see them, and writing a judged or accepted message;
- `genereren`: the migration WMO407 for a gemeente without software;
- `berichten`: the messages page (list, the periods of a retourcode, BSN search, one message, the rejected
  periods as a spreadsheet).
"""
from __future__ import annotations

from portal.services.delivery.berichten import (
                                                Berichtdetail,
                                                Berichtregel,
                                                Bevindingsperiode,
                                                BsnOverzicht,
                                                Export,
                                                Periodelijst,
                                                bericht_detail,
                                                bericht_op_id,
                                                berichten,
                                                exporteer_afgekeurd_bericht,
                                                exporteer_retourcode,
                                                lees_bsn,
                                                perioden_met_retourcode,
                                                retourbericht,
                                                retourcodes_in_gebruik,
                                                zoek_bsn,
)
from portal.services.delivery.genereren import GegenereerdBericht, genereer_wmo407
from portal.services.delivery.ontvangst import SOORT, EerdereOntvangst, Verwerking, ontvang_wmo407

__all__ = [
    "SOORT", "Berichtdetail", "Berichtregel", "Bevindingsperiode", "BsnOverzicht", "EerdereOntvangst", "Export",
    "GegenereerdBericht", "Periodelijst", "Verwerking", "bericht_detail", "bericht_op_id", "berichten",
    "exporteer_afgekeurd_bericht", "exporteer_retourcode", "genereer_wmo407", "lees_bsn", "ontvang_wmo407",
    "perioden_met_retourcode", "retourbericht", "retourcodes_in_gebruik", "zoek_bsn",
]
