"""Findings in the data: what is wrong, where, how bad, and what to do about it.

Issues are data, not exceptions, so that every problem of a workbook is reported at once.
A code is stable (scripts and later tooling rely on it); its wording may change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from kantoor_batch.masking import mask_personal, shown
from kantoor_batch.messages import MESSAGES, Lang


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(slots=True)
class Issue:
    """One finding, tied to a cell (or a row, sheet or file when no cell fits)."""

    code: str
    sheet: str | None
    row: int | None
    column: str | None
    value: object = None
    params: dict[str, str] = field(default_factory=dict)
    # Personal data (BSN, birth date, address) is masked wherever the message is shown
    # outside a workbook.
    personal: bool = False

    @property
    def severity(self) -> Severity:
        return Severity(MESSAGES[self.code].severity)

    @property
    def rule(self) -> str:
        return MESSAGES[self.code].rule

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def message(self, lang: Lang = "nl", *, mask: bool = True) -> str:
        """The sentence a person reads. mask=False only for the workbook the user fixes;
        otherwise every value from the workbook is masked where it may hold a BSN, whatever
        its column, and stripped of control characters (masking.shown)."""
        template = MESSAGES[self.code].text(lang)
        value = display_value(self.value)
        column, sheet, params = self.column or "", self.sheet or "", self.params
        if mask:
            value = shown(mask_personal(value, self.column) if self.personal else value)
            column, sheet = shown(column), shown(sheet)
            params = {key: shown(text) for key, text in params.items()}
        return template.format(value=value, column=column, sheet=sheet, **params)

    def as_dict(self, lang: Lang = "nl") -> dict[str, object]:
        """The JSON form; always masked because it is printed."""
        return {
            "sheet": None if self.sheet is None else shown(self.sheet),
            "row": self.row,
            "column": None if self.column is None else shown(self.column),
            "code": self.code,
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message(lang, mask=True),
        }


def display_value(value: object) -> str:
    """A cell value as a person would type it back (dates Dutch, whole floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, dt.time | dt.timedelta):
        return _clock(value)
    return str(value)


def _clock(value: dt.time | dt.timedelta) -> str:
    """A time as 14:30, a duration as Excel shows one ([u]:mm:ss)."""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    minutes, seconds = divmod(int(value.total_seconds()), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"


def count_errors(issues: Iterable[Issue]) -> int:
    return sum(1 for issue in issues if issue.is_error)
