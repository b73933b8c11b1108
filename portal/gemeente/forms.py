from collections.abc import Iterable
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.spreadsheets.layout import SOORT_BIJDRAGE_CODES
from portal.spreadsheets.mutaties import LEVERINGSVORM_CODES, SOORT_MUTATIE_CODES, WOONSITUATIE_CODES
from portal.web import timeslot_keuzes


class UploadForm(FlaskForm):
    bestand = FileField("Bestand", validators=[FileRequired("Kies een bestand om te uploaden.")])
    submit = SubmitField("Versturen")


class AanmeldingForm(FlaskForm):
    voorkeur = SelectField("Voorkeursweek (timeslot)", validators=[DataRequired("Kies een week.")])
    tweede_keus = SelectField("Tweede keus", validators=[Optional()])
    toelichting = TextAreaField("Toelichting (optioneel)", validators=[Optional(), Length(max=1000)])
    submit = SubmitField("Aanmelden")

    def vul_weken(self, timeslots: Iterable[date]) -> None:
        keuzes = timeslot_keuzes(timeslots)
        self.voorkeur.choices = keuzes
        self.tweede_keus.choices = [("", "geen tweede keus"), *keuzes]


def _keuzes(codes: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "kies…"), *((code, f"{code}: {betekenis}") for code, betekenis in codes)]


class HvMutatieForm(FlaskForm):
    """The H&V-app form: the fields of the old start/stop sheet. The service checks every field (the same
    checks as the sheet); this form only carries them, with the CSRF token."""

    gemeentecode = SelectField("Gemeente (GEMEENTECODE)", validate_choice=False)
    bsn = StringField("BSN", validators=[Optional()])
    geslachtsnaam = StringField("Geslachtsnaam", validators=[Optional()])
    voorvoegsel = StringField("Voorvoegsel (optioneel)", validators=[Optional()])
    voorletters = StringField("Voorletters", validators=[Optional()])
    geboortedatum = StringField("Geboortedatum (dd-mm-jjjj)", validators=[Optional()])
    soort_mutatie = SelectField("Soort mutatie", choices=_keuzes(SOORT_MUTATIE_CODES), validate_choice=False)
    datum_start_bw = StringField("Begindatum beschermd wonen (dd-mm-jjjj)", validators=[Optional()])
    datum_einde_bw = StringField("Einddatum beschermd wonen (dd-mm-jjjj, verplicht bij STOP)",
                                 validators=[Optional()])
    aanbieder_agb = StringField("AGB-code zorgaanbieder (8 cijfers)", validators=[Optional()])
    aanbieder_naam = StringField("Naam zorgaanbieder", validators=[Optional()])
    leveringsvorm = SelectField("Leveringsvorm", choices=_keuzes(LEVERINGSVORM_CODES), validate_choice=False)
    soort_bijdrage = SelectField("Soort eigen bijdrage", choices=_keuzes(SOORT_BIJDRAGE_CODES),
                                 validate_choice=False)
    woonsituatie = SelectField("Woonsituatie", choices=_keuzes(WOONSITUATIE_CODES), validate_choice=False)
    toelichting = TextAreaField("Toelichting voor het CAK (optioneel)", validators=[Optional()])
    submit = SubmitField("Mutatie versturen")

    def vul_gemeenten(self, codes: Iterable[tuple[str, str]]) -> None:
        self.gemeentecode.choices = [(code, f"{code} {naam}") for code, naam in codes]

    def velden(self) -> dict[str, str]:
        """The posted fields by their name in the sheet (lower case), for the service."""
        return {naam: str(veld.data or "") for naam, veld in self._fields.items()
                if naam not in ("csrf_token", "submit")}
