"""R3, severity by consequence: an invalid phone, e-mail address or address part is a warning
and only that value is left out; the identifiers filing depends on stay errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kantoor_batch.validate.report import ValidationReport
from tests.builders import Book, valid_book, where

Check = Callable[[Book], ValidationReport]


def test_an_unallocated_mobile_number_is_a_warning_and_left_out(check: Check) -> None:
    """067-12345678 (no such mobile range): the client is fine, the number is not stored."""
    report = check(valid_book().set("Relaties", 0, "Telefoon", "067-12345678"))
    assert where(report.issues) == [("Relaties", 2, "Telefoon", "invalid-phone")]
    assert report.ok
    assert report.sheets["relations"].data.at[2, "phone"] is None
    assert "niet opgeslagen" in report.issues[0].message()


def test_an_invalid_contact_e_mail_is_a_warning_and_left_out(check: Check) -> None:
    """jan@bakker (no domain) on a contact: a warning, the address is not stored."""
    report = check(valid_book().set("Contacten", 0, "E-mail", "jan@bakker"))
    assert where(report.issues) == [("Contacten", 2, "E-mail", "invalid-email")]
    assert report.ok
    assert report.sheets["contacts"].data.at[2, "email"] is None
    assert "niet opgeslagen" in report.issues[0].message()


def test_an_invalid_employee_e_mail_is_a_warning_and_left_out(check: Check) -> None:
    """The employee is still created, without the address."""
    report = check(valid_book().set("Medewerkers", 0, "E-mail", "jan.kantoor.nl"))
    assert where(report.issues) == [("Medewerkers", 2, "E-mail", "invalid-email")]
    assert report.ok
    assert report.sheets["employees"].data.at[2, "email"] is None


def test_an_invalid_postcode_is_a_warning_and_left_out(check: Check) -> None:
    """9751 SA (SA is never used): a warning, the postcode is not stored."""
    report = check(valid_book().set("Relaties", 0, "Postcode", "9751 SA"))
    assert where(report.issues) == [("Relaties", 2, "Postcode", "invalid-postcode")]
    assert report.ok
    assert report.sheets["relations"].data.at[2, "postcode"] is None


def test_a_house_number_with_a_fraction_is_a_warning_and_left_out(check: Check) -> None:
    """A numeric cell 12.5: not a house number; the rest of the address stays."""
    report = check(valid_book().set("Relaties", 0, "Huisnummer", 12.5))
    assert where(report.issues) == [("Relaties", 2, "Huisnummer", "invalid-house-number")]
    assert report.ok
    assert report.sheets["relations"].data.at[2, "house_number"] is None
    assert report.sheets["relations"].data.at[2, "postcode"] == "9711 LM"


def test_a_relation_number_with_a_fraction_is_still_an_error(check: Check) -> None:
    """101.5 as Relatienummer: invalid-number, an error, the bundle cannot be placed."""
    report = check(valid_book().set("Rollen", 0, "Relatienummer", 101.5))
    assert ("Rollen", 2, "Relatienummer", "invalid-number") in where(report.issues)
    assert not report.ok


@pytest.mark.parametrize(
    ("sheet", "header", "value", "code"),
    [
        ("Relaties", "BSN/RSIN", "123456789", "invalid-fiscal-number"),
        ("Relaties", "KvK-nummer", "1234", "invalid-kvk-number"),
        ("Relaties", "OB-nummer", "123456789B01", "invalid-vat-number"),
        ("Relaties", "Loonheffingennummer", "123456789L01", "invalid-payroll-tax-number"),
        ("Contacten", "BSN", "123456789", "invalid-bsn"),
    ],
)
def test_identifiers_filing_depends_on_stay_errors(
    check: Check, sheet: str, header: str, value: str, code: str
) -> None:
    """BSN/RSIN, KvK, OB-nummer and loonheffingennummer: an error, the value kept as typed."""
    report = check(valid_book().set(sheet, 0, header, value))
    assert where(report.issues) == [(sheet, 2, header, code)]
    assert not report.ok
