"""The access matrix, generated from the app's URL map: every route (endpoint × method) × every role and no login ×
the own and another gemeente gives the answer its rule in `VERWACHT` declares. A route without a rule fails, so a
new route cannot escape the matrix. Web routes are called with a login session, API routes with a bearer token of
the role. Forms are posted empty but for their CSRF token: the answer shows whether the
role got past the access check (404 for a gemeente it may not see, 403 for a step its role may not take, 302 to
the login page without a login, 401 from the API without a token), not what a complete form would do.

The scenario: Amsterdam (0363, "own") with a medewerker, a beheerder, a supplier and a colleague to manage,
a file and an upload; Utrecht (0344, "other") with the same; the CAK's medewerker and beheerder. Ids of objects
that belong to no gemeente (tasks, mails, differences, requests, tokens) do not exist: the matrix shows who gets
past the role check to the 404 of a missing object."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portal.extensions import db
from portal.services import storage
from portal.services.audit import Actor
from tests.conftest import Session, csrf_token_from
from tests.scenario import (
    BEHEER,
    CAK,
    api_token,
    bearer,
    gebruiker,
    leverende_gemeente,
    maak_bestand,
    maak_gebruiker,
    medewerker,
)

ROLLEN = ("gemeente", "gemeente_beheerder", "leverancier", "cak", "cak_beheerder", None)
LEVEREND = frozenset({"gemeente", "gemeente_beheerder", "leverancier"})
CAK_ROLLEN = frozenset({"cak", "cak_beheerder"})
EMAIL = {"gemeente": medewerker("Amsterdam"), "gemeente_beheerder": "beheerder@amsterdam.example.nl",
         "leverancier": "koppeling@software.example.nl", "cak": CAK, "cak_beheerder": BEHEER}
DOELWIT = {"eigen": "collega@amsterdam.example.nl", "ander": "collega@utrecht.example.nl"}
GEEN = 999_999  # an id that does not exist
NAAR_LOGIN = 302


@pytest.fixture(scope="module")
def matrix_app(migrated_database, module_clock, trage_functies_onthouden):
    """One app in ketentest mode (so the ketentest routes answer) on one scenario for the whole module."""
    from tests.conftest import _GEDEELDE_MODULES, _maak_app, _sluit

    app = _maak_app(migrated_database, module_clock, {
        "PORTAL_MODE": "ketentest", "API_LIMIET": 100_000})
    _GEDEELDE_MODULES.add(__name__)
    with app.app_context():
        ids = _scenario()
    app.config["MATRIX_IDS"] = ids
    yield app
    _GEDEELDE_MODULES.discard(__name__)
    _sluit(app)


def _scenario() -> dict[str, dict[str, Any]]:
    job = Actor.job_named("test")
    waarden: dict[str, dict[str, Any]] = {}
    for soort, code, naam in (("eigen", "0363", "Amsterdam"), ("ander", "0344", "Utrecht")):
        gemeente = leverende_gemeente(code, naam, clients=1)
        maak_gebruiker(f"beheerder@{naam.lower()}.example.nl", "gemeente_beheerder", (code,))
        maak_gebruiker(DOELWIT[soort], "gemeente", (code,))
        bestand = maak_bestand(gemeente)
        ontvangst = storage.bewaar_ontvangst(inhoud=b"<x/>", bestandsnaam="bericht.xml", soort="WMO407",
                                             kanaal="web", actor=job, gemeente=gemeente)
        db.session.commit()
        waarden[soort] = {"code": code, "bestand_id": bestand.id, "ontvangst_id": ontvangst.id,
                          "gebruiker_id": gebruiker(DOELWIT[soort]).id}
    maak_gebruiker(EMAIL["leverancier"], "leverancier", ("0363",))
    tokens = {rol: api_token(email) for rol, email in EMAIL.items()}
    for soort in waarden:
        waarden[soort].update({"verschil_id": GEEN, "taak_id": GEEN, "mail_id": GEEN, "verzoek_id": GEEN,
                               "token_id": GEEN, "token": "geen-geldige-link", "naam": "akkoord_aanleveren",
                               "datum": "2022-10-03",
                               "filename": "portal.css"})
    return {"waarden": waarden, "tokens": tokens}


# ---------------------------------------------------------------- the expectations, by rule

@dataclass(frozen=True)
class Geval:
    rol: str | None
    eigen: bool          # the own gemeente (or its objects) in the path; for routes without one, both are run

    @property
    def levert(self) -> bool:
        return self.rol in LEVEREND

    @property
    def cak(self) -> bool:
        return self.rol in CAK_ROLLEN


Regel = Callable[[Geval], int]


def openbaar(status: int = 200) -> Regel:
    """Anyone, logged in or not."""
    return lambda g: status


def ingelogd(status: int = 200) -> Regel:
    """Every logged-in user; without a login, to the login page."""
    return lambda g: NAAR_LOGIN if g.rol is None else status


def gemeentepagina(status: int = 200, cak: int | None = None) -> Regel:
    """A page or action of one gemeente: the CAK sees every gemeente (`cak`: its answer, when it differs), a
    delivering role only its own (another: 404), no login: to the login page."""
    def regel(g: Geval) -> int:
        if g.rol is None:
            return NAAR_LOGIN
        if g.cak:
            return status if cak is None else cak
        return status if g.eigen else 404
    return regel


def levering(status: int) -> Regel:
    """Delivering for a gemeente: its own roles get `status`, another gemeente 404, the CAK 403."""
    return gemeentepagina(status, cak=403)


def alleen_cak(status: int = 200, anderen: int = 403, beheerder: int | None = None) -> Regel:
    """A CAK page: the CAK gets `status` (its beheerder `beheerder`, when it differs), the gemeente's roles
    `anderen`, no login: to the login page."""
    def regel(g: Geval) -> int:
        if g.rol is None:
            return NAAR_LOGIN
        if g.rol == "cak_beheerder" and beheerder is not None:
            return beheerder
        return status if g.cak else anderen
    return regel


def api(regel: Regel) -> Regel:
    """An API route: without a token 401, otherwise as `regel` says for the token's role."""
    return lambda g: 401 if g.rol is None else regel(g)


