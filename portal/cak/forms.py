"""The forms of the CAK pages. Field names are the Dutch words of the process; every message is Dutch."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

DATUMFORMATEN = ["%Y-%m-%d", "%d-%m-%Y"]  # the browser's date field, or typed as dd-mm-jjjj
ONGELDIGE_DATUM = "Dit is geen geldige datum; schrijf de datum als dd-mm-jjjj, bijvoorbeeld 11-10-2022."


def als_datum(waarde: date | str) -> date:
    """A timeslot as the select sends it (JJJJ-MM-DD) or as the form holds it (a date)."""
    return waarde if isinstance(waarde, date) else date.fromisoformat(waarde)


class PlanForm(FlaskForm):
    timeslot = SelectField(
        "Timeslot", coerce=als_datum, validators=[InputRequired("Kies een timeslot.")],
        invalid_value_message="Kies een timeslot uit de lijst.",
        invalid_choice_message="Deze week is geen timeslot van de migratie; kies een week uit de lijst.")


class AkkoordAanleverenForm(FlaskForm):
    nieuwe_aanleverdatum = DateField(
        "Nieuwe aanleverdatum (alleen als dinsdag 15:00 van de timeslot al voorbij is)",
        format=DATUMFORMATEN, validators=[Optional()], invalid_value_message=ONGELDIGE_DATUM)


class GoedkeurenForm(FlaskForm):
    reden = TextAreaField(
        "Reden waarom het CAK de afwijking accepteert (verplicht als de aanlevering afwijkt)",
        validators=[Optional(), Length(max=2000, message="Houd de reden korter dan 2000 tekens.")])


class BelresultaatForm(FlaskForm):
    uitkomst = TextAreaField(
        "Wat is er met de gemeente afgesproken?",
        validators=[DataRequired("Vul in wat er met de gemeente is afgesproken."),
                    Length(max=2000, message="Houd de uitkomst korter dan 2000 tekens.")])
    nieuwe_leverdatum = DateField(
        "Nieuwe aanleverdatum (de gemeente levert opnieuw aan tot 15:00 die dag)",
        format=DATUMFORMATEN, invalid_value_message=ONGELDIGE_DATUM,
        validators=[InputRequired("Vul de nieuwe aanleverdatum in.")])


class OpvolgingUitkomstForm(FlaskForm):
    uitkomst = TextAreaField(
        "Uitkomst van het contact met de gemeente",
        validators=[DataRequired("Vul de uitkomst in: wat is er met de gemeente afgesproken over de ontbrekende "
                                 "WMO407-berichten?"),
                    Length(max=2000, message="Houd de uitkomst korter dan 2000 tekens.")])


class InstellingenForm(FlaskForm):
    """A gemeente's settings; the rules are the service's (`services.gemeenten`), which answers per field."""

    startnummer = StringField("Eerste BwStartNummer")
    prefix = StringField("Bestandsprefix")
    regio = SelectField("Centrumgemeente van de regio", choices=[], validate_choice=False)
    levert_zelf_aan = SelectField("Levert zelf aan", choices=[("nee", "nee"), ("ja", "ja")], validate_choice=False)
    contact_naam = StringField("Contactpersoon")
    contact_email = StringField("E-mailadres contactpersoon")
    contact_telefoon = StringField("Telefoonnummer contactpersoon")


class VerschilAfhandelenForm(FlaskForm):
    notitie = TextAreaField(
        "Notitie: wat heeft het CAK met dit verschil gedaan?",
        validators=[DataRequired("Vul een notitie in: wat heeft het CAK met dit verschil gedaan?"),
                    Length(max=2000, message="Houd de notitie korter dan 2000 tekens.")])
