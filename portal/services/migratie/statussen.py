"""The counts beside the status of many gemeenten at once (the CAK's dashboard, a timeslot's list,
`portal migratie status`): one grouped query per concern (the B4 rows, the codes of the terugkoppeling, the
WMO407 messages), whatever the number of gemeenten. `overzicht.status` counts one gemeente the same way."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import func, or_, select

from portal.aansluiting import Uitkomst
from portal.extensions import db
from portal.models import (
    B4Regel,
    Bestand,
    Categorie,
    Migratie,
    Terugkoppeling,
    TerugkoppelingRegel,
    Wmo407Bericht,
)
from portal.spreadsheets.terugkoppeling import CODES as TERUGKOPPELING_CODES


def aantallen_van(migraties: Collection[Migratie]) -> dict[int, dict[str, int]]:
    """The counts of `overzicht.status` for these gemeenten' migrations, by gemeente id, in three queries."""
    ids = [m.gemeente_id for m in migraties]
    # The latest B4 of each gemeente (as dossier.laatste_b4) and its number of rows.
    rang = func.row_number().over(partition_by=Bestand.gemeente_id,
                                  order_by=(Bestand.gepubliceerd_op.desc(), Bestand.id.desc()))
    b4 = (select(Bestand.id, Bestand.gemeente_id, rang.label("rang"))
          .where(Bestand.gemeente_id.in_(ids), Bestand.categorie == Categorie.BESTANDSVERGELIJKING,
                 Bestand.sleutel.like("B4:%")).subquery())
    in_b4: dict[int, int] = dict(db.session.execute(
        select(b4.c.gemeente_id, func.count(B4Regel.id)).outerjoin(B4Regel, B4Regel.bestand_id == b4.c.id)
        .where(b4.c.rang == 1).group_by(b4.c.gemeente_id)).all())
    # The codes of the approved terugkoppeling, or of the current one before the akkoord (dossier.verwachte_codes).
    codes: dict[int, dict[str, int]] = defaultdict(dict)
    for gemeente_id, code, aantal in db.session.execute(
            select(Terugkoppeling.gemeente_id, TerugkoppelingRegel.code, func.count())
            .join(Terugkoppeling, TerugkoppelingRegel.terugkoppeling_id == Terugkoppeling.id)
            .outerjoin(Migratie, Migratie.gemeente_id == Terugkoppeling.gemeente_id)
            .where(Terugkoppeling.gemeente_id.in_(ids),
                   or_(Migratie.akkoord_terugkoppeling_id == Terugkoppeling.id,
                       Migratie.akkoord_terugkoppeling_id.is_(None) & Terugkoppeling.actueel.is_(True)))
            .group_by(Terugkoppeling.gemeente_id, TerugkoppelingRegel.code)):
        codes[gemeente_id][code] = aantal
    berichten: dict[int, dict[bool, int]] = defaultdict(dict)
    for gemeente_id, geaccepteerd, aantal in db.session.execute(
            select(Wmo407Bericht.gemeente_id, Wmo407Bericht.geaccepteerd, func.count())
            .where(Wmo407Bericht.gemeente_id.in_(ids))
            .group_by(Wmo407Bericht.gemeente_id, Wmo407Bericht.geaccepteerd)):
        berichten[gemeente_id][bool(geaccepteerd)] = aantal
    return {m.gemeente_id: tellingen(m, in_b4.get(m.gemeente_id, 0), codes.get(m.gemeente_id, {}),
                                     berichten.get(m.gemeente_id, {})) for m in migraties}


def tellingen(migratie: Migratie, in_b4: int, codes: dict[str, int], berichten: dict[bool, int]) -> dict[str, int]:
    """The counts a status shows, from what was counted: rows in the B4, codes in the terugkoppeling, messages."""
    aantallen = {"in_b4": in_b4}
    for code in TERUGKOPPELING_CODES:
        aantallen[f"terugkoppeling_{code}"] = codes.get(code, 0)
    aantallen["verwacht"] = migratie.verwacht_aantal if migratie.verwacht_aantal is not None else codes.get("J", 0)
    aansluiting = migratie.aansluiting or {}
    aantallen["ontvangen"] = aansluiting.get("ontvangen", 0)
    aantallen["berichten_geaccepteerd"] = berichten.get(True, 0)
    aantallen["berichten_afgekeurd"] = berichten.get(False, 0)
    for uitkomst in Uitkomst:
        aantallen[uitkomst.value] = (aansluiting.get("aantallen") or {}).get(uitkomst.value, 0)
    return aantallen
