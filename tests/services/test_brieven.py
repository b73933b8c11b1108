"""Every letter of the migration rendered for a sample gemeente (proces.md section 7): the recipients, the
subject, the salutation and greeting, and the facts the letter must carry (file name, counts, deadline,
dates in dd-mm-jjjj). The letters come from the text templates under portal/templates/mail/."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from portal.aansluiting import bepaal_aansluiting
from portal.extensions import db
from portal.kalender import NL
from portal.models import Categorie, Gemeente, Mail
from portal.rollen import Rol
from portal.services import accounts, mail, storage
from portal.services.audit import Actor
from portal.services.migratie import brieven

ACTOR = Actor.job_named("test")
GROET = "Met vriendelijke groet,\nCAK, team migratie Beschermd Wonen"
CAK_TEAM = "bw-migratie@cak.example.nl"


def lokaal(*delen: int) -> datetime:
    return datetime(*delen, tzinfo=NL)


@pytest.fixture
def gemeente(app_ctx) -> Gemeente:
    gemeente = Gemeente(code="0363", naam="Amsterdam", soort="centrumgemeente", levert_zelf_aan=False,
                        bestandsprefix="680363", contact_naam="Fatima de Vries",
                        contact_email="bw@amsterdam.example.nl", contact_telefoon="020-5551234")
    db.session.add(gemeente)
    db.session.flush()
    accounts.maak_gebruiker(accounts.NieuweGebruiker("medewerker@amsterdam.example.nl", "Wachtwoord-123",
                                                     Rol.GEMEENTE, ("0363",), "Jan Jansen"), ACTOR)
    accounts.maak_gebruiker(accounts.NieuweGebruiker("oud@amsterdam.example.nl", "Wachtwoord-123",
                                                     Rol.GEMEENTE, ("0363",), "Oud"), ACTOR).active = False
    db.session.flush()
    return gemeente


def bestand(gemeente: Gemeente, naam: str, sleutel: str | None = None):
    return storage.plaats_bestand(gemeente, storage.NieuwBestand(
        categorie=Categorie.AANLEVERRAPPORTAGE, naam=naam, inhoud=b"PK inhoud", mediatype=storage.XLSX,
        gepubliceerd_op=lokaal(2022, 9, 26, 10, 30), sleutel=sleutel), ACTOR)


def goed_gevormd(tekst: str) -> None:
    """A plain text letter: no template syntax left, no empty lines in a row, no trailing spaces."""
    assert "{" not in tekst and "}" not in tekst and "%" not in tekst
    assert "\n\n\n" not in tekst
    assert all(regel == regel.rstrip() for regel in tekst.splitlines())
    assert not tekst.startswith("\n") and not tekst.endswith("\n")


def aan_gemeente(brief: Mail, aanhef: str = "Fatima de Vries") -> str:
    assert brief.aan == ["bw@amsterdam.example.nl", "medewerker@amsterdam.example.nl"]
    assert brief.tekst.startswith(f"Beste {aanhef},\n\n")
    assert brief.tekst.endswith("\n\n" + GROET)
    goed_gevormd(brief.tekst)
    return brief.tekst


def test_bestandsvergelijking_geplaatst_names_the_file_the_count_and_the_deadline(gemeente):
    b4 = bestand(gemeente, "680363_B4_Bestandsvergelijking_20220926.xlsx", "B4:2022-09-26")
    brief = brieven.bestandsvergelijking_geplaatst(gemeente, b4, 412, lokaal(2022, 9, 29, 17, 0))

    tekst = aan_gemeente(brief)
    assert brief.onderwerp == "Bestandsvergelijking geplaatst voor Amsterdam (0363)"
    assert "staat de bestandsvergelijking 680363_B4_Bestandsvergelijking_20220926.xlsx met 412 cliënten" in tekst
    assert "upload het bestand uiterlijk 29-09-2022 17:00 in het portaal." in tekst
    assert brief.sleutel == "mail:B4:2022-09-26:0363"


def test_terugkoppeling_ontvangen_goes_to_the_uploader_with_the_receipt_and_the_counts(gemeente):
    uploader = accounts.zoek_op_email("medewerker@amsterdam.example.nl")
    ontvangst = storage.bewaar_ontvangst(inhoud=b"PK terugkoppeling", bestandsnaam="B4 ingevuld.xlsx",
                                         soort="terugkoppeling", kanaal="web", actor=Actor(user=uploader),
                                         gemeente=gemeente)
    brief = brieven.terugkoppeling_ontvangen(gemeente, uploader, ontvangst, {"J": 400, "O": 10, "X": 2}, 3,
                                             lokaal(2022, 9, 30, 17, 0))

    assert brief.aan == ["medewerker@amsterdam.example.nl"]
    assert brief.onderwerp == "Terugkoppeling ontvangen voor Amsterdam (0363)"
    assert brief.tekst.startswith("Beste Jan Jansen,\n\n") and brief.tekst.endswith(GROET)
    goed_gevormd(brief.tekst)
    assert "Bestand: B4 ingevuld.xlsx\n" in brief.tekst
    assert "Ontvangen: 19-09-2022 09:00\n" in brief.tekst
    assert f"SHA-256: {ontvangst.sha256}\n" in brief.tekst
    assert f"Grootte: {len(b'PK terugkoppeling')} bytes\n" in brief.tekst
    assert "Aantallen per code:\n  J: 400\n  O: 10\n  X: 2\n  waarvan toegevoegd: 3\n" in brief.tekst
    assert "akkoord om aan te leveren, uiterlijk 30-09-2022 17:00." in brief.tekst


def test_terugkoppeling_te_laat_tells_the_cak_team_who_to_call(gemeente):
    brief = brieven.terugkoppeling_te_laat(gemeente, date(2022, 10, 3), lokaal(2022, 9, 29, 17, 0),
                                           lokaal(2022, 9, 30, 17, 0))

    assert brief.aan == [CAK_TEAM]
    assert brief.onderwerp == "Terugkoppeling te laat: Amsterdam (0363)"
    goed_gevormd(brief.tekst)
    assert brief.tekst.startswith("Amsterdam (0363, timeslot 03-10-2022) heeft op 29-09-2022 17:00 nog geen "
                                  "geldige terugkoppeling")
    assert "Contactpersoon: Fatima de Vries, 020-5551234, bw@amsterdam.example.nl." in brief.tekst
    assert "Het akkoord om aan te leveren is uiterlijk 30-09-2022 17:00." in brief.tekst
    assert "Beste" not in brief.tekst


def test_akkoord_om_aan_te_leveren_gives_the_count_the_start_date_and_the_deadline(gemeente):
    brief = brieven.akkoord_aanleveren(gemeente, 400, lokaal(2022, 10, 4, 15, 0))

    tekst = aan_gemeente(brief)
    assert brief.onderwerp == "Akkoord om aan te leveren voor Amsterdam (0363)"
    assert "voor de 400 cliënten met code J, met BwStartdatum 01-10-2022." in tekst
    assert "Aanleveren uiterlijk 04-10-2022 15:00." in tekst


@pytest.mark.parametrize(("ontvangen", "oordeel", "slot"), [
    ({"999999990"}, "Oordeel: correct. Alle 1 verwachte cliënten zijn ontvangen met de juiste BwStartdatum.",
     "Het CAK geeft nu akkoord op de aanlevering; daarna worden de oude kanalen gesloten."),
    (set(), "Oordeel: niet correct", "Het CAK neemt contact met u op over de verschillen."),
])
def test_aanleverrapportage_geplaatst_gives_the_verdict_and_what_happens_next(gemeente, ontvangen, oordeel, slot):
    aansluiting = bepaal_aansluiting({"999999990": "J"}, {b: [date(2022, 10, 1)] for b in ontvangen}, set(),
                                     date(2022, 10, 1))
    rapport = bestand(gemeente, "680363_AanleverrapportageBW_20221005.xlsx")
    brief = brieven.aanleverrapportage_geplaatst(gemeente, rapport, aansluiting, lokaal(2022, 10, 5, 10, 0))

    tekst = aan_gemeente(brief)
    assert "staat de aanleverrapportage 680363_AanleverrapportageBW_20221005.xlsx" in tekst
    assert f"\n\n{oordeel}" in tekst
    assert tekst.endswith(slot + "\n\n" + GROET)


@pytest.mark.parametrize("reden", [None, "Twee cliënten zijn overleden na de terugkoppeling."])
def test_akkoord_op_de_aanlevering_attaches_the_verslag_and_names_the_peildatum(gemeente, reden):
    verslag = bestand(gemeente, "680363_Verslag_Migratie_20221005.xlsx")
    brief = brieven.akkoord_aanlevering(gemeente, verslag, reden)

    tekst = aan_gemeente(brief)
    assert brief.onderwerp == "Akkoord op de aanlevering van Amsterdam (0363)"
    assert "In de bijlage staat het verslag (680363_Verslag_Migratie_20221005.xlsx)." in tekst
    assert [(b.naam, b.inhoud) for b in brief.bijlagen] == [(verslag.naam, b"PK inhoud")]
    assert ("Geaccepteerde afwijking: " + reden in tekst) if reden else "afwijking" not in tekst
    assert "Mutaties met een datum vóór 01-10-2022 kunnen nog via de oude kanalen." in tekst


def test_wekelijkse_rapportage_names_the_file_and_the_next_one(gemeente):
    rapport = bestand(gemeente, "680363_AanleverrapportageBW_20221011.xlsx")
    brief = brieven.wekelijkse_rapportage(gemeente, rapport, lokaal(2022, 10, 11, 10, 0), lokaal(2022, 10, 18, 10, 0))

    tekst = aan_gemeente(brief)
    assert "staat de wekelijkse aanleverrapportage 680363_AanleverrapportageBW_20221011.xlsx" in tekst
    assert "De volgende wekelijkse rapportage volgt op 18-10-2022 10:00." in tekst


def test_ontbrekende_wmo407_gives_the_gemeente_its_count_and_list_and_the_cak_all_of_them(gemeente):
    lijst = bestand(gemeente, "680363_Ontbrekende407_20221114.xlsx")
    eigen = brieven.ontbrekende_wmo407(gemeente, lijst, 7, lokaal(2022, 11, 14, 10, 30))
    totaal = brieven.ontbrekende_wmo407_cak(mail.Bijlage("CAK_Ontbrekende407_20221114.xlsx", storage.XLSX, b"PK"), 19,
                                            lokaal(2022, 11, 14, 10, 30))

    tekst = aan_gemeente(eigen)
    assert "Voor 7 cliënten Beschermd Wonen die bij het CAK actief zijn" in tekst
    assert "in de map (680363_Ontbrekende407_20221114.xlsx)" in tekst
    assert [b.naam for b in eigen.bijlagen] == ["680363_Ontbrekende407_20221114.xlsx"]
    assert totaal.aan == [CAK_TEAM]
    goed_gevormd(totaal.tekst)
    assert "ontbreekt voor 19 cliënten een geaccepteerd WMO407-bericht" in totaal.tekst
    assert "(CAK_Ontbrekende407_20221114.xlsx)" in totaal.tekst
    assert [b.naam for b in totaal.bijlagen] == ["CAK_Ontbrekende407_20221114.xlsx"]


def test_nieuwe_bestandsvergelijking_names_the_file_and_the_number_of_periods(gemeente):
    vergelijking = bestand(gemeente, "680363_Bestandsvergelijking_BW_20230102.xlsx")
    brief = brieven.nieuwe_bestandsvergelijking(gemeente, vergelijking, 398, lokaal(2023, 1, 2, 10, 30))

    tekst = aan_gemeente(brief)
    assert brief.onderwerp == "Nieuwe bestandsvergelijking voor Amsterdam (0363)"
    assert "de nieuwe bestandsvergelijking 680363_Bestandsvergelijking_BW_20230102.xlsx met de 398 perioden" in tekst


def test_without_a_contact_person_the_letter_greets_collega(gemeente):
    gemeente.contact_naam = None
    brief = brieven.akkoord_aanleveren(gemeente, 1, lokaal(2022, 10, 4, 15, 0))
    assert brief.tekst.startswith("Beste collega,\n\n")


def test_every_mail_template_is_used_by_a_letter():
    from pathlib import Path

    import portal.services as services

    diensten = Path(services.__file__).parent
    sjablonen = {p.stem for p in (diensten.parent / "templates" / "mail").glob("*.txt")}
    gebruikt = {naam for module in diensten.rglob("*.py")
                for naam in re.findall(r'mail\.tekst\("([a-z0-9_]+)"', module.read_text(encoding="utf-8"))}
    assert sjablonen - {"_brief"} == gebruikt
