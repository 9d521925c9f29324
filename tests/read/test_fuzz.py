"""Generated workbooks with odd cells, sizes and characters (issue 9, Deliver 2): reading and
checking them raises nothing but the project's own errors, the command ends with a documented
exit code, and every example is done in seconds. Kept small so that CI runs it in passing."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import xlsxwriter
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kantoor_batch.cli import main
from kantoor_batch.errors import KantoorBatchError
from kantoor_batch.read.sheet_scan import EXCEL_ERRORS
from kantoor_batch.spec import SHEETS
from kantoor_batch.validate.workbook import validate_workbook
from tests.conftest import AS_OF
from tests.raw_workbooks import sheet_xml, write_raw

SECONDS_PER_EXAMPLE = 15
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADERS = sorted({column.header for sheet in SHEETS for column in sheet.columns})
SHEET_NAMES = [sheet.name for sheet in SHEETS] + ["Instructies", "Lijsten"]
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30
) | st.sampled_from(
    ["\x1b[31mrood\x1b[0m", "\x1b]0;titel\x07", "=1+1", "  0101  ", "#N/A", "111222333", ""]
)

Cell = tuple[str, Any]
CELLS: st.SearchStrategy[Cell] = st.one_of(
    st.tuples(st.just("text"), ODD_TEXT),
    st.tuples(st.just("long"), st.integers(1, 32_767)),
    st.tuples(st.just("number"), st.floats(allow_nan=False, allow_infinity=False)),
    st.tuples(st.just("number"), st.integers(-(2**63), 2**63)),
    st.tuples(st.just("bool"), st.booleans()),
    st.tuples(st.just("date"), st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31))),
    st.tuples(st.just("error"), st.sampled_from(sorted(EXCEL_ERRORS))),
    st.tuples(st.just("time"), st.floats(0, 0.999)),
    st.tuples(st.just("duration"), st.floats(1, 10_000)),
    st.tuples(st.just("empty"), st.none()),
)
SHEET = st.tuples(
    st.lists(st.sampled_from(HEADERS) | ODD_TEXT, max_size=8),
    st.lists(st.lists(CELLS, max_size=8), max_size=6),
)
BOOK = st.dictionaries(st.sampled_from(SHEET_NAMES), SHEET, max_size=5)


def write_book(path: Path, book: dict[str, tuple[list[str], list[list[Cell]]]]) -> Path:
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    formats = {
        "date": workbook.add_format({"num_format": "dd-mm-yyyy"}),
        "time": workbook.add_format({"num_format": "hh:mm"}),
        "duration": workbook.add_format({"num_format": "[h]:mm:ss"}),
    }
    for name, (headers, rows) in book.items():
        sheet = workbook.add_worksheet(name)
        for j, header in enumerate(headers):
            sheet.write_string(0, j, header)
        for i, row in enumerate(rows, start=1):
            for j, (kind, value) in enumerate(row):
                _write(sheet, i, j, kind, value, formats)
    workbook.close()
    return path


def _write(sheet: Any, i: int, j: int, kind: str, value: Any, formats: dict[str, Any]) -> None:
    if kind == "text":
        sheet.write_string(i, j, value)
    elif kind == "long":
        sheet.write_string(i, j, "x" * value)
    elif kind == "number":
        sheet.write_number(i, j, float(value))
    elif kind == "bool":
        sheet.write_boolean(i, j, value)
    elif kind == "date":
        sheet.write_datetime(i, j, dt.datetime.combine(value, dt.time()), formats["date"])
    elif kind == "error":
        sheet.write_formula(i, j, "=1/0", None, value)
    elif kind in ("time", "duration"):
        sheet.write_number(i, j, value, formats[kind])


def checked_in_time(path: Path) -> None:
    start = time.monotonic()
    with contextlib.suppress(KantoorBatchError):  # a message for the user, not a traceback
        validate_workbook(path, as_of=AS_OF)
    assert time.monotonic() - start < SECONDS_PER_EXAMPLE


@FUZZ
@given(BOOK)
def test_generated_workbooks_never_raise_anything_but_our_errors(
    book: dict[str, tuple[list[str], list[list[Cell]]]],
) -> None:
    """Odd cell types, sizes and characters in any sheet: a report or a KantoorBatchError."""
    with tempfile.TemporaryDirectory() as folder:
        checked_in_time(write_book(Path(folder) / "fuzz.xlsx", book))


REFERENCE = st.tuples(
    st.sampled_from(["A", "B", "Z", "AA", "AD", "BH", "ZZ", "XFD", "XFE", "AAAA"]),
    st.sampled_from([1, 2, 3, 50, 1000, 65536, 1_048_576, 1_048_577, 99_999_999]),
)
RAW_CELL = st.tuples(
    REFERENCE | st.none(),
    st.sampled_from(["s", "e", "inlineStr", "n", "b", "str", "d", None]),
    st.sampled_from(["0", "1", "#DIV/0!", "-1e308", "abc", "", "2026-01-01", "\x1b[2J"]),
)


def raw_row(index: int, cells: list[tuple[tuple[str, int] | None, str | None, str]]) -> str:
    out = []
    for reference, kind, value in cells:
        ref = f' r="{reference[0]}{reference[1]}"' if reference else ""
        kind_attribute = f' t="{kind}"' if kind else ""
        body = f"<is><t>{value}</t></is>" if kind == "inlineStr" else f"<v>{value}</v>"
        out.append(f"<c{ref}{kind_attribute}>{body}</c>")
    return f'<row r="{index}">{"".join(out)}</row>'


@FUZZ
@given(st.lists(st.lists(RAW_CELL, max_size=6), max_size=6), st.booleans())
def test_generated_sheet_xml_ends_in_a_documented_exit_code(
    rows: list[list[tuple[tuple[str, int] | None, str | None, str]]], relations: bool
) -> None:
    """Cells anywhere in the grid and past it, without references, of any type, with values
    that do not fit the type: validate ends with 0, 1 or 3 and no traceback."""
    body = "".join(raw_row(i, cells) for i, cells in enumerate(rows, start=1))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ruw.xlsx"
        write_raw(path, {"Relaties" if relations else "Blad1": sheet_xml(body)})
        start = time.monotonic()
        result = CliRunner().invoke(main, ["validate", str(path), "--json"])
        assert time.monotonic() - start < SECONDS_PER_EXAMPLE
    assert result.exit_code in (0, 1, 3), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
