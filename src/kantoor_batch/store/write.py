"""Writing a plan to the store in bulk: per kind of thing, one comparison with what exists
(diff.py), one executemany INSERT for what is new and one UPDATE for what changed (bulk.py).
Parents first (groups, employees, contacts, relations), so children can point at their ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.rules.plan import (
    CONTACT_FIELDS,
    RELATION_FIELDS,
    ByRelation,
    Plan,
    per_relation,
)
from kantoor_batch.store import bulk, load
from kantoor_batch.store import schema as s
from kantoor_batch.store.diff import CREATED, Diff, compare

DERIVED_FIELDS = (
    "name",
    "fiscal_number",
    "email",
    "phone",
    "group_id",
    "derived_from_contact_id",
    "source_relation_id",
)


@dataclass
class Written:
    """Per kind of thing: the planned rows with their action (and id)."""

    frames: dict[str, pd.DataFrame]
    changes: int


class PlanWriter:
    def __init__(self, connection: Connection, run_id: int) -> None:
        self.connection = connection
        self.run_id = run_id
        self.changes = 0

    def upsert(
        self,
        entity: str,
        table: sa.Table,
        planned: pd.DataFrame,
        existing: pd.DataFrame,
        keys: Sequence[str],
        fields: Sequence[str],
        key_columns: Sequence[str],
        *,
        empty_keeps_old: bool = False,
        never_update: pd.Series | None = None,
    ) -> Diff:
        """Compare, insert, update and record the changes in the ledger."""
        diff = compare(
            planned,
            existing,
            keys,
            fields,
            empty_keeps_old=empty_keeps_old,
            never_update=never_update,
        )
        created = diff.planned["action"] == CREATED
        new_ids = bulk.insert(self.connection, table, diff.planned[created], self.run_id)
        if new_ids:
            diff.planned.loc[created, "id"] = new_ids
        bulk.update(self.connection, table, diff, fields, self.run_id)
        self.changes += bulk.record_changes(self.connection, entity, diff, key_columns, self.run_id)
        return diff


def _ids(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype=object)
    return frame.set_index(keys if len(keys) > 1 else keys[0])["id"]


def write_plan(
    connection: Connection,
    plan: Plan,
    run_id: int,
    relations_before: pd.DataFrame,
    contacts_before: pd.DataFrame,
) -> Written:
    """relations_before, contacts_before: what the store held for the plan's numbers before
    this run wrote anything (the importer has read them for its checks already)."""
    w = PlanWriter(connection, run_id)
    frames: dict[str, pd.DataFrame] = {}

    groups = w.upsert(
        "relation_group",
        s.relation_groups,
        plan.groups,
        load.all_rows(connection, s.relation_groups),
        ["name_key"],
        ["name", "description"],
        ["name"],
        empty_keeps_old=True,
    )
    frames["groups"] = groups.planned
    group_id = _ids(load.all_rows(connection, s.relation_groups), ["name_key"])

    employees = w.upsert(
        "employee",
        s.employees,
        plan.employees,
        load.all_rows(connection, s.employees),
        ["code_key"],
        ["code", "name", "email"],
        ["code"],
        empty_keeps_old=True,
    )
    frames["employees"] = employees.planned
    employee_id = _ids(load.all_rows(connection, s.employees), ["code_key"])
    integration_id = _ensure_integrations(connection, plan.relations["integration"])

    # Contacts: one entity per number, its data from the first row that has it.
    people = plan.contacts[plan.contacts["last_name"].notna()].drop_duplicates("number")
    contacts = w.upsert(
        "contact",
        s.contacts,
        people[["number", *CONTACT_FIELDS]],
        contacts_before,
        ["number"],
        list(CONTACT_FIELDS),
        ["number"],
        empty_keeps_old=True,
    )
    frames["contact_entities"] = contacts.planned
    contact_id = _ids(contacts.planned, ["number"])

    relations = plan.relations.assign(
        group_id=plan.relations["group"].str.casefold().map(group_id),
        integration_id=plan.relations["integration"].map(integration_id),
        derived_from_contact_id=plan.relations["derived_from_contact"].map(contact_id),
    )
    existing = relations_before
    sheet_rows = relations[relations["sheet"] == "relations"]
    first = w.upsert(
        "relation",
        s.relations,
        sheet_rows,
        existing,
        ["kind", "number"],
        [*RELATION_FIELDS, "group_id", "integration_id"],
        ["kind", "number"],
        empty_keeps_old=True,
    )
    derived_rows = relations[relations["sheet"] == "contacts"]
    derived_rows = derived_rows.assign(
        source_relation_id=per_relation(
            _ids(first.planned, ["kind", "number"]),
            derived_rows["source_kind"],
            derived_rows["source_number"],
        )
    )
    derived = w.upsert(
        "relation",
        s.relations,
        derived_rows,
        existing,
        ["kind", "number"],
        list(DERIVED_FIELDS),
        ["kind", "number"],
        empty_keeps_old=True,
    )
    frames["relations"] = pd.concat([first.planned, derived.planned], ignore_index=True)
    relation_id = ByRelation(_ids(frames["relations"], ["kind", "number"]))
    # Children can only exist already for relations that existed before this run.
    relation_ids = [int(i) for i in existing["id"]] if not existing.empty else []

    def with_relation_id(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(
            relation_id=relation_id(frame["relation_kind"], frame["relation_number"])
        )

    links = with_relation_id(plan.contacts).assign(contact_id=lambda f: f["number"].map(contact_id))
    link_keys = ["relation_kind", "relation_number", "number"]
    first_of_link = ~links.duplicated(link_keys)
    links_diff = w.upsert(
        "relation_contact",
        s.relation_contacts,
        links[first_of_link],
        load.children(connection, s.relation_contacts, relation_ids),
        ["relation_id", "contact_id"],
        ["contact_type", "is_primary"],
        ["relation_number", "number"],
    )
    action = pd.Series(
        links_diff.planned["action"].to_numpy(), index=links.index[first_of_link.to_numpy()]
    )
    if not first_of_link.all():  # one contact on two rows of a relation: the first row's action
        first_row = (
            links.index.to_series()
            .groupby([links[k] for k in link_keys], sort=False, dropna=False)
            .transform("first")
        )
        action = action.reindex(first_row.to_numpy()).set_axis(links.index)
    frames["contacts"] = plan.contacts.assign(action=action.to_numpy())

    children: tuple[tuple[str, str, sa.Table, list[str], list[str]], ...] = (
        ("product", "products", s.products, ["product"], ["period_type", "start_period", "sbr"]),
        # A workflow is never updated by an import (R8): only whether it exists matters.
        ("workflow", "workflows", s.workflows, ["workflow_key"], []),
        (
            "planner_rule",
            "planner_rules",
            s.planner_rules,
            ["product"],
            ["period_type", "first_period"],
        ),
        ("sbr_settings", "sbr", s.sbr_settings, [], ["enabled", "start_date", "ideal"]),
    )
    for entity, name, table, keys, fields in children:
        planned = with_relation_id(getattr(plan, name))
        stored = load.children(
            connection, table, relation_ids, ["id", "relation_id", *keys, *fields]
        )
        diff = w.upsert(
            entity,
            table,
            planned,
            stored,
            ["relation_id", *keys],
            fields,
            ["relation_number", *keys],
        )
        frames[name] = diff.planned

    roles = with_relation_id(plan.roles).assign(
        employee_id=lambda f: f["employee_key"].map(employee_id)
    )
    roles_diff = w.upsert(
        "role_assignment",
        s.role_assignments,
        roles,
        load.children(connection, s.role_assignments, relation_ids),
        ["relation_id", "role"],
        ["employee_id"],
        ["relation_number", "role"],
        never_update=roles["inherited"].astype(bool),
    )
    frames["roles"] = roles_diff.planned
    return Written(frames, w.changes)


def _ensure_integrations(connection: Connection, names: pd.Series) -> pd.Series:
    """R11: the integrations relations are linked to exist in the store (active)."""
    stored = load.all_rows(connection, s.integrations)
    known = set(stored["name"]) if not stored.empty else set()
    missing = sorted(set(names.dropna()) - known)
    if missing:
        connection.execute(
            sa.insert(s.integrations), [{"name": name, "active": True} for name in missing]
        )
        stored = load.all_rows(connection, s.integrations)
    if stored.empty:
        return pd.Series(dtype=object)
    return stored.set_index("name")["id"]
