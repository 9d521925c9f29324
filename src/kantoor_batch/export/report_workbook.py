"""The workbook of `kantoor-batch report -o FILE` (XlsxWriter): Overzicht, Portefeuille,
Deadlines, Gereedheid and IB-voortgang, with native Excel charts, for a screen and for paper.

Every sheet: landscape, fit to one page wide, its header row repeated on each printed page,
page numbers in the footer, the header row frozen; table sheets have an autofilter. Strings
are never formulas (strings_to_formulas False), so a client named '=SOM(...)' stays text.
The report holds no BSN or RSIN (report.py never reads them). Written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from kantoor_batch.errors import OutputNotWritableError
from kantoor_batch.export.files import written_whole
from kantoor_batch.report import Report
from kantoor_batch.store.database import describe

SHEETS = ("Overzicht", "Portefeuille", "Deadlines", "Gereedheid", "IB-voortgang")
DATE = "dd-mm-yyyy"
CHART_WIDTH = 520
CHART_HEIGHT = 240
ROW_HEIGHT = 20  # pixels of a default row, to keep charts beside their tables
MAX_WIDTH = 60
# Overzicht: the widths of its columns (the runs table's are the widest), charts to the right;
# two tables with their charts per printed page.
OVERVIEW_WIDTHS = (24, 16, 17, 28, 12, 12, 10)
# The Deadlines sheet lists at most this many workflows, the most overdue first: more is no
# list anyone reads or prints, and writing a million rows takes half a minute (docs/decisions.md).
DEADLINE_ROWS = 100_000
PAGE_ROWS = 40  # rows of 20 pixels on a landscape A4 page as LibreOffice prints it
COLOURS = ("#1F4E79", "#C55A11", "#548235", "#7F6000", "#7030A0")


class _Formats:
    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.heading = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.late = book.add_format({"font_color": "#C00000", "bold": True})
        self.note = book.add_format({"italic": True, "font_color": "#595959"})


def write_report_workbook(report: Report, path: Path) -> Path:
    """The report as a workbook at path."""
    with written_whole(path) as temporary:
        try:
            book = xlsxwriter.Workbook(
                str(temporary),
                {
                    # Rows go to disk as they are written (every sheet is written top down):
                    # a Deadlines sheet of a million rows without a million cells in memory.
                    "constant_memory": True,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                    "strings_to_numbers": False,
                    "default_date_format": DATE,
                },
            )
            book.set_properties(
                {"title": "Rapport kantoor-batch", "subject": describe(report.store)}
            )
            formats = _Formats(book)
            _overview(book, formats, report)
            _portfolio(book, formats, report)
            _deadlines(book, formats, report)
            _readiness(book, formats, report)
            _ib_progress(book, formats, report)
            book.close()
        except (
            OSError,
            ValueError,
            RuntimeError,
            xlsxwriter.exceptions.XlsxWriterException,
        ) as exc:
            raise OutputNotWritableError(path, str(exc)) from exc
    return path


def _print_setup(sheet: Worksheet, header_row: int, title: str, as_of: dt.date) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    sheet.set_header(f"&L&B{title}&RPeildatum {as_of:%d-%m-%Y}")
    sheet.set_footer("&CPagina &P van &N")


def _subtitle(report: Report) -> str:
    narrowed = []
    if report.employee:
        narrowed.append(f"medewerker {report.employee}")
    if report.group:
        narrowed.append(f"groep {report.group}")
    extra = f"; alleen {' en '.join(narrowed)}" if narrowed else ""
    return f"Peildatum {report.as_of:%d-%m-%Y}, database {describe(report.store)}{extra}"


def _widths(table: pd.DataFrame) -> list[int]:
    widths = []
    for column in table.columns:
        values = table[column].head(2000)
        longest = max([len(str(column)), *(len(_text(v)) for v in values)], default=8)
        widths.append(min(max(longest + 2, 8), MAX_WIDTH))
    return widths


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return "00-00-0000 00:00"
    if isinstance(value, dt.date):
        return "00-00-0000"
    return "" if _missing(value) else str(value)


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _write_table(
    sheet: Worksheet,
    formats: _Formats,
    row: int,
    col: int,
    table: pd.DataFrame,
    *,
    limit: int | None = None,
) -> int:
    """The table with its header at (row, col), a row at a time; returns the row after its
    last. Values are made plain Python first, a column at a time (missing -> None, a blank
    cell; dates as date cells in the workbook's date format)."""
    sheet.write_row(row, col, [str(c) for c in table.columns], formats.header)
    rows = table if limit is None else table.head(limit)
    columns = [_plain(rows[name]) for name in rows.columns]
    for offset, values in enumerate(zip(*columns, strict=True), start=1):
        sheet.write_row(row + offset, col, values)
    return row + len(rows) + 1


def _plain(column: pd.Series) -> list[object]:
    """A column as Python values for XlsxWriter: None for missing, int and float for numbers,
    'Ja'/'Nee' for booleans, dates and strings as they are."""
    values = column.astype(object).where(column.notna(), None).tolist()
    return [
        ("Ja" if v else "Nee")
        if isinstance(v, bool)
        else v.item()
        if hasattr(v, "item") and not isinstance(v, dt.date)
        else v
        for v in values
    ]


def _chart(
    book: Workbook,
    kind: str,
    sheet_name: str,
    title: str,
    categories: tuple[int, int, int],
    series: Sequence[tuple[str, int, int]],
    *,
    subtype: str | None = None,
) -> Any:
    """A chart of rows first..last: categories (first, last, column), series (name, column,
    header row)."""
    options: dict[str, str] = {"type": kind}
    if subtype:
        options["subtype"] = subtype
    chart = book.add_chart(options)
    first, last, cat_col = categories
    for n, (name, col, _header) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        line = {"color": colour, "width": 2.25}
        chart.add_series(
            {
                "name": name,
                "categories": [sheet_name, first, cat_col, last, cat_col],
                "values": [sheet_name, first, col, last, col],
                **(
                    {"line": line, "marker": {"type": "circle", "size": 5}}
                    if kind == "line"
                    else {"fill": {"color": colour}, "gap": 60}
                ),
            }
        )
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "bottom"} if len(series) > 1 else {"none": True})
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    return chart


