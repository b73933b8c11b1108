"""The files a migration publishes in the gemeente's folder: the aanleverrapportage (timeslot Wednesday and
weekly), the verslag, the missing-WMO407 report and the bimonthly comparison; built from the database and
written by the spreadsheet core. Each is placed once per calendar moment (its key)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

from sqlalchemy import select

from portal.aansluiting import Aansluiting
from portal.extensions import db
from portal.ieb.retourcodes import RETOURCODES
from portal.kalender import lokale_datum, to_local
from portal.models import (
    B4Regel,
    BerichtPeriode,
    Bestand,
    BwClient,
    BwPeriode,
    Categorie,
    Gemeente,
    Migratie,
    Ontvangst,
    OntvangstStatus,
    Terugkoppeling,
    TerugkoppelingRegel,
    Wmo407Bericht,
)
from portal.productafname import bepaal_productafname
from portal.services import storage, uitval
from portal.services.audit import Actor
from portal.services.migratie import dossier, vergelijking
from portal.spreadsheets import bestandsnamen
from portal.spreadsheets.aanleverrapportage import BerichtRij, ProductafnameRij, write_aanleverrapportage
from portal.spreadsheets.bestandsvergelijking import B4Rij, write_bestandsvergelijking
from portal.spreadsheets.ontbrekende_wmo407 import OntbrekendeRij, select_ontbrekende, write_ontbrekende_wmo407
from portal.spreadsheets.verslag import VerslagGegevens, write_verslag

_BLOK = 2_000
"""Rows fetched from the database per round trip when a file streams them."""


def _codes(tekst: str | None) -> list[str]:
    return [c for c in (tekst or "").split(",") if c]


def _omschrijving(codes: list[str]) -> str:
    return "; ".join(f"{c}: {RETOURCODES.get(c, 'onbekende code')}" for c in codes)


def berichtrijen(gemeente: Gemeente, tot: datetime | None = None,
                 vanaf: datetime | None = None) -> Iterator[BerichtRij]:
    """Sheet Berichten: a row per period of every WMO407 judged (accepted or not), and a row per
    message rejected at level 1 or 2 with its reason. Two queries whatever the number of messages: the
    messages, then all their periods streamed in the same order."""
    bereik = [Ontvangst.gemeente_id == gemeente.id, Ontvangst.soort == "WMO407",
              # A stored upload not yet processed (its worker died) is not judged: it is no row until it is processed.
              Ontvangst.status.not_in([OntvangstStatus.GEWEIGERD, OntvangstStatus.ONTVANGEN])]
    if tot is not None:
        bereik.append(Ontvangst.ontvangen_op <= tot)
    if vanaf is not None:
        bereik.append(Ontvangst.ontvangen_op > vanaf)
    volgorde = (Ontvangst.ontvangen_op, Ontvangst.id)
    berichten = db.session.execute(
        select(Ontvangst.id, Ontvangst.ontvangen_op, Ontvangst.details, Ontvangst.bestandsnaam, Ontvangst.uitkomst,
               Wmo407Bericht.id, Wmo407Bericht.niveau, Wmo407Bericht.identificatie, Wmo407Bericht.dagtekening,
               Wmo407Bericht.retourcodes, Wmo407Bericht.geaccepteerd, Wmo407Bericht.rapport["header"])
        .outerjoin(Wmo407Bericht, Wmo407Bericht.ontvangst_id == Ontvangst.id)
        .where(*bereik).order_by(*volgorde)).all()
    perioden = iter(db.session.execute(
        select(BerichtPeriode.bericht_id, BerichtPeriode.bsn, BerichtPeriode.bw_startnummer,
               BerichtPeriode.bw_startdatum, BerichtPeriode.bw_einddatum, BerichtPeriode.status_aanlevering,
               BerichtPeriode.client_retourcodes, BerichtPeriode.retourcodes)
        .join(Wmo407Bericht, BerichtPeriode.bericht_id == Wmo407Bericht.id)
        .join(Ontvangst, Wmo407Bericht.ontvangst_id == Ontvangst.id)
        .where(*bereik, Wmo407Bericht.niveau != 2)
        .order_by(*volgorde, BerichtPeriode.id)
        .execution_options(yield_per=_BLOK)))
    periode = next(perioden, None)
    omschrijvingen: dict[tuple[str, ...], str] = {}
    for (_, ontvangen_op, details, bestandsnaam, uitkomst, bericht_id, niveau, identificatie, dagtekening,
         retourcodes, geaccepteerd, header) in berichten:
        moment = to_local(ontvangen_op)
        if bericht_id is None or niveau == 2:
            kop: tuple[str, ...] = ("0001",) if bericht_id is not None else ()
            naam = identificatie if bericht_id is not None else (details or {}).get("identificatie") or bestandsnaam
            yield BerichtRij(naam[:40], dagtekening, moment, None, None, None, None, None, kop,
                             uitkomst or "Afgekeurd", "afgekeurd")
            continue
        kopcodes = [c for c in _codes(retourcodes) if c in {m["code"] for m in header or []}]
        resultaat = "goedgekeurd" if geaccepteerd else "afgekeurd"
        while periode is not None and periode[0] == bericht_id:
            _, bsn, nummer, start, einde, status_, client_codes, periode_codes = periode
            codes: list[str] = []
            for code in kopcodes + _codes(client_codes) + _codes(periode_codes):
                if code != "0200" and code not in codes:
                    codes.append(code)
            sleutel = tuple(codes or ["0200"])
            if sleutel not in omschrijvingen:
                omschrijvingen[sleutel] = _omschrijving(list(sleutel))
            yield BerichtRij(identificatie, dagtekening, moment, bsn, nummer, start, einde, str(status_), sleutel,
                             omschrijvingen[sleutel], resultaat)
            periode = next(perioden, None)


def productafnamerijen(gemeente: Gemeente, tot: datetime | None = None) -> Iterator[ProductafnameRij]:
    """Sheet Productafname: a row per accepted, current BW period (as it stood at `tot`), decided by
    the documented rules. The CAK's data per BSN comes from plain columns of the B4 snapshots (the
    newest wins) and of the added rows, not from an ORM object per client."""
    b4: dict[str, tuple[date, str]] = {
        bsn: (geboortedatum, soort) for bsn, geboortedatum, soort in db.session.execute(
            select(B4Regel.bsn, B4Regel.geboortedatum, B4Regel.soort_bijdrage)
            .where(B4Regel.gemeente_id == gemeente.id).order_by(B4Regel.id).execution_options(yield_per=_BLOK))}
    toegevoegd: dict[str, date | None] = dict(db.session.execute(
        select(TerugkoppelingRegel.bsn, TerugkoppelingRegel.geboortedatum).join(Terugkoppeling).where(
            Terugkoppeling.gemeente_id == gemeente.id, Terugkoppeling.actueel.is_(True),
            TerugkoppelingRegel.toegevoegd.is_(True))).all())
    for periode in dossier.registraties(gemeente, tot):
        bekend = b4.get(periode.bsn)
        geboortedatum = bekend[0] if bekend else toegevoegd.get(periode.bsn)
        afname = bepaal_productafname(bw_startdatum=periode.bw_startdatum, bw_einddatum=periode.bw_einddatum,
                                      geboortedatum=geboortedatum,
                                      soort_bijdrage_cak=bekend[1] if bekend else None)
        yield ProductafnameRij.van(periode.bsn, periode.bw_startnummer, periode.bw_startdatum,
                                   periode.bw_einddatum, afname)


def _eenmaal(gemeente: Gemeente, categorie: Categorie, naam: str, sleutel: str, moment: datetime, actor: Actor,
             maak: Callable[[], bytes]) -> Bestand:
    """The file of a calendar moment (`sleutel`) in the folder: made by `maak` and placed the first time
    only, so a retried or late step finds the same file."""
    bestaand = storage.bestand_met_sleutel(gemeente, sleutel)
    if bestaand is not None:
        return bestaand
    return storage.plaats_bestand(gemeente, storage.NieuwBestand(
        categorie=categorie, naam=naam, inhoud=maak(), mediatype=storage.XLSX, gepubliceerd_op=moment,
        sleutel=sleutel), actor)


def plaats_aanleverrapportage(gemeente: Gemeente, moment: datetime, aansluiting: Aansluiting | None,
                              actor: Actor) -> Bestand:
    """The aanleverrapportage of `moment` (the calendar step) in the folder; once per moment."""
    return _eenmaal(
        gemeente, Categorie.AANLEVERRAPPORTAGE,
        bestandsnamen.aanleverrapportage(gemeente.bestandsprefix, lokale_datum(moment)),
        f"AANLEVERRAPPORTAGE:{moment.isoformat()}", moment, actor,
        lambda: write_aanleverrapportage(berichtrijen(gemeente, tot=moment), productafnamerijen(gemeente, moment),
                                         created_at=moment, aansluiting=aansluiting))


def plaats_verslag(gemeente: Gemeente, migratie: Migratie, aansluiting: Aansluiting, moment: datetime,
                   actor: Actor) -> Bestand:
    b4 = dossier.laatste_b4(gemeente)
    aantal_b4 = len(db.session.scalars(select(B4Regel.id).where(B4Regel.bestand_id == b4.id)).all()) if b4 else 0
    terugkoppeling = db.session.get(Terugkoppeling, migratie.akkoord_terugkoppeling_id) \
        if migratie.akkoord_terugkoppeling_id else None
    berichten = db.session.scalars(select(Wmo407Bericht.geaccepteerd).where(
        Wmo407Bericht.gemeente_id == gemeente.id)).all()
    gegevens = VerslagGegevens(
        gemeentecode=gemeente.code, gemeentenaam=gemeente.naam, timeslot=dossier.timeslot_van(migratie),
        aantal_in_b4=aantal_b4,
        aantallen_per_code=dict(terugkoppeling.tellingen or {}) if terugkoppeling else {},
        aantal_toegevoegd=sum(1 for r in terugkoppeling.regels if r.toegevoegd) if terugkoppeling else 0,
        aantal_berichten_ontvangen=len(berichten), aantal_berichten_goedgekeurd=sum(1 for b in berichten if b),
        akkoord_door=migratie.goedgekeurd_door, akkoord_op=migratie.goedgekeurd_op,
        afwijking=migratie.afwijking_reden)
    return _eenmaal(gemeente, Categorie.VERSLAG, bestandsnamen.verslag(gemeente.bestandsprefix, lokale_datum(moment)),
                    f"VERSLAG:{moment.isoformat()}", moment, actor,
                    lambda: write_verslag(gegevens, aansluiting, created_at=moment))


def plaats_wekelijkse_rapportage(gemeente: Gemeente, moment: datetime, vanaf: datetime | None,
                                 actor: Actor) -> Bestand:
    """The weekly report of `moment`: the messages received since `vanaf`, the productafname, and the uitval
    as it stood at `moment`."""
    return _eenmaal(
        gemeente, Categorie.AANLEVERRAPPORTAGE,
        bestandsnamen.aanleverrapportage(gemeente.bestandsprefix, lokale_datum(moment)),
        f"WEKELIJKS:{moment.isoformat()}", moment, actor,
        lambda: write_aanleverrapportage(berichtrijen(gemeente, tot=moment, vanaf=vanaf),
                                         productafnamerijen(gemeente, moment), created_at=moment,
                                         uitval=uitval.rijen(gemeente, tot=moment)))


def ontbrekende_rijen(gemeente: Gemeente, peildatum: date) -> list[OntbrekendeRij]:
    """The clients of the gemeente's B4 still active on `peildatum` without an accepted WMO407 period."""
    geaccepteerd = set(db.session.scalars(select(BwPeriode.bsn).where(
        BwPeriode.gemeente_id == gemeente.id, BwPeriode.verwijderd.is_(False))))
    return select_ontbrekende(dossier.b4_rijen(dossier.laatste_b4(gemeente)), geaccepteerd,
                              dossier.verwachte_codes(gemeente), peildatum)