VERWACHT: dict[tuple[str, str], Regel] = {}


def _(*sleutels: str, regel: Regel) -> None:
    for sleutel in sleutels:
        endpoint, methode = sleutel.rsplit(" ", 1)
        VERWACHT[(endpoint, methode)] = regel


# ---------------------------------------------------------------- running one case

@dataclass(frozen=True)
class Route:
    endpoint: str
    methode: str
    rule: Rule

    @property
    def is_api(self) -> bool:
        return self.endpoint.startswith("api.")

    @property
    def per_gemeente(self) -> bool:
        return bool(set(self.rule.arguments) & {"code", "bestand_id", "ontvangst_id", "gebruiker_id"})


def routes(app) -> list[Route]:
    gevonden = [Route(rule.endpoint, methode, rule) for rule in app.url_map.iter_rules()
                for methode in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})]
    # Steps that change what later cases see go last: the ketentest resets and logging out.
    laatst = ("ketentest.kit_reset", "api.ketentest_reset")
    return sorted(gevonden, key=lambda r: (r.endpoint in laatst, r.rule.rule, r.methode))


class Bezoekers:
    """A logged-in client per role, logged in again after it logged itself out."""

    def __init__(self, app) -> None:
        self.app = app
        self.sessies: dict[str, tuple[FlaskClient, str]] = {}

    def client(self, rol: str | None) -> tuple[FlaskClient, str]:
        """The role's client and the CSRF token of its session."""
        if rol is None:
            client = self.app.test_client()
            return client, csrf_token_from(client.get("/login").get_data(as_text=True))
        if rol not in self.sessies:
            sessie = Session(self.app.test_client())
            assert sessie.login(EMAIL[rol]).status_code == 302, EMAIL[rol]
            self.sessies[rol] = (sessie.client, sessie.csrf("/logout"))
        return self.sessies[rol]

    def vergeet(self, rol: str | None) -> None:
        self.sessies.pop(rol or "", None)


def antwoord(app, bezoekers: Bezoekers, route: Route, geval: Geval) -> int:
    ids = app.config["MATRIX_IDS"]
    waarden = ids["waarden"]["eigen" if geval.eigen else "ander"]
    with app.test_request_context():
        pad = app.url_map.bind("localhost").build(
            route.endpoint, {k: waarden[k] for k in route.rule.arguments}, method=route.methode)
    headers: dict[str, str] = {}
    data: dict[str, str] | None = None
    if route.is_api:
        client = app.test_client()
        if geval.rol is not None:
            headers = bearer(ids["tokens"][geval.rol])
    else:
        client, token = bezoekers.client(geval.rol)
        data = {"csrf_token": token} if route.methode != "GET" else None
    response = client.open(pad, method=route.methode, headers=headers, data=data)
    if route.endpoint == "auth.logout" and route.methode == "POST":
        bezoekers.vergeet(geval.rol)
    return response.status_code


# ---------------------------------------------------------------- the matrix

def _routes_uit_de_app() -> list[Route]:
    from portal import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "PORTAL_MODE": "ketentest"})
    return routes(app)


def _id(route: Route) -> str:
    return f"{route.endpoint}-{route.methode}"


