"""Building blocks for the delivery tests: a gemeente that may deliver, WMO407 messages, reading a WMO408.

A gemeente reaches "may deliver" the way its users get there: the CAK plans the timeslot of 03-10-2022,
the scheduler publishes the B4 on 26-09-2022 10:30, the gemeente fills it in and uploads it, and the
CAK gives the akkoord to deliver. The clock then stands on Monday 03-10-2022 09:00.
"""
from __future__ import annotations

import hashlib
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import ieb
from portal.extensions import db
from portal.models import (BerichtPeriode, Bestand, BwPeriode, Categorie, Gemeente, IdentificatieReservering,
                           Ontvangst, Wmo407Bericht)
from portal.services import migratie
from tests import flow
from tests.ieb.berichten import lees_wmo408  # noqa: F401  (re-exported for the delivery tests)

VOORBEELD = Path(__file__).resolve().parent.parent / "ieb" / "voorbeelden" / "wmo407_voorbeeld.xml"

CAK = "cak@cak.example.nl"
AMSTERDAM = "medewerker@amsterdam.example.nl"
UTRECHT = "medewerker@utrecht.example.nl"
MIGRATIEDATUM = date(2022, 10, 1)
LEVERDAG = date(2022, 10, 3)


@pytest.fixture
def snelle_wachtwoorden(monkeypatch):
    """Hash the test users' passwords cheaply: these tests are about delivery, not about password storage.

    Logging in still goes through the real form and the real check of the stored hash.
    """
    from werkzeug.security import generate_password_hash

    from portal.services import accounts

    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda wachtwoord, **_: generate_password_hash(wachtwoord, method="pbkdf2:sha256:1000"))


_ingevuld: dict[tuple, bytes] = {}


def vul_b4(inhoud: bytes, codes: dict[str, str] | None = None, toegevoegd: list[dict] | None = None) -> bytes:
    """flow.vul_b4, remembered: the same B4 filled in the same way gives the same bytes."""
    sleutel = (hashlib.sha256(inhoud).hexdigest(), repr(sorted((codes or {}).items())), repr(toegevoegd))
    if sleutel not in _ingevuld:
        _ingevuld[sleutel] = flow.vul_b4(inhoud, codes=codes, toegevoegd=toegevoegd)
    return _ingevuld[sleutel]


def medewerker(naam: str) -> str:
    return f"medewerker@{naam.lower()}.example.nl"


def teruggekoppeld(clock, code: str = "0363", naam: str = "Amsterdam", clients: int = 3,
                   codes: dict[str, str] | None = None, toegevoegd: list[dict] | None = None,
                   startnummer: int = 36300001, timeslot: date = flow.TIMESLOT) -> Gemeente:
    """A gemeente whose valid terugkoppeling was received; the CAK has not given its akkoord yet.

    The clock then stands on the moment the B4 was published (Monday 10:30, a week before the timeslot).
    """
    [gemeente] = _teruggekoppeld(clock, [dict(code=code, naam=naam, clients=clients, startnummer=startnummer)],
                                 codes, toegevoegd, timeslot)
    return gemeente


def _teruggekoppeld(clock, gemeenten: list[dict], codes=None, toegevoegd=None,
                    timeslot: date = flow.TIMESLOT) -> list[Gemeente]:
    gemaakt = [flow.maak_gemeente(**velden) for velden in gemeenten]
    for gemeente in gemaakt:
        flow.plan(gemeente, timeslot)
    flow.tot(clock, f"{timeslot - timedelta(days=7)} 10:30")
    for gemeente in gemaakt:
        ingevuld = vul_b4(flow.b4_van(gemeente).inhoud, codes=codes, toegevoegd=toegevoegd)
        uitkomst = migratie.ontvang_terugkoppeling(flow.actor(medewerker(gemeente.naam)), gemeente.code,
                                                   "terugkoppeling.xlsx", ingevuld)
        assert uitkomst.geldig, uitkomst.problemen
    return gemaakt


def mag_aanleveren(clock, code: str = "0363", naam: str = "Amsterdam", clients: int = 3,
                   codes: dict[str, str] | None = None, toegevoegd: list[dict] | None = None,
                   startnummer: int = 36300001, leverdag: str = "2022-10-03 09:00",
                   timeslot: date = flow.TIMESLOT) -> Gemeente:
    """A gemeente with the akkoord to deliver; the clock then stands on `leverdag` (Dutch local time)."""
    gemeente = teruggekoppeld(clock, code, naam, clients, codes, toegevoegd, startnummer, timeslot)
    migratie.geef_akkoord_aanleveren(flow.actor(CAK), gemeente)
    clock.set(flow.moment(leverdag))
    return gemeente


def mogen_aanleveren(clock, *gemeenten: tuple[str, str], leverdag: str = "2022-10-03 09:00") -> list[Gemeente]:
    """Several gemeenten (code, naam) in the same timeslot, each with its akkoord to deliver."""
    gemaakt = _teruggekoppeld(clock, [dict(code=code, naam=naam, clients=3, startnummer=int(code) * 100000 + 1)
                                      for code, naam in gemeenten])
    for gemeente in gemaakt:
        migratie.geef_akkoord_aanleveren(flow.actor(CAK), gemeente)
    clock.set(flow.moment(leverdag))
    return gemaakt


