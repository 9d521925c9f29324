"""Plain tables to a workbook, as the result workbook writes them (rustpy-xlsxwriter): bold
frozen headers, dates as date cells, strings as text never formulas, missing values as empty
cells, a table longer than Excel allows continued on '<name> (2)'; written whole or not at all.
The planner run's and a run's history workbook use it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from rustpy_xlsxwriter import FastExcel

from kantoor_batch.errors import OutputNotWritableError
from kantoor_batch.export.files import written_whole
from kantoor_batch.export.result_workbook import (
    DATE_FORMAT,
    EXCEL_MAX_DATA_ROWS,
    add_table_sheet,
)


def sheet_parts(name: str, table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The table as sheets of at most Excel's rows: name, then 'name (2)', ..."""
    return [
        (
            name if part == 0 else f"{name} ({part + 1})",
            table.iloc[start : start + EXCEL_MAX_DATA_ROWS],
        )
        for part, start in enumerate(range(0, max(len(table), 1), EXCEL_MAX_DATA_ROWS))
    ]


def write_tables(path: Path, sheets: Sequence[tuple[str, pd.DataFrame]]) -> Path:
    """Each (name, table) as a sheet, in order."""
    with written_whole(path) as temporary:
        try:
            book = FastExcel(str(temporary)).format(bold_headers=True, datetime_format=DATE_FORMAT)
            book = book.freeze(row=1)
            for title, whole in sheets:
                for name, table in sheet_parts(title, whole):
                    book = add_table_sheet(book, name, table)
            book.save()
        except (OSError, ValueError, RuntimeError) as exc:
            raise OutputNotWritableError(path, str(exc)) from exc
    return path
