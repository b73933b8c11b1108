"""The letters of the migration (proces.md section 7): who gets them, their subject, and their body from
the text templates under ``portal/templates/mail/``. Each is put in the outbox in the caller's
transaction; a letter of a scheduled action has a key, so a retried action never sends it twice."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from portal.aansluiting import Aansluiting, oordeel_tekst
from portal.models import Bestand, Gemeente, Mail, Ontvangst, User
from portal.rollen import GEMEENTE_ROLLEN
from portal.services import mail
from portal.services.migratie import dossier


def contacten(gemeente: Gemeente) -> list[str]:
    """The gemeente's contact address and its active staff."""
    adressen = [gemeente.contact_email] if gemeente.contact_email else []
    adressen += [u.email for u in gemeente.gebruikers if u.active and u.role in GEMEENTE_ROLLEN]
    return adressen


def cak_adres() -> list[str]:
    return [current_app.config["CAK_MAILADRES"]]


def _naam(gemeente: Gemeente) -> str:
    return f"{gemeente.naam} ({gemeente.code})"


def bestandsvergelijking_geplaatst(gemeente: Gemeente, bestand: Bestand, aantal: int,
                                   deadline: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Bestandsvergelijking geplaatst", gemeente=gemeente, aan=contacten(gemeente),
        sleutel=f"mail:{bestand.sleutel}:{gemeente.code}",
        onderwerp=f"Bestandsvergelijking geplaatst voor {_naam(gemeente)}",
        tekst=mail.tekst("bestandsvergelijking_geplaatst", gemeente=gemeente, bestand=bestand, aantal=aantal,
                         deadline=deadline))


def terugkoppeling_ontvangen(gemeente: Gemeente, uploader: User, ontvangst: Ontvangst, aantallen: dict[str, int],
                             toegevoegd: int, akkoord_uiterlijk: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Terugkoppeling ontvangen", gemeente=gemeente, aan=[uploader.email],
        onderwerp=f"Terugkoppeling ontvangen voor {_naam(gemeente)}",
        tekst=mail.tekst("terugkoppeling_ontvangen", gemeente=gemeente, aanhef=uploader.naam, ontvangst=ontvangst,
                         aantallen=aantallen, toegevoegd=toegevoegd, akkoord_uiterlijk=akkoord_uiterlijk))


def terugkoppeling_te_laat(gemeente: Gemeente, timeslot: date | None, moment: datetime,
                           akkoord_uiterlijk: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Terugkoppeling te laat", gemeente=gemeente, aan=cak_adres(),
        sleutel=f"mail:terugkoppeling-te-laat:{gemeente.code}:{moment.isoformat()}",
        onderwerp=f"Terugkoppeling te laat: {_naam(gemeente)}",
        tekst=mail.tekst("terugkoppeling_te_laat", gemeente=gemeente, timeslot=timeslot, moment=moment,
                         akkoord_uiterlijk=akkoord_uiterlijk))


def akkoord_aanleveren(gemeente: Gemeente, verwacht: int, deadline: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Akkoord om aan te leveren", gemeente=gemeente, aan=contacten(gemeente),
        onderwerp=f"Akkoord om aan te leveren voor {_naam(gemeente)}",
        tekst=mail.tekst("akkoord_aanleveren", gemeente=gemeente, verwacht=verwacht, deadline=deadline,
                         startdatum=dossier.migratie_startdatum()))


def aanleverrapportage_geplaatst(gemeente: Gemeente, bestand: Bestand, aansluiting: Aansluiting,
                                 moment: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Aanleverrapportage geplaatst", gemeente=gemeente, aan=contacten(gemeente),
        sleutel=f"mail:aanleverrapportage:{gemeente.code}:{moment.isoformat()}",
        onderwerp=f"Aanleverrapportage geplaatst voor {_naam(gemeente)}",
        tekst=mail.tekst("aanleverrapportage_geplaatst", gemeente=gemeente, bestand=bestand,
                         oordeel=oordeel_tekst(aansluiting), correct=aansluiting.correct))


