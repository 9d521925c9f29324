"""Writing a plan to the store in bulk: per kind of thing, one comparison with what exists
(diff.py), one executemany INSERT for what is new and one UPDATE for what changed (bulk.py).
Parents first (groups, employees, contacts, relations), so children can point at their ids.

R13 on a re-import: what the tool derives (inherited roles, Aangifte IB from R7, the workflows
and planner rule of a product) is created together with what it is derived from, never again
for something that was stored already; SBR is never switched off nor started later.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.rules.person_relations import full_name
from kantoor_batch.rules.plan import (
    CONTACT_FIELDS,
    DERIVED,
    RELATION_FIELDS,
    ByRelation,
    Plan,
    derived_flag,
    per_relation,
)
from kantoor_batch.rules.products import follow_new_period_type
from kantoor_batch.store import bulk, load
from kantoor_batch.store import schema as s
from kantoor_batch.store.diff import CONFLICT, CREATED, Diff, Merge, compare
from kantoor_batch.store.stamps import CONFLICT_COLUMNS, Stamps, hold_back

DERIVED_FIELDS = (
    "name",
    "fiscal_number",
    "email",
    "phone",
    "group_id",
    "derived_from_contact_id",
    "source_relation_id",
)


ROLE_COLUMNS = ["id", "relation_id", "role", "employee_id"]  # what the diff of roles reads
CHANGE_COLUMNS = ["entity", "relation_kind", "relation_number", "subject", "field", "old", "new"]


@dataclass
class Written:
    """Per kind of thing: the planned rows with their action (and id); and every changed
    value (CHANGE_COLUMNS), ids of groups, employees and integrations given as names."""

    frames: dict[str, pd.DataFrame]
    changes: pd.DataFrame
    # Rows changed in the store since their export (stamps.py): CONFLICT_COLUMNS.
    conflicts: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame(columns=CONFLICT_COLUMNS)
    )


class PlanWriter:
    def __init__(
        self,
        connection: Connection,
        run_id: int,
        stamps: Stamps | None = None,
        *,
        overwrite: bool = False,
    ) -> None:
        self.connection = connection
        self.run_id = run_id
        self.changes: list[pd.DataFrame] = []
        self.stamps = stamps
        self.overwrite = overwrite
        self.conflicts: list[pd.DataFrame] = []

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
        never_update: pd.Series | None = None,
        may_create: pd.Series | np.ndarray | None = None,
        merge: Mapping[str, Merge] | None = None,
        subject: str | None = None,
    ) -> Diff:
        """Compare, insert, update and record the changes in the ledger. subject: the column
        that says which thing of a relation changed (a product, a role, a contact number)."""
        diff = compare(
            planned,
            existing,
            keys,
            fields,
            never_update=never_update,
            may_create=may_create,
            merge=merge,
        )
        if self.stamps:  # rows of an exported workbook: changed in the store since?
            diff, conflicts = hold_back(
                self.connection,
                entity,
                diff,
                existing,
                self.stamps,
                overwrite=self.overwrite,
                subject=subject,
            )
            if not conflicts.empty:
                self.conflicts.append(conflicts)
        created = diff.planned["action"] == CREATED
        new_ids = bulk.insert(self.connection, table, diff.planned[created], self.run_id)
        if new_ids:
            diff.planned.loc[created, "id"] = new_ids
        bulk.update(self.connection, table, diff, fields, self.run_id)
        bulk.record_changes(self.connection, entity, diff, key_columns, self.run_id)
        if not diff.changes.empty:
            self.changes.append(_change_rows(entity, diff, subject))
        return diff

    def all_conflicts(self, names: Mapping[str, pd.Series]) -> pd.DataFrame:
        """Every conflict of the run (stamps.py); ids in the fields of names shown as names."""
        if not self.conflicts:
            return pd.DataFrame(columns=CONFLICT_COLUMNS)
        conflicts = pd.concat(self.conflicts, ignore_index=True).astype(object)
        for name, by_id in names.items():
            rows = conflicts["field"] == name
            for side in ("stored", "exported", "new"):
                ids = pd.to_numeric(conflicts.loc[rows, side], errors="coerce")
                conflicts.loc[rows, side] = ids.map(by_id).where(
                    ids.notna(), conflicts.loc[rows, side]
                )
        return conflicts

    def all_changes(self, names: Mapping[str, pd.Series]) -> pd.DataFrame:
        """Every change of the run; ids in the fields of names shown as names."""
        if not self.changes:
            return pd.DataFrame(columns=CHANGE_COLUMNS)
        changes = pd.concat(self.changes, ignore_index=True).astype(object)
        for field, by_id in names.items():
            rows = changes["field"] == field
            for side in ("old", "new"):
                changes.loc[rows, side] = changes.loc[rows, side].map(by_id)
        return changes


def _change_rows(entity: str, diff: Diff, subject: str | None) -> pd.DataFrame:
    at = diff.changes["position"].to_numpy()
    planned = diff.planned
    if "relation_kind" in planned.columns:
        kind, number = planned["relation_kind"], planned["relation_number"]
    elif "kind" in planned.columns:
        kind, number = planned["kind"], planned["number"]
    else:
        kind = number = pd.Series(None, index=planned.index, dtype=object)
    what = planned[subject] if subject else pd.Series(None, index=planned.index, dtype=object)
    return pd.DataFrame(
        {
            "entity": entity,
            "relation_kind": kind.to_numpy(dtype=object)[at],
            "relation_number": number.to_numpy(dtype=object)[at],
            "subject": what.to_numpy(dtype=object)[at],
            "field": diff.changes["field"].to_numpy(),
            "old": diff.changes["old_value"].to_numpy(),
            "new": diff.changes["new_value"].to_numpy(),
        }
    )


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
    *,
    stamps: Stamps | None = None,
    overwrite: bool = False,
) -> Written:
    """relations_before, contacts_before: what the store held for the plan's numbers before
    this run wrote anything (the importer has read them for its checks already). stamps: the
    export stamps of the workbook's rows; a record changed since then is not updated unless
    overwrite (both ways it is listed in Written.conflicts)."""
    w = PlanWriter(connection, run_id, stamps, overwrite=overwrite)
    frames: dict[str, pd.DataFrame] = {}
    stored_relations = connection.execute(
        sa.select(sa.func.count()).select_from(s.relations)
    ).scalar_one()

    groups = w.upsert(
        "relation_group",
        s.relation_groups,
        plan.groups,
        load.all_rows(connection, s.relation_groups),
        ["name_key"],
        ["name", "description"],
        ["name"],
        subject="name",
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
        subject="code",
    )
    frames["employees"] = employees.planned
    employee_id = _ids(load.all_rows(connection, s.employees), ["code_key"])
    integration_id = _ensure_integrations(connection, plan.relations["integration"])

    # Contacts: one entity per number, its data from the first row that has it.
    people = plan.contacts[plan.contacts["last_name"].notna()].drop_duplicates("number")
    flags = [c for c in people.columns if c.endswith(DERIVED)]
    contacts = w.upsert(
        "contact",
        s.contacts,
        people[["number", "relation_kind", "relation_number", "row", *CONTACT_FIELDS, *flags]],
        contacts_before,
        ["number"],
        list(CONTACT_FIELDS),
        ["number"],
        subject="number",
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
    )
    derived_rows = relations[relations["sheet"] == "contacts"]
    derived_rows = derived_rows.assign(
        # R5: the name of the contact as it stands after this run (a first name the upload
        # leaves out is still the stored one).
        name=_names_of(contacts.planned, derived_rows["derived_from_contact"]),
        source_relation_id=per_relation(
            _ids(first.planned, ["kind", "number"]),
            derived_rows["source_kind"],
            derived_rows["source_number"],
        ),
    )
    # A contact held back as a conflict (stamps.py) holds back its person relation too: its
    # name, BSN, e-mail and phone come from that contact's row.
    held = contacts.planned.loc[contacts.planned["action"] == CONFLICT, "number"]
    derived = w.upsert(
        "relation",
        s.relations,
        derived_rows,
        existing,
        ["kind", "number"],
        list(DERIVED_FIELDS),
        ["kind", "number"],
        never_update=derived_rows["derived_from_contact"].isin(set(held)).reset_index(drop=True),
    )
    frames["relations"] = pd.concat([first.planned, derived.planned], ignore_index=True)
    created_relations = set(
        frames["relations"].loc[frames["relations"]["action"] == CREATED, "id"].astype(int)
    )
    relation_id = ByRelation(_ids(frames["relations"], ["kind", "number"]))
    # Children can only exist already for relations that existed before this run; when the
    # plan names every stored relation (a periodic upload of the whole client list), whole
    # tables are read (None) instead of joined with every id.
    relation_ids: list[int] | None = [int(i) for i in existing["id"]] if not existing.empty else []
    if relation_ids and len(set(relation_ids)) == stored_relations:
        relation_ids = None

    def children(table: sa.Table, columns: Sequence[str]) -> pd.DataFrame:
        """Stored rows of a child table for the relations that existed before this run; none
        without a query when there were none (a first import), so that PostgreSQL's COPY of
        the table before runs on while the next one is compared (bulk.in_background)."""
        if relation_ids == []:
            return pd.DataFrame(columns=list(columns), dtype=object)
        return load.children(connection, table, relation_ids, columns)

    def with_relation_id(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(
            relation_id=relation_id(frame["relation_kind"], frame["relation_number"])
        )

    links = with_relation_id(plan.contacts).assign(contact_id=lambda f: f["number"].map(contact_id))
    link_keys = ["relation_kind", "relation_number", "number"]
    first_of_link = ~links.duplicated(link_keys)
    stored_links = children(
        s.relation_contacts, ["id", "relation_id", "contact_id", "contact_type", "is_primary"]
    )
    links_diff = w.upsert(
        "relation_contact",
        s.relation_contacts,
        pd.concat(
            [links[first_of_link], _former_primaries(connection, links, stored_links)],
            ignore_index=True,
        ),
        stored_links,
        ["relation_id", "contact_id"],
        ["contact_type", "is_primary"],
        ["relation_number", "number"],
        subject="number",
    )
    in_plan = links_diff.planned.iloc[: int(first_of_link.sum())]
    action = pd.Series(in_plan["action"].to_numpy(), index=links.index[first_of_link.to_numpy()])
    if not first_of_link.all():  # one contact on two rows of a relation: the first row's action
        first_row = (
            links.index.to_series()
            .groupby([links[k] for k in link_keys], sort=False, dropna=False)
            .transform("first")
        )
        action = action.reindex(first_row.to_numpy()).set_axis(links.index)
    frames["contacts"] = plan.contacts.assign(action=action.to_numpy())

    frames.update(_write_work(w, plan, with_relation_id, children, created_relations))

    roles = with_relation_id(plan.roles).assign(
        employee_id=lambda f: f["employee_key"].map(employee_id)
    )
    names = {  # read before the last insert, whose COPY then runs on after write_plan returns
        "group_id": _names(load.all_rows(connection, s.relation_groups), "name"),
        "employee_id": _names(load.all_rows(connection, s.employees), "code"),
        "integration_id": _names(load.all_rows(connection, s.integrations), "name"),
        "source_relation_id": _names(frames["relations"], "number"),
        "derived_from_contact_id": _names(frames["contact_entities"], "number"),
    }
    roles_diff = w.upsert(
        "role_assignment",
        s.role_assignments,
        roles,
        children(s.role_assignments, ROLE_COLUMNS),
        ["relation_id", "role"],
        ["employee_id"],
        ["relation_number", "role"],
        never_update=roles["inherited"].astype(bool),
        may_create=~roles["inherited"].astype(bool) | roles["relation_id"].isin(created_relations),
        subject="role",
    )
    frames["roles"] = roles_diff.planned
    return Written(frames, w.all_changes(names), w.all_conflicts(names))


def _former_primaries(
    connection: Connection, links: pd.DataFrame, stored: pd.DataFrame
) -> pd.DataFrame:
    """R4: a row with 'Primair contact' Ja makes its contact the primary one of a stored
    client; the contact that was primary is then linked as an ordinary contact (planned here
    as an update of its stored link)."""
    if stored.empty or "primary_stated" not in links.columns:
        return links.iloc[:0]
    chosen = links[links["primary_stated"].eq(True).fillna(False).astype(bool)]
    chosen = chosen[chosen["relation_id"].notna()]
    if chosen.empty:
        return links.iloc[:0]
    new_primary = chosen.drop_duplicates("relation_id").set_index("relation_id")["contact_id"]
    was = stored[stored["is_primary"].astype(bool)]
    was = was[was["relation_id"].isin(new_primary.index)]
    was = was[was["contact_id"].to_numpy() != was["relation_id"].map(new_primary).to_numpy()]
    planned = pd.MultiIndex.from_arrays(
        [links["relation_id"].astype(float), links["contact_id"].astype(float)]
    )
    stored_pairs = pd.MultiIndex.from_arrays(
        [was["relation_id"].astype(float), was["contact_id"].astype(float)]
    )
    was = was[~stored_pairs.isin(planned)]  # a row of the file says it already
    if was.empty:
        return links.iloc[:0]
    numbers = load.where_in(
        connection,
        sa.select(s.contacts.c.id, s.contacts.c.number),
        s.contacts.c.id,
        [int(i) for i in was["contact_id"]],
    ).set_index("id")["number"]
    owner = chosen.drop_duplicates("relation_id").set_index("relation_id")
    return pd.DataFrame(
        {
            "bundle": was["relation_id"].map(owner["bundle"]).to_numpy(),
            "relation_kind": was["relation_id"].map(owner["relation_kind"]).to_numpy(),
            "relation_number": was["relation_id"].map(owner["relation_number"]).to_numpy(),
            "number": was["contact_id"].map(numbers).to_numpy(),
            "contact_type": was["contact_type"].to_numpy(),
            "is_primary": False,
            "relation_id": was["relation_id"].to_numpy(),
            "contact_id": was["contact_id"].to_numpy(),
            derived_flag("contact_type"): True,
        }
    )


def _write_work(
    w: PlanWriter,
    plan: Plan,
    with_relation_id: Callable[[pd.DataFrame], pd.DataFrame],
    children: Callable[[sa.Table, Sequence[str]], pd.DataFrame],
    created_relations: set[int],
) -> dict[str, pd.DataFrame]:
    """Products, workflows, planner rules and SBR settings of the plan's relations; children
    reads the stored rows of a child table (write_plan's)."""
    frames: dict[str, pd.DataFrame] = {}

    def stored(table: sa.Table, columns: Sequence[str]) -> pd.DataFrame:
        return children(table, ["id", "relation_id", *columns])

    def with_new_relation(frame: pd.DataFrame) -> pd.Series:
        return frame["relation_id"].isin(created_relations)

    product_fields = ["period_type", "start_period", "sbr"]
    stored_products = stored(s.products, ["product", *product_fields])
    products = follow_new_period_type(with_relation_id(plan.products), stored_products)
    products_diff = w.upsert(
        "product",
        s.products,
        products,
        stored_products,
        ["relation_id", "product"],
        product_fields,
        ["relation_number", "product"],
        may_create=~products["derived"].astype(bool) | with_new_relation(products),
        subject="product",
    )
    frames["products"] = products_diff.planned
    all_new = bool((products_diff.planned["action"] == CREATED).all())  # a first import
    new_products = _keys(products_diff.to_create)
    retyped = products_diff.changes.loc[products_diff.changes["field"] == "period_type"]
    retyped_products = _keys(products_diff.planned.loc[retyped["position"].to_numpy()])

    # A re-import creates workflows only for the products it creates; the periods that start
    # later are the planner's (R8, R13). An onboarding workflow is started once, when named.
    workflows = with_relation_id(plan.workflows)
    with_product = workflows["product"].notna().to_numpy()
    of_new_product = with_product if all_new else _keys(workflows).isin(new_products)
    workflows_diff = w.upsert(
        "workflow",
        s.workflows,
        workflows,
        stored(s.workflows, ["workflow_key"]),
        ["relation_id", "workflow_key"],
        [],  # never updated by an import: only whether it exists matters
        ["relation_number", "workflow_key"],
        may_create=~with_product | of_new_product,
    )
    frames["workflows"] = workflows_diff.planned

    # A planner rule comes with its product, and changes only when the product's Tijdvak does.
    rules = with_relation_id(plan.planner_rules)
    rule_keys = _keys(rules)
    rule_fields = ["period_type", "first_period"]
    rules_diff = w.upsert(
        "planner_rule",
        s.planner_rules,
        rules.assign(**{derived_flag(f): ~rule_keys.isin(retyped_products) for f in rule_fields}),
        stored(s.planner_rules, ["product", *rule_fields]),
        ["relation_id", "product"],
        rule_fields,
        ["relation_number", "product"],
        may_create=rule_keys.isin(new_products),
        subject="product",
    )
    frames["planner_rules"] = rules_diff.planned

    # SBR is never switched off, nor started later, by an import (R9, R13).
    sbr = with_relation_id(plan.sbr)
    sbr_fields = ["enabled", "start_date", "ideal"]
    sbr_diff = w.upsert(
        "sbr_settings",
        s.sbr_settings,
        sbr,
        stored(s.sbr_settings, sbr_fields),
        ["relation_id"],
        sbr_fields,
        ["relation_number"],
        merge={"enabled": _either_on, "start_date": _earliest},
    )
    frames["sbr"] = sbr_diff.planned

    return frames


def _keys(frame: pd.DataFrame) -> pd.MultiIndex:
    """(relation id, product) per row, for isin() between frames; ids as floats, since ids
    looked up where some are missing come as floats."""
    ids = pd.to_numeric(frame["relation_id"], errors="coerce").astype(float)
    return pd.MultiIndex.from_arrays([ids, frame["product"].astype(object)])


def _names_of(contacts: pd.DataFrame, numbers: pd.Series) -> pd.Series:
    people = contacts.drop_duplicates("number").set_index("number")
    names = full_name(people) if not people.empty else pd.Series(dtype=object)
    return numbers.map(names)


def _names(frame: pd.DataFrame, column: str) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype=object)
    ids = frame["id"].dropna()
    return pd.Series(frame.loc[ids.index, column].to_numpy(), index=ids.astype(int).to_numpy())


def _either_on(new: pd.Series, old: pd.Series) -> pd.Series:
    return (new.astype(bool) | old.fillna(False).astype(bool)).astype(object)


def _earliest(new: pd.Series, old: pd.Series) -> pd.Series:
    """The earlier of two start dates; one where the other is missing."""
    earlier = [
        n if o is None or (n is not None and n < o) else o
        for n, o in zip(
            new.astype(object).where(new.notna(), None),
            old.astype(object).where(old.notna(), None),
            strict=True,
        )
    ]
    return pd.Series(earlier, index=new.index, dtype=object)


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
