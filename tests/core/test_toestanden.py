"""The state machine of a migration (proces.md section 3), without a database: every (state, step) pair,
who may take a step, and what each role is told or offered in each state."""
from __future__ import annotations

import pytest

from portal.rollen import CAK_ROLLEN, LEVERENDE_ROLLEN, Rol
from portal.toestanden import (
    INSTRUCTIE_GEMEENTE,
    OVERGANG_TEKST,
    TOESTAND_TEKST,
    VOLGENDE_STAP,
    Overgang,
    OvergangGeweigerd,
    Toestand,
    actie_nodig,
    alleen_wie,
    mag,
    mag_aanmelden,
    mag_doen,
    mag_terugkoppelen,
    mogelijke_acties,
    na,
)

T, S = Toestand, Overgang

# The diagram of proces.md section 3, written out by hand: (state, step) -> the state after it.
# Every pair not listed here must be refused.
TOEGESTAAN: dict[tuple[Toestand, Overgang], Toestand] = {
    (T.NIET_GEPLAND, S.PLANNEN): T.GEPLAND,
    (T.GEPLAND, S.PLANNEN): T.GEPLAND,                      # moving the timeslot until the B4
    (T.GEPLAND, S.B4_PUBLICEREN): T.BV_GEPUBLICEERD,
    (T.BV_GEPUBLICEERD, S.TERUGKOPPELING): T.TERUGGEKOPPELD,
    (T.TERUGGEKOPPELD, S.TERUGKOPPELING): T.TERUGGEKOPPELD,  # a better one replaces it until the akkoord
    (T.TERUGGEKOPPELD, S.AKKOORD_AANLEVEREN): T.AKKOORD_AANLEVEREN,
    (T.AKKOORD_AANLEVEREN, S.AANGELEVERD): T.AANGELEVERD,
    (T.AANGELEVERD, S.RAPPORTEREN): T.GERAPPORTEERD,
    (T.AKKOORD_AANLEVEREN, S.RAPPORTEREN): T.GERAPPORTEERD,  # nothing delivered: reported all the same
    (T.GERAPPORTEERD, S.NABELLEN): T.NABELLEN,
    (T.GERAPPORTEERD, S.GOEDKEUREN): T.GEMIGREERD,
    (T.NABELLEN, S.GOEDKEUREN): T.GEMIGREERD,               # the CAK accepts the deviation
    (T.NABELLEN, S.BELRESULTAAT): T.AKKOORD_AANLEVEREN,     # re-delivery agreed
    (T.NIET_GEPLAND, S.OVERNEMEN): T.GEMIGREERD,            # a regiogemeente taking over its migrated centrum's
}
ALLE_PAREN = [(toestand, stap) for toestand in Toestand for stap in Overgang]


def test_there_are_nine_states_and_ten_steps_so_ninety_pairs():
    assert len(ALLE_PAREN) == 90
    assert set(TOEGESTAAN) <= set(ALLE_PAREN)


@pytest.mark.parametrize(("toestand", "stap"), ALLE_PAREN, ids=lambda w: str(w))
def test_every_state_and_step_pair_is_allowed_exactly_as_the_diagram_says(toestand, stap):
    verwacht = TOEGESTAAN.get((toestand, stap))

    assert mag(toestand, stap) is (verwacht is not None)
    if verwacht is not None:
        assert na(toestand, stap) == verwacht
    else:
        with pytest.raises(OvergangGeweigerd) as fout:
            na(toestand, stap)
        melding = fout.value.melding
        assert melding.startswith(f"Dit kan nu niet: {OVERGANG_TEKST[stap]} kan niet in de toestand "
                                  f"'{TOESTAND_TEKST[toestand]}' ({toestand.value}).")
        assert "Er is niets gewijzigd." in melding
        assert melding.endswith(VOLGENDE_STAP[toestand])


def test_gemigreerd_is_the_end_no_step_leaves_it():
    assert [stap for stap in Overgang if mag(T.GEMIGREERD, stap)] == []


def test_every_state_can_be_reached_from_niet_gepland():
    bereikt, rand = {T.NIET_GEPLAND}, [T.NIET_GEPLAND]
    while rand:
        van = rand.pop()
        for stap in Overgang:
            if mag(van, stap) and na(van, stap) not in bereikt:
                bereikt.add(na(van, stap))
                rand.append(na(van, stap))
    assert bereikt == set(Toestand)


def test_every_state_step_and_flag_has_a_dutch_text_and_every_state_an_instruction_and_a_next_step():
    assert set(TOESTAND_TEKST) == set(Toestand) == set(INSTRUCTIE_GEMEENTE) == set(VOLGENDE_STAP)
    assert set(OVERGANG_TEKST) == set(Overgang)
    assert all(tekst and tekst == tekst.strip() for tekst in [*TOESTAND_TEKST.values(), *OVERGANG_TEKST.values()])


