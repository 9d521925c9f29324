"""Checks across rows and sheets: duplicates (R2), references (R1, R10, R12), products and
periods (R8), required fields, and the client warnings of R4 and R5."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kantoor_batch.validate.references import Known
from kantoor_batch.validate.report import ValidationReport
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import OTHER_VALID_BSN, VALID_BSN, Book, valid_book, where
from tests.conftest import AS_OF

Check = Callable[[Book], ValidationReport]


def test_the_valid_book_has_no_issues(check: Check) -> None:
    """The starting point of these tests is clean."""
    assert check(valid_book()).issues == []


def test_an_empty_required_cell_is_reported(check: Check) -> None:
    """Naam left empty on a relation."""
    report = check(valid_book().set("Relaties", 0, "Naam", None))
    assert where(report.issues) == [("Relaties", 2, "Naam", "required-value-missing")]


def test_a_whitespace_only_cell_counts_as_empty(check: Check) -> None:
    """A cell with only spaces (or a non-breaking space) is empty."""
    report = check(valid_book().set("Relaties", 0, "Naam", " \xa0 "))
    assert where(report.issues) == [("Relaties", 2, "Naam", "required-value-missing")]


def test_an_organisation_needs_a_legal_form(check: Check) -> None:
    """Rechtsvorm is required for Soort = Organisatie only."""
    report = check(valid_book().set("Relaties", 0, "Rechtsvorm", None))
    assert where(report.issues) == [("Relaties", 2, "Rechtsvorm", "legal-form-required")]


def test_duplicate_relation_numbers_are_errors_on_every_row_involved(check: Check) -> None:
    """Two rows with 0101: both are reported and told about each other (R2)."""
    book = valid_book().add("Relaties", Relatienummer="0101", Soort="Persoon", Naam="A. Bakker")
    report = check(book)
    assert where(report.issues) == [
        ("Relaties", 2, "Relatienummer", "duplicate-relation-number"),
        ("Relaties", 3, "Relatienummer", "duplicate-relation-number"),
    ]
    assert "rijen 2, 3" in report.issues[0].message()


def test_relation_numbers_differing_only_in_leading_zeros_are_different(check: Check) -> None:
    """'0101' and '101' are two numbers: leading zeros count."""
    book = valid_book().add("Relaties", Relatienummer="101", Soort="Persoon", Naam="A. Bakker")
    assert check(book).ok


def test_duplicate_groups_and_employees_are_errors(check: Check) -> None:
    """A group name or employee code twice (whatever the case)."""
    book = (
        valid_book()
        .add("Relatiegroepen", Naam="mkb noord")
        .add("Medewerkers", Code="jdv", Naam="J. de Vries")
    )
    assert [w[3] for w in where(check(book).issues)] == [
        "duplicate-group",
        "duplicate-group",
        "duplicate-employee",
        "duplicate-employee",
    ]


def test_a_contact_of_an_unknown_relation_is_reported(check: Check) -> None:
    """Contacten row naming a relation that is not on Relaties (R12)."""
    book = valid_book().add(
        "Contacten", Relatienummer="0999", Soort_contact="Kind", Achternaam="Bakker"
    )
    assert ("Contacten", 3, "Relatienummer", "unknown-relation") in where(check(book).issues)


def test_products_and_roles_of_unknown_relations_are_reported(check: Check) -> None:
    """The same for Producten and Rollen."""
    book = valid_book().add("Producten", Relatienummer="0999", Product="Jaarrekening")
    book = book.add("Rollen", Relatienummer="0999", Rol="Fiscaal", Medewerker="JDV")
    found = where(check(book).issues)
    assert ("Producten", 3, "Relatienummer", "unknown-relation") in found
    assert ("Rollen", 3, "Relatienummer", "unknown-relation") in found


def test_an_unknown_group_is_an_error_on_the_relation(check: Check) -> None:
    """R1: the group must be on Relatiegroepen (or in the store)."""
    report = check(valid_book().set("Relaties", 0, "Relatiegroep", "Zuid"))
    assert where(report.issues) == [("Relaties", 2, "Relatiegroep", "unknown-group")]


def test_group_names_match_without_case(check: Check) -> None:
    """'mkb noord' is the group 'MKB Noord'."""
    assert check(valid_book().set("Relaties", 0, "Relatiegroep", "mkb noord")).ok


def test_a_role_of_an_unknown_employee_is_an_error(check: Check) -> None:
    """R10: the employee must be on Medewerkers (or in the store)."""
    report = check(valid_book().set("Rollen", 0, "Medewerker", "XYZ"))
    assert where(report.issues) == [("Rollen", 2, "Medewerker", "unknown-employee")]


def test_known_names_from_the_store_are_accepted(tmp_path: Path) -> None:
    """Known lets an import accept a group, employee or relation only the store has."""
    book = valid_book().set("Relaties", 0, "Relatiegroep", "Zuid")
    book = book.set("Rollen", 0, "Medewerker", "ABC")
    book = book.add("Producten", Relatienummer="0500", Product="Jaarrekening")
    path = book.write(tmp_path / "a.xlsx")
    known = Known(
        groups=frozenset({"zuid"}), employees=frozenset({"abc"}), relations=frozenset({"0500"})
    )
    assert validate_workbook(path, as_of=AS_OF, known=known).ok


def test_the_same_product_twice_for_a_relation_is_an_error(check: Check) -> None:
    """One row per product per relation."""
    book = valid_book().add("Producten", Relatienummer="0101", Product="Aangifte OB")
    assert [w[3] for w in where(check(book).issues)] == ["duplicate-product"] * 2


def test_a_period_type_the_product_does_not_have_is_an_error(check: Check) -> None:
    """Aangifte OB has no four-week periods."""
    report = check(valid_book().set("Producten", 0, "Tijdvak", "Vier weken"))
    assert where(report.issues) == [("Producten", 2, "Tijdvak", "period-type-not-allowed")]


def test_a_start_period_of_another_type_is_an_error(check: Check) -> None:
    """Kwartaal with Vanaf 2026-03 (a month)."""
    report = check(valid_book().set("Producten", 0, "Vanaf", "2026-03"))
    assert where(report.issues) == [("Producten", 2, "Vanaf", "period-does-not-match-type")]
    assert "2026-K1" in report.issues[0].message()


def test_an_unreadable_start_period_is_an_error(check: Check) -> None:
    """'vanaf januari' is no period label."""
    report = check(valid_book().set("Producten", 0, "Vanaf", "vanaf januari"))
    assert where(report.issues) == [("Producten", 2, "Vanaf", "invalid-period")]


def test_the_default_period_type_is_used_when_tijdvak_is_empty(check: Check) -> None:
    """Loonheffingen defaults to Maand, so 2026-01 fits and 2026-P01 does not."""
    book = valid_book().add(
        "Producten", Relatienummer="0101", Product="Loonheffingen", Vanaf="2026-01"
    )
    assert check(book).ok
    book = valid_book().add(
        "Producten", Relatienummer="0101", Product="Loonheffingen", Vanaf="2026-P01"
    )
    assert [w[3] for w in where(check(book).issues)] == ["period-does-not-match-type"]


def test_a_vpb_start_must_fit_the_relations_financial_year(check: Check) -> None:
    """Boekjaar begint 01-07: Vpb from 2025/2026 fits, from 2026 does not."""
    book = valid_book().set("Relaties", 0, "Boekjaar begint", "01-07")
    good = book.add("Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2025/2026")
    assert check(good).ok
    bad = book.add("Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2026")
    report = check(bad)
    assert where(report.issues) == [("Producten", 3, "Vanaf", "financial-year-mismatch")]
    assert "2025/2026" in report.issues[0].message()


def test_a_calendar_financial_year_is_labelled_by_one_year(check: Check) -> None:
    """Boekjaar begint empty (01-01): Vpb from 2025/2026 does not fit, 2025 does."""
    book = valid_book().add(
        "Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2025/2026"
    )
    assert [w[3] for w in where(check(book).issues)] == ["period-does-not-match-type"]


def test_an_organisation_without_contacts_gets_a_warning(check: Check) -> None:
    """R4: no person is invented; the user is told."""
    book = valid_book()
    book.sheets["Contacten"] = []
    report = check(book)
    assert where(report.issues) == [
        ("Relaties", 2, "Relatienummer", "organisation-without-contact")
    ]
    assert report.ok


def test_an_ib_enterprise_without_an_owner_gets_a_warning(check: Check) -> None:
    """R5: a VOF whose only contact is a Contactpersoon."""
    book = valid_book().set("Relaties", 0, "Rechtsvorm", "VOF")
    book = book.set("Contacten", 0, "Soort contact", "Contactpersoon")
    assert where(check(book).issues) == [
        ("Relaties", 2, "Relatienummer", "ib-enterprise-without-owner")
    ]


def test_a_person_relation_without_bsn_gets_a_warning(check: Check) -> None:
    """R5: an Ondernemer without BSN gets a person relation with SBR off."""
    report = check(valid_book().set("Contacten", 0, "BSN", None))
    assert where(report.issues) == [("Contacten", 2, "BSN", "person-without-bsn")]
    assert report.ok


def test_a_sole_traders_bsn_counts_for_its_owner_with_a_warning_to_check_it(
    check: Check,
) -> None:
    """R5: an eenmanszaak's BSN/RSIN becomes the owner's BSN: not 'without BSN', but a warning
    to check the copy (the article: "Pas dit nummer aan indien het niet correct is")."""
    book = valid_book().set("Relaties", 0, "Rechtsvorm", "Eenmanszaak")
    book = book.set("Relaties", 0, "BSN/RSIN", VALID_BSN).set("Contacten", 0, "BSN", None)
    issues = check(book).issues
    assert where(issues) == [("Contacten", 2, "BSN", "owner-bsn-copied")]
    assert "Relaties rij 2" in issues[0].message()


def test_an_owners_bsn_that_differs_from_the_sole_traders_is_a_warning(check: Check) -> None:
    """R5: the owner's own BSN and the eenmanszaak's BSN/RSIN should be one number."""
    book = valid_book().set("Relaties", 0, "Rechtsvorm", "Eenmanszaak")
    book = book.set("Relaties", 0, "BSN/RSIN", OTHER_VALID_BSN)
    issues = check(book).issues
    assert where(issues) == [("Contacten", 2, "BSN", "owner-bsn-differs")]
    assert VALID_BSN not in issues[0].message()
    assert OTHER_VALID_BSN not in issues[0].message()


def test_a_partner_in_a_vof_of_two_needs_hoort_bij(check: Check) -> None:
    """R6: two Ondernemers: 'Hoort bij' empty is a warning, a number of no Ondernemer an error."""
    vof = valid_book().set("Relaties", 0, "Rechtsvorm", "VOF")
    vof = vof.set("Contacten", 0, "Contactnummer", "0101")
    vof = vof.add(
        "Contacten",
        Relatienummer="0101",
        Contactnummer="0101-1",
        Soort_contact="Ondernemer",
        Achternaam="Smit",
        BSN=OTHER_VALID_BSN,
    )
    partner = vof.add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Fiscaal partner",
        Achternaam="Smit",
        BSN="100000009",
    )
    assert where(check(partner).issues) == [("Contacten", 4, "Hoort bij", "household-owner-needed")]
    assert check(partner.set("Contacten", 2, "Hoort bij", "0101-1")).issues == []
    wrong = partner.set("Contacten", 2, "Hoort bij", "0999")
    assert where(check(wrong).issues) == [("Contacten", 4, "Hoort bij", "household-owner-unknown")]


def test_a_child_without_bsn_and_without_relation_gets_no_warning(check: Check) -> None:
    """Relatie aanmaken defaults to Nee for a Kind: no person relation, no BSN needed."""
    book = valid_book().add(
        "Contacten", Relatienummer="0101", Soort_contact="Kind", Achternaam="Bakker"
    )
    assert check(book).issues == []


def test_one_contact_number_for_two_different_people_is_an_error(check: Check) -> None:
    """Contactnummer 500 for Bakker and for Jansen."""
    book = valid_book().set("Contacten", 0, "Contactnummer", "500")
    book = book.add(
        "Contacten",
        Relatienummer="0101",
        Contactnummer="500",
        Soort_contact="Fiscaal partner",
        Achternaam="Jansen",
        BSN=OTHER_VALID_BSN,
    )
    assert [w[3] for w in where(check(book).issues)] == ["duplicate-contact-number"] * 2


def test_the_same_person_may_be_a_contact_of_two_relations(check: Check) -> None:
    """A DGA with two BVs: one contact number, two rows, same person."""
    book = valid_book().set("Contacten", 0, "Contactnummer", "500")
    book = book.add(
        "Relaties", Relatienummer="0102", Soort="Organisatie", Naam="Bakker II BV", Rechtsvorm="BV"
    )
    book = book.add(
        "Contacten",
        Relatienummer="0102",
        Contactnummer="500",
        Soort_contact="Ondernemer",
        Achternaam="bakker",
        BSN=VALID_BSN,
    )
    assert check(book).issues == []


def test_all_issues_of_a_workbook_come_at_once(check: Check) -> None:
    """Three different mistakes on three sheets: three issues in one run, in sheet order."""
    book = valid_book().set("Rollen", 0, "Rol", "Baas").set("Relaties", 0, "KvK-nummer", "12")
    book = book.set("Contacten", 0, "BSN", "123")
    assert where(check(book).issues) == [
        ("Relaties", 2, "KvK-nummer", "invalid-kvk-number"),
        ("Contacten", 2, "BSN", "invalid-bsn"),
        ("Rollen", 2, "Rol", "invalid-choice"),
    ]


def test_a_number_cell_for_a_text_relation_number_gets_its_zeros_back(check: Check) -> None:
    """R2: Relaties has 000123 as text; Producten names it as the number 123."""
    book = valid_book()
    for sheet in ("Relaties", "Contacten", "Rollen"):
        book = book.set(sheet, 0, "Relatienummer", "000123")
    book = book.set("Producten", 0, "Relatienummer", 123)
    report = check(book)
    assert report.ok
    assert where(report.issues) == [("Producten", 2, "Relatienummer", "number-zeros-restored")]
    assert report.sheets["products"].data.at[2, "relation_number"] == "000123"
