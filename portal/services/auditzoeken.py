"""Searching the audit trail, for the CAK's beheerders only: on user, gemeente, BSN and a period of real
time, page by page, and the result as a CSV file (the export is itself an event of the trail)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, String, cast, func, select

from portal.extensions import db
from portal.kalender import NL, format_moment
from portal.models import AuditEvent, Gemeente, User
from portal.services import audit
from portal.services.audit import Actor
from portal.services.toegang import NietGevonden

PER_PAGINA = 50
MAX_EXPORT = 100_000


@dataclass(frozen=True)
class Zoekvraag:
    email: str = ""
    gemeente: str = ""
    bsn: str = ""
    van: str = ""
    tot: str = ""


@dataclass
class Uitkomst:
    vraag: Zoekvraag
    events: list[AuditEvent] = field(default_factory=list)
    totaal: int = 0
    pagina: int = 1
    fouten: dict[str, str] = field(default_factory=dict)

    @property
    def paginas(self) -> int:
        return max(1, -(-self.totaal // PER_PAGINA))


def _mag(user: User | None) -> None:
    if user is None or not user.is_cak_beheerder:
        raise NietGevonden("audit")


def _datum(tekst: str) -> date:
    for patroon in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(tekst.strip(), patroon).date()
        except ValueError:
            continue
    raise ValueError(tekst)


def _query(vraag: Zoekvraag) -> tuple[Select[AuditEvent], dict[str, str]]:
    query = select(AuditEvent)
    fouten: dict[str, str] = {}
    if vraag.email.strip():
        query = query.where(func.lower(AuditEvent.actor).contains(vraag.email.strip().lower(), autoescape=True))
    if vraag.gemeente.strip():
        gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == vraag.gemeente.strip()))
        if gemeente is None:
            fouten["gemeente"] = (f"Gemeente met code '{vraag.gemeente.strip()[:10]}' is niet bekend. "
                                  "Vul de viercijferige CBS-code in, bijvoorbeeld 0363.")
        else:
            query = query.where(AuditEvent.gemeente_id == gemeente.id)
    if vraag.bsn.strip():
        bsn = re.sub(r"[\s.\-]+", "", vraag.bsn)
        if not re.fullmatch(r"[0-9]{9}", bsn):
            fouten["bsn"] = "Een BSN heeft 9 cijfers. Vul alleen de 9 cijfers van het BSN in."
        else:
            query = query.where(cast(AuditEvent.bsns, String).contains(f'"{bsn}"'))
    for naam, tekst in (("van", vraag.van), ("tot", vraag.tot)):
        if not tekst.strip():
            continue
        try:
            dag = _datum(tekst)
        except ValueError:
            fouten[naam] = (f"'{tekst.strip()[:20]}' is geen datum. Schrijf de datum als dd-mm-jjjj, "
                            "bijvoorbeeld 03-10-2022.")
            continue
        begin = datetime.combine(dag, datetime.min.time(), NL)
        query = (query.where(AuditEvent.op_echt >= begin) if naam == "van"
                 else query.where(AuditEvent.op_echt < begin + timedelta(days=1)))
    return query, fouten


def zoek(user: User, vraag: Zoekvraag, pagina: int = 1) -> Uitkomst:
    """One page of the events that match (newest first); the errors per field when the question is wrong."""
    _mag(user)
    query, fouten = _query(vraag)
    if fouten:
        return Uitkomst(vraag, fouten=fouten)
    if vraag.bsn.strip():
        audit.bsns_getoond(user, [re.sub(r"[\s.\-]+", "", vraag.bsn)])
    totaal = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pagina = min(max(1, pagina), max(1, -(-totaal // PER_PAGINA)))
    events = db.session.scalars(query.order_by(AuditEvent.volgnummer.desc())
                                .offset((pagina - 1) * PER_PAGINA).limit(PER_PAGINA)).all()
    return Uitkomst(vraag, list(events), totaal, pagina)


KOLOMMEN = ("nummer", "tijdstip (echt)", "tijdstip (portaalklok)", "wie", "actie", "object", "gemeente_id",
            "adres", "bsns", "aantal_bsns", "details", "hash")


def _veilig(waarde: object) -> str:
    """A cell that a spreadsheet would read as a formula starts with an apostrophe."""
    tekst = "" if waarde is None else str(waarde)
    return "'" + tekst if tekst[:1] in ("=", "+", "-", "@", "\t", "\r") else tekst


def exporteer(actor: Actor, vraag: Zoekvraag) -> tuple[str, bytes] | dict[str, str]:
    """The matching events as CSV (UTF-8 with BOM, semicolons), or the errors per field; audited."""
    _mag(actor.user)
    query, fouten = _query(vraag)
    if fouten:
        return fouten
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow(KOLOMMEN)
    aantal = 0
    for e in db.session.scalars(query.order_by(AuditEvent.volgnummer).limit(MAX_EXPORT)):
        aantal += 1
        schrijver.writerow([_veilig(v) for v in (
            e.volgnummer, format_moment(e.op_echt), format_moment(e.op), e.actor, e.actie,
            f"{e.object_type or ''} {e.object_id or ''}".strip(), e.gemeente_id, e.ip,
            " ".join(e.bsns or []), e.aantal_bsns, "" if e.details is None else e.details, e.hash)])
    audit.registreer(actor, "audittrail_geexporteerd", details={
        "email": vraag.email, "gemeente": vraag.gemeente, "bsn_gezocht": bool(vraag.bsn.strip()),
        "van": vraag.van, "tot": vraag.tot, "aantal": aantal})
    db.session.commit()
    return "audittrail.csv", ("\ufeff" + uit.getvalue()).encode("utf-8")
