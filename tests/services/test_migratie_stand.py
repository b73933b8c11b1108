"""The dashboard counts and orders the gemeenten from their columns (`migratie.stand`) and shows the full status
(`migratie.overzicht`) of the rows it lists: both must judge every gemeente alike."""
from __future__ import annotations

from portal.services import migratie, schaal
from portal.services.klok import nu
from tests.scenario import drie_weken


def test_the_columns_give_every_gemeente_the_same_state_flags_deadline_and_action_as_its_full_status(
        app_ctx, clock):
    drie_weken(clock)
    schaal.laad_schaal(40, clients=3)
    moment = nu()
    volledig = migratie.overzicht(met_aantallen=False, moment=moment)
    kort = migratie.stand(moment=moment)
    assert len(kort) == len(volledig) > 40
    assert [(s.gemeente.id, s.gemeente.naam, s.migratie.timeslot, s.toestand, s.vlaggen, s.deadline, s.actie_nodig)
            for s in volledig] == [(s.gemeente_id, s.naam, s.timeslot, s.toestand, s.vlaggen, s.deadline,
                                    s.actie_nodig) for s in kort]
    assert any(s.actie_nodig for s in kort) and any(s.vlaggen for s in kort) and any(s.timeslot is None for s in kort)
    getoond = [s.gemeente_id for s in kort[::7]]
    assert [s.gemeente.id for s in migratie.overzicht(ids=getoond, moment=moment)] == getoond
