"""`make bench` measures the steps of the WMO407 path by name: every step it wraps still exists where the
service looks it up, so a renamed step fails here instead of in the next benchmark run."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "meting.py"


@pytest.fixture
def meting():
    spec = importlib.util.spec_from_file_location("bench_meting", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Meter:
    def na_stap(self, label: str) -> None:
        pass


def test_every_step_the_benchmark_times_exists_under_its_name(app_ctx, meting, monkeypatch):
    gewikkeld: list[tuple[object, str]] = []

    def onthoud(fasen, module, naam: str, label: str) -> None:
        assert callable(getattr(module, naam)), f"{module.__name__}.{naam} bestaat niet meer"
        gewikkeld.append((module, naam))

    monkeypatch.setattr(meting._Fasen, "omhul", onthoud)
    meting._Fasen(_Meter()).installeer()

    assert len(gewikkeld) == 12
