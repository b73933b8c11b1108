"""The burgerservicenummer and its elfproef: one definition for the whole portal (ieb-2.0.md, rule CS002).

A BSN is 9 digits; 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11; and it is not 000000000.
"""


def voldoet_aan_elfproef(bsn: str) -> bool:
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit() or bsn == "000000000":
        return False
    c = bsn.encode("ascii")
    # Each character is its digit + 48; the weights 9..2 and -1 add up to 43, so the sum is 43 · 48 too high.
    som = 9 * c[0] + 8 * c[1] + 7 * c[2] + 6 * c[3] + 5 * c[4] + 4 * c[5] + 3 * c[6] + 2 * c[7] - c[8] - 43 * 48
    return som % 11 == 0
