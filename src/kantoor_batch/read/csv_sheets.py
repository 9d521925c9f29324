"""The template's sheets as CSV files: a folder with one file per sheet (as `export --format
csv` writes it: Relaties.csv, Contacten.csv, ...) or a single sheet's file, read into the same
RawWorkbook as a workbook, so validation and import need no conversion step (issue 11).

A file's sheet is its name (Dutch or English, as the workbook's sheet names match). Encoding
and delimiter are detected as for convert's exports; the header is the first line, so a row
number in a message is the file's line number. Everything in a CSV is text: identifiers keep
their leading zeros, and dates are read from dd-mm-jjjj or jjjj-mm-dd as typed in a workbook.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from kantoor_batch.convert.sources import ReadOptions, read_source
from kantoor_batch.errors import UnreadableWorkbookError
from kantoor_batch.frames import shared_texts
from kantoor_batch.issues import Issue
from kantoor_batch.read.headers import match_headers
from kantoor_batch.read.workbook import RawSheet, RawWorkbook, SheetHook, empty_sheet
from kantoor_batch.spec import IGNORED_SHEETS, SHEETS, Sheet, normalise_header

CSV_SUFFIX = ".csv"


def is_csv_input(path: Path) -> bool:
    """A folder, or a file ending in .csv: read as the template's sheets in CSV."""
    return path.is_dir() or path.suffix.casefold() == CSV_SUFFIX


def read_csv_sheets(path: Path, *, each_sheet: SheetHook | None = None) -> RawWorkbook:
    """Every onboarding sheet found as CSV at path; UnreadableWorkbookError when there is
    none or a file cannot be read."""
    issues: list[Issue] = []
    files = _sheet_files(path, issues)
    digest = hashlib.sha256()
    sheets: dict[str, RawSheet] = {}
    prepared: dict[str, object] = {}
    for spec in SHEETS:
        file = files.get(spec.key)
        if file is None:
            if spec.required:
                issues.append(Issue("missing-sheet", spec.name, None, None))
            sheet = empty_sheet(spec)
        else:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
            sheet = _read_one(file, spec, issues)
        sheets[spec.key] = sheet
        if each_sheet is not None:
            prepared[spec.key] = each_sheet(sheet)
    return RawWorkbook(path, digest.hexdigest(), sheets, issues, prepared)


def _sheet_files(path: Path, issues: list[Issue]) -> dict[str, Path]:
    lookup = {
        normalise_header(alias): spec.key for spec in SHEETS for alias in (spec.name, *spec.aliases)
    }
    candidates = (
        sorted(p for p in path.iterdir() if p.suffix.casefold() == CSV_SUFFIX)
        if path.is_dir()
        else [path]
    )
    found: dict[str, Path] = {}
    for file in candidates:
        folded = normalise_header(file.stem)
        if folded in IGNORED_SHEETS:
            continue  # convert's Conversie.csv
        key = lookup.get(folded)
        if key is None or key in found:
            issues.append(Issue("unknown-sheet", file.name, None, None))
            continue
        found[key] = file
    if not found:
        names = ", ".join(f"{s.name}.csv" for s in SHEETS)
        raise UnreadableWorkbookError(
            path,
            f"er is geen CSV-bestand met de naam van een blad van het sjabloon ({names}). "
            "Geef elk bestand de naam van zijn blad, of zet een export van een ander pakket om "
            "met kantoor-batch convert.",
        )
    return found


def _read_one(file: Path, spec: Sheet, issues: list[Issue]) -> RawSheet:
    source = read_source(file, ReadOptions(header_row=1))
    for note in source.notes:
        if note.warning:
            issues.append(
                Issue("csv-read-as", spec.name, None, None, params={"detail": note.text_nl})
            )
    headers = source.headers
    matched = match_headers(spec, spec.name, headers, issues)
    data = source.data
    known = data.iloc[:, list(matched.known.values())]
    known.columns = pd.Index(list(matched.known.keys()))
    extra = data.iloc[:, list(matched.extra.values())]
    extra.columns = pd.Index(list(matched.extra.keys()))
    known.index = extra.index = pd.Index(data.index, name="row", dtype="int64")
    return RawSheet(spec, spec.name, shared_texts(known), extra, frozenset(matched.known))
