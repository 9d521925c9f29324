"""Tax periods (tijdvakken): year, financial year, quarter, month and four weeks.

Labels, as people write them in the workbook:
  2026        a calendar year, or a financial year that starts on 1 January
  2025/2026   a financial year that starts later than 1 January, by the years it spans
  2026-K1     a quarter
  2026-03     a month
  2026-P01    a four-week period (loonheffingen): 13 a year, on the week calendar below

Four-week periods follow the Belastingdienst's week calendar, in which the declaration
periods 2-12 are the wage periods of four ISO weeks and only the first and last are cut at the
year's edges. By default (FourWeekCalendar):
  period 1    1 January up to the Sunday that ends ISO week 4 (2026: 01-01..25-01)
  period n    ISO weeks 4n-3 to 4n, Monday to Sunday, for n = 2..12 (2026 P12: 02-11..29-11)
  period 13   the Monday of ISO week 49 up to 31 December (2026: 30-11..31-12)
An office can state the start dates of any year itself (`[four_week_calendar]` in the catalogue
file, Catalogues.calendar); those replace the rule for that year. docs/decisions.md says why.

Every function here takes `calendar=`; without it they use the active calendar: the built-in
rule, unless a run installed the catalogue's with use_calendar(). check_workbook and the CLI
commands do; library code that runs the rules itself does the same.

Every period lies within the years 1901-9999 (PERIOD_YEARS): the dates Excel holds, with room
for the day before a period's start (the SBR start date, R9). A label, a running period or a
following period outside them raises PeriodOutOfRangeError; nothing here raises anything but
PeriodError on any label. Which Vanaf an office can mean is narrower: validation's R7 horizon.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType

from kantoor_batch.catalogues import PeriodType

DayMonth = tuple[int, int]  # (day, month): when a financial year starts
JANUARY_FIRST: DayMonth = (1, 1)
FOUR_WEEK_PERIODS = 13
FourWeekStarts = tuple[dt.date, ...]  # the first day of each of a year's 13 four-week periods
# The as-of dates a run accepts (--as-of, check_workbook): any real run, and narrow enough that
# every period derived from one (Vanaf up to 50 years back, next year) and every SBR start date
# stays within the dates Excel and the store hold.
AS_OF_RANGE = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))
# The years a period may lie in: Excel's dates start on 1-1-1900, and SBR starts the day before
# a period (R9).
PERIOD_YEARS = range(1901, dt.MAXYEAR + 1)
_ONE_DAY = dt.timedelta(days=1)
_FOUR_WEEKS = dt.timedelta(days=28)
_MONDAY = 0


class PeriodError(ValueError):
    """A label that names no period of the given type; str(self) says which form is expected."""


class PeriodOutOfRangeError(PeriodError):
    """A label of the right form, or a step from a period, that leaves PERIOD_YEARS."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    type: PeriodType
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@lru_cache(maxsize=256)
def week_calendar_starts(year: int) -> FourWeekStarts:
    """The default rule: period 1 starts on 1 January, period n (2-13) on the Monday of ISO
    week 4n-3."""
    mondays = (dt.date.fromisocalendar(year, 4 * n - 3, 1) for n in range(2, 14))
    return (dt.date(year, 1, 1), *mondays)


def four_week_starts_problem(year: int, starts: Sequence[dt.date]) -> str | None:
    """Why these dates cannot start a year's 13 four-week periods, in Dutch; None when they
    can. Period 1 starts on 1 January; periods 2-12 start on a Monday and last four weeks."""
    if len(starts) != FOUR_WEEK_PERIODS:
        return f"{year} heeft {len(starts)} begindatums; er zijn er {FOUR_WEEK_PERIODS} nodig"
    if (starts[0].year, starts[0].month, starts[0].day) != (year, 1, 1):
        return f"periode 1 van {year} begint op {starts[0]:%d-%m-%Y}; dat moet 1 januari zijn"
    if outside := [f"{day:%d-%m-%Y}" for day in starts if day.year != year]:
        return f"begindatums van {year} liggen in een ander jaar: {', '.join(outside)}"
    if any(later <= earlier for earlier, later in pairwise(starts)):
        return f"de begindatums van {year} lopen niet op"
    for number, (start, after) in enumerate(pairwise(starts[1:]), start=2):
        if start.weekday() != _MONDAY or after - start != _FOUR_WEEKS:
            return (
                f"periode {number} van {year} loopt van {start:%d-%m-%Y} tot {after:%d-%m-%Y}; "
                "periodes 2 tot en met 12 beginnen op een maandag en duren 4 weken"
            )
    return None


@dataclass(frozen=True)
class FourWeekCalendar:
    """Where each year's 13 four-week periods start: the office's own dates for the years it
    states, the default rule (week_calendar_starts) for every other year."""

    overrides: Mapping[int, FourWeekStarts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for year, starts in self.overrides.items():
            if problem := four_week_starts_problem(year, starts):
                raise ValueError(problem)
        frozen = MappingProxyType({year: tuple(s) for year, s in self.overrides.items()})
        object.__setattr__(self, "overrides", frozen)

    def starts(self, year: int) -> FourWeekStarts:
        return self.overrides.get(year) or week_calendar_starts(year)


DEFAULT_CALENDAR = FourWeekCalendar()
_ACTIVE: ContextVar[FourWeekCalendar] = ContextVar("four_week_calendar", default=DEFAULT_CALENDAR)


def active_calendar() -> FourWeekCalendar:
    """The calendar the functions here use when they are not given one."""
    return _ACTIVE.get()


@contextmanager
def use_calendar(calendar: FourWeekCalendar) -> Iterator[FourWeekCalendar]:
    """Make this the active calendar inside the with-block (of this thread or task)."""
    token = _ACTIVE.set(calendar)
    try:
        yield calendar
    finally:
        _ACTIVE.reset(token)


def _within_years(year: int) -> None:
    if year not in PERIOD_YEARS:
        raise PeriodOutOfRangeError(f"{PERIOD_YEARS[0]}-{PERIOD_YEARS[-1]}")


def _year(year: int) -> Period:
    _within_years(year)
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodType.YEAR, f"{year:04d}")


