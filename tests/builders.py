"""Workbooks for tests, built in code so each test shows its input.

A Book holds rows per sheet as {header: value}; rows[i] lands on Excel row i + 2. Values are
written with their type (text, number, date, bool), the way Excel would hold them.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from kantoor_batch.issues import Issue
from kantoor_batch.validate.report import ValidationReport

VALID_BSN = "111222333"
OTHER_VALID_BSN = "123456782"
VALID_RSIN = "002455791"

Row = dict[str, object]


@dataclass
class Book:
    sheets: dict[str, list[Row]] = field(default_factory=dict)

    def rows(self, sheet: str) -> list[Row]:
        return self.sheets.setdefault(sheet, [])

    def set(self, sheet: str, index: int, header: str, value: object) -> Book:
        """A copy with one cell changed (index 0 is Excel row 2)."""
        book = copy.deepcopy(self)
        book.sheets[sheet][index][header] = value
        return book

    def add(self, sheet: str, **row: object) -> Book:
        book = copy.deepcopy(self)
        book.rows(sheet).append({k.replace("_", " "): v for k, v in row.items()})
        return book

    def write(self, path: Path) -> Path:
        workbook = xlsxwriter.Workbook(
            str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
        )
        date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
        for name, rows in self.sheets.items():
            sheet = workbook.add_worksheet(name)
            headers: list[str] = []
            for row in rows:
                headers += [h for h in row if h not in headers]
            for j, header in enumerate(headers):
                sheet.write_string(0, j, header)
            for i, row in enumerate(rows, start=1):
                for j, header in enumerate(headers):
                    _write(sheet, i, j, row.get(header), date_format)
        workbook.close()
        return path


def _write(sheet: object, i: int, j: int, value: object, date_format: object) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(i, j, value)  # type: ignore[attr-defined]
    elif isinstance(value, int | float):
        sheet.write_number(i, j, value)  # type: ignore[attr-defined]
    elif isinstance(value, dt.date):
        stamp = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        sheet.write_datetime(i, j, stamp, date_format)  # type: ignore[attr-defined]
    else:
        sheet.write_string(i, j, str(value))  # type: ignore[attr-defined]


def valid_book() -> Book:
    """One BV with its owner, a product and a role, plus a group and an employee."""
    return Book(
        {
            "Relatiegroepen": [{"Naam": "MKB Noord"}],
            "Medewerkers": [{"Code": "JDV", "Naam": "Jan de Vries"}],
            "Relaties": [
                {
                    "Relatienummer": "0101",
                    "Soort": "Organisatie",
                    "Naam": "Bakkerij De Korenaar B.V.",
                    "Rechtsvorm": "BV",
                    "KvK-nummer": "01234567",
                    "BSN/RSIN": VALID_RSIN,
                    "Postcode": "9711 LM",
                    "Relatiegroep": "MKB Noord",
                }
            ],
            "Contacten": [
                {
                    "Relatienummer": "0101",
                    "Soort contact": "Ondernemer",
                    "Achternaam": "Bakker",
                    "BSN": VALID_BSN,
                }
            ],
            "Producten": [
                {
                    "Relatienummer": "0101",
                    "Product": "Aangifte OB",
                    "Tijdvak": "Kwartaal",
                    "Vanaf": "2026-K1",
                }
            ],
            "Rollen": [{"Relatienummer": "0101", "Rol": "Fiscaal", "Medewerker": "JDV"}],
        }
    )


def where(issues: list[Issue]) -> list[tuple[str | None, int | None, str | None, str]]:
    """Issues as flat tuples (sheet, row, column, code), the form tests assert on."""
    return [(i.sheet, i.row, i.column, i.code) for i in issues]


def codes(report: ValidationReport) -> set[str]:
    return {issue.code for issue in report.issues}
