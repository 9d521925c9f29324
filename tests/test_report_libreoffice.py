"""The report of the imported sample opens in LibreOffice Calc and prints: converted to PDF,
every sheet is there with its charts' titles. Skipped when LibreOffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kantoor_batch.export.report_workbook import write_report_workbook
from kantoor_batch.importer import import_workbook
from kantoor_batch.report import build_report
from tests.conftest import AS_OF, REPO

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice or pdftotext is not installed"
)


def test_the_report_of_the_sample_prints_through_libreoffice(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kantoor.db'}"
    sample = REPO / "samples" / "onboarding-voorbeeld.xlsx"
    result = import_workbook(sample, db=db, as_of=AS_OF)
    assert result.ok
    workbook = write_report_workbook(build_report(db, as_of=AS_OF), tmp_path / "rapport.xlsx")
    subprocess.run(  # noqa: S603 - our own fixed arguments to the soffice found on PATH
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    text = subprocess.run(  # noqa: S603
        [str(PDFTOTEXT), "-layout", str(tmp_path / "rapport.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    for expected in (
        "Overzicht van de portefeuille",
        "Relaties per rechtsvorm",  # a chart's title as well as its table's
        "Werklast: open workflows per medewerker",  # a chart title only
        "Open workflows met uiterste datum, verlopen eerst",
        "Gereed om aangifte te doen?",
        "aandeel gereed tegen het doel",
        "Pagina 1 van",
    ):
        assert expected in text, expected
