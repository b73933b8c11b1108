"""What the CAK pages show, put together from the services' reading functions.

Nothing here decides anything about a migration: the states, flags, deadlines, counts and the
actions that are possible all come from `portal.services.migratie` and its neighbours. This module
only groups and orders them for the screen, and computes the geometry of the server-side charts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from portal import kalender
from portal.aansluiting import UITKOMST_NAAM, UITKOMST_OMSCHRIJVING, Uitkomst
from portal.models import Belactie, Bestand, Gebeurtenis, Gemeente, Mail, Migratie, Ontvangst, User
from portal.services import audit, folders, kanalen, mail, migratie, opvolging, planner, toegang, uitval
from portal.services.klok import nu
from portal.spreadsheets.bestandsvergelijking import TERUGKOPPELING_CODES as CODES_MET_TEKST
from portal.spreadsheets.terugkoppeling import CODES as TERUGKOPPELING_CODES
from portal.toestanden import TOESTAND_TEKST, TOESTAND_VOLGORDE, VLAG_TEKST, MogelijkeActie, Toestand

UITKOMSTEN = [u.value for u in Uitkomst]
UITKOMST_KOP = {u.value: naam for u, naam in UITKOMST_NAAM.items()}
UITKOMST_KORT = {
    "ok": "ok",
    "ontbreekt": "ontbr.",
    "afwijkende_startdatum": "afw. start",
    "onverwacht": "onverw.",
    "afgekeurd": "afgek.",
}
UITKOMST_TEKST = {u.value: tekst for u, tekst in UITKOMST_OMSCHRIJVING.items()}
NIET_J_CODES = tuple(c for c in TERUGKOPPELING_CODES if c != "J")
CODE_TEKST = dict(CODES_MET_TEKST)


@dataclass(frozen=True)
class Teksten:
    """The Dutch words the CAK templates show for the services' machine names."""

    toestand: dict[str, str]
    vlag: dict[str, str]
    codes: tuple[str, ...]
    code: dict[str, str]
    uitkomsten: list[str]
    uitkomst_kop: dict[str, str]
    uitkomst_kort: dict[str, str]
    uitkomst: dict[str, str]


TEKSTEN = Teksten(
    toestand={t.value: tekst for t, tekst in TOESTAND_TEKST.items()},
    vlag={v.value: tekst for v, tekst in VLAG_TEKST.items()}, codes=NIET_J_CODES, code=CODE_TEKST,
    uitkomsten=UITKOMSTEN, uitkomst_kop=UITKOMST_KOP, uitkomst_kort=UITKOMST_KORT, uitkomst=UITKOMST_TEKST)


# ---------------------------------------------------------------- the chart

@dataclass(frozen=True)
class Staaf:
    toestand: str
    tekst: str
    aantal: int
    y: int           # top of the bar
    breedte: int     # bar length in px (0 for no gemeenten)


@dataclass(frozen=True)
class Grafiek:
    """A horizontal bar chart: one bar per state, the number of gemeenten in it."""

    titel: str
    staven: list[Staaf]
    label_breedte: int = 230
    staaf_ruimte: int = 300
    regel_hoogte: int = 24
    staaf_hoogte: int = 16

    @property
    def breedte(self) -> int:
        return self.label_breedte + self.staaf_ruimte + 40

    @property
    def hoogte(self) -> int:
        return len(self.staven) * self.regel_hoogte + 8

    @property
    def beschrijving(self) -> str:
        return "; ".join(f"{s.tekst}: {s.aantal}" for s in self.staven) + "."


def grafiek(titel: str, toestanden: list[str]) -> Grafiek:
    """Bars for every state of the process after planning (and any other state that occurs)."""
    aantallen = {t: toestanden.count(t) for t in set(toestanden)}
    getoond = [t for t in TOESTAND_VOLGORDE if t != Toestand.NIET_GEPLAND or aantallen.get(t)]
    hoogste = max(aantallen.values(), default=0) or 1
    voorbeeld = Grafiek(titel, [])
    staven = []
    for index, toestand in enumerate(getoond):
        aantal = aantallen.get(toestand, 0)
        staven.append(Staaf(
            toestand=toestand.value, tekst=TOESTAND_TEKST[toestand], aantal=aantal,
            y=4 + index * voorbeeld.regel_hoogte,
            breedte=round(aantal / hoogste * voorbeeld.staaf_ruimte)))
    return Grafiek(titel, staven)


