"""Storing files: uploads are kept before anything else happens; published files live in folders.

File contents live in the database, in the same transaction as their metadata.
"""
from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import Bestand, Gemeente, Ontvangst, OntvangstStatus
from portal.services import audit, bewaartermijn
from portal.services.audit import Actor
from portal.services.klok import nu

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML = "application/xml"


def sha256(inhoud: bytes) -> str:
    return hashlib.sha256(inhoud).hexdigest()


def bewaar_ontvangst(*, inhoud: bytes, bestandsnaam: str, soort: str, kanaal: str, actor: Actor,
                     gemeente: Gemeente | None) -> Ontvangst:
    """Store an upload byte for byte and commit it, before it is processed."""
    ontvangst = Ontvangst(
        gemeente_id=gemeente.id if gemeente is not None else None,
        gebruiker_id=actor.user_id,
        kanaal=kanaal,
        soort=soort,
        # NUL is the one character a PostgreSQL text column cannot hold; the name is kept otherwise as sent.
        bestandsnaam=((bestandsnaam or "").replace("\x00", "") or "zonder-naam")[:255],
        inhoud=inhoud,
        sha256=sha256(inhoud),
        grootte=len(inhoud),
        ontvangen_op=nu(),
        status=OntvangstStatus.ONTVANGEN,
        # The worker that stores it processes it; if it dies, the claim expires and the planner takes over.
        geclaimd_op=datetime.now(UTC),
        geclaimd_door=verwerker(),
    )
    db.session.add(ontvangst)
    db.session.flush()
    audit.registreer(actor, "bestand_ontvangen", object_type="ontvangst", object_id=ontvangst.id,
                     gemeente_id=ontvangst.gemeente_id,
                     details={"soort": soort, "kanaal": kanaal, "bestandsnaam": ontvangst.bestandsnaam,
                              "sha256": ontvangst.sha256, "grootte": ontvangst.grootte})
    db.session.commit()
    if ontvangst.gemeente_id is not None:
        bewaartermijn.ruim_op(ontvangst.gemeente_id)  # room for what comes next; this one is not refused yet
    return ontvangst


def verwerker() -> str:
    """This process, as it is named on the uploads it claims."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def markeer(ontvangst: Ontvangst, status: OntvangstStatus, uitkomst: str, details: Any | None = None) -> None:
    ontvangst.status = status
    ontvangst.uitkomst = uitkomst
    if details is not None:
        ontvangst.details = details


@dataclass(frozen=True)
class NieuwBestand:
    categorie: str
    naam: str
    inhoud: bytes
    mediatype: str
    gepubliceerd_op: datetime | None = None
    sleutel: str | None = None


def bestand_met_sleutel(gemeente: Gemeente, sleutel: str) -> Bestand | None:
    """The file a scheduled step placed in the gemeente's folder under this key, if it did."""
    return db.session.scalar(select(Bestand).where(Bestand.gemeente_id == gemeente.id, Bestand.sleutel == sleutel))


def plaats_bestand(gemeente: Gemeente, bestand: NieuwBestand, actor: Actor) -> Bestand:
    """Put a file in the gemeente's folder. With a key, placing it again returns the first one."""
    if bestand.sleutel is not None:
        bestaand = bestand_met_sleutel(gemeente, bestand.sleutel)
        if bestaand is not None:
            return bestaand
    nieuw = Bestand(
        gemeente_id=gemeente.id,
        categorie=bestand.categorie,
        naam=bestand.naam,
        mediatype=bestand.mediatype,
        inhoud=bestand.inhoud,
        sha256=sha256(bestand.inhoud),
        grootte=len(bestand.inhoud),
        gepubliceerd_op=bestand.gepubliceerd_op or nu(),
        gemaakt_door_id=actor.user_id,
        gemaakt_door_job=actor.job if actor.user is None else None,
        sleutel=bestand.sleutel,
    )
    db.session.add(nieuw)
    db.session.flush()
    audit.registreer(actor, "bestand_geplaatst", object_type="bestand", object_id=nieuw.id,
                     gemeente_id=gemeente.id,
                     details={"naam": nieuw.naam, "categorie": nieuw.categorie, "sha256": nieuw.sha256})
    return nieuw
