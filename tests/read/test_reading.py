"""Reading: which files are workbooks, how sheets and headers are matched, row numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kantoor_batch.errors import UnreadableWorkbookError
from kantoor_batch.read.workbook import read_workbook
from kantoor_batch.validate.report import ValidationReport
from tests.builders import Book, valid_book, where

DATA = Path(__file__).parent.parent / "data"


def test_a_valid_workbook_reads_every_sheet_with_excel_row_numbers(tmp_path: Path) -> None:
    """Row numbers are the Excel rows, starting at 2 under the header."""
    raw = read_workbook(
        valid_book().add("Relaties", Relatienummer="0102").write(tmp_path / "a.xlsx")
    )
    assert list(raw.sheets["relations"].data.index) == [2, 3]
    assert raw.sheets["relations"].data.at[3, "relation_number"] == "0102"
    assert len(raw.sha256) == 64


def test_an_empty_file_is_refused_with_a_message(tmp_path: Path) -> None:
    """A zero-byte file stops the run with a Dutch message, not a traceback."""
    path = tmp_path / "leeg.xlsx"
    path.write_bytes(b"")
    with pytest.raises(UnreadableWorkbookError, match="leeg"):
        read_workbook(path)


def test_a_csv_renamed_to_xlsx_is_refused_with_a_message(tmp_path: Path) -> None:
    """A text file with an Excel name is recognised as no workbook."""
    path = tmp_path / "export.xlsx"
    path.write_text("Relatienummer;Naam\n0101;Bakkerij\n", encoding="utf-8")
    with pytest.raises(UnreadableWorkbookError, match="CSV"):
        read_workbook(path)


def test_a_password_protected_workbook_is_refused_with_a_message() -> None:
    """An encrypted workbook asks the user to remove the password."""
    with pytest.raises(UnreadableWorkbookError, match="wachtwoord"):
        read_workbook(DATA / "password-protected.xlsx")


def test_a_damaged_zip_is_refused_with_a_message(tmp_path: Path) -> None:
    """A zip that is not a workbook is reported as damaged."""
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(UnreadableWorkbookError, match="beschadigd"):
        read_workbook(path)


def test_an_unsupported_extension_is_refused(tmp_path: Path) -> None:
    """Only .xlsx, .xlsm and the template's sheets as CSV are read."""
    path = tmp_path / "lijst.ods"
    path.write_text("a,b", encoding="utf-8")
    with pytest.raises(UnreadableWorkbookError, match="extensie"):
        read_workbook(path)


def test_an_xlsm_workbook_is_read_like_an_xlsx(tmp_path: Path) -> None:
    """Macro-enabled workbooks are read (macros never run)."""
    path = valid_book().write(tmp_path / "met-macro.xlsx").rename(tmp_path / "met-macro.xlsm")
    assert len(read_workbook(path).sheets["relations"].data) == 1


def test_a_missing_relations_sheet_is_one_issue(check: Callable[[Book], ValidationReport]) -> None:
    """Without Relaties there is nothing to import: one clear issue."""
    book = valid_book()
    del book.sheets["Relaties"]
    report = check(book)
    assert ("Relaties", None, None, "missing-sheet") in where(report.issues)


def test_optional_sheets_may_be_left_out(check: Callable[[Book], ValidationReport]) -> None:
    """A workbook of only Relaties is fine (warnings allowed)."""
    book = Book({"Relaties": [{"Relatienummer": "1", "Soort": "Persoon", "Naam": "A. Jansen"}]})
    assert check(book).ok


def test_headers_match_without_case_spaces_or_star(
    check: Callable[[Book], ValidationReport],
) -> None:
    """' relatieNUMMER* ' is the Relatienummer column."""
    book = Book(
        {"Relaties": [{" relatieNUMMER* ": "1", "soort": "Persoon", "NAAM *": "A. Jansen"}]}
    )
    report = check(book)
    assert report.ok
    assert report.sheets["relations"].data.at[2, "relation_number"] == "1"


def test_english_sheet_and_column_names_are_accepted(
    check: Callable[[Book], ValidationReport],
) -> None:
    """Relations / Relation number / Kind / Name mean the Dutch columns."""
    book = Book({"Relations": [{"Relation number": "7", "Kind": "Person", "Name": "A. Jansen"}]})
    report = check(book)
    assert report.ok
    assert report.sheets["relations"].data.at[2, "kind"] == "Persoon"


def test_unknown_columns_are_kept_and_warned_about(
    check: Callable[[Book], ValidationReport],
) -> None:
    """A column the template does not know is a warning and its values are kept."""
    book = valid_book().set("Relaties", 0, "Accountmanager oud", "Piet")
    report = check(book)
    assert ("Relaties", 1, "Accountmanager oud", "unknown-column") in where(report.issues)
    assert report.sheets["relations"].extra.at[2, "Accountmanager oud"] == "Piet"
    assert report.ok


def test_a_missing_required_column_is_reported_once(
    check: Callable[[Book], ValidationReport],
) -> None:
    """No Naam column: one issue on the header row, not one per row."""
    book = valid_book().add("Relaties", Relatienummer="0102", Soort="Persoon")
    for row in book.sheets["Relaties"]:
        row.pop("Naam", None)
    found = [w for w in where(check(book).issues) if w[2] == "Naam"]
    assert found == [("Relaties", 1, "Naam", "missing-column")]


def test_a_column_given_twice_is_an_error(check: Callable[[Book], ValidationReport]) -> None:
    """'Naam' and 'Name' on one sheet are the same column twice."""
    book = valid_book().set("Relaties", 0, "Name", "Dubbel")
    assert ("Relaties", 1, "Naam", "duplicate-column") in where(check(book).issues)


def test_empty_rows_between_data_are_skipped(check: Callable[[Book], ValidationReport]) -> None:
    """A blank line in the middle is no row; the row after it keeps its Excel number."""
    book = (
        valid_book()
        .add("Relaties")
        .add("Relaties", Relatienummer="3", Soort="Persoon", Naam="B. de Wit")
    )
    report = check(book)
    assert list(report.sheets["relations"].data.index) == [2, 4]


def test_unknown_sheets_are_warned_about_and_template_sheets_ignored(
    check: Callable[[Book], ValidationReport],
) -> None:
    """Instructies and Lijsten are ours; another sheet gets a warning."""
    book = valid_book()
    book.sheets["Instructies"] = [{"Uitleg": "x"}]
    book.sheets["Notities"] = [{"Tekst": "x"}]
    report = check(book)
    assert [w for w in where(report.issues) if w[3] == "unknown-sheet"] == [
        ("Notities", None, None, "unknown-sheet")
    ]
