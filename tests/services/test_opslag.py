"""Stored files are kept zlib-compressed in the database; whoever reads or downloads them gets the bytes that
were sent, with the size and SHA-256 of those bytes. Files stored before compression still read as they are."""
from __future__ import annotations

import hashlib
import zlib

from sqlalchemy import Table, insert, select

from portal.extensions import db
from portal.models import Bestand, Categorie, Ontvangst, Wmo407Bericht
from portal.services import storage
from portal.services.audit import Actor
from tests.scenario import (
    MEDEWERKER,
    api_token,
    b4_bsns,
    bearer,
    client,
    gemeente_met_code,
    mag_aanleveren,
    periode,
    upload,
    wmo407,
)


def _opgeslagen(model: type[Bestand] | type[Ontvangst], rij_id: int) -> tuple[bytes, str]:
    """What the database holds in the row: the stored bytes and how they are stored."""
    tabel: Table = model.__table__  # type: ignore[assignment]
    opgeslagen, opslag = db.session.execute(
        select(tabel.c.inhoud, tabel.c.inhoud_opslag).where(tabel.c.id == rij_id)).one()
    return bytes(opgeslagen), opslag


def test_a_wmo407_and_its_wmo408_are_stored_compressed_and_download_as_they_were_sent(app, session, clock):
    with app.app_context():
        bsns = b4_bsns(mag_aanleveren(clock))
    inhoud = wmo407("OPSLAG-1", *(client(bsn, periode(36300001 + i)) for i, bsn in enumerate(bsns)))
    session.login(MEDEWERKER)
    assert upload(session.client, "wmo407", inhoud, "opslag.xml").status_code == 200

    with app.app_context():
        ontvangst = db.session.scalars(select(Ontvangst).where(Ontvangst.soort == "WMO407")).one()
        bericht = db.session.scalars(select(Wmo407Bericht)).one()
        assert bericht.geaccepteerd
        wmo408 = db.session.get_one(Bestand, bericht.wmo408_bestand_id)
        opgeslagen, opslag = _opgeslagen(Ontvangst, ontvangst.id)
        assert opslag == "zlib" and len(opgeslagen) < len(inhoud) // 2
        assert zlib.decompress(opgeslagen) == inhoud
        assert ontvangst.sha256 == hashlib.sha256(inhoud).hexdigest() and ontvangst.grootte == len(inhoud)
        retour_opgeslagen, retour_opslag = _opgeslagen(Bestand, wmo408.id)
        assert retour_opslag == "zlib" and len(retour_opgeslagen) < wmo408.grootte // 2
        ontvangst_id, wmo408_id, wmo408_sha256, wmo408_grootte = (ontvangst.id, wmo408.id, wmo408.sha256,
                                                                  wmo408.grootte)

    download = session.client.get(f"/ontvangsten/{ontvangst_id}")
    assert download.status_code == 200 and download.data == inhoud
    retour = session.client.get(f"/bestanden/{wmo408_id}")
    assert retour.status_code == 200
    assert len(retour.data) == wmo408_grootte
    assert hashlib.sha256(retour.data).hexdigest() == wmo408_sha256 == retour.headers["X-Content-SHA256"]
    assert retour.data.startswith(b"<?xml") and b"WMO408" in retour.data[:2000].upper()


def test_a_file_stored_before_compression_reads_and_downloads_unchanged_through_the_site_and_the_api(
        app, session, clock):
    oud = b"PK\x03\x04 een bestand van voor de compressie, byte voor byte"
    with app.app_context():
        gemeente = mag_aanleveren(clock)
        token = api_token(MEDEWERKER)
        tabel: Table = Bestand.__table__  # type: ignore[assignment]
        bestand_id = db.session.execute(insert(tabel).values(
            gemeente_id=gemeente.id, categorie=Categorie.VERSLAG.value, naam="oud.xlsx", mediatype=storage.XLSX,
            inhoud=oud, inhoud_opslag="ruw", sha256=hashlib.sha256(oud).hexdigest(), grootte=len(oud),
            gepubliceerd_op=clock.now()).returning(tabel.c.id)).scalar_one()
        db.session.commit()
        assert db.session.get_one(Bestand, bestand_id).inhoud == oud

    session.login(MEDEWERKER)
    assert session.client.get(f"/bestanden/{bestand_id}").data == oud
    via_api = session.client.get(f"/api/v1/bestanden/{bestand_id}", headers=bearer(token))
    assert via_api.status_code == 200 and via_api.data == oud
    assert via_api.headers["X-Content-SHA256"] == hashlib.sha256(oud).hexdigest()


def test_setting_new_contents_on_an_old_row_stores_them_compressed(app, clock):
    with app.app_context():
        gemeente = mag_aanleveren(clock)
        bestand = storage.plaats_bestand(gemeente_met_code(gemeente.code), storage.NieuwBestand(
            categorie=Categorie.VERSLAG, naam="x.xml", inhoud=b"<a/>" * 1000, mediatype=storage.XML),
            Actor.job_named("test"))
        db.session.commit()
        tabel: Table = Bestand.__table__  # type: ignore[assignment]
        db.session.execute(tabel.update().where(tabel.c.id == bestand.id).values(inhoud=b"ruw", inhoud_opslag="ruw"))
        db.session.commit()
        db.session.expire_all()
        assert bestand.inhoud == b"ruw"
        bestand.inhoud = b"<b/>" * 1000
        db.session.commit()
        db.session.expire_all()
        assert bestand.inhoud == b"<b/>" * 1000
        opgeslagen, opslag = _opgeslagen(Bestand, bestand.id)
        assert opslag == "zlib" and len(opgeslagen) < 100
