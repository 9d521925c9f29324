"""Writes an onboarding workbook: the empty template, or the error workbook with rows filled in.

One writer for both, so that the error workbook is always a valid template with the same
dropdowns, formats and instructions, and can be fixed and handed in again. XlsxWriter writes
it: it has what these two need and rustpy-xlsxwriter lacks (cell comments and fills on single
cells, dropdowns fed from the Lijsten sheet down to the last row, a header format per column,
a fixed document date so that the kept template stays the same file). Filled workbooks of
many rows (convert, export) are written by filled_workbook.py with rustpy-xlsxwriter. Every
string is written with write_string, so a value such as '=SUM(A1)' stays text and never
becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from kantoor_batch.catalogues import Catalogues, PeriodType
from kantoor_batch.errors import OutputNotWritableError
from kantoor_batch.export.files import written_whole
from kantoor_batch.export.instructions import write_instructions
from kantoor_batch.export.layout import LINE_HEIGHT, header_width, print_setup, row_height
from kantoor_batch.issues import Severity
from kantoor_batch.read.headers import column_letter
from kantoor_batch.spec import (
    LISTS_SHEET,
    MESSAGES_COLUMN,
    SHEETS,
    Column,
    Kind,
    Sheet,
)

# Fixed document date: the same input gives the same file (the template is kept in git).
DOCUMENT_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LAST_ROW = 1_048_575  # dropdowns reach to the bottom of the sheet (0-based row index)
YES_NO = ("Ja", "Nee")
RED = "#FFC7CE"
YELLOW = "#FFEB9C"
TEXT_FORMAT = "@"
DATE_FORMAT = "dd-mm-yyyy"
_TEXT_KINDS = {
    Kind.IDENTIFIER,
    Kind.NUMBER_TEXT,
    Kind.PERIOD,
    Kind.DAY_MONTH,
    Kind.TEXT,
    Kind.CHOICE,
    Kind.YES_NO,
}


@dataclass
class CellNote:
    severity: Severity
    messages: list[str]


@dataclass
class SheetRows:
    """The rows to write on one sheet, and what to say about their cells."""

    extra_headers: list[str] = field(default_factory=list)  # unknown columns, kept
    rows: list[list[object]] = field(default_factory=list)  # template columns, then extras
    notes: dict[tuple[int, int], CellNote] = field(default_factory=dict)  # (row i, col j)
    row_messages: list[str] = field(default_factory=list)  # the Meldingen column; "" for none


def write_onboarding_workbook(
    path: Path,
    catalogues: Catalogues,
    content: dict[str, SheetRows] | None = None,
    *,
    with_messages: bool = False,
) -> None:
    """The template (content None), a filled workbook, or an error workbook (with_messages)."""
    with written_whole(path) as temporary:
        _write(temporary, path, catalogues, content, with_messages=with_messages)


def _write(
    temporary: Path,
    path: Path,
    catalogues: Catalogues,
    content: dict[str, SheetRows] | None,
    *,
    with_messages: bool,
) -> None:
    workbook, formats, lists = _opened(temporary, path, catalogues)
    first_with_notes: Worksheet | None = None
    for sheet in SHEETS:
        rows = (content or {}).get(sheet.key, SheetRows())
        worksheet = workbook.add_worksheet(sheet.name)
        _write_sheet(worksheet, sheet, rows, formats, lists, with_messages=with_messages)
        if rows.notes and first_with_notes is None:
            first_with_notes = worksheet
    lists.write(workbook.add_worksheet(LISTS_SHEET), formats.header)
    if first_with_notes is not None:
        first_with_notes.activate()
    _close(workbook, path)


def _opened(
    temporary: Path, path: Path, catalogues: Catalogues
) -> tuple[xlsxwriter.Workbook, _Formats, _ListRanges]:
    """A new onboarding workbook with its Instructies sheet written first, its formats and the
    ranges of its closed lists."""
    workbook = _new_workbook(temporary, path)
    formats = _Formats(workbook)
    write_instructions(
        workbook.add_worksheet("Instructies"),
        formats.header,
        formats.wrap,
        catalogues,
        title=formats.title,
    )
    return workbook, formats, _ListRanges(catalogues)


def _new_workbook(temporary: Path, path: Path) -> xlsxwriter.Workbook:
    try:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
    except OSError as exc:  # pragma: no cover - XlsxWriter opens the file on close
        raise OutputNotWritableError(path, str(exc)) from exc
    workbook.set_properties(
        {"title": "Onboarding relaties", "author": "kantoor-batch", "created": DOCUMENT_DATE}
    )
    return workbook


def _close(workbook: xlsxwriter.Workbook, path: Path) -> None:
    try:
        workbook.close()
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        raise OutputNotWritableError(path, str(exc)) from exc


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[str | None, str | None, bool], Any] = {}
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.required_header = workbook.add_format(
            {"bold": True, "bg_color": "#9BC2E6", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.title = workbook.add_format({"bold": True, "font_size": 14, "valign": "top"})

    def cell(self, number_format: str | None, fill: str | None = None, wrap: bool = False) -> Any:
        key = (number_format, fill, wrap)
        if key not in self._cache:
            # Top-aligned, so that a row made tall by its Meldingen shows its data beside the
            # first line of the message, not at the bottom of the cell.
            spec: dict[str, object] = {"valign": "top"}
            if number_format:
                spec["num_format"] = number_format
            if fill:
                spec["bg_color"] = fill
            if wrap:
                spec["text_wrap"] = True
            self._cache[key] = self._workbook.add_format(spec)
        return self._cache[key]


def column_format(column: Column) -> str | None:
    if column.kind is Kind.DATE:
        return DATE_FORMAT
    if column.kind in _TEXT_KINDS:
        return TEXT_FORMAT
    return None  # pragma: no cover - every kind is listed above


# The closed lists of the catalogues, in the order of the Lijsten sheet's columns (Ja/Nee last).
LIST_NAMES = (
    "relation_kinds",
    "legal_forms",
    "contact_types",
    "products",
    "period_types",
    "roles",
    "integrations",
    "onboarding_workflows",
)


class _ListRanges:
    """The hidden Lijsten sheet: one column per closed list, feeding the dropdowns."""

    def __init__(self, catalogues: Catalogues) -> None:
        self.lists: dict[str, tuple[str, ...]] = {n: catalogues.choices(n) for n in LIST_NAMES}
        self.lists["yes_no"] = YES_NO
        self.positions = {name: i for i, name in enumerate(self.lists)}

    def source(self, name: str) -> str:
        letter = column_letter(self.positions[name])
        return f"={LISTS_SHEET}!${letter}$2:${letter}${len(self.lists[name]) + 1}"

    def write(self, worksheet: Worksheet, header: Any) -> None:
        for name in self.lists:
            col = self.positions[name]
            worksheet.write_string(0, col, name, header)
            worksheet.set_column(col, col, 26)
        for row in range(max(len(v) for v in self.lists.values())):
            for name, values in self.lists.items():
                if row < len(values):
                    worksheet.write_string(row + 1, self.positions[name], values[row])
        worksheet.hide()


def _dropdown(column: Column, lists: _ListRanges) -> dict[str, object] | None:
    if column.kind is Kind.YES_NO:
        return {"validate": "list", "source": lists.source("yes_no")}
    if column.kind is Kind.CHOICE and column.choices:
        return {
            "validate": "list",
            "source": lists.source(column.choices),
            "error_title": column.header,
            "error_message": f"Kies een waarde uit de lijst voor {column.header}.",
        }
    # Open lists: suggest what the workbook holds, but a name known only in the store is fine.
    sources = {"group": "Relatiegroepen", "employee": "Medewerkers"}
    if column.key in sources:
        return {
            "validate": "list",
            "source": f"={sources[column.key]}!$A$2:$A$5000",
            "error_type": "information",
            "error_title": column.header,
            "error_message": "Deze waarde staat niet op het blad; hij moet dan al bestaan.",
        }
    return None


def _write_sheet(
    worksheet: Worksheet,
    sheet: Sheet,
    rows: SheetRows,
    formats: _Formats,
    lists: _ListRanges,
    *,
    with_messages: bool,
) -> None:
    widths = fitted_widths(sheet, rows)
    _write_header(
        worksheet,
        sheet,
        rows.extra_headers,
        formats,
        lists,
        with_messages=with_messages,
        widths=widths,
    )
    _write_rows(worksheet, sheet, rows, formats, 1, with_messages=with_messages)


def _write_header(
    worksheet: Worksheet,
    sheet: Sheet,
    extra_headers: list[str],
    formats: _Formats,
    lists: _ListRanges,
    *,
    with_messages: bool,
    widths: list[float] | None = None,
) -> None:
    """The header row, as high as its headers wrapped at word boundaries need; columns as wide
    as widths (or the spec's); print set-up."""
    columns = sheet.columns
    widths = widths or [header_width(c.header + "*", c.width) for c in columns]
    headers: list[tuple[str, float]] = []
    for j, column in enumerate(columns):
        fmt = formats.cell(column_format(column))
        worksheet.set_column(j, j, widths[j], fmt, {"hidden": column.hidden})
        header = f"{column.header}*" if column.required else column.header
        headers.append((header, widths[j] - 1))
        worksheet.write_string(
            0, j, header, formats.required_header if column.required else formats.header
        )
        if (validation := _dropdown(column, lists)) is not None:
            worksheet.data_validation(1, j, LAST_ROW, j, validation)
    for offset, header in enumerate(extra_headers):
        j = len(columns) + offset
        worksheet.set_column(j, j, header_width(header, 16))
        worksheet.write_string(0, j, header, formats.header)
        headers.append((header, header_width(header, 16) - 1))
    message_col = len(columns) + len(extra_headers)
    if with_messages:
        worksheet.set_column(message_col, message_col, MESSAGES_WIDTH, formats.wrap)
        worksheet.write_string(0, message_col, MESSAGES_COLUMN, formats.header)
    worksheet.freeze_panes(1, 0)
    worksheet.set_row(0, max(2 * LINE_HEIGHT, row_height(headers)))
    print_setup(worksheet)


def _write_rows(
    worksheet: Worksheet,
    sheet: Sheet,
    rows: SheetRows,
    formats: _Formats,
    first_row: int,
    *,
    with_messages: bool,
) -> None:
    """rows from Excel row first_row (0-based) on. An empty cell without a note is not
    written: the column's format (set_column) already applies to it."""
    columns = sheet.columns
    message_col = len(columns) + len(rows.extra_headers)
    for i, values in enumerate(rows.rows):
        excel_row = first_row + i
        if with_messages and i < len(rows.row_messages) and rows.row_messages[i]:
            # Neither Excel nor LibreOffice grows a row for wrapped text on opening a file.
            worksheet.set_row(excel_row, row_height([(rows.row_messages[i], MESSAGES_WIDTH - 2)]))
        for j, value in enumerate(values):
            note = rows.notes.get((i, j))
            if value is None and note is None:
                continue
            number_format = column_format(columns[j]) if j < len(columns) else None
            fill = None if note is None else (RED if note.severity is Severity.ERROR else YELLOW)
            write_cell(worksheet, excel_row, j, value, formats.cell(number_format, fill))
            if note is not None:
                worksheet.write_comment(
                    excel_row,
                    j,
                    "\n".join(note.messages),
                    {"author": "kantoor-batch", "x_scale": 2.5, "y_scale": 2},
                )
        if with_messages and i < len(rows.row_messages) and rows.row_messages[i]:
            worksheet.write_string(excel_row, message_col, rows.row_messages[i], formats.wrap)


MESSAGES_WIDTH = 60
MAX_FITTED_WIDTH = 50.0


def fitted_widths(sheet: Sheet, rows: SheetRows) -> list[float]:
    """Per template column: wide enough for its header's longest word and for the longest
    value written (up to MAX_FITTED_WIDTH), never narrower than the spec's width, so that a
    long name is not clipped and an empty template keeps its widths."""
    widths = []
    for j, column in enumerate(sheet.columns):
        longest = max(
            (len(str(values[j])) + 2 for values in rows.rows if values[j] is not None),
            default=0,
        )
        fitted = max(float(column.width), min(MAX_FITTED_WIDTH, float(longest)))
        widths.append(header_width(column.header + "*", fitted))
    return widths


def write_cell(worksheet: Worksheet, row: int, col: int, value: object, fmt: Any) -> None:
    """One cell, typed, never as a formula."""
    if value is None:
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_string(row, col, "Ja" if value else "Nee", fmt)
    elif isinstance(value, dt.datetime | dt.date):
        value = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        worksheet.write_datetime(row, col, value, fmt)
    elif isinstance(value, int | float):
        worksheet.write_number(row, col, value, fmt)
    elif isinstance(value, PeriodType):
        worksheet.write_string(row, col, value.value, fmt)
    else:
        worksheet.write_string(row, col, str(value), fmt)


def write_filled_workbook(
    path: Path,
    records: dict[str, list[dict[str, object]]],
    catalogues: Catalogues | None = None,
) -> None:
    """A template filled with rows given as {sheet key: [{column key: value}]}; later export
    and re-import work writes clients back this way."""
    content = {}
    for sheet in SHEETS:
        rows = [[record.get(c.key) for c in sheet.columns] for record in records.get(sheet.key, [])]
        content[sheet.key] = SheetRows(rows=rows)
    write_onboarding_workbook(path, catalogues or Catalogues(), content)
