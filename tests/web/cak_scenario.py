"""Building a migration for the CAK page tests through the services, as the portal itself does.

This module holds no tests (its name only follows the files this part of the suite may add): the
CAK dashboard, gemeente, outbox and ketentest tests share these steps. Everything runs in the
app context the `factory` fixture opened, the same one the test client's requests use.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from portal.extensions import db
from portal.models import BwClient, Gemeente, User
from portal.services import migratie, planner
from portal.services.accounts import zoek_op_email
from portal.services.audit import Actor

NL = ZoneInfo("Europe/Amsterdam")
WEEK_1 = date(2022, 10, 3)      # the first timeslot: B4 on 26-09-2022 10:30
WEEK_2 = date(2022, 10, 10)
WEEK_3 = date(2022, 10, 17)
TEST = Actor.job_named("test")


def lokaal(*delen: int) -> datetime:
    return datetime(*delen, tzinfo=NL)


def bsn(volgnummer: int) -> str:
    """A synthetic BSN that passes the elfproef, in the test range 9999xxxxx."""
    basis = 99990000 + volgnummer * 7
    while True:
        cijfers = [int(c) for c in f"{basis:08d}"]
        som = sum(c * w for c, w in zip(cijfers, range(9, 1, -1)))
        laatste = som % 11
        if laatste < 10:
            return f"{basis:08d}{laatste}"
        basis += 1


def clienten(gemeente: Gemeente, aantal: int, begin: int = 0) -> list[str]:
    """BW clients as the CAK registered them through the old channels (the input of the B4)."""
    nummers = [bsn(begin + i) for i in range(aantal)]
    for i, nummer in enumerate(nummers):
        db.session.add(BwClient(
            gemeente_id=gemeente.id, bsn=nummer, geslachtsnaam=f"Cliënt{begin + i:03d}", voorletters="A.",
            geboortedatum=date(1970, 1, 1), datum_start_bw=date(2020, 1, 1), datum_einde_bw=None,
            bron="H&V", aanbieder_agb="01234567", soort_bijdrage="LEB"))
    db.session.commit()
    return nummers


def leverende_gemeente(factory, code: str, naam: str, aantal_clienten: int = 0, gebruiker: bool = False,
                       **velden) -> Gemeente:
    """A centrumgemeente with a contact person, its BW clients, and (when asked) a user who uploads."""
    gemeente = factory.gemeente(code, naam, contact_naam=f"Contact {naam}",
                                contact_telefoon="020-1234567", contact_email=f"bw@{naam.lower()}.example.nl",
                                **velden)
    if gebruiker:
        factory.user(f"medewerker@{naam.lower()}.example.nl", gemeenten=(code,))
    if aantal_clienten:
        clienten(gemeente, aantal_clienten, begin=int(code))
    return gemeente


def plan(gemeente: Gemeente, timeslot: date) -> None:
    migratie.plan_timeslot(TEST, gemeente, timeslot, controle=False)


def klok_naar(clock, moment: datetime) -> list:
    """Set the test clock and let the scheduler carry out what fell due, as the planner process would."""
    clock.set(moment)
    return planner.tick()


def terugkoppeling(gemeente: Gemeente, codes: list[str]):
    """The gemeente fills in column L of its B4 (with the dates and explanations codes need) and uploads it."""
    b4 = migratie.laatste_b4(gemeente)
    werkboek = load_workbook(BytesIO(b4.inhoud))
    blad = werkboek["Bestandsvergelijking"]
    for rij, code in enumerate(codes, start=2):
        blad[f"L{rij}"] = code
        if code in ("O", "U"):
            blad[f"M{rij}"] = date(2022, 9, 15)
        if code == "X":
            blad[f"N{rij}"] = "Cliënt verhuist naar het buitenland"
    uitvoer = BytesIO()
    werkboek.save(uitvoer)
    gebruiker = zoek_op_email(f"medewerker@{gemeente.naam.lower()}.example.nl")
    uitkomst = migratie.ontvang_terugkoppeling(Actor(user=gebruiker), gemeente.code, b4.naam, uitvoer.getvalue())
    assert uitkomst.geldig, uitkomst.problemen
    return uitkomst


def akkoord(gemeente: Gemeente, cak: User) -> None:
    migratie.geef_akkoord_aanleveren(Actor(user=cak), gemeente)


def rij(html: str, code: str, begin: str | None = None) -> str:
    """The table row of one gemeente (after the text `begin`, when given)."""
    if begin is not None:
        html = html[html.index(begin):]
    match = re.search(rf'<tr[^>]*data-gemeente="{code}".*?</tr>', html, re.S)
    assert match, f"geen rij voor {code}"
    return match.group(0)


def getallen(html_rij: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="getal[^"]*">(\d+)</td>', html_rij)]


def tekst(html: str) -> str:
    """The visible text of a page, with the tags removed and the white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
