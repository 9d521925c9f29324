"""Cells -> typed values, one whole column at a time.

Each cleaner takes a column of raw cells (text, float, date, bool or None, as calamine reads
them) and returns the cleaned column plus the issues of cells it could not read. A cell that
cannot be read becomes missing in the cleaned column, and is listed as failed, so that later
checks (required, format) do not report it a second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kantoor_batch.catalogues import CHOICE_ALIASES, fold_choice
from kantoor_batch.issues import Issue
from kantoor_batch.read.sheet_scan import EXCEL_ERRORS
from kantoor_batch.spec import Column, Kind

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_LAST_EXCEL_SERIAL = 2_958_465  # 31-12-9999

_YES = {"ja", "j", "yes", "y", "true", "waar", "x", "1"}
_NO = {"nee", "n", "no", "false", "onwaar", "0"}


@dataclass
class Cleaned:
    values: pd.Series
    issues: list[Issue] = field(default_factory=list)
    failed: pd.Index = field(default_factory=lambda: pd.Index([], dtype="int64"))


def _types(cells: pd.Series) -> pd.Series:
    return cells.map(type)


def missing_column(index: pd.Index) -> pd.Series:
    """A column of None (pandas 3 turns pd.Series(None, dtype=object) into NaN)."""
    return pd.Series([None] * len(index), index=index, dtype=object)


def put(out: pd.Series, rows: pd.Series | pd.Index, values: object) -> None:
    """out[rows] = values, by label and without alignment surprises: an empty selection
    changes nothing (pandas would otherwise fill the column with NaN)."""
    index = rows.index[rows.to_numpy(dtype=bool)] if isinstance(rows, pd.Series) else rows
    if len(index) == 0:
        return
    if isinstance(values, pd.Series):
        out.loc[index] = values.loc[index].to_numpy()
    else:
        out.loc[index] = values


def _only_text(cells: pd.Series) -> bool:
    """Every cell is text or empty: the common case, recognised without a look at each type."""
    return pd.api.types.infer_dtype(cells, skipna=True) in {"string", "empty"}


def _repeats(cells: pd.Series, sample: int = 2_000) -> bool:
    """The column repeats its values (judged from its first rows): then working on the
    distinct values pays; for names and numbers it would only add a pass."""
    head = cells.iloc[:sample].dropna()
    return len(head) == 0 or head.nunique() * 2 <= len(head)


def _stripped(text: pd.Series) -> pd.Series:
    """Trimmed (also non-breaking and other Unicode spaces); empty text is no value."""
    text = text.str.strip()
    return text.where(text.notna() & (text != ""), None).astype(object)


def as_text(cells: pd.Series) -> pd.Series:
    """Every cell as the text a person sees: trimmed, whole numbers without '.0', dates Dutch."""
    if _only_text(cells):
        if _repeats(cells):
            # Few distinct texts (Soort, Rechtsvorm, Product, a city): strip each once.
            codes, distinct = pd.factorize(cells.to_numpy(dtype=object))
            once = _stripped(pd.Series(distinct, dtype=object)).to_numpy(dtype=object)
            spread = once[codes] if len(once) else np.full(len(codes), None, dtype=object)
            spread[codes < 0] = None
            return pd.Series(spread, index=cells.index, dtype=object)
        return _stripped(cells.astype(object))
    out = missing_column(cells.index)
    types = _types(cells)
    is_str = types == str
    if is_str.any():
        text = cells[is_str].astype(str).str.strip()  # also non-breaking and other Unicode spaces
        put(out, is_str, text.where(text != "", None))
    is_float = types == float
    if is_float.any():
        numbers = cells[is_float].astype(float)
        whole = numbers.apply(float.is_integer)
        put(out, numbers.index[whole], numbers[whole].astype("int64").astype(str))
        put(out, numbers.index[~whole], numbers[~whole].astype(str))
    is_int = types == int
    if is_int.any():
        put(out, is_int, cells[is_int].astype(str))
    is_bool = types == bool
    if is_bool.any():
        put(out, is_bool, cells[is_bool].map({True: "WAAR", False: "ONWAAR"}))
    is_date = types.isin([dt.date, dt.datetime])
    if is_date.any():
        put(out, is_date, cells[is_date].map(lambda d: d.strftime("%d-%m-%Y")))
    return out


def numeric_cells(cells: pd.Series) -> pd.Series:
    """Which cells Excel holds as numbers (not text, not booleans)."""
    if _only_text(cells):
        return pd.Series(False, index=cells.index)
    return _types(cells).isin([float, int])


def _issues(
    code: str, sheet: str, column: Column, cells: pd.Series, mask: pd.Series, **params: str
) -> list[Issue]:
    return [
        Issue(code, sheet, int(str(row)), column.header, value, dict(params), column.personal)
        for row, value in cells[mask].items()
    ]


# What infer_dtype says of a column that holds no Excel error and no time: nothing to look at.
_PLAIN = frozenset({"empty", "floating", "integer", "mixed-integer-float", "boolean", "date"})
_ERROR_TEXTS = sorted(EXCEL_ERRORS)


def unusable_cells(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    """Cells no value can be read from, each an issue: an Excel error (#DIV/0!, #N/A; the
    reader puts back the text calamine drops) and a time or duration cell (nothing in the
    template is a time). Without this they would pass as empty cells: a BSN showing #DIV/0!
    as 'no BSN' (docs/decisions.md). values are the cells with these ones emptied."""
    kind = pd.api.types.infer_dtype(cells, skipna=True)
    if kind in _PLAIN or kind == "datetime":
        return Cleaned(cells)
    errors = cells.isin(_ERROR_TEXTS) if kind in {"string", "mixed", "mixed-integer"} else None
    times = _types(cells).isin([dt.time, dt.timedelta]) if kind not in {"string", "bytes"} else None
    issues: list[Issue] = []
    bad = pd.Series(False, index=cells.index)
    if errors is not None and errors.any():
        issues += _issues("error-cell", sheet, column, cells, errors)
        for issue in issues:
            issue.personal = False  # an error text holds no personal data
        bad |= errors
    if times is not None and times.any():
        issues += _issues("unsupported-cell-type", sheet, column, cells, times)
        bad |= times
    if not issues:
        return Cleaned(cells)
    usable = cells.copy()
    put(usable, bad, None)
    return Cleaned(usable, issues, cells.index[bad])


def clean_text(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    return Cleaned(as_text(cells))


def clean_identifier(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    """Identifiers stay text; a numeric cell lost its leading zeros in Excel and gets them back."""
    text = as_text(cells)
    result = Cleaned(text)
    if column.key != "phone":
        compact = text.str.replace(r"[\s.\-]", "", regex=True).str.upper()
        result.values = compact.where(text.notna(), None)
    if column.pad_to is not None:
        numeric = numeric_cells(cells) & result.values.notna()
        short = numeric & (result.values.str.len() < column.pad_to) & result.values.str.isdigit()
        if short.any():
            padded = result.values[short].str.zfill(column.pad_to)
            put(result.values, short, padded)
            result.issues = [
                Issue(
                    "identifier-padded",
                    sheet,
                    int(row),
                    column.header,
                    cells[row],
                    {"fixed": padded[row] if not column.personal else "*" * column.pad_to},
                    column.personal,
                )
                for row in padded.index
            ]
    if column.key == "postcode":
        dutch = result.values.str.fullmatch(r"[0-9]{4}[A-Z]{2}", na=False)
        codes = result.values[dutch]
        put(result.values, dutch, codes.str[:4] + " " + codes.str[4:])
    return result


def clean_number_text(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    """Relation, contact and house numbers: text with leading zeros kept; whole numbers only.
    A house number that is not one is left out (a warning, R3); another number is an error."""
    text = as_text(cells)
    numeric = numeric_cells(cells)
    fraction = numeric & text.str.contains(".", regex=False, na=False)
    put(text, fraction, None)
    code = "invalid-house-number" if column.key == "house_number" else "invalid-number"
    return Cleaned(text, _issues(code, sheet, column, cells, fraction), cells.index[fraction])


def choice_lookup(choices: tuple[str, ...]) -> dict[str, str]:
    """Folded spelling -> canonical value, including the aliases that point into this list."""
    lookup = {fold_choice(alias): value for alias, value in CHOICE_ALIASES.items()}
    lookup = {k: v for k, v in lookup.items() if v in choices}
    lookup.update({fold_choice(value): value for value in choices})
    return lookup


def clean_choice(cells: pd.Series, choices: tuple[str, ...]) -> pd.Series:
    """Known spellings become the canonical value; unknown ones stay for the schema to report."""
    text = as_text(cells)
    lookup = choice_lookup(choices)
    present = text.dropna()
    distinct = {value: lookup.get(fold_choice(value)) for value in present.unique()}
    canonical = present.map(distinct)
    put(text, canonical.dropna().index, canonical.dropna())
    return text


def clean_yes_no(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    types = _types(cells)
    out = missing_column(cells.index)
    is_bool = types == bool
    put(out, is_bool, cells[is_bool])
    text = as_text(cells[~is_bool]).dropna().str.casefold()
    put(out, text.index[text.isin(_YES)], True)
    put(out, text.index[text.isin(_NO)], False)
    bad = cells.index.isin(text.index[~text.isin(_YES | _NO)])
    mask = pd.Series(bad, index=cells.index)
    return Cleaned(out, _issues("invalid-yes-no", sheet, column, cells, mask), cells.index[mask])


def _dates_from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"year": year, "month": month, "day": day}).astype("float64")
    return pd.to_datetime(frame, errors="coerce")


def clean_date(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    """Date cells, Excel serial numbers, dd-mm-jjjj and jjjj-mm-dd; never a guess (R3)."""
    types = _types(cells)
    out = missing_column(cells.index)
    is_date = types.isin([dt.date, dt.datetime, pd.Timestamp])
    put(out, is_date, cells[is_date].map(lambda d: d.date() if isinstance(d, dt.datetime) else d))
    problems: dict[str, pd.Series] = {
        code: pd.Series(False, index=cells.index)
        for code in ("invalid-date", "ambiguous-date", "impossible-date")
    }

    is_number = numeric_cells(cells)
    if is_number.any():
        serial = cells[is_number].astype(float)
        valid = serial.between(1, _LAST_EXCEL_SERIAL) & (serial == np.floor(serial))
        days = pd.to_timedelta(serial[valid], unit="D")
        put(out, valid.index[valid], (EXCEL_EPOCH + days).dt.date)
        put(problems["invalid-date"], valid.index[~valid], True)

    text = as_text(cells[types == str]).dropna()
    if not text.empty:
        dutch = text.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
        iso = text.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
        short = text.str.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}")
        year = dutch[2].fillna(iso[0])
        month = dutch[1].fillna(iso[1])
        day = dutch[0].fillna(iso[2])
        matched = year.notna()
        parsed = _dates_from_parts(year[matched], month[matched], day[matched])
        put(out, parsed.dropna().index, parsed.dropna().dt.date)
        put(problems["impossible-date"], parsed.index[parsed.isna()], True)
        put(problems["ambiguous-date"], short.index[short], True)
        put(problems["invalid-date"], text.index[~matched & ~short], True)

    issues = [
        issue
        for code, mask in problems.items()
        for issue in _issues(code, sheet, column, cells, mask)
    ]
    failed = cells.index[np.logical_or.reduce([m.to_numpy() for m in problems.values()])]
    return Cleaned(out, issues, failed)


def clean_day_month(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    """'dd-mm' (when a financial year starts). Excel makes a date of '01-07': its day and month
    are what was typed, so a date cell is read as that day and month."""
    types = _types(cells)
    out = missing_column(cells.index)
    is_date = types.isin([dt.date, dt.datetime])
    put(out, is_date, cells[is_date].map(lambda d: f"{d.day:02d}-{d.month:02d}"))
    text = as_text(cells[~is_date]).dropna()
    parts = text.str.extract(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
    # A fixed non-leap year: 29-02 cannot start a financial year every year.
    parsed = _dates_from_parts(pd.Series(2023, index=parts.index), parts[1], parts[0])
    good = parsed.dropna()
    put(out, good.index, good.dt.strftime("%d-%m"))
    bad = pd.Series(cells.index.isin(parsed.index[parsed.isna()]), index=cells.index)
    return Cleaned(out, _issues("invalid-day-month", sheet, column, cells, bad), cells.index[bad])


def clean_period(cells: pd.Series, column: Column, sheet: str) -> Cleaned:
    """Period labels as text. Excel makes a date of '2026-03'; a first-of-month date cell is
    read back as that month."""
    types = _types(cells)
    out = as_text(cells).str.upper()
    is_date = types.isin([dt.date, dt.datetime])
    first_of_month = cells[is_date].map(lambda d: d.day == 1)
    months = cells[is_date][first_of_month.astype(bool)]
    put(out, months.index, months.map(lambda d: f"{d.year}-{d.month:02d}"))
    return Cleaned(out)


CLEANERS: dict[Kind, Callable[[pd.Series, Column, str], Cleaned]] = {
    Kind.TEXT: clean_text,
    Kind.IDENTIFIER: clean_identifier,
    Kind.NUMBER_TEXT: clean_number_text,
    Kind.YES_NO: clean_yes_no,
    Kind.DATE: clean_date,
    Kind.DAY_MONTH: clean_day_month,
    Kind.PERIOD: clean_period,
}
