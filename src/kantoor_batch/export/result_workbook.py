"""The result workbook <name>-resultaat.xlsx: a summary, one sheet per kind of thing with the
action taken, and the messages.

Written with rustpy-xlsxwriter: these are plain tables that can run to millions of rows
(workflows of 100,000 clients), and it writes them about eight times faster than XlsxWriter
(docs/decisions.md). Strings are always written as text, never as formulas; dates are date
cells. A sheet longer than Excel allows continues on a sheet named '... (2)'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rustpy_xlsxwriter import FastExcel, Format

from kantoor_batch.errors import OutputNotWritableError
from kantoor_batch.export.files import written_whole
from kantoor_batch.export.layout import LINE_HEIGHT, text_lines
from kantoor_batch.export.terminal import SPLIT_WORDS, store_shown
from kantoor_batch.masking import printable
from kantoor_batch.messages import Lang
from kantoor_batch.result import (
    ACTIONS,
    TABLE_NAMES,
    ImportResult,
    client_counts,
    relation_split,
)

EXCEL_MAX_DATA_ROWS = 1_048_575
# On paper: landscape, every column on one page width, the header row on every page, page
# numbers in the footer.
PAGE_SETUP = {
    "landscape": True,
    "fit_to_pages": (1, 0),
    "repeat_rows": 0,
    "footer": "&L&A&RPagina &P van &N",
}
DATE_FORMAT = "dd-mm-yyyy"


def result_workbook_path(
    input_path: Path, folder: Path | None = None, *, dry_run: bool = False
) -> Path:
    """<name>-resultaat.xlsx; a dry run's is <name>-proefdraai.xlsx, so that it never takes
    the place of the result of a real run."""
    suffix = "proefdraai" if dry_run else "resultaat"
    return (folder or input_path.parent) / f"{input_path.stem}-{suffix}.xlsx"


EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - a serial date has no zone
# Columns of the Samenvatting: labels, then the actions of the counts table (one per action).
SUMMARY_COLUMNS = ["Samenvatting", *(" " * n for n in range(1, len(ACTIONS) + 1))]
# Labels, then a count column per action; a long value of the block (the SHA-256, a path, a name)
# runs on over the empty count columns beside it, which hold 64 characters together.
SUMMARY_WIDTHS = [26.0, *[17.0] * len(ACTIONS)]


def excel_serial(value: dt.date | dt.datetime) -> float:
    """A date as Excel's serial number. The Samenvatting writes its dates so, with a date
    format on the row: a Python date in a column makes rustpy-xlsxwriter give the whole column
    a date format, which would turn the counts below it into 1900 dates."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    return (moment.replace(tzinfo=None) - EXCEL_EPOCH) / dt.timedelta(days=1)


@dataclass
class Summary:
    """The Samenvatting sheet: a summary block (label, value), the counts table and the
    skipped clients, with the rows that need a format of their own."""

    table: pd.DataFrame
    row_formats: dict[int, Format] = field(default_factory=dict)


def summary_sheet(result: ImportResult) -> Summary:
    """A summary block of the run, a counts table per kind and action (Relaties split into the
    clients of the sheet and the persons derived from contacts), and the skipped clients by
    number and name: the same counts the terminal shows."""
    rows: list[list[object]] = []
    formats: dict[int, Format] = {}

    def add(*values: object, fmt: Format | None = None) -> None:
        rows.append([*values, *[None] * (len(SUMMARY_COLUMNS) - len(values))])
        if fmt is not None:
            formats[len(rows)] = fmt  # the sheet's row: after the title row

    def value(label: str, value: object, number_format: str | None = None) -> None:
        """A row of the summary block: the value left-aligned under the others, whatever its
        type, so the block reads as one list."""
        fmt = Format().set_align("left")
        add(label, value, fmt=fmt.set_num_format(number_format) if number_format else fmt)

    clients = client_counts(result)
    skipped = sorted(result.skipped_bundles)
    value("Bestand", printable(result.path.name))
    value("SHA-256", result.sha256)
    value("Peildatum", excel_serial(result.as_of), DATE_FORMAT)
    value("Gestart", excel_serial(result.started_at.astimezone()), f"{DATE_FORMAT} hh:mm:ss")
    value("Duur (seconden)", round(result.seconds, 1), "0.0")
    value("Database", store_shown(result.store) if result.store else "")
    value("Proefdraai", "Ja (niets opgeslagen)" if result.dry_run else "Nee")
    value("Uitkomst", outcome_words(result))
    value("Klanten", clients["klanten"])
    value("Overgeslagen klanten", len(skipped))
    value("Fouten", result.errors)
    value("Waarschuwingen", result.warnings)
    value("Gewijzigde waarden", result.changed_values)
    value("Conflicten sinds export", result.conflicts)
    value(
        "Rijen niet opgeslagen",
        ", ".join(f"{sheet} rij {row}" for sheet, row in result.rows_not_stored),
    )
    add()
    add("Aantallen per soort en actie", fmt=Format().set_bold())
    add("", *ACTIONS, fmt=Format().set_bold().set_align("right"))
    split = relation_split(result)
    for kind, counts in result.counts().items():
        add(kind, *(counts[a] for a in ACTIONS))
        if kind == "Relaties":
            for name, words in SPLIT_WORDS.items():
                add(f"  {words['nl']}", *(split[name][a] for a in ACTIONS))
    if skipped:
        relations = result.tables["relations"]
        own = (relations["Afgeleid van contact"].fillna("").astype(str) == "").to_numpy()
        names = dict(
            zip(relations.loc[own, "Relatienummer"], relations.loc[own, "Naam"], strict=True)
        )
        add()
        add("Overgeslagen klanten, per relatienummer", fmt=Format().set_bold())
        add("Relatienummer", "Naam", fmt=Format().set_bold())
        for number in skipped:
            add(number, names.get(number) or "")
    return Summary(pd.DataFrame(rows, columns=SUMMARY_COLUMNS, dtype=object), formats)


