"""R13: compare what an import plans with what the store holds, per kind of thing.

Each planned row ends as created, updated or unchanged; for an update, every changed field is
kept with its old and new value (the import ledger). An empty cell in the workbook never clears
a value the store has: periodic uploads often fill only some columns, and clearing is done in
the package itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

CREATED = "aangemaakt"
UPDATED = "bijgewerkt"
UNCHANGED = "ongewijzigd"
SKIPPED = "overgeslagen"


@dataclass
class Diff:
    planned: pd.DataFrame  # the planned rows with 'id' (existing) and 'action'
    changes: pd.DataFrame  # id, field, old_value, new_value for every updated field

    @property
    def to_create(self) -> pd.DataFrame:
        return self.planned[self.planned["action"] == CREATED]

    @property
    def to_update(self) -> pd.DataFrame:
        return self.planned[self.planned["action"] == UPDATED]


def nulls_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns with None for every kind of missing value (NaN, NaT, pd.NA)."""
    out = frame.astype(object)
    return out.where(out.notna(), None)


def same(new: pd.Series, old: pd.Series) -> pd.Series:
    """Element-wise equality where two missing values are equal (numpy compares the objects)."""
    both_missing = new.isna() & old.isna()
    equal = pd.Series(new.to_numpy(dtype=object) == old.to_numpy(dtype=object), index=new.index)
    return both_missing | (equal & new.notna() & old.notna())


def compare(
    planned: pd.DataFrame,
    existing: pd.DataFrame,
    keys: Sequence[str],
    fields: Sequence[str],
    *,
    empty_keeps_old: bool = False,
    never_update: pd.Series | None = None,
) -> Diff:
    """planned and existing share the key columns; existing also has 'id' and the fields."""
    planned = planned.reset_index(drop=True)
    wanted = [*keys, "id", *fields]
    if existing.empty:  # a first import: everything is new, nothing to compare
        created = planned.assign(id=None, action=CREATED)
        return Diff(
            created, pd.DataFrame(columns=["position", "id", "field", "old_value", "new_value"])
        )
    planned = nulls_to_none(planned)  # the ledger keeps None, never NaN, as an old or new value
    old = nulls_to_none(existing[wanted]).drop_duplicates(list(keys))
    old = old.rename(columns={f: f"{f}__old" for f in fields})
    merged = planned.merge(old, on=list(keys), how="left")
    merged.index = planned.index
    is_new = merged["id"].isna()

    differs = pd.DataFrame(False, index=merged.index, columns=list(fields))
    if (~is_new).any():
        for field in fields:
            new, previous = merged[field], merged[f"{field}__old"]
            if empty_keeps_old:
                new = new.where(new.notna() | is_new, previous)
                merged[field] = new
            differs[field] = ~same(new, previous) & ~is_new
    if never_update is not None:
        differs.loc[never_update.reindex(merged.index, fill_value=False).to_numpy(bool)] = False
    changed = differs.any(axis=1)

    merged["action"] = np.select([is_new, changed], [CREATED, UPDATED], UNCHANGED)
    rows, columns = np.nonzero(differs.to_numpy())
    changes = pd.DataFrame(
        {
            "position": merged.index[rows],
            "id": merged["id"].to_numpy()[rows],
            "field": np.asarray(fields, dtype=object)[columns],
            "old_value": [
                merged[f"{fields[int(c)]}__old"].iloc[int(r)]
                for r, c in zip(rows, columns, strict=True)
            ],
            "new_value": [
                merged[fields[int(c)]].iloc[int(r)] for r, c in zip(rows, columns, strict=True)
            ],
        }
    )
    return Diff(merged.drop(columns=[f"{f}__old" for f in fields]), changes)
