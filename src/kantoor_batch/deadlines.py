"""Deadlines (Uiterste datum): the last day on which the work of a product's period is due.

A pure function of the product and the period (periods.Period), after the Belastingdienst's
and the Civil Code's rules (sources in docs/decisions.md, "Deadlines"):

  Aangifte OB     month, quarter: the last day of the month after the period
                  (2026-K1 -> 30-04-2026; 2026-01 -> 28-02-2026); year: 31 March of the
                  following year (2026 -> 31-03-2027)
  Opgaaf ICP      the last day of the month after the period, whatever its length
                  (2026-K4 -> 31-01-2027; a year: 31 January of the following year)
  Loonheffingen   one month after the period ends: the same day of the next month, the last
                  day of that month when the period ends on a month's last day or the next
                  month is shorter (2026-01 -> 28-02-2026, 2026-02 -> 31-03-2026,
                  2026-P01 ending 25-01 -> 25-02-2026, 2026-P13 ending 31-12 -> 31-01-2027)
  Aangifte IB     1 May of the following year (2026 -> 01-05-2027); under the uitstelregeling
                  (catalogue `income_tax_extension = true`) 1 May of the year after that
  Aangifte Vpb    five months after the financial year ends, counted like loonheffingen
                  (2026 -> 31-05-2027; 2025/2026 from 1 July -> 30-11-2026)
  Jaarrekening    twelve months after the financial year ends: the latest date it must be
                  made public at the KvK (2026 -> 31-12-2027; 2025/2026 from 1 July ->
                  30-06-2027)

Any other product (an office's own, from the catalogue file) has no deadline here: None, as
for an onboarding workflow. Weekends and holidays do not move a date (the Algemene
termijnenwet may allow the next working day; the office files before it either way).
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

from kantoor_batch.catalogues import INCOME_TAX_PRODUCT, PeriodType
from kantoor_batch.periods import Period

VAT_PRODUCT = "Aangifte OB"
ICP_PRODUCT = "Opgaaf ICP"
PAYROLL_PRODUCT = "Loonheffingen"
CORPORATE_TAX_PRODUCT = "Aangifte Vpb"
ANNUAL_ACCOUNTS_PRODUCT = "Jaarrekening"

CORPORATE_TAX_MONTHS = 5  # art. 9 AWR with the Belastingdienst's term for the Vpb
ANNUAL_ACCOUNTS_MONTHS = 12  # art. 2:394 BW: 5 (+5) months to draw up, 2 to adopt
PAYROLL_MONTHS = 1  # art. 19 AWR: within one month after the end of the period


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, gregorian.monthrange(year, month)[1])


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day so many months later; the last day of that month when the day is the last
    of its own month (28-02 -> 31-03) or the later month is shorter (31-01 -> 28-02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _last_day(year, month + 1)
    if day == _last_day(day.year, day.month):
        return last
    return last.replace(day=min(day.day, last.day))


def end_of_next_month(day: dt.date) -> dt.date:
    """The last day of the month after the month of this day."""
    return months_after(_last_day(day.year, day.month), 1)


def _vat(period: Period) -> dt.date:
    if period.type is PeriodType.YEAR:
        return dt.date(period.end.year + 1, 3, 31)
    return end_of_next_month(period.end)


def _icp(period: Period) -> dt.date:
    return end_of_next_month(period.end)


def _payroll(period: Period) -> dt.date:
    return months_after(period.end, PAYROLL_MONTHS)


# The uitstelregeling belastingconsulenten: a firm under it files the income-tax returns of a
# year until 1 May of the second year after it. Off unless the catalogue file says
# `income_tax_extension = true`; a run makes it active with use_income_tax_extension().
_INCOME_TAX_EXTENSION: ContextVar[bool] = ContextVar("income_tax_extension", default=False)


@contextmanager
def use_income_tax_extension(on: bool) -> Iterator[None]:
    """Within the block, Aangifte IB is due 1 May of the second year after the tax year."""
    token = _INCOME_TAX_EXTENSION.set(on)
    try:
        yield
    finally:
        _INCOME_TAX_EXTENSION.reset(token)


def _income_tax(period: Period) -> dt.date:
    years = 2 if _INCOME_TAX_EXTENSION.get() else 1
    return dt.date(period.end.year + years, 5, 1)


def _corporate_tax(period: Period) -> dt.date:
    return months_after(period.end, CORPORATE_TAX_MONTHS)


def _annual_accounts(period: Period) -> dt.date:
    return months_after(period.end, ANNUAL_ACCOUNTS_MONTHS)


DEADLINE_RULES: Mapping[str, Callable[[Period], dt.date]] = MappingProxyType(
    {
        VAT_PRODUCT: _vat,
        ICP_PRODUCT: _icp,
        PAYROLL_PRODUCT: _payroll,
        INCOME_TAX_PRODUCT: _income_tax,
        CORPORATE_TAX_PRODUCT: _corporate_tax,
        ANNUAL_ACCOUNTS_PRODUCT: _annual_accounts,
    }
)


def due_date(product: str | None, period: Period) -> dt.date | None:
    """The deadline of this product's work for this period; None for a product without a
    rule here (an office's own product, an onboarding workflow) or past the year 9999."""
    rule = DEADLINE_RULES.get(product or "")
    if rule is None:
        return None
    try:
        return rule(period)
    except ValueError:  # after 31-12-9999, for a period of that year: no date to give
        return None
