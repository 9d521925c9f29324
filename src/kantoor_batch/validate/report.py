"""The result of validating a workbook: the cleaned sheets and every issue, in sheet order."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue, Severity
from kantoor_batch.masking import printable
from kantoor_batch.messages import Lang
from kantoor_batch.spec import SHEETS


@dataclass
class ValidationReport:
    path: Path
    sha256: str
    as_of: dt.date
    sheets: dict[str, CleanSheet]  # by sheet key
    issues: list[Issue]

    @property
    def errors(self) -> int:
        return sum(1 for issue in self.issues if issue.is_error)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors

    @property
    def ok(self) -> bool:
        """No errors (warnings are allowed)."""
        return self.errors == 0

    def sheet_key(self, title: str | None) -> str | None:
        """The key of the onboarding sheet an issue's sheet title names."""
        for key, sheet in self.sheets.items():
            if title in {sheet.title, sheet.spec.name}:
                return key
        return None

    def counts(self) -> list[dict[str, object]]:
        """Rows, errors and warnings per sheet, in template order."""
        per_sheet: Counter[tuple[str | None, Severity]] = Counter(
            (self.sheet_key(issue.sheet), issue.severity) for issue in self.issues
        )
        return [
            {
                "sheet": sheet.name,
                "rows": len(self.sheets[sheet.key].data),
                "errors": per_sheet[(sheet.key, Severity.ERROR)],
                "warnings": per_sheet[(sheet.key, Severity.WARNING)],
            }
            for sheet in SHEETS
        ]

    def as_dict(self, lang: Lang = "nl", **extra: object) -> dict[str, object]:
        """The --json form; personal data masked; extra goes into the summary."""
        return {
            "summary": {
                **extra,
                "file": printable(self.path.name),
                "sha256": self.sha256,
                "as_of": self.as_of.isoformat(),
                "ok": self.ok,
                "errors": self.errors,
                "warnings": self.warnings,
                "sheets": self.counts(),
            },
            "issues": [issue.as_dict(lang) for issue in self.issues],
        }


def sort_issues(issues: list[Issue], sheets: dict[str, CleanSheet]) -> list[Issue]:
    order = {sheet.title: i for i, sheet in enumerate(sheets.values())}
    positions = {
        (sheet.title, column.header): j
        for sheet in sheets.values()
        for j, column in enumerate(sheet.spec.columns)
    }

    def key(issue: Issue) -> tuple[int, int, int, str]:
        return (
            order.get(issue.sheet or "", -1),
            issue.row or 0,
            positions.get((issue.sheet or "", issue.column or ""), 999),
            issue.code,
        )

    return sorted(issues, key=key)
