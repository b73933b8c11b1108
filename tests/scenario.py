"""The scenarios the tests share, built the way the portal's users and its planner would build them.

Everything goes through the services, on the test's fixed clock, in an open app context: making
gemeenten, users, BW clients and files; driving a gemeente to any state of its migration
(`naar_toestand`, `gemeente_in`); filling in a B4 as a gemeente user would in Excel; sending a
terugkoppeling and WMO407 messages; looking at what a user or operator can observe afterwards; and
reading the pages the web face answers with.

The default timeslot is 03-10-2022 (`TIMESLOT`), with this calendar in Dutch local time:
B4 26-09 10:30, terugkoppeling due 29-09 17:00, akkoord at the latest 30-09 17:00, delivery due
04-10 15:00, aanleverrapportage 05-10 10:00. The scenario's own steps fall in between: the
terugkoppeling on Tuesday 10:00, the CAK's akkoord on Wednesday 10:00, the delivery on Monday 09:00.
Times are read and shown with `portal.kalender` (`lees_moment`, `format_moment`).
"""
from __future__ import annotations

import functools
import hashlib
import html
import importlib
import io
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import lxml.html
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal import ieb, kalender
from portal.bsn import voldoet_aan_elfproef
from portal.extensions import db
from portal.kalender import format_moment, lees_moment
from portal.models import (
    B4Regel,
    Belactie,
    Bestand,
    BwClient,
    BwPeriode,
    Categorie,
    Gebeurtenis,
    Gemeente,
    GeplandeActie,
    IdentificatieReservering,
    Mail,
    Migratie,
    Ontvangst,
    Terugkoppeling,
    User,
    Wmo407Bericht,
)
from portal.services import accounts, delivery, kanalen, migratie, planner, storage
from portal.services.audit import Actor
from portal.services.klok import vandaag
from portal.toestanden import Toestand
from tests.conftest import WACHTWOORD

# ---------------------------------------------------------------- names and dates

CAK = "cak@cak.example.nl"
BEHEER = "beheer@cak.example.nl"
CAK_TEAM = "bw-migratie@cak.example.nl"
MEDEWERKER = "medewerker@amsterdam.example.nl"
UTRECHT = "medewerker@utrecht.example.nl"
CONTACT = "bw@amsterdam.example.nl"
CONTACT_TELEFOON = "010-5550000"

TIMESLOT = WEEK_1 = date(2022, 10, 3)
WEEK_2 = date(2022, 10, 10)
WEEK_3 = date(2022, 10, 17)
MIGRATIEDATUM = date(2022, 10, 1)
LEVERDAG = date(2022, 10, 3)


def medewerker(naam: str) -> str:
    """The address of a gemeente's own user, as `leverende_gemeente` makes it."""
    return f"medewerker@{naam.lower()}.example.nl"


def _op(dag: date, uur: int, minuut: int = 0) -> datetime:
    return kalender.local_moment(dag, time(uur, minuut))


def b4_moment(timeslot: date = TIMESLOT) -> datetime:
    return kalender.moment(timeslot, kalender.Stap.B4_PUBLICEREN)


def terugkoppeling_moment(timeslot: date = TIMESLOT) -> datetime:
    """Tuesday 10:00 of the week before the timeslot: the gemeente sends its terugkoppeling."""
    return _op(timeslot - timedelta(days=6), 10)


def akkoord_moment(timeslot: date = TIMESLOT) -> datetime:
    """Wednesday 10:00 of the week before the timeslot: the CAK gives its akkoord to deliver."""
    return _op(timeslot - timedelta(days=5), 10)


def leverdag_moment(timeslot: date = TIMESLOT) -> datetime:
    """Monday 09:00 of the timeslot week: the gemeente delivers."""
    return _op(timeslot, 9)


# ---------------------------------------------------------------- remembering slow pure answers

_ANTWOORDEN: dict[tuple, object] = {}


def _sleutel(waarde: object) -> object:
    """A hashable stand-in for an argument: bytes by their hash, containers by their contents."""
    if isinstance(waarde, bytes):
        return "sha256", hashlib.sha256(waarde).hexdigest()
    if isinstance(waarde, Mapping):
        return "map", tuple(sorted((k, _sleutel(v)) for k, v in waarde.items()))
    if isinstance(waarde, list | tuple):
        return "seq", tuple(_sleutel(v) for v in waarde)
    if isinstance(waarde, set | frozenset):
        return "set", frozenset(_sleutel(v) for v in waarde)
    return waarde