def akkoord_aanlevering(gemeente: Gemeente, verslag: Bestand, reden: str | None) -> Mail:
    return mail.zet_klaar(
        soort="Akkoord op aanlevering", gemeente=gemeente, aan=contacten(gemeente),
        bijlagen=(mail.Bijlage(verslag.naam, verslag.mediatype, verslag.inhoud),),
        onderwerp=f"Akkoord op de aanlevering van {_naam(gemeente)}",
        tekst=mail.tekst("akkoord_aanlevering", gemeente=gemeente, verslag=verslag, reden=reden,
                         peildatum=dossier.peildatum_oude_kanalen()))


def wekelijkse_rapportage(gemeente: Gemeente, bestand: Bestand, moment: datetime, volgende: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Wekelijkse aanleverrapportage geplaatst", gemeente=gemeente, aan=contacten(gemeente),
        sleutel=f"mail:wekelijks:{gemeente.code}:{moment.isoformat()}",
        onderwerp=f"Wekelijkse aanleverrapportage geplaatst voor {_naam(gemeente)}",
        tekst=mail.tekst("wekelijkse_rapportage", gemeente=gemeente, bestand=bestand, volgende=volgende))


def ontbrekende_wmo407(gemeente: Gemeente, bestand: Bestand, aantal: int, moment: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Ontbrekende WMO407-berichten", gemeente=gemeente, aan=contacten(gemeente),
        sleutel=f"mail:ontbrekend:{gemeente.code}:{moment.isoformat()}",
        bijlagen=(mail.Bijlage(bestand.naam, bestand.mediatype, bestand.inhoud),),
        onderwerp=f"Ontbrekende WMO407-berichten voor {_naam(gemeente)}",
        tekst=mail.tekst("ontbrekende_wmo407", gemeente=gemeente, bestand=bestand, aantal=aantal))


def ontbrekende_wmo407_cak(bijlage: mail.Bijlage, aantal: int, moment: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Ontbrekende WMO407-berichten", aan=cak_adres(), sleutel=f"mail:ontbrekend:CAK:{moment.isoformat()}",
        bijlagen=(bijlage,),
        onderwerp="Ontbrekende WMO407-berichten na de migratieperiode (alle gemeenten)",
        tekst=mail.tekst("ontbrekende_wmo407_cak", aantal=aantal, bijlage=bijlage.naam))


def nieuwe_bestandsvergelijking(gemeente: Gemeente, bestand: Bestand, aantal: int, moment: datetime) -> Mail:
    return mail.zet_klaar(
        soort="Nieuwe bestandsvergelijking", gemeente=gemeente, aan=contacten(gemeente),
        sleutel=f"mail:bimaandelijks:{gemeente.code}:{moment.isoformat()}",
        onderwerp=f"Nieuwe bestandsvergelijking voor {_naam(gemeente)}",
        tekst=mail.tekst("nieuwe_bestandsvergelijking", gemeente=gemeente, bestand=bestand, aantal=aantal))


def vergelijking_beantwoord(gemeente: Gemeente, uploader: User, ontvangst: Ontvangst, bestand: Bestand,
                            aantallen: dict[str, int], toegevoegd: int, verschillen: int) -> Mail:
    return mail.zet_klaar(
        soort="Terugkoppeling ontvangen", gemeente=gemeente, aan=[uploader.email],
        onderwerp=f"Terugkoppeling op de tweemaandelijkse bestandsvergelijking ontvangen voor {_naam(gemeente)}",
        tekst=mail.tekst("vergelijking_beantwoord", gemeente=gemeente, aanhef=uploader.naam, ontvangst=ontvangst,
                         bestand=bestand, aantallen=aantallen, toegevoegd=toegevoegd, verschillen=verschillen))
