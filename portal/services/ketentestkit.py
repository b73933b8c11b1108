"""The ketentest kit for testers (issue 10, point 4): the scenario's gemeenten with their state and
demo behaviour, a reset per gemeente, and a set of WMO407 test files for a gemeente, each with the
outcome and retourcodes it must get (`portal.ieb.testbestanden`).

Who may do what: the CAK sees every delivering gemeente, switches demo behaviour and resets a gemeente
(the reset itself is `ketentestreset`, ketentest mode only); a gemeente's or leverancier's user sees only
its own gemeenten and downloads their test files. Only in ketentest or ontwikkeling mode; else 'not found'.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from portal.bsn import voldoet_aan_elfproef
from portal.extensions import db
from portal.ieb.testbestanden import Testbestand, Uitgangspunt, als_zip, maak_testset, reeksvoorvoegsel
from portal.models import BwClient, BwPeriode, Gemeente, IdentificatieReservering
from portal.rollen import CAK_ROLLEN
from portal.services import audit, demogedrag, migratie, toegang
from portal.services.audit import Actor
from portal.services.ketentestreset import Reset, reset_gemeente
from portal.services.klok import vandaag
from portal.toestanden import TOESTAND_TEKST

MODI = demogedrag.MODI
MAX_REEKS = 999
SYNTHETISCH_VANAF = 999_800_000


@dataclass(frozen=True)
class Kitgemeente:
    code: str
    naam: str
    toestand: str
    gedrag: str | None
    gedrag_tekst: str
    aan: bool


@dataclass(frozen=True)
class Kitpagina:
    modus: str
    is_cak: bool
    klok_verstelbaar: bool
    reset_mogelijk: bool
    gemeenten: list[Kitgemeente]
    gekozen: Kitgemeente | None = None
    bestanden: list[Testbestand] = field(default_factory=list)
    niet_aanleveren: str | None = None       # why the files are refused now, or None


def _vereis_modus(code: str = "") -> str:
    modus = str(current_app.config.get("PORTAL_MODE"))
    if modus not in MODI:
        raise toegang.NietGevonden(code or "ketentest")
    return modus


def _is_cak(actor: Actor) -> bool:
    return actor.user is not None and actor.user.role in CAK_ROLLEN


def _kitgemeente(gemeente: Gemeente, gedrag: demogedrag.Demogedrag | None) -> Kitgemeente:
    toestand = migratie.migratie_van(gemeente).toestand
    return Kitgemeente(gemeente.code, gemeente.naam, TOESTAND_TEKST[toestand],
                       gedrag.gedrag if gedrag else None,
                       demogedrag.GEDRAGINGEN[gedrag.gedrag] if gedrag else "", bool(gedrag and gedrag.aan))


def kitpagina(actor: Actor, code: str | None = None) -> Kitpagina:
    """The kit as this user sees it; `code` chooses the gemeente whose test files are shown."""
    modus = _vereis_modus(code or "")
    if actor.user is None:
        raise toegang.NietGevonden(code or "ketentest")
    gedragingen = demogedrag.per_gemeente()
    zichtbaar = [g for g in db.session.scalars(toegang.gemeenten_query(actor.user)) if g.levert_aan]
    gemeenten = [_kitgemeente(g, gedragingen.get(g.id)) for g in sorted(zichtbaar, key=lambda g: g.code)]
    is_cak = _is_cak(actor)
    pagina = Kitpagina(modus, is_cak, is_cak and modus == "ketentest", is_cak and modus == "ketentest", gemeenten)
    if code is None and not is_cak and len(zichtbaar) == 1:
        code = zichtbaar[0].code
    if code is None:
        return pagina
    gemeente = toegang.gemeente_voor(actor.user, code)
    return Kitpagina(modus, is_cak, pagina.klok_verstelbaar, pagina.reset_mogelijk, gemeenten,
                     _kitgemeente(gemeente, gedragingen.get(gemeente.id)), maak_set(gemeente),
                     migratie.mag_aanleveren(gemeente))


def _vrije_bsns(gemeente: Gemeente, aantal: int) -> list[str]:
    geregistreerd = set(db.session.scalars(select(BwPeriode.bsn).where(BwPeriode.gemeente_id == gemeente.id)))
    eigen = db.session.scalars(select(BwClient.bsn).where(BwClient.gemeente_id == gemeente.id)
                               .order_by(BwClient.id))
    gekozen = [bsn for bsn in dict.fromkeys(eigen) if bsn not in geregistreerd][:aantal]
    nummer = SYNTHETISCH_VANAF
    while len(gekozen) < aantal:
        bsn = f"{nummer:09d}"
        if voldoet_aan_elfproef(bsn) and bsn not in geregistreerd and bsn not in gekozen:
            gekozen.append(bsn)
        nummer += 1
    return gekozen


def _vrije_nummers(gemeente: Gemeente) -> tuple[int, int]:
    in_gebruik = set(db.session.scalars(select(BwPeriode.bw_startnummer)
                                        .where(BwPeriode.gemeente_id == gemeente.id)))
    nummer = gemeente.bw_startnummer or int(gemeente.code) * 100_000 + 1
    vrij: list[int] = []
    while len(vrij) < 2:
        if nummer not in in_gebruik:
            vrij.append(nummer)
        nummer += 1
    return vrij[0], vrij[1]


def _vrije_reeks(gemeente: Gemeente) -> int:
    gebruikt = db.session.scalars(select(IdentificatieReservering.identificatie).where(
        IdentificatieReservering.gemeente_id == gemeente.id,
        IdentificatieReservering.identificatie.like(f"KT{gemeente.code}%")))
    bezet = {ident[:len(reeksvoorvoegsel(gemeente.code, 1))] for ident in gebruikt}
    return next(n for n in range(1, MAX_REEKS + 1) if reeksvoorvoegsel(gemeente.code, n) not in bezet)


def maak_set(gemeente: Gemeente) -> list[Testbestand]:
    """The test files for the gemeente as it stands now (a new series once files of the last were sent)."""
    geldig, ander = _vrije_bsns(gemeente, 2)
    return maak_testset(Uitgangspunt(
        afzender=gemeente.code, bestandsprefix=gemeente.bestandsprefix, reeks=_vrije_reeks(gemeente),
        dagtekening=vandaag(), migratiedatum=migratie.migratie_startdatum(), bsn_geldig=geldig,
        bsn_ander=ander, nummers=_vrije_nummers(gemeente)))


@dataclass(frozen=True)
class Download:
    bestandsnaam: str
    inhoud: bytes


def testset(actor: Actor, code: str) -> Download:
    """The zip of the gemeente's test files with a LEESMIJ.txt of their promises."""
    _vereis_modus(code)
    gemeente = toegang.gemeente_voor(actor.user, code)
    bestanden = maak_set(gemeente)
    audit.registreer(actor, "ketentest_testset_gedownload", object_type="gemeente", object_id=gemeente.code,
                     gemeente_id=gemeente.id, details={"identificatie": bestanden[0].identificatie})
    db.session.commit()
    voorvoegsel = bestanden[0].identificatie[:-2]
    return Download(f"{gemeente.bestandsprefix}_ketentest_{voorvoegsel}.zip", als_zip(bestanden))


def reset(actor: Actor, code: str) -> Reset:
    """Bring one gemeente back to its demo start (only the CAK, only in the ketentest)."""
    _vereis_modus(code)
    return reset_gemeente(actor, code)


def zet_demogedrag(actor: Actor, code: str, aan: bool) -> demogedrag.Demogedrag:
    _vereis_modus(code)
    return demogedrag.stel_in(actor, code, aan)


def vereis_mag_demogedrag_zetten(actor: Actor, code: str) -> None:
    """404 or 403 (as `zet_demogedrag` would) before the form is read."""
    _vereis_modus(code)
    demogedrag.vereis_mag_instellen(actor, code)


__all__ = ["Download", "Kitgemeente", "Kitpagina", "kitpagina", "maak_set", "reset", "testset",
           "vereis_mag_demogedrag_zetten", "zet_demogedrag"]
