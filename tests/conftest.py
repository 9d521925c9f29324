"""Shared fixtures: a pinned as-of date and a validator bound to it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kantoor_batch.validate.report import ValidationReport
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import Book

AS_OF = dt.date(2026, 11, 29)
REPO = Path(__file__).parent.parent


@pytest.fixture
def check(tmp_path: Path) -> Callable[[Book], ValidationReport]:
    """Write a Book to a workbook and validate it at the pinned as-of date."""

    def run(book: Book) -> ValidationReport:
        return validate_workbook(book.write(tmp_path / "invoer.xlsx"), as_of=AS_OF)

    return run


@pytest.fixture(autouse=True)
def _dutch_wide_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line speaks English under an English locale (cli.language); tests expect
    the default, Dutch, whatever the machine running them is set to."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # A wide screen, so that assertions on a sentence do not depend on where rich wraps it.
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture(autouse=True)
def _clients_per_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    """KANTOOR_BATCH_TEST_CLIENTS_PER_SLICE=1 runs every import of the suite a client at a
    time (rules/slices.py): what an import stores and reports must not depend on the slices."""
    per_slice = os.environ.get("KANTOOR_BATCH_TEST_CLIENTS_PER_SLICE")
    if per_slice:
        monkeypatch.setattr("kantoor_batch.rules.slices.CLIENTS_PER_SLICE", int(per_slice))
