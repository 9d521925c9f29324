"""mark_done: workflows whose work is done get status 'gereed' (IB-voortgang counts them).

A workflow is named as people know it: relation number, product and period (`0101`,
`Aangifte IB`, `2025`), one per row, from the command line or a CSV file. In one transaction
that holds the store's write lock, like an import: one query for the workflows of the named
keys (product|period, a handful however many clients), one UPDATE statement for those still
open, and the ledger: a run (kind import, the file's name if any) whose counts say how many
were marked, and each changed status in import_changes (open -> gereed), so that the
IB-voortgang counts a workflow as done in the month of that run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from kantoor_batch.errors import WrongUseError
from kantoor_batch.rules.workflows import workflow_key
from kantoor_batch.store import bulk, load
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import DEFAULT_WAIT_SECONDS, describe, open_existing
from kantoor_batch.store.diff import SKIPPED, UNCHANGED, UPDATED
from kantoor_batch.store.ledger import finish_run, start_run

KEY_COLUMNS = ["Relatienummer", "Product", "Periode"]
WORKFLOW_ENTITY = "workflow"  # import_changes.entity, as the import writes it
DONE_COUNTS = "workflows gereed"


@dataclass
class DoneResult:
    """What mark_done did: marked (now gereed), already (were gereed), not_found (KEY_COLUMNS
    rows the store has no workflow for)."""

    store: str
    run_id: int | None
    marked: int
    already: int
    not_found: pd.DataFrame

    def as_dict(self) -> dict[str, object]:
        return {
            "store": describe(self.store),
            "run_id": self.run_id,
            "marked": self.marked,
            "already_done": self.already,
            "not_found": self.not_found.to_dict(orient="records"),
        }


def read_done_file(path: Path) -> pd.DataFrame:
    """The rows of a CSV file (comma or semicolon) with the columns Relatienummer, Product and
    Periode (KEY_COLUMNS), as text; WrongUseError when a column is missing."""
    try:
        table = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise WrongUseError(f"{path}: geen leesbaar CSV-bestand ({exc}).") from exc
    table.columns = pd.Index([str(c).strip() for c in table.columns])
    if missing := [c for c in KEY_COLUMNS if c not in table.columns]:
        raise WrongUseError(
            f"{path}: de kolommen {', '.join(missing)} ontbreken; het bestand heeft de "
            f"kolommen {', '.join(KEY_COLUMNS)}."
        )
    return table[KEY_COLUMNS]


def mark_done(
    keys: pd.DataFrame,
    *,
    db: str | None = None,
    as_of: dt.date | None = None,
    file: Path | None = None,
    on_wait: Callable[[], None] | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
) -> DoneResult:
    """Status 'gereed' for the workflows of these rows (KEY_COLUMNS)."""
    wanted = keys[KEY_COLUMNS].astype(str).apply(lambda c: c.str.strip()).drop_duplicates()
    wanted = wanted.assign(
        workflow_key=[
            workflow_key(p, q) for p, q in zip(wanted["Product"], wanted["Periode"], strict=True)
        ]
    )
    store = open_existing(db, wait=wait)
    w, r = s.workflows, s.relations
    with store.transaction(on_wait=on_wait) as connection:
        run_id = start_run(
            connection,
            file_name=file.name if file is not None else None,
            sha256=hashlib.sha256(file.read_bytes()).hexdigest() if file is not None else None,
            as_of=as_of or dt.date.today(),
            started_at=dt.datetime.now(dt.UTC),
            all_or_nothing=False,
        )
        query = sa.select(w.c.id, r.c.number, w.c.workflow_key, w.c.status).join(
            r, r.c.id == w.c.relation_id
        )
        stored = load.where_in(connection, query, w.c.workflow_key, wanted["workflow_key"])
        stored = stored.rename(columns={"number": "Relatienummer"})
        found = wanted.merge(stored, on=["Relatienummer", "workflow_key"], how="left")
        missing = found[found["id"].isna()]
        to_mark = found[found["id"].notna() & (found["status"] != s.WORKFLOW_DONE)]
        already = int((found["status"] == s.WORKFLOW_DONE).sum())
        to_mark = to_mark.drop_duplicates("id")
        ids = to_mark["id"].astype("int64").tolist()
        mark = bulk.placeholder(connection)
        quote = connection.dialect.identifier_preparer.quote
        bulk.executemany(
            connection,
            f"UPDATE {quote(w.name)} SET status = {mark}, updated_run_id = {mark} "  # noqa: S608
            f"WHERE id = {mark}",
            ((s.WORKFLOW_DONE, run_id, i) for i in ids),
        )
        columns = ["run_id", "entity", "entity_id", "entity_key", "field", "old_value", "new_value"]
        records = (
            (run_id, WORKFLOW_ENTITY, i, f"{n} {k}", "status", old, s.WORKFLOW_DONE)
            for i, n, k, old in zip(
                ids,
                to_mark["Relatienummer"],
                to_mark["workflow_key"],
                to_mark["status"],
                strict=True,
            )
        )
        head = f"INSERT INTO {quote(s.import_changes.name)} ({', '.join(columns)}) VALUES "  # noqa: S608
        bulk.insert_in_blocks(
            connection, head, "(" + ", ".join([mark] * len(columns)) + ")", len(columns), records
        )
        counts = {DONE_COUNTS: {UPDATED: len(ids), UNCHANGED: already, SKIPPED: len(missing)}}
        finish_run(connection, run_id, "partial" if len(missing) else "completed", counts)
    return DoneResult(
        store=store.url,
        run_id=run_id,
        marked=len(ids),
        already=already,
        not_found=missing[KEY_COLUMNS].reset_index(drop=True),
    )
