"""Transformations of the profile, on whole columns: names, street lines, zeros, dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantoor_batch.convert import transforms


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("J.A. van der Berg", ("J.A.", None, "van der", "Berg")),
        ("Jan Willem de Vries", ("J.W.", "Jan", "de", "Vries")),
        ("Berg, J.A. van der", ("J.A.", None, "van der", "Berg")),
        ("IJsbrand ijzerman", ("IJ.", "IJsbrand", None, "IJzerman")),
        ("Noël van 't Hof", ("N.", "Noël", "van 't", "Hof")),
        ("P. ter Horst", ("P.", None, "ter", "Horst")),
        ("JANSEN", (None, None, None, "Jansen")),
        ("anna de jong", ("A.", "Anna", "de", "Jong")),
        ("Kees Van Den Broek", ("K.", "Kees", "van den", "Broek")),
    ],
)
def test_a_dutch_full_name_is_split_with_its_tussenvoegsel(
    name: str, parts: tuple[str | None, ...]
) -> None:
    """Voorletters, voornaam, tussenvoegsel, achternaam; IJ stays one capital pair."""
    assert transforms.parse_name(name) == parts


def test_a_name_column_is_split_once_per_distinct_name() -> None:
    """The whole column at once; empty cells stay empty."""
    names = pd.Series(["J. de Vries", None, "J. de Vries"], index=[2, 3, 4], dtype=object)
    step = transforms.split_name(names, "tussenvoegsel")
    assert step.values.tolist() == ["de", None, "de"]


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("Herestraat 12 A", ("Herestraat", "12", "A")),
        ("Herestraat 12-A", ("Herestraat", "12", "A")),
        ("Herestraat 12a", ("Herestraat", "12", "a")),
        ("Laan van Meerdervoort 1001-III", ("Laan van Meerdervoort", "1001", "III")),
        ("Plein 1944 5", ("Plein 1944", "5", None)),
        ("2e Jan Steenstraat 14 bis", ("2e Jan Steenstraat", "14", "bis")),
        ("Kerkweg 3/2", ("Kerkweg", "3", "2")),
    ],
)
def test_a_street_line_is_split_into_street_number_and_addition(
    line: str, parts: tuple[str | None, ...]
) -> None:
    """The last number after a space is the house number; what follows is the addition."""
    column = pd.Series([line], dtype=object)
    found = tuple(
        transforms.split_street(column, part).values.iloc[0]
        for part in ("straat", "huisnummer", "toevoeging")
    )
    assert found == parts


def test_a_street_line_without_a_number_keeps_the_line_as_street_and_is_reported() -> None:
    """'Postbus' has no house number: nothing is guessed."""
    step = transforms.split_street(pd.Series(["Postbus"], dtype=object), "straat")
    assert step.values.tolist() == ["Postbus"]
    assert step.failed is not None
    assert step.failed.tolist() == [True]


def test_identifiers_get_their_leading_zeros_back() -> None:
    """A KvK number that lost its zero is 8 digits again; longer or other text is left alone."""
    step = transforms.pad(pd.Series(["1234567", "12345678", "ABC", None], dtype=object), 8)
    assert step.values.tolist() == ["01234567", "12345678", "ABC", None]
    assert step.changed.tolist() == [True, False, False, False]


@pytest.mark.parametrize("text", ["9,9E+11", "9.9E+11", "1,23457E+17", "5E+8"])
def test_a_number_in_scientific_notation_has_lost_digits(text: str) -> None:
    """Excel's 9,9E+11 is an error, never a guess."""
    assert transforms.lost_digits(pd.Series([text], dtype=object)).tolist() == [True]


NAIVE_DATE_CELL = dt.datetime(1990, 1, 2)  # noqa: DTZ001 - Excel's date cells carry no zone


def test_dates_are_read_in_the_profiles_format_and_impossible_ones_are_reported() -> None:
    """31-02 does not exist; a date cell stays a date."""
    cells = pd.Series(["17-03-1978", "31-02-1980", NAIVE_DATE_CELL, None], dtype=object)
    step = transforms.dates(cells, "%d-%m-%Y")
    assert step.values.tolist() == [dt.date(1978, 3, 17), None, dt.date(1990, 1, 2), None]
    assert step.failed is not None
    assert step.failed.tolist() == [False, True, False, False]


def test_a_value_map_matches_without_regard_to_case_and_counts_what_fired() -> None:
    """'b.v.' and 'B.V.' are the same code; an unknown one is listed."""
    values = pd.Series(["B.V.", "b.v.", "E", "X", None], dtype=object)
    mapped, counts, unknown = transforms.value_map(values, {"b.v.": "BV", "e": "Eenmanszaak"})
    assert mapped.tolist() == ["BV", "BV", "Eenmanszaak", "X", None]
    assert counts[("B.V.", "BV")] == 1
    assert counts[("b.v.", "BV")] == 1
    assert unknown.tolist() == [False, False, False, True, False]


@given(
    first=st.sampled_from(["Jan", "Anna", "IJsbrand", "Noël", "Fatima", "Kees"]),
    infix=st.sampled_from(["", "van", "de", "van der", "van den", "ter", "van 't", "in 't"]),
    last=st.sampled_from(["Vries", "Berg", "IJzerman", "Hoëvenaars", "Meer-Bos", "Dijk"]),
    comma=st.booleans(),
)
def test_a_name_written_either_way_splits_back_into_its_parts(
    first: str, infix: str, last: str, comma: bool
) -> None:
    """'Jan van der Berg' and 'Berg, Jan van der' give the same voornaam, tussenvoegsel and
    achternaam they were made of."""
    name = (
        f"{last}, {first} {infix}".strip()
        if comma
        else " ".join(p for p in (first, infix, last) if p)
    )
    initials, found_first, found_infix, found_last = transforms.parse_name(name)
    assert (found_first, found_infix or "", found_last) == (first, infix, last)
    assert initials == ("IJ." if first.startswith("IJ") else f"{first[0]}.")
