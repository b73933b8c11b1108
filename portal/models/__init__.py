"""The portal's data model. Importing this package registers every table on the metadata."""
# Modules whose tables are registered here; their classes are imported from the module itself.
from portal.models import (  # noqa: F401
    apitoken,
    demogedrag,
    inlogpoging,
    opvolging,
    oude_kanalen,
    tweede_factor,
    uitnodiging,
    vergelijking,
)
from portal.models.audit import AuditEvent, AuditKetenkop
from portal.models.base import Base, Tekstwaarde, UTCDateTime
from portal.models.bestand import CATEGORIE_TITEL, Bestand, Categorie, Download, Ontvangst, OntvangstStatus
from portal.models.gebruiker import InlogBlokkade, User, gebruiker_gemeente
from portal.models.gemeente import CENTRUMGEMEENTE, REGIOGEMEENTE, BwClient, Gemeente
from portal.models.ieb import BerichtPeriode, BwPeriode, IdentificatieReservering, Wmo407Bericht
from portal.models.migratie import (
                                    ActieStatus,
                                    B4Regel,
                                    Belactie,
                                    Gebeurtenis,
                                    GeplandeActie,
                                    Kanaal,
                                    KlokStand,
                                    Mail,
                                    MailBijlage,
                                    Migratie,
                                    Terugkoppeling,
                                    TerugkoppelingRegel,
)

__all__ = [
                                    "CATEGORIE_TITEL",
                                    "CENTRUMGEMEENTE",
                                    "REGIOGEMEENTE",
                                    "ActieStatus",
                                    "AuditEvent",
                                    "AuditKetenkop",
                                    "B4Regel",
                                    "Base",
                                    "Belactie",
                                    "BerichtPeriode",
                                    "Bestand",
                                    "BwClient",
                                    "BwPeriode",
                                    "Categorie",
                                    "Download",
                                    "Gebeurtenis",
                                    "Gemeente",
                                    "GeplandeActie",
                                    "IdentificatieReservering",
                                    "InlogBlokkade",
                                    "Kanaal",
                                    "KlokStand",
                                    "Mail",
                                    "MailBijlage",
                                    "Migratie",
                                    "Ontvangst",
                                    "OntvangstStatus",
                                    "Tekstwaarde",
                                    "Terugkoppeling",
                                    "TerugkoppelingRegel",
                                    "UTCDateTime",
                                    "User",
                                    "Wmo407Bericht",
                                    "gebruiker_gemeente",
]
