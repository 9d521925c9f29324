"""What the store would refuse is checked with the data (issue 9): text longer than its store
column and control characters are positioned errors, reported once per cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.rules.plan import RELATION_FIELDS
from kantoor_batch.spec import SHEETS_BY_KEY
from kantoor_batch.store import schema
from kantoor_batch.validate.report import ValidationReport
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import Book, valid_book, where
from tests.conftest import AS_OF

Check = Callable[[Book], ValidationReport]

# Where each column of the workbook is stored; None: not as bounded text.
STORED_IN: dict[str, dict[str, sa.Column[str] | None]] = {
    "groups": {"name": schema.relation_groups.c.name, "description": None},
    "employees": {
        "code": schema.employees.c.code,
        "name": schema.employees.c.name,
        "email": schema.employees.c.email,
    },
    "relations": {
        "relation_number": schema.relations.c.number,
        "kind": None,  # stored as the code 'organisation' or 'person'
        **{key: schema.relations.c[key] for key in RELATION_FIELDS},
        "group": schema.relation_groups.c.name,
        "integration": schema.integrations.c.name,
        "onboarding_workflow": schema.workflows.c.name,
        "sbr_ideal": None,
    },
    "contacts": {
        "relation_number": schema.relations.c.number,
        "contact_number": schema.contacts.c.number,
        "contact_type": schema.relation_contacts.c.contact_type,
        **{
            key: schema.contacts.c[key]
            for key in ("initials", "first_name", "infix", "last_name", "bsn", "email", "phone")
        },
        "birth_date": None,
        "create_relation": None,
        "income_tax_return": None,
        "primary": None,
        "belongs_to": schema.contacts.c.number,  # names a contact by its number
    },
    "products": {
        "relation_number": schema.relations.c.number,
        "product": schema.products.c.product,
        "period_type": schema.products.c.period_type,
        "start_period": schema.products.c.start_period,
        "sbr": None,
    },
    "roles": {
        "relation_number": schema.relations.c.number,
        "role": schema.role_assignments.c.role,
        "employee": schema.employees.c.code,
    },
}


def test_every_column_states_the_length_of_its_store_column() -> None:
    """spec.Column.max_length equals the String(n) of store/schema.py, for every column."""
    for key, sheet in SHEETS_BY_KEY.items():
        stored = {**STORED_IN[key], "export_stamp": None}  # read on import, never stored
        assert set(stored) == {c.key for c in sheet.columns}, key
        for column in sheet.columns:
            where = stored[column.key]
            length = None if where is None else getattr(where.type, "length", None)
            assert column.max_length == length, (key, column.key)


def test_a_name_longer_than_the_store_holds_is_an_error(check: Check) -> None:
    """Naam of 256 characters (the store holds 255): the length and the limit are named."""
    report = check(valid_book().set("Relaties", 0, "Naam", "B" * 256))
    assert where(report.issues) == [("Relaties", 2, "Naam", "value-too-long")]
    message = report.issues[0].message()
    assert "256" in message
    assert "255" in message
    assert "BBBB" not in message


def test_a_name_that_fits_exactly_is_accepted(check: Check) -> None:
    """Naam of 255 characters and Achternaam of 200."""
    book = valid_book().set("Relaties", 0, "Naam", "B" * 255)
    assert check(book.set("Contacten", 0, "Achternaam", "A" * 200)).issues == []


def test_a_last_name_longer_than_200_characters_is_an_error(check: Check) -> None:
    """Achternaam of 201 characters."""
    report = check(valid_book().set("Contacten", 0, "Achternaam", "A" * 201))
    assert where(report.issues) == [("Contacten", 2, "Achternaam", "value-too-long")]


def test_a_relation_number_of_41_characters_is_an_error_wherever_it_is_written(
    check: Check,
) -> None:
    """Relation numbers hold at most 40 characters, on Relaties and on the sheets naming it."""
    book = valid_book()
    for sheet in ("Relaties", "Contacten", "Producten", "Rollen"):
        book = book.set(sheet, 0, "Relatienummer", "1" * 41)
    assert where(check(book).issues) == [
        ("Relaties", 2, "Relatienummer", "value-too-long"),
        ("Contacten", 2, "Relatienummer", "value-too-long"),
        ("Producten", 2, "Relatienummer", "value-too-long"),
        ("Rollen", 2, "Relatienummer", "value-too-long"),
    ]


def test_a_contact_number_of_41_characters_is_an_error(check: Check) -> None:
    """Contactnummer holds at most 40 characters."""
    report = check(valid_book().set("Contacten", 0, "Contactnummer", "K" * 41))
    assert where(report.issues) == [("Contacten", 2, "Contactnummer", "value-too-long")]


def test_a_foreign_postcode_longer_than_the_store_holds_is_an_error(check: Check) -> None:
    """A Belgian address is not checked as Dutch, but its postcode still has to fit."""
    book = valid_book().set("Relaties", 0, "Land", "BE")
    report = check(book.set("Relaties", 0, "Postcode", "B-1000 " + "X" * 20))
    assert where(report.issues) == [("Relaties", 2, "Postcode", "value-too-long")]


def test_an_identifier_of_the_wrong_length_is_reported_once(check: Check) -> None:
    """A KvK-nummer of 50 digits: invalid-kvk-number, not also value-too-long."""
    report = check(valid_book().set("Relaties", 0, "KvK-nummer", "1" * 50))
    assert where(report.issues) == [("Relaties", 2, "KvK-nummer", "invalid-kvk-number")]


def test_a_nul_character_is_an_error_with_its_position(check: Check) -> None:
    """PostgreSQL refuses \\x00 in text: 'Bakker\\x00' is refused with U+0000 at position 7."""
    report = check(valid_book().set("Contacten", 0, "Achternaam", "Bakker\x00"))
    assert where(report.issues) == [("Contacten", 2, "Achternaam", "invalid-character")]
    assert "U+0000 op positie 7" in report.issues[0].message()


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f"])
def test_other_control_characters_are_errors(check: Check, character: str) -> None:
    """SOH, ESC and DEL in a name are never meant."""
    report = check(valid_book().set("Relaties", 0, "Naam", f"Bakkerij{character}Korenaar"))
    assert where(report.issues) == [("Relaties", 2, "Naam", "invalid-character")]


def test_a_line_break_or_tab_in_a_cell_is_accepted(check: Check) -> None:
    """Alt+Enter in a street name and a tab are ordinary text."""
    book = valid_book().set("Relaties", 0, "Straat", "Herestraat\n(achterom)")
    assert check(book.set("Relaties", 0, "Plaats", "Groningen\tstad")).issues == []


def test_a_person_name_made_of_parts_that_fit_but_together_do_not_is_an_error(
    check: Check,
) -> None:
    """Voornaam 100 + tussenvoegsel + achternaam 200: each fits, the person relation's name
    (at most 255) does not."""
    book = valid_book().set("Contacten", 0, "Voornaam", "V" * 100)
    report = check(book.set("Contacten", 0, "Achternaam", "A" * 200))
    assert where(report.issues) == [("Contacten", 2, "Achternaam", "person-name-too-long")]
    assert "301" in report.issues[0].message()


def test_a_long_name_of_a_contact_without_person_relation_is_accepted(check: Check) -> None:
    """Relatie aanmaken = Nee: no relation gets the composed name."""
    book = valid_book().set("Contacten", 0, "Voornaam", "V" * 100)
    book = book.set("Contacten", 0, "Achternaam", "A" * 200)
    assert check(book.set("Contacten", 0, "Relatie aanmaken", "Nee")).issues == []


def test_a_configured_role_longer_than_the_store_holds_is_reported_on_its_cell(
    tmp_path: Path,
) -> None:
    """A catalogue may name a role of 61 characters; the store holds 60."""
    role = "R" * 61
    catalogues = Catalogues(roles=(role,))
    path = valid_book().set("Rollen", 0, "Rol", role).write(tmp_path / "a.xlsx")
    report = validate_workbook(path, as_of=AS_OF, catalogues=catalogues)
    assert where(report.issues) == [("Rollen", 2, "Rol", "value-too-long")]
