"""Tax periods (tijdvakken): year, financial year, quarter, month and four weeks.

Labels, as people write them in the workbook:
  2026        a calendar year, or a financial year that starts on 1 January
  2025/2026   a financial year that starts later than 1 January, by the years it spans
  2026-K1     a quarter
  2026-03     a month
  2026-P01    a four-week period: 13 a year, period 1 starts on 1 January, periods 1-12 are
              28 days, period 13 runs from 3 December (2 December in a leap year) to 31 December
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kantoor_batch.catalogues import PeriodType

DayMonth = tuple[int, int]  # (day, month): when a financial year starts
JANUARY_FIRST: DayMonth = (1, 1)
FOUR_WEEK_PERIODS = 13
_FOUR_WEEKS = dt.timedelta(days=28)


class PeriodError(ValueError):
    """A label that names no period of the given type; str(self) says which form is expected."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    type: PeriodType
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def _year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodType.YEAR, str(year))


def _quarter(year: int, quarter: int) -> Period:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = _month(year, 3 * quarter).end
    return Period(start, end, PeriodType.QUARTER, f"{year}-K{quarter}")


def _month(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), PeriodType.MONTH, f"{year}-{month:02d}")


def _four_weeks(year: int, number: int) -> Period:
    start = dt.date(year, 1, 1) + _FOUR_WEEKS * (number - 1)
    if number == FOUR_WEEK_PERIODS:
        end = dt.date(year, 12, 31)
    else:
        end = start + _FOUR_WEEKS - dt.timedelta(days=1)
    return Period(start, end, PeriodType.FOUR_WEEKS, f"{year}-P{number:02d}")


def financial_year_start(first_year: int, starts: DayMonth) -> dt.date:
    day, month = starts
    return dt.date(first_year, month, day)


def _financial_year(first_year: int, starts: DayMonth) -> Period:
    start = financial_year_start(first_year, starts)
    end = financial_year_start(first_year + 1, starts) - dt.timedelta(days=1)
    label = str(first_year) if starts == JANUARY_FIRST else f"{first_year}/{first_year + 1}"
    return Period(start, end, PeriodType.FINANCIAL_YEAR, label)


def period_containing(
    period_type: PeriodType, day: dt.date, starts: DayMonth = JANUARY_FIRST
) -> Period:
    """The period of this type that runs on the given day (the running period at an as-of date)."""
    if period_type is PeriodType.YEAR:
        return _year(day.year)
    if period_type is PeriodType.QUARTER:
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    if period_type is PeriodType.MONTH:
        return _month(day.year, day.month)
    if period_type is PeriodType.FOUR_WEEKS:
        number = min((day - dt.date(day.year, 1, 1)).days // 28 + 1, FOUR_WEEK_PERIODS)
        return _four_weeks(day.year, number)
    first_year = day.year if day >= financial_year_start(day.year, starts) else day.year - 1
    return _financial_year(first_year, starts)


def following(period: Period, starts: DayMonth = JANUARY_FIRST) -> Period:
    """The period right after this one."""
    return period_containing(period.type, period.end + dt.timedelta(days=1), starts)


def periods_from(first: Period, last: Period, starts: DayMonth = JANUARY_FIRST) -> list[Period]:
    """first, the periods after it, up to and including last (empty when last is earlier)."""
    result = []
    current = first
    while current.start <= last.start:
        result.append(current)
        current = following(current, starts)
    return result


_YEAR = re.compile(r"(\d{4})")
_SPAN = re.compile(r"(\d{4})\s*[/-]\s*(\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*[KQ]\s*([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_FOUR_WEEK = re.compile(r"(\d{4})\s*-?\s*P\s*(\d{1,2})", re.IGNORECASE)


def looks_like_period(label: str) -> bool:
    """Whether the text has the form of any period label (the type is checked separately)."""
    return any(
        pattern.fullmatch(label.strip()) for pattern in (_YEAR, _SPAN, _QUARTER, _MONTH, _FOUR_WEEK)
    )


def example_label(period_type: PeriodType, starts: DayMonth = JANUARY_FIRST) -> str:
    """An example label of this type, for messages."""
    return period_containing(period_type, dt.date(2026, 1, 1), starts).label


def parse_period(label: str, period_type: PeriodType, starts: DayMonth = JANUARY_FIRST) -> Period:
    """The period a label names; PeriodError when it is not a label of this type."""
    text = label.strip()
    if period_type is PeriodType.YEAR and (m := _YEAR.fullmatch(text)):
        return _year(int(m[1]))
    if period_type is PeriodType.QUARTER and (m := _QUARTER.fullmatch(text)):
        return _quarter(int(m[1]), int(m[2]))
    if period_type is PeriodType.MONTH and (m := _MONTH.fullmatch(text)) and 1 <= int(m[2]) <= 12:
        return _month(int(m[1]), int(m[2]))
    if (
        period_type is PeriodType.FOUR_WEEKS
        and (m := _FOUR_WEEK.fullmatch(text))
        and 1 <= int(m[2]) <= FOUR_WEEK_PERIODS
    ):
        return _four_weeks(int(m[1]), int(m[2]))
    if period_type is PeriodType.FINANCIAL_YEAR:
        if starts == JANUARY_FIRST and (m := _YEAR.fullmatch(text)):
            return _financial_year(int(m[1]), starts)
        if starts != JANUARY_FIRST and (m := _SPAN.fullmatch(text)) and int(m[2]) == int(m[1]) + 1:
            return _financial_year(int(m[1]), starts)
    raise PeriodError(example_label(period_type, starts))
