"""Creating test data through the services, as the portal itself would."""
from __future__ import annotations

from portal.extensions import db
from portal.models import Categorie, Gemeente, User
from portal.services import accounts, storage
from portal.services.audit import Actor

WACHTWOORD = "Wachtwoord-123"


class Factory:
    def gemeente(self, code: str, naam: str, **velden) -> Gemeente:
        gemeente = Gemeente(code=code, naam=naam, bestandsprefix=Gemeente.standaard_prefix(code),
                            soort=velden.pop("soort", "centrumgemeente"),
                            levert_zelf_aan=velden.pop("levert_zelf_aan", False), **velden)
        db.session.add(gemeente)
        db.session.commit()
        return gemeente

    def user(self, email: str, role: str = "gemeente", gemeenten: tuple[str, ...] = (),
             password: str = WACHTWOORD) -> User:
        user = accounts.maak_gebruiker(
            accounts.NieuweGebruiker(email=email, password=password, role=role,
                                     gemeente_codes=gemeenten, naam=email.split("@")[0]),
            Actor.job_named("test"))
        db.session.commit()
        return user

    def bestand(self, gemeente: Gemeente, naam: str = "680363_B4_Bestandsvergelijking_20220926.xlsx",
                inhoud: bytes = b"PK\x03\x04 voorbeeld", categorie: str = Categorie.BESTANDSVERGELIJKING):
        bestand = storage.plaats_bestand(
            gemeente, storage.NieuwBestand(categorie=categorie, naam=naam, inhoud=inhoud,
                                           mediatype=storage.XLSX),
            Actor.job_named("test"))
        db.session.commit()
        return bestand
