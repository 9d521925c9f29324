"""What the store would refuse, checked with the data (issue 9): text longer than its store
column (spec.Column.max_length, which a test holds equal to store/schema.py) and control
characters (PostgreSQL refuses NUL; the others are never meant and break what reads them).
Each is an error on its cell, so that the bundle is skipped with a message before the
transaction, on SQLite as on PostgreSQL, instead of the driver failing the whole run.

Both checks look at a whole column at once and only look further where it has a problem: one
pass over the joined text for control characters, the longest value for the lengths.
"""

from __future__ import annotations

import re

import pandas as pd

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.spec import RELATIONS, Kind
from kantoor_batch.validate.consistency import cell_issues
from kantoor_batch.validate.references import creates_relation

# C0 controls and DEL, except tab, line feed and carriage return (Alt+Enter in a cell).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_TEXT = frozenset({Kind.YES_NO, Kind.DATE})
PERSON_NAME_LIMIT = RELATIONS.column("name").max_length or 255


def check_limits(sheet: CleanSheet, reported: dict[str, set[int]]) -> list[Issue]:
    """value-too-long and invalid-character for every stored text cell of the sheet that has
    no issue yet (reported: the rows with one, by column header). The cells found are marked
    failed, so that later checks pass them by."""
    issues: list[Issue] = []
    for column in sheet.spec.columns:
        if column.kind in _NOT_TEXT:
            continue
        texts = sheet.data[column.key].dropna()
        if rows := reported.get(column.header):
            texts = texts[~texts.index.isin(list(rows))]
        if texts.empty:
            continue
        found = _control_characters(texts)
        params = {
            row: {"character": f"U+{ord(char):04X}", "position": str(at + 1)}
            for row, (at, char) in found.items()
        }
        issues += cell_issues("invalid-character", sheet, column.key, pd.Index(found), params)
        too_long = _longer_than(texts.drop(list(found)), column.max_length)
        params = {
            row: {"length": str(length), "limit": str(column.max_length)}
            for row, length in zip(too_long.index.tolist(), too_long.tolist(), strict=True)
        }
        issues += cell_issues("value-too-long", sheet, column.key, too_long.index, params)
        sheet.failed.update((row, column.key) for row in [*found, *too_long.index.tolist()])
    return issues


def _control_characters(texts: pd.Series) -> dict[int, tuple[int, str]]:
    """{row: (index, character)} of the first control character of each value that has one."""
    if not CONTROL_CHARACTERS.search("\n".join(texts)):
        return {}
    found = {}
    for row, text in zip(texts.index.tolist(), texts.tolist(), strict=True):
        if match := CONTROL_CHARACTERS.search(text):
            found[int(row)] = (match.start(), match.group())
    return found


def _longer_than(texts: pd.Series, limit: int | None) -> pd.Series:
    """The lengths of the values longer than limit (if any), by row."""
    if limit is None or texts.empty or max(map(len, texts)) <= limit:
        return pd.Series([], dtype="int64")
    lengths = texts.str.len()
    return lengths[lengths > limit]


def check_person_names(contacts: CleanSheet) -> list[Issue]:
    """R5: a person relation made from a contact is named 'first name (else initials), infix,
    last name'; each part may fit its column while the whole does not fit the relation's.
    Contacts with a part reported already (too long itself) are passed by."""
    data = contacts.data
    if data.empty:
        return []
    given = data["first_name"].where(data["first_name"].notna(), data["initials"])
    length = pd.Series(0, index=data.index)
    for part in (given, data["infix"], data["last_name"]):
        length += part.str.len().fillna(-1).astype("int64") + 1
    length -= 1  # one space fewer than parts
    long = creates_relation(data) & (length > PERSON_NAME_LIMIT)
    parts = {"first_name", "initials", "infix", "last_name"}
    done = {row for row, key in contacts.failed if key in parts}
    rows = pd.Index([row for row in data.index[long] if int(row) not in done])
    params = {int(r): {"length": str(length[r]), "limit": str(PERSON_NAME_LIMIT)} for r in rows}
    return cell_issues("person-name-too-long", contacts, "last_name", rows, params)
