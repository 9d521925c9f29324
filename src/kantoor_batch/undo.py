"""undo_run: revert one run (an import or a planner run) of the store's ledger.

What the run created is removed (children before parents), what it changed gets its old value
back from import_changes, and updated_run_id goes back to the latest other run that changed
the row (NULL when none did). When a later run touched the same records (created rows under
rows this run created, changed the same fields, or changed rows it created), the undo refuses
and lists them, unless force. The undo is itself a run in the ledger (kind 'undo', undoes_run_id
the run it reverted), with its own changes in import_changes and the rows it removed kept
whole (undo_removed_rows). An undo can itself be undone: the rows it removed come back with
their ids and the values it put back are set again, after which the run it had undone counts
again (and can be undone once more). An undo of an undo is not undone in turn: undo the
original run again instead. Like an import it runs in one transaction under the store's write
lock; a dry run is the same path rolled back.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from kantoor_batch.errors import WrongUseError
from kantoor_batch.history import KIND_LABELS, TABLE_LABELS, RunNotFoundError
from kantoor_batch.store import schema as s
from kantoor_batch.store import undoing
from kantoor_batch.store.database import DEFAULT_WAIT_SECONDS, describe, open_existing
from kantoor_batch.store.ledger import finish_run, start_run

REMOVED = "verwijderd"
RESTORED = "hersteld"
REINSERTED = "teruggezet"
CONFLICT_HEADERS = ["Run", "Tabel", "Id", "Sleutel", "Veld", "Reden"]
REASONS = {
    undoing.CHILD: "aangemaakt onder een rij van deze run",
    undoing.CHANGED: "gewijzigd na deze run",
    undoing.TAKEN: "intussen opnieuw aangemaakt (zelfde id of sleutel)",
    undoing.PARENT_GONE: "verwijst naar een rij die een latere run verwijderde",
}


class AlreadyUndoneError(WrongUseError):
    """The run was undone already (wrong use: exit 2)."""

    def __init__(self, run_id: int, undo_id: int) -> None:
        self.run_id, self.undo_id = run_id, undo_id
        super().__init__(
            f"Run {run_id} is al ongedaan gemaakt door run {undo_id}; een run kan maar één "
            "keer ongedaan worden gemaakt."
        )


class UndoOfUndoError(WrongUseError):
    """The run undid an undo; it is not undone in turn (exit 2): the original run is."""

    def __init__(self, run_id: int, undo_id: int, original_id: int) -> None:
        self.run_id = run_id
        super().__init__(
            f"Run {run_id} maakte undo {undo_id} ongedaan en kan zelf niet ongedaan worden "
            f"gemaakt. Maak run {original_id} opnieuw ongedaan: kantoor-batch undo {original_id}."
        )


class UndoWithoutCopiesError(WrongUseError):
    """An undo from before the store kept removed rows (migration 0004) cannot be undone."""

    def __init__(self, run_id: int, original_id: int) -> None:
        self.run_id = run_id
        super().__init__(
            f"Run {run_id} is een undo uit een eerdere versie, die de verwijderde rijen niet "
            f"bewaarde; die kan niet ongedaan worden gemaakt. Importeer de werkmap van run "
            f"{original_id} opnieuw (of draai `kantoor-batch plan` opnieuw)."
        )


@dataclass
class UndoResult:
    """What an undo did (or, refused, why not). Table names as in the store (TABLE_LABELS
    gives the Dutch ones)."""

    undone_run_id: int
    undone_kind: str
    run_id: int | None  # the undo's own run; None for a dry run or a refusal
    dry_run: bool
    force: bool
    store: str
    started_at: dt.datetime
    seconds: float = 0.0
    removed: dict[str, int] = field(default_factory=dict)  # rows per table
    restored: dict[str, int] = field(default_factory=dict)  # rows with values put back
    reinserted: dict[str, int] = field(default_factory=dict)  # an undo undone: rows back
    emptied: int = 0  # --force: references of later rows to removed rows emptied
    conflicts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=undoing.CONFLICT_COLUMNS)
    )

    # An undo being undone whose removed rows cannot come back (their id or key is taken
    # again): refused even with force, which cannot make room for them.
    blocked: bool = False

    @property
    def refused(self) -> bool:
        """Later runs touched what the run did and force was not given, or the rows of an
        undo being undone cannot come back: nothing changed."""
        return self.blocked or (not self.force and not self.conflicts.empty)

    @property
    def ok(self) -> bool:
        return not self.refused

    def counts(self) -> dict[str, dict[str, int]]:
        """Per table (Dutch name): rows removed and rows whose values were put back."""
        counted: dict[str, dict[str, int]] = {}
        for name in TABLE_LABELS:
            entry = {
                REMOVED: self.removed.get(name, 0),
                RESTORED: self.restored.get(name, 0),
                REINSERTED: self.reinserted.get(name, 0),
            }
            if any(entry.values()):
                counted[TABLE_LABELS[name]] = entry
        return counted

    def conflict_table(self) -> pd.DataFrame:
        """The later runs' touches (CONFLICT_HEADERS), Dutch."""
        c = self.conflicts
        return pd.DataFrame(
            {
                "Run": c["run_id"].astype(int).to_numpy(),
                "Tabel": c["table"].map(TABLE_LABELS).to_numpy(),
                "Id": c["entity_id"].astype(int).to_numpy(),
                "Sleutel": c["key"].where(c["key"].notna(), "").to_numpy(),
                "Veld": c["field"].to_numpy(),
                "Reden": c["reason"].map(REASONS).to_numpy(),
            },
            columns=CONFLICT_HEADERS,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "undone_run": self.undone_run_id,
            "undone_kind": self.undone_kind,
            "run_id": self.run_id,
            "dry_run": self.dry_run,
            "force": self.force,
            "refused": self.refused,
            "store": describe(self.store),
            "started_at": self.started_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "emptied_references": self.emptied,
            "conflicts": [
                {
                    "run": int(r),
                    "table": t,
                    "id": int(i),
                    "key": k if isinstance(k, str) else None,
                    "field": f,
                    "reason": reason,
                }
                for r, t, i, k, f, reason in self.conflicts[undoing.CONFLICT_COLUMNS].itertuples(
                    index=False, name=None
                )
            ],
        }


