"""Het voorbeeld van ieb-2.0.md, sectie 7."""

from datetime import date

from lxml import etree

from portal.ieb import InMemoryRegister, beoordeel, bouw_wmo408, lees_wmo407, valideer_wmo408

from .berichten import CBS_CODES, VANDAAG, VOORBEELD_WMO408_GEACCEPTEERD, lees_wmo408, voorbeeld


def _canoniek(data: bytes) -> str:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(data, parser), method="c14n")


def test_the_example_is_read_into_dataclasses():
    controle = lees_wmo407(voorbeeld())

    assert controle.ok
    header = controle.bericht.header
    assert (header.afzender, header.identificatie, header.dagtekening) == ("0363", "MIG0363-0001", date(2022, 10, 4))
    assert (header.basisschema_xsd_versie, header.bericht_xsd_versie) == ("2.0.0", "2.0.0")
    [client] = controle.bericht.clients
    assert client.bsn == "123456782"
    assert client.regelnummer == 18
    [periode] = client.perioden
    assert (periode.bw_startnummer, periode.bw_startdatum, periode.bw_einddatum, periode.status_aanlevering) == (
        1001,
        date(2022, 10, 1),
        None,
        1,
    )
    assert periode.regelnummer == 20


def test_the_example_is_accepted_on_an_empty_register():
    bericht = lees_wmo407(voorbeeld()).bericht

    beoordeling = beoordeel(bericht, vandaag=VANDAAG, cbs_codes=CBS_CODES, register=InMemoryRegister())

    assert beoordeling.niveau == 3
    assert beoordeling.geaccepteerd
    assert beoordeling.retourcodes() == []
    assert beoordeling.rapport() == ["Het bericht is geaccepteerd: 1 cliënt en 1 periode zijn verwerkt."]


def test_the_wmo408_of_the_accepted_example_is_exactly_as_described():
    bericht = lees_wmo407(voorbeeld()).bericht
    beoordeling = beoordeel(bericht, vandaag=VANDAAG, cbs_codes=CBS_CODES, register=InMemoryRegister())

    wmo408 = bouw_wmo408(bericht, beoordeling, identificatie_retour="RET-0001", dagtekening_retour=VANDAAG)

    assert valideer_wmo408(wmo408) == []
    assert _canoniek(wmo408) == _canoniek(VOORBEELD_WMO408_GEACCEPTEERD.read_bytes())
    inhoud = lees_wmo408(wmo408)
    assert inhoud.header_retourcodes is None
    assert inhoud.header["RetourBasisschemaXsdVersie"] == inhoud.header["RetourBerichtXsdVersie"] == "2.0.0"
    assert [c.retourcodes for c in inhoud.clients] == [["0200"]]
    assert [p.retourcodes for p in inhoud.clients[0].perioden] == [["0200"]]


def test_second_send_of_the_example_gets_9056_and_9404():
    register = InMemoryRegister()
    bericht = lees_wmo407(voorbeeld()).bericht
    eerste = beoordeel(bericht, vandaag=VANDAAG, cbs_codes=CBS_CODES, register=register)
    assert eerste.geaccepteerd
    register.pas_toe(bericht)
    register.reserveer(bericht.header.identificatie)

    opnieuw = lees_wmo407(voorbeeld()).bericht
    tweede = beoordeel(opnieuw, vandaag=VANDAAG, cbs_codes=CBS_CODES, register=register)

    assert not tweede.geaccepteerd
    assert tweede.header_retourcodes() == ["9056"]
    assert tweede.periode_retourcodes(0, 0) == ["9404"]
    assert tweede.client_retourcodes(0) == ["0200"]
    assert tweede.retourcodes() == ["9056", "9404"]
    inhoud = lees_wmo408(bouw_wmo408(opnieuw, tweede, identificatie_retour="RET-0002", dagtekening_retour=VANDAAG))
    assert inhoud.header_retourcodes == ["9056"]
    assert inhoud.clients[0].perioden[0].retourcodes == ["9404"]
    assert inhoud.clients[0].retourcodes == ["0200"]