def outcome_words(result: ImportResult) -> str:
    """What happened, in the words of the Samenvatting; a dry run says it stored nothing."""
    if result.dry_run:
        would = {
            "completed": "alles zou worden geïmporteerd",
            "partial": "een deel zou worden geïmporteerd",
            "rejected": "er zou niets worden geïmporteerd",
        }[result.outcome]
        return f"proefdraai, niets opgeslagen ({would})"
    return {
        "completed": "alles geïmporteerd",
        "partial": "deels geïmporteerd",
        "rejected": "niets geïmporteerd",
    }[result.outcome]


def messages_table(result: ImportResult, lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Blad": [i.sheet or "" for i in result.issues],
            "Rij": [i.row for i in result.issues],
            "Kolom": [i.column or "" for i in result.issues],
            "Code": [i.code for i in result.issues],
            "Ernst": ["fout" if i.is_error else "waarschuwing" for i in result.issues],
            "Melding": [i.message(lang, mask=True) for i in result.issues],
        }
    )


def write_result_workbook(result: ImportResult, path: Path, lang: Lang = "nl") -> Path:
    summary = summary_sheet(result)
    sheets: list[tuple[str, pd.DataFrame]] = []
    for key, title in TABLE_NAMES.items():
        table = result.tables[key]
        for part, start in enumerate(range(0, max(len(table), 1), EXCEL_MAX_DATA_ROWS)):
            name = title if part == 0 else f"{title} ({part + 1})"
            sheets.append((name, table.iloc[start : start + EXCEL_MAX_DATA_ROWS]))
    sheets.append(("Wijzigingen", result.changes))
    sheets.append(("Meldingen", messages_table(result, lang)))
    with written_whole(path) as temporary:
        try:
            book = FastExcel(str(temporary)).format(bold_headers=True, datetime_format=DATE_FORMAT)
            book = book.freeze(row=1)
            book = book.sheet(
                "Samenvatting",
                summary.table,
                column_widths=SUMMARY_WIDTHS,
                column_formats={SUMMARY_COLUMNS[0]: Format().set_bold().set_align("left")},
                row_formats=summary.row_formats,
                page_setup=PAGE_SETUP,
            )
            for name, table in sheets:
                book = add_table_sheet(book, name, table)
            book.save()
        except (OSError, ValueError, RuntimeError) as exc:
            raise OutputNotWritableError(path, str(exc)) from exc
    return path


# Rows whose height is set from their text: beyond this many rows, rows keep their default
# height (sizing them would take longer than the run).
MAX_SIZED_ROWS = 50_000


def add_table_sheet(book: FastExcel, name: str, table: pd.DataFrame) -> FastExcel:
    """A table as a sheet that reads and prints well: headers bold and wrapped at word
    boundaries, widths fitted to the content within limits, long text wrapped with the row
    as high as its lines (LibreOffice does not size rows written by a library itself),
    printed landscape, one page wide, the header on every page, page numbers in the footer."""
    widths = _widths(table)
    text_columns = [
        column
        for column in map(str, table.columns)
        if (
            pd.api.types.is_object_dtype(table[column].dtype)
            or pd.api.types.is_string_dtype(table[column].dtype)
        )
        and table[column].head(1_000).map(lambda v: isinstance(v, str)).any()
    ]
    heights = _row_heights(table, widths, text_columns)
    table, date_rows, dated = _dates_in_mixed_columns(table)
    header_lines = max((text_lines(str(c), widths[str(c)] - 1) for c in table.columns), default=1)
    heights[0] = LINE_HEIGHT * header_lines
    wrap = Format().set_text_wrap().set_align("top")
    return book.sheet(
        name,
        _plain(table),
        column_widths=widths,
        # A column format wins over a row's, so a column with dates formatted per row has none:
        # its tall rows wrap through their row format.
        column_formats=dict.fromkeys([c for c in text_columns if c not in dated], wrap),
        header_format=Format().set_bold().set_text_wrap().set_align("top"),
        row_heights=heights,
        # Numbers at the top of a tall row too, beside the first line of its text.
        row_formats={
            **{row: Format().set_text_wrap().set_align("top") for row in heights if row},
            **date_rows,
        },
        page_setup=PAGE_SETUP,
    )