def ontbrekende_bestand(rijen: list[OntbrekendeRij], moment: datetime) -> bytes:
    return write_ontbrekende_wmo407(rijen, created_at=moment)


def plaats_ontbrekende(gemeente: Gemeente, moment: datetime, rijen: list[OntbrekendeRij], actor: Actor) -> Bestand:
    """The gemeente's list of clients without an accepted WMO407 at the end of the period."""
    return _eenmaal(
        gemeente, Categorie.AANLEVERRAPPORTAGE,
        bestandsnamen.ontbrekende_wmo407(gemeente.bestandsprefix, lokale_datum(moment)),
        f"ONTBREKEND:{moment.isoformat()}", moment, actor, lambda: ontbrekende_bestand(rijen, moment))


def plaats_bimaandelijkse_vergelijking(gemeente: Gemeente, moment: datetime, actor: Actor) -> tuple[Bestand, int]:
    """A new bestandsvergelijking in the B4 layout, listing the clients registered through iEb: one row per
    client, with its newest period (a BSN occurs once, so the gemeente can answer it); its rows are kept as
    published for checking the answer."""
    dag = lokale_datum(moment)
    sleutel = f"BIMAANDELIJKS:{moment.isoformat()}"
    bestaand = storage.bestand_met_sleutel(gemeente, sleutel)
    if bestaand is not None:
        return bestaand, vergelijking.aantal_regels(bestaand)
    perioden = db.session.scalars(select(BwPeriode).where(
        BwPeriode.gemeente_id == gemeente.id, BwPeriode.verwijderd.is_(False))
        .order_by(BwPeriode.bsn, BwPeriode.bw_startdatum, BwPeriode.bw_startnummer)).all()
    nieuwste = {periode.bsn: periode for periode in perioden}
    ids = [gemeente.id] + [g.id for g in gemeente.regiogemeenten if not g.levert_aan]
    bekend = {c.bsn: c for c in db.session.scalars(select(BwClient).where(BwClient.gemeente_id.in_(ids)))}
    toegevoegd = dossier.toegevoegde_regels(gemeente)
    rijen = []
    for periode in nieuwste.values():
        client = bekend.get(periode.bsn)
        extra = toegevoegd.get(periode.bsn)
        rijen.append(B4Rij(
            gemeentecode=client.gemeente.code if client else (extra.gemeentecode if extra and extra.gemeentecode
                                                              else gemeente.code),
            bsn=periode.bsn,
            geslachtsnaam=client.geslachtsnaam if client else ((extra.geslachtsnaam or "") if extra else ""),
            voorvoegsel=client.voorvoegsel if client else (extra.voorvoegsel if extra else None),
            voorletters=client.voorletters if client else ((extra.voorletters or "") if extra else ""),
            geboortedatum=client.geboortedatum if client else (extra.geboortedatum if extra else None),
            datum_start_bw=periode.bw_startdatum, datum_einde_bw=periode.bw_einddatum, bron="IEB",
            aanbieder_agb=client.aanbieder_agb if client else "",
            soort_bijdrage=client.soort_bijdrage if client else ""))
    inhoud = write_bestandsvergelijking(rijen, created_at=moment)
    bestand = storage.plaats_bestand(gemeente, storage.NieuwBestand(
        categorie=Categorie.BESTANDSVERGELIJKING,
        naam=bestandsnamen.bimaandelijkse_vergelijking(gemeente.bestandsprefix, dag), inhoud=inhoud,
        mediatype=storage.XLSX, gepubliceerd_op=moment, sleutel=sleutel), actor)
    vergelijking.bewaar_regels(gemeente, bestand, moment, rijen)
    return bestand, len(rijen)
