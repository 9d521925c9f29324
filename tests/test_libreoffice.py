"""A workbook saved by LibreOffice validates like one written by Python (LibreOffice Calc is
what many offices use). Skipped when LibreOffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kantoor_batch.export.template import write_template
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import where
from tests.conftest import AS_OF, REPO

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples and the template, opened and saved again by LibreOffice Calc."""
    work = tmp_path_factory.mktemp("lo")
    sources = [
        REPO / "samples" / "onboarding-voorbeeld.xlsx",
        REPO / "samples" / "onboarding-met-fouten.xlsx",
        write_template(work / "sjabloon.xlsx"),
    ]
    out = work / "out"
    subprocess.run(  # noqa: S603 - our own fixed arguments to the soffice found on PATH
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{work}/profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out


@pytest.mark.parametrize("name", ["onboarding-voorbeeld.xlsx", "onboarding-met-fouten.xlsx"])
def test_a_workbook_saved_by_libreoffice_validates_the_same(resaved: Path, name: str) -> None:
    """Same issues at the same cells, same cleaned values."""
    ours = validate_workbook(REPO / "samples" / name, as_of=AS_OF)
    theirs = validate_workbook(resaved / name, as_of=AS_OF)
    assert where(theirs.issues) == where(ours.issues)
    for key, sheet in ours.sheets.items():
        pd.testing.assert_frame_equal(theirs.sheets[key].data, sheet.data, check_dtype=False)


def test_libreoffice_keeps_the_templates_dropdowns(resaved: Path) -> None:
    """The list validations survive a save in LibreOffice, still fed by Lijsten."""
    book = openpyxl.load_workbook(resaved / "sjabloon.xlsx")
    lists = [v for v in book["Relaties"].data_validations.dataValidation if v.type == "list"]
    assert len(lists) >= 5
    assert all(
        "Lijsten" in (v.formula1 or "") or "Relatiegroepen" in (v.formula1 or "") for v in lists
    )
