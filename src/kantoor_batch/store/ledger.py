"""The run ledger: one row per run (an import, a planner run, an undo), kept in the same
transaction as what the run stored, with who ran it."""

from __future__ import annotations

import datetime as dt
import getpass
from importlib.metadata import version

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.masking import printable
from kantoor_batch.store import schema as s

USER_NAME_LENGTH = 100


def current_user() -> str | None:
    """The operating system's name of who runs this, as getpass finds it (LOGNAME, USER, the
    password database); None where there is none, as in some containers and services."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no variable and no password entry
        return None
    return name[:USER_NAME_LENGTH] or None


def start_run(
    connection: Connection,
    *,
    file_name: str | None,
    sha256: str | None,
    as_of: dt.date,
    started_at: dt.datetime,
    all_or_nothing: bool,
    kind: str = s.IMPORT_RUN,
    user_name: str | None = None,
) -> int:
    """The ledger row of a run that starts now; user_name defaults to current_user()."""
    if kind not in s.RUN_KINDS:
        msg = f"unknown run kind {kind!r}"
        raise ValueError(msg)
    result = connection.execute(
        sa.insert(s.import_runs).returning(s.import_runs.c.id),
        {
            "kind": kind,
            # bytes of the file name that are not UTF-8 as \\xNN; a planner run has no file
            "file_name": printable(file_name) if file_name is not None else None,
            "sha256": sha256,
            "as_of": as_of,
            "started_at": started_at,
            "outcome": "running",
            "all_or_nothing": all_or_nothing,
            "tool_version": version("kantoor-batch"),
            "user_name": user_name if user_name is not None else current_user(),
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
