"""E-mail through a real SMTP server on loopback (proces.md section 7): the right recipients and subjects,
the verslag attached to the approval mail, and a mail that could not be sent stays queued and goes later."""
from __future__ import annotations

import socket
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as standaardbeleid

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from portal.extensions import db
from portal.kalender import format_moment, lees_moment
from portal.models import Mail
from portal.services import mail, migratie
from portal.toestanden import Toestand
from tests.scenario import CONTACT, MEDEWERKER, bestanden, gebruiker, gemeente_in, klok_naar, lees_xlsx, mails

AFZENDER = "bw-portaal@cak.example.nl"


class Verzamelaar:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.berichten: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.berichten.append((envelope.mail_from, sorted(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def gelezen(self):
        return [(van, aan, message_from_bytes(inhoud, policy=standaardbeleid)) for van, aan, inhoud in self.berichten]


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server(poort: int):
    verzamelaar = Verzamelaar()
    controller = Controller(verzamelaar, hostname="127.0.0.1", port=poort)
    controller.start()
    try:
        yield verzamelaar
    finally:
        controller.stop()


@pytest.fixture
def smtp_poort() -> int:
    return _vrije_poort()


@pytest.fixture
def app_config(smtp_poort):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_poort, "MAIL_AFZENDER": AFZENDER}


def test_the_mails_of_a_whole_migration_reach_the_smtp_server_with_the_verslag_attached(app_ctx, clock, smtp_poort):
    with smtp_server(smtp_poort) as server:
        gemeente = gemeente_in(clock, Toestand.GEMIGREERD)
        assert server.berichten == []  # a step only puts its mail in the outbox; the mail job sends it
        assert mail.bezorg_wachtende() == (5, 0)

        ontvangen = server.gelezen()

    assert [(van, aan, bericht["Subject"]) for van, aan, bericht in ontvangen] == [
        (AFZENDER, [CONTACT, MEDEWERKER], "Bestandsvergelijking geplaatst voor Amsterdam (0363)"),
        (AFZENDER, [MEDEWERKER], "Terugkoppeling ontvangen voor Amsterdam (0363)"),
        (AFZENDER, [CONTACT, MEDEWERKER], "Akkoord om aan te leveren voor Amsterdam (0363)"),
        (AFZENDER, [CONTACT, MEDEWERKER], "Aanleverrapportage geplaatst voor Amsterdam (0363)"),
        (AFZENDER, [CONTACT, MEDEWERKER], "Akkoord op de aanlevering van Amsterdam (0363)"),
    ]
    b4 = ontvangen[0][2]
    assert b4["To"] == f"{CONTACT}, {MEDEWERKER}"
    assert "680363_B4_Bestandsvergelijking_20220926.xlsx met 4 cliënten" in b4.get_body().get_content()
    akkoord = ontvangen[-1][2]
    assert "De migratie naar iEb 2.0 is daarmee afgerond" in akkoord.get_body(("plain",)).get_content()
    [bijlage] = list(akkoord.iter_attachments())
    [verslag] = bestanden(gemeente, "verslag")
    assert bijlage.get_filename() == "680363_Verslag_Migratie_20221005.xlsx" == verslag.naam
    assert bijlage.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert bijlage.get_content() == verslag.inhoud
    assert list(lees_xlsx(bijlage.get_content()))[:2] == ["Samenvatting", "Aansluiting"]
    assert all(m.verzonden_op is not None and m.pogingen == 1 and m.laatste_fout is None for m in mails())
    assert format_moment(mails("Akkoord op aanlevering")[0].verzonden_op) == "05-10-2022 11:00"
    # one clock: the Date of every mail is the portal's clock, as the times in the letter itself
    assert {bericht["Date"].datetime for _, _, bericht in ontvangen} == {lees_moment("2022-10-05 11:00")}


def _zet_volgende_poging_in_het_verleden() -> None:
    db.session.execute(update(Mail).values(volgende_poging_op=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()


def test_a_mail_that_cannot_be_sent_stays_queued_with_its_error_and_goes_once_the_server_is_up(
        app_ctx, clock, smtp_poort):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    klok_naar(clock, "2022-09-26 10:30")
    assert mail.bezorg_wachtende() == (0, 1)  # the mail job tries to deliver: nobody listens on the port

    [wachtend] = mails("Bestandsvergelijking geplaatst")
    assert wachtend.verzonden_op is None and wachtend.pogingen == 1
    assert wachtend.laatste_fout.startswith("ConnectionRefusedError")
    echt_nu = datetime.now(UTC)
    assert echt_nu + timedelta(minutes=1) < wachtend.volgende_poging_op <= echt_nu + timedelta(minutes=2, seconds=5)
    assert mail.bezorg_wachtende() == (0, 0)  # not yet time for the next attempt

    _zet_volgende_poging_in_het_verleden()
    assert mail.bezorg_wachtende() == (0, 1)
    [wachtend] = mails("Bestandsvergelijking geplaatst")
    assert wachtend.pogingen == 2 and wachtend.verzonden_op is None
    assert wachtend.volgende_poging_op > datetime.now(UTC) + timedelta(minutes=3)  # a longer pause

    with smtp_server(smtp_poort) as server:
        assert mail.bezorg_wachtende() == (0, 0)  # the server is up, but the pause is not over
        assert server.berichten == []
        clock.set(lees_moment("2022-09-26 11:15"))
        _zet_volgende_poging_in_het_verleden()

        assert mail.bezorg_wachtende() == (1, 0)
        ontvangen = server.gelezen()

    assert [(aan, bericht["Subject"]) for _, aan, bericht in ontvangen] == [
        ([CONTACT, MEDEWERKER], "Bestandsvergelijking geplaatst voor Amsterdam (0363)")]
    [verzonden] = mails("Bestandsvergelijking geplaatst")
    assert (verzonden.pogingen, verzonden.laatste_fout, format_moment(verzonden.verzonden_op)) == (
        3, None, "26-09-2022 11:15")
    assert migratie.status(gemeente).toestand == Toestand.BV_GEPUBLICEERD
    assert mail.bezorg_wachtende() == (0, 0)


def test_a_mail_without_recipients_stays_in_the_outbox_with_a_dutch_reason(app_ctx, clock, smtp_poort):
    gemeente = gemeente_in(clock, Toestand.GEPLAND)
    gemeente.contact_email = None
    gebruiker(MEDEWERKER).active = False
    db.session.commit()

    with smtp_server(smtp_poort) as server:
        klok_naar(clock, "2022-09-26 10:30")
        assert mail.bezorg_wachtende() == (0, 1)
        db.session.remove()  # the scheduler's round ends
        assert server.berichten == []

    [wachtend] = mails("Bestandsvergelijking geplaatst")
    assert wachtend.aan == [] and wachtend.verzonden_op is None
    assert wachtend.laatste_fout == "Geen ontvangers: vul het e-mailadres van de contactpersoon in."
