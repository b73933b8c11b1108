"""The outbox: every mail the portal made, its status, and one mail in full."""
from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.services import mail
from portal.toestanden import Toestand
from tests.scenario import CAK, gemeente_in, maak_gebruiker, maak_gemeente, tekst


@pytest.fixture
def b4_geplaatst(app, clock) -> None:
    """Amsterdam's B4 of three clients was published on Monday 26-09-2022 10:30."""
    with app.app_context():
        gemeente_in(clock, Toestand.BV_GEPUBLICEERD, clients=3)


@pytest.fixture
def cak_medewerker(app) -> None:
    with app.app_context():
        maak_gebruiker(CAK, "cak")


def test_the_outbox_lists_the_bestandsvergelijking_mail_after_the_b4_was_published(session, b4_geplaatst):
    session.login(CAK)
    page = session.client.get("/cak/uitbak").get_data(as_text=True)
    regel = next(r for r in page.split("<tr>") if "Bestandsvergelijking geplaatst voor Amsterdam (0363)" in r)
    zichtbaar = tekst(regel)
    assert "26-09-2022 10:30" in zichtbaar
    assert "bw@amsterdam.example.nl, medewerker@amsterdam.example.nl" in zichtbaar
    assert "Amsterdam" in zichtbaar and "in de wachtrij" in zichtbaar
    assert "Er is geen SMTP-server ingesteld" in page


def test_the_outbox_is_empty_before_anything_happened(session, cak_medewerker):
    session.login(CAK)
    assert "Er zijn nog geen e-mails gemaakt." in session.client.get("/cak/uitbak").get_data(as_text=True)


def test_a_mail_page_shows_the_full_text(session, b4_geplaatst):
    session.login(CAK)
    lijst = session.client.get("/cak/uitbak").get_data(as_text=True)
    link = re.search(r'href="(/cak/uitbak/\d+)">Bestandsvergelijking geplaatst', lijst).group(1)
    page = session.client.get(link).get_data(as_text=True)
    assert "<h1>Bestandsvergelijking geplaatst voor Amsterdam (0363)</h1>" in page
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx met 3 cliënten" in page
    assert "uiterlijk 29-09-2022 17:00" in page
    assert "Bijlagen" in page and "geen" in tekst(page.split("Bijlagen")[1].split("</div>")[0])


def test_a_mail_page_names_the_attachments(app, session, cak_medewerker):
    with app.app_context():
        amsterdam = maak_gemeente("0363", "Amsterdam")
        bericht = mail.zet_klaar(
            soort="Akkoord op aanlevering", aan=["bw@amsterdam.example.nl"], gemeente=amsterdam,
            onderwerp="Akkoord op de aanlevering van Amsterdam (0363)", tekst="In de bijlage het verslag.",
            bijlagen=(mail.Bijlage("680363_Verslag_20221005.xlsx", "application/vnd.ms-excel", b"x"),))
        db.session.commit()
        mail_id = bericht.id
    session.login(CAK)
    page = session.client.get(f"/cak/uitbak/{mail_id}").get_data(as_text=True)
    assert "680363_Verslag_20221005.xlsx" in page
    assert "In de bijlage het verslag." in page
    assert "(1 bijlage)" in session.client.get("/cak/uitbak").get_data(as_text=True)


def test_an_unknown_mail_answers_not_found(session, cak_medewerker):
    session.login(CAK)
    assert session.client.get("/cak/uitbak/999").status_code == 404


class TestMetSmtp:
    """With an SMTP server configured; the server itself is replaced, by default by one that refuses."""

    @pytest.fixture
    def app_config(self):
        return {"SMTP_HOST": "smtp.example.invalid"}

    @pytest.fixture(autouse=True)
    def smtp(self, request, monkeypatch):
        fout = getattr(request, "param", ConnectionRefusedError(111, "Connection refused"))
        verzonden = []

        def verstuur(bericht):
            if fout is not None:
                raise fout
            verzonden.append(bericht)

        monkeypatch.setattr(mail, "_smtp_verstuur", verstuur)
        return verzonden

    def test_a_mail_that_failed_shows_its_attempts_and_the_error(self, app, session, b4_geplaatst):
        with app.app_context():
            assert mail.bezorg_wachtende() == (0, 1)  # the planner's mail job
        session.login(CAK)
        page = session.client.get("/cak/uitbak").get_data(as_text=True)
        regel = tekst(next(r for r in page.split("<tr>") if "Bestandsvergelijking geplaatst" in r))
        assert "in de wachtrij" in regel
        assert "1 poging" in regel
        assert "Laatste fout: ConnectionRefusedError: [Errno 111] Connection refused" in regel
        assert "Er is geen SMTP-server ingesteld" not in page

    @pytest.mark.parametrize("smtp", [None], indirect=True)
    def test_a_sent_mail_shows_when_it_was_sent(self, app, session, b4_geplaatst, smtp):
        with app.app_context():
            assert mail.bezorg_wachtende() == (1, 0)  # the planner's mail job
        assert len(smtp) == 1
        session.login(CAK)
        page = session.client.get("/cak/uitbak").get_data(as_text=True)
        regel = tekst(next(r for r in page.split("<tr>") if "Bestandsvergelijking geplaatst" in r))
        assert "verzonden op 26-09-2022 10:30" in regel
        assert "in de wachtrij" not in regel


class TestInDeKetentest:
    """In the ketentest every time the outbox shows is the virtual clock's, except the next attempt, which
    follows the mail server in real time and says so."""

    @pytest.fixture
    def app_config(self):
        return {"SMTP_HOST": "smtp.example.invalid", "PORTAL_MODE": "ketentest"}

    def test_the_next_attempt_is_labelled_as_real_time_and_everything_else_is_the_virtual_clock(
            self, app, session, b4_geplaatst, monkeypatch):
        def weigert(bericht):
            raise ConnectionRefusedError(111, "Connection refused")

        monkeypatch.setattr(mail, "_smtp_verstuur", weigert)
        with app.app_context():
            assert mail.bezorg_wachtende() == (0, 1)
        session.login(CAK)
        page = session.client.get("/cak/uitbak").get_data(as_text=True)

        regel = tekst(next(r for r in page.split("<tr>") if "Bestandsvergelijking geplaatst" in r))
        assert regel.startswith("26-09-2022 10:30")          # made at the B4 moment, by the virtual clock
        assert "(echte tijd)" in regel
        assert "behalve 'volgende poging': de mailserver wordt in echte tijd opnieuw geprobeerd" in tekst(page)