@pytest.mark.parametrize("route", _routes_uit_de_app(), ids=_id)
def test_every_route_answers_every_role_for_the_own_and_another_gemeente_as_declared(matrix_app, bezoekers,
                                                                                     route):
    regel = VERWACHT.get((route.endpoint, route.methode))
    assert regel is not None, (
        f"{route.methode} {route.rule.rule} ({route.endpoint}) staat niet in de toegangsmatrix: voeg een regel toe "
        "aan VERWACHT in tests/web/test_toegangsmatrix.py")
    gekregen, verwacht = {}, {}
    for rol in ROLLEN:
        for eigen in ((True, False) if route.per_gemeente else (True,)):
            geval = Geval(rol, eigen)
            sleutel = f"{rol or 'geen login'}{'' if eigen else ' (andere gemeente)'}"
            gekregen[sleutel] = antwoord(matrix_app, bezoekers, route, geval)
            verwacht[sleutel] = regel(geval)
    assert gekregen == verwacht


def test_the_matrix_declares_no_route_the_app_does_not_have(matrix_app):
    bestaand = {(r.endpoint, r.methode) for r in routes(matrix_app)}
    assert set(VERWACHT) - bestaand == set()


@pytest.fixture(scope="module")
def bezoekers(matrix_app) -> Bezoekers:
    return Bezoekers(matrix_app)


# Public pages and the login itself.
_("static GET", "hulp.help GET", "hulp.privacy GET", "hulp.toegankelijkheid GET", "apidoc.api_documentatie GET",
  "api.openapi GET", "auth.wachtwoord_vergeten GET", "auth.wachtwoord_vergeten POST",
  "auth.wachtwoord_aangevraagd GET", "gebruikers.toegang_aanvragen GET", "gebruikers.toegang_aangevraagd GET",
  regel=openbaar())
_("gebruikers.toegang_aanvragen POST", regel=openbaar(422))            # the empty form, with its errors
_("auth.wachtwoord_herstellen GET", "auth.wachtwoord_herstellen POST", "gebruikers.uitnodiging GET",
  "gebruikers.uitnodiging POST", regel=openbaar(400))                  # a link that is no valid link
_("auth.login GET", "auth.login POST", regel=lambda g: 200 if g.rol is None else 302)  # logged in: to the start
_("auth.logout GET", regel=ingelogd())
_("auth.logout POST", "gemeente.start GET", regel=ingelogd(302))

# Every logged-in user: their own API tokens (an unknown token: 404).
_("tokens.tokens GET", regel=ingelogd())
_("tokens.maak POST", regel=ingelogd(201))
_("tokens.intrekken POST", regel=ingelogd(404))

# A gemeente's folder and what it holds: its own roles and the CAK read it; another gemeente: 404.
_("gemeente.map GET", "gemeente.berichten GET", "gemeente.bericht GET", "gemeente.uitval GET",
  "gemeente.download GET", "gemeente.ontvangst GET", "gemeente.oude_kanalen_pagina GET",
  "ketentest.kit_testset GET", regel=gemeentepagina())
# Objects of another kind than the path names (a WMO407 upload as a terugkoppeling's receipt, ...): 404 for all.
_("gemeente.export_bericht GET", "gemeente.export_retourcode GET", "gemeente.terugkoppeling_bewijs GET",
  "gemeente.oude_kanalen_bewijs GET", regel=gemeentepagina(404))

# Delivering: only the gemeente's roles (the empty form: 422; generating without an akkoord: back to the folder).
_("gemeente.aanmelden POST", "gemeente.terugkoppeling POST", "gemeente.wmo407 POST", regel=levering(422))
_("gemeente.genereer POST", regel=levering(302))
# The old channels refuse the CAK after storing what it sent (their own tests); an empty form is 422 for all,
# the H&V form posted empty by the CAK goes to its receipt, which says it was refused.
_("gemeente.oude_kanalen_excel POST", "gemeente.oude_kanalen_record60 POST", regel=gemeentepagina(422))
_("gemeente.oude_kanalen_hv POST", regel=gemeentepagina(422, cak=303))

# The CAK's pages: others get 404 (the CAK's side does not exist for them).
_("cak.overzicht GET", "cak.lijsten GET", "cak.week GET", "cak.gemeenten GET", "cak.gemeente GET",
  "cak.instellingen GET",
  "cak.gemeente_verschillen GET", "cak.verschillen_export GET", "cak.taken GET", "cak.uitbak GET",
  "cak.verschillen GET", "ketentest.klok GET", regel=alleen_cak(200, anderen=404))
