"""Deadlines (Uiterste datum) per product and period, on the periods' edges: year ends,
February, leap years, broken financial years and the four-week periods of 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantoor_batch.catalogues import PeriodType
from kantoor_batch.deadlines import (
    due_date,
    end_of_next_month,
    months_after,
    use_income_tax_extension,
)
from kantoor_batch.periods import JANUARY_FIRST, DayMonth, parse_period

D = dt.date
Y, FY, Q, M, W = (
    PeriodType.YEAR,
    PeriodType.FINANCIAL_YEAR,
    PeriodType.QUARTER,
    PeriodType.MONTH,
    PeriodType.FOUR_WEEKS,
)
JULY: DayMonth = (1, 7)


def deadline(
    product: str, label: str, kind: PeriodType, starts: DayMonth = JANUARY_FIRST
) -> dt.date | None:
    return due_date(product, parse_period(label, kind, starts))


@pytest.mark.parametrize(
    ("label", "kind", "expected"),
    [
        ("2026-K1", Q, D(2026, 4, 30)),
        ("2026-K4", Q, D(2027, 1, 31)),  # across the year end
        ("2026-01", M, D(2026, 2, 28)),
        ("2028-01", M, D(2028, 2, 29)),  # leap year
        ("2026-02", M, D(2026, 3, 31)),
        ("2026-12", M, D(2027, 1, 31)),
        ("2026", Y, D(2027, 3, 31)),  # a jaaraangifte
    ],
)
def test_vat_is_due_the_last_day_of_the_following_month_or_31_march(
    label: str, kind: PeriodType, expected: dt.date
) -> None:
    """Aangifte OB: month and quarter at the end of the next month; a year on 31 March."""
    assert deadline("Aangifte OB", label, kind) == expected


@pytest.mark.parametrize(
    ("label", "kind", "expected"),
    [
        ("2026-K3", Q, D(2026, 10, 31)),
        ("2027-K4", Q, D(2028, 1, 31)),
        ("2024-01", M, D(2024, 2, 29)),
        ("2026-11", M, D(2026, 12, 31)),
        ("2026", Y, D(2027, 1, 31)),
    ],
)
def test_icp_is_due_the_last_day_of_the_following_month(
    label: str, kind: PeriodType, expected: dt.date
) -> None:
    """Opgaaf ICP: the end of the month after the period, a year's too."""
    assert deadline("Opgaaf ICP", label, kind) == expected


@pytest.mark.parametrize(
    ("label", "kind", "expected"),
    [
        ("2026-01", M, D(2026, 2, 28)),  # 31 January + one month: February's last day
        ("2024-01", M, D(2024, 2, 29)),
        ("2026-02", M, D(2026, 3, 31)),  # ends on February's last day: March's last day
        ("2026-04", M, D(2026, 5, 31)),
        ("2026-12", M, D(2027, 1, 31)),
        ("2026-P01", W, D(2026, 2, 25)),  # 01-01..25-01
        ("2026-P02", W, D(2026, 3, 22)),  # 26-01..22-02
        ("2026-P03", W, D(2026, 4, 22)),  # 23-02..22-03
        ("2026-P11", W, D(2026, 12, 1)),  # 05-10..01-11
        ("2026-P12", W, D(2026, 12, 29)),  # 02-11..29-11
        ("2026-P13", W, D(2027, 1, 31)),  # 30-11..31-12, across the year end
        ("2020-P01", W, D(2020, 2, 26)),  # 01-01..26-01 of a leap year
    ],
)
def test_payroll_taxes_are_due_one_month_after_the_period_ends(
    label: str, kind: PeriodType, expected: dt.date
) -> None:
    """Loonheffingen: the period's last day one month later (end of month to end of month)."""
    assert deadline("Loonheffingen", label, kind) == expected


