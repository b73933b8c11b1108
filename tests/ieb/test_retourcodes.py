"""Every retourcode has, in one place next to its meaning, what the gemeente does about it."""
from __future__ import annotations

import pytest

from portal.ieb.retourcodes import RETOURCODES, WAT_TE_DOEN, wat_te_doen


def test_every_retourcode_says_what_to_do_and_there_is_no_advice_without_a_code():
    assert list(WAT_TE_DOEN) == list(RETOURCODES)


@pytest.mark.parametrize("code", list(RETOURCODES))
def test_the_advice_for_each_code_is_dutch_sentences_that_end_properly(code):
    advies = wat_te_doen(code)
    assert advies[0].isupper() and advies.endswith(".")
    assert "  " not in advies


def test_an_unknown_code_has_no_advice():
    with pytest.raises(KeyError):
        wat_te_doen("9999")
