"""Frame helpers more than one stage needs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

SAMPLE_FOR_REPEATS = 2_000


def shared_texts(frame: pd.DataFrame, kinds: tuple[str, ...] = ("string",)) -> pd.DataFrame:
    """frame with one object per distinct value in each column that repeats its values.

    A reader gives every cell a string object of its own: a million Producten rows hold a
    million 'Aangifte OB's of some 60 bytes each, and the cleaned sheets, the plan and the
    result tables keep pointing at them for the whole run; the rules make a period text or a
    deadline date per workflow row in the same way. Sharing one object per value took a fifth
    off what the sheets of 100,000 clients hold (issue 14). A column whose first rows are
    mostly distinct (names, numbers) is left as it is: hashing it costs more than it saves.
    Only object columns of one kind of value (kinds, as pandas' infer_dtype names them:
    'string', 'date') are shared, so that 1, 1.0 and True, equal to Python's hash, never
    become one another; other columns are kept as they are."""
    columns: dict[object, pd.Series] = {}
    for name in frame.columns:
        column = frame[name]
        values = column.to_numpy()
        if (
            column.dtype == object
            and _repeats(values)
            and infer_dtype(values, skipna=True) in kinds
        ):
            codes, uniques = pd.factorize(values)
            values = np.asarray(uniques, dtype=object).take(np.maximum(codes, 0))
            values[codes < 0] = None
            # object, as it came: pandas would make a column of texts its own string dtype
            columns[name] = pd.Series(values, index=frame.index, dtype=object)
        else:
            columns[name] = column  # as it is, its dtype too
    return pd.DataFrame(columns, index=frame.index, columns=frame.columns)


def _repeats(values: np.ndarray) -> bool:
    sample = [v for v in values[:SAMPLE_FOR_REPEATS] if v is not None and v == v]  # noqa: PLR0124 - NaN
    return len(sample) > 1 and len(set(sample)) <= len(sample) // 2