def _dates_in_mixed_columns(
    table: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[int, Format], set[str]]:
    """Dates in a column that also holds numbers or text (a Samenvatting's Waarde) as date
    cells: rustpy-xlsxwriter would give such a whole column a date format, so each date is
    written as Excel's serial number with a date format on its row (which holds no other
    number). Columns of dates alone stay as they are (the column's date format). Returns the
    table, the rows' formats and the columns changed."""
    if len(table) > MAX_SIZED_ROWS:
        return table, {}, set()
    formats: dict[int, Format] = {}
    dated: set[str] = set()
    out = table
    for column in table.columns:
        values = table[column]
        if not pd.api.types.is_object_dtype(values.dtype):
            continue
        is_date = values.map(lambda v: isinstance(v, dt.date)).to_numpy(dtype=bool)
        others = values.notna().to_numpy(dtype=bool) & ~is_date
        if not is_date.any() or not others.any():
            continue
        where = int(table.columns.get_indexer(pd.Index([column]))[0])
        for position in map(int, is_date.nonzero()[0]):
            row = table.iloc[position]
            if any(_is_number(v) for v in row):
                continue  # a number beside it would be shown as a date
            value = values.iloc[position]
            out = out.copy() if out is table else out
            out.iloc[position, where] = excel_serial(value)
            number_format = DATE_FORMAT
            if isinstance(value, dt.datetime):
                number_format += " hh:mm"
            formats[position + 1] = Format().set_num_format(number_format).set_align("left")
            dated.add(str(column))
    return out, formats, dated


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not pd.isna(value)


def _row_heights(
    table: pd.DataFrame, widths: dict[str, float], columns: list[str]
) -> dict[int, float]:
    """Heights of the data rows whose text is longer than its column: as many lines as the
    longest of its cells needs (sheet rows, the header being row 0)."""
    heights: dict[int, float] = {}
    if table.empty or len(table) > MAX_SIZED_ROWS:
        return heights
    for column in columns:
        width = widths[column] - 1
        values = table[column].to_numpy(dtype=object)
        for position, value in enumerate(values):
            if isinstance(value, str) and (len(value) > width or "\n" in value):
                row = position + 1
                needed = LINE_HEIGHT * text_lines(value, width)
                heights[row] = max(heights.get(row, LINE_HEIGHT), needed)
    return heights


# The widest a column gets from its content: a SHA-256 (64 characters) fits unbroken; longer
# text wraps.
MAX_WIDTH = 66


def _widths(table: pd.DataFrame, sample: int = 1_000) -> dict[str, float]:
    """Wide enough for the first rows' values within 10-66 characters, and for the longest
    word of the header, so that a header wraps between words, never inside one."""
    head = table.head(sample)
    widths: dict[str, float] = {}
    for column in table.columns:
        values = [len(_shown(v)) + 2 for v in head[column].dropna()]
        word = max((len(w) for w in str(column).split()), default=0) + 2
        widths[str(column)] = float(max(10, word, min(MAX_WIDTH, max(values, default=0))))
    return widths


def _shown(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return "dd-mm-jjjj"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Excel holds at most this many characters in a cell; longer free text is cut, with a mark.
EXCEL_MAX_CELL_TEXT = 32_767
FREE_TEXT_COLUMNS = frozenset(
    {"Naam", "Omschrijving", "Melding", "Oud", "Nieuw", "Betreft", "Workflow", "E-mail"}
)


def _within_cell_limit(table: pd.DataFrame) -> pd.DataFrame:
    """Free-text columns cut to what a cell holds (the store has the whole value)."""
    out = table
    for column in FREE_TEXT_COLUMNS.intersection(map(str, table.columns)):
        values = table[column]
        if values.dtype != object:
            continue
        too_long = (values.str.len() > EXCEL_MAX_CELL_TEXT).to_numpy()
        if too_long.any():
            out = out.copy() if out is table else out
            cut = values[too_long].map(lambda v: v[: EXCEL_MAX_CELL_TEXT - 1] + "…")
            out.loc[too_long, column] = cut
    return out


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """Missing values as empty cells, whatever pandas used for them. rustpy-xlsxwriter leaves
    None and NaN empty by itself but takes NaT for a date in the year 1, so only columns that
    may hold NaT or pd.NA (not text or plain objects) are converted: this runs over millions
    of cells."""
    table = _within_cell_limit(table)
    loose = [
        column
        for column, dtype in table.dtypes.items()
        if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype))
    ]
    if not loose:
        return table
    out = table.copy()
    for column in loose:
        values = out[column].astype(object)
        out[column] = values.where(values.notna(), None)
    return out
