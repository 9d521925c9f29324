"""A filled onboarding workbook of many rows: what `convert` writes and what `export` writes.

Written with rustpy-xlsxwriter, about ten times faster than XlsxWriter for the millions of
cells of a large migration or export (docs/benchmarks.md), and kept as close to the template
(onboarding_writer, XlsxWriter) as that library allows: the same sheets in the same order,
headers (`*` on required columns), column widths, identifier and other text columns formatted
as Text on the whole column (so a number typed later keeps its leading zeros), date columns
formatted `dd-mm-yyyy` with date cells, hidden columns (the export stamp), frozen header rows,
the Instructies sheet (instructions_layout, shared with the template), the hidden Lijsten
sheet, every sheet printed A4 landscape one page wide with its header row repeated and page
numbers. Every string is a text cell, never a formula: rustpy-xlsxwriter writes strings so
(a value '=SUM(A1)' stays that text).

What rustpy-xlsxwriter 0.8 cannot do, and where this workbook therefore differs from the
template (docs/decisions.md, "Convert: one fast writer for filled workbooks"):
- A dropdown's list is written into the rule itself (an inline list), not read from a range
  of Lijsten, and a rule covers the rows given, not the whole column: each sheet is given
  empty rows up to row EMPTY_ROWS_UNTIL and at least EMPTY_ROWS_BELOW under its data (rows
  with no value are not written to the file, so they cost nothing and read back as nothing),
  and the dropdowns reach that far. A list longer than the 255 characters Excel allows inline
  becomes a check against its Lijsten column, without the arrow.
- Relatiegroep and Medewerker are checked against their sheets (an information message, as in
  the template) but offer no dropdown: a list rule can only hold fixed values.
- A header cell has the sheet's one header format, so required headers are marked by their
  `*` alone, not by a darker fill.
- No cell comments or per-cell fills: the error workbook, which needs both, stays on XlsxWriter.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
from rustpy_xlsxwriter import FastExcel, Format

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.errors import OutputNotWritableError
from kantoor_batch.export.files import written_whole
from kantoor_batch.export.instructions import HEADERS, WIDTHS, instructions_layout
from kantoor_batch.export.layout import FOOTER, LINE_HEIGHT, header_width, row_height
from kantoor_batch.export.onboarding_writer import (
    DATE_FORMAT,
    LIST_NAMES,
    MAX_FITTED_WIDTH,
    TEXT_FORMAT,
    YES_NO,
)
from kantoor_batch.read.headers import column_letter
from kantoor_batch.spec import LISTS_SHEET, SHEETS, Column, Kind, Sheet

PAGE_SETUP = {
    "landscape": True,
    "paper_size": 9,  # A4
    "fit_to_pages": (1, 0),
    "repeat_rows": 0,
    "footer": FOOTER,
}
INLINE_LIST_MAX = 255  # characters of an inline list, separators included (Excel's limit)
# How far the dropdowns reach: rows typed by hand under the data get them too. The template
# (XlsxWriter) reaches the sheet's last row; its open lists look at 5,000 rows.
EMPTY_ROWS_UNTIL = 5_000
EMPTY_ROWS_BELOW = 1_000
_OPEN_LISTS = {"group": "Relatiegroepen", "employee": "Medewerkers"}
ExtraSheet = tuple[str, list[str], list[list[object]]]


def _header_format() -> Format:
    return (
        Format()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border("thin")
        .set_text_wrap()
        .set_align("top")
    )


def _column_format(column: Column) -> Format:
    """Top-aligned like the template's cells; Text or a date format on the whole column."""
    number_format = DATE_FORMAT if column.kind is Kind.DATE else TEXT_FORMAT
    return Format().set_num_format(number_format).set_align("top")


def header_text(column: Column) -> str:
    return f"{column.header}*" if column.required else column.header


class _Lists:
    """The closed lists of the active catalogues: the hidden Lijsten sheet, and each list's
    dropdown rule."""

    def __init__(self, catalogues: Catalogues) -> None:
        self.lists: dict[str, tuple[str, ...]] = {n: catalogues.choices(n) for n in LIST_NAMES}
        self.lists["yes_no"] = YES_NO
        self.positions = {name: i for i, name in enumerate(self.lists)}

    def frame(self) -> pd.DataFrame:
        longest = max(len(values) for values in self.lists.values())
        return pd.DataFrame(
            {
                name: [*values, *[None] * (longest - len(values))]
                for name, values in self.lists.items()
            },
            dtype=object,
        )

    def rule(self, name: str, letter: str, title: str) -> dict[str, Any]:
        values = list(self.lists[name])
        message = {
            "error_title": title[:32],
            "error_message": f"Kies een waarde uit de lijst voor {title}.",
        }
        if len(",".join(values)) <= INLINE_LIST_MAX:
            return {"type": "list", "values": values, **message}
        source = column_letter(self.positions[name])
        last = len(values) + 1
        return {
            "type": "custom",
            "formula": f"COUNTIF({LISTS_SHEET}!${source}$2:${source}${last},{letter}2)>0",
            **message,
        }


