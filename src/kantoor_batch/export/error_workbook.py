"""The error workbook: the rows that need attention, as a valid onboarding workbook.

A client bundle (R12: a relation with its contacts, products and roles) is the unit: when one
row of it has a problem, all its rows go in, so that the workbook still holds whole clients and
can be fixed and imported on its own. All groups and employees come along, so that a fixed row
may refer to any of them.
Bad cells are red (error) or yellow (warning) with the message in a comment, and the last
column, Meldingen, lists every message of the row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.export.onboarding_writer import CellNote, SheetRows, write_onboarding_workbook
from kantoor_batch.issues import Issue, Severity
from kantoor_batch.messages import Lang
from kantoor_batch.rules.bundles import BUNDLE_SHEETS
from kantoor_batch.validate.report import ValidationReport

# Issues on the header row that make every row of the sheet unusable.
_SHEET_WIDE = frozenset({"missing-column", "duplicate-column"})


def error_workbook_path(input_path: Path) -> Path:
    return input_path.with_name(f"{input_path.stem}-fouten.xlsx")


def write_error_workbook(
    report: ValidationReport,
    path: Path,
    catalogues: Catalogues | None = None,
    *,
    include: Callable[[Issue], bool] = lambda issue: True,
    issues: list[Issue] | None = None,
    bundles: set[str] | None = None,
    lang: Lang = "nl",
) -> bool:
    """Write the workbook; False (and nothing written) when no row needs attention.

    issues: all issues (the report's, plus an import's checks against the store); bundles:
    relations whose rows go in whatever their issues (the bundles an import skipped).
    """
    chosen = [issue for issue in (issues or report.issues) if include(issue)]
    by_row: dict[tuple[str, int], list[Issue]] = defaultdict(list)
    whole_sheets: set[str] = set()
    for issue in chosen:
        key = report.sheet_key(issue.sheet)
        if key is None:
            continue
        if issue.code in _SHEET_WIDE:
            whole_sheets.add(key)
        elif issue.row is not None and issue.row > 1:
            by_row[(key, issue.row)].append(issue)
    if not by_row and not whole_sheets and not bundles:
        return False
    kept = _rows_to_keep(report.sheets, by_row, whole_sheets, bundles or set())
    here = RowsHere(
        {
            report.sheets[key].title: {int(r): i + 2 for i, r in enumerate(rows)}
            for key, rows in kept.items()
        }
    )
    by_row = {at: [here.in_issue(i) for i in issues] for at, issues in by_row.items()}
    bundle_errors = _first_error_per_bundle(report.sheets, by_row, here)
    for number in (bundles or set()) - set(bundle_errors):
        bundle_errors[number] = "elders in de werkmap; met --all-or-nothing wordt niets opgeslagen"
    content = {
        key: _sheet_rows(report.sheets[key], rows, by_row, bundle_errors, lang)
        for key, rows in kept.items()
    }
    write_onboarding_workbook(path, catalogues or Catalogues(), content, with_messages=True)
    return True


def _rows_to_keep(
    sheets: dict[str, CleanSheet],
    by_row: dict[tuple[str, int], list[Issue]],
    whole_sheets: set[str],
    forced: set[str],
) -> dict[str, pd.Index]:
    flagged: dict[str, set[int]] = defaultdict(set)
    for key, row in by_row:
        flagged[key].add(row)
    for key in whole_sheets:
        flagged[key].update(int(r) for r in sheets[key].rows)

    bundles: set[str] = set(forced)
    for key in BUNDLE_SHEETS:
        numbers = sheets[key].data["relation_number"]
        bundles.update(numbers.reindex(list(flagged[key])).dropna())
    kept: dict[str, pd.Index] = {}
    for key in BUNDLE_SHEETS:
        data = sheets[key].data
        mask = data["relation_number"].isin(bundles) | data.index.isin(list(flagged[key]))
        kept[key] = data.index[mask]

    # All groups and employees: short lists, and a fixed row may refer to any of them.
    kept["groups"] = sheets["groups"].data.index
    kept["employees"] = sheets["employees"].data.index
    return kept


class RowsHere:
    """Row numbers of the input as rows of the error workbook: a message there that says
    'rijen 6, 8' must point at rows the user sees in the file they fix (issue codes and
    params stay as they are; only the numbers shown change)."""

    _LIST = re.compile(r"^\s*\d+(?:\s*,\s*\d+)*")
    _SHEET_ROW = re.compile(r"\b(\w+) rij (\d+)")

    def __init__(self, rows: dict[str, dict[int, int]]) -> None:
        self.rows = rows  # sheet title -> input row -> error workbook row

    def row(self, sheet: str | None, row: int) -> str:
        found = self.rows.get(sheet or "", {}).get(row)
        return str(found) if found is not None else f"{row} (invoer)"

    def in_issue(self, issue: Issue) -> Issue:
        if not issue.params:
            return issue
        params = dict(issue.params)
        if "rows" in params:
            params["rows"] = self._LIST.sub(
                lambda m: ", ".join(self.row(issue.sheet, int(n)) for n in m.group(0).split(",")),
                params["rows"],
            )
        for key in ("where", "other"):
            if key in params:
                params[key] = self._SHEET_ROW.sub(
                    lambda m: f"{m.group(1)} rij {self.row(m.group(1), int(m.group(2)))}",
                    params[key],
                )
        return replace(issue, params=params)


def _first_error_per_bundle(
    sheets: dict[str, CleanSheet],
    by_row: dict[tuple[str, int], list[Issue]],
    here: RowsHere,
) -> dict[str, str]:
    first: dict[str, str] = {}
    for (key, row), issues in sorted(by_row.items(), key=lambda item: item[0][1]):
        if key not in BUNDLE_SHEETS or not any(i.is_error for i in issues):
            continue
        number = sheets[key].data.at[row, "relation_number"]
        if isinstance(number, str) and number not in first:
            title = sheets[key].title
            first[number] = f"{title} rij {here.row(title, row)}"
    return first


def _sheet_rows(
    sheet: CleanSheet,
    rows: pd.Index,
    by_row: dict[tuple[str, int], list[Issue]],
    bundle_errors: dict[str, str],
    lang: Lang,
) -> SheetRows:
    columns = sheet.spec.columns
    extra_headers = [str(h) for h in sheet.extra.columns]
    positions = {c.header: j for j, c in enumerate(columns)}
    positions.update({h: len(columns) + k for k, h in enumerate(extra_headers)})
    out = SheetRows(extra_headers=extra_headers)
    for i, row in enumerate(rows):
        issues = by_row.get((sheet.spec.key, int(row)), [])
        # An error cell shows what was typed; a cell a warning fixed shows the fixed value, and
        # one a warning left out of the store (R3) what was typed, for the user to correct.
        bad_columns = {issue.column for issue in issues if issue.column and issue.is_error}
        noted_columns = {issue.column for issue in issues if issue.column}
        values: list[object] = []
        for column in columns:
            value = _cell(sheet.data.at[row, column.key])
            typed = column.header in bad_columns or (
                value is None and column.header in noted_columns
            )
            if typed and column.key in sheet.raw.columns:
                value = _cell(sheet.raw.at[row, column.key])
            values.append(value)
        values += [_cell(sheet.extra.at[row, h]) for h in sheet.extra.columns]
        out.rows.append(values)
        for issue in issues:
            j = positions.get(issue.column or "")
            if j is None:
                continue
            note = out.notes.setdefault((i, j), CellNote(issue.severity, []))
            note.messages.append(issue.message(lang, mask=False))
            if issue.is_error:
                note.severity = Severity.ERROR
        out.row_messages.append(_row_message(sheet, row, issues, bundle_errors, lang))
    return out


def _row_message(
    sheet: CleanSheet,
    row: int,
    issues: list[Issue],
    bundle_errors: dict[str, str],
    lang: Lang,
) -> str:
    if issues:
        return "\n".join(
            f"{issue.column}: {issue.message(lang, mask=False)}"
            if issue.column
            else issue.message(lang, mask=False)
            for issue in issues
        )
    number = sheet.data.at[row, "relation_number"] if "relation_number" in sheet.data else None
    if isinstance(number, str) and number in bundle_errors:
        note = Issue(
            "bundle-skipped",
            sheet.title,
            int(row),
            None,
            params={"relation": number, "where": bundle_errors[number]},
        )
        return note.message(lang, mask=False)
    return ""


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value
