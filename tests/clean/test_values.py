"""Cleaning cells: dates, Ja/Nee, identifiers that lost their zeros, day-month, periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest

from kantoor_batch.clean.values import as_text
from kantoor_batch.validate.report import ValidationReport
from tests.builders import VALID_BSN, Book, valid_book, where

Check = Callable[[Book], ValidationReport]


def birth_date(check: Check, value: object) -> tuple[object, list[str]]:
    report = check(valid_book().set("Contacten", 0, "Geboortedatum", value))
    codes = [i.code for i in report.issues if i.column == "Geboortedatum"]
    return report.sheets["contacts"].data.at[2, "birth_date"], codes


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.date(1978, 3, 17), dt.date(1978, 3, 17)),  # a real date cell
        (28566, dt.date(1978, 3, 17)),  # an Excel serial number
        ("17-03-1978", dt.date(1978, 3, 17)),
        ("17/3/1978", dt.date(1978, 3, 17)),
        ("17.03.1978", dt.date(1978, 3, 17)),
        ("1978-03-17", dt.date(1978, 3, 17)),  # ISO
    ],
)
def test_dates_are_read_from_cells_serials_dutch_and_iso_text(
    check: Check, cell: object, expected: dt.date
) -> None:
    """Every accepted way of writing a date gives the same day."""
    assert birth_date(check, cell) == (expected, [])


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("17-3-78", "ambiguous-date"),  # two-digit year: never a guess
        ("31-02-1980", "impossible-date"),
        ("03/17/1978", "impossible-date"),  # American order: month 17 does not exist
        ("17 maart 1978", "invalid-date"),
        ("1978/03/17", "invalid-date"),
        (-5, "invalid-date"),
        ("01-01-2030", "birth-date-in-future"),
    ],
)
def test_bad_dates_are_errors_never_guesses(check: Check, cell: object, code: str) -> None:
    """An ambiguous, impossible or unreadable date is one error on its cell."""
    assert birth_date(check, cell)[1] == [code]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Ja", True),
        ("j", True),
        ("YES", True),
        (True, True),
        ("WAAR", True),
        ("x", True),
        ("Nee", False),
        ("N", False),
        ("no", False),
        (False, False),
        ("onwaar", False),
        (None, None),
    ],
)
def test_yes_no_takes_every_usual_spelling(check: Check, cell: object, expected: object) -> None:
    """Ja/Nee also takes J/N, Yes/No, True/False, WAAR/ONWAAR and X/empty (R3)."""
    report = check(valid_book().set("Contacten", 0, "Aangifte IB", cell))
    assert report.sheets["contacts"].data.at[2, "income_tax_return"] == expected
    assert report.ok


def test_an_unknown_yes_no_value_is_an_error(check: Check) -> None:
    """'misschien' is neither Ja nor Nee."""
    report = check(valid_book().set("Contacten", 0, "Aangifte IB", "misschien"))
    assert where(report.issues) == [("Contacten", 2, "Aangifte IB", "invalid-yes-no")]


def test_an_identifier_stored_as_number_gets_its_zeros_back_with_a_warning(check: Check) -> None:
    """Excel made 01234567 into 1234567: padded back to 8 digits and reported (R3)."""
    report = check(valid_book().set("Relaties", 0, "KvK-nummer", 1234567))
    assert report.sheets["relations"].data.at[2, "kvk_number"] == "01234567"
    assert where(report.issues) == [("Relaties", 2, "KvK-nummer", "identifier-padded")]
    assert report.ok


def test_a_bsn_stored_as_number_is_padded_and_then_checked(check: Check) -> None:
    """A BSN with a leading zero that Excel dropped passes once padded back."""
    report = check(valid_book().set("Relaties", 0, "BSN/RSIN", 2455791))
    assert report.sheets["relations"].data.at[2, "fiscal_number"] == "002455791"
    assert [i.code for i in report.issues] == ["identifier-padded"]


def test_relation_numbers_keep_leading_zeros_and_numbers_lose_their_point_zero(
    check: Check,
) -> None:
    """Text '0101' stays '0101'; a numeric cell 102 becomes '102', not '102.0'."""
    book = valid_book().add("Relaties", Relatienummer=102, Soort="Persoon", Naam="A. Jansen")
    numbers = check(book).sheets["relations"].data["relation_number"].tolist()
    assert numbers == ["0101", "102"]


def test_a_relation_number_with_a_fraction_is_an_error(check: Check) -> None:
    """102.5 is no number a firm gives out."""
    book = valid_book().add("Relaties", Relatienummer=102.5, Soort="Persoon", Naam="A. Jansen")
    assert ("Relaties", 3, "Relatienummer", "invalid-number") in where(check(book).issues)


def test_spaces_and_dots_in_identifiers_are_removed(check: Check) -> None:
    """'1234.56.782' and 'nl91 abna 0417 1643 00' are compacted before checking."""
    book = valid_book().set("Contacten", 0, "BSN", "1112.22.333")
    book = book.set("Relaties", 0, "IBAN", "nl91 abna 0417 1643 00")
    report = check(book)
    assert report.sheets["contacts"].data.at[2, "bsn"] == VALID_BSN
    assert report.sheets["relations"].data.at[2, "iban"] == "NL91ABNA0417164300"
    assert report.ok


def test_postcodes_are_stored_with_one_space(check: Check) -> None:
    """'9711lm' becomes '9711 LM'."""
    report = check(valid_book().set("Relaties", 0, "Postcode", "9711lm"))
    assert report.sheets["relations"].data.at[2, "postcode"] == "9711 LM"


def test_phone_numbers_are_normalised_in_the_relations_country(check: Check) -> None:
    """050-1234567 in NL and a Belgian number in BE come out international."""
    book = valid_book().set("Relaties", 0, "Telefoon", "050-3110000")
    book = book.add(
        "Relaties",
        Relatienummer="2",
        Soort="Persoon",
        Naam="B. Peeters",
        Land="België",
        Telefoon="02 551 18 11",
    )
    data = check(book).sheets["relations"].data
    assert data["phone"].tolist() == ["+31 50 311 0000", "+32 2 551 18 11"]
    assert data["country"].tolist() == [None, "BE"]


def test_a_phone_number_excel_stripped_of_its_zero_still_normalises(check: Check) -> None:
    """612345678 (from 0612345678) is a Dutch mobile number."""
    report = check(valid_book().set("Contacten", 0, "Telefoon", 612345678))
    assert report.sheets["contacts"].data.at[2, "phone"] == "+31 6 12345678"


def test_an_impossible_phone_number_is_an_error(check: Check) -> None:
    """'12' is no phone number anywhere."""
    report = check(valid_book().set("Contacten", 0, "Telefoon", "12"))
    assert where(report.issues) == [("Contacten", 2, "Telefoon", "invalid-phone")]


@pytest.mark.parametrize(
    ("cell", "expected"), [("01-07", "01-07"), ("1-7", "01-07"), (dt.date(2026, 7, 1), "01-07")]
)
def test_financial_year_start_is_day_and_month(check: Check, cell: object, expected: str) -> None:
    """Boekjaar begint 'dd-mm'; a date cell Excel made of '01-07' counts as 1 July."""
    report = check(valid_book().set("Relaties", 0, "Boekjaar begint", cell))
    assert report.sheets["relations"].data.at[2, "financial_year_start"] == expected


def test_a_financial_year_cannot_start_on_29_february(check: Check) -> None:
    """29-02 does not exist every year."""
    report = check(valid_book().set("Relaties", 0, "Boekjaar begint", "29-02"))
    assert ("Relaties", 2, "Boekjaar begint", "invalid-day-month") in where(report.issues)


def test_a_month_excel_turned_into_a_date_is_read_back_as_the_month(check: Check) -> None:
    """Typing 2026-03 in a General cell gives 1-3-2026; Vanaf reads it as 2026-03."""
    book = valid_book().set("Producten", 0, "Tijdvak", "Maand")
    report = check(book.set("Producten", 0, "Vanaf", dt.date(2026, 3, 1)))
    assert report.sheets["products"].data.at[2, "start_period"] == "2026-03"
    assert report.ok


def test_closed_lists_match_without_case_dots_or_accents(check: Check) -> None:
    """'b.v.', 'organisatie' and 'cooperatie' are the list values."""
    book = (
        valid_book()
        .set("Relaties", 0, "Rechtsvorm", "b.v.")
        .set("Relaties", 0, "Soort", "organisatie")
    )
    book = book.add(
        "Relaties",
        Relatienummer="2",
        Soort="Organisatie",
        Naam="Graan U.A.",
        Rechtsvorm="cooperatie",
    )
    data = check(book).sheets["relations"].data
    assert data["legal_form"].tolist() == ["BV", "Coöperatie"]
    assert data["kind"].tolist() == ["Organisatie", "Organisatie"]


@pytest.mark.parametrize("copies", [1, 50])  # each text on its own, or the same few texts often
def test_text_cells_are_trimmed_and_empty_text_is_no_value(copies: int) -> None:
    cells = pd.Series([" BV ", "BV", "\u00a0Eenmanszaak", "", "   ", None, "VOF"] * copies)
    expected = ["BV", "BV", "Eenmanszaak", None, None, None, "VOF"] * copies
    assert as_text(cells).tolist() == expected