def onthoud(functie: Callable[..., Any]) -> Callable[..., Any]:
    """`functie`, remembering its answers across tests. Only for pure functions with immutable answers:
    the same arguments give the same bytes or the same frozen result, so the portal behaves the same."""

    @functools.wraps(functie)
    def onthoudend(*args: Any, **kwargs: Any) -> Any:
        sleutel = (functie.__module__, functie.__qualname__, _sleutel(args), _sleutel(kwargs))
        if sleutel not in _ANTWOORDEN:
            _ANTWOORDEN[sleutel] = functie(*args, **kwargs)
        return _ANTWOORDEN[sleutel]

    return onthoudend


# The B4 carries 500 empty rows for additions, so writing one and reading a filled-in copy are slow.
TRAGE_FUNCTIES = (("portal.services.migratie.b4", "write_bestandsvergelijking"),
                  ("portal.services.migratie.bestanden", "write_bestandsvergelijking"),
                  ("portal.services.migratie.terugkoppeling", "read_terugkoppeling"))


@contextmanager
def trage_functies_onthouden() -> Iterator[None]:
    """While open, the services use remembering versions of the slow pure functions in TRAGE_FUNCTIES."""
    with pytest.MonkeyPatch.context() as patch:
        for module_naam, naam in TRAGE_FUNCTIES:
            module = importlib.import_module(module_naam)
            patch.setattr(module, naam, onthoud(getattr(module, naam)))
        yield


# ---------------------------------------------------------------- synthetic BSNs

def elfproef_bsns(aantal: int, vanaf: int) -> list[str]:
    """The first `aantal` nine-digit numbers from `vanaf` on that pass the portal's elfproef."""
    gevonden, kandidaat = [], vanaf
    while len(gevonden) < aantal:
        if kandidaat > 999_999_999:
            raise ValueError(f"geen {aantal} BSN's met de elfproef vanaf {vanaf}")
        if voldoet_aan_elfproef(f"{kandidaat:09d}"):
            gevonden.append(f"{kandidaat:09d}")
        kandidaat += 1
    return gevonden


def elfproef_bsn(vanaf: int) -> str:
    """The first nine-digit number from `vanaf` on that passes the elfproef."""
    return elfproef_bsns(1, vanaf)[0]


def client_bsns(code: str, aantal: int) -> list[str]:
    """The BSNs `leverende_gemeente` gives the BW clients of the gemeente with this code, in B4 order."""
    return elfproef_bsns(aantal, 990_000_000 + int(code) * 1000)


# ---------------------------------------------------------------- gemeenten, users, clients, files

def maak_gemeente(code: str, naam: str, **velden: Any) -> Gemeente:
    """A gemeente with nothing else: no users, no clients, no contact unless given."""
    gemeente = Gemeente(code=code, naam=naam, bestandsprefix=Gemeente.standaard_prefix(code),
                        soort=velden.pop("soort", "centrumgemeente"),
                        levert_zelf_aan=velden.pop("levert_zelf_aan", False), **velden)
    db.session.add(gemeente)
    db.session.commit()
    return gemeente


def maak_gebruiker(email: str, rol: str = "gemeente", gemeenten: tuple[str, ...] = (),
                   wachtwoord: str = WACHTWOORD) -> User:
    user = accounts.maak_gebruiker(accounts.NieuweGebruiker(email=email, password=wachtwoord, role=rol,
                                                            gemeente_codes=gemeenten),
                                   Actor.job_named("test"))
    db.session.commit()
    return user


def cak_gebruikers() -> None:
    """The CAK's users: a medewerker (CAK) and a beheerder (BEHEER), once."""
    for email, rol in ((CAK, "cak"), (BEHEER, "cak_beheerder")):
        if accounts.zoek_op_email(email) is None:
            maak_gebruiker(email, rol)


def maak_bestand(gemeente: Gemeente, naam: str = "680363_B4_Bestandsvergelijking_20220926.xlsx",
                 inhoud: bytes = b"PK\x03\x04 voorbeeld", categorie: str = Categorie.BESTANDSVERGELIJKING) -> Bestand:
    """A file placed in the gemeente's folder, as a step of the portal would place it."""
    bestand = storage.plaats_bestand(
        gemeente, storage.NieuwBestand(categorie=categorie, naam=naam, inhoud=inhoud, mediatype=storage.XLSX),
        Actor.job_named("test"))
    db.session.commit()
    return bestand


def maak_clienten(gemeente: Gemeente, bsns: list[str]) -> None:
    """BW clients as the CAK registered them through the old channels: the input of the B4."""
    for i, bsn in enumerate(bsns):
        db.session.add(BwClient(
            gemeente_id=gemeente.id, bsn=bsn, geslachtsnaam=f"Cliënt{i:03d}", voorvoegsel=None, voorletters="A.",
            geboortedatum=date(1970 + i % 30, 1 + i % 12, 1 + i % 28), datum_start_bw=date(2018, 1, 1),
            datum_einde_bw=None, bron="H&V", aanbieder_agb="01234567", soort_bijdrage="LEB" if i % 2 else "HEB"))
    db.session.commit()


