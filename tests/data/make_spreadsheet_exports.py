"""Makes the .xls and .ods test exports (a title row above the header, a KvK number that Excel
stored as a number): writes an .xlsx with XlsxWriter and lets LibreOffice convert it.

    python tests/data/make_spreadsheet_exports.py      # needs soffice on the PATH

The two small files are kept in git, so the tests need no LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent
ROWS: list[list[str | int]] = [
    ["Export relaties"],
    [],
    ["Debiteurnr", "Naam", "KvKNummer", "Plaats"],
    ["20001", "Bakkerij Bos B.V.", 1234567, "Assen"],
    ["20002", "Smederij Smit B.V.", 87654321, "Ede"],
]


def main() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice) is needed")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "export-title-row.xlsx"
        book = xlsxwriter.Workbook(str(source))
        sheet = book.add_worksheet("Bedrijven")
        for i, row in enumerate(ROWS):
            for j, value in enumerate(row):
                sheet.write(i, j, value)
        book.close()
        for kind in ("xls", "ods"):
            subprocess.run(  # noqa: S603 - a fixed command line, no user input
                [soffice, "--headless", "--convert-to", kind, "--outdir", str(HERE), str(source)],
                check=True,
                capture_output=True,
            )


if __name__ == "__main__":
    main()
