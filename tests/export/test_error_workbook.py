"""The error workbook: whole client bundles, red and yellow cells with comments, a Meldingen
column, no formulas, and once fixed it validates clean."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from kantoor_batch.export.error_workbook import write_error_workbook
from kantoor_batch.spec import RELATIONS
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import Book, valid_book
from tests.conftest import AS_OF, REPO

RED = "FFFFC7CE"
YELLOW = "FFFFEB9C"


def error_book(tmp_path: Path, book: Book) -> openpyxl.Workbook:
    report = validate_workbook(book.write(tmp_path / "in.xlsx"), as_of=AS_OF)
    assert write_error_workbook(report, tmp_path / "in-fouten.xlsx")
    return openpyxl.load_workbook(tmp_path / "in-fouten.xlsx")


def header_index(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, int]:
    return {str(c.value).rstrip("*"): c.column for c in sheet[1]}


def two_clients() -> Book:
    return (
        valid_book()
        .add("Relaties", Relatienummer="0102", Soort="Persoon", Naam="A. de Wit")
        .add("Producten", Relatienummer="0102", Product="Aangifte IB", Vanaf="2026")
    )


def test_an_error_cell_is_red_with_its_message_in_a_comment(tmp_path: Path) -> None:
    """The bad KvK-nummer is red, commented, and listed in Meldingen."""
    sheet = error_book(tmp_path, two_clients().set("Relaties", 0, "KvK-nummer", "123"))["Relaties"]
    cols = header_index(sheet)
    cell = sheet.cell(2, cols["KvK-nummer"])
    assert cell.value == "123"
    assert cell.fill.fgColor.rgb == RED
    assert "8 cijfers" in cell.comment.text
    assert "KvK-nummer: KvK-nummer '123'" in sheet.cell(2, cols["Meldingen"]).value


def test_a_warning_cell_is_yellow_and_shows_the_fixed_value(tmp_path: Path) -> None:
    """A padded KvK-nummer is shown padded, in yellow."""
    book = two_clients().set("Relaties", 0, "KvK-nummer", 1234567)
    cell = error_book(tmp_path, book)["Relaties"].cell(2, 5)
    assert (cell.value, cell.fill.fgColor.rgb) == ("01234567", YELLOW)


def test_a_value_left_out_is_yellow_and_shows_what_was_typed(tmp_path: Path) -> None:
    """R3: an invalid phone is a warning; its cell keeps the typed number for the user."""
    book = two_clients().set("Relaties", 0, "Telefoon", "067-12345678")
    sheet = error_book(tmp_path, book)["Relaties"]
    cell = sheet.cell(2, header_index(sheet)["Telefoon"])
    assert (cell.value, cell.fill.fgColor.rgb) == ("067-12345678", YELLOW)
    assert "niet opgeslagen" in cell.comment.text


def test_a_control_character_is_red_and_survives_the_error_workbook(tmp_path: Path) -> None:
    """A NUL in Naam: the workbook is written, the cell red, and checked again it is reported
    again (the user removes it, nothing does it silently)."""
    book = two_clients().set("Relaties", 0, "Naam", "Bakkerij\x00Korenaar")
    sheet = error_book(tmp_path, book)["Relaties"]
    assert sheet.cell(2, header_index(sheet)["Naam"]).fill.fgColor.rgb == RED
    again = validate_workbook(tmp_path / "in-fouten.xlsx", as_of=AS_OF)
    assert [(i.row, i.column, i.code) for i in again.issues] == [(2, "Naam", "invalid-character")]


def test_the_whole_bundle_comes_along_and_other_clients_stay_out(tmp_path: Path) -> None:
    """A bad contact brings its relation, product and role; client 0102 is not there."""
    book = error_book(tmp_path, two_clients().set("Contacten", 0, "BSN", "123"))
    numbers = {
        name: [row[0] for row in book[name].iter_rows(min_row=2, values_only=True)]
        for name in ("Relaties", "Contacten", "Producten", "Rollen")
    }
    assert numbers == {
        "Relaties": ["0101"],
        "Contacten": ["0101"],
        "Producten": ["0101"],
        "Rollen": ["0101"],
    }
    relation_messages = book["Relaties"].cell(2, len(RELATIONS.columns) + 1).value
    assert "Contacten rij 2" in relation_messages
    employees = [r[0] for r in book["Medewerkers"].iter_rows(min_row=2, values_only=True)]
    assert employees == ["JDV"]  # every group and employee, so fixed rows may use any


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","klik")', "+31 6 1", "-10", "@SUM(A1)"])
def test_cell_values_are_never_written_as_formulas(tmp_path: Path, value: str) -> None:
    """A value starting with =, +, - or @ is a text cell in the output."""
    book = two_clients().set("Relaties", 0, "Naam", value).set("Relaties", 0, "KvK-nummer", "1")
    path = tmp_path / "in-fouten.xlsx"
    report = validate_workbook(book.write(tmp_path / "in.xlsx"), as_of=AS_OF)
    write_error_workbook(report, path)
    cell = openpyxl.load_workbook(path)["Relaties"].cell(2, 3)
    assert (cell.value, cell.data_type) == (value, "s")
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet4.xml").decode()
    assert "<f>" not in sheet_xml


def test_unknown_columns_are_kept_in_the_error_workbook(tmp_path: Path) -> None:
    """A column of the office's own comes back with its values."""
    book = (
        two_clients()
        .set("Relaties", 0, "Opmerking", "belt terug")
        .set("Relaties", 0, "KvK-nummer", "1")
    )
    sheet = error_book(tmp_path, book)["Relaties"]
    assert sheet.cell(2, header_index(sheet)["Opmerking"]).value == "belt terug"


