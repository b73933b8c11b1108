"""E-mail: every mail goes into the outbox first; the planner's mail job delivers the outbox by SMTP.

A mail's body is a text template under ``portal/templates/mail/``, rendered by `tekst`. A mail that
cannot be delivered stays queued with its error and is retried with a growing pause. Without
SMTP_HOST mails stay in the outbox only, readable by CAK users.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from flask import current_app, render_template
from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import Gemeente, Mail, MailBijlage
from portal.services.klok import nu

MAX_PAUZE = timedelta(hours=1)


@dataclass(frozen=True)
class Bijlage:
    naam: str
    mediatype: str
    inhoud: bytes


def tekst(sjabloon: str, **gegevens: Any) -> str:
    """The body of a mail: the text template ``mail/<sjabloon>.txt`` filled in with `gegevens`."""
    return render_template(f"mail/{sjabloon}.txt", **gegevens)


def zet_klaar(*, soort: str, aan: list[str], onderwerp: str, tekst: str,
              gemeente: Gemeente | None = None, bijlagen: tuple[Bijlage, ...] = (),
              sleutel: str | None = None) -> Mail:
    """Put a mail in the outbox (in the caller's transaction). With a key, only once."""
    if sleutel is not None:
        bestaand = db.session.scalar(select(Mail).where(Mail.sleutel == sleutel))
        if bestaand is not None:
            return bestaand
    ontvangers = sorted({a.strip().lower() for a in aan if a and a.strip()})
    mail = Mail(sleutel=sleutel, soort=soort, aan=ontvangers, onderwerp=onderwerp, tekst=tekst,
                gemeente_id=gemeente.id if gemeente is not None else None, aangemaakt_op=nu(),
                pogingen=0)
    mail.bijlagen = [MailBijlage(naam=b.naam, mediatype=b.mediatype, inhoud=b.inhoud) for b in bijlagen]
    db.session.add(mail)
    db.session.flush()
    return mail


def _bericht(mail: Mail, afzender: str) -> EmailMessage:
    bericht = EmailMessage()
    bericht["From"] = afzender
    bericht["To"] = ", ".join(mail.aan)
    bericht["Subject"] = mail.onderwerp
    bericht["Date"] = format_datetime(nu())   # the portal's clock, as every time the letter itself names
    bericht["Message-ID"] = make_msgid(domain=afzender.split("@")[-1])
    bericht.set_content(mail.tekst)
    for bijlage in mail.bijlagen:
        hoofd, _, sub = bijlage.mediatype.partition("/")
        bericht.add_attachment(bijlage.inhoud, maintype=hoofd, subtype=sub or "octet-stream",
                               filename=bijlage.naam)
    return bericht


def _smtp_verstuur(bericht: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(bericht)


def _echte_tijd() -> datetime:
    # Retry pauses are about the mail server, so they follow real time, also in the ketentest.
    return datetime.now(UTC)


def bezorg_wachtende(limiet: int = 100) -> tuple[int, int]:
    """Deliver queued mails by SMTP. Returns (sent, failed). Does nothing without SMTP_HOST."""
    if not current_app.config.get("SMTP_HOST"):
        return (0, 0)
    afzender = current_app.config["MAIL_AFZENDER"]
    moment = _echte_tijd()
    klaar_om_te_gaan = (Mail.verzonden_op.is_(None),
                        or_(Mail.volgende_poging_op.is_(None), Mail.volgende_poging_op <= moment))
    wachtend = db.session.scalars(select(Mail.id).where(*klaar_om_te_gaan).order_by(Mail.id).limit(limiet)).all()
    db.session.rollback()
    verzonden = mislukt = 0
    for mail_id in wachtend:
        # Each mail on its own row lock while it is sent: another planner (another machine) skips it, and
        # once this one has committed, finds it sent. So no mail goes out twice.
        mail = db.session.scalar(select(Mail).where(Mail.id == mail_id, *klaar_om_te_gaan)
                                 .with_for_update(skip_locked=True))
        if mail is None:
            db.session.rollback()
            continue
        if not mail.aan:
            mail.laatste_fout = "Geen ontvangers: vul het e-mailadres van de contactpersoon in."
            mail.volgende_poging_op = moment + MAX_PAUZE
            mislukt += 1
            db.session.commit()
            continue
        try:
            _smtp_verstuur(_bericht(mail, afzender))
        except (OSError, smtplib.SMTPException) as fout:
            mail.pogingen += 1
            mail.laatste_fout = f"{type(fout).__name__}: {fout}"[:2000]
            pauze = min(timedelta(minutes=2 ** min(mail.pogingen, 6)), MAX_PAUZE)
            mail.volgende_poging_op = moment + pauze
            mislukt += 1
        else:
            mail.pogingen += 1
            mail.verzonden_op = nu()
            mail.laatste_fout = None
            verzonden += 1
        db.session.commit()
    return (verzonden, mislukt)


VERTROUWELIJK = frozenset({"Wachtwoord herstellen", "Uitnodiging"})
"""Kinds of mail whose text holds a secret for its recipient alone (a link that logs in)."""


def leesbare_tekst(mail: Mail) -> str:
    """The text of a mail as the outbox shows it to the CAK: a mail with a secret for its recipient is not
    shown (a reset link would let a reader take over the account); in the ketentest, where no real mail
    may go out, it is shown so testers can follow the link."""
    if mail.soort not in VERTROUWELIJK or current_app.config.get("PORTAL_MODE") == "ketentest":
        return mail.tekst
    return ("De tekst van deze e-mail wordt hier niet getoond: er staat een persoonlijke link in waarmee alleen "
            "de ontvanger een nieuw wachtwoord kan instellen.")


def uitbak(gemeente_id: int | None = None, limiet: int | None = 200) -> list[Mail]:
    query = select(Mail).order_by(Mail.aangemaakt_op.desc(), Mail.id.desc())
    if limiet is not None:
        query = query.limit(limiet)
    if gemeente_id is not None:
        query = query.where(Mail.gemeente_id == gemeente_id)
    return list(db.session.scalars(query))


def bericht(mail_id: int) -> Mail | None:
    return db.session.get(Mail, mail_id)