_("cak.actie POST", regel=alleen_cak(302, anderen=404))                # an unknown step: back to the page
_("cak.instellingen_opslaan POST", regel=alleen_cak(403, anderen=404, beheerder=422))
_("cak.verschil_afhandelen POST", "ketentest.verzet POST", "ketentest.zet POST",
  regel=alleen_cak(422, anderen=404))
_("cak.taak GET", "cak.taak_uitkomst POST", "cak.uitbak_bericht GET", regel=alleen_cak(404, anderen=404))
_("ketentest.volgende POST", "ketentest.start GET", regel=alleen_cak(302, anderen=404))
_("gebruikers.cak_toegangsverzoeken GET", regel=alleen_cak(404, anderen=404, beheerder=200))

# Managing users: the gemeente's beheerder for its own gemeente, the CAK's beheerder for every gemeente.
def beheer(status: int) -> Regel:
    def regel(g: Geval) -> int:
        if g.rol is None:
            return NAAR_LOGIN
        if g.rol == "cak_beheerder" or (g.rol == "gemeente_beheerder" and g.eigen):
            return status
        return 404
    return regel


_("gebruikers.gebruikers GET", regel=beheer(200))
_("gebruikers.inschakelen POST", "gebruikers.uitschakelen POST", regel=beheer(302))
_("gebruikers.uitnodigen POST", "gebruikers.leverancier_koppelen POST", regel=beheer(422))
_("gebruikers.leverancier_ontkoppelen POST", regel=beheer(404))        # the colleague is no supplier
_("gebruikers.verlenen POST", "gebruikers.weigeren POST", regel=ingelogd(404))  # an unknown request

# The ketentest kit: every logged-in user sees it; only the CAK switches or resets a demo gemeente.
_("ketentest.kit GET", regel=ingelogd())
_("ketentest.kit_demogedrag POST", regel=lambda g: NAAR_LOGIN if g.rol is None else (
    302 if g.cak else (403 if g.eigen else 404)))
_("ketentest.kit_reset POST", regel=lambda g: NAAR_LOGIN if g.rol is None else (
    302 if g.cak else (403 if g.eigen else 404)))

# The API: a bearer token per role; without one 401.
_("api.gemeenten GET", "api.ketentest_klok GET", regel=api(lambda g: 200))
_("api.gemeente GET", "api.berichten GET", "api.bestanden GET", "api.uitvallijst GET", "api.bericht GET",
  "api.bestand GET", regel=api(gemeentepagina()))
_("api.retour GET", regel=api(gemeentepagina(404)))                   # a message without a WMO408
_("api.stuur POST", "api.terugkoppeling POST", regel=api(levering(400)))  # an empty body
_("api.oude_kanalen_excel POST", "api.oude_kanalen_record60 POST", regel=api(gemeentepagina(400)))
_("api.oude_kanalen_hv POST", regel=api(gemeentepagina(422)))
_("api.akkoord_aanleveren POST", "api.akkoord_aanlevering POST",
  regel=api(lambda g: 409 if g.cak else (403 if g.eigen else 404)))   # the CAK: not in this state
_("api.belnotitie POST", regel=api(lambda g: 422 if g.cak else (403 if g.eigen else 404)))
_("api.timeslot PUT", regel=api(lambda g: 422 if g.rol == "cak_beheerder" else (
    403 if g.cak or g.eigen else 404)))
_("api.ketentest_klok_zet PUT", regel=api(lambda g: 422 if g.cak else 403))
_("api.ketentest_reset POST", regel=api(lambda g: 200 if g.cak else (403 if g.eigen else 404)))

# The second factor: the account page for every logged-in user; enrolling there is for who may choose (a CAK
# role enrolled at its login: back to the account page); switching off with an empty form: its errors (the CAK's
# refusal comes after a valid code, tests/web/test_tweede_factor.py). The login steps without a right password
# first: back to the login page.
_("auth.account GET", regel=ingelogd())
_("auth.instellen GET", regel=lambda g: NAAR_LOGIN if g.rol is None else 302 if g.cak else 200)
_("auth.instellen POST", regel=lambda g: NAAR_LOGIN if g.rol is None else 302 if g.cak else 422)
_("auth.uitzetten POST", regel=ingelogd(422))
_("auth.code GET", "auth.code POST", "auth.instellen_bij_inloggen GET", "auth.instellen_bij_inloggen POST",
  regel=openbaar(302))

# The audit trail: the CAK's beheerder only; the BSN search of a folder's messages is a POST, read like the page.
_("cak.audittrail GET", "cak.audittrail POST", "cak.audittrail_export POST",
  regel=alleen_cak(404, anderen=404, beheerder=200))
_("gemeente.berichten POST", "gemeente.oude_kanalen_pagina POST", regel=gemeentepagina())
