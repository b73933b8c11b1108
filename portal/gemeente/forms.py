from collections.abc import Iterable
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

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