def test_every_four_week_period_of_2026_is_due_within_one_month_after_it() -> None:
    """Thirteen deadlines, each 28 to 31 days after its period's end."""
    for number in range(1, 14):
        period = parse_period(f"2026-P{number:02d}", W)
        due = due_date("Loonheffingen", period)
        assert due is not None
        assert 28 <= (due - period.end).days <= 31, period.label


def test_income_tax_is_due_on_1_may_of_the_following_year() -> None:
    """Aangifte IB 2026 on 1 May 2027; 2024, a leap year, on 1 May 2025."""
    assert deadline("Aangifte IB", "2026", Y) == D(2027, 5, 1)
    assert deadline("Aangifte IB", "2024", Y) == D(2025, 5, 1)


@pytest.mark.parametrize(
    ("label", "starts", "expected"),
    [
        ("2026", JANUARY_FIRST, D(2027, 5, 31)),
        ("2025/2026", JULY, D(2026, 11, 30)),  # 01-07-2025..30-06-2026
        ("2026/2027", (1, 3), D(2027, 7, 31)),  # ends 28-02-2027
        ("2027/2028", (1, 3), D(2028, 7, 31)),  # ends on the leap day 29-02-2028
        ("2025/2026", (1, 10), D(2027, 2, 28)),  # ends 30-09-2026
        ("2025/2026", (15, 7), D(2026, 12, 14)),  # ends 14-07-2026
    ],
)
def test_corporate_tax_is_due_five_months_after_the_financial_year(
    label: str, starts: DayMonth, expected: dt.date
) -> None:
    """Aangifte Vpb: five months after the boekjaar ends, broken years too."""
    assert deadline("Aangifte Vpb", label, FY, starts) == expected


def test_annual_accounts_are_due_twelve_months_after_the_financial_year() -> None:
    """Jaarrekening: made public at the KvK within twelve months of the year's end."""
    assert deadline("Jaarrekening", "2026", FY) == D(2027, 12, 31)
    assert deadline("Jaarrekening", "2025/2026", FY, JULY) == D(2027, 6, 30)
    assert deadline("Jaarrekening", "2027/2028", FY, (1, 3)) == D(2029, 2, 28)


def test_a_product_without_a_rule_has_no_deadline() -> None:
    """An office's own product, and an onboarding workflow (no product), get None."""
    assert deadline("Adviesgesprek", "2026", Y) is None
    assert due_date(None, parse_period("2026", Y)) is None


def test_no_deadline_past_the_last_year_a_date_can_hold() -> None:
    """A period of 9999 has no deadline to give instead of an error."""
    assert deadline("Aangifte IB", "9999", Y) is None
    assert deadline("Aangifte OB", "9999-K4", Q) is None


@given(st.dates(min_value=D(1901, 1, 1), max_value=D(9998, 1, 1)), st.integers(1, 12))
def test_months_after_keeps_the_day_or_goes_to_the_end_of_the_month(
    day: dt.date, months: int
) -> None:
    """The month moves by exactly `months`; a month's last day stays a month's last day, any
    other day stays itself or is cut to a shorter month's end."""
    later = months_after(day, months)
    month_end = end_of_next_month(later.replace(day=1) - dt.timedelta(days=1))
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    if day == end_of_next_month(day.replace(day=1) - dt.timedelta(days=1)):
        assert later == month_end
    else:
        assert later.day == min(day.day, month_end.day)


def test_under_the_uitstelregeling_income_tax_is_due_a_year_later() -> None:
    """Catalogue income_tax_extension: IB 2025 due 1 May 2027 instead of 1 May 2026."""
    year = parse_period("2025", PeriodType.YEAR)
    assert due_date("Aangifte IB", year) == dt.date(2026, 5, 1)
    with use_income_tax_extension(True):
        assert due_date("Aangifte IB", year) == dt.date(2027, 5, 1)
        assert due_date("Aangifte OB", parse_period("2026-K1", PeriodType.QUARTER)) == dt.date(
            2026, 4, 30
        )
    assert due_date("Aangifte IB", year) == dt.date(2026, 5, 1)
