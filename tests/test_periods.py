"""Tax periods: labels, running periods at an as-of date, and their edges."""

from __future__ import annotations

import contextlib
import datetime as dt
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantoor_batch.catalogues import Catalogues, PeriodType
from kantoor_batch.errors import ConfigError
from kantoor_batch.periods import (
    FourWeekCalendar,
    PeriodError,
    PeriodOutOfRangeError,
    following,
    parse_period,
    period_containing,
    periods_from,
    use_calendar,
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


def four_weeks(year: int) -> list[tuple[str, str]]:
    """The 13 four-week periods of a year as (start, end) in dd-mm."""
    periods = [parse_period(f"{year}-P{n:02d}", PeriodType.FOUR_WEEKS) for n in range(1, 14)]
    return [(f"{p.start:%d-%m}", f"{p.end:%d-%m}") for p in periods]


def test_four_week_periods_of_2020_match_the_belastingdienst_reference_values() -> None:
    """2020 (53 ISO weeks, 1 January a Wednesday): P1 01-01..26-01, P2 27-01..23-02, P3
    24-02..22-03, P8 13-07..09-08, P10 07-09..04-10, P13 30-11..31-12."""
    periods = four_weeks(2020)
    assert periods[0] == ("01-01", "26-01")
    assert periods[1] == ("27-01", "23-02")
    assert periods[2] == ("24-02", "22-03")
    assert periods[7] == ("13-07", "09-08")
    assert periods[9] == ("07-09", "04-10")
    assert periods[12] == ("30-11", "31-12")


def test_four_week_periods_of_2026_match_the_week_calendar() -> None:
    """2026 (53 ISO weeks, 1 January a Thursday): P1 01-01..25-01, P12 02-11..29-11, P13
    30-11..31-12."""
    periods = four_weeks(2026)
    assert periods[0] == ("01-01", "25-01")
    assert periods[11] == ("02-11", "29-11")
    assert periods[12] == ("30-11", "31-12")


def test_in_a_year_starting_late_in_the_week_period_1_runs_to_the_end_of_iso_week_4() -> None:
    """1 January on a Friday (2021, 2027), Saturday (2022) or Sunday (2023): period 1 takes the
    days before ISO week 1 as well, and periods 2-12 stay the wage periods of ISO weeks."""
    assert four_weeks(2021)[:3] == [("01-01", "31-01"), ("01-02", "28-02"), ("01-03", "28-03")]
    assert four_weeks(2021)[12] == ("06-12", "31-12")
    assert four_weeks(2027)[:2] == [("01-01", "31-01"), ("01-02", "28-02")]
    assert four_weeks(2027)[12] == ("06-12", "31-12")
    assert four_weeks(2022)[:2] == [("01-01", "30-01"), ("31-01", "27-02")]
    assert four_weeks(2022)[12] == ("05-12", "31-12")
    assert four_weeks(2023)[:2] == [("01-01", "29-01"), ("30-01", "26-02")]
    assert four_weeks(2023)[12] == ("04-12", "31-12")


def test_the_running_four_week_period_changes_on_its_boundaries() -> None:
    """At the edges of 2026 P12 and P13, and across the year end into 2027 P01."""
    running = [
        period_containing(PeriodType.FOUR_WEEKS, day).label
        for day in (D(2026, 11, 1), D(2026, 11, 2), D(2026, 11, 29), D(2026, 11, 30))
    ]
    assert running == ["2026-P11", "2026-P12", "2026-P12", "2026-P13"]
    last = period_containing(PeriodType.FOUR_WEEKS, D(2026, 12, 31))
    assert following(last) == parse_period("2027-P01", PeriodType.FOUR_WEEKS)
    assert following(last).start == D(2027, 1, 1)


@given(st.integers(1901, 9999))
def test_every_year_has_13_four_week_periods_on_the_week_calendar(year: int) -> None:
    """P1 starts on 1 January, P2-P13 on a Monday, P2-P12 last 28 days, P13 ends on 31
    December, and each period starts the day after the one before."""
    periods = [parse_period(f"{year}-P{n:02d}", PeriodType.FOUR_WEEKS) for n in range(1, 14)]
    assert periods[0].start == D(year, 1, 1)
    assert periods[-1].end == D(year, 12, 31)
    assert all(p.start.weekday() == 0 for p in periods[1:])
    assert all((p.end - p.start).days == 27 for p in periods[1:12])
    assert all(b.start == a.end + dt.timedelta(days=1) for a, b in pairwise(periods))


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
    assert period_containing(PeriodType.FOUR_WEEKS, D(2026, 11, 30)).label == "2026-P13"


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


# 2027 as a library that ends period 1 on the fourth Sunday counted from the Sunday before
# 1 January would have it: each period a week earlier than the week calendar.
OFFICE_2027 = (D(2027, 1, 1), *(D(2027, 1, 25) + dt.timedelta(weeks=4 * n) for n in range(12)))


def test_an_office_calendar_replaces_the_rule_for_the_years_it_states() -> None:
    """Labels, running periods, following and periods_from use the stated 2027 dates; 2026 and
    2028 keep the week calendar."""
    office = FourWeekCalendar({2027: OFFICE_2027})
    first = parse_period("2027-P01", PeriodType.FOUR_WEEKS, calendar=office)
    assert (first.start, first.end) == (D(2027, 1, 1), D(2027, 1, 24))
    last = parse_period("2027-P13", PeriodType.FOUR_WEEKS, calendar=office)
    assert (last.start, last.end) == (D(2027, 11, 29), D(2027, 12, 31))
    assert period_containing(PeriodType.FOUR_WEEKS, D(2027, 1, 25), calendar=office).label == (
        "2027-P02"
    )
    assert following(first, calendar=office).start == D(2027, 1, 25)
    december = parse_period("2026-P13", PeriodType.FOUR_WEEKS, calendar=office)
    assert december.start == D(2026, 11, 30)
    span = periods_from(december, parse_period("2028-P01", PeriodType.FOUR_WEEKS), calendar=office)
    assert len(span) == 15
    assert span[-1].start == D(2028, 1, 1)


def test_the_active_calendar_is_used_when_none_is_given() -> None:
    """Inside use_calendar the functions follow it; outside, the week calendar again."""
    with use_calendar(FourWeekCalendar({2027: OFFICE_2027})):
        assert period_containing(PeriodType.FOUR_WEEKS, D(2027, 1, 28)).label == "2027-P02"
    assert period_containing(PeriodType.FOUR_WEEKS, D(2027, 1, 28)).label == "2027-P01"


@pytest.mark.parametrize(
    ("starts", "problem"),
    [
        (OFFICE_2027[:12], "13"),
        ((D(2027, 1, 2), *OFFICE_2027[1:]), "1 januari"),
        ((*OFFICE_2027[:12], D(2028, 1, 3)), "ander jaar"),
        ((*OFFICE_2027[:5], D(2027, 5, 18), *OFFICE_2027[6:]), "maandag"),
        ((OFFICE_2027[0], OFFICE_2027[2], OFFICE_2027[1], *OFFICE_2027[3:]), "niet op"),
    ],
)
def test_an_office_calendar_must_be_a_week_calendar(
    starts: tuple[dt.date, ...], problem: str
) -> None:
    """13 ascending dates in the year, from 1 January, periods 2-12 Monday plus four weeks."""
    with pytest.raises(ValueError, match=problem):
        FourWeekCalendar({2027: starts})


def test_the_catalogue_file_can_state_a_years_four_week_calendar(tmp_path: Path) -> None:
    """[four_week_calendar] 2027 = [dates]: loaded as the catalogue's calendar; a wrong table is
    a configuration error that names the year."""
    dates = ", ".join(f"{d:%Y-%m-%d}" for d in OFFICE_2027)
    good = tmp_path / "kantoor.toml"
    good.write_text(f"[four_week_calendar]\n2027 = [{dates}]\n", encoding="utf-8")
    assert Catalogues.load(good).calendar.starts(2027) == OFFICE_2027
    assert Catalogues().calendar.starts(2027)[1] == D(2027, 2, 1)
    bad = tmp_path / "fout.toml"
    bad.write_text('[four_week_calendar]\n2027 = ["2027-01-01", "2027-01-25"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="2027 heeft 2 begindatums"):
        Catalogues.load(bad)


@pytest.mark.parametrize(
    ("label", "period_type", "starts"),
    [
        ("0000-K1", PeriodType.QUARTER, (1, 1)),
        ("0226-K1", PeriodType.QUARTER, (1, 1)),
        ("1900-12", PeriodType.MONTH, (1, 1)),
        ("0001-P01", PeriodType.FOUR_WEEKS, (1, 1)),
        ("1900/1901", PeriodType.FINANCIAL_YEAR, (1, 7)),
    ],
)
def test_a_label_before_1901_is_out_of_range(
    label: str, period_type: PeriodType, starts: tuple[int, int]
) -> None:
    """Excel holds no date before 1900, and SBR starts the day before the first period."""
    with pytest.raises(PeriodOutOfRangeError):
        parse_period(label, period_type, starts)


def test_the_last_periods_of_9999_exist_but_have_no_following_period() -> None:
    """9999-K4, 9999-12, 9999-P13 and boekjaar 9998/9999 parse; after them: PeriodError."""
    for label, period_type in (
        ("9999-K4", PeriodType.QUARTER),
        ("9999-12", PeriodType.MONTH),
        ("9999-P13", PeriodType.FOUR_WEEKS),
        ("9999", PeriodType.FINANCIAL_YEAR),
    ):
        period = parse_period(label, period_type)
        assert period.end == D(9999, 12, 31)
        assert periods_from(period, period) == [period]
        with pytest.raises(PeriodOutOfRangeError):
            following(period)
    july = parse_period("9998/9999", PeriodType.FINANCIAL_YEAR, (1, 7))
    with pytest.raises(PeriodOutOfRangeError):
        following(july, (1, 7))


labels = st.one_of(
    st.from_regex(r"\d{4}(-[KkQ][0-9]|-\d{1,2}|-P\d{1,2}|/\d{4}|-\d{4})?", fullmatch=True),
    st.text(max_size=12),
)


@given(
    labels,
    st.sampled_from(list(PeriodType)),
    st.sampled_from([(1, 1), (1, 7), (15, 3), (31, 12)]),
)
def test_no_label_raises_anything_but_period_error(
    label: str, period_type: PeriodType, starts: tuple[int, int]
) -> None:
    """Any text, years 0000-9999 included: a period (with a following one or PeriodError), or
    PeriodError."""
    try:
        period = parse_period(label, period_type, starts)
    except PeriodError:
        return
    assert parse_period(period.label, period_type, starts) == period
    with contextlib.suppress(PeriodError):
        assert following(period, starts).start == period.end + dt.timedelta(days=1)
