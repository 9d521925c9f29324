"""Reading the run ledger: the runs, the values one run changed, and the rows it created.

Read without the store's write lock (store.reading()), so that the history can be looked at
while an import runs; it then shows what has been committed. A store that a newer version has
not migrated yet (no `kind` or `user_name` column) is read as it is: its runs were imports.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.store import load
from kantoor_batch.store import schema as s

RUN_COLUMNS = [c.name for c in s.import_runs.columns]
CHANGE_COLUMNS = ["entity", "entity_id", "entity_key", "field", "old_value", "new_value"]
# The tables whose rows carry created_run_id and updated_run_id, parents first.
RUN_TABLES = (
    s.relation_groups,
    s.employees,
    s.contacts,
    s.relations,
    s.relation_contacts,
    s.products,
    s.workflows,
    s.planner_rules,
    s.role_assignments,
    s.sbr_settings,
)
_DEFAULTS: dict[str, object] = {"kind": s.IMPORT_RUN, "user_name": None, "undoes_run_id": None}


def has_ledger(connection: Connection) -> bool:
    return sa.inspect(connection).has_table(s.import_runs.name)


def runs(connection: Connection, run_id: int | None = None) -> pd.DataFrame:
    """The ledger (RUN_COLUMNS), oldest first; only run_id's row when given."""
    if not has_ledger(connection):
        return pd.DataFrame(columns=RUN_COLUMNS)
    present = {c["name"] for c in sa.inspect(connection).get_columns(s.import_runs.name)}
    columns = [
        s.import_runs.c[name]
        if name in present
        else sa.literal(_DEFAULTS.get(name), s.import_runs.c[name].type).label(name)
        for name in RUN_COLUMNS
    ]
    query = sa.select(*columns).order_by(s.import_runs.c.id)
    if run_id is not None:
        query = query.where(s.import_runs.c.id == run_id)
    found = load.frame(connection, query)
    return found if not found.empty else pd.DataFrame(columns=RUN_COLUMNS)


def changes(connection: Connection, run_id: int) -> pd.DataFrame:
    """Every value the run changed (CHANGE_COLUMNS), in the order it recorded them."""
    table = s.import_changes
    query = (
        sa.select(*(table.c[c] for c in CHANGE_COLUMNS))
        .where(table.c.run_id == run_id)
        .order_by(table.c.id)
    )
    found = load.frame(connection, query)
    return found if not found.empty else pd.DataFrame(columns=CHANGE_COLUMNS)


def rows_of_run(connection: Connection, run_id: int) -> dict[str, tuple[int, int]]:
    """Per table: how many rows the run created, and how many it was the last to update."""
    counted: dict[str, tuple[int, int]] = {}
    for table in RUN_TABLES:
        row = connection.execute(
            sa.select(
                _count_where(table.c.created_run_id == run_id),
                _count_where(table.c.updated_run_id == run_id),
            )
        ).one()
        counted[table.name] = (int(row[0]), int(row[1]))
    return counted


def _count_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """count(*) FILTER (WHERE ...), written so that any SQLite build runs it."""
    one_or_zero = sa.case((condition, 1), else_=0)
    return sa.func.coalesce(sa.func.sum(one_or_zero), 0)
