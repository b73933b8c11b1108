"""The aanleverrapportage (timeslot Wednesday) and the weekly report: sheets ``Berichten``,
``Productafname``, optionally ``Aansluiting`` (Wednesday) or ``Uitval`` (weekly), and ``Toelichting``.

The ``Aansluiting`` sheet has the verdict on its first line; its header is row 2 (frozen below it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from portal.aansluiting import UITKOMST_OMSCHRIJVING, Aansluiting, Uitkomst, oordeel_tekst
from portal.productafname import REDEN_MINDERJARIG, REDEN_PERIODE_TE_KORT, Productafname
from portal.spreadsheets.bestandsvergelijking import TERUGKOPPELING_CODES
from portal.spreadsheets.layout import (
    JA_NEE_CODES,
    SOORT_BIJDRAGE_CODES,
    Column,
    ColumnType,
    SheetLayout,
    bsn_column,
)
from portal.spreadsheets.uitval import LAYOUT as UITVAL
from portal.spreadsheets.uitval import UitvalRij, add_uitval_sheet
from portal.spreadsheets.writing import StreamingWorkbook, TableSheet

STATUS_AANLEVERING_CODES = (
    ("1", "eerste aanlevering"),
    ("2", "gewijzigde aanlevering"),
    ("3", "verwijderen aanlevering"),
)
RESULTAAT_CODES = (
    ("goedgekeurd", "het bericht is verwerkt"),
    ("afgekeurd", "het bericht is niet verwerkt; zie de retourcodes en de omschrijving"),
)

_STARTNUMMER = Column("BW_STARTNUMMER", ColumnType.NUMBER, True,
                      "Het BwStartNummer van de periode beschermd wonen.", width=15)
_STARTDATUM = Column("BW_STARTDATUM", ColumnType.DATE, True, "BwStartdatum van de periode (dd-mm-jjjj).", width=14)
_EINDDATUM = Column("BW_EINDDATUM", ColumnType.DATE, False,
                    "BwEinddatum van de periode; leeg als de periode doorloopt.", width=14)

BERICHTEN = SheetLayout(
    title="Berichten",
    columns=(
        Column("BERICHT_IDENTIFICATIE", ColumnType.CODE, True, "Identificatie van het WMO407-bericht.", width=22),
        Column("DAGTEKENING", ColumnType.DATE, False, "Dagtekening van het bericht (dd-mm-jjjj).", width=12),
        Column("ONTVANGEN_OP", ColumnType.DATETIME, True,
               "Moment waarop het portaal het bericht ontving (Nederlandse tijd).", width=17),
        bsn_column(required=False,
                   help="BSN van de cliënt; leeg als het bericht in zijn geheel is afgekeurd."),
        replace(_STARTNUMMER, required=False),
        replace(_STARTDATUM, required=False),
        _EINDDATUM,
        Column("STATUS_AANLEVERING", ColumnType.CODE, False, "StatusAanlevering van de periode.",
               width=19, codes=STATUS_AANLEVERING_CODES),
        Column("RETOURCODES", ColumnType.CODE, True,
               "De retourcodes van de periode, de cliënt en de header, gescheiden door komma's; "
               "0200 betekent: geen opmerking.", width=14),
        Column("OMSCHRIJVING", ColumnType.TEXT, True, "De betekenis van de retourcodes.", width=30),
        Column("RESULTAAT", ColumnType.CODE, True, "Of het bericht is verwerkt.", width=12, codes=RESULTAAT_CODES),
    ),
    description=(
        "Eén rij per periode beschermd wonen in elk ontvangen WMO407-bericht, ook de afgekeurde. "
        "Een bericht dat in zijn geheel is afgekeurd staat er met één rij in, met de reden."
    ),
)

PRODUCTAFNAME = SheetLayout(
    title="Productafname",
    columns=(
        bsn_column(),
        _STARTNUMMER,
        _STARTDATUM,
        _EINDDATUM,
        Column("EIGEN_BIJDRAGE_OPGELEGD", ColumnType.CODE, True, "Of het CAK een eigen bijdrage oplegt.",
               width=24, codes=JA_NEE_CODES),
        Column("SOORT_BIJDRAGE", ColumnType.CODE, False, "Soort eigen bijdrage; leeg als er geen wordt opgelegd.",
               width=15, codes=SOORT_BIJDRAGE_CODES),
        Column("REDEN_GEEN_EIGEN_BIJDRAGE", ColumnType.TEXT, False, "Waarom er geen eigen bijdrage wordt opgelegd.",
               width=26, codes=((REDEN_MINDERJARIG, "de cliënt is jonger dan 18 jaar op de BwStartdatum"),
                                (REDEN_PERIODE_TE_KORT, "de periode eindigt op de dag waarop ze begint"))),
        Column("INGANGSDATUM_EIGEN_BIJDRAGE", ColumnType.DATE, False,
               "Vanaf wanneer de eigen bijdrage geldt (dd-mm-jjjj).", width=28),
    ),
    description=(
        "Eén rij per goedgekeurde, actuele periode beschermd wonen: of er een eigen bijdrage wordt "
        "opgelegd. Het portaal beslist volgens vaste regels: jonger dan 18 op de BwStartdatum: nee; "
        "einddatum gelijk aan startdatum: nee; anders ja, met de soort bijdrage uit de registratie van "
        "het CAK (HEB als die onbekend is), vanaf de BwStartdatum."
    ),
)

AANSLUITING = SheetLayout(
    title="Aansluiting",
    columns=(
        bsn_column(),
        Column("TERUGKOPPELING", ColumnType.CODE, False,
               "De code in de goedgekeurde terugkoppeling; leeg als de cliënt er niet in stond.",
               width=16, codes=TERUGKOPPELING_CODES),
        Column("ONTVANGEN", ColumnType.CODE, True, "Of er een goedgekeurde WMO407-periode is ontvangen.",
               width=11, codes=JA_NEE_CODES),
        Column("BW_STARTDATUM", ColumnType.DATE, False,
               "De ontvangen BwStartdatum (de migratiedatum als die erbij is).", width=14),
        Column("UITKOMST", ColumnType.CODE, True, "De uitkomst van de aansluiting voor deze cliënt.", width=22,
               codes=tuple((uitkomst.value, UITKOMST_OMSCHRIJVING[uitkomst]) for uitkomst in Uitkomst)),
    ),
    description=(
        "Vergelijking van de terugkoppeling (verwacht: code J) met de ontvangen WMO407-berichten. "
        "De eerste regel geeft het oordeel; de aanlevering is correct als elke cliënt 'ok' is."
    ),
)


@dataclass(frozen=True)
class BerichtRij:
    bericht_identificatie: str
    dagtekening: date | None
    ontvangen_op: datetime  # aware
    bsn: str | None
    bw_startnummer: int | None
    bw_startdatum: date | None
    bw_einddatum: date | None
    status_aanlevering: str | None
    retourcodes: tuple[str, ...]
    omschrijving: str
    resultaat: str  # "goedgekeurd" or "afgekeurd"


@dataclass(frozen=True)
class ProductafnameRij:
    bsn: str
    bw_startnummer: int
    bw_startdatum: date
    bw_einddatum: date | None
    eigen_bijdrage_opgelegd: str
    soort_bijdrage: str | None
    reden_geen_eigen_bijdrage: str | None
    ingangsdatum_eigen_bijdrage: date | None

    @classmethod
    def van(cls, bsn: str, bw_startnummer: int, bw_startdatum: date, bw_einddatum: date | None,
            afname: Productafname) -> ProductafnameRij:
        return cls(bsn, bw_startnummer, bw_startdatum, bw_einddatum, afname.eigen_bijdrage_opgelegd,
                   afname.soort_bijdrage, afname.reden_geen_eigen_bijdrage, afname.ingangsdatum_eigen_bijdrage)


def aansluiting_rows(aansluiting: Aansluiting) -> list[tuple]:
    return [
        (regel.bsn, regel.terugkoppeling, "J" if regel.ontvangen else "N", regel.bw_startdatum, regel.uitkomst.value)
        for regel in aansluiting.regels
    ]


def add_aansluiting_sheet(book: StreamingWorkbook, aansluiting: Aansluiting) -> TableSheet:
    """The ``Aansluiting`` sheet: the verdict on row 1, the header on row 2, one row per BSN."""
    sheet = book.table(AANSLUITING, verdict=oordeel_tekst(aansluiting))
    sheet.add_rows(aansluiting_rows(aansluiting))
    sheet.finish()
    return sheet


def write_aanleverrapportage(
    berichten: Iterable[BerichtRij | tuple],
    productafname: Iterable[ProductafnameRij | tuple],
    *,
    created_at: datetime,
    aansluiting: Aansluiting | None = None,
    uitval: Iterable[UitvalRij] | None = None,
) -> bytes:
    """The aanleverrapportage as .xlsx bytes; without ``aansluiting`` it is the weekly report, which has the
    ``uitval`` as it stood at its moment. The rows may be iterators (streamed from the database), as row
    objects or as tuples in column order; each sheet is written as its rows come."""
    book = StreamingWorkbook(created_at)
    book.add_table(BERICHTEN, berichten)
    book.add_table(PRODUCTAFNAME, productafname)
    layouts = [BERICHTEN, PRODUCTAFNAME]
    if aansluiting is not None:
        add_aansluiting_sheet(book, aansluiting)
        layouts.append(AANSLUITING)
    if uitval is not None:
        add_uitval_sheet(book, uitval)
        layouts.append(UITVAL)
    book.add_toelichting(layouts)
    return book.bytes()