def undo_run(
    run_id: int,
    *,
    db: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    on_wait: Callable[[], None] | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
) -> UndoResult:
    """Revert run_id. Raises RunNotFoundError, AlreadyUndoneError or UndoOfUndoError (wrong
    use) and KantoorBatchError when the store fails. When later runs touched what run_id did
    and force is not given, nothing changes and result.refused is True (result.conflicts)."""
    started_at = dt.datetime.now(dt.UTC)
    start = time.monotonic()
    store = open_existing(db, wait=wait)
    with store.transaction(rollback=dry_run, on_wait=on_wait) as connection:
        runs = s.import_runs
        found = connection.execute(
            sa.select(runs.c.kind, runs.c.undoes_run_id).where(runs.c.id == run_id)
        ).first()
        if found is None:
            raise RunNotFoundError(run_id)
        kind, target = str(found[0]), found[1]
        if kind == s.UNDO_RUN:
            target_of_target = connection.execute(
                sa.select(runs.c.undoes_run_id).where(
                    runs.c.id == target, runs.c.kind == s.UNDO_RUN
                )
            ).scalar()
            if target_of_target is not None:
                raise UndoOfUndoError(run_id, int(target), int(target_of_target))
            if undoing.removed_without_copies(connection, run_id):
                raise UndoWithoutCopiesError(run_id, int(target))
        undo_id = undoing.undone_by(connection, run_id)
        if undo_id is not None:
            raise AlreadyUndoneError(run_id, undo_id)
        result = UndoResult(
            undone_run_id=run_id,
            undone_kind=kind,
            run_id=None,
            dry_run=dry_run,
            force=force,
            store=store.url,
            started_at=started_at,
            conflicts=undoing.conflicts(connection, run_id),
        )
        if kind == s.UNDO_RUN:  # its removed rows must be able to come back
            taken = undoing.taken(connection, run_id)
            if not taken.empty:
                result.conflicts = pd.concat([result.conflicts, taken], ignore_index=True)
                result.blocked = True
        if result.refused:
            result.seconds = time.monotonic() - start
            return result  # nothing was written
        own = start_run(
            connection,
            file_name=None,
            sha256=None,
            as_of=dt.date.today(),
            started_at=started_at,
            all_or_nothing=True,
            kind=s.UNDO_RUN,
        )
        connection.execute(sa.update(runs).where(runs.c.id == own).values(undoes_run_id=run_id))
        removal = undoing.Removal(run_id, force=force)
        result.emptied = undoing.empty_references(connection, removal, own)
        if kind == s.UNDO_RUN:  # the rows it removed first: what it emptied points at them
            result.reinserted = undoing.reinsert(connection, run_id)
        result.restored = undoing.restore(connection, run_id, own)
        result.removed = undoing.remove(connection, removal, own)
        result.run_id = None if dry_run else own
        finish_run(connection, own, "completed", result.counts())
    result.seconds = time.monotonic() - start
    return result


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