def leverende_gemeente(code: str = "0363", naam: str = "Amsterdam", clients: int = 4,
                       regio: tuple[tuple[str, str, int], ...] = (), gebruiker: bool = True,
                       **velden: Any) -> Gemeente:
    """A centrumgemeente that delivers: a contact person, its BW clients (BSNs from `client_bsns`),
    its BwStartNummer block (code·100000 + 1), its own user (`medewerker(naam)`) and the CAK's users.
    `regio`: (code, naam, clients) of region members that do not deliver themselves."""
    velden = {"contact_naam": f"Contact {naam}", "contact_email": f"bw@{naam.lower()}.example.nl",
              "contact_telefoon": CONTACT_TELEFOON, "bw_startnummer": int(code) * 100_000 + 1, **velden}
    gemeente = maak_gemeente(code, naam, **velden)
    bsns = client_bsns(code, clients + sum(aantal for _, _, aantal in regio))
    maak_clienten(gemeente, bsns[:clients])
    begin = clients
    for regio_code, regio_naam, aantal in regio:
        lid = maak_gemeente(regio_code, regio_naam, soort="regiogemeente", centrumgemeente_id=gemeente.id)
        maak_clienten(lid, bsns[begin:begin + aantal])
        begin += aantal
    if gebruiker:
        maak_gebruiker(medewerker(naam), gemeenten=(code,))
    cak_gebruikers()
    return gemeente


def gebruiker(email: str) -> User:
    user = accounts.zoek_op_email(email)
    assert user is not None, f"geen gebruiker {email}"
    return user


def actor(email: str) -> Actor:
    return Actor(user=gebruiker(email), ip="127.0.0.1")


def gemeente_met_code(code: str) -> Gemeente:
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == code))
    assert gemeente is not None, f"geen gemeente {code}"
    return gemeente


# ---------------------------------------------------------------- driving the migration

def plan(gemeente: Gemeente, timeslot: date = TIMESLOT) -> None:
    """The CAK's beheerder plans the gemeente's timeslot."""
    migratie.plan_timeslot(actor(BEHEER), gemeente, timeslot)


def klok_naar(clock, moment: str | datetime) -> list[planner.Uitvoering]:
    """Set the clock to a moment ('2022-09-26 10:30' is Dutch local time) and let the planner carry out
    what fell due, as the planner process would; its answer is what it carried out."""
    clock.set(lees_moment(moment) if isinstance(moment, str) else moment)
    return planner.tick()


@onthoud
def vul_b4(inhoud: bytes, codes: Mapping[str, str | None] | None = None, standaard: str = "J",
           extra: Mapping[str, Mapping[str, object]] | None = None,
           toegevoegd: list[dict[str, object]] | None = None) -> bytes:
    """Fill in a B4 as a gemeente user would in Excel: column L per BSN (`standaard` for a BSN not in
    `codes`, nothing for None), other columns per BSN from `extra`, and `toegevoegd` rows after the last client."""
    workbook = load_workbook(io.BytesIO(inhoud))
    sheet = workbook["Bestandsvergelijking"]
    laatste = 1
    for rij in range(2, sheet.max_row + 1):
        bsn = sheet[f"B{rij}"].value
        if not bsn:
            continue
        laatste = rij
        code = (codes or {}).get(bsn, standaard)
        if code is not None:
            sheet[f"L{rij}"] = code
        for kolom, waarde in ((extra or {}).get(bsn) or {}).items():
            sheet[f"{kolom}{rij}"] = waarde
    for rij, velden in enumerate(toegevoegd or [], start=laatste + 1):
        for kolom, waarde in velden.items():
            sheet[f"{kolom}{rij}"] = waarde
    uitvoer = io.BytesIO()
    workbook.save(uitvoer)
    return uitvoer.getvalue()


def b4_van(gemeente: Gemeente) -> Bestand:
    b4 = migratie.laatste_b4(gemeente)
    assert b4 is not None, f"{gemeente.naam} heeft nog geen B4"
    return b4


def b4_bsns(gemeente: Gemeente) -> list[str]:
    """The BSNs of the gemeente's latest B4, in row order."""
    return list(db.session.scalars(select(B4Regel.bsn).where(B4Regel.bestand_id == b4_van(gemeente).id)
                                   .order_by(B4Regel.rij)))


def stuur_terugkoppeling(gemeente: Gemeente, codes: Mapping[str, str | None] | None = None, *,
                         extra: Mapping[str, Mapping[str, object]] | None = None,
                         toegevoegd: list[dict[str, object]] | None = None, uploader: str | None = None,
                         bestandsnaam: str = "terugkoppeling.xlsx") -> migratie.TerugkoppelingUitkomst:
    """The gemeente's user fills in the latest B4 (`vul_b4`) and uploads it."""
    inhoud = vul_b4(b4_van(gemeente).inhoud, codes, extra=extra, toegevoegd=toegevoegd)
    return migratie.ontvang_terugkoppeling(actor(uploader or medewerker(gemeente.naam)), gemeente.code,
                                           bestandsnaam, inhoud)


