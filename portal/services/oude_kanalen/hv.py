"""The H&V-app: a web form to register a start or stop of a BW client, after looking up the client's
current registration by BSN. The form is stored first as JSON (an ``Ontvangst`` of soort ``hv_mutatie``),
then checked with the same field checks as the sheet and applied by ``intake.verwerk``."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.bsn import voldoet_aan_elfproef
from portal.extensions import db
from portal.kalender import format_datum
from portal.models import BwClient, Gemeente, Ontvangst, User
from portal.mutaties import VELDEN, VELDNAAM, maak_mutatie
from portal.services import audit, toegang
from portal.services.audit import Actor
from portal.services.kanalen import Kanaalsoort
from portal.services.oude_kanalen import intake
from portal.services.oude_kanalen.intake import Intakeuitkomst
from portal.spreadsheets.mutaties import LAYOUT
from portal.spreadsheets.reading import NotADate, read_date

DATUMVELDEN = frozenset(c.field for c in LAYOUT.columns if c.type == "datum")


@dataclass(frozen=True)
class Registratie:
    """A client's current registration at the CAK, as the lookup shows it."""

    gemeentecode: str
    gemeentenaam: str
    bsn: str
    geslachtsnaam: str
    voorvoegsel: str | None
    voorletters: str
    geboortedatum: date
    datum_start_bw: date
    datum_einde_bw: date | None
    bron: str
    aanbieder_agb: str
    soort_bijdrage: str

    @property
    def naam(self) -> str:
        return " ".join(p for p in (self.voorletters, self.voorvoegsel, self.geslachtsnaam) if p)

    def voorinvulling(self) -> dict[str, str]:
        """The form's fields filled in from this registration (dates dd-mm-jjjj)."""
        return {"gemeentecode": self.gemeentecode, "bsn": self.bsn, "geslachtsnaam": self.geslachtsnaam,
                "voorvoegsel": self.voorvoegsel or "", "voorletters": self.voorletters,
                "geboortedatum": format_datum(self.geboortedatum), "datum_start_bw": format_datum(self.datum_start_bw),
                "aanbieder_agb": self.aanbieder_agb, "soort_bijdrage": self.soort_bijdrage}


@dataclass(frozen=True)
class Zoekresultaat:
    bsn: str
    geldig: bool  # a BSN that passes the elfproef
    melding: str | None  # why nothing is shown: an invalid BSN, or no registration
    registraties: tuple[Registratie, ...]

    def voorinvulling(self) -> dict[str, str]:
        """The form's fields for this BSN: from its registration when there is exactly one."""
        if len(self.registraties) == 1:
            return self.registraties[0].voorinvulling()
        return {"bsn": self.bsn} if self.geldig else {}


def zoek_registratie(user: User | None, code: str, bsn: str) -> Zoekresultaat:
    """The current registration of this BSN in the gemeenten whose codes this gemeente may use."""
    gemeente = toegang.gemeente_voor(user, code)
    bsn = bsn.strip().replace(" ", "")
    if not (bsn.isdigit() and len(bsn) == 9 and voldoet_aan_elfproef(bsn)):
        return Zoekresultaat(bsn, False, f"'{bsn}' is geen geldig BSN (9 cijfers die voldoen aan de elfproef). "
                                  "Controleer het nummer en zoek opnieuw.", ())
    codes = intake.gemeenten_voor_codes(gemeente)
    namen = {g.id: g for g in codes.values()}
    gevonden = db.session.scalars(select(BwClient).where(BwClient.bsn == bsn, BwClient.gemeente_id.in_(namen))
                                  .order_by(BwClient.gemeente_id)).all()
    registraties = tuple(Registratie(
        namen[c.gemeente_id].code, namen[c.gemeente_id].naam, c.bsn, c.geslachtsnaam, c.voorvoegsel, c.voorletters,
        c.geboortedatum, c.datum_start_bw, c.datum_einde_bw, c.bron, c.aanbieder_agb, c.soort_bijdrage)
        for c in gevonden)
    audit.bsns_getoond(user, [bsn], gemeente.id)
    if not registraties:
        return Zoekresultaat(bsn, True, f"Het CAK heeft geen registratie van BSN {bsn} bij {_namen(codes)}. U kunt de "
                                  "cliënt hieronder aanmelden (START).", ())
    return Zoekresultaat(bsn, True, None, registraties)


def _namen(codes: Mapping[str, Gemeente]) -> str:
    namen = [g.naam for g in codes.values()]
    return namen[0] if len(namen) == 1 else ", ".join(namen[:-1]) + " of " + namen[-1]


def registreer_hv(actor: Actor, code: str, velden: Mapping[str, str], via: str = "web") -> Intakeuitkomst:
    """The H&V form: stored first as JSON, checked like a row of the sheet, applied when all is well."""
    ingevuld = {veld: str(velden.get(veld) or "").strip() for veld in VELDEN}
    inhoud = json.dumps(ingevuld, ensure_ascii=False, indent=1).encode("utf-8")
    naam = f"H&V-formulier {ingevuld['soort_mutatie'] or 'mutatie'} {ingevuld['bsn']}".strip() + ".json"
    gemeente, ontvangst, uitkomst = intake.begin(actor, code, Kanaalsoort.HV_APP, naam, inhoud, via)
    return verwerk_hv(actor, gemeente, ontvangst, ingevuld, uitkomst)


def verwerk_hv(actor: Actor, gemeente: Gemeente, ontvangst: Ontvangst, ingevuld: Mapping[str, str],
               uitkomst: Intakeuitkomst | None = None) -> Intakeuitkomst:
    """Process a stored form (just received, or left unprocessed by a worker that died)."""
    uitkomst = uitkomst or intake.nieuwe_uitkomst(actor, Kanaalsoort.HV_APP, ontvangst)
    if not intake.mag_indienen(actor.user):
        return intake.weiger_rol(ontvangst, uitkomst)
    waarden: dict[str, Any] = {}
    problemen = []
    for veld in VELDEN:
        if veld in DATUMVELDEN:
            try:
                waarden[veld] = read_date(ingevuld[veld])
            except NotADate:
                problemen.append(intake.probleem(None, VELDNAAM[veld], veld, (
                    f"'{ingevuld[veld]}' is geen geldige datum. Vul de datum in als dd-mm-jjjj, bijvoorbeeld "
                    f"{format_datum(date(2022, 9, 15))}.")))
        else:
            waarden[veld] = ingevuld[veld] or None
    mutatie, fouten = maak_mutatie(waarden, gemeentecodes=intake.gemeenten_voor_codes(gemeente),
                                   al_fout={p["veld"] for p in problemen})
    problemen += [intake.probleem(None, VELDNAAM[f.veld], f.veld, f.melding) for f in fouten]
    return intake.verwerk(actor, gemeente, Kanaalsoort.HV_APP, ontvangst, uitkomst,
                          [(None, mutatie)] if mutatie is not None else [], problemen, VELDNAAM, "De mutatie",
                          "Herstel de velden en verstuur het formulier opnieuw.")
