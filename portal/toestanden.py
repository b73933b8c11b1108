"""The states of a gemeente's migration and the steps between them (proces.md section 3).

Pure rules, no database and no clock: which step is allowed in which state and which state follows,
who may take a step, what a gemeente is told and what the CAK may do in each state, and every Dutch
text of a state, a flag or a step. The services ask here; only they change a migration.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from portal.kalender import format_moment
from portal.rollen import CAK_ROLLEN, Rol, mag_leveren


class Toestand(StrEnum):
    NIET_GEPLAND = "NIET_GEPLAND"
    GEPLAND = "GEPLAND"
    BV_GEPUBLICEERD = "BV_GEPUBLICEERD"
    TERUGGEKOPPELD = "TERUGGEKOPPELD"
    AKKOORD_AANLEVEREN = "AKKOORD_AANLEVEREN"
    AANGELEVERD = "AANGELEVERD"
    GERAPPORTEERD = "GERAPPORTEERD"
    NABELLEN = "NABELLEN"
    GEMIGREERD = "GEMIGREERD"


TOESTAND_VOLGORDE: tuple[Toestand, ...] = tuple(Toestand)
"""The states in the order of the process (the order of the CAK's chart)."""

TOESTAND_TEKST: Mapping[Toestand, str] = {
    Toestand.NIET_GEPLAND: "nog niet gepland",
    Toestand.GEPLAND: "gepland",
    Toestand.BV_GEPUBLICEERD: "bestandsvergelijking geplaatst",
    Toestand.TERUGGEKOPPELD: "terugkoppeling ontvangen",
    Toestand.AKKOORD_AANLEVEREN: "akkoord om aan te leveren",
    Toestand.AANGELEVERD: "aangeleverd",
    Toestand.GERAPPORTEERD: "aanleverrapportage geplaatst",
    Toestand.NABELLEN: "nabellen",
    Toestand.GEMIGREERD: "gemigreerd",
}


class Vlag(StrEnum):
    """A flag beside the state: something happened late (proces.md section 3)."""

    TERUGKOPPELING_TE_LAAT = "terugkoppeling_te_laat"   # the gemeente: no valid terugkoppeling by Thursday 17:00
    AANLEVERING_TE_LAAT = "aanlevering_te_laat"         # the gemeente: could deliver, but not by the deadline
    AKKOORD_TE_LAAT = "akkoord_te_laat"                 # the CAK: no akkoord to deliver by Friday 17:00


VLAG_TEKST: Mapping[Vlag, str] = {
    Vlag.TERUGKOPPELING_TE_LAAT: "terugkoppeling te laat",
    Vlag.AANLEVERING_TE_LAAT: "aanlevering te laat",
    Vlag.AKKOORD_TE_LAAT: "akkoord CAK te laat",
}


class Overgang(StrEnum):
    """A step that moves a migration from one state to the next."""

    PLANNEN = "plannen"
    B4_PUBLICEREN = "b4_publiceren"
    TERUGKOPPELING = "terugkoppeling"
    AKKOORD_AANLEVEREN = "akkoord_aanleveren"
    AANGELEVERD = "aangeleverd"
    RAPPORTEREN = "rapporteren"
    NABELLEN = "nabellen"
    GOEDKEUREN = "goedkeuren"
    BELRESULTAAT = "belresultaat"
    OVERNEMEN = "overnemen"


T = Toestand
OVERGANGEN: Mapping[Overgang, Mapping[Toestand, Toestand]] = {
    # Planning again in GEPLAND moves the timeslot, until the B4 is published.
    Overgang.PLANNEN: {T.NIET_GEPLAND: T.GEPLAND, T.GEPLAND: T.GEPLAND},
    Overgang.B4_PUBLICEREN: {T.GEPLAND: T.BV_GEPUBLICEERD},
    # A better terugkoppeling replaces the previous one until the CAK's akkoord.
    Overgang.TERUGKOPPELING: {T.BV_GEPUBLICEERD: T.TERUGGEKOPPELD, T.TERUGGEKOPPELD: T.TERUGGEKOPPELD},
    Overgang.AKKOORD_AANLEVEREN: {T.TERUGGEKOPPELD: T.AKKOORD_AANLEVEREN},
    Overgang.AANGELEVERD: {T.AKKOORD_AANLEVEREN: T.AANGELEVERD},
    # A gemeente that delivered nothing is reported too, so that it reaches the call list.
    Overgang.RAPPORTEREN: {T.AANGELEVERD: T.GERAPPORTEERD, T.AKKOORD_AANLEVEREN: T.GERAPPORTEERD},
    Overgang.NABELLEN: {T.GERAPPORTEERD: T.NABELLEN},
    Overgang.GOEDKEUREN: {T.GERAPPORTEERD: T.GEMIGREERD, T.NABELLEN: T.GEMIGREERD},
    Overgang.BELRESULTAAT: {T.NABELLEN: T.AKKOORD_AANLEVEREN},
    # A regiogemeente that starts delivering itself after its centrumgemeente migrated: its clients are
    # already registered through iEb, so its own migration starts as migrated ("overgenomen van de
    # centrumgemeente"). Only the region switch (services/regiowissel.py) takes this step.
    Overgang.OVERNEMEN: {T.NIET_GEPLAND: T.GEMIGREERD},
}
del T

OVERGANG_TEKST: Mapping[Overgang, str] = {
    Overgang.PLANNEN: "een timeslot plannen",
    Overgang.B4_PUBLICEREN: "de bestandsvergelijking plaatsen",
    Overgang.TERUGKOPPELING: "een terugkoppeling aannemen",
    Overgang.AKKOORD_AANLEVEREN: "akkoord geven om aan te leveren",
    Overgang.AANGELEVERD: "de aanlevering registreren",
    Overgang.RAPPORTEREN: "de aanleverrapportage maken",
    Overgang.NABELLEN: "op de bellijst zetten",
    Overgang.GOEDKEUREN: "akkoord geven op de aanlevering",
    Overgang.BELRESULTAAT: "een belresultaat vastleggen",
    Overgang.OVERNEMEN: "de migratie overnemen van de centrumgemeente",
}

VOLGENDE_STAP: Mapping[Toestand, str] = {
    Toestand.NIET_GEPLAND: "Eerst moet het CAK een timeslot plannen.",
    Toestand.GEPLAND: "Wacht tot de bestandsvergelijking is geplaatst.",
    Toestand.BV_GEPUBLICEERD: "De gemeente moet eerst een geldige terugkoppeling uploaden.",
    Toestand.TERUGGEKOPPELD: "Het CAK moet eerst akkoord geven om aan te leveren.",
    Toestand.AKKOORD_AANLEVEREN: "De gemeente kan nu WMO407-berichten sturen.",
    Toestand.AANGELEVERD: "Wacht op de aanleverrapportage van woensdag.",
    Toestand.GERAPPORTEERD: "Het CAK kan nu akkoord geven op de aanlevering.",
    Toestand.NABELLEN: "Het CAK moet eerst de gemeente bellen en het resultaat vastleggen.",
    Toestand.GEMIGREERD: "De migratie van deze gemeente is afgerond.",
}
"""Who acts next in each state, said after a refused step."""


class OvergangGeweigerd(ValueError):
    """A step that does not fit the current state; the message says so in Dutch and what to do."""

    def __init__(self, melding: str) -> None:
        super().__init__(melding)
        self.melding = melding


def mag(toestand: Toestand, overgang: Overgang) -> bool:
    """Whether the step is allowed in this state."""
    return toestand in OVERGANGEN[overgang]


def na(toestand: Toestand, overgang: Overgang) -> Toestand:
    """The state after the step; OvergangGeweigerd when the step is not allowed in this state."""
    naar = OVERGANGEN[overgang].get(toestand)
    if naar is None:
        raise OvergangGeweigerd(
            f"Dit kan nu niet: {OVERGANG_TEKST[overgang]} kan niet in de toestand '{TOESTAND_TEKST[toestand]}' "
            f"({toestand.value}). Er is niets gewijzigd. {VOLGENDE_STAP[toestand]}")
    return naar


# ---------------------------------------------------------------- who may take a step

WIE_MAG: Mapping[Overgang, frozenset[Rol]] = {
    Overgang.PLANNEN: frozenset({Rol.CAK_BEHEERDER}),
    Overgang.AKKOORD_AANLEVEREN: CAK_ROLLEN,
    Overgang.GOEDKEUREN: CAK_ROLLEN,
    Overgang.BELRESULTAAT: CAK_ROLLEN,
}
"""The steps a person takes on the CAK's side, and the roles that may. The other steps are taken by
the scheduler, or follow from what a gemeente uploads."""


def mag_doen(rol: Rol | None, overgang: Overgang) -> bool:
    """Whether a user with this role may take the step (None: no user, such as a job)."""
    wie = WIE_MAG.get(overgang)
    return wie is None or rol in wie


def alleen_wie(overgang: Overgang) -> str:
    """The Dutch refusal for a user whose role may not take this step."""
    alleen_beheerder = WIE_MAG.get(overgang) == frozenset({Rol.CAK_BEHEERDER})
    wie = "een beheerder van het CAK" if alleen_beheerder else "een medewerker van het CAK"
    return f"Alleen {wie} kan dit doen."


# ---------------------------------------------------------------- what a gemeente is told

INSTRUCTIE_GEMEENTE: Mapping[Toestand, str] = {
    Toestand.NIET_GEPLAND: ("Meld uw gemeente aan voor een migratieweek (timeslot), met een tweede keus. "
                            "Het CAK bevestigt de week of wijst een andere toe."),
    Toestand.GEPLAND: ("Uw migratieweek staat vast. Op de maandag ervoor om 10:30 verschijnt de "
                       "bestandsvergelijking (B4) in deze map; u krijgt daarover een e-mail."),
    Toestand.BV_GEPUBLICEERD: ("Download de bestandsvergelijking, vul per cliënt kolom L (en zo nodig M en N) in "
                               "en upload het bestand hieronder vóór de deadline."),
    Toestand.TERUGGEKOPPELD: ("Uw terugkoppeling is aangenomen. Het CAK beoordeelt haar en geeft akkoord om aan te "
                              "leveren. Tot dat akkoord kunt u een verbeterde terugkoppeling uploaden; die vervangt "
                              "de vorige."),
    Toestand.AKKOORD_AANLEVEREN: ("U kunt nu de WMO407-berichten sturen voor elke cliënt met code J, met BwStartdatum "
                                  "gelijk aan de migratiedatum. Heeft u geen eigen software? Laat het portaal het "
                                  "bericht maken uit uw terugkoppeling, download het en stuur het hieronder."),
    Toestand.AANGELEVERD: ("Uw WMO407-berichten zijn ontvangen. Woensdag om 10:00 verschijnt de aanleverrapportage "
                           "met de aansluiting. U kunt nog aanvullen of corrigeren."),
    Toestand.GERAPPORTEERD: ("De aanleverrapportage staat in deze map. Het CAK geeft akkoord op de aanlevering; "
                             "daarna worden de oude kanalen gesloten."),
    Toestand.NABELLEN: ("De aanlevering wijkt af van uw terugkoppeling (zie de aansluiting hieronder). Het CAK "
                        "belt u om een nieuwe aanleverdatum af te spreken."),
    Toestand.GEMIGREERD: ("De migratie is afgerond. Meld elke start en stop van Beschermd Wonen voortaan met een "
                          "WMO407-bericht."),
}


INSTRUCTIE_NA_DEADLINE: Mapping[Toestand, str] = {
    Toestand.BV_GEPUBLICEERD: ("De deadline voor de terugkoppeling ({deadline}) is voorbij. Upload uw ingevulde "
                               "bestandsvergelijking zo snel mogelijk hieronder: ze wordt nog aangenomen en als te "
                               "laat gemarkeerd. Neem contact op met het CAK over de gevolgen voor uw migratieweek."),
    Toestand.TERUGGEKOPPELD: ("Uw terugkoppeling is aangenomen. Het CAK had uiterlijk {deadline} akkoord moeten geven "
                              "om aan te leveren en neemt contact met u op over een nieuwe aanleverdatum. Tot dat "
                              "akkoord kunt u een verbeterde terugkoppeling uploaden."),
    Toestand.AKKOORD_AANLEVEREN: ("De aanleverdeadline ({deadline}) is voorbij. Stuur uw WMO407-berichten zo snel "
                                  "mogelijk: ze worden nog verwerkt en als te laat gemarkeerd. Neem contact op met het "
                                  "CAK om een nieuwe aanleverdatum af te spreken."),
}
"""What a gemeente is told once the deadline of its state has passed: the deadline, and what to do now."""


def instructie_gemeente(toestand: Toestand, deadline: datetime | None, nu: datetime) -> str:
    """What the gemeente's page tells it to do now: the instruction of its state, or, once the deadline
    of that state (`deadline`, an aware instant) has passed, that it is late and what to do about it."""
    if deadline is not None and nu > deadline and toestand in INSTRUCTIE_NA_DEADLINE:
        return INSTRUCTIE_NA_DEADLINE[toestand].format(deadline=format_moment(deadline))
    return INSTRUCTIE_GEMEENTE[toestand]


def mag_aanmelden(toestand: Toestand, rol: Rol) -> bool:
    """Whether this user may sign the gemeente up for a timeslot now."""
    return toestand == Toestand.NIET_GEPLAND and mag_leveren(rol)


def mag_terugkoppelen(toestand: Toestand) -> bool:
    """Whether a terugkoppeling on the B4 is taken now."""
    return mag(toestand, Overgang.TERUGKOPPELING)


WACHT_OP_TERUGKOPPELING = frozenset({Toestand.GEPLAND, Toestand.BV_GEPUBLICEERD})
"""The states in which a gemeente has not yet given a valid terugkoppeling on its B4."""

WACHT_OP_AKKOORD = frozenset({Toestand.GEPLAND, Toestand.BV_GEPUBLICEERD, Toestand.TERUGGEKOPPELD})
"""The states in which the CAK has not yet given its akkoord to deliver."""


# ---------------------------------------------------------------- what the CAK sees and may do

def actie_nodig(toestand: Toestand, *, aangemeld: bool, terugkoppeling_te_laat: bool,
                aanlevering_verlopen: bool) -> str | None:
    """What the CAK must do or chase now for a gemeente, in Dutch; None when nothing.

    `aanlevering_verlopen`: the delivery deadline has passed."""
    if toestand == Toestand.NIET_GEPLAND and aangemeld:
        return "aanmelding bevestigen of een andere timeslot toewijzen"
    if toestand == Toestand.BV_GEPUBLICEERD and terugkoppeling_te_laat:
        return "terugkoppeling te laat: gemeente benaderen"
    if toestand == Toestand.TERUGGEKOPPELD:
        return "terugkoppeling beoordelen en akkoord geven om aan te leveren"
    if toestand == Toestand.AKKOORD_AANLEVEREN and aanlevering_verlopen:
        return "aanlevering te laat: gemeente benaderen"
    if toestand == Toestand.GERAPPORTEERD:
        return "aanlevering correct: akkoord geven"
    if toestand == Toestand.NABELLEN:
        return "gemeente nabellen over de verschillen"
    return None


@dataclass(frozen=True)
class MogelijkeActie:
    naam: Overgang      # the step; the face maps it to a form
    titel: str          # Dutch button text
    uitleg: str         # Dutch explanation shown beside it
    kan_niet: str | None = None   # why the step cannot be taken now: shown instead of the button


def mogelijke_acties(toestand: Toestand, rol: Rol) -> tuple[MogelijkeActie, ...]:
    """What a user with this role can do now for a gemeente in this state, on the CAK's page."""
    acties: list[MogelijkeActie] = []
    if mag_doen(rol, Overgang.PLANNEN) and mag(toestand, Overgang.PLANNEN):
        acties.append(MogelijkeActie(
            Overgang.PLANNEN,
            "Timeslot bevestigen of toewijzen" if toestand == Toestand.NIET_GEPLAND else "Timeslot verplaatsen",
            "Kan tot de bestandsvergelijking is geplaatst; daarna ligt de timeslot vast."))
    if mag_doen(rol, Overgang.AKKOORD_AANLEVEREN) and mag(toestand, Overgang.AKKOORD_AANLEVEREN):
        acties.append(MogelijkeActie(
            Overgang.AKKOORD_AANLEVEREN, "Akkoord geven om aan te leveren",
            "Legt het aantal verwachte cliënten (code J) vast, opent het kanaal iEb en mailt de gemeente."))
    if mag_doen(rol, Overgang.GOEDKEUREN) and toestand == Toestand.GERAPPORTEERD:
        acties.append(MogelijkeActie(
            Overgang.GOEDKEUREN, "Akkoord geven op de aanlevering",
            "Zet de gemeente op gemigreerd, mailt het verslag en sluit de oude kanalen."))
    if mag_doen(rol, Overgang.BELRESULTAAT) and mag(toestand, Overgang.BELRESULTAAT):
        acties.append(MogelijkeActie(
            Overgang.BELRESULTAAT, "Belresultaat vastleggen",
            "Na het gesprek: een nieuwe aanleverdatum afspreken; de gemeente levert opnieuw aan."))
    if mag_doen(rol, Overgang.GOEDKEUREN) and toestand == Toestand.NABELLEN:
        acties.append(MogelijkeActie(
            Overgang.GOEDKEUREN, "Afwijking accepteren en akkoord geven",
            "Alleen met een reden waarom het CAK de verschillen accepteert."))
    return tuple(acties)