def periode(nummer: int, start: date = MIGRATIEDATUM, einde: date | None = None, status: int = 1) -> ieb.Periode:
    return ieb.Periode(nummer, start, einde, status)


def client(bsn: str, *perioden: ieb.Periode) -> ieb.Client:
    return ieb.Client(bsn, tuple(perioden))


def wmo407(identificatie: str, *clients: ieb.Client, afzender: str = "0363", dagtekening: date = LEVERDAG) -> bytes:
    """A WMO407 of our own making."""
    return ieb.wmo407_bytes(afzender=afzender, identificatie=identificatie, dagtekening=dagtekening,
                            clients=list(clients))


def stuur_wmo407(gemeente: Gemeente, *clients: ieb.Client, identificatie: str | None = None,
                 naam: str = "bericht.xml", uploader: str | None = None) -> delivery.Verwerking:
    """The gemeente's user sends a WMO407 of our own, dated today on the portal's clock; without an
    identificatie it gets the next free one of the form T<code><number>."""
    if identificatie is None:
        verstuurd = db.session.scalar(select(func.count()).select_from(Ontvangst).where(
            Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort == delivery.SOORT)) or 0
        identificatie = f"T{gemeente.code}{verstuurd + 1:06d}"
    inhoud = wmo407(identificatie, *clients, afzender=gemeente.code, dagtekening=vandaag())
    return delivery.ontvang_wmo407(actor(uploader or medewerker(gemeente.naam)), gemeente.code, naam, inhoud)


def stuur_gegenereerde_wmo407(gemeente: Gemeente, uploader: str | None = None) -> delivery.Verwerking:
    """The WMO407 the portal makes from the approved terugkoppeling, downloaded and sent back by the gemeente."""
    wie = actor(uploader or medewerker(gemeente.naam))
    bericht = delivery.genereer_wmo407(wie, gemeente.code)
    verwerking = delivery.ontvang_wmo407(wie, gemeente.code, bericht.bestandsnaam, bericht.inhoud)
    assert verwerking.geaccepteerd, (verwerking.melding, verwerking.rapport)
    return verwerking


_VOLGORDE = (Toestand.NIET_GEPLAND, Toestand.GEPLAND, Toestand.BV_GEPUBLICEERD, Toestand.TERUGGEKOPPELD,
             Toestand.AKKOORD_AANLEVEREN, Toestand.AANGELEVERD, Toestand.GERAPPORTEERD, Toestand.GEMIGREERD)


def _voorbij(toestand: Toestand, stap: Toestand) -> bool:
    """Does the way to `toestand` pass `stap`? (NABELLEN goes the way of GERAPPORTEERD.)"""
    doel = Toestand.GERAPPORTEERD if toestand == Toestand.NABELLEN else toestand
    return _VOLGORDE.index(doel) >= _VOLGORDE.index(stap)


def naar_toestand(clock, toestand: Toestand, *gemeenten: Gemeente,
                  codes: Mapping[str, str | None] | None = None, toegevoegd: list[dict[str, object]] | None = None,
                  timeslot: date = TIMESLOT) -> None:
    """Drive delivering gemeenten, all in one timeslot, to `toestand` the way their users and the planner do.

    The beheerder plans the timeslot; the planner publishes the B4 (the clock: Monday 10:30); each
    gemeente sends its terugkoppeling, `codes` filled in and J for the rest (Tuesday 10:00); the CAK
    gives its akkoord (Wednesday 10:00); each gemeente sends the WMO407 the portal makes for it (Monday
    09:00 of the timeslot week), or for NABELLEN every client marked J but the last; the planner checks
    the delivery and makes the aanleverrapportage (Wednesday 10:00); for GEMIGREERD the CAK approves the
    delivery at 11:00. The clock stays at the last of these moments.
    """
    if toestand == Toestand.NIET_GEPLAND:
        return
    for gemeente in gemeenten:
        plan(gemeente, timeslot)
    if _voorbij(toestand, Toestand.BV_GEPUBLICEERD):
        klok_naar(clock, b4_moment(timeslot))
    if _voorbij(toestand, Toestand.TERUGGEKOPPELD):
        clock.set(terugkoppeling_moment(timeslot))
        for gemeente in gemeenten:
            uitkomst = stuur_terugkoppeling(gemeente, codes, toegevoegd=toegevoegd)
            assert uitkomst.geldig, uitkomst.problemen
    if _voorbij(toestand, Toestand.AKKOORD_AANLEVEREN):
        clock.set(akkoord_moment(timeslot))
        for gemeente in gemeenten:
            migratie.geef_akkoord_aanleveren(actor(CAK), gemeente)
    if _voorbij(toestand, Toestand.AANGELEVERD):
        clock.set(leverdag_moment(timeslot))
        for gemeente in gemeenten:
            if toestand == Toestand.NABELLEN:
                verwacht = migratie.verwachte_codes(gemeente)
                j = [bsn for bsn in b4_bsns(gemeente) if verwacht.get(bsn) == "J"]
                verwerking = stuur_wmo407(gemeente, *[client(bsn, periode(gemeente.bw_startnummer + i))
                                                      for i, bsn in enumerate(j[:-1])])
                assert verwerking.geaccepteerd, (verwerking.melding, verwerking.rapport)
            else:
                stuur_gegenereerde_wmo407(gemeente)
    if _voorbij(toestand, Toestand.GERAPPORTEERD):
        klok_naar(clock, kalender.moment(timeslot, kalender.Stap.AANLEVERING_DEADLINE))
        klok_naar(clock, kalender.moment(timeslot, kalender.Stap.AANLEVERRAPPORTAGE))
    if toestand == Toestand.GEMIGREERD:
        clock.set(kalender.moment(timeslot, kalender.Stap.AANLEVERRAPPORTAGE) + timedelta(hours=1))
        for gemeente in gemeenten:
            migratie.keur_aanlevering_goed(actor(CAK), gemeente)
    for gemeente in gemeenten:
        assert migratie.status(gemeente).toestand == toestand, (gemeente.naam, migratie.status(gemeente).toestand)


