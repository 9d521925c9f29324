"""Tax periods: labels, running periods at an as-of date, and their edges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantoor_batch.catalogues import PeriodType
from kantoor_batch.periods import (
    PeriodError,
    following,
    parse_period,
    period_containing,
    periods_from,
)

D = dt.date


def test_a_year_runs_from_january_to_december() -> None:
    """2026 is 1-1-2026 to 31-12-2026."""
    period = parse_period("2026", PeriodType.YEAR)
    assert (period.start, period.end, period.label) == (D(2026, 1, 1), D(2026, 12, 31), "2026")


def test_quarters_and_months_have_their_labels() -> None:
    """2026-K1 ends on 31 March; 2024-02 ends on the leap day."""
    assert parse_period("2026-K1", PeriodType.QUARTER).end == D(2026, 3, 31)
    assert parse_period("2026-k4", PeriodType.QUARTER).label == "2026-K4"
    assert parse_period("2024-02", PeriodType.MONTH).end == D(2024, 2, 29)
    assert parse_period("2023-02", PeriodType.MONTH).end == D(2023, 2, 28)
    assert parse_period("2026-12", PeriodType.MONTH).end == D(2026, 12, 31)


def test_four_week_periods_are_28_days_and_period_13_ends_the_year() -> None:
    """P01 starts 1 January; P13 runs from 3 December (2 December in a leap year) to 31
    December."""
    first = parse_period("2026-P01", PeriodType.FOUR_WEEKS)
    assert (first.start, first.end) == (D(2026, 1, 1), D(2026, 1, 28))
    twelfth = parse_period("2026-P12", PeriodType.FOUR_WEEKS)
    assert (twelfth.start, twelfth.end) == (D(2026, 11, 5), D(2026, 12, 2))
    last = parse_period("2026-P13", PeriodType.FOUR_WEEKS)
    assert (last.start, last.end) == (D(2026, 12, 3), D(2026, 12, 31))
    leap_last = parse_period("2024-P13", PeriodType.FOUR_WEEKS)
    assert (leap_last.start, leap_last.end) == (D(2024, 12, 2), D(2024, 12, 31))


def test_there_is_no_period_14() -> None:
    """2026-P14 is refused with an example of the right form."""
    with pytest.raises(PeriodError, match="2026-P01"):
        parse_period("2026-P14", PeriodType.FOUR_WEEKS)


def test_a_financial_year_from_july_is_labelled_by_both_years() -> None:
    """Boekjaar begint 01-07: 2025/2026 runs 1-7-2025 to 30-6-2026."""
    period = parse_period("2025/2026", PeriodType.FINANCIAL_YEAR, (1, 7))
    assert (period.start, period.end) == (D(2025, 7, 1), D(2026, 6, 30))
    assert period_containing(PeriodType.FINANCIAL_YEAR, D(2026, 6, 30), (1, 7)) == period
    assert period_containing(PeriodType.FINANCIAL_YEAR, D(2026, 7, 1), (1, 7)).label == (
        "2026/2027"
    )


def test_a_financial_year_label_must_fit_its_start() -> None:
    """'2026' for a July year, '2025/2026' for a January year and '2025/2027' are refused."""
    for label, starts in (("2026", (1, 7)), ("2025/2026", (1, 1)), ("2025/2027", (1, 7))):
        with pytest.raises(PeriodError):
            parse_period(label, PeriodType.FINANCIAL_YEAR, starts)


def test_a_financial_year_starting_1_march_has_a_leap_day_in_some_years() -> None:
    """2023/2024 from 1 March ends on 29-2-2024."""
    assert parse_period("2023/2024", PeriodType.FINANCIAL_YEAR, (1, 3)).end == D(2024, 2, 29)


def test_the_running_period_on_its_first_day_is_that_period() -> None:
    """On 1 April the running quarter is K2, on 31 March K1."""
    assert period_containing(PeriodType.QUARTER, D(2026, 4, 1)).label == "2026-K2"
    assert period_containing(PeriodType.QUARTER, D(2026, 3, 31)).label == "2026-K1"
    assert period_containing(PeriodType.FOUR_WEEKS, D(2026, 12, 2)).label == "2026-P12"
    assert period_containing(PeriodType.FOUR_WEEKS, D(2026, 12, 3)).label == "2026-P13"
    assert period_containing(PeriodType.FOUR_WEEKS, D(2026, 12, 31)).label == "2026-P13"


def test_periods_from_lists_every_period_up_to_the_last() -> None:
    """From 2026-K1 up to 2026-K3: three quarters; nothing when the last is earlier."""
    first = parse_period("2026-K1", PeriodType.QUARTER)
    last = parse_period("2026-K3", PeriodType.QUARTER)
    assert [p.label for p in periods_from(first, last)] == ["2026-K1", "2026-K2", "2026-K3"]
    assert periods_from(last, first) == []


@given(
    st.sampled_from(list(PeriodType)),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    st.sampled_from([(1, 1), (1, 4), (1, 7), (1, 10), (15, 3)]),
)
def test_periods_tile_time_without_gaps_or_overlaps(
    period_type: PeriodType, day: dt.date, starts: tuple[int, int]
) -> None:
    """Any day lies in its period, the next one starts the day after, and the label parses
    back to the same period."""
    period = period_containing(period_type, day, starts)
    assert day in period
    assert following(period, starts).start == period.end + dt.timedelta(days=1)
    assert parse_period(period.label, period_type, starts) == period
