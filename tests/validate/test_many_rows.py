"""Messages about many rows stay short: the first rows and a count (issue 9), so that work and
output grow with the rows of the workbook, not with their square."""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd

from kantoor_batch.validate.consistency import row_list
from kantoor_batch.validate.report import ValidationReport
from tests.builders import Book, Row, valid_book, where

Check = Callable[[Book], ValidationReport]


def test_a_row_list_names_five_rows_and_counts_the_rest() -> None:
    """Six thousand rows: '2, 3, 4, 5, 6 en nog 5.995'."""
    assert row_list(pd.Index(range(2, 6002))) == "2, 3, 4, 5, 6 en nog 5.995"


def test_a_short_row_list_names_every_row() -> None:
    """Up to five rows are all named, without a count."""
    assert row_list(pd.Index([2, 7, 9])) == "2, 7, 9"


def test_twenty_thousand_equal_relation_numbers_give_short_messages_quickly(
    check: Check,
) -> None:
    """20,000 rows with relation number 0101: one error per row, each message bounded."""
    rows: list[Row] = [
        {"Relatienummer": "0101", "Soort": "Persoon", "Naam": f"P {i}"} for i in range(20_000)
    ]
    book = Book({"Relaties": rows})
    started = time.monotonic()
    report = check(book)
    assert time.monotonic() - started < 10
    assert report.errors == 20_000
    assert {issue.code for issue in report.issues} == {"duplicate-relation-number"}
    assert max(len(issue.message()) for issue in report.issues) < 250
    assert "rijen 2, 3, 4, 5, 6 en nog 19.995" in report.issues[-1].message()


def test_many_equal_contact_numbers_of_different_people_give_short_messages(
    check: Check,
) -> None:
    """Contact number 500 on 1,000 rows with different last names: each message bounded."""
    book = valid_book()
    book.sheets["Contacten"] = [
        {
            "Relatienummer": "0101",
            "Contactnummer": "500",
            "Soort contact": "Overig",
            "Achternaam": f"Naam {i}",
        }
        for i in range(1_000)
    ]
    issues = check(book).issues
    assert where(issues)[0] == ("Contacten", 2, "Contactnummer", "duplicate-contact-number")
    assert {issue.code for issue in issues} == {"duplicate-contact-number"}
    assert max(len(issue.message()) for issue in issues) < 250