@pytest.mark.parametrize("rol", list(Rol))
@pytest.mark.parametrize("stap", list(Overgang))
def test_only_the_cak_takes_the_cak_steps_and_only_a_cak_beheerder_plans(rol, stap):
    if stap == S.PLANNEN:
        verwacht = rol == Rol.CAK_BEHEERDER
    elif stap in (S.AKKOORD_AANLEVEREN, S.GOEDKEUREN, S.BELRESULTAAT):
        verwacht = rol in CAK_ROLLEN
    else:  # taken by the scheduler, or following from what a gemeente uploads
        verwacht = True
    assert mag_doen(rol, stap) is verwacht


def test_a_step_without_a_user_is_refused_where_a_cak_user_is_needed():
    assert not mag_doen(None, S.AKKOORD_AANLEVEREN)
    assert mag_doen(None, S.B4_PUBLICEREN)


def test_the_refusal_names_who_may_take_the_step():
    assert alleen_wie(S.PLANNEN) == "Alleen een beheerder van het CAK kan dit doen."
    assert alleen_wie(S.GOEDKEUREN) == "Alleen een medewerker van het CAK kan dit doen."


# What the CAK's page offers, per state and role: the names of the actions, in order.
ACTIES_CAK_BEHEERDER = {
    T.NIET_GEPLAND: [S.PLANNEN], T.GEPLAND: [S.PLANNEN], T.BV_GEPUBLICEERD: [],
    T.TERUGGEKOPPELD: [S.AKKOORD_AANLEVEREN], T.AKKOORD_AANLEVEREN: [], T.AANGELEVERD: [],
    T.GERAPPORTEERD: [S.GOEDKEUREN], T.NABELLEN: [S.BELRESULTAAT, S.GOEDKEUREN], T.GEMIGREERD: [],
}


@pytest.mark.parametrize("toestand", list(Toestand))
@pytest.mark.parametrize("rol", list(Rol))
def test_the_actions_offered_per_state_and_role(toestand, rol):
    namen = [a.naam for a in mogelijke_acties(toestand, rol)]

    if rol == Rol.CAK_BEHEERDER:
        assert namen == ACTIES_CAK_BEHEERDER[toestand]
    elif rol == Rol.CAK:
        assert namen == [n for n in ACTIES_CAK_BEHEERDER[toestand] if n != S.PLANNEN]
    else:
        assert namen == []
    for actie in mogelijke_acties(toestand, rol):
        assert mag(toestand, actie.naam) and mag_doen(rol, actie.naam)


def test_accepting_a_deviation_is_offered_with_its_own_title_on_the_call_list():
    [bellen, afwijking] = mogelijke_acties(T.NABELLEN, Rol.CAK)
    assert bellen.titel == "Belresultaat vastleggen"
    assert afwijking.titel == "Afwijking accepteren en akkoord geven"
    assert "reden" in afwijking.uitleg
    assert mogelijke_acties(T.GERAPPORTEERD, Rol.CAK)[0].titel == "Akkoord geven op de aanlevering"


@pytest.mark.parametrize("rol", sorted(LEVERENDE_ROLLEN))
def test_signing_up_is_open_to_the_delivering_roles_before_planning_only(rol):
    assert mag_aanmelden(T.NIET_GEPLAND, rol)
    assert not any(mag_aanmelden(t, rol) for t in Toestand if t != T.NIET_GEPLAND)


@pytest.mark.parametrize("rol", sorted(CAK_ROLLEN))
def test_the_cak_never_signs_a_gemeente_up(rol):
    assert not any(mag_aanmelden(t, rol) for t in Toestand)


def test_a_terugkoppeling_is_taken_from_the_b4_until_the_akkoord():
    assert [t for t in Toestand if mag_terugkoppelen(t)] == [T.BV_GEPUBLICEERD, T.TERUGGEKOPPELD]


@pytest.mark.parametrize(("toestand", "aangemeld", "te_laat", "verlopen", "verwacht"), [
    (T.NIET_GEPLAND, False, False, False, None),
    (T.NIET_GEPLAND, True, False, False, "aanmelding bevestigen of een andere timeslot toewijzen"),
    (T.GEPLAND, True, False, False, None),
    (T.BV_GEPUBLICEERD, True, False, False, None),
    (T.BV_GEPUBLICEERD, True, True, False, "terugkoppeling te laat: gemeente benaderen"),
    (T.TERUGGEKOPPELD, True, True, False, "terugkoppeling beoordelen en akkoord geven om aan te leveren"),
    (T.AKKOORD_AANLEVEREN, True, False, False, None),
    (T.AKKOORD_AANLEVEREN, True, False, True, "aanlevering te laat: gemeente benaderen"),
    (T.AANGELEVERD, True, False, True, None),
    (T.GERAPPORTEERD, True, False, False, "aanlevering correct: akkoord geven"),
    (T.NABELLEN, True, False, False, "gemeente nabellen over de verschillen"),
    (T.GEMIGREERD, True, True, True, None),
])
def test_what_the_cak_must_do_follows_the_state_and_the_flags(toestand, aangemeld, te_laat, verlopen, verwacht):
    assert actie_nodig(toestand, aangemeld=aangemeld, terugkoppeling_te_laat=te_laat,
                       aanlevering_verlopen=verlopen) == verwacht
