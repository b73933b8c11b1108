"""Eigenschappen over willekeurige geldige berichten (hypothesis)."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.ieb import (
    Client,
    InMemoryRegister,
    Periode,
    beoordeel,
    bouw_wmo408,
    lees_wmo407,
    valideer_wmo408,
    wmo407_bytes,
)
from tests.scenario import elfproef_bsn

from .berichten import lees_wmo408

# Ruim binnen 36 kalendermaanden: 36 maanden zijn altijd minstens 1095 dagen.
MAX_DAGEN_TERUG = 1090


geldige_bsns = st.integers(0, 99_999_999).map(lambda begin: elfproef_bsn(begin * 10))
identificaties = st.text(alphabet="ABCxyz0189-_ /&<é", min_size=1, max_size=12).filter(lambda t: t.strip() != "")


@st.composite
def geldige_aanleveringen(draw):
    vandaag = draw(st.dates(min_value=date(2022, 1, 1), max_value=date(2032, 12, 31)))
    dagtekening = vandaag - timedelta(days=draw(st.integers(0, 60)))
    vroegste = dagtekening - timedelta(days=MAX_DAGEN_TERUG)
    bsns = draw(st.lists(geldige_bsns, min_size=1, max_size=6, unique=True))
    aantallen = [draw(st.integers(1, 3)) for _ in bsns]
    totaal = sum(aantallen)
    nummers = iter(draw(st.lists(st.integers(0, 999_999_999), min_size=totaal, max_size=totaal, unique=True)))
    clients = []
    for bsn, aantal in zip(bsns, aantallen, strict=True):
        perioden = []
        begin = vroegste + timedelta(days=draw(st.integers(0, 400)))
        for volgnummer in range(aantal):
            laatste = volgnummer == aantal - 1
            open_einde = laatste and draw(st.booleans())
            einde = None if open_einde else begin + timedelta(days=draw(st.integers(0, 500)))
            perioden.append(Periode(next(nummers), begin, einde, 1))
            if einde is not None:
                begin = einde + timedelta(days=draw(st.integers(1, 90)))
        clients.append(Client(bsn, tuple(perioden)))
    bericht = {
        "afzender": draw(st.from_regex(r"[0-9]{4}", fullmatch=True)),
        "identificatie": draw(identificaties),
        "dagtekening": dagtekening,
        "clients": clients,
    }
    return vandaag, bericht


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(geldige_aanleveringen())
def test_any_valid_wmo407_is_accepted_and_sending_it_again_gives_9056_and_9404(aanlevering):
    vandaag, gegevens = aanlevering
    data = wmo407_bytes(**gegevens)
    cbs_codes = {gegevens["afzender"]}
    register = InMemoryRegister()

    controle = lees_wmo407(data)
    assert controle.ok, [str(b) for b in controle.bevindingen]
    bericht = controle.bericht
    assert bericht.clients == tuple(gegevens["clients"])
    eerste = beoordeel(bericht, vandaag=vandaag, cbs_codes=cbs_codes, register=register)
    assert eerste.geaccepteerd, [str(m) for m in eerste.meldingen()]
    assert valideer_wmo408(bouw_wmo408(bericht, eerste, identificatie_retour="P1", dagtekening_retour=vandaag)) == []
    register.pas_toe(bericht)
    register.reserveer(bericht.header.identificatie)

    opnieuw = lees_wmo407(data).bericht
    tweede = beoordeel(opnieuw, vandaag=vandaag, cbs_codes=cbs_codes, register=register)

    assert tweede.header_retourcodes() == ["9056"]
    assert tweede.retourcodes() == ["9056", "9404"]
    wmo408 = bouw_wmo408(opnieuw, tweede, identificatie_retour="P2", dagtekening_retour=vandaag)
    assert valideer_wmo408(wmo408) == []
    inhoud = lees_wmo408(wmo408)
    assert inhoud.header_retourcodes == ["9056"]
    assert [[p.retourcodes for p in c.perioden] for c in inhoud.clients] == [
        [["9404"]] * len(c.perioden) for c in gegevens["clients"]
    ]
    assert [c.retourcodes for c in inhoud.clients] == [["0200"]] * len(gegevens["clients"])
