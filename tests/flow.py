"""Driving the migration flow in tests the way its users do: through the services, on a fixed clock."""
from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select

from portal.bsn import voldoet_aan_elfproef
from portal.extensions import db
from portal.models import Bestand, BwClient, Gemeente, User
from portal.services import accounts, migratie, planner
from portal.services.audit import Actor

NL = ZoneInfo("Europe/Amsterdam")
WACHTWOORD = "Wachtwoord-123"
TIMESLOT = date(2022, 10, 3)


def moment(tekst: str) -> datetime:
    """'2022-09-26 10:30' in Dutch local time."""
    return datetime.fromisoformat(tekst).replace(tzinfo=NL)


def elfproef_bsns(aantal: int, start: int = 999900000) -> list[str]:
    gevonden, kandidaat = [], start
    while len(gevonden) < aantal:
        if voldoet_aan_elfproef(f"{kandidaat:09d}"):
            gevonden.append(f"{kandidaat:09d}")
        kandidaat += 1
    return gevonden


def maak_gemeente(code: str = "0363", naam: str = "Amsterdam", clients: int = 5,
                  startnummer: int = 36300001, regio: tuple[tuple[str, str, int], ...] = ()) -> Gemeente:
    """A delivering gemeente with a contact, a gemeente user, CAK users and synthetic BW clients."""
    gemeente = Gemeente(code=code, naam=naam, soort="centrumgemeente", levert_zelf_aan=False,
                        bestandsprefix="68" + code, bw_startnummer=startnummer,
                        contact_naam="Contact " + naam, contact_email=f"bw@{naam.lower()}.example.nl",
                        contact_telefoon="010-5550000")
    db.session.add(gemeente)
    db.session.flush()
    bsns = elfproef_bsns(clients + sum(r[2] for r in regio), start=990000000 + int(code) * 1000)
    for i, bsn in enumerate(bsns[:clients]):
        db.session.add(_client(gemeente, bsn, i))
    offset = clients
    for regio_code, regio_naam, aantal in regio:
        lid = Gemeente(code=regio_code, naam=regio_naam, soort="regiogemeente", levert_zelf_aan=False,
                       bestandsprefix="68" + regio_code, centrumgemeente_id=gemeente.id)
        db.session.add(lid)
        db.session.flush()
        for i, bsn in enumerate(bsns[offset:offset + aantal]):
            db.session.add(_client(lid, bsn, i))
        offset += aantal
    db.session.commit()
    for email, role, codes in ((f"medewerker@{naam.lower()}.example.nl", "gemeente", (code,)),
                               ("cak@cak.example.nl", "cak", ()),
                               ("beheer@cak.example.nl", "cak_beheerder", ())):
        if accounts.zoek_op_email(email) is None:
            accounts.maak_gebruiker(accounts.NieuweGebruiker(email, WACHTWOORD, role, codes), Actor.job_named("test"))
    db.session.commit()
    return gemeente


def _client(gemeente: Gemeente, bsn: str, i: int) -> BwClient:
    return BwClient(gemeente_id=gemeente.id, bsn=bsn, geslachtsnaam=f"Achternaam{i}", voorvoegsel=None,
                    voorletters="A.", geboortedatum=date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
                    datum_start_bw=date(2018, 1, 1), datum_einde_bw=None, bron="H&V",
                    aanbieder_agb="01234567", soort_bijdrage="LEB" if i % 2 else "HEB")


def gebruiker(email: str) -> User:
    return accounts.zoek_op_email(email)


def actor(email: str) -> Actor:
    return Actor(user=gebruiker(email), ip="127.0.0.1")


def plan(gemeente: Gemeente, timeslot: date = TIMESLOT) -> None:
    migratie.plan_timeslot(actor("beheer@cak.example.nl"), gemeente, timeslot)


def tot(clock, tekst: str) -> list:
    """Move the fixed clock to a local moment and run the scheduler once."""
    clock.set(moment(tekst))
    return planner.tick()


def b4_van(gemeente: Gemeente) -> Bestand:
    return migratie.laatste_b4(gemeente)


def vul_b4(inhoud: bytes, codes: dict[str, str] | None = None, standaard: str = "J",
           extra: dict[str, dict[str, object]] | None = None, toegevoegd: list[dict[str, object]] | None = None) -> bytes:
    """Fill in a B4 as a gemeente user would in Excel: column L per BSN (default J), M/N where given."""
    workbook = load_workbook(BytesIO(inhoud))
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
    for i, velden in enumerate(toegevoegd or [], start=laatste + 1):
        for kolom, waarde in velden.items():
            sheet[f"{kolom}{i}"] = waarde
    uitvoer = BytesIO()
    workbook.save(uitvoer)
    return uitvoer.getvalue()


def b4_bsns(gemeente: Gemeente) -> list[str]:
    from portal.models import B4Regel
    b4 = b4_van(gemeente)
    return list(db.session.scalars(select(B4Regel.bsn).where(B4Regel.bestand_id == b4.id).order_by(B4Regel.rij)))
