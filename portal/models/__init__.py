"""The portal's data model. Importing this package registers every table on the metadata."""
from portal.models.audit import AuditEvent
from portal.models.base import Base, Tekstwaarde, UTCDateTime
from portal.models.bestand import CATEGORIE_TITEL, Bestand, Categorie, Download, Ontvangst, OntvangstStatus
from portal.models.gebruiker import InlogBlokkade, User, gebruiker_gemeente
from portal.models.gemeente import CENTRUMGEMEENTE, REGIOGEMEENTE, BwClient, Gemeente
from portal.models.ieb import BerichtPeriode, BwPeriode, IdentificatieReservering, Wmo407Bericht
from portal.models.migratie import (ActieStatus, B4Regel, Belactie, Gebeurtenis, GeplandeActie, Kanaal,
                                    KlokStand, Mail, MailBijlage, Migratie, Terugkoppeling,
                                    TerugkoppelingRegel)

__all__ = [
    "ActieStatus", "B4Regel", "Belactie", "BerichtPeriode", "BwPeriode", "Gebeurtenis", "GeplandeActie",
    "IdentificatieReservering", "Kanaal", "KlokStand", "Mail", "MailBijlage", "Migratie", "Terugkoppeling",
    "TerugkoppelingRegel", "Wmo407Bericht",
    "AuditEvent", "Base", "Bestand", "BwClient", "CATEGORIE_TITEL", "CENTRUMGEMEENTE", "Categorie",
    "Download", "Gemeente", "InlogBlokkade", "Ontvangst", "OntvangstStatus", "REGIOGEMEENTE",
    "Tekstwaarde", "UTCDateTime", "User", "gebruiker_gemeente",
]
