"""The forms of the ketentest clock page; every message is Dutch."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import AnyOf, DataRequired, ValidationError

from portal.services import ketentestklok

# The buttons that advance the clock: the value each sends, and its Dutch text.
STAPPEN = {"1h": "1 uur", "1d": "1 dag", "1w": "1 week"}


class KlokZetForm(FlaskForm):
    moment = StringField("Nieuw tijdstip (Nederlandse tijd, JJJJ-MM-DD UU:MM)",
                         validators=[DataRequired("Vul het tijdstip in waarop de klok moet komen te staan.")])

    def validate_moment(self, field: StringField) -> None:
        try:
            self.tijdstip = ketentestklok.lees_moment(field.data)
        except ketentestklok.KlokFout as fout:
            raise ValidationError(fout.melding) from None


class KlokVerzetForm(FlaskForm):
    duur = StringField("Verzet de klok met", validators=[
        DataRequired("Kies met hoeveel tijd de klok vooruit moet."),
        AnyOf(list(STAPPEN), message="Kies 1 uur, 1 dag of 1 week.")])


class KlokVolgendeForm(FlaskForm):
    """Only the CSRF field: the clock goes to the first scheduled step."""


class KitResetForm(FlaskForm):
    """Only the CSRF field: the gemeente is in the address."""


class KitGedragForm(FlaskForm):
    aan = StringField("Zelf handelen", validators=[AnyOf(["1", "0"], message="Kies aan of uit.")])
