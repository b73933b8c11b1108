from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Regexp

_EMAIL = Regexp(r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$", message="Vul een volledig e-mailadres in, zoals naam@gemeente.nl.")


class UitnodigingForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[
        DataRequired("Vul het e-mailadres in van wie u uitnodigt."),
        Length(max=254, message="Een e-mailadres is hoogstens 254 tekens lang."), _EMAIL])
    naam = StringField("Naam", validators=[
        DataRequired("Vul de naam in van wie u uitnodigt."),
        Length(max=100, message="Een naam is hoogstens 100 tekens lang; kort hem in.")])
    rol = SelectField("Rol", validators=[DataRequired("Kies een rol.")], validate_choice=False)
    submit = SubmitField("Uitnodiging versturen")


class LeverancierForm(FlaskForm):
    email = EmailField("E-mailadres van de softwareleverancier", validators=[
        DataRequired("Vul het e-mailadres in van het account van de leverancier."),
        Length(max=254, message="Een e-mailadres is hoogstens 254 tekens lang."), _EMAIL])
    submit = SubmitField("Leverancier koppelen")


TERUG = ("gemeente", "cak")


class VerlenenForm(FlaskForm):
    terug = HiddenField(validators=[AnyOf(TERUG)], default="gemeente")
    submit = SubmitField("Toegang verlenen")


class WeigerenForm(FlaskForm):
    terug = HiddenField(validators=[AnyOf(TERUG)], default="gemeente")
    reden = TextAreaField("Reden van weigeren", validators=[
        DataRequired("Schrijf waarom u het verzoek weigert; de aanvrager leest dit in de e-mail."),
        Length(max=2000, message="De reden is hoogstens 2000 tekens lang; kort hem in.")])
    submit = SubmitField("Weigeren")


class ToegangAanvragenForm(FlaskForm):
    naam = StringField("Uw naam", validators=[
        DataRequired("Vul uw naam in."),
        Length(max=100, message="Een naam is hoogstens 100 tekens lang; kort hem in.")])
    email = EmailField("Uw e-mailadres op het werk", validators=[
        DataRequired("Vul uw e-mailadres in; daar krijgt u het antwoord."),
        Length(max=254, message="Een e-mailadres is hoogstens 254 tekens lang."), _EMAIL])
    gemeente = SelectField("Gemeente", validators=[DataRequired("Kies de gemeente waarvoor u toegang vraagt.")],
                           validate_choice=False)
    rol = SelectField("U bent", validators=[DataRequired("Kies of u medewerker van de gemeente bent of "
                                                        "softwareleverancier.")], validate_choice=False)
    reden = TextAreaField("Waarom heeft u toegang nodig?", validators=[
        DataRequired("Schrijf kort waarom u toegang nodig heeft, zodat de beheerder het kan beoordelen."),
        Length(max=2000, message="Schrijf hoogstens 2000 tekens; kort uw toelichting in.")])
    submit = SubmitField("Toegang aanvragen")
