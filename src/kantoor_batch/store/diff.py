"""R13: compare what an import plans with what the store holds, per kind of thing.

Each planned row ends as created, updated or unchanged; for an update, every changed field is
kept with its old and new value (the import ledger). Only what the workbook states changes a
stored value: an empty cell never clears one (periodic uploads often fill only some columns,
and clearing is done in the package itself), and what the tool derived when it created
something is never derived again over what is stored, which may have been corrected since.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kantoor_batch.rules.plan import derived_flag

CREATED = "aangemaakt"
UPDATED = "bijgewerkt"
UNCHANGED = "ongewijzigd"
SKIPPED = "overgeslagen"
# Changed in the store since the row was exported: not applied (stamps.py).
CONFLICT = "conflict"


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


Merge = Callable[[pd.Series, pd.Series], pd.Series]


def compare(
    planned: pd.DataFrame,
    existing: pd.DataFrame,
    keys: Sequence[str],
    fields: Sequence[str],
    *,
    never_update: pd.Series | None = None,
    may_create: pd.Series | np.ndarray | None = None,
    merge: Mapping[str, Merge] | None = None,
) -> Diff:
    """planned and existing share the key columns; existing also has 'id' and the fields.

    R13: a stored row changes only where the workbook states a value. An empty planned value,
    or one flagged as derived (a column '<field>__derived' that is True), leaves the stored
    value alone; both are used as they are for a row that is created. merge gives, per field,
    how a stated value and the stored one combine (SBR: never off, never later).
    never_update: rows that are only ever created. may_create: rows that may be created
    (False: the row is compared when it exists, and dropped when it does not).
    """
    planned = planned.reset_index(drop=True)
    if never_update is not None:  # every field of such a row counts as derived
        stays = never_update.to_numpy(dtype=bool)
        planned = planned.assign(
            **{
                derived_flag(f): stays
                | (
                    planned[derived_flag(f)].fillna(False).to_numpy(dtype=bool)
                    if derived_flag(f) in planned.columns
                    else False
                )
                for f in fields
            }
        )
    wanted = [*keys, "id", *fields]
    if existing.empty:  # a first import: everything is new, nothing to compare
        if may_create is not None:
            planned = planned[np.asarray(may_create, dtype=bool)].reset_index(drop=True)
        created = planned.assign(id=None, action=CREATED)
        return Diff(created, _no_changes())
    # The ledger keeps None, never NaN, as an old or new value. Only the keys and fields are
    # converted: the other columns are read as they come (as on a first import), and turning
    # every column of a million workflows into objects cost more than the comparison.
    compared = [c for c in dict.fromkeys([*keys, *fields]) if c in planned.columns]
    planned = planned.assign(**nulls_to_none(planned[compared]))
    old = nulls_to_none(existing[wanted]).drop_duplicates(list(keys))
    merged = _with_stored(planned, old, list(keys), list(fields))
    is_new = merged["id"].isna()
    if may_create is not None:
        kept = (~is_new.to_numpy(dtype=bool)) | np.asarray(may_create, dtype=bool)
        merged, is_new = merged[kept].reset_index(drop=True), is_new[kept].reset_index(drop=True)

    differs = pd.DataFrame(False, index=merged.index, columns=list(fields))
    if (~is_new).any():
        for field in fields:
            new, previous = merged[field], merged[f"{field}__old"]
            stated = new.notna()
            flag = derived_flag(field)
            if flag in merged.columns:
                stated &= ~merged[flag].fillna(False).astype(bool)
            new = new.where(stated | is_new, previous)
            if merge is not None and field in merge:
                new = new.where(is_new | ~stated, merge[field](new, previous))
            merged[field] = new
            differs[field] = ~same(new, previous) & ~is_new
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


def _with_stored(
    planned: pd.DataFrame, old: pd.DataFrame, keys: list[str], fields: list[str]
) -> pd.DataFrame:
    """planned with the stored row's 'id' and '<field>__old' columns (missing where nothing is
    stored), as a left merge would give them: only the keys are merged (with a row position),
    so the planned frame's other columns are not copied."""
    left = planned[keys].assign(__planned=np.arange(len(planned)))
    right = old[keys].assign(__stored=np.arange(len(old)))
    matched = left.merge(right, on=keys, how="left").sort_values("__planned", kind="stable")
    at = matched["__stored"].to_numpy()
    found = ~np.isnan(at) if at.dtype.kind == "f" else np.ones(len(at), dtype=bool)
    rows = at[found].astype(np.int64)
    columns = {"id": "id", **{f: f"{f}__old" for f in fields}}
    added = {}
    for source, target in columns.items():
        values = np.full(len(planned), np.nan, dtype=object)
        values[found] = old[source].to_numpy(dtype=object)[rows]
        added[target] = values
    return planned.assign(**added)


def _no_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=["position", "id", "field", "old_value", "new_value"])
