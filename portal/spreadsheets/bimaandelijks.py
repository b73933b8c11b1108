"""The bimonthly bestandsvergelijking after the migration: what an answer's codes mean there, recognising
which kind of bestandsvergelijking an upload is, and the CAK's export of the differences.

The bimonthly file has the B4 layout (`bestandsvergelijking.LAYOUT`), lists the BW periods registered
through iEb 2.0 (BRON ``IEB``) and is answered with the same codes. In this file code ``J`` reads "klopt,
staat zo geregistreerd". A difference is every row marked other than ``J``, and every row the gemeente
added (a client it knows whom the CAK's iEb registration lacks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from portal.spreadsheets.bestandsvergelijking import LAYOUT as B4_LAYOUT
from portal.spreadsheets.bestandsvergelijking import SHEET
from portal.spreadsheets.layout import Column, ColumnType, SheetLayout, bsn_column, gemeentecode_column
from portal.spreadsheets.reading import (
    DEFAULT_LIMITS,
    OngeldigBestand,
    UploadLimits,
    opened_xlsx_upload,
    read_digits,
    read_text,
)
from portal.spreadsheets.writing import write_tables

BRON_IEB = "IEB"
TOEGEVOEGD = "toegevoegd"

BETEKENIS = {
    "J": "klopt: de cliënt staat zo bij de gemeente geregistreerd (geen verschil)",
    "O": "cliënt is overleden (datum in kolom M): de registratie moet eindigen",
    "U": "zorg beëindigd of cliënt vertrokken (datum in kolom M): de registratie moet eindigen",
    "V": "een andere gemeente is verantwoordelijk voor deze cliënt",
    "N": "cliënt is onbekend bij de gemeente",
    "X": "andere afwijking (toelichting in kolom N)",
    TOEGEVOEGD: "toegevoegd door de gemeente: de gemeente kent deze cliënt, de registratie via iEb 2.0 niet",
}
"""What a code means in an answer on the bimonthly file (the B4's codes, read for a registration)."""

UITLEG_VERSCHIL = (
    "Een verschil is elke rij met een andere code dan J, en elke rij die de gemeente zelf heeft toegevoegd "
    "(een cliënt die de gemeente kent maar die niet via iEb 2.0 bij het CAK is geregistreerd). "
    "Code J betekent in dit bestand: klopt, staat zo geregistreerd."
)


class Soort(StrEnum):
    """Which bestandsvergelijking an upload is, read from its BRON column (I)."""

    MIGRATIE = "migratie"          # the B4 of the migration: BRON H&V, EXCEL or 60-RECORD
    BIMAANDELIJKS = "bimaandelijks"  # the bimonthly file: BRON IEB
    ONBEKEND = "onbekend"          # unreadable, no BRON values, or both kinds mixed


def soort_bestandsvergelijking(content: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> Soort:
    """Which bestandsvergelijking this upload is, by the BRON values of its rows with a BSN. Never raises:
    a file that cannot be read is ONBEKEND (the checking reader then says what is wrong with it)."""
    bsn_index, bron_index = B4_LAYOUT.index("BSN"), B4_LAYOUT.index("BRON")
    bronnen: set[str] = set()
    try:
        with opened_xlsx_upload(content, limits) as workbook:
            if SHEET not in workbook.sheetnames:
                return Soort.ONBEKEND
            for cells in workbook[SHEET].iter_rows(min_row=2, max_col=bron_index + 1, values_only=True):
                values = list(cells) + [None] * (bron_index + 1 - len(cells))
                if read_digits(values[bsn_index], 9) is None:
                    continue
                bron = (read_text(values[bron_index]) or "").upper()
                if bron:
                    bronnen.add(bron)
    except OngeldigBestand:
        return Soort.ONBEKEND
    except Exception:  # a damaged file: the checking reader reports it
        return Soort.ONBEKEND
    if not bronnen:
        return Soort.ONBEKEND
    if bronnen == {BRON_IEB}:
        return Soort.BIMAANDELIJKS
    if BRON_IEB not in bronnen:
        return Soort.MIGRATIE
    return Soort.ONBEKEND


# ---------------------------------------------------------------- the CAK's export of the differences

VERSCHIL_CODES = tuple((code, betekenis) for code, betekenis in BETEKENIS.items() if code != "J")

LAYOUT = SheetLayout(
    title="Verschillen",
    columns=(
        gemeentecode_column(),
        bsn_column(),
        Column("GESLACHTSNAAM", ColumnType.TEXT, False, "Geslachtsnaam van de cliënt.", width=20),
        Column("VOORVOEGSEL", ColumnType.TEXT, False, "Voorvoegsel van de geslachtsnaam; mag leeg zijn.", width=12),
        Column("VOORLETTERS", ColumnType.TEXT, False, "Voorletters van de cliënt.", width=12),
        Column("GEBOORTEDATUM", ColumnType.DATE, False, "Geboortedatum van de cliënt (dd-mm-jjjj).", width=14),
        Column("DATUM_START_BW", ColumnType.DATE, False,
               "Begindatum van de periode beschermd wonen zoals geregistreerd via iEb 2.0; leeg bij een "
               "toegevoegde cliënt.", width=15),
        Column("DATUM_EINDE_BW", ColumnType.DATE, False,
               "Einddatum van de geregistreerde periode; leeg als die doorloopt.", width=15),
        Column("VERSCHIL", ColumnType.CODE, True, "Wat de gemeente over deze cliënt terugkoppelde.",
               width=12, codes=VERSCHIL_CODES),
        Column("EINDDATUM_GEMEENTE", ColumnType.DATE, False,
               "De datum die de gemeente opgaf bij O en U (dd-mm-jjjj).", width=19),
        Column("TOELICHTING", ColumnType.TEXT, False, "De toelichting van de gemeente.", width=30),
        Column("TERUGKOPPELING_ONTVANGEN", ColumnType.DATETIME, True,
               "Wanneer de terugkoppeling met dit verschil is ontvangen.", width=18),
        Column("AFGEHANDELD", ColumnType.CODE, True, "Of het CAK dit verschil heeft afgehandeld.",
               width=12, codes=(("J", "afgehandeld"), ("N", "nog open"))),
        Column("AFGEHANDELD_OP", ColumnType.DATETIME, False, "Wanneer het CAK het verschil afhandelde.", width=18),
        Column("AFGEHANDELD_DOOR", ColumnType.TEXT, False, "Wie het verschil afhandelde.", width=24),
        Column("NOTITIE", ColumnType.TEXT, False, "De notitie van het CAK bij het afhandelen.", width=40),
    ),
    description=("De verschillen uit de terugkoppeling van de gemeente op de tweemaandelijkse "
                 "bestandsvergelijking: open en afgehandeld. " + UITLEG_VERSCHIL),
)


@dataclass(frozen=True)
class VerschilRij:
    gemeentecode: str | None
    bsn: str
    geslachtsnaam: str | None
    voorvoegsel: str | None
    voorletters: str | None
    geboortedatum: date | None
    datum_start_bw: date | None
    datum_einde_bw: date | None
    verschil: str  # the code, or TOEGEVOEGD
    einddatum_gemeente: date | None
    toelichting: str | None
    terugkoppeling_ontvangen: datetime
    afgehandeld: str  # J / N
    afgehandeld_op: datetime | None
    afgehandeld_door: str | None
    notitie: str | None


def write_verschillen(rows: Sequence[VerschilRij], *, created_at: datetime) -> bytes:
    """The differences of one gemeente as .xlsx bytes, with a Toelichting sheet."""
    return write_tables(created_at, [(LAYOUT, rows)])


def bestandsnaam(prefix: str, dag: date) -> str:
    """``<prefix>_Verschillen_BW_<yyyymmdd>.xlsx``: the export of a gemeente's differences on `dag`."""
    return f"{prefix}_Verschillen_BW_{dag:%Y%m%d}.xlsx"