def gemeente_in(clock, toestand: Toestand, *, codes: Mapping[str, str | None] | None = None,
                toegevoegd: list[dict[str, object]] | None = None, timeslot: date = TIMESLOT,
                **gemeente: Any) -> Gemeente:
    """A `leverende_gemeente` (Amsterdam, 4 clients unless told otherwise) driven to `toestand`."""
    gemaakt = leverende_gemeente(**gemeente)
    naar_toestand(clock, toestand, gemaakt, codes=codes, toegevoegd=toegevoegd, timeslot=timeslot)
    return gemaakt


def mag_aanleveren(clock, *, clients: int = 3, **kwargs: Any) -> Gemeente:
    """A gemeente (Amsterdam, 3 clients) with the CAK's akkoord to deliver; the clock then stands on
    Monday 09:00 of its timeslot week, the day it delivers."""
    gemeente = gemeente_in(clock, Toestand.AKKOORD_AANLEVEREN, clients=clients, **kwargs)
    clock.set(leverdag_moment(kwargs.get("timeslot", TIMESLOT)))
    return gemeente


def drie_weken(clock) -> dict[str, Gemeente]:
    """The CAK's dashboard on Tuesday 27-09-2022 11:00.

    Week 1 (03-10): Amsterdam (8 clients) sent its terugkoppeling (J, J, J, O, U, V, N, X); Almere
    (2 clients) and Utrecht (3 clients) did not, yet. Week 2 (10-10): Zwolle, planned. Not planned:
    Lelystad signed up (17-10, or else 10-10), Emmen did not."""
    amsterdam = leverende_gemeente("0363", "Amsterdam", 8)
    almere = leverende_gemeente("0034", "Almere", 2)
    utrecht = leverende_gemeente("0344", "Utrecht", 3)
    zwolle = leverende_gemeente("0193", "Zwolle", 1)
    lelystad = leverende_gemeente("0995", "Lelystad", 0)
    leverende_gemeente("0114", "Emmen", 0)
    for gemeente in (amsterdam, almere, utrecht):
        plan(gemeente, WEEK_1)
    plan(zwolle, WEEK_2)
    migratie.meld_aan(actor(medewerker("Lelystad")), lelystad, WEEK_3, WEEK_2, "Liever na de herfstvakantie")
    klok_naar(clock, "2022-09-27 11:00")
    bsns = b4_bsns(amsterdam)
    uitkomst = stuur_terugkoppeling(
        amsterdam, dict(zip(bsns, "JJJOUVNX", strict=True)),
        extra={bsns[3]: {"M": date(2022, 9, 15)}, bsns[4]: {"M": date(2022, 9, 15)},
               bsns[7]: {"N": "Cliënt verhuist naar het buitenland"}})
    assert uitkomst.geldig, uitkomst.problemen
    return {"amsterdam": amsterdam, "almere": almere, "utrecht": utrecht}


# ---------------------------------------------------------------- observing

def toestand(gemeente: Gemeente) -> Toestand:
    """The state as stored; a gemeente without a migration record is NIET_GEPLAND."""
    db.session.expire_all()
    opgeslagen = db.session.scalar(select(Migratie.toestand).where(Migratie.gemeente_id == gemeente.id))
    return Toestand(opgeslagen or Toestand.NIET_GEPLAND)


