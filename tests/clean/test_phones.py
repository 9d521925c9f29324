"""Phone normalisation: the fast path for Dutch numbers agrees with phonenumbers itself."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kantoor_batch.clean.contact_details import normalise_phone, normalise_phones


@settings(max_examples=300)
@given(st.lists(st.from_regex(r"0[1-9][0-9]{8}", fullmatch=True), min_size=1, max_size=40))
def test_dutch_numbers_normalise_exactly_as_phonenumbers_does(numbers: list[str]) -> None:
    """For any ten-digit Dutch number, the column path gives phonenumbers' own answer."""
    column = pd.Series(numbers)
    ours = normalise_phones(column, pd.Series(["NL"] * len(numbers))).tolist()
    assert ours == [normalise_phone(n, "NL") for n in numbers]


def test_written_forms_of_one_number_come_out_the_same() -> None:
    """Dashes, spaces, +31 and a lost leading zero are the same number."""
    column = pd.Series(
        ["050-3110000", "050 311 00 00", "+31 50 3110000", "503110000", "0031 50 3110000"]
    )
    assert set(normalise_phones(column, pd.Series(["NL"] * 5))) == {"+31 50 311 0000"}


def test_foreign_numbers_go_through_phonenumbers_in_their_country() -> None:
    """A Belgian number in BE."""
    out = normalise_phones(pd.Series(["02 551 18 11"]), pd.Series(["BE"]))
    assert out.tolist() == ["+32 2 551 18 11"]
