"""The import ledger: one row per run, kept in the same transaction as what the run stored."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.masking import printable
from kantoor_batch.store import schema as s


def start_run(
    connection: Connection,
    *,
    file_name: str,
    sha256: str,
    as_of: dt.date,
    started_at: dt.datetime,
    all_or_nothing: bool,
) -> int:
    result = connection.execute(
        sa.insert(s.import_runs).returning(s.import_runs.c.id),
        {
            "file_name": printable(file_name),  # bytes that are not UTF-8 as \\xNN
            "sha256": sha256,
            "as_of": as_of,
            "started_at": started_at,
            "outcome": "running",
            "all_or_nothing": all_or_nothing,
            "tool_version": version("kantoor-batch"),
        },
    )
    return int(result.scalar_one())


def finish_run(
    connection: Connection, run_id: int, outcome: str, counts: dict[str, dict[str, int]]
) -> None:
    connection.execute(
        sa.update(s.import_runs)
        .where(s.import_runs.c.id == run_id)
        .values(outcome=outcome, finished_at=dt.datetime.now(dt.UTC), counts=counts)
    )
