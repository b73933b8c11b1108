"""The national scenario for load measurements (`portal seed schaal`): every CBS gemeente delivering, spread
over the six timeslots, each with synthetic BW clients and a migration somewhere along its way.

It writes the rows the screens read (gemeenten, clients, migrations, B4 snapshots, terugkoppelingen, WMO407
messages and periods, channels, a timeline entry) in bulk, so 344 gemeenten of 150 clients load in seconds.
The scenario is a snapshot: no scheduled actions are stored, so moving the clock does not move these
gemeenten. Only in the ketentest and in ontwikkeling: the BSNs are generated (elfproef, series 99...).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, insert, select

from portal import kalender
from portal.bsn import voldoet_aan_elfproef
from portal.extensions import db
from portal.gemeentecodes import laad_cbs_gemeenten
from portal.models import (
    B4Regel,
    BerichtPeriode,
    BwClient,
    BwPeriode,
    Categorie,
    Gebeurtenis,
    Gemeente,
    Kanaal,
    Migratie,
    Ontvangst,
    OntvangstStatus,
    Terugkoppeling,
    TerugkoppelingRegel,
    Wmo407Bericht,
)
from portal.services import kanalen, storage
from portal.services.audit import Actor
from portal.services.migratie import dossier
from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking
from portal.spreadsheets.terugkoppeling import CODES as TERUGKOPPELING_CODES
from portal.toestanden import Toestand

SCHAAL_ACTOR = Actor.job_named("seed schaal")
TOEGESTANE_MODI = ("ketentest", "ontwikkeling")
EERSTE_BSN = 990_000_000
NAMEN = ("Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos")
BRONNEN = ("H&V", "EXCEL", "60-RECORD")

# Where each gemeente stands, in turn within its timeslot: (state, what else is true of it).
STADIA: tuple[tuple[Toestand, str], ...] = (
    (Toestand.GEPLAND, ""),
    (Toestand.BV_GEPUBLICEERD, ""),
    (Toestand.BV_GEPUBLICEERD, "terugkoppeling_te_laat"),
    (Toestand.TERUGGEKOPPELD, ""),
    (Toestand.AKKOORD_AANLEVEREN, ""),
    (Toestand.AANGELEVERD, ""),
    (Toestand.AANGELEVERD, "uitval"),
    (Toestand.GERAPPORTEERD, ""),
    (Toestand.NABELLEN, "aanlevering_te_laat"),
    (Toestand.GEMIGREERD, ""),
)
VOLGORDE = list(Toestand)
NIET_J = tuple(c for c in TERUGKOPPELING_CODES if c != "J")


class SchaalFout(ValueError):
    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


@dataclass
class Samenvatting:
    gemeenten: int = 0
    clients: int = 0
    al_aanwezig: int = 0

    def tekst(self) -> str:
        regels = [f"Schaalscenario geladen: {self.gemeenten} gemeenten met samen {self.clients} synthetische "
                  "BW-cliënten, verspreid over de zes timeslots."]
        if self.al_aanwezig:
            regels.append(f"{self.al_aanwezig} gemeenten bestonden al en zijn ongemoeid gelaten.")
        regels.append("De B4-bestanden in de mappen zijn voorbeeldbestanden; de regels staan in de database. "
                      "De planner verzet deze gemeenten niet.")
        return "\n".join(regels)


def _bsns() -> Iterator[str]:
    return (str(n) for n in itertools.count(EERSTE_BSN) if voldoet_aan_elfproef(str(n)))


def _voorbij(toestand: Toestand, stap: Toestand) -> bool:
    return VOLGORDE.index(toestand) >= VOLGORDE.index(stap)


def _in_bulk(model: type, rijen: list[dict]) -> None:
    if rijen:
        db.session.execute(insert(model), rijen)


def laad_schaal(gemeenten: int = 344, clients: int = 150) -> Samenvatting:
    """Load the national scenario (SchaalFout in productie or with impossible numbers)."""
    if current_app.config["PORTAL_MODE"] not in TOEGESTANE_MODI:
        raise SchaalFout("Het schaalscenario laadt synthetische gemeenten en cliënten en kan alleen in de ketentest "
                         "of in ontwikkeling (PORTAL_MODE=ketentest of ontwikkeling). Gebruik er een aparte "
                         "database voor, nooit die van productie.")
    cbs = laad_cbs_gemeenten()
    if not 1 <= gemeenten <= len(cbs) or not 1 <= clients <= 100_000:
        raise SchaalFout(f"Kies tussen 1 en {len(cbs)} gemeenten en tussen 1 en 100000 cliënten per gemeente.")
    bestaand = set(db.session.scalars(select(Gemeente.code)))
    codes = [code for code in list(cbs)[:gemeenten] if code not in bestaand]
    samenvatting = Samenvatting(al_aanwezig=gemeenten - len(codes))
    if not codes:
        return samenvatting
    blok = int(current_app.config["BW_STARTNUMMER_BLOK"])
    hoogste = db.session.scalar(select(func.max(Gemeente.bw_startnummer))) or 0
    eerste_nummer = (hoogste // blok + 2) * blok
    _in_bulk(Gemeente, [{"code": code, "naam": cbs[code], "soort": "centrumgemeente", "levert_zelf_aan": False,
                             "bestandsprefix": Gemeente.standaard_prefix(code),
                             "bw_startnummer": eerste_nummer + index * blok, "contact_naam": f"Team BW {cbs[code]}",
                             "contact_email": f"bw@{code}.gemeente.example.nl"}
                        for index, code in enumerate(codes)])
    ids = dict(db.session.execute(select(Gemeente.code, Gemeente.id).where(Gemeente.code.in_(codes))).all())
    bsns = _bsns()
    timeslots = dossier.timeslots()
    voorbeeld_b4: bytes | None = None
    for index, code in enumerate(codes):
        gemeente = db.session.get(Gemeente, ids[code])
        assert gemeente is not None
        rijen = _clients(gemeente, clients, bsns, index)
        toestand, extra = STADIA[index % len(STADIA)]
        voorbeeld_b4 = voorbeeld_b4 or write_bestandsvergelijking(rijen[:10], created_at=datetime(2022, 9, 26,
                                                                                                 tzinfo=UTC))
        _migratie(gemeente, rijen, timeslots[index % len(timeslots)], toestand, extra, voorbeeld_b4)
        samenvatting.gemeenten += 1
        samenvatting.clients += len(rijen)
    db.session.commit()
    return samenvatting


def _clients(gemeente: Gemeente, aantal: int, bsns: Iterator[str], index: int) -> list[B4Rij]:
    rijen = [B4Rij(gemeentecode=gemeente.code, bsn=next(bsns), geslachtsnaam=NAMEN[(index + n) % len(NAMEN)],
                   voorvoegsel=None, voorletters="ABCDEFGHJK"[n % 10] + ".",
                   geboortedatum=date(1950, 1, 1) + timedelta(days=(index * 7919 + n * 263) % 20000),
                   datum_start_bw=date(2015, 1, 1) + timedelta(days=(index * 31 + n * 17) % 2700),
                   datum_einde_bw=None, bron=BRONNEN[n % 10 // 7], aanbieder_agb=f"{73000000 + (index + n) % 40:08d}",
                   soort_bijdrage="LEB" if n % 4 == 0 else "HEB")
             for n in range(aantal)]
    _in_bulk(BwClient, [dict(gemeente_id=gemeente.id, **{k: v for k, v in asdict(r).items() if k != "gemeentecode"})
                        for r in rijen])
    return rijen


def _migratie(gemeente: Gemeente, rijen: list[B4Rij], timeslot: date, toestand: Toestand, extra: str,
              voorbeeld_b4: bytes) -> None:
    stap = lambda s: kalender.to_utc(kalender.moment(timeslot, s))  # noqa: E731
    gepland_op = stap(kalender.Stap.B4_PUBLICEREN) - timedelta(days=14)
    migratie = Migratie(gemeente_id=gemeente.id, toestand=toestand, timeslot=timeslot, voorkeur_timeslot=timeslot,
                        aangemeld_op=gepland_op - timedelta(days=1), aangemeld_door=SCHAAL_ACTOR.naam,
                        gepland_op=gepland_op, gepland_door=SCHAAL_ACTOR.naam,
                        terugkoppeling_te_laat=extra == "terugkoppeling_te_laat",
                        aanlevering_te_laat=extra == "aanlevering_te_laat", akkoord_te_laat=False)
    db.session.add(migratie)
    db.session.add(Gebeurtenis(gemeente_id=gemeente.id, op=gepland_op, soort="schaalscenario", van_toestand=None,
                               naar_toestand=toestand, door=SCHAAL_ACTOR.naam,
                               omschrijving=f"Schaalscenario geladen in de toestand {toestand.value}."))
    if not _voorbij(toestand, Toestand.BV_GEPUBLICEERD):
        return
    b4 = storage.plaats_bestand(gemeente, storage.NieuwBestand(
        categorie=Categorie.BESTANDSVERGELIJKING, naam=f"{gemeente.bestandsprefix}_B4_Bestandsvergelijking.xlsx",
        inhoud=voorbeeld_b4, mediatype=storage.XLSX, gepubliceerd_op=stap(kalender.Stap.B4_PUBLICEREN),
        sleutel=f"B4:{kalender.lokale_datum(stap(kalender.Stap.B4_PUBLICEREN)).isoformat()}"), SCHAAL_ACTOR)
    _in_bulk(B4Regel, [dict(bestand_id=b4.id, gemeente_id=gemeente.id, rij=n, **asdict(r))
                       for n, r in enumerate(rijen, start=2)])
    if not _voorbij(toestand, Toestand.TERUGGEKOPPELD):
        return
    moment = stap(kalender.Stap.TERUGKOPPELING_DEADLINE) - timedelta(hours=3)
    ontvangst = _ontvangst(gemeente, "terugkoppeling", f"{gemeente.bestandsprefix}_terugkoppeling.xlsx",
                           voorbeeld_b4, moment)
    # Eight in ten clients go over to iEb 2.0 (J); the others get the other codes in turn.
    codes = ["J" if n % 10 < 8 else NIET_J[(n // 10 + n) % len(NIET_J)] for n in range(len(rijen))]
    terugkoppeling = Terugkoppeling(gemeente_id=gemeente.id, ontvangst_id=ontvangst.id, b4_bestand_id=b4.id,
                                    ontvangen_op=moment, geldig=True, actueel=True, te_laat=False)
    db.session.add(terugkoppeling)
    db.session.flush()
    _in_bulk(TerugkoppelingRegel, [{"terugkoppeling_id": terugkoppeling.id, "rij": n, "bsn": r.bsn, "code": code,
                                        "toegevoegd": False}
                                       for n, (r, code) in enumerate(zip(rijen, codes, strict=True), start=2)])
    if not _voorbij(toestand, Toestand.AKKOORD_AANLEVEREN):
        return
    aangemeld = [r for r, code in zip(rijen, codes, strict=True) if code == "J"]
    migratie.akkoord_terugkoppeling_id = terugkoppeling.id
    migratie.verwacht_aantal = len(aangemeld)
    migratie.akkoord_aanleveren_op = stap(kalender.Stap.AKKOORD_UITERLIJK) - timedelta(hours=2)
    migratie.akkoord_aanleveren_door = SCHAAL_ACTOR.naam
    migratie.aanleverdeadline = stap(kalender.Stap.AANLEVERING_DEADLINE)
    db.session.add(Kanaal(gemeente_id=gemeente.id, kanaal=kanalen.Kanaalsoort.IEB.value, open=True,
                          gewijzigd_op=migratie.akkoord_aanleveren_op, gewijzigd_door=SCHAAL_ACTOR.naam))
    if not _voorbij(toestand, Toestand.AANGELEVERD):
        return
    _wmo407(gemeente, aangemeld, migratie.aanleverdeadline - timedelta(hours=5),
            uitval=extra == "uitval")
    if not _voorbij(toestand, Toestand.GERAPPORTEERD):
        return
    ok = len(aangemeld) - (3 if toestand == Toestand.NABELLEN else 0)
    migratie.aansluiting = {"ontvangen": ok, "aantallen": {"ok": ok, "ontbreekt": len(aangemeld) - ok},
                            "verschillen": [{"bsn": r.bsn, "terugkoppeling": "J", "uitkomst": "ontbreekt",
                                             "bw_startdatum": None} for r in aangemeld[ok:]]}
    migratie.aansluiting_correct = ok == len(aangemeld)
    if toestand == Toestand.GEMIGREERD:
        migratie.goedgekeurd_op = stap(kalender.Stap.OORDEEL_AANLEVERING)
        migratie.goedgekeurd_door = SCHAAL_ACTOR.naam


def _ontvangst(gemeente: Gemeente, soort: str, naam: str, inhoud: bytes, moment: datetime) -> Ontvangst:
    ontvangst = Ontvangst(gemeente_id=gemeente.id, kanaal="web", soort=soort, bestandsnaam=naam, inhoud=inhoud,
                          sha256=storage.sha256(inhoud), grootte=len(inhoud), ontvangen_op=moment,
                          status=OntvangstStatus.VERWERKT, uitkomst="verwerkt (schaalscenario)")
    db.session.add(ontvangst)
    db.session.flush()
    return ontvangst


def _wmo407(gemeente: Gemeente, rijen: list[B4Rij], moment: datetime, *, uitval: bool) -> None:
    """An accepted WMO407 with a period for each client (and its WMO408); with `uitval` a later rejected one
    holding three new periods, which stay uitval."""
    nummer = gemeente.bw_startnummer or 0
    berichten = [(rijen, True, moment)]
    if uitval:
        berichten.append((rijen[:3], False, moment + timedelta(hours=1)))
    for volgnummer, (clients, goed, op) in enumerate(berichten, start=1):
        inhoud = f"<!-- WMO407 {gemeente.code} {volgnummer} (schaalscenario) -->".encode()
        ontvangst = _ontvangst(gemeente, "WMO407", f"{gemeente.bestandsprefix}_wmo407_{volgnummer}.xml", inhoud, op)
        wmo408 = storage.plaats_bestand(gemeente, storage.NieuwBestand(
            categorie=Categorie.RETOURBERICHT, naam=f"{gemeente.bestandsprefix}_WMO408_{volgnummer}.xml",
            inhoud=inhoud.replace(b"WMO407", b"WMO408"), mediatype="application/xml", gepubliceerd_op=op,
            sleutel=f"WMO408:schaal:{volgnummer}"), SCHAAL_ACTOR)
        bericht = Wmo407Bericht(ontvangst_id=ontvangst.id, gemeente_id=gemeente.id,
                                identificatie=f"S{gemeente.code}{volgnummer:03d}",
                                dagtekening=kalender.lokale_datum(op),
                                ontvangen_op=op, niveau=3, geaccepteerd=goed, retourcodes="" if goed else ",9103,",
                                aantal_clienten=len(clients), aantal_perioden=len(clients),
                                identificatie_retour=f"R{gemeente.code}{volgnummer:03d}", wmo408_bestand_id=wmo408.id)
        db.session.add(bericht)
        db.session.flush()
        eerste = nummer + (0 if goed else len(rijen))
        perioden = [{"bericht_id": bericht.id, "gemeente_id": gemeente.id, "bsn": r.bsn, "bw_startnummer": eerste + n,
                         "bw_startdatum": date(2022, 10, 1), "bw_einddatum": None, "status_aanlevering": 1,
                         "retourcodes": "0200" if goed else "9103", "client_retourcodes": "0200"}
                    for n, r in enumerate(clients)]
        _in_bulk(BerichtPeriode, perioden)
        if goed:
            _in_bulk(BwPeriode, [{"gemeente_id": p["gemeente_id"], "bw_startnummer": p["bw_startnummer"],
                                  "bsn": p["bsn"], "bw_startdatum": p["bw_startdatum"], "bw_einddatum": None,
                                  "verwijderd": False, "bericht_id": bericht.id, "gewijzigd_op": op}
                                 for p in perioden])