def migratie_rij(gemeente: Gemeente) -> Migratie:
    db.session.expire_all()
    rij = db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))
    assert rij is not None, f"{gemeente.naam} heeft geen migratie"
    return rij


def tijdlijn(gemeente: Gemeente, soort: str | None = None) -> list[Gebeurtenis]:
    db.session.expire_all()
    query = select(Gebeurtenis).where(Gebeurtenis.gemeente_id == gemeente.id)
    if soort is not None:
        query = query.where(Gebeurtenis.soort == soort)
    return list(db.session.scalars(query.order_by(Gebeurtenis.op, Gebeurtenis.id)))


def overgangen(gemeente: Gemeente) -> list[tuple[str | None, str | None]]:
    return [(g.van_toestand, g.naar_toestand) for g in tijdlijn(gemeente) if g.naar_toestand]


def mails(soort: str | None = None, gemeente: Gemeente | None = None) -> list[Mail]:
    db.session.expire_all()
    query = select(Mail)
    if soort is not None:
        query = query.where(Mail.soort == soort)
    if gemeente is not None:
        query = query.where(Mail.gemeente_id == gemeente.id)
    return list(db.session.scalars(query.order_by(Mail.id)))


def bestanden(gemeente: Gemeente, categorie: str | None = None) -> list[Bestand]:
    db.session.expire_all()
    query = select(Bestand).where(Bestand.gemeente_id == gemeente.id)
    if categorie is not None:
        query = query.where(Bestand.categorie == categorie)
    return list(db.session.scalars(query.order_by(Bestand.id)))


def ontvangsten(gemeente: Gemeente | None = None, soort: str | None = None) -> list[Ontvangst]:
    """Every upload kept, of one gemeente or of all, of one kind ('terugkoppeling', 'WMO407') or of all."""
    db.session.expire_all()
    query = select(Ontvangst)
    if gemeente is not None:
        query = query.where(Ontvangst.gemeente_id == gemeente.id)
    if soort is not None:
        query = query.where(Ontvangst.soort == soort)
    return list(db.session.scalars(query.order_by(Ontvangst.id)))


def geplande_acties(gemeente: Gemeente) -> list[GeplandeActie]:
    db.session.expire_all()
    return list(db.session.scalars(select(GeplandeActie).where(GeplandeActie.gemeente_id == gemeente.id)
                                   .order_by(GeplandeActie.due_op, GeplandeActie.id)))


TIMESLOT_ACTIES = (migratie.Actiesoort.B4_PUBLICEREN, migratie.Actiesoort.TERUGKOPPELING_TE_LAAT,
                   migratie.Actiesoort.AANLEVERING_TE_LAAT, migratie.Actiesoort.AANLEVERRAPPORTAGE)


def timeslot_acties(gemeente: Gemeente, status: str | None = None) -> list[tuple[str, str]]:
    """The scheduled steps of the timeslot week itself (not the weekly reports after it), in local time."""
    return [(a.soort, format_moment(a.due_op)) for a in geplande_acties(gemeente)
            if a.soort in TIMESLOT_ACTIES and (status is None or a.status == status)]


def perioden(gemeente: Gemeente) -> list[BwPeriode]:
    """The registrations (BW periods) of accepted WMO407 messages, by BwStartNummer."""
    db.session.expire_all()
    return list(db.session.scalars(select(BwPeriode).where(BwPeriode.gemeente_id == gemeente.id)
                                   .order_by(BwPeriode.bw_startnummer)))


def periodestand(gemeente: Gemeente) -> list[tuple]:
    """The registrations as plain values, to compare before and after."""
    return [(p.bw_startnummer, p.bsn, p.bw_startdatum, p.bw_einddatum, p.verwijderd, p.bericht_id)
            for p in perioden(gemeente)]


def reserveringen(gemeente: Gemeente) -> list[str]:
    """The message identificaties used up for the gemeente (as Afzender)."""
    return list(db.session.scalars(select(IdentificatieReservering.identificatie).where(
        IdentificatieReservering.gemeente_id == gemeente.id).order_by(IdentificatieReservering.id)))


def wmo407_berichten(gemeente: Gemeente) -> list[Wmo407Bericht]:
    """The judged WMO407 messages (from level 2 on) of the gemeente."""
    db.session.expire_all()
    return list(db.session.scalars(select(Wmo407Bericht).where(Wmo407Bericht.gemeente_id == gemeente.id)
                                   .order_by(Wmo407Bericht.id)))


