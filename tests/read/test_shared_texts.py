"""The reader keeps one object per distinct text of a column that repeats its texts: a
million Producten rows hold a handful of product names, not a million copies (issue 14)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from kantoor_batch.frames import shared_texts


def frame(values: Sequence[object]) -> pd.DataFrame:
    rows = pd.RangeIndex(2, 2 + len(values), name="row")  # Excel rows, as the reader gives
    return pd.DataFrame({"product": pd.Series(list(values), index=rows, dtype=object)})


def test_a_repeated_text_becomes_one_object_with_the_same_value() -> None:
    texts = ["".join(["Aangifte", " OB"]) for _ in range(10)]  # ten equal, distinct objects
    assert len({id(t) for t in texts}) == 10
    shared = shared_texts(frame([*texts, None]))["product"]
    assert shared.tolist() == [*texts, None]
    assert len({id(v) for v in shared.iloc[:10]}) == 1
    assert list(shared.index) == list(range(2, 13))


def test_numbers_and_yes_no_cells_keep_their_own_type() -> None:
    """1, 1.0 and True are equal to Python: sharing them would turn a Ja-cell into a number."""
    values: list[object] = [True, 1, 1.0, "1", True, 1, 1.0, "1"]
    shared = shared_texts(frame(values))["product"]
    assert [type(v) for v in shared] == [type(v) for v in values]


def test_a_column_of_distinct_texts_is_left_as_it_is() -> None:
    names = [f"Klant {i}" for i in range(100)]
    original = frame(names)
    shared = shared_texts(original)["product"]
    assert all(a is b for a, b in zip(shared, original["product"], strict=True))


def test_dates_are_shared_when_asked_and_other_dtypes_are_kept() -> None:
    """The result tables share their deadline dates too; a column pandas holds as numbers or
    booleans is not touched."""
    dates = [dt.date(2027, 1, 31) + dt.timedelta(days=0) for _ in range(6)]
    table = pd.DataFrame(
        {
            "Uiterste datum": pd.Series(dates, dtype=object),
            "SBR": pd.Series([True, False] * 3, dtype=bool),
        }
    )
    shared = shared_texts(table, ("string", "date"))
    assert shared["Uiterste datum"].tolist() == dates
    assert len({id(v) for v in shared["Uiterste datum"]}) == 1
    assert shared["SBR"].dtype == bool
    assert shared_texts(table)["Uiterste datum"].tolist() == dates  # texts only: as it was
