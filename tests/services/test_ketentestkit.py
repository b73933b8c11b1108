"""The ketentest kit's test files: every file sent through the delivery gets the outcome and retourcodes
the kit promises, in the order the kit gives (the valid one first)."""
from __future__ import annotations

from portal.services import delivery, ketentestkit
from tests.scenario import MEDEWERKER, actor, mag_aanleveren, perioden


def test_the_ketentest_files_get_the_outcomes_they_promise(app_ctx, clock):
    amsterdam = mag_aanleveren(clock, clients=3)
    pagina = ketentestkit.kitpagina(actor(MEDEWERKER), "0363")
    assert pagina.niet_aanleveren is None
    beloofd, gekregen = [], []
    for bestand in pagina.bestanden:
        verwerking = delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", bestand.bestandsnaam, bestand.inhoud)
        beloofd.append((bestand.sleutel, bestand.uitkomst, list(bestand.retourcodes)))
        gekregen.append((bestand.sleutel, verwerking.uitkomst, verwerking.retourcodes))
    assert gekregen == beloofd
    assert len(beloofd) == 14
    assert [p.bw_startnummer for p in perioden(amsterdam)] == [36300001]


def test_a_new_series_is_given_once_files_of_the_last_were_sent_and_it_holds_its_promises_too(app_ctx, clock):
    mag_aanleveren(clock, clients=3)
    eerste = ketentestkit.kitpagina(actor(MEDEWERKER), "0363").bestanden
    for bestand in eerste:
        delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", bestand.bestandsnaam, bestand.inhoud)
    tweede = ketentestkit.kitpagina(actor(MEDEWERKER), "0363").bestanden
    assert tweede[0].identificatie != eerste[0].identificatie
    uitkomsten = [(b.uitkomst, list(b.retourcodes)) for b in tweede]
    gekregen = [(v.uitkomst, v.retourcodes) for v in (
        delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", b.bestandsnaam, b.inhoud) for b in tweede)]
    assert gekregen == uitkomsten


def test_before_the_akkoord_the_kit_says_the_files_are_refused(app_ctx, clock):
    from tests.scenario import leverende_gemeente, plan

    plan(leverende_gemeente("0363", "Amsterdam", clients=2))
    pagina = ketentestkit.kitpagina(actor(MEDEWERKER), "0363")
    assert pagina.niet_aanleveren is not None and "nog geen akkoord" in pagina.niet_aanleveren
    verwerking = delivery.ontvang_wmo407(actor(MEDEWERKER), "0363", pagina.bestanden[0].bestandsnaam,
                                         pagina.bestanden[0].inhoud)
    assert verwerking.uitkomst == "geweigerd"
