"""R3 identifier rules, checked on whole columns; the 11-test agrees with python-stdnum."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn

from kantoor_batch.validate import identifiers
from kantoor_batch.validate.report import ValidationReport
from tests.builders import Book, valid_book, where

Check = Callable[[Book], ValidationReport]


@given(st.lists(st.integers(min_value=0, max_value=999_999_999), min_size=1, max_size=50))
def test_the_vectorised_bsn_check_agrees_with_python_stdnum(numbers: list[int]) -> None:
    """For any nine-digit strings, our column check and stdnum.nl.bsn say the same."""
    values = pd.Series([f"{n:09d}" for n in numbers])
    ours = identifiers.is_bsn(values).tolist()
    theirs = [bsn.is_valid(v) and v != "000000000" for v in values]
    assert ours == theirs


@given(st.integers(min_value=0, max_value=99_999_999))
def test_eight_digit_text_is_never_a_bsn_even_where_stdnum_would_pad_it(number: int) -> None:
    """stdnum pads 8 digits with a zero; a text BSN of 8 digits is refused (R3)."""
    assert not identifiers.is_bsn(pd.Series([f"{number:08d}"])).iloc[0]


def test_the_all_zero_bsn_is_refused() -> None:
    """000000000 passes the arithmetic but is no BSN."""
    assert not identifiers.is_bsn(pd.Series(["000000000"])).iloc[0]


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("KvK-nummer", "1234567", "invalid-kvk-number"),
        ("KvK-nummer", "1234567A", "invalid-kvk-number"),
        ("Vestigingsnummer", "12345678901", "invalid-establishment-number"),
        ("BSN/RSIN", "123456789", "invalid-fiscal-number"),
        # Full-width digits (typed on some keyboards) are no BSN; they once stopped the run.
        (
            "BSN/RSIN",
            "\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13",
            "invalid-fiscal-number",
        ),
        ("KvK-nummer", "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", "invalid-kvk-number"),
        ("OB-nummer", "123456789B01", "invalid-vat-number"),
        ("OB-nummer", "123456782X01", "invalid-vat-number"),
        ("Btw-id", "NL123456782B00", "invalid-vat-id"),
        ("Btw-id", "123456782B01", "invalid-vat-id"),
        ("Btw-id", "NL123456789B01", "invalid-vat-id"),
        ("Loonheffingennummer", "123456789L01", "invalid-payroll-tax-number"),
        ("IBAN", "NL91ABNA0417164301", "invalid-iban"),
        ("Postcode", "9751 SA", "invalid-postcode"),
        ("Postcode", "9751 SS", "invalid-postcode"),
        ("Postcode", "0751 AB", "invalid-postcode"),
        ("Postcode", "975 AB", "invalid-postcode"),
        ("E-mail", "info@korenaar", "invalid-email"),
        ("E-mail", "info korenaar.nl", "invalid-email"),
        ("Land", "Atlantis", "invalid-country"),
        ("Rechtsvorm", "GmbH", "invalid-choice"),
        ("Integratie", "Excel", "invalid-choice"),
    ],
)
def test_each_identifier_rule_reports_its_cell(
    check: Check, header: str, value: str, code: str
) -> None:
    """A bad value is one error at its sheet, row and column, with its own code."""
    report = check(valid_book().set("Relaties", 0, header, value))
    assert where(report.issues) == [("Relaties", 2, header, code)]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("KvK-nummer", "01234567"),  # no checksum: never rejected on one
        ("Vestigingsnummer", "000012345678"),
        ("OB-nummer", "123456782B01"),
        ("Btw-id", "NL123456782B01"),  # 11-test
        ("Btw-id", "NL002455799B11"),  # mod-97 (post-2020 sole-trader numbers)
        ("Loonheffingennummer", "123456782L01"),
        ("IBAN", "NL91ABNA0417164300"),
        ("Postcode", "9711 LM"),
        ("E-mail", "j.de.vries+kantoor@korenaar-bakkerij.nl"),
        ("Land", "nederland"),
    ],
)
def test_valid_identifiers_pass(check: Check, header: str, value: str) -> None:
    """Real-looking valid values raise nothing."""
    assert check(valid_book().set("Relaties", 0, header, value)).issues == []


def test_a_foreign_postcode_is_not_held_to_the_dutch_rule(check: Check) -> None:
    """A Belgian address keeps its own postcode."""
    book = valid_book().set("Relaties", 0, "Postcode", "1000").set("Relaties", 0, "Land", "BE")
    assert check(book).issues == []


def test_a_persons_bad_bsn_is_reported_on_contacten(check: Check) -> None:
    """The BSN of a contact has its own code."""
    report = check(valid_book().set("Contacten", 0, "BSN", "111222334"))
    assert where(report.issues) == [("Contacten", 2, "BSN", "invalid-bsn")]
