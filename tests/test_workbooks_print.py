"""Issue 13: every workbook kantoor-batch writes prints well through LibreOffice Calc. Each is
converted to PDF, and then: no text of a cell is cut (every word of every shown cell is in the
PDF's text: LibreOffice leaves out what a too-narrow column or too-low row hides), every page
of a sheet carries all of its headers (one page wide, the header repeated, no columns split
over pages), pages are numbered, and the empty template prints one page per sheet. Skipped
when LibreOffice or pdftotext is not installed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kantoor_batch.convert.engine import convert_exports
from kantoor_batch.convert.profile import load_profile
from kantoor_batch.convert.report import write_conversion_workbook
from kantoor_batch.export.error_workbook import write_error_workbook
from kantoor_batch.export.history_report import write_run_workbook
from kantoor_batch.export.plan_report import write_plan_workbook
from kantoor_batch.export.result_workbook import write_result_workbook
from kantoor_batch.export.store_workbook import export_store
from kantoor_batch.export.template import write_template
from kantoor_batch.history import show_run
from kantoor_batch.importer import import_workbook
from kantoor_batch.planner import run_planner
from kantoor_batch.validate.workbook import validate_workbook
from tests.conftest import AS_OF, REPO

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice or pdftotext is not installed"
)
SAMPLES = REPO / "samples"
WORKBOOKS = ("sjabloon", "fouten", "resultaat", "planner", "run", "export", "convert")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind of workbook, written from the samples and converted to PDF in one go."""
    work = tmp_path_factory.mktemp("print")
    db = f"sqlite:///{work / 'kantoor.db'}"
    write_template(work / "sjabloon.xlsx")
    faulty = SAMPLES / "onboarding-met-fouten.xlsx"
    report = validate_workbook(faulty, as_of=AS_OF)
    write_error_workbook(report, work / "fouten.xlsx")
    import_workbook(SAMPLES / "onboarding-voorbeeld.xlsx", db=db, as_of=AS_OF)
    result = import_workbook(faulty, db=db, as_of=AS_OF)
    write_result_workbook(result, work / "resultaat.xlsx")
    planned = run_planner(db=db, as_of=AS_OF + dt.timedelta(days=70))
    write_plan_workbook(planned, work / "planner.xlsx")
    write_run_workbook(show_run(2, db), work / "run.xlsx")
    export_store(db, work / "export.xlsx")
    # The flat sample with an impossible date: Conversie holds a long message to print whole.
    export = work / "klanten-plat.csv"
    text = (SAMPLES / "exports" / "klanten-plat.csv").read_text(encoding="cp1252")
    export.write_text(text.replace(";24-10-1991;", ";31-02-1991;", 1), encoding="cp1252")
    flat = convert_exports([export], load_profile(REPO / "profiles" / "klanten-plat.toml"))
    assert not flat.ok
    write_conversion_workbook(flat, work / "convert.xlsx")
    subprocess.run(  # noqa: S603 - our own fixed arguments to the soffice found on PATH
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{work}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *(str(work / f"{name}.xlsx") for name in WORKBOOKS),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return work


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(  # noqa: S603
        [str(PDFTOTEXT), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def words(text: str) -> list[str]:
    """Words as LibreOffice may break them: at spaces and after hyphens or slashes."""
    return re.findall(r"[^\s\-/]+", text)


def hidden(sheet: openpyxl.worksheet.worksheet.Worksheet, column: str) -> bool:
    """A hidden column (the export stamp) is not printed, as Excel and LibreOffice agree."""
    return bool(sheet.column_dimensions[column].hidden)


def shown_sheets(path: Path) -> list[openpyxl.worksheet.worksheet.Worksheet]:
    book = openpyxl.load_workbook(path)
    return [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]


@pytest.mark.parametrize("name", WORKBOOKS)
def test_no_text_of_a_cell_is_cut_on_paper(printed: Path, name: str) -> None:
    in_pdf = set(words("\n".join(pdf_pages(printed / f"{name}.pdf"))))
    cut = {
        (sheet.title, cell.coordinate, word)
        for sheet in shown_sheets(printed / f"{name}.xlsx")
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and not hidden(sheet, cell.column_letter)
        for word in words(cell.value)
        if word not in in_pdf
    }
    assert sorted(cut)[:10] == []


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_page_holds_all_headers_of_its_sheet_and_a_page_number(
    printed: Path, name: str
) -> None:
    pages = pdf_pages(printed / f"{name}.pdf")
    sheets = {sheet.title: sheet for sheet in shown_sheets(printed / f"{name}.xlsx")}
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
        footer = page.strip().splitlines()[-1].split("Pagina")[0].strip()
        sheet = sheets[footer]
        if sheet.title in ("Instructies", "Samenvatting"):
            continue
        headers = [
            str(c.value)
            for c in sheet[1]
            if c.value is not None and not hidden(sheet, c.column_letter)
        ]
        flat = set(words(page))
        assert [h for h in headers if not set(words(h)) <= flat] == [], (sheet.title, number)


def test_the_empty_template_prints_one_page_per_sheet(printed: Path) -> None:
    pages = pdf_pages(printed / "sjabloon.pdf")
    footers = [page.strip().splitlines()[-1].split("Pagina")[0].strip() for page in pages]
    sheets = [sheet.title for sheet in shown_sheets(printed / "sjabloon.xlsx")]
    assert footers.count("Instructies") <= 3
    assert [footers.count(sheet) for sheet in sheets[1:]] == [1] * (len(sheets) - 1)


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(
    printed: Path, name: str
) -> None:
    for sheet in shown_sheets(printed / f"{name}.xlsx"):
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        # fitToWidth 1 is the default, which a writer may leave out of the file.
        fit = (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight)
        assert fit == (1, 0), sheet.title
        if sheet.title != "Instructies":
            assert sheet.print_title_rows.replace("$", "") == "1:1", sheet.title
