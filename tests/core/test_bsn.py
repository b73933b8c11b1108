"""The portal's one elfproef, against python-stdnum's independent implementation."""
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from portal.bsn import voldoet_aan_elfproef


@given(st.integers(min_value=0, max_value=999_999_999))
def test_the_elfproef_agrees_with_stdnum_for_every_nine_digit_number_except_all_zeros(getal):
    bsn = f"{getal:09d}"
    verwacht = stdnum_bsn.is_valid(bsn) and bsn != "000000000"
    assert voldoet_aan_elfproef(bsn) is verwacht


def test_known_numbers_pass_and_fail_the_elfproef():
    assert voldoet_aan_elfproef("123456782")          # the reference example of ieb-2.0.md
    assert not voldoet_aan_elfproef("123456789")
    assert not voldoet_aan_elfproef("000000000")      # divisible by 11, but never a BSN
    assert not voldoet_aan_elfproef("12345678")       # too short
    assert not voldoet_aan_elfproef("12345678a")
    assert not voldoet_aan_elfproef("１２３４５６７８２")  # full-width digits are not ASCII digits
