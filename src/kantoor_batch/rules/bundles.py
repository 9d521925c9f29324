"""R12: a client bundle (a relation of the Relaties sheet with its contacts, products, roles and
everything derived from them) is stored whole or not at all."""

from __future__ import annotations

from collections import defaultdict

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.validate.consistency import cell_issues

BUNDLE_SHEETS = ("relations", "contacts", "products", "roles")
STRUCTURAL = frozenset({"missing-sheet", "missing-column", "duplicate-column", "empty-workbook"})


def _sheet_keys(sheets: dict[str, CleanSheet]) -> dict[str, str]:
    keys = {}
    for key, sheet in sheets.items():
        keys[sheet.title] = key
        keys[sheet.spec.name] = key
    return keys


def dependency_issues(
    issues: list[Issue],
    sheets: dict[str, CleanSheet],
    stored_groups: set[str],
    stored_employees: set[str],
) -> list[Issue]:
    """Rows naming a group or employee whose own row has an error (and so is not created)."""
    keys = _sheet_keys(sheets)
    bad_rows: dict[str, set[int]] = defaultdict(set)
    for issue in issues:
        if issue.is_error and issue.row is not None:
            bad_rows[keys.get(issue.sheet or "", "")].add(issue.row)
    found: list[Issue] = []
    for owner, column, user, user_column, stored in (
        ("groups", "name", "relations", "group", stored_groups),
        ("employees", "code", "roles", "employee", stored_employees),
    ):
        rows = sheets[owner].data.loc[sorted(bad_rows[owner])] if bad_rows[owner] else None
        if rows is None:
            continue
        named = rows[column].dropna()
        broken = {str(v).casefold(): int(r) for r, v in zip(named.index, named, strict=True)}
        broken = {k: r for k, r in broken.items() if k not in stored}
        names = sheets[user].data[user_column].str.casefold()
        hit = names[names.isin(list(broken))]
        where = {
            int(r): {"where": f"{sheets[owner].title} rij {broken[n]}"}
            for r, n in zip(hit.index, hit, strict=True)
        }
        found += cell_issues("refers-to-bad-row", sheets[user], user_column, hit.index, where)
    return found


def bundle_of(issue: Issue, sheets: dict[str, CleanSheet]) -> str | None:
    key = _sheet_keys(sheets).get(issue.sheet or "")
    if key not in BUNDLE_SHEETS or issue.row is None or issue.row < 2:
        return None
    number = sheets[key].data["relation_number"].get(issue.row)
    return number if isinstance(number, str) else None


def failing_bundles(issues: list[Issue], sheets: dict[str, CleanSheet]) -> set[str]:
    return {b for i in issues if i.is_error and (b := bundle_of(i, sheets)) is not None}


def rows_not_stored(
    issues: list[Issue], sheets: dict[str, CleanSheet], bundles: set[str]
) -> dict[str, set[int]]:
    """Rows with an error that belong to no client bundle of the file (a Relaties row without
    a number, a contact of an unknown relation, a duplicate group): they are not stored, and
    the run must say so instead of reporting success. By sheet key, their Excel rows."""
    keys = _sheet_keys(sheets)
    found: dict[str, set[int]] = defaultdict(set)
    for issue in issues:
        if not issue.is_error or issue.row is None or issue.row < 2:
            continue
        key = keys.get(issue.sheet or "")
        if key is None:
            continue
        bundle = bundle_of(issue, sheets)
        if bundle is None or bundle not in bundles:
            found[key].add(issue.row)
    return dict(found)
