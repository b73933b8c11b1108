"""`python -m bench.metingen.wmo407 --diagnose` times the steps of the WMO407 path by name: every step it
wraps still exists where the service looks it up, so a renamed step fails here instead of in the next
diagnosis."""
from __future__ import annotations

from bench.metingen import wmo407


def test_every_step_the_diagnosis_times_exists_under_its_name(app_ctx, monkeypatch):
    gewikkeld: list[tuple[str, str]] = []

    def onthoud(fasen, module, naam: str, label: str) -> None:
        plaats = getattr(module, "__name__", type(module).__name__)
        assert callable(getattr(module, naam)), f"{plaats}.{naam} bestaat niet meer"
        gewikkeld.append((plaats, naam))

    monkeypatch.setattr(wmo407._Fasen, "omhul", onthoud)
    wmo407._Fasen().installeer()

    assert len(gewikkeld) == 12
    assert ("portal.services.delivery.ontvangst", "bewaar_berichtperioden") in gewikkeld


def test_the_steps_of_a_receipt_are_timed_in_the_order_they_ran(app_ctx):
    from portal.services import storage

    fasen = wmo407._Fasen()
    origineel = storage.sha256
    try:
        fasen.omhul(storage, "sha256", "hash")
        assert storage.sha256(b"abc") == origineel(b"abc")
    finally:
        storage.sha256 = origineel
    [stap] = fasen.stappen
    assert stap["stap"] == "hash" and stap["seconden"] >= 0 and not stap["genest"]
