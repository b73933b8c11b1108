from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField  # type: ignore[import-untyped]  # WTForms has no types
from wtforms.validators import DataRequired, Length  # type: ignore[import-untyped]  # WTForms has no types


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[
        DataRequired("Vul uw e-mailadres in."), Length(max=254)])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])
    submit = SubmitField("Inloggen")