def momentopname(gemeente: Gemeente) -> dict:
    """Everything a user or operator can observe about a gemeente's migration, to compare before/after."""
    db.session.expire_all()
    rij = db.session.scalar(select(Migratie).where(Migratie.gemeente_id == gemeente.id))

    def tellen(model: type) -> int | None:
        return db.session.scalar(select(func.count()).select_from(model))

    return {
        "migratie": None if rij is None else {
            kolom: getattr(rij, kolom) for kolom in (
                "toestand", "timeslot", "terugkoppeling_te_laat", "aanlevering_te_laat", "verwacht_aantal",
                "akkoord_terugkoppeling_id", "akkoord_aanleveren_op", "aanleverdeadline", "aansluiting",
                "aansluiting_correct", "goedgekeurd_op", "goedgekeurd_door", "afwijking_reden", "gepland_op")},
        "tijdlijn": [(g.soort, g.van_toestand, g.naar_toestand, g.op, g.omschrijving) for g in tijdlijn(gemeente)],
        "mails": tellen(Mail),
        "bestanden": [(b.naam, b.sha256) for b in bestanden(gemeente)],
        "terugkoppelingen": [(t.id, t.geldig, t.actueel) for t in db.session.scalars(
            select(Terugkoppeling).where(Terugkoppeling.gemeente_id == gemeente.id).order_by(Terugkoppeling.id))],
        "belacties": [(b.id, b.afgehandeld_op, b.uitkomst) for b in db.session.scalars(
            select(Belactie).where(Belactie.gemeente_id == gemeente.id).order_by(Belactie.id))],
        "acties": [(a.soort, a.due_op, a.status) for a in geplande_acties(gemeente)],
        "kanalen": [(k.kanaal, k.open, k.sinds) for k in kanalen.stand(gemeente)],
        "perioden": periodestand(gemeente),
    }


def lees_xlsx(inhoud: bytes) -> dict[str, list[tuple]]:
    """Every sheet of an .xlsx as its rows of values."""
    workbook = load_workbook(io.BytesIO(inhoud), read_only=True)
    try:
        return {blad.title: [tuple(rij) for rij in blad.iter_rows(values_only=True)] for blad in workbook.worksheets}
    finally:
        workbook.close()


# ---------------------------------------------------------------- the web face

def formuliertoken(client, url: str, prefix: str) -> str:
    """The CSRF token of the form with this prefix, as the page at `url` renders it."""
    pagina_ = client.get(url).get_data(as_text=True)
    gevonden = re.search(rf'name="{prefix}-csrf_token"[^>]*value="([^"]+)"', pagina_)
    assert gevonden, f"de pagina {url} heeft geen formulier {prefix}"
    return gevonden.group(1)


def sessietoken(client, url: str) -> str:
    """The session's CSRF token as any form of the page at `url` carries it."""
    pagina_ = client.get(url).get_data(as_text=True)
    gevonden = re.search(r'name="[^"]*csrf_token"[^>]*value="([^"]+)"', pagina_)
    assert gevonden, f"de pagina {url} heeft geen formulier"
    return gevonden.group(1)


def upload(client, soort: str, inhoud: bytes, naam: str, code: str = "0363", htmx: bool = True,
           token: bool | str = True):
    """Post a file to the folder's upload route `soort` (wmo407 or terugkoppeling), as the page's form would
    (also when the page shows the reason instead of the form: a supplier's script posts all the same).

    `token`: True takes the session's CSRF token from the folder page, False sends none, a string sends that one.
    """
    data: dict[str, object] = {f"{soort}-bestand": (io.BytesIO(inhoud), naam)}
    if token:
        data[f"{soort}-csrf_token"] = token if isinstance(token, str) else sessietoken(client, f"/gemeenten/{code}/")
    return client.post(f"/gemeenten/{code}/{soort}", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def pagina(response):
    """A full HTML page as an lxml tree."""
    return lxml.html.document_fromstring(response.get_data(as_text=True))


def fragment(response):
    """An htmx answer (several top-level elements) as one lxml tree."""
    return lxml.html.fragment_fromstring(response.get_data(as_text=True), create_parent="div")


def tekst(inhoud) -> str:
    """The visible text, white space folded: of an lxml element, or of a piece of HTML (tags dropped)."""
    if isinstance(inhoud, str):
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inhoud)).split())
    return " ".join(inhoud.text_content().split())


def element(boom, element_id: str):
    [gevonden] = boom.xpath(f'//*[@id="{element_id}"]')
    return gevonden


def groep(boom, titel: str):
    """The group of the folder with this title (Bestandsvergelijking, Retourberichten, ...)."""
    [gevonden] = [s for s in boom.xpath('//section[contains(@class, "groep")]')
                  if tekst(s.xpath("./h3")[0]).startswith(titel + " ")]
    return gevonden


def tabelrijen(tabel) -> list[list[str]]:
    return [[tekst(cel) for cel in rij.xpath("./td")] for rij in tabel.xpath("./tbody/tr")]


