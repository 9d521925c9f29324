"""Runs the pandera schema of each sheet and turns its failure cases into issues."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pandera.pandas as pa

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.clean.contact_details import DEFAULT_COUNTRY
from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.validate.schemas import REQUIRED_CHECK, sheet_schema

_DERIVED_COLUMNS = {"postcode_nl": "postcode"}


def check_columns(sheet: CleanSheet, catalogues: Catalogues) -> list[Issue]:
    """The schema's failures as issues. A value whose check is only a warning (an e-mail
    address, a postcode: R3, severity by consequence) is left out: its cleaned value becomes
    missing, so that nothing invalid is stored, and later checks pass it by."""
    if sheet.data.empty:
        return []
    frame = sheet.data
    if sheet.spec.key == "relations":
        dutch = frame["country"].fillna(DEFAULT_COUNTRY) == DEFAULT_COUNTRY
        frame = frame.assign(postcode_nl=frame["postcode"].where(dutch, None))
    schema = sheet_schema(sheet.spec, catalogues, sheet.present)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        issues = _issues(sheet, exc.failure_cases, catalogues)
        _leave_out(sheet, [issue for issue in issues if not issue.is_error])
        return issues
    return []


def _leave_out(sheet: CleanSheet, warnings: list[Issue]) -> None:
    keys = {column.header: column.key for column in sheet.spec.columns}
    rows: dict[str, list[int]] = defaultdict(list)
    for issue in warnings:
        if issue.row is not None and issue.column in keys:
            rows[keys[issue.column]].append(issue.row)
    for key, left_out in rows.items():
        sheet.data.loc[left_out, key] = None
        sheet.failed.update((row, key) for row in left_out)


def _issues(sheet: CleanSheet, failures: pd.DataFrame, catalogues: Catalogues) -> list[Issue]:
    issues = []
    for failed_column, check, failed_row in zip(
        failures["column"], failures["check"], failures["index"], strict=True
    ):
        if failed_row is None or pd.isna(failed_row):
            continue
        key = _DERIVED_COLUMNS.get(failed_column, failed_column)
        row = int(failed_row)
        if (row, key) in sheet.failed:
            continue  # already reported by the cleaner
        column = sheet.spec.column(key)
        code = REQUIRED_CHECK if check == "not_nullable" else str(check)
        params = {}
        if code == "invalid-choice" and column.choices:
            params["choices"] = ", ".join(catalogues.choices(column.choices))
        value = sheet.raw.at[row, key] if key in sheet.raw.columns else None
        issues.append(Issue(code, sheet.title, row, column.header, value, params, column.personal))
    return issues