def periode(nummer: int, start: date = MIGRATIEDATUM, einde: date | None = None, status: int = 1) -> ieb.Periode:
    return ieb.Periode(nummer, start, einde, status)


def client(bsn: str, *perioden: ieb.Periode) -> ieb.Client:
    return ieb.Client(bsn, tuple(perioden))


def wmo407(identificatie: str, *clients: ieb.Client, afzender: str = "0363",
           dagtekening: date = LEVERDAG) -> bytes:
    return ieb.wmo407_bytes(afzender=afzender, identificatie=identificatie, dagtekening=dagtekening,
                            clients=list(clients))


def voorbeeld() -> bytes:
    """The reference example of ieb-2.0.md section 7 (Afzender 0363, Dagtekening 04-10-2022)."""
    return VOORBEELD.read_bytes()


def bsns(gemeente: Gemeente) -> list[str]:
    """The BSNs of the gemeente's B4, in row order."""
    return flow.b4_bsns(gemeente)


# ---------------------------------------------------------------- what the database holds

def ontvangsten(gemeente: Gemeente | None = None) -> list[Ontvangst]:
    query = select(Ontvangst).order_by(Ontvangst.id)
    if gemeente is not None:
        query = query.where(Ontvangst.gemeente_id == gemeente.id)
    return list(db.session.scalars(query))


def perioden(gemeente: Gemeente) -> list[BwPeriode]:
    return list(db.session.scalars(select(BwPeriode).where(BwPeriode.gemeente_id == gemeente.id)
                                   .order_by(BwPeriode.bw_startnummer)))


def periodestand(gemeente: Gemeente) -> list[tuple]:
    """The registrations as plain values, to compare before and after."""
    db.session.expire_all()
    return [(p.bw_startnummer, p.bsn, p.bw_startdatum, p.bw_einddatum, p.verwijderd, p.bericht_id)
            for p in perioden(gemeente)]


def reserveringen(gemeente: Gemeente) -> list[str]:
    return list(db.session.scalars(select(IdentificatieReservering.identificatie).where(
        IdentificatieReservering.gemeente_id == gemeente.id).order_by(IdentificatieReservering.id)))


def retourberichten(gemeente: Gemeente) -> list[Bestand]:
    return list(db.session.scalars(select(Bestand).where(
        Bestand.gemeente_id == gemeente.id, Bestand.categorie == Categorie.RETOURBERICHT).order_by(Bestand.id)))


def berichten(gemeente: Gemeente) -> list[Wmo407Bericht]:
    return list(db.session.scalars(select(Wmo407Bericht).where(Wmo407Bericht.gemeente_id == gemeente.id)
                                   .order_by(Wmo407Bericht.id)))


def aantal_berichtperioden() -> int:
    return db.session.scalar(select(func.count()).select_from(BerichtPeriode))


def groot_wmo407(grootte: int, identificatie: str = "GROOT-1", afzender: str = "0363") -> bytes:
    """A well-formed, schema-valid WMO407 of exactly `grootte` bytes, padded with comments of 1 MB each.

    (One comment of more than 10 MB would be refused by the XML parser for its own reasons.)
    """
    basis = wmo407(identificatie, client("123456782", periode(1001)), afzender=afzender)
    sluit = basis.rindex(b"</")
    opvulling, leeg = [], b"<!--  -->\n"
    over = grootte - len(basis)
    while over > 0:
        stuk = min(over, 1024 * 1024)
        if stuk < len(leeg):
            opvulling.append(b" " * stuk)
            break
        opvulling.append(b"<!-- " + b"x" * (stuk - len(leeg)) + b" -->\n")
        over -= stuk
    return basis[:sluit] + b"".join(opvulling) + basis[sluit:]


# ---------------------------------------------------------------- the web face

def formuliertoken(client, url: str, prefix: str) -> str:
    """The CSRF token of the form with this prefix, as the page at `url` renders it."""
    import re

    pagina = client.get(url).get_data(as_text=True)
    gevonden = re.search(rf'name="{prefix}-csrf_token"[^>]*value="([^"]+)"', pagina)
    assert gevonden, f"de pagina {url} heeft geen formulier {prefix}"
    return gevonden.group(1)


def upload(client, soort: str, inhoud: bytes, naam: str, code: str = "0363", htmx: bool = True,
           token: bool | str = True):
    """Post a file to the folder's upload form `soort` (wmo407 or terugkoppeling) as the page would.

    `token`: True takes the form's CSRF token from the folder page, False sends none, a string sends that one.
    """
    import io

    data = {f"{soort}-bestand": (io.BytesIO(inhoud), naam)}
    if token:
        data[f"{soort}-csrf_token"] = token if isinstance(token, str) else formuliertoken(
            client, f"/gemeenten/{code}/", soort)
    return client.post(f"/gemeenten/{code}/{soort}", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def pagina(response):
    """A full HTML page as an lxml tree."""
    import lxml.html

    return lxml.html.document_fromstring(response.get_data(as_text=True))


def fragment(response):
    """An htmx answer (several top-level elements) as one lxml tree."""
    import lxml.html

    return lxml.html.fragment_fromstring(response.get_data(as_text=True), create_parent="div")


def tekst(element) -> str:
    """The visible text of an element, white space collapsed."""
    return " ".join(element.text_content().split())


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
