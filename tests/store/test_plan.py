"""Workflows with their deadlines, from an import and from the planner run, on SQLite and on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from kantoor_batch.importer import import_workbook
from kantoor_batch.store.database import Store
from tests.builders import valid_book
from tests.conftest import AS_OF


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with Store(url).reading() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql))]


def day(value: object) -> dt.date | None:
    """A date as the store gives it back (SQLite: ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def test_the_import_stores_the_deadline_of_every_workflow_it_creates(
    store_url: str, tmp_path: Path
) -> None:
    """OB per quarter of 2026: due the last day of the month after each quarter; the owner's
    Aangifte IB 2026 on 1 May 2027; all open."""
    result = import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    rows = query(store_url, "SELECT workflow_key, due_date, status FROM workflows ORDER BY 1")
    assert [(k, day(d), s) for k, d, s in rows] == [
        ("Aangifte IB|2026", dt.date(2027, 5, 1), "open"),
        ("Aangifte OB|2026-K1", dt.date(2026, 4, 30), "open"),
        ("Aangifte OB|2026-K2", dt.date(2026, 7, 31), "open"),
        ("Aangifte OB|2026-K3", dt.date(2026, 10, 31), "open"),
        ("Aangifte OB|2026-K4", dt.date(2027, 1, 31), "open"),
    ]
    table = result.tables["workflows"]
    shown = dict(zip(table["Workflow"], table["Uiterste datum"], strict=True))
    assert shown["Aangifte OB 2026-K4"] == dt.date(2027, 1, 31)
    assert shown["Aangifte IB 2026"] == dt.date(2027, 5, 1)