def _quarter(year: int, quarter: int) -> Period:
    _within_years(year)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = _month(year, 3 * quarter).end
    return Period(start, end, PeriodType.QUARTER, f"{year:04d}-K{quarter}")


def _month(year: int, month: int) -> Period:
    _within_years(year)
    last_day = gregorian.monthrange(year, month)[1]
    return Period(
        dt.date(year, month, 1),
        dt.date(year, month, last_day),
        PeriodType.MONTH,
        f"{year:04d}-{month:02d}",
    )


def _four_weeks(year: int, number: int, calendar: FourWeekCalendar) -> Period:
    _within_years(year)
    starts = calendar.starts(year)
    start = starts[number - 1]
    end = dt.date(year, 12, 31) if number == FOUR_WEEK_PERIODS else starts[number] - _ONE_DAY
    return Period(start, end, PeriodType.FOUR_WEEKS, f"{year:04d}-P{number:02d}")


def financial_year_start(first_year: int, starts: DayMonth) -> dt.date:
    day, month = starts
    return dt.date(first_year, month, day)


def _financial_year(first_year: int, starts: DayMonth) -> Period:
    _within_years(first_year)
    start = financial_year_start(first_year, starts)
    if starts == JANUARY_FIRST:
        end = dt.date(first_year, 12, 31)
        return Period(start, end, PeriodType.FINANCIAL_YEAR, f"{first_year:04d}")
    _within_years(first_year + 1)
    end = financial_year_start(first_year + 1, starts) - _ONE_DAY
    return Period(start, end, PeriodType.FINANCIAL_YEAR, f"{first_year:04d}/{first_year + 1:04d}")


def period_containing(
    period_type: PeriodType,
    day: dt.date,
    starts: DayMonth = JANUARY_FIRST,
    *,
    calendar: FourWeekCalendar | None = None,
) -> Period:
    """The period of this type that runs on the given day (the running period at an as-of date).
    PeriodOutOfRangeError for a financial year that begins before year 1 or ends after 9999."""
    if period_type is PeriodType.YEAR:
        return _year(day.year)
    if period_type is PeriodType.QUARTER:
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    if period_type is PeriodType.MONTH:
        return _month(day.year, day.month)
    if period_type is PeriodType.FOUR_WEEKS:
        calendar = calendar or active_calendar()
        number = bisect_right(calendar.starts(day.year), day)
        return _four_weeks(day.year, number, calendar)
    first_year = day.year if day >= financial_year_start(day.year, starts) else day.year - 1
    return _financial_year(first_year, starts)


def following(
    period: Period, starts: DayMonth = JANUARY_FIRST, *, calendar: FourWeekCalendar | None = None
) -> Period:
    """The period right after this one; PeriodOutOfRangeError after the last one of 9999."""
    if period.end >= dt.date.max:
        raise PeriodOutOfRangeError(f"{PERIOD_YEARS[0]}-{PERIOD_YEARS[-1]}")
    return period_containing(period.type, period.end + _ONE_DAY, starts, calendar=calendar)


def periods_from(
    first: Period,
    last: Period,
    starts: DayMonth = JANUARY_FIRST,
    *,
    calendar: FourWeekCalendar | None = None,
) -> list[Period]:
    """first, the periods after it, up to and including last (empty when last is earlier)."""
    result = []
    current = first
    while current.start <= last.start:
        result.append(current)
        if current.start == last.start:
            break
        current = following(current, starts, calendar=calendar)
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


def parse_period(
    label: str,
    period_type: PeriodType,
    starts: DayMonth = JANUARY_FIRST,
    *,
    calendar: FourWeekCalendar | None = None,
) -> Period:
    """The period a label names; PeriodError when it is not a label of this type, its subclass
    PeriodOutOfRangeError when it has the form but its dates would leave PERIOD_YEARS."""
    text = label.strip()
    try:
        if period_type is PeriodType.YEAR and (m := _YEAR.fullmatch(text)):
            return _year(int(m[1]))
        if period_type is PeriodType.QUARTER and (m := _QUARTER.fullmatch(text)):
            return _quarter(int(m[1]), int(m[2]))
        if (
            period_type is PeriodType.MONTH
            and (m := _MONTH.fullmatch(text))
            and 1 <= int(m[2]) <= 12
        ):
            return _month(int(m[1]), int(m[2]))
        if (
            period_type is PeriodType.FOUR_WEEKS
            and (m := _FOUR_WEEK.fullmatch(text))
            and 1 <= int(m[2]) <= FOUR_WEEK_PERIODS
        ):
            return _four_weeks(int(m[1]), int(m[2]), calendar or active_calendar())
        if period_type is PeriodType.FINANCIAL_YEAR:
            if starts == JANUARY_FIRST and (m := _YEAR.fullmatch(text)):
                return _financial_year(int(m[1]), starts)
            if (
                starts != JANUARY_FIRST
                and (m := _SPAN.fullmatch(text))
                and int(m[2]) == int(m[1]) + 1
            ):
                return _financial_year(int(m[1]), starts)
    except PeriodOutOfRangeError as error:
        raise PeriodOutOfRangeError(example_label(period_type, starts)) from error
    raise PeriodError(example_label(period_type, starts))