# ---------------------------------------------------------------- the dashboard

@dataclass(frozen=True)
class Week:
    """A timeslot on the dashboard: how many gemeenten, how many need action or are late, and the chart. Its
    list of gemeenten is loaded on demand (`week`)."""

    timeslot: date
    aantal: int
    aantal_actie_nodig: int
    aantal_met_vlag: int
    grafiek: Grafiek | None


# The dashboard shows this many rows of "Actie nodig" and of "Nog niet gepland", the most urgent first; the
# full lists are a page of their own (`lijsten`), so the dashboard's size does not grow with the country.
EERSTE = 25


@dataclass(frozen=True)
class Dashboard:
    moment: datetime
    actie_nodig: list[migratie.Status]     # the first EERSTE, most urgent first
    weken: list[Week]
    niet_gepland: list[migratie.Status]    # the first EERSTE
    totaal: int
    met_vlag: int
    gemigreerd: int
    opvolgtaken: list[opvolging.Taak] = field(default_factory=list)   # open follow-up tasks
    aantal_actie_nodig: int = 0
    aantal_niet_gepland: int = 0

    @property
    def gevulde_weken(self) -> list[Week]:
        return [w for w in self.weken if w.aantal]

    @property
    def lege_weken(self) -> list[date]:
        return [w.timeslot for w in self.weken if not w.aantal]

    def verlopen(self, status: migratie.Status) -> bool:
        """Whether the next deadline shown for this gemeente already lies in the past."""
        return verlopen(status, self.moment)


def verlopen(status: migratie.Status | migratie.Stand, moment: datetime) -> bool:
    return status.deadline is not None and status.deadline[0] < moment


S = TypeVar("S", migratie.Status, migratie.Stand)


def _eerst_actie(statussen: list[S]) -> list[S]:
    return sorted(statussen, key=lambda s: (s.actie_nodig is None, not s.vlaggen, s.naam))


def _urgent_eerst(statussen: list[S], moment: datetime) -> list[S]:
    """Those that need action: late ones (a signal) first, then those whose deadline has passed, then by the
    nearest deadline, then by name."""
    return sorted(statussen, key=lambda s: (not s.vlaggen, not verlopen(s, moment), s.deadline is None,
                                            s.deadline[0] if s.deadline else moment, s.naam))


def _grafiektitel(timeslot: date) -> str:
    return f"Aantal gemeenten per toestand, week van {kalender.format_datum(timeslot)}"


def dashboard(user: User) -> Dashboard:
    """Every delivering gemeente by timeslot, with what needs the CAK's attention first: the gemeenten that
    need action and those not planned yet in full, of each timeslot the numbers and the chart (its list comes
    with `week`). A fixed number of queries, whatever the number of gemeenten; the clock is read once. The
    counts and the order come from plain columns (`migratie.stand`), the full status only for the rows shown."""
    moment = nu()
    statussen = migratie.stand(user, moment=moment)
    per_week: dict[date, list[migratie.Stand]] = {t: [] for t in migratie.timeslots()}
    niet_gepland = []
    for status in statussen:
        if status.timeslot is None:
            niet_gepland.append(status)
        else:
            per_week.setdefault(status.timeslot, []).append(status)
    weken = [Week(timeslot, len(groep), sum(1 for s in groep if s.actie_nodig), sum(1 for s in groep if s.vlaggen),
                  grafiek(_grafiektitel(timeslot), [s.toestand for s in groep]) if groep else None)
             for timeslot, groep in sorted(per_week.items())]
    actie = _urgent_eerst([s for s in statussen if s.actie_nodig], moment)
    niet_gepland = _eerst_actie(niet_gepland)
    getoond = [s.gemeente_id for s in actie[:EERSTE] + niet_gepland[:EERSTE]]
    volledig = ({s.gemeente.id: s for s in migratie.overzicht(user, met_aantallen=False, moment=moment, ids=getoond)}
                if getoond else {})
    return Dashboard(
        moment=moment,
        actie_nodig=[volledig[s.gemeente_id] for s in actie[:EERSTE] if s.gemeente_id in volledig],
        weken=weken,
        niet_gepland=[volledig[s.gemeente_id] for s in niet_gepland[:EERSTE] if s.gemeente_id in volledig],
        totaal=len(statussen),
        met_vlag=sum(1 for s in statussen if s.vlaggen),
        gemigreerd=sum(1 for s in statussen if s.toestand == Toestand.GEMIGREERD),
        opvolgtaken=opvolging.open_taken(user),
        aantal_actie_nodig=len(actie),
        aantal_niet_gepland=len(niet_gepland),
    )