def _overview(book: Workbook, formats: _Formats, report: Report) -> None:
    name = "Overzicht"
    sheet = book.add_worksheet(name)
    sheet.write(0, 0, "Overzicht van de portefeuille", formats.title)
    sheet.write(1, 0, _subtitle(report), formats.note)
    sheet.freeze_panes(2, 0)
    _print_setup(sheet, 0, name, report.as_of)
    for col, width in enumerate(OVERVIEW_WIDTHS):
        sheet.set_column(col, col, width)
    blocks = [
        ("Relaties per soort", report.clients_by_kind, "column"),
        ("Relaties per rechtsvorm", report.clients_by_legal_form, "column"),
        ("Relaties per relatiegroep", report.clients_by_group, "column"),
        ("Producten per tijdvak", _products_wide(report.products_by_period_type), "column"),
        ("Open workflows per maand van de uiterste datum", report.workflows_by_month, "column"),
    ]
    row = 3
    page_start = 0
    breaks = []
    chart_rows = CHART_HEIGHT // ROW_HEIGHT + 1
    for title, table, kind in blocks:
        # A chart beside a table of at most three columns, below a wider one.
        beside = len(table.columns) <= 3
        rows = 2 + max(len(table), 1) + (0 if beside else chart_rows)
        height = max(rows, chart_rows + 1) if beside else rows
        if row - page_start + height > PAGE_ROWS:
            breaks.append(row)
            page_start = row
        sheet.write(row, 0, title, formats.heading)
        header = row + 1
        end = _write_table(sheet, formats, header, 0, table)
        if not len(table):
            sheet.write(end, 0, "(geen)", formats.note)
            row = max(end + 1, header + chart_rows) + 1
            continue
        values = [(str(c), n, header) for n, c in enumerate(table.columns) if n > 0]
        chart = _chart(
            book,
            kind,
            name,
            title,
            (header + 1, end - 1, 0),
            values,
            subtype="stacked" if len(values) > 1 else None,
        )
        if beside:
            sheet.insert_chart(header, len(table.columns) + 1, chart, {"x_offset": 10})
            row = max(end, header + chart_rows) + 1
        else:
            sheet.insert_chart(end + 1, 0, chart)
            row = end + 1 + chart_rows + 1
    if row - page_start + len(report.latest_runs) + 2 > PAGE_ROWS:
        breaks.append(row)
    sheet.set_h_pagebreaks(breaks)
    sheet.write(
        row, 0, f"De laatste runs uit het logboek ({len(report.latest_runs)})", formats.heading
    )
    runs = report.latest_runs.copy()
    runs["Gestart"] = [f"{t:%d-%m-%Y %H:%M}" if t is not None else None for t in runs["Gestart"]]
    _write_table(sheet, formats, row + 1, 0, runs)


def _products_wide(products: pd.DataFrame) -> pd.DataFrame:
    """Products down, tijdvakken across: a stacked column per product."""
    if products.empty:
        return pd.DataFrame(columns=["Product"])
    wide = products.pivot_table(
        index="Product", columns="Tijdvak", values="Relaties", aggfunc="sum", fill_value=0
    )
    wide = wide.reset_index()
    wide.columns = pd.Index([str(c) for c in wide.columns])
    return wide


