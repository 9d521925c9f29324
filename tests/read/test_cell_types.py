"""Cells no value can be read from (Excel errors, times, durations) are issues on their cell,
never empty cells: a BSN showing #DIV/0! does not import as 'no BSN'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from kantoor_batch.export.error_workbook import write_error_workbook
from kantoor_batch.issues import Severity
from kantoor_batch.read.sheet_scan import scan_sheet
from kantoor_batch.validate.report import ValidationReport
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import Book, valid_book, where
from tests.conftest import AS_OF
from tests.raw_workbooks import HEADER_ROW, sheet_xml, text_cell

Special = tuple[str, object]  # ("error", "#DIV/0!") | ("time", 0.5) | ("duration", 1.5)


def write_with(book: Book, path: Path, special: dict[tuple[str, int, str], Special]) -> Path:
    """The book, with some cells written as Excel writes an error, a time or a duration."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    formats = {
        "time": workbook.add_format({"num_format": "hh:mm"}),
        "duration": workbook.add_format({"num_format": "[h]:mm:ss"}),
    }
    for name, rows in book.sheets.items():
        sheet = workbook.add_worksheet(name)
        headers = list(dict.fromkeys(h for row in rows for h in row))
        for j, header in enumerate(headers):
            sheet.write_string(0, j, header)
        for i, row in enumerate(rows):
            for j, header in enumerate(headers):
                kind, value = special.get((name, i, header), ("text", row.get(header)))
                if kind == "error":
                    sheet.write_formula(i + 1, j, "=1/0", None, value)
                elif kind in formats:
                    sheet.write_number(i + 1, j, value, formats[kind])
                elif value is not None:
                    sheet.write_string(i + 1, j, str(value))
    workbook.close()
    return path


@pytest.fixture
def check_with(tmp_path: Path) -> Callable[..., ValidationReport]:
    def run(book: Book, **special: Special) -> ValidationReport:
        """special: 'Sheet|index|Header' -> how that cell is written."""
        cells: dict[tuple[str, int, str], Special] = {}
        for key, value in special.items():
            sheet, index, header = key.split("|")
            cells[(sheet, int(index), header)] = value
        return validate_workbook(write_with(book, tmp_path / "invoer.xlsx", cells), as_of=AS_OF)

    return run


def test_a_bsn_showing_div0_is_an_error_on_that_cell(
    check_with: Callable[..., ValidationReport],
) -> None:
    """The cell is reported as an Excel error, and not as a person without BSN."""
    report = check_with(valid_book(), **{"Contacten|0|BSN": ("error", "#DIV/0!")})
    assert ("Contacten", 2, "BSN", "error-cell") in where(report.issues)
    assert "person-without-bsn" not in {i.code for i in report.issues}
    assert not report.ok
    issue = next(i for i in report.issues if i.code == "error-cell")
    assert issue.severity is Severity.ERROR
    assert "#DIV/0!" in issue.message("nl")


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#VALUE!", "#NAME?"])
def test_an_error_in_the_relation_number_is_reported_once(
    check_with: Callable[..., ValidationReport], error: str
) -> None:
    """A required cell showing an error: error-cell, not also 'required but empty'."""
    report = check_with(valid_book(), **{"Relaties|0|Relatienummer": ("error", error)})
    found = {w[3] for w in where(report.issues) if w[:3] == ("Relaties", 2, "Relatienummer")}
    assert "error-cell" in found
    assert "required-value-missing" not in found


@pytest.mark.parametrize(("kind", "shown"), [("time", "12:00"), ("duration", "36:00:00")])
def test_a_time_or_duration_in_an_identifier_is_an_error(
    check_with: Callable[..., ValidationReport], kind: str, shown: str
) -> None:
    """hh:mm and [h]:mm cells are no KvK-nummer; the message shows what Excel shows."""
    value = 0.5 if kind == "time" else 1.5
    report = check_with(valid_book(), **{"Relaties|0|KvK-nummer": (kind, value)})
    issue = next(i for i in report.issues if i.column == "KvK-nummer")
    assert (issue.code, issue.row) == ("unsupported-cell-type", 2)
    assert shown in issue.message("nl")


def test_a_time_in_a_birth_date_is_not_taken_for_no_date(
    check_with: Callable[..., ValidationReport],
) -> None:
    """Geboortedatum 12:00 is reported, whatever else the row holds."""
    book = valid_book().set("Contacten", 0, "Geboortedatum", None)
    report = check_with(book, **{"Contacten|0|Geboortedatum": ("time", 0.5)})
    assert ("Contacten", 2, "Geboortedatum", "unsupported-cell-type") in where(report.issues)


def test_an_error_in_an_unknown_column_is_kept_and_not_reported(
    check_with: Callable[..., ValidationReport],
) -> None:
    """A column the template does not know is not imported: its error text is kept."""
    book = valid_book().set("Relaties", 0, "Notitie", "x")
    report = check_with(book, **{"Relaties|0|Notitie": ("error", "#N/A")})
    assert "error-cell" not in {i.code for i in report.issues}
    assert report.sheets["relations"].extra.at[2, "Notitie"] == "#N/A"


def test_error_text_typed_into_a_cell_counts_as_an_error(
    check: Callable[[Book], ValidationReport],
) -> None:
    """'#N/A' as text (how the error workbook hands an error cell back) is no relation number."""
    report = check(valid_book().set("Relaties", 0, "Relatienummer", "#N/A"))
    assert ("Relaties", 2, "Relatienummer", "error-cell") in where(report.issues)


def test_the_error_workbook_shows_the_error_in_its_red_cell(
    check_with: Callable[..., ValidationReport], tmp_path: Path
) -> None:
    """The user sees #DIV/0! where the BSN should be, with the message in the comment."""
    report = check_with(valid_book(), **{"Contacten|0|BSN": ("error", "#DIV/0!")})
    out = tmp_path / "fouten.xlsx"
    assert write_error_workbook(report, out)
    sheet = openpyxl.load_workbook(out)["Contacten"]
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("BSN") + 1)
    assert cell.value == "#DIV/0!"
    assert cell.comment is not None
    assert "Excel-fout" in cell.comment.text


def test_error_cells_are_found_wherever_the_xml_is_cut_into_chunks() -> None:
    """The scan reads the XML in chunks; an error cell split over two chunks, at any byte, is
    still found once, with its text."""
    rows = HEADER_ROW + '<row r="2">' + text_cell("A2", "0101")
    rows += '<c r="B2" t="e"><f>VLOOKUP(A2,Lijst!A:B,2,FALSE)</f><v>#N/A</v></c></row>'
    rows += '<row r="3"><c r="C3" t="e"><v>#REF!</v></c></row>'
    xml = sheet_xml(rows).encode()
    start = xml.index(b'<c r="B2"') - 5
    for cut in range(start, len(xml)):
        chunks = [xml[:cut], xml[cut:]]
        scan = scan_sheet(iter(chunks), True, lambda c=chunks: iter(c))  # type: ignore[misc]
        assert scan.errors == {(2, 2): "#N/A", (3, 3): "#REF!"}, cut
        assert (scan.filled, scan.last_row) == (4, 3), cut


def test_dates_and_numbers_are_left_alone(check: Callable[[Book], ValidationReport]) -> None:
    """Real date cells and numbers are no times: the valid book stays valid."""
    book = valid_book().set("Contacten", 0, "Geboortedatum", dt.date(1978, 3, 17))
    assert check(book).ok
