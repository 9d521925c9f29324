"""Dutch identifier checks of R3, on whole columns at once.

The 11-test (elfproef) is done with numpy on all values together; property tests check it
against python-stdnum. Checks without a cheap vectorised form (IBAN, btw-id, postcode) call
python-stdnum once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from stdnum import iban
from stdnum.nl import btw, postcode

_ELEVEN_TEST_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)
_EMAIL = (
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)


def passes_eleven_test(nine_digits: pd.Series) -> pd.Series:
    """The BSN/RSIN 11-test on strings of exactly nine digits (weights 9..2 and -1)."""
    if nine_digits.empty:
        return pd.Series(True, index=nine_digits.index, dtype=bool)
    joined = "".join(nine_digits.to_list()).encode("ascii")
    digits = np.frombuffer(joined, dtype=np.uint8).reshape(-1, 9).astype(np.int64) - ord("0")
    return pd.Series((digits @ _ELEVEN_TEST_WEIGHTS) % 11 == 0, index=nine_digits.index)


def _with_eleven_test(values: pd.Series, pattern: str) -> pd.Series:
    """values fully match pattern, which starts with the nine digits that must pass the
    11-test (a full match and a slice: cheaper than extracting a group from every value)."""
    shaped = values.str.fullmatch(pattern).fillna(False).astype(bool)
    result = pd.Series(False, index=values.index)
    nine = values[shaped].str[:9]
    result[nine.index] = passes_eleven_test(nine) & (nine != "000000000")
    return result


def is_bsn(values: pd.Series) -> pd.Series:
    """BSN or RSIN: 9 digits, not all zeros, passing the 11-test."""
    return _with_eleven_test(values, r"[0-9]{9}")


def is_kvk_number(values: pd.Series) -> pd.Series:
    """8 digits; the KvK publishes no checksum, so none is applied."""
    return values.str.fullmatch(r"[0-9]{8}")


def is_establishment_number(values: pd.Series) -> pd.Series:
    return values.str.fullmatch(r"[0-9]{12}")


def is_vat_number(values: pd.Series) -> pd.Series:
    """OB-nummer: 9 digits passing the 11-test, B, 2 digits."""
    return _with_eleven_test(values, r"[0-9]{9}B[0-9]{2}")


def is_payroll_tax_number(values: pd.Series) -> pd.Series:
    """Loonheffingennummer: 9 digits passing the 11-test, L, 2 digits."""
    return _with_eleven_test(values, r"[0-9]{9}L[0-9]{2}")


def _per_distinct(values: pd.Series, check: Callable[[str], bool]) -> pd.Series:
    distinct = values.unique()
    verdicts = {value: bool(check(value)) for value in distinct}
    return values.map(verdicts).astype(bool)


def is_vat_id(values: pd.Series) -> pd.Series:
    """Btw-id: NL + 9 digits + B + 2 digits, suffix not 00, mod-97 or 11-test (stdnum)."""
    shaped = values.str.fullmatch(r"NL[0-9]{9}B[0-9]{2}") & ~values.str.endswith("00")
    result = pd.Series(False, index=values.index)
    result[shaped] = _per_distinct(values[shaped], btw.is_valid)
    return result


def is_iban(values: pd.Series) -> pd.Series:
    return _per_distinct(values, iban.is_valid)


def is_dutch_postcode(values: pd.Series) -> pd.Series:
    """'1234 AB': first digit not 0, letters not SA, SD or SS (stdnum.nl.postcode)."""
    shaped = values.str.fullmatch(r"[1-9][0-9]{3} [A-Z]{2}")
    result = pd.Series(False, index=values.index)
    result[shaped] = _per_distinct(values[shaped], postcode.is_valid)
    return result


def is_email(values: pd.Series) -> pd.Series:
    return values.str.fullmatch(_EMAIL)