@dataclass(frozen=True)
class Lijsten:
    """Every gemeente that needs action and every one not planned yet: the dashboard's two lists in full."""

    moment: datetime
    actie_nodig: list[migratie.Status]
    niet_gepland: list[migratie.Status]

    def verlopen(self, status: migratie.Status) -> bool:
        return verlopen(status, self.moment)


def lijsten(user: User) -> Lijsten:
    moment = nu()
    statussen = migratie.overzicht(user, met_aantallen=False, moment=moment)
    return Lijsten(moment, _urgent_eerst([s for s in statussen if s.actie_nodig], moment),
                   _eerst_actie([s for s in statussen if s.migratie.timeslot is None]))


@dataclass(frozen=True)
class Weeklijst:
    """The gemeenten of one timeslot with their counts, those that need action first."""

    timeslot: date
    moment: datetime
    statussen: list[migratie.Status]
    uitval: dict[int, int]

    def uitval_van(self, status: migratie.Status) -> int:
        return self.uitval.get(status.gemeente.id, 0)

    def verlopen(self, status: migratie.Status) -> bool:
        return verlopen(status, self.moment)


def week(user: User, tekst: str) -> Weeklijst:
    """One timeslot's list (`tekst`: its Monday as JJJJ-MM-DD; NietGevonden for a day that is no timeslot)."""
    try:
        timeslot = date.fromisoformat(tekst)
    except ValueError:
        raise toegang.NietGevonden(tekst) from None
    if timeslot not in migratie.timeslots():
        raise toegang.NietGevonden(tekst)
    moment = nu()
    statussen = migratie.overzicht(user, timeslot=timeslot, moment=moment)
    ids = [s.gemeente.id for s in statussen]
    return Weeklijst(timeslot, moment, _eerst_actie(statussen), uitval.aantallen(ids) if ids else {})


# ---------------------------------------------------------------- one gemeente

@dataclass(frozen=True)
class Kalenderregel:
    stap: kalender.Kalenderstap
    voorbij: bool


@dataclass(frozen=True)
class Geplande:
    due_op: datetime
    omschrijving: str
    status: str
    pogingen: int
    uitgevoerd_op: datetime | None
    fout: str | None


@dataclass(frozen=True)
class Verschil:
    bsn: str
    terugkoppeling: str | None
    uitkomst: str
    uitkomst_tekst: str
    bw_startdatum: date | None


def verschillen(aansluiting: dict | None) -> list[Verschil]:
    regels = []
    for regel in (aansluiting or {}).get("verschillen") or []:
        startdatum = regel.get("bw_startdatum")
        regels.append(Verschil(
            bsn=regel.get("bsn", ""), terugkoppeling=regel.get("terugkoppeling"),
            uitkomst=regel.get("uitkomst", ""),
            uitkomst_tekst=UITKOMST_TEKST.get(regel.get("uitkomst", ""), regel.get("uitkomst", "")),
            bw_startdatum=date.fromisoformat(startdatum) if startdatum else None))
    return regels


