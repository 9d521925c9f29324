"""run_planner: the planner run, rules -> workflows of the periods that have started -> store.

Like an import, it runs in one transaction that holds the store's write lock (an import and a
planner run never interleave), records itself in the ledger as a run of kind 'plan' with its
counts, and a dry run is the real path rolled back. rules/planner.py decides what is due,
store/planning.py reads and writes it in bulk, plan_result.py is what comes back.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.deadlines import use_income_tax_extension
from kantoor_batch.periods import use_calendar
from kantoor_batch.plan_result import PlanResult, skipped_table, workflow_table
from kantoor_batch.rules.planner import due_periods, missing_workflows
from kantoor_batch.store import planning
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import DEFAULT_WAIT_SECONDS, open_existing
from kantoor_batch.store.ledger import finish_run, start_run


def run_planner(
    *,
    db: str | None = None,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    catalogues: Catalogues | None = None,
    on_wait: Callable[[], None] | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
) -> PlanResult:
    """Create the workflows of every period that has started by as_of (default today) and has
    none yet, for every planner rule of the store. Raises KantoorBatchError only when the run
    cannot start or the store fails; a rule it cannot follow is in result.skipped_rules.
    on_wait is called when another run holds the store; after wait seconds the run stops
    (StoreBusyError) without storing anything."""
    catalogues = catalogues or Catalogues()
    with (
        use_calendar(catalogues.calendar),  # four-week periods as the office states them
        use_income_tax_extension(catalogues.income_tax_extension),
    ):
        return _plan(
            db=db, as_of=as_of or dt.date.today(), dry_run=dry_run, on_wait=on_wait, wait=wait
        )


def _plan(
    *,
    db: str | None,
    as_of: dt.date,
    dry_run: bool,
    on_wait: Callable[[], None] | None,
    wait: float,
) -> PlanResult:
    started_at = dt.datetime.now(dt.UTC)
    start = time.monotonic()
    store = open_existing(db, wait=wait)
    with store.transaction(rollback=dry_run, on_wait=on_wait) as connection:
        run_id = start_run(
            connection,
            file_name=None,
            sha256=None,
            as_of=as_of,
            started_at=started_at,
            all_or_nothing=False,
            kind=s.PLAN_RUN,
        )
        rules = planning.planner_rules(connection)
        due = due_periods(rules, as_of)
        existing = planning.workflows_with_keys(connection, due.workflows["workflow_key"].unique())
        created = missing_workflows(due.workflows, existing)
        planning.insert_workflows(connection, created, run_id)
        planning.move_rules(connection, due.moved, run_id)
        result = PlanResult(
            as_of=as_of,
            dry_run=dry_run,
            run_id=None if dry_run else run_id,
            outcome="partial" if len(due.skipped) else "completed",
            started_at=started_at,
            seconds=0.0,
            store=store.url,
            rules=len(rules),
            rules_moved=len(due.moved),
            workflows=workflow_table(created),
            skipped_rules=skipped_table(due.skipped),
        )
        finish_run(connection, run_id, result.outcome, result.counts())
    result.seconds = time.monotonic() - start
    return result
