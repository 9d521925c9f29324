"""validate_workbook: read, clean and check a whole onboarding workbook without a store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.clean.sheets import CleanSheet, clean_workbook, sheet_cleaner
from kantoor_batch.issues import Issue
from kantoor_batch.periods import AS_OF_RANGE, use_calendar
from kantoor_batch.read.workbook import RawWorkbook, read_workbook
from kantoor_batch.validate import consistency
from kantoor_batch.validate.columns import check_columns
from kantoor_batch.validate.numbers import restore_zeros
from kantoor_batch.validate.product_fit import check_product_fit
from kantoor_batch.validate.references import Known, check_client_warnings, check_references
from kantoor_batch.validate.report import ValidationReport, sort_issues
from kantoor_batch.validate.store_limits import check_limits, check_person_names


def validate_workbook(
    path: Path | str,
    *,
    catalogues: Catalogues | None = None,
    as_of: dt.date | None = None,
    known: Known | None = None,
) -> ValidationReport:
    """Every issue of the workbook at once. Raises UnreadableWorkbookError only when the file is not
    a workbook at all; everything wrong inside it is an Issue in the report."""
    catalogues = catalogues or Catalogues()
    raw = read_workbook(Path(path), each_sheet=sheet_cleaner(catalogues))
    return check_workbook(raw, catalogues=catalogues, as_of=as_of, known=known)


def check_workbook(
    raw: RawWorkbook,
    *,
    catalogues: Catalogues | None = None,
    as_of: dt.date | None = None,
    known: Known | None = None,
) -> ValidationReport:
    """validate_workbook on a workbook already read (the import times the two apart). Sheets
    that were cleaned while reading (read_workbook with sheet_cleaner) are not cleaned again.
    Periods follow the catalogue's four-week calendar; an as-of date outside AS_OF_RANGE is a
    ValueError (the CLI refuses it before)."""
    catalogues = catalogues or Catalogues()
    as_of = as_of or dt.date.today()
    first, last = AS_OF_RANGE
    if not first <= as_of <= last:
        msg = f"peildatum {as_of} ligt niet tussen {first} en {last}"
        raise ValueError(msg)
    with use_calendar(catalogues.calendar):
        return _check(raw, catalogues, as_of, known)


def _check(
    raw: RawWorkbook, catalogues: Catalogues, as_of: dt.date, known: Known | None
) -> ValidationReport:
    path = raw.path
    sheets, issues = clean_workbook(raw, catalogues)
    known = known or Known()
    issues = raw.issues + issues + restore_zeros(sheets, known.zero_padded)
    for sheet in sheets.values():
        issues += check_columns(sheet, catalogues)
    reported = _reported_cells(issues)
    for sheet in sheets.values():
        issues += check_limits(sheet, reported.get(sheet.title, {}))
    issues += check_person_names(sheets["contacts"])
    issues += _birth_dates_after(sheets["contacts"], as_of)
    issues += consistency.check_relations(sheets["relations"])
    issues += consistency.check_groups_and_employees(sheets["groups"], sheets["employees"])
    issues += consistency.check_contacts(sheets["contacts"])
    issues += consistency.check_products(sheets["products"], sheets["relations"], catalogues, as_of)
    issues += consistency.check_roles(sheets["roles"])
    issues += check_product_fit(
        sheets["products"], sheets["relations"], sheets["contacts"], catalogues
    )
    issues += check_references(sheets, known)
    issues += check_client_warnings(sheets)
    if sheets["relations"].found and sheets["relations"].data.empty:
        issues.append(Issue("empty-workbook", sheets["relations"].title, None, None))
    return ValidationReport(path, raw.sha256, as_of, sheets, sort_issues(issues, sheets))


def _reported_cells(issues: list[Issue]) -> dict[str, dict[str, set[int]]]:
    """The rows with an issue, by sheet title and column header."""
    cells: dict[str, dict[str, set[int]]] = {}
    for issue in issues:
        if issue.sheet and issue.column and issue.row is not None:
            cells.setdefault(issue.sheet, {}).setdefault(issue.column, set()).add(issue.row)
    return cells


def _birth_dates_after(contacts: CleanSheet, as_of: dt.date) -> list[Issue]:
    dates = contacts.data["birth_date"].dropna()
    future = dates.index[dates.map(lambda d: d > as_of).astype(bool)]
    return consistency.cell_issues(
        "birth-date-in-future",
        contacts,
        "birth_date",
        future,
        {int(r): {"as_of": as_of.strftime("%d-%m-%Y")} for r in future},
    )