@dataclass(frozen=True)
class Dossier:
    gemeente: Gemeente
    moment: datetime
    status: migratie.Status | None = None          # None: the gemeente does not deliver itself
    kalender: list[Kalenderregel] = field(default_factory=list)
    gebeurtenissen: list[Gebeurtenis] = field(default_factory=list)
    kanalen: list[kanalen.KanaalStand] = field(default_factory=list)
    geplande_acties: list[Geplande] = field(default_factory=list)
    belactie: Belactie | None = None
    belverschillen: list[Verschil] = field(default_factory=list)
    mogelijke_acties: list[MogelijkeActie] = field(default_factory=list)
    laatste_bestanden: list[Bestand] = field(default_factory=list)
    aantal_bestanden: int = 0
    ontvangsten: list[Ontvangst] = field(default_factory=list)    # every upload, newest first
    aantal_ontvangsten: int = 0
    timeslots: tuple[date, ...] = ()       # the weeks still open for planning

    @property
    def migratie(self) -> Migratie | None:
        return self.status.migratie if self.status else None

    @property
    def aansluiting(self) -> dict[str, Any] | None:
        return self.migratie.aansluiting if self.migratie else None

    @property
    def verschillen(self) -> list[Verschil]:
        return verschillen(self.aansluiting)

    @property
    def actie_namen(self) -> set[str]:
        return {a.naam for a in self.mogelijke_acties}

    @property
    def voorgestelde_timeslot(self) -> date | None:
        """What the plan form shows selected: the current timeslot, else the gemeente's preference, else the
        first week still open."""
        if self.migratie is None:
            return None
        for keuze in (self.migratie.timeslot, self.migratie.voorkeur_timeslot, self.migratie.tweede_keus_timeslot):
            if keuze in self.timeslots:
                return keuze
        return self.timeslots[0] if self.timeslots else None


def dossier(user: User, code: str, laatste: int = 5) -> Dossier:
    """Everything the CAK needs on one gemeente's page (NietGevonden when the user may not see it)."""
    gemeente = toegang.gemeente_voor(user, code)
    moment = nu()
    if not gemeente.levert_aan:
        return Dossier(gemeente=gemeente, moment=moment)
    status = migratie.status(gemeente)
    regels = [Kalenderregel(stap, stap.moment < moment)
              for stap in kalender.kalender(status.migratie.timeslot)] if status.migratie.timeslot else []
    gemeentemap = folders.map_van(user, code)
    bestanden = sorted((b for groep in gemeentemap.groepen for b in groep.bestanden),
                       key=lambda b: (b.gepubliceerd_op, b.id), reverse=True)
    belactie = migratie.open_belactie(gemeente)
    uploads, aantal_uploads = folders.ontvangsten(user, code)
    dossier = Dossier(
        gemeente=gemeente, moment=moment, status=status, kalender=regels,
        gebeurtenissen=list(reversed(migratie.gebeurtenissen(gemeente))),
        kanalen=kanalen.stand(gemeente),
        geplande_acties=[Geplande(a.due_op, planner.omschrijving(a.soort), a.status, a.pogingen,
                                  a.uitgevoerd_op, a.fout) for a in planner.acties_van(gemeente)],
        belactie=belactie,
        belverschillen=verschillen(belactie.verschillen) if belactie else [],
        mogelijke_acties=migratie.mogelijke_acties(status.migratie, user),
        laatste_bestanden=bestanden[:laatste], aantal_bestanden=len(bestanden),
        ontvangsten=uploads, aantal_ontvangsten=aantal_uploads,
        timeslots=migratie.open_timeslots(moment))
    audit.bsns_getoond(user, [v.bsn for v in [*dossier.verschillen, *dossier.belverschillen]], gemeente.id)
    return dossier


# ---------------------------------------------------------------- the outbox

def uitbak() -> list[Mail]:
    return mail.uitbak()


def uitbak_bericht(mail_id: int) -> Mail:
    """One mail of the outbox, or NietGevonden."""
    bericht = mail.bericht(mail_id)
    if bericht is None:
        raise toegang.NietGevonden(mail_id)
    return bericht