def test_the_error_workbook_carries_the_dropdowns_and_instructions(tmp_path: Path) -> None:
    """It is a full template: Instructies, Lijsten and the list validations."""
    book = error_book(tmp_path, two_clients().set("Relaties", 0, "KvK-nummer", "1"))
    assert book.sheetnames[0] == "Instructies"
    assert book["Lijsten"].sheet_state == "hidden"
    assert any(v.type == "list" for v in book["Relaties"].data_validations.dataValidation)
    assert book.active.title == "Relaties"


def test_nothing_is_written_for_a_clean_workbook(tmp_path: Path) -> None:
    """No issues, no error workbook."""
    report = validate_workbook(valid_book().write(tmp_path / "in.xlsx"), as_of=AS_OF)
    assert not write_error_workbook(report, tmp_path / "in-fouten.xlsx")
    assert not (tmp_path / "in-fouten.xlsx").exists()


def test_the_faulty_samples_error_workbook_validates_clean_once_fixed(tmp_path: Path) -> None:
    """Fix the marked cells as a user would, save, validate: no errors left, and the postcode
    and e-mail address that were left out (yellow, R3) are accepted once corrected."""
    report = validate_workbook(REPO / "samples" / "onboarding-met-fouten.xlsx", as_of=AS_OF)
    errors = tmp_path / "onboarding-met-fouten-fouten.xlsx"
    assert write_error_workbook(report, errors)
    book = openpyxl.load_workbook(errors)
    fixes = {
        ("Relaties", "BSN/RSIN", "123456789"): "002455791",
        ("Relaties", "Postcode", "9751 SA"): "9751 AB",
        ("Relaties", "Relatiegroep", "Verenigingen"): "Stichtingen",
        ("Relaties", "Naam", "Fysiotherapie Mulder Zuid"): None,  # the duplicate: renumber
        ("Relaties", "E-mail", "info@smit-installatie"): "info@smit-installatie.nl",
        ("Contacten", "Geboortedatum", "17-3-78"): "17-03-1978",
        ("Contacten", "Relatienummer", "0999"): "0101",
        ("Producten", "Tijdvak", "Kwartaal"): "Jaar",
    }
    for (name, header, old), new in fixes.items():
        sheet = book[name]
        col = header_index(sheet)[header]
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row, col)
            if cell.value == old and header == "Naam":
                sheet.cell(row, 1).value = "0130"
            elif cell.value == old and cell.fill.fgColor.rgb in {RED, YELLOW}:
                cell.value = new
    book.save(tmp_path / "hersteld.xlsx")
    fixed = validate_workbook(tmp_path / "hersteld.xlsx", as_of=AS_OF)
    assert [(i.sheet, i.row, i.code) for i in fixed.issues if i.is_error] == []
    assert not {"invalid-postcode", "invalid-email"} & {i.code for i in fixed.issues}


def test_rows_named_in_messages_are_rows_of_the_error_workbook(tmp_path: Path) -> None:
    """Duplicates on input rows 3 and 5 (with a good client between) are rows 2 and 3 here."""
    book = (
        valid_book()
        .add("Relaties", Relatienummer="0102", Soort="Persoon", Naam="A. de Wit")
        .add("Relaties", Relatienummer="0101", Soort="Persoon", Naam="B. de Wit")
    )
    book.sheets["Relaties"].insert(0, {"Relatienummer": "0100", "Soort": "Persoon", "Naam": "X"})
    relations = error_book(tmp_path, book)["Relaties"]
    numbers = [row[0] for row in relations.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["0101", "0101"]
    messages = relations.cell(2, len(RELATIONS.columns) + 1).value
    assert "rijen 2, 3" in messages
