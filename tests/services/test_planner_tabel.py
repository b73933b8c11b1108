"""The planner's table of scheduled actions: registered once when the application starts, one entry for
every kind of action the migration plans, and an action whose kind is missing fails loudly and stays
planned instead of disappearing."""
from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.models import ActieStatus, GeplandeActie
from portal.services import migratie, planner
from portal.services.migratie.acties import KALENDER_ACTIES, Actiesoort


def test_every_kind_of_action_the_migration_plans_has_its_handler_in_the_registered_table(app_ctx):
    tabel = planner.tabel()

    assert set(tabel) == set(Actiesoort)
    assert set(KALENDER_ACTIES.values()) <= set(tabel)
    for soort in Actiesoort:
        assert tabel[soort] is migratie.PLANNER_ACTIES[soort]
        assert callable(tabel[soort].functie)
        assert planner.omschrijving(soort) == tabel[soort].omschrijving != soort.value


def test_a_new_application_has_the_table_without_importing_anything_else(migrated_database):
    from portal import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test-geheim", "SQLALCHEMY_DATABASE_URI": migrated_database,
                      "PORTAL_MODE": "ontwikkeling"})
    with app.app_context():
        assert planner.omschrijving(Actiesoort.B4_PUBLICEREN) == "bestandsvergelijking (B4) plaatsen"
        app.extensions["sqlalchemy"].engine.dispose()


def test_an_action_of_a_kind_without_handler_fails_with_a_dutch_error_and_is_tried_again(app_ctx, clock):
    actie = planner.plan(None, "ONBEKENDE_ACTIE", clock.now() - timedelta(minutes=1))
    db.session.commit()

    [uitvoering] = planner.tick()

    assert (uitvoering.soort, uitvoering.gelukt) == ("ONBEKENDE_ACTIE", False)
    assert uitvoering.resultaat == "LookupError: Geen uitvoering bekend voor actie 'ONBEKENDE_ACTIE'."
    opgeslagen = db.session.get(GeplandeActie, actie.id)
    assert (opgeslagen.status, opgeslagen.pogingen) == (ActieStatus.GEPLAND, 1)
    assert planner.omschrijving("ONBEKENDE_ACTIE") == "ONBEKENDE_ACTIE"
