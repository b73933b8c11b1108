"""Het uitzetten van de cyclische garbage collector tijdens het omzetten en beoordelen van een bericht."""

import gc

import pytest

from portal.ieb.geheugen import zonder_cyclische_gc


@pytest.fixture
def gc_aan():
    stond_aan = gc.isenabled()
    gc.enable()
    yield
    if not stond_aan:
        gc.disable()


def test_the_collector_is_off_in_the_block_and_on_again_afterwards(gc_aan):
    with zonder_cyclische_gc():
        assert not gc.isenabled()

    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_error_in_the_block(gc_aan):
    with pytest.raises(RuntimeError), zonder_cyclische_gc():
        raise RuntimeError("fout in het blok")

    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(gc_aan):
    gc.disable()

    with zonder_cyclische_gc():
        pass

    assert not gc.isenabled()
