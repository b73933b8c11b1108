"""Niveau 3 on large messages skips work in the common case; on any message (hypothesis), the outcome must be
the one of every period rule applied to every period, and the overlap the one of comparing every pair."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.ieb import Client, GeregistreerdePeriode, Header, InMemoryRegister, Periode, Wmo407Bericht
from portal.ieb.niveau3_regels import PERIODE_REGELS, Toetsing, periode_meldingen
from tests.scenario import elfproef_bsn

DAGTEKENING = date(2022, 10, 4)
BSNS = [elfproef_bsn(100_000_000 + i * 1000) for i in range(3)]
# Around the TR395 limit (04-10-2019) and overlapping each other often.
datums = st.integers(-15, 15).map(lambda dagen: date(2019, 10, 4) + timedelta(days=dagen * 40))


@st.composite
def toetsingen(draw):
    register = [
        GeregistreerdePeriode(draw(st.sampled_from(BSNS)), nummer, begin, eind, draw(st.booleans()))
        for nummer in draw(st.lists(st.integers(1, 10), max_size=6, unique=True))
        for begin in [draw(datums)]
        for eind in [draw(st.none() | datums.filter(lambda d, b=begin: d >= b))]
    ]
    nummers = iter(draw(st.lists(st.integers(1, 10), min_size=6, max_size=6, unique=True)))
    clients = []
    for bsn in draw(st.lists(st.sampled_from(BSNS), min_size=1, max_size=3, unique=True)):
        perioden = []
        for _ in range(draw(st.integers(1, 2))):
            begin = draw(datums)
            eind = draw(st.none() | datums.filter(lambda d, b=begin: d >= b))
            perioden.append(Periode(next(nummers), begin, eind, draw(st.integers(1, 3))))
        clients.append(Client(bsn, tuple(perioden)))
    bericht = Wmo407Bericht(Header("0363", "X", DAGTEKENING, "2.0.0", "2.0.0"), tuple(clients))
    return Toetsing(bericht=bericht, vandaag=DAGTEKENING, cbs_codes={"0363"}, register=InMemoryRegister(register))


def _stand_na_bericht(toetsing):
    """The current periods of the message's BSNs once the message is applied: BwStartNummer -> (bsn, begin, end)."""
    bsns = {client.bsn for client in toetsing.bericht.clients}
    stand = {p.bw_startnummer: (p.bsn, p.bw_startdatum, p.bw_einddatum)
             for bsn in bsns for p in toetsing.register.perioden_van_bsn(bsn) if not p.verwijderd}
    for client in toetsing.bericht.clients:
        for periode in client.perioden:
            stand.pop(periode.bw_startnummer, None)
            if periode.status_aanlevering != 3:
                stand[periode.bw_startnummer] = (client.bsn, periode.bw_startdatum, periode.bw_einddatum)
    return stand


def _overlappen(a, b):
    (bsn_a, begin_a, eind_a), (bsn_b, begin_b, eind_b) = a, b
    return bsn_a == bsn_b and begin_a <= (eind_b or date.max) and begin_b <= (eind_a or date.max)


@settings(max_examples=300, deadline=None)
@given(toetsingen())
def test_the_overlap_after_the_message_is_found_for_exactly_the_periods_that_overlap_another(toetsing):
    stand = _stand_na_bericht(toetsing)
    verwacht = {nummer for nummer, periode in stand.items()
                if any(_overlappen(periode, ander) for n, ander in stand.items() if n != nummer)}

    gevonden = toetsing.overlappend

    assert set(gevonden) == verwacht
    for nummer, partner in gevonden.items():
        assert partner.bw_startnummer != nummer
        assert _overlappen(stand[nummer], stand[partner.bw_startnummer])


@settings(max_examples=300, deadline=None)
@given(toetsingen())
def test_every_period_gets_the_findings_of_every_period_rule(toetsing):
    verwacht = {}
    for ci, client in enumerate(toetsing.bericht.clients):
        for pi, periode in enumerate(client.perioden):
            for regel in PERIODE_REGELS:
                if (melding := regel(toetsing, client, periode)) is not None:
                    verwacht.setdefault((ci, pi), []).append(melding)

    assert periode_meldingen(toetsing) == verwacht