def sectie(html_: str, begin: str) -> str:
    """The part of a page from the text `begin` (a heading, an attribute) to the next section."""
    start = html_.index(begin)
    einde = html_.find("<section", start)
    return html_[start:einde if einde != -1 else len(html_)]


def dashboard_zoals_getoond(client) -> str:
    """The CAK dashboard as the browser shows it once scrolled through: each timeslot's list, which the page
    loads on demand (htmx, `revealed`), fetched and put in its place."""
    pagina = client.get("/cak/").get_data(as_text=True)

    def laad(gevonden: re.Match[str]) -> str:
        return client.get(html.unescape(gevonden.group(1)), headers={"HX-Request": "true"}).get_data(as_text=True)

    return re.sub(r'<div class="weeklijst"[^>]*hx-get="([^"]+)".*?</div>', laad, pagina, flags=re.S)


def rij(html_: str, code: str, begin: str | None = None) -> str:
    """The table row of one gemeente (after the text `begin`, when given)."""
    if begin is not None:
        html_ = html_[html_.index(begin):]
    gevonden = re.search(rf'<tr[^>]*data-gemeente="{code}".*?</tr>', html_, re.S)
    assert gevonden, f"geen rij voor {code}"
    return gevonden.group(0)


def getallen(html_rij: str) -> list[int]:
    """The numbers in the count cells of a table row."""
    return [int(n) for n in re.findall(r'<td class="getal[^"]*">(\d+)</td>', html_rij)]


# ---------------------------------------------------------------- the bimonthly comparison

BIMAANDELIJKS_MOMENT = "2023-01-02 10:30"
BIMAANDELIJKS_BESTAND = "680363_Bestandsvergelijking_BW_20230102.xlsx"


def gemigreerd_met_vergelijking(clock, **gemeente: Any) -> Gemeente:
    """A `leverende_gemeente` (Amsterdam, 4 clients unless told otherwise) migrated in the first week, with
    the clock on the first bimonthly comparison (02-01-2023 10:30), which the planner has placed."""
    gemaakt = gemeente_in(clock, Toestand.GEMIGREERD, **gemeente)
    klok_naar(clock, BIMAANDELIJKS_MOMENT)
    return gemaakt


def bimaandelijks_bestand(gemeente: Gemeente) -> Bestand:
    """The gemeente's newest bimonthly bestandsvergelijking in its folder."""
    gevonden = [b for b in bestanden(gemeente, Categorie.BESTANDSVERGELIJKING) if "_Bestandsvergelijking_BW_" in b.naam]
    assert gevonden, f"{gemeente.naam} heeft nog geen tweemaandelijkse bestandsvergelijking"
    return gevonden[-1]


def vul_bimaandelijks(gemeente: Gemeente, codes: Mapping[str, str | None] | None = None, *,
                      extra: Mapping[str, Mapping[str, object]] | None = None,
                      toegevoegd: list[dict[str, object]] | None = None) -> bytes:
    """The newest bimonthly file filled in as the gemeente's user would (`vul_b4`), J unless told otherwise."""
    return vul_b4(bimaandelijks_bestand(gemeente).inhoud, codes, extra=extra, toegevoegd=toegevoegd)


def stuur_bimaandelijkse_terugkoppeling(gemeente: Gemeente, codes: Mapping[str, str | None] | None = None, *,
                                        extra: Mapping[str, Mapping[str, object]] | None = None,
                                        toegevoegd: list[dict[str, object]] | None = None,
                                        uploader: str | None = None) -> migratie.TerugkoppelingUitkomst:
    """The gemeente's user fills in the newest bimonthly file and uploads it on the folder's form."""
    inhoud = vul_bimaandelijks(gemeente, codes, extra=extra, toegevoegd=toegevoegd)
    return migratie.ontvang_terugkoppeling(actor(uploader or medewerker(gemeente.naam)), gemeente.code,
                                           "antwoord_bimaandelijks.xlsx", inhoud)


# ---------------------------------------------------------------- the API

def api_token(email: str, naam: str = "testsoftware") -> str:
    """A new API token for the user with this address, as `portal token maak` makes it."""
    from portal.services import apitokens

    return apitokens.maak_token_voor(Actor.job_named("test"), email, naam).geheim


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def zoek_bsn(session: Any, code: str, bsn: str) -> Any:
    """Search a BSN on the messages page, as its form does: a POST, so the BSN is in no address."""
    url = f"/gemeenten/{code}/berichten"
    return session.post(url, {"bsn": bsn}, form_url=url)


def bsn_zoekknop(boom: Any, bsn: str) -> Any:
    """The button that searches `bsn` (the form around it posts it; it is no link with the BSN in its address)."""
    [knop] = boom.xpath(f'//form[@method="post"][input[@name="bsn"][@value="{bsn}"]]//button')
    return knop
