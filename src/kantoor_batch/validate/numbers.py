"""R2, R13: relation and contact numbers that Excel stored as numbers.

Excel turns a typed 000123 into the number 123. A numeric number that, with its leading zeros
put back, is exactly one number the file (as text) or the store knows, is that number, with a
warning; any other numeric number is kept as it is, with a warning that zeros may have been
lost. Never a silent second client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.clean.values import numeric_cells
from kantoor_batch.issues import Issue
from kantoor_batch.validate.consistency import cell_issues

# (sheet key, column key) of every number that names a relation or contact.
NUMBER_COLUMNS = (
    ("relations", "relation_number"),
    ("contacts", "relation_number"),
    ("contacts", "contact_number"),
    ("contacts", "belongs_to"),
    ("products", "relation_number"),
    ("roles", "relation_number"),
)


def numeric_numbers(sheets: Mapping[str, CleanSheet]) -> set[str]:
    """The numbers of the file that were number cells (what to look up in the store)."""
    found: set[str] = set()
    for key, column in NUMBER_COLUMNS:
        sheet = sheets[key]
        if column in sheet.raw.columns:
            numeric = numeric_cells(sheet.raw[column])
            found |= set(sheet.data.loc[numeric, column].dropna())
    return found


def restore_zeros(sheets: Mapping[str, CleanSheet], stored: Iterable[str] = ()) -> list[Issue]:
    """Put lost leading zeros back where exactly one known number matches (in place)."""
    texts: set[str] = set(stored)
    numeric: dict[tuple[str, str], pd.Series] = {}
    for key, column in NUMBER_COLUMNS:
        sheet = sheets[key]
        if column not in sheet.raw.columns:
            continue
        mask = numeric_cells(sheet.raw[column])
        values = sheet.data[column]
        texts |= set(values[~mask].dropna())
        if mask.any():
            numeric[(key, column)] = values[mask].dropna()
    if not numeric:
        return []
    by_stripped: dict[str, set[str]] = {}
    for text in texts:
        if text.isascii() and text.isdigit() and text.startswith("0"):
            by_stripped.setdefault(text.lstrip("0"), set()).add(text)
    issues: list[Issue] = []
    for (key, column), values in numeric.items():
        sheet = sheets[key]
        matches = values.map(lambda v: by_stripped.get(v, set()))
        restored = matches.map(len) == 1
        fixed = matches[restored].map(lambda m: next(iter(m)))
        sheet.data.loc[fixed.index, column] = fixed
        issues += cell_issues(
            "number-zeros-restored",
            sheet,
            column,
            fixed.index,
            {int(r): {"fixed": str(n)} for r, n in zip(fixed.index, fixed, strict=True)},
        )
        issues += cell_issues("number-stored-as-number", sheet, column, values.index[~restored])
    return issues