def _validations(sheet: Sheet, lists: _Lists) -> dict[str, dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for j, column in enumerate(sheet.columns):
        letter = column_letter(j)
        header = header_text(column)
        if column.kind is Kind.YES_NO:
            rules[header] = lists.rule("yes_no", letter, column.header)
        elif column.kind is Kind.CHOICE and column.choices:
            rules[header] = lists.rule(column.choices, letter, column.header)
        elif column.key in _OPEN_LISTS:
            rules[header] = {
                "type": "custom",
                "formula": f"COUNTIF({_OPEN_LISTS[column.key]}!$A$2:$A$1048576,{letter}2)>0",
                "error_style": "information",
                "error_title": column.header,
                "error_message": "Deze waarde staat niet op het blad; hij moet dan al bestaan.",
            }
    return rules


def _spec_widths(sheet: Sheet) -> list[float]:
    return [0.0 if c.hidden else header_width(header_text(c), c.width) for c in sheet.columns]


def _fitted_widths(sheet: Sheet, frame: pd.DataFrame) -> list[float]:
    """As the template writer fits them: the longest value (up to MAX_FITTED_WIDTH), never
    narrower than the spec's width or the header's longest word; a hidden column stays 0."""
    widths = []
    for column in sheet.columns:
        if column.hidden:
            widths.append(0.0)
            continue
        values = frame[column.key].dropna()
        longest = float(values.astype(str).str.len().max() + 2) if len(values) else 0.0
        fitted = max(float(column.width), min(MAX_FITTED_WIDTH, longest))
        widths.append(header_width(header_text(column), fitted))
    return widths


class _Book:
    """One FastExcel workbook laid out as the template: Instructies, the data sheets, Lijsten,
    then any extra sheet."""

    def __init__(self, target: Path, catalogues: Catalogues) -> None:
        self.catalogues = catalogues
        self.lists = _Lists(catalogues)
        self.header = _header_format()
        self.book = FastExcel(str(target)).format(datetime_format=DATE_FORMAT)
        self._instructions()

    def _instructions(self) -> None:
        layout = instructions_layout(self.catalogues)
        wrap = Format().set_text_wrap().set_align("top")
        styles = {
            "title": Format().set_bold().set_font_size(14).set_align("top"),
            "header": self.header,
            "wrap": wrap,
        }
        table = [[None if v == "" else v for v in values] for values in layout.table]
        frame = pd.DataFrame(table, columns=list(HEADERS), dtype=object)
        self.book = self.book.sheet(
            "Instructies",
            frame,
            header_row=layout.top,
            # Out of constant-memory mode (a small sheet): there the merged rows above the
            # table are flushed before their heights are set, and lose them.
            dedupe_strings=True,
            header_format=self.header,
            merge_ranges=[
                (b.row, b.first, b.row, b.last, b.text, styles[b.style]) for b in layout.blocks
            ],
            row_heights=layout.heights,
            column_widths=[float(w) for w in WIDTHS],
            # A row format would win over these (rustpy-xlsxwriter 0.8), so a sheet's own row
            # is not bold here as it is in the template.
            column_formats=[Format().set_align("top"), wrap, wrap, wrap, wrap, wrap],
            page_setup={**PAGE_SETUP, "repeat_rows": layout.top},
        )

    def data_sheet(self, sheet: Sheet, data: Any, widths: list[float]) -> None:
        headers = [header_text(c) for c in sheet.columns]
        shown = [(h, w - 1) for h, w in zip(headers, widths, strict=True) if w]
        height = max(2 * LINE_HEIGHT, row_height(shown))
        self.book = self.book.freeze(row=1, sheet=sheet.name).sheet(
            sheet.name,
            data,
            header_format=self.header,
            column_widths=widths,
            column_formats=[_column_format(c) for c in sheet.columns],
            row_heights={0: height},
            data_validations=_validations(sheet, self.lists),
            # Digits kept as text on purpose: no green triangle on every KvK number in Excel.
            ignore_errors=[
                header_text(c)
                for c in sheet.columns
                if c.kind in (Kind.IDENTIFIER, Kind.NUMBER_TEXT)
            ],
            page_setup=PAGE_SETUP,
        )

    def extra_sheet(self, name: str, headers: list[str], rows: list[list[object]]) -> None:
        """A plain table (convert's Conversie); its last column wraps, and each row is as high
        as that text needs, since LibreOffice does not grow a row itself."""
        frame = pd.DataFrame(rows, columns=headers, dtype=object)
        widths = [24.0] * (len(headers) - 1) + [80.0]
        wrap = Format().set_text_wrap().set_align("top")
        heights = {}
        for i, values in enumerate(rows, start=1):
            height = row_height([(str(values[-1]), widths[-1] - 1)]) if values else LINE_HEIGHT
            if height > LINE_HEIGHT:
                heights[i] = height
        self.book = self.book.freeze(row=1, sheet=name).sheet(
            name,
            frame,
            header_format=self.header,
            row_heights=heights,
            column_widths=widths,
            column_formats=[Format().set_align("top")] * (len(headers) - 1) + [wrap],
            page_setup=PAGE_SETUP,
        )

    def lists_sheet(self) -> None:
        """The hidden Lijsten sheet, after the data sheets as in the template."""
        self.book = self.book.sheet(
            LISTS_SHEET,
            self.lists.frame(),
            header_format=self.header,
            column_width=26.0,
            sheet_view={"hidden": True},
        )

    def save(self) -> None:
        self.book.save()


def write_frames_workbook(
    path: Path,
    catalogues: Catalogues,
    frames: Mapping[str, pd.DataFrame],
    extra_sheets: Iterable[ExtraSheet] = (),
) -> dict[str, int]:
    """A filled workbook from whole sheets ({sheet key: frame with the sheet's column keys});
    columns as wide as their values. Returns the rows written per sheet."""
    counts = {}
    with written_whole(path) as temporary:
        try:
            book = _Book(temporary, catalogues)
            for sheet in SHEETS:
                frame = frames.get(sheet.key)
                if frame is None:
                    frame = pd.DataFrame(columns=[c.key for c in sheet.columns], dtype=object)
                frame = frame.reindex(columns=[c.key for c in sheet.columns])
                counts[sheet.key] = len(frame)
                widths = _fitted_widths(sheet, frame)
                frame = frame.reset_index(drop=True).reindex(range(_with_empty_rows(len(frame))))
                data = frame.set_axis([header_text(c) for c in sheet.columns], axis=1)
                book.data_sheet(sheet, data.astype(object).where(data.notna(), None), widths)
            _finish(book, extra_sheets)
        except (ValueError, RuntimeError) as exc:
            raise OutputNotWritableError(path, str(exc)) from exc
    return counts


def _finish(book: _Book, extra_sheets: Iterable[ExtraSheet]) -> None:
    """After the data sheets: the Lijsten sheet, any extra sheets (a conversion report), and
    the file itself."""
    book.lists_sheet()
    for name, headers, rows in extra_sheets:
        book.extra_sheet(name, headers, rows)
    book.save()


def write_streamed_workbook(
    path: Path,
    catalogues: Catalogues,
    chunks: Iterable[dict[str, list[list[object]]]],
    extra_sheets: Iterable[ExtraSheet] = (),
) -> dict[str, int]:
    """A filled workbook written chunk by chunk: each chunk gives rows (in the sheet's column
    order) for any of the sheets, appended below the rows given before. rustpy-xlsxwriter
    writes one sheet after the other, so the chunks are first spilled to a temporary file per
    sheet and read back one sheet at a time: memory stays that of one chunk however many rows
    there are. Columns have the spec's widths (the values are not all seen before the sheet
    starts). Returns the rows written per sheet."""
    counts = {sheet.key: 0 for sheet in SHEETS}
    with tempfile.TemporaryDirectory(prefix="kantoor-batch-") as spill_dir:
        spills: dict[str, BinaryIO] = {
            sheet.key: (Path(spill_dir) / f"{sheet.key}.pickle").open("w+b") for sheet in SHEETS
        }
        try:
            for chunk in chunks:
                for key, rows in chunk.items():
                    if rows:
                        pickle.dump(rows, spills[key], protocol=pickle.HIGHEST_PROTOCOL)
                        counts[key] += len(rows)
            with written_whole(path) as temporary:
                try:
                    book = _Book(temporary, catalogues)
                    for sheet in SHEETS:
                        spill = spills[sheet.key]
                        spill.seek(0)
                        data = _records(sheet, spill, counts[sheet.key])
                        book.data_sheet(sheet, data, _spec_widths(sheet))
                    _finish(book, extra_sheets)
                except (ValueError, RuntimeError) as exc:
                    raise OutputNotWritableError(path, str(exc)) from exc
        finally:
            for spill in spills.values():
                spill.close()
    return counts


def _with_empty_rows(rows: int) -> int:
    """The rows a sheet is given: its data, then empty rows for the dropdowns to reach."""
    return max(rows + EMPTY_ROWS_BELOW, EMPTY_ROWS_UNTIL)


def _records(sheet: Sheet, spill: BinaryIO, count: int) -> Iterator[dict[str, object]]:
    """The spilled rows of one sheet as {header: value}, chunk by chunk, then the empty rows
    (no value: not written, but covered by the dropdowns)."""
    headers = [header_text(c) for c in sheet.columns]
    width = len(headers)
    empty = dict.fromkeys(headers)
    if count:
        while True:
            try:
                rows = pickle.load(spill)  # noqa: S301 - our own file, written just above
            except EOFError:
                break
            for row in rows:
                values = row[:width] if len(row) >= width else [*row, *[None] * (width - len(row))]
                yield dict(zip(headers, values, strict=True))
    for _ in range(_with_empty_rows(count) - count):
        yield empty
