"""What the planner run reads and writes, in bulk: one query for the planner rules with their
relations, one for the workflows the relations have of the keys the run would create, one
INSERT for the new workflows, one UPDATE statement and one ledger INSERT for the rules that
move on. Never a query per rule or per workflow."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.rules.planner import RULE_COLUMNS
from kantoor_batch.store import bulk, load
from kantoor_batch.store import schema as s

PLANNER_RULE_ENTITY = "planner_rule"  # import_changes.entity, as the import writes it


def planner_rules(connection: Connection) -> pd.DataFrame:
    """Every planner rule of the store with its relation's kind, number, name and financial
    year start (RULE_COLUMNS)."""
    rules, relations = s.planner_rules, s.relations
    query = (
        sa.select(
            rules.c.id.label("rule_id"),
            rules.c.relation_id,
            relations.c.kind.label("relation_kind"),
            relations.c.number.label("relation_number"),
            relations.c.name.label("relation_name"),
            rules.c.product,
            rules.c.period_type,
            rules.c.first_period,
            relations.c.financial_year_start,
        )
        .join(relations, relations.c.id == rules.c.relation_id)
        .order_by(relations.c.number, relations.c.kind, rules.c.product)
    )
    found = load.frame(connection, query)
    return found if not found.empty else pd.DataFrame(columns=RULE_COLUMNS)


def workflows_with_keys(connection: Connection, keys: Iterable[str]) -> pd.DataFrame:
    """(relation_id, workflow_key) of the stored workflows with one of these keys: the run's
    keys are few (a product and a period each), however many relations have them."""
    query = sa.select(s.workflows.c.relation_id, s.workflows.c.workflow_key)
    return load.where_in(connection, query, s.workflows.c.workflow_key, keys)


def insert_workflows(connection: Connection, workflows: pd.DataFrame, run_id: int) -> list[int]:
    """The new workflows, open, created by this run; their ids in row order."""
    return bulk.insert(connection, s.workflows, workflows.assign(status=s.WORKFLOW_OPEN), run_id)


def move_rules(connection: Connection, moved: pd.DataFrame, run_id: int) -> None:
    """Each moved rule's first_period becomes its next_period, updated by this run; the old
    and new value go into the ledger (import_changes) as for an import's change."""
    if moved.empty:
        return
    mark = bulk.placeholder(connection)
    quote = connection.dialect.identifier_preparer.quote
    table = quote(s.planner_rules.name)
    bulk.executemany(
        connection,
        f"UPDATE {table} SET first_period = {mark}, updated_run_id = {mark} "  # noqa: S608
        f"WHERE id = {mark}",
        zip(
            moved["next_period"].tolist(),
            [run_id] * len(moved),
            moved["rule_id"].astype("int64").tolist(),
            strict=True,
        ),
    )
    keys = moved["relation_number"].astype(str) + " " + moved["product"].astype(str)
    columns = ["run_id", "entity", "entity_id", "entity_key", "field", "old_value", "new_value"]
    records = zip(
        [run_id] * len(moved),
        [PLANNER_RULE_ENTITY] * len(moved),
        moved["rule_id"].astype("int64").tolist(),
        keys.tolist(),
        ["first_period"] * len(moved),
        moved["first_period"].tolist(),
        moved["next_period"].tolist(),
        strict=True,
    )
    head = f"INSERT INTO {quote(s.import_changes.name)} ({', '.join(columns)}) VALUES "  # noqa: S608
    row = "(" + ", ".join([mark] * len(columns)) + ")"
    bulk.insert_in_blocks(connection, head, row, len(columns), iter(records))
