"""Cleaning of whole sheets: every column through the cleaner of its kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.clean.contact_details import normalise_countries, normalise_phones
from kantoor_batch.clean.values import (
    CLEANERS,
    Cleaned,
    clean_choice,
    missing_column,
    unusable_cells,
)
from kantoor_batch.issues import Issue
from kantoor_batch.read.workbook import RawSheet, RawWorkbook
from kantoor_batch.spec import Kind, Sheet


@dataclass
class CleanSheet:
    """A sheet with typed values under every template column, Excel rows as the index."""

    spec: Sheet
    title: str
    data: pd.DataFrame  # every column of the template by key; absent columns are all missing
    raw: pd.DataFrame  # the cells as read, for the error workbook
    extra: pd.DataFrame  # unknown columns, kept
    present: frozenset[str]
    found: bool
    # Cells that could not be read; later checks skip them so a cell is reported once.
    failed: set[tuple[int, str]] = field(default_factory=set)

    @property
    def rows(self) -> pd.Index:
        return self.data.index


@dataclass
class SheetCleaning:
    """One sheet cleaned, with what was found on the way."""

    sheet: CleanSheet
    issues: list[Issue]


def sheet_cleaner(catalogues: Catalogues) -> Callable[[RawSheet], SheetCleaning]:
    """The cleaning of one sheet, for read_workbook(each_sheet=...): each sheet is cleaned as
    soon as it is read, while the next one is still being parsed."""

    def clean(sheet: RawSheet) -> SheetCleaning:
        issues: list[Issue] = []
        return SheetCleaning(_clean_sheet(sheet, catalogues, issues), issues)

    return clean


def clean_workbook(
    raw: RawWorkbook, catalogues: Catalogues
) -> tuple[dict[str, CleanSheet], list[Issue]]:
    """Every sheet cleaned; sheets that read_workbook cleaned already (sheet_cleaner) are taken
    as they are."""
    issues: list[Issue] = []
    sheets: dict[str, CleanSheet] = {}
    clean = sheet_cleaner(catalogues)
    for key, sheet in raw.sheets.items():
        done = raw.prepared.get(key)
        cleaning = done if isinstance(done, SheetCleaning) else clean(sheet)
        sheets[key] = cleaning.sheet
        issues += cleaning.issues
    return sheets, issues


def _clean_sheet(sheet: RawSheet, catalogues: Catalogues, issues: list[Issue]) -> CleanSheet:
    index = sheet.data.index
    data = pd.DataFrame(index=index)
    failed: set[tuple[int, str]] = set()
    for column in sheet.spec.columns:
        if column.key not in sheet.data.columns:
            data[column.key] = missing_column(index)
            continue
        unusable = unusable_cells(sheet.data[column.key], column, sheet.title)
        issues.extend(unusable.issues)
        failed.update((int(row), column.key) for row in unusable.failed)
        cells = unusable.values
        if column.kind is Kind.CHOICE and column.choices:
            cleaned = Cleaned(clean_choice(cells, catalogues.choices(column.choices)))
        else:
            cleaned = CLEANERS[column.kind](cells, column, sheet.title)
        data[column.key] = cleaned.values
        issues.extend(cleaned.issues)
        failed.update((int(row), column.key) for row in cleaned.failed)

    if "country" in data.columns:
        data["country"] = normalise_countries(data["country"])
    if "phone" in data.columns:
        no_country = missing_column(index)
        regions = data["country"] if "country" in data.columns else no_country
        written = data["phone"]
        normalised = normalise_phones(written, regions)
        bad = written.notna() & normalised.isna()
        column = sheet.spec.column("phone")
        for row in written.index[bad]:
            issues.append(
                Issue(
                    "invalid-phone",
                    sheet.title,
                    int(row),
                    column.header,
                    sheet.data.at[row, "phone"],
                )
            )
            failed.add((int(row), "phone"))
        data["phone"] = normalised
    return CleanSheet(
        sheet.spec, sheet.title, data, sheet.data, sheet.extra, sheet.present, sheet.found, failed
    )
