"""The users' pages. A route parses its input, calls one function of `portal.services.gebruikersbeheer` (which
decides who may do what) and renders the answer: post/redirect/get for a plain form, the page's panel in place
for htmx, and the page again with the errors at the field (422) when a plain form was not filled in right."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm

from portal.auth.forms import NieuwWachtwoordForm
from portal.extensions import db
from portal.gebruikers.forms import (
    LeverancierForm,
    ToegangAanvragenForm,
    UitnodigingForm,
    VerlenenForm,
    WeigerenForm,
)
from portal.models.uitnodiging import Toegangsverzoek
from portal.rollen import ROL_TEKST, Rol
from portal.services import accounts, gebruikersbeheer
from portal.services.gebruikersbeheer import BeheerFout
from portal.web import actor, client_ip, is_htmx, render_page_or_fragment

bp = Blueprint("gebruikers", __name__)


@bp.app_context_processor
def beheerlinks() -> dict[str, object]:
    """Whether the menu and the folder show the way to the users pages: the service decides."""
    return {"mag_gebruikers_beheren": gebruikersbeheer.mag_beheren,
            "beheert_gebruikers": gebruikersbeheer.beheert_iets,
            "rol_tekst": lambda rol: ROL_TEKST[Rol(rol)]}


def _adressen() -> gebruikersbeheer.Adressen:
    return gebruikersbeheer.Adressen(
        uitnodiging=lambda token: url_for("gebruikers.uitnodiging", token=token, _external=True),
        gebruikers=lambda code: url_for("gebruikers.gebruikers", code=code, _external=True),
        inloggen=url_for("auth.login", _external=True))


def _foutmelding_bij(form: FlaskForm, fout: BeheerFout) -> None:
    """The service's refusal at the field it names (or at the form's first field)."""
    naam = fout.veld if fout.veld in form else next(iter(n for n in form._fields if n != "csrf_token"))
    form[naam].errors = [*form[naam].errors, fout.melding]


def _weigerform(verzoek: Toegangsverzoek, terug: str) -> WeigerenForm:
    return WeigerenForm(prefix=f"weigeren{verzoek.id}", formdata=None, terug=terug)


# ---------------------------------------------------------------- a gemeente's users

def _beheerpagina(code: str, *, status: int = 200, melding: str | None = None, fout: str | None = None,
                  uitnodiging: UitnodigingForm | None = None, leverancier: LeverancierForm | None = None,
                  weigeren: WeigerenForm | None = None, weigeren_id: int | None = None) -> ResponseReturnValue:
    beheer = gebruikersbeheer.overzicht(current_user, code)
    uitnodiging = uitnodiging or UitnodigingForm(prefix="uitnodiging", formdata=None)
    uitnodiging.rol.choices = beheer.rollen
    weigerforms = {v.id: _weigerform(v, "gemeente") for v in beheer.verzoeken}
    if weigeren is not None and weigeren_id in weigerforms:
        weigerforms[weigeren_id] = weigeren
    forms = [uitnodiging, leverancier, *([weigeren] if weigeren is not None else [])]
    antwoord = render_page_or_fragment(
        "gebruikers/gebruikers.html", "gebruikers/_beheer.html", beheer=beheer, gemeente=beheer.gemeente,
        uitnodiging_form=uitnodiging, leverancier_form=leverancier or LeverancierForm(prefix="leverancier",
                                                                                        formdata=None),
        weigerforms=weigerforms, verlenen_form=VerlenenForm(formdata=None, terug="gemeente"),
        forms=forms, melding=melding, fout=fout)
    # htmx swaps only a 2xx answer: the errors then come in the panel with 200.
    return antwoord, (200 if is_htmx() else status)


def _klaar(code: str, melding: str) -> ResponseReturnValue:
    if is_htmx():
        return _beheerpagina(code, melding=melding)
    flash(melding, "succes")
    return redirect(url_for("gebruikers.gebruikers", code=code))


def _geweigerd(code: str, fout: BeheerFout) -> ResponseReturnValue:
    db.session.rollback()
    if is_htmx():
        return _beheerpagina(code, fout=fout.melding)
    flash(fout.melding, "fout")
    return redirect(url_for("gebruikers.gebruikers", code=code))


@bp.route("/gemeenten/<code>/gebruikers")
@login_required
def gebruikers(code: str) -> ResponseReturnValue:
    return _beheerpagina(code)


@bp.route("/gemeenten/<code>/gebruikers/uitnodigen", methods=["POST"])
@login_required
def uitnodigen(code: str) -> ResponseReturnValue:
    gebruikersbeheer.beheerde_gemeente(current_user, code)
    form = UitnodigingForm(prefix="uitnodiging")
    if form.validate_on_submit():
        try:
            melding = gebruikersbeheer.nodig_uit(actor(), code, gebruikersbeheer.NieuweUitnodiging(
                email=form.email.data, naam=form.naam.data, rol=form.rol.data), _adressen())
        except BeheerFout as fout:
            db.session.rollback()
            _foutmelding_bij(form, fout)
        else:
            return _klaar(code, melding)
    return _beheerpagina(code, status=422, uitnodiging=form)


def _actie(code: str, uitvoeren: Callable[[], str]) -> ResponseReturnValue:
    try:
        melding = uitvoeren()
    except BeheerFout as fout:
        return _geweigerd(code, fout)
    return _klaar(code, melding)


@bp.route("/gemeenten/<code>/gebruikers/<int:gebruiker_id>/uitschakelen", methods=["POST"])
@login_required
def uitschakelen(code: str, gebruiker_id: int) -> ResponseReturnValue:
    return _actie(code, lambda: gebruikersbeheer.schakel_uit(actor(), code, gebruiker_id))


@bp.route("/gemeenten/<code>/gebruikers/<int:gebruiker_id>/inschakelen", methods=["POST"])
@login_required
def inschakelen(code: str, gebruiker_id: int) -> ResponseReturnValue:
    return _actie(code, lambda: gebruikersbeheer.schakel_in(actor(), code, gebruiker_id, _adressen()))


@bp.route("/gemeenten/<code>/leveranciers", methods=["POST"])
@login_required
def leverancier_koppelen(code: str) -> ResponseReturnValue:
    gebruikersbeheer.beheerde_gemeente(current_user, code)
    form = LeverancierForm(prefix="leverancier")
    if form.validate_on_submit():
        try:
            melding = gebruikersbeheer.koppel_leverancier(actor(), code, form.email.data)
        except BeheerFout as fout:
            db.session.rollback()
            _foutmelding_bij(form, fout)
        else:
            return _klaar(code, melding)
    return _beheerpagina(code, status=422, leverancier=form)


@bp.route("/gemeenten/<code>/leveranciers/<int:gebruiker_id>/ontkoppelen", methods=["POST"])
@login_required
def leverancier_ontkoppelen(code: str, gebruiker_id: int) -> ResponseReturnValue:
    return _actie(code, lambda: gebruikersbeheer.ontkoppel_leverancier(actor(), code, gebruiker_id))


# ---------------------------------------------------------------- access requests, judged

def _cakpagina(*, status: int = 200, melding: str | None = None, fout: str | None = None,
               weigeren: WeigerenForm | None = None, weigeren_id: int | None = None) -> ResponseReturnValue:
    verzoeken = gebruikersbeheer.cak_overzicht(current_user)
    weigerforms = {v.id: _weigerform(v, "cak") for v in verzoeken}
    if weigeren is not None and weigeren_id in weigerforms:
        weigerforms[weigeren_id] = weigeren
    antwoord = render_page_or_fragment(
        "gebruikers/cak_toegangsverzoeken.html", "gebruikers/_cak_verzoeken.html", verzoeken=verzoeken,
        weigerforms=weigerforms, verlenen_form=VerlenenForm(formdata=None, terug="cak"),
        forms=[weigeren] if weigeren is not None else [], melding=melding, fout=fout)
    return antwoord, (200 if is_htmx() else status)


@bp.route("/cak/toegangsverzoeken")
@login_required
def cak_toegangsverzoeken() -> ResponseReturnValue:
    return _cakpagina()


def _na_oordeel(verzoek: Toegangsverzoek, terug: str, melding: str | None = None,
                fout: BeheerFout | None = None) -> ResponseReturnValue:
    if fout is not None:
        db.session.rollback()
    if is_htmx():
        tekst = fout.melding if fout is not None else None
        if terug == "cak":
            return _cakpagina(melding=melding, fout=tekst)
        return _beheerpagina(verzoek.gemeente.code, melding=melding, fout=tekst)
    flash(fout.melding if fout is not None else melding or "", "fout" if fout is not None else "succes")
    if terug == "cak":
        return redirect(url_for("gebruikers.cak_toegangsverzoeken"))
    return redirect(url_for("gebruikers.gebruikers", code=verzoek.gemeente.code))


@bp.route("/toegangsverzoeken/<int:verzoek_id>/verlenen", methods=["POST"])
@login_required
def verlenen(verzoek_id: int) -> ResponseReturnValue:
    verzoek = gebruikersbeheer.verzoek_voor(current_user, verzoek_id)
    form = VerlenenForm()
    terug = "cak" if form.terug.data == "cak" else "gemeente"
    try:
        melding = gebruikersbeheer.verleen(actor(), verzoek_id, _adressen())
    except BeheerFout as fout:
        return _na_oordeel(verzoek, terug, fout=fout)
    return _na_oordeel(verzoek, terug, melding)


@bp.route("/toegangsverzoeken/<int:verzoek_id>/weigeren", methods=["POST"])
@login_required
def weigeren(verzoek_id: int) -> ResponseReturnValue:
    verzoek = gebruikersbeheer.verzoek_voor(current_user, verzoek_id)
    form = WeigerenForm(prefix=f"weigeren{verzoek_id}")
    terug = "cak" if form.terug.data == "cak" else "gemeente"
    if form.validate_on_submit():
        try:
            melding = gebruikersbeheer.weiger(actor(), verzoek_id, form.reden.data)
        except BeheerFout as fout:
            if fout.veld is None:
                return _na_oordeel(verzoek, terug, fout=fout)
            db.session.rollback()
            _foutmelding_bij(form, fout)
        else:
            return _na_oordeel(verzoek, terug, melding)
    if terug == "cak":
        return _cakpagina(status=422, weigeren=form, weigeren_id=verzoek_id)
    return _beheerpagina(verzoek.gemeente.code, status=422, weigeren=form, weigeren_id=verzoek_id)


# ---------------------------------------------------------------- without an account

@bp.route("/toegang-aanvragen", methods=["GET", "POST"])
def toegang_aanvragen() -> ResponseReturnValue:
    form = ToegangAanvragenForm()
    form.gemeente.choices = [("", "Kies een gemeente"), *gebruikersbeheer.gemeente_keuzes()]
    form.rol.choices = gebruikersbeheer.rol_keuzes(gebruikersbeheer.AANVRAAGBARE_ROLLEN)
    if form.validate_on_submit():
        try:
            gebruikersbeheer.dien_in(gebruikersbeheer.Verzoekgegevens(
                naam=form.naam.data, email=form.email.data, gemeente_code=form.gemeente.data,
                rol=form.rol.data, reden=form.reden.data), client_ip(), _adressen())
        except BeheerFout as fout:
            db.session.rollback()
            _foutmelding_bij(form, fout)
        else:
            # The same answer whoever asks: it tells nothing about existing accounts.
            return redirect(url_for("gebruikers.toegang_aangevraagd"))
    status = 422 if form.errors else 200
    return render_template("gebruikers/toegang_aanvragen.html", form=form), status


@bp.route("/toegang-aanvragen/verstuurd")
def toegang_aangevraagd() -> ResponseReturnValue:
    return render_template("gebruikers/toegang_aangevraagd.html")


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def uitnodiging(token: str) -> ResponseReturnValue:
    try:
        uitgenodigd = gebruikersbeheer.uitnodiging_voor(token)
    except gebruikersbeheer.OngeldigeUitnodiging as fout:
        return render_template("gebruikers/uitnodiging_ongeldig.html", melding=fout.melding), 400
    form = NieuwWachtwoordForm()
    form.submit.label.text = "Wachtwoord instellen"
    if form.validate_on_submit():
        try:
            gebruikersbeheer.accepteer(token, form.password.data, client_ip())
        except gebruikersbeheer.OngeldigeUitnodiging as fout:
            return render_template("gebruikers/uitnodiging_ongeldig.html", melding=fout.melding), 400
        except accounts.OngeldigeGebruiker as fout:
            form.password.errors = [*form.password.errors, fout.melding]
        else:
            logout_user()
            flash("Uw wachtwoord is ingesteld en uw account is actief. Log in met uw e-mailadres en dit wachtwoord.",
                  "succes")
            return redirect(url_for("auth.login"))
    response = make_response(render_template(
        "gebruikers/uitnodiging.html", form=form, uitnodiging=uitgenodigd, email=uitgenodigd.gebruiker.email,
        minimum=accounts.MIN_WACHTWOORDLENGTE), 422 if form.errors else 200)
    # The page's address holds the link's token: no cache keeps it.
    response.headers["Cache-Control"] = "no-store"
    return response
