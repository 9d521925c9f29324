"""R7: a Vanaf an office can plausibly mean, from five years back (the term for additional
assessments) up to next year; and labels whose year no calendar can hold, reported, not raised."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.validate.report import ValidationReport
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import Book, valid_book, where
from tests.conftest import AS_OF

Check = Callable[[Book], ValidationReport]
IMPLAUSIBLE = [("Producten", 2, "Vanaf", "implausible-start-period")]


@pytest.mark.parametrize("vanaf", ["2021-K1", "2026-K4", "2027-K4"])
def test_a_vanaf_from_five_years_back_up_to_next_year_is_accepted(check: Check, vanaf: str) -> None:
    """At 29-11-2026: 2021 (still open for additional assessments) up to 2027."""
    assert check(valid_book().set("Producten", 0, "Vanaf", vanaf)).issues == []


@pytest.mark.parametrize("vanaf", ["2020-K4", "1900-K1", "2028-K1", "2099-K1"])
def test_a_vanaf_before_the_horizon_or_after_next_year_is_an_error(
    check: Check, vanaf: str
) -> None:
    """At 29-11-2026 2020-K4 is too old and 2028-K1 too far ahead: an error on the cell."""
    report = check(valid_book().set("Producten", 0, "Vanaf", vanaf))
    assert where(report.issues) == IMPLAUSIBLE


def test_the_message_says_what_was_found_the_allowed_years_and_what_to_do(check: Check) -> None:
    """The value, 2021 t/m 2027, the as-of date and the way out, in Dutch and English."""
    issue = check(valid_book().set("Producten", 0, "Vanaf", "2020-K4")).issues[0]
    dutch = issue.message()
    assert "Vanaf '2020-K4' valt niet in 2021 t/m 2027" in dutch
    assert "peildatum 29-11-2026" in dutch
    assert "5 jaar terug" in dutch
    assert "laat Vanaf leeg voor de lopende periode" in dutch
    assert "not within 2021 to 2027" in issue.message("en")


def test_a_financial_year_that_reaches_into_the_first_year_is_accepted(check: Check) -> None:
    """Boekjaar from 1 July: 2020/2021 ends in 2021 and is accepted; 2019/2020 is not."""
    book = valid_book().set("Relaties", 0, "Boekjaar begint", "01-07")
    good = book.add("Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2020/2021")
    assert check(good).issues == []
    bad = book.add("Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2019/2020")
    assert where(check(bad).issues) == [("Producten", 3, "Vanaf", "implausible-start-period")]


def test_the_horizon_is_a_catalogue_setting(tmp_path: Path) -> None:
    """start_period_years_back = 7 accepts 2019-K1 at 29-11-2026."""
    path = valid_book().set("Producten", 0, "Vanaf", "2019-K1").write(tmp_path / "a.xlsx")
    assert not validate_workbook(path, as_of=AS_OF).ok
    seven = Catalogues(start_period_years_back=7)
    assert validate_workbook(path, catalogues=seven, as_of=AS_OF).ok


@pytest.mark.parametrize("vanaf", ["0226-K1", "9999-K4", "0000-K1"])
def test_years_no_office_means_are_implausible_not_a_crash(check: Check, vanaf: str) -> None:
    """Issue 9: 0226-K1, 9999-K4 and the year 0000 are reported on the cell."""
    report = check(valid_book().set("Producten", 0, "Vanaf", vanaf))
    assert where(report.issues) == IMPLAUSIBLE


@pytest.mark.parametrize(
    ("product", "tijdvak", "vanaf"),
    [
        ("Loonheffingen", "Vier weken", "9999-P13"),
        ("Loonheffingen", "Maand", "9999-12"),
        ("Jaarrekening", None, "9999"),
        ("Loonheffingen", "Vier weken", "0001-P01"),
    ],
)
def test_the_last_and_first_years_of_every_type_are_reported(
    check: Check, product: str, tijdvak: str | None, vanaf: str
) -> None:
    """Four weeks, month and financial year at the edges of the calendar."""
    book = valid_book().add(
        "Producten", Relatienummer="0101", Product=product, Tijdvak=tijdvak, Vanaf=vanaf
    )
    assert where(check(book).issues) == [("Producten", 3, "Vanaf", "implausible-start-period")]


def test_validation_refuses_an_as_of_date_no_calendar_can_work_with(tmp_path: Path) -> None:
    """The CLI refuses it first; a library caller gets a ValueError, not a half report."""
    path = valid_book().write(tmp_path / "a.xlsx")
    with pytest.raises(ValueError, match="peildatum 9999-12-31"):
        validate_workbook(path, as_of=AS_OF.replace(year=9999, month=12, day=31))