def _portfolio(book: Workbook, formats: _Formats, report: Report) -> None:
    name = "Portefeuille"
    table = report.portfolio
    sheet = book.add_worksheet(name)
    sheet.write(0, 0, "Portefeuille per medewerker en rol", formats.title)
    sheet.write(1, 0, _subtitle(report), formats.note)
    header = 3
    end = _write_table(sheet, formats, header, 0, table)
    _table_sheet(sheet, table, header, end, name, report.as_of)
    if table.empty:
        return
    # Workload: per employee their clients' open workflows, a bar per employee stacked by
    # role (a client's workflow counts once for each role the employee holds there).
    load = table.pivot_table(
        index=["Medewerker", "Naam"],
        columns="Rol",
        values="Open workflows",
        aggfunc="sum",
        fill_value=0,
        sort=True,
    )
    roles = [r for r in table["Rol"].drop_duplicates() if r in load.columns]
    load = load[roles].reset_index()
    load.insert(0, "Werklast", load["Medewerker"] + " " + load["Naam"])
    load = load.drop(columns=["Medewerker", "Naam"])
    load.columns = pd.Index([str(c) for c in load.columns])
    top = end + 2
    sheet.write(top, 0, "Open workflows per medewerker en rol", formats.heading)
    last = _write_table(sheet, formats, top + 1, 0, load)
    chart = _chart(
        book,
        "bar",
        name,
        "Werklast: open workflows per medewerker",
        (top + 2, last - 1, 0),
        [(role, n, top + 1) for n, role in enumerate(load.columns) if n > 0],
        subtype="stacked",
    )
    chart.set_size({"width": 640, "height": max(CHART_HEIGHT, 80 + 36 * len(load))})
    sheet.insert_chart(header, len(table.columns) + 1, chart, {"x_offset": 10})
    sheet.set_column(0, 0, max(_widths(table)[0], _widths(load)[0]))


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _table_sheet(
    sheet: Worksheet, table: pd.DataFrame, header: int, end: int, name: str, as_of: dt.date
) -> None:
    """Freeze and filter the header row of a table sheet, widths, print set-up."""
    sheet.freeze_panes(header + 1, 0)
    columns = max(len(table.columns), 1)
    sheet.autofilter(header, 0, max(end - 1, header), columns - 1)
    for n, width in enumerate(_widths(table)):
        sheet.set_column(n, n, width)
    _print_setup(sheet, header, name, as_of)


def _deadlines(book: Workbook, formats: _Formats, report: Report) -> None:
    name = "Deadlines"
    table = report.deadlines
    sheet = book.add_worksheet(name)
    late = int((table["Dagen te laat"].fillna(0) > 0).sum()) if len(table) else 0
    sheet.write(0, 0, "Open workflows met uiterste datum, verlopen eerst", formats.title)
    sheet.write(
        1,
        0,
        f"{_subtitle(report)}. {len(table)} open, waarvan {late} verlopen.",
        formats.note,
    )
    header = 3
    limit = DEADLINE_ROWS
    if len(table) > limit:
        sheet.write(
            2,
            0,
            f"Hier de eerste {_thousands(limit)} van {_thousands(len(table))} (de meest "
            "verlopen); alle met --json, of kies er minder met --medewerker of --groep.",
            formats.late,
        )
    end = _write_table(sheet, formats, header, 0, table, limit=limit)
    sheet.conditional_format(
        header + 1,
        5,
        max(end - 1, header + 1),
        5,
        {"type": "cell", "criteria": ">", "value": 0, "format": formats.late},
    )
    _table_sheet(sheet, table, header, end, name, report.as_of)
    sheet.set_column(4, 5, 14)


def _readiness(book: Workbook, formats: _Formats, report: Report) -> None:
    name = "Gereedheid"
    table = report.readiness.drop(columns=["Code"])
    sheet = book.add_worksheet(name)
    sheet.write(0, 0, "Gereed om aangifte te doen? Wat nog ontbreekt, per relatie", formats.title)
    counts = report.readiness["Bevinding"].value_counts()
    summary = "; ".join(f"{what}: {n}" for what, n in counts.items()) or "geen bevindingen"
    sheet.write(1, 0, f"{_subtitle(report)}. {summary}.", formats.note)
    header = 3
    end = _write_table(sheet, formats, header, 0, table)
    _table_sheet(sheet, table, header, end, name, report.as_of)
    sheet.set_column(3, 3, 40)
    sheet.set_column(4, 4, 70)


def _ib_progress(book: Workbook, formats: _Formats, report: Report) -> None:
    name = "IB-voortgang"
    table = report.ib_progress
    sheet = book.add_worksheet(name)
    sheet.write(
        0, 0, f"Aangiften IB {report.ib_year}: voortgang tegen de uitstelregeling", formats.title
    )
    sheet.write(
        1,
        0,
        f"{_subtitle(report)}. {report.ib_total} workflows Aangifte IB {report.ib_year}; "
        "gereed = status 'gereed' (kantoor-batch workflows done).",
        formats.note,
    )
    header = 3
    end = _write_table(sheet, formats, header, 0, table)
    _table_sheet(sheet, table, header, end, name, report.as_of)
    sheet.set_column(0, 3, 18)
    if table.empty:
        return
    chart = _chart(
        book,
        "line",
        name,
        f"Aangiften IB {report.ib_year}: aandeel gereed tegen het doel (%)",
        (header + 1, end - 1, 0),
        [("Aandeel gereed (%)", 2, header), ("Doel (%)", 3, header)],
    )
    chart.set_y_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
    chart.show_blanks_as("gap")
    chart.set_size({"width": 640, "height": 320})
    sheet.insert_chart(header, 5, chart, {"x_offset": 10})
