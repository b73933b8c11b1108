from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[
        DataRequired("Vul uw e-mailadres in."), Length(max=254)])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])
    submit = SubmitField("Inloggen")


class WachtwoordVergetenForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[
        DataRequired("Vul het e-mailadres van uw account in."),
        Length(max=254, message="Een e-mailadres is hoogstens 254 tekens lang."),
        Regexp(r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$",
               message="Vul een volledig e-mailadres in, zoals naam@gemeente.nl.")])
    submit = SubmitField("Stuur mij een link")


class NieuwWachtwoordForm(FlaskForm):
    password = PasswordField("Nieuw wachtwoord", validators=[
        DataRequired("Vul een nieuw wachtwoord in."),
        # The password policy (length, common passwords, the e-mail) is the service's, checked when it is set.
        Length(max=200, message="Het wachtwoord mag hoogstens 200 tekens lang zijn; kies een korter wachtwoord.")])
    herhaling = PasswordField("Herhaal het nieuwe wachtwoord", validators=[
        DataRequired("Vul het nieuwe wachtwoord nog een keer in."),
        EqualTo("password", message="De twee wachtwoorden zijn niet gelijk. Typ het nieuwe wachtwoord twee keer "
                                    "precies hetzelfde.")])
    submit = SubmitField("Wachtwoord opslaan")


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[
        DataRequired("Vul de zes cijfers uit uw authenticator-app in, of een herstelcode."),
        Length(max=40, message="Een code is zes cijfers, een herstelcode elf tekens. Typ de code opnieuw.")])
    submit = SubmitField("Controleren")
