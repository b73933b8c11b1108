"""What the three intakes of the old channels share: storing the input first, who may submit, the checks
against the CAK's registration, the closing rule per mutation, and applying all or nothing.

Order, the same for every channel: the input is stored as an ``Ontvangst`` (committed) before anything
else; a CAK user's submission is refused (GEWEIGERD); the channel's reader reports its problems; then each
mutation is checked against the registration as it would stand after the mutations before it (a STOP needs
a registration; a START from a 60-record, which carries no names, needs one too) and against the closing
rule (``kanalen.weigering_oud_kanaal``, called per mutation). Any problem refuses the whole input: status
AFGEKEURD when a problem is about the content, GEWEIGERD when every problem is the closing rule. Otherwise
every mutation is applied to the ``BwClient`` registration, recorded as an ``OudKanaalMutatie`` and written
to the audit trail, in one transaction.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from portal import rollen
from portal.extensions import db
from portal.kalender import format_datum
from portal.models import BwClient, Gemeente, Ontvangst, OntvangstStatus, User
from portal.models.oude_kanalen import OudKanaalMutatie
from portal.mutaties import Mutatie
from portal.services import audit, kanalen, storage, toegang
from portal.services.audit import Actor
from portal.services.kanalen import Kanaalsoort

BRON: Mapping[Kanaalsoort, str] = {
    Kanaalsoort.HV_APP: "H&V", Kanaalsoort.EXCEL: "EXCEL", Kanaalsoort.RECORD60: "60-RECORD"}
"""The BRON value (B4 column I) of a registration made through each old channel."""

SOORT: Mapping[Kanaalsoort, str] = {
    Kanaalsoort.HV_APP: "hv_mutatie", Kanaalsoort.EXCEL: "mutaties_excel", Kanaalsoort.RECORD60: "record60"}
"""The soort of the stored ``Ontvangst`` of each old channel."""
KANAAL_VAN_SOORT: Mapping[str, Kanaalsoort] = {soort: kanaal for kanaal, soort in SOORT.items()}

ALLEEN_LEVERENDE_ROLLEN = rollen.alleen_leverende_rollen(rollen.Levering.MUTATIES_INSTUREN)


@dataclass
class Intakeuitkomst:
    """What the sender sees: the receipt of the input and how it was answered."""

    ontvangst_id: int
    kanaal: Kanaalsoort
    status: OntvangstStatus
    melding: str
    problemen: list[dict[str, Any]] = field(default_factory=list)  # rij, plaats, veld, melding, sluiting
    mutaties: list[dict[str, Any]] = field(default_factory=list)  # volgnummer, bsn, soort_mutatie, datum
    bestandsnaam: str = ""
    grootte: int = 0
    sha256: str = ""
    ontvangen_op: datetime | None = None
    uploader: str = ""

    @property
    def geaccepteerd(self) -> bool:
        return self.status == OntvangstStatus.VERWERKT

    @property
    def kanaalnaam(self) -> str:
        return kanalen.NAMEN[self.kanaal]


def mag_indienen(user: User | None) -> bool:
    """Only the delivering roles (gemeente, its beheerder, a linked leverancier) submit mutations; the one rule
    of `portal.rollen`, for a person (every input of an old channel is a person's)."""
    return user is not None and rollen.mag_leveren(user.role)


def gemeenten_voor_codes(gemeente: Gemeente) -> dict[str, Gemeente]:
    """The gemeentecodes this gemeente may use in a mutation: its own and its non-delivering region members'."""
    return {gemeente.code: gemeente} | {g.code: g for g in gemeente.regiogemeenten if not g.levert_aan}


def begin(actor: Actor, code: str, kanaal: Kanaalsoort, bestandsnaam: str, inhoud: bytes,
          via: str = "web") -> tuple[Gemeente, Ontvangst, Intakeuitkomst]:
    """Store the input first (NietGevonden for a gemeente the user may not see), and start its receipt.

    ``via``: how it came in, as the stored ``Ontvangst`` records it ("web" or "api")."""
    gemeente = toegang.gemeente_voor(actor.user, code)
    ontvangst = storage.bewaar_ontvangst(inhoud=inhoud, bestandsnaam=bestandsnaam, soort=SOORT[kanaal],
                                         kanaal=via, actor=actor, gemeente=gemeente)
    return gemeente, ontvangst, nieuwe_uitkomst(actor, kanaal, ontvangst)


def nieuwe_uitkomst(actor: Actor, kanaal: Kanaalsoort, ontvangst: Ontvangst) -> Intakeuitkomst:
    """The receipt of a stored input, before it is processed."""
    return Intakeuitkomst(
        ontvangst.id, kanaal, OntvangstStatus.ONTVANGEN, "", bestandsnaam=ontvangst.bestandsnaam,
        grootte=ontvangst.grootte, sha256=ontvangst.sha256, ontvangen_op=ontvangst.ontvangen_op,
        uploader=actor.naam)


def sluit_af(ontvangst: Ontvangst, uitkomst: Intakeuitkomst, status: OntvangstStatus, melding: str) -> Intakeuitkomst:
    uitkomst.status = status
    uitkomst.melding = melding
    storage.markeer(ontvangst, status, melding, {"kanaal": uitkomst.kanaal.value, "problemen": uitkomst.problemen,
                                                 "mutaties": uitkomst.mutaties})
    db.session.commit()
    return uitkomst


def weiger_rol(ontvangst: Ontvangst, uitkomst: Intakeuitkomst) -> Intakeuitkomst:
    return sluit_af(ontvangst, uitkomst, OntvangstStatus.GEWEIGERD, ALLEEN_LEVERENDE_ROLLEN)


def probleem(rij: int | None, plaats: str | None, veld: str | None, melding: str,
             sluiting: bool = False) -> dict[str, Any]:
    return {"rij": rij, "plaats": plaats, "veld": veld, "melding": melding, "sluiting": sluiting}


def _registratie(gemeente_id: int, bsn: str) -> BwClient | None:
    return db.session.scalar(select(BwClient).where(BwClient.gemeente_id == gemeente_id, BwClient.bsn == bsn))


def controleer(gemeente: Gemeente, kanaal: Kanaalsoort, mutaties: Sequence[tuple[int | None, Mutatie]],
               plaats: Mapping[str, str]) -> list[dict[str, Any]]:
    """The problems of well-formed mutations against the registration and the closing rule, in order.

    ``plaats``: field -> how the channel names its place (column letter and name, positions, form field)."""
    codes = gemeenten_voor_codes(gemeente)
    # (gemeente id, BSN) -> the start of the registration as it stands after the mutations so far; None: none.
    stand: dict[tuple[int, str], date | None] = {}
    problemen: list[dict[str, Any]] = []
    for volgnummer, m in mutaties:
        doel = codes[m.gemeentecode]
        sleutel = (doel.id, m.bsn)
        if sleutel not in stand:
            bestaand = _registratie(doel.id, m.bsn)
            stand[sleutel] = bestaand.datum_start_bw if bestaand is not None else None
        start = stand[sleutel]
        if m.is_start and start is None and not m.heeft_personalia:
            problemen.append(probleem(volgnummer, plaats["bsn"], "bsn", (
                f"Het CAK heeft geen registratie van BSN {m.bsn} bij {doel.naam}, en een 60-record bevat geen naam "
                "en geboortedatum om een nieuwe cliënt mee aan te melden. Meld deze cliënt aan met het H&V-"
                "formulier of het Excel-bestand.")))
        elif not m.is_start and start is None:
            problemen.append(probleem(volgnummer, plaats["bsn"], "bsn", (
                f"Het CAK heeft geen registratie van BSN {m.bsn} bij {doel.naam}; een afmelding (STOP) kan alleen "
                "voor een aangemelde cliënt. Controleer het BSN en de gemeentecode, of meld de cliënt eerst aan.")))
        elif not m.is_start and start is not None and m.datum_einde_bw is not None and m.datum_einde_bw < start:
            problemen.append(probleem(volgnummer, plaats["datum_einde_bw"], "datum_einde_bw", (
                f"De einddatum {format_datum(m.datum_einde_bw)} ligt vóór de begindatum van de registratie bij het "
                f"CAK ({format_datum(start)}). Controleer de einddatum.")))
        weigering = kanalen.weigering_oud_kanaal(gemeente, kanaal, (m.mutatiedatum,))
        if weigering is not None:
            veld = "datum_start_bw" if m.is_start else "datum_einde_bw"
            problemen.append(probleem(volgnummer, plaats[veld], veld, weigering, sluiting=True))
        if m.is_start:
            stand[sleutel] = m.datum_start_bw
    return problemen


def pas_toe(actor: Actor, gemeente: Gemeente, kanaal: Kanaalsoort, ontvangst: Ontvangst,
            mutaties: Sequence[tuple[int | None, Mutatie]]) -> list[dict[str, Any]]:
    """Apply every mutation to the CAK's registration, record it and audit it; the summary for the receipt."""
    codes = gemeenten_voor_codes(gemeente)
    samenvatting = []
    for volgnummer, m in mutaties:
        doel = codes[m.gemeentecode]
        client = _registratie(doel.id, m.bsn)
        if m.is_start:
            if client is None:
                client = BwClient(gemeente_id=doel.id, bsn=m.bsn)
                db.session.add(client)
            if m.heeft_personalia:
                client.geslachtsnaam = m.geslachtsnaam or ""
                client.voorvoegsel = m.voorvoegsel
                client.voorletters = m.voorletters or ""
                client.geboortedatum = m.geboortedatum or m.datum_start_bw
            client.datum_start_bw = m.datum_start_bw
            client.datum_einde_bw = m.datum_einde_bw  # a START opens the registration (an end only if given)
            client.aanbieder_agb = m.aanbieder_agb
            client.soort_bijdrage = m.soort_bijdrage
            client.bron = BRON[kanaal]
        elif client is not None:  # checked: a STOP has a registration
            client.datum_einde_bw = m.datum_einde_bw
        db.session.flush()
        assert client is not None
        record = OudKanaalMutatie(
            gemeente_id=gemeente.id, kanaal=kanaal.value, ontvangst_id=ontvangst.id, volgnummer=volgnummer,
            toegepast_op=ontvangst.ontvangen_op, gebruiker_id=actor.user_id, gebruiker_naam=actor.naam,
            bw_client_id=client.id, **asdict(m))
        db.session.add(record)
        db.session.flush()
        audit.registreer(actor, "mutatie_oud_kanaal", object_type="oud_kanaal_mutatie", object_id=record.id,
                         gemeente_id=gemeente.id,
                         details={"kanaal": kanaal.value, "soort_mutatie": m.soort_mutatie, "bsn": m.bsn,
                                  "gemeentecode": m.gemeentecode, "datum": m.mutatiedatum.isoformat(),
                                  "ontvangst_id": ontvangst.id})
        samenvatting.append({"volgnummer": volgnummer, "bsn": m.bsn, "soort_mutatie": m.soort_mutatie,
                             "datum": m.mutatiedatum.isoformat(), "gemeentecode": m.gemeentecode})
    return samenvatting


def verwerk(actor: Actor, gemeente: Gemeente, kanaal: Kanaalsoort, ontvangst: Ontvangst, uitkomst: Intakeuitkomst,
            mutaties: Sequence[tuple[int | None, Mutatie]], problemen: list[dict[str, Any]],
            plaats: Mapping[str, str], wat: str, herstel: str) -> Intakeuitkomst:
    """After the reader: check against the registration and the closing rule, then all or nothing.

    ``wat``: what was sent ("Het bestand", "De mutatie"); ``herstel``: what to do after fixing the problems."""
    if not problemen:
        problemen = controleer(gemeente, kanaal, mutaties, plaats)
    uitkomst.problemen = problemen
    if problemen:
        aantal = len(problemen)
        woord = "probleem" if aantal == 1 else "problemen"
        if all(p["sluiting"] for p in problemen):
            return sluit_af(ontvangst, uitkomst, OntvangstStatus.GEWEIGERD, (
                f"{wat} is geweigerd: het kanaal {kanalen.NAMEN[kanaal]} is gesloten en {aantal} "
                f"{'mutatie valt' if aantal == 1 else 'mutaties vallen'} niet meer onder de uitzondering. Er is "
                f"niets gewijzigd. Meld {'deze cliënt' if aantal == 1 else 'deze cliënten'} aan of af met een "
                "WMO407-bericht."))
        return sluit_af(ontvangst, uitkomst, OntvangstStatus.AFGEKEURD, (
            f"{wat} is niet aangenomen: {aantal} {woord} gevonden. Er is niets gewijzigd. {herstel}"))
    uitkomst.mutaties = pas_toe(actor, gemeente, kanaal, ontvangst, mutaties)
    aantal = len(mutaties)
    return sluit_af(ontvangst, uitkomst, OntvangstStatus.VERWERKT, (
        f"{'1 mutatie is' if aantal == 1 else f'{aantal} mutaties zijn'} aangenomen en verwerkt in de registratie "
        "van het CAK."))

