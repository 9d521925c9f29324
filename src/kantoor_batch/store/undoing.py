"""What an undo reads and writes, in bulk: the later runs that touched what a run did, the old
values it changed put back (one executemany per table and field), updated_run_id recomputed
(one correlated UPDATE per table), and what it created removed (one DELETE per table, children
before parents). Never a query per row.

Values come back from import_changes, where the import wrote them as str() of the Python
value; typed() turns that text back into the column's type (a reliable round trip per type:
booleans 'True'/'False', dates ISO, integers and ids as digits, possibly '3.0').
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.store import bulk, load
from kantoor_batch.store import schema as s

# import_changes.entity of each table, as write.py and planning.py record them.
ENTITY_TABLES: dict[str, sa.Table] = {
    "relation_group": s.relation_groups,
    "employee": s.employees,
    "contact": s.contacts,
    "relation": s.relations,
    "relation_contact": s.relation_contacts,
    "product": s.products,
    "workflow": s.workflows,
    "planner_rule": s.planner_rules,
    "role_assignment": s.role_assignments,
    "sbr_settings": s.sbr_settings,
}
TABLE_ENTITIES = {table.name: entity for entity, table in ENTITY_TABLES.items()}
# Children before parents: the order rows are removed in.
DELETE_ORDER = (
    s.role_assignments,
    s.sbr_settings,
    s.planner_rules,
    s.workflows,
    s.products,
    s.relation_contacts,
    s.relations,
    s.contacts,
    s.employees,
    s.relation_groups,
)
CONFLICT_COLUMNS = ["run_id", "table", "entity_id", "key", "field", "reason"]
CHILD = "child"  # a later run created a row under a row this run created
CHANGED = "changed"  # a later run changed a field this run changed, or a row it created
TAKEN = "taken"  # undo of an undo: a later run stored a row with the id or key of a removed one
PARENT_GONE = "parent gone"  # undo of an undo: a removed row points at a row that is gone since


@dataclass(frozen=True)
class Removal:
    """What an undo removes, as SQL conditions (no lists of ids): the rows the run created;
    with force also the rows later runs created that need one of them (a required reference,
    and so on down)."""

    run_id: int
    force: bool = False

    def gone(self, table: sa.FromClause, name: str) -> sa.ColumnElement[bool]:
        """Whether a row of table (the table called name, or an alias of it) goes."""
        condition = table.c.created_run_id == self.run_id
        if not self.force:
            return condition
        needs = []
        for key in ENTITY_TABLES[TABLE_ENTITIES[name]].foreign_keys:
            parent = key.column.table
            if key.parent.nullable or not isinstance(parent, sa.Table):
                continue  # an optional reference is emptied instead (empty_references)
            if parent.name in TABLE_ENTITIES:
                other = parent.alias()
                ids = sa.select(other.c.id).where(self.gone(other, parent.name))
                needs.append(table.c[key.parent.name].in_(ids))
        return sa.or_(condition, *needs)


def references() -> list[tuple[sa.Table, sa.Column[int], sa.Table]]:
    """(table, column, parent) for every foreign key between the client tables."""
    found = []
    for table in DELETE_ORDER:
        for key in table.foreign_keys:
            parent = key.column.table
            if isinstance(parent, sa.Table) and parent.name in TABLE_ENTITIES:
                found.append((table, key.parent, parent))
    return found


def is_undone(runs: sa.FromClause) -> sa.ColumnElement[bool]:
    """Whether the run (a row of runs, the ledger or an alias of it) is undone: an undo points
    at it that was not itself undone (an undo of an undo brings the run back)."""
    undos, redos = s.import_runs.alias("undos"), s.import_runs.alias("redos")
    undo_stands = ~sa.exists().where(redos.c.undoes_run_id == undos.c.id)
    return sa.exists().where(undos.c.undoes_run_id == runs.c.id, undo_stands)


def later_runs(run_id: int) -> sa.Select[tuple[int]]:
    """The runs after run_id that still count: not undone, and not an undo of a run after
    run_id (which put back what that later run did, on top of run_id's values)."""
    runs = s.import_runs
    undone = is_undone(runs)
    return sa.select(runs.c.id).where(
        runs.c.id > run_id,
        ~undone,
        sa.or_(runs.c.kind != s.UNDO_RUN, runs.c.undoes_run_id < run_id),
    )


def undone_by(connection: Connection, run_id: int) -> int | None:
    """The undo that reverted run_id and still stands (was not undone itself), if any."""
    runs, redos = s.import_runs, s.import_runs.alias("redos")
    stands = ~sa.exists().where(redos.c.undoes_run_id == runs.c.id)
    found = connection.execute(
        sa.select(runs.c.id).where(runs.c.undoes_run_id == run_id, stands).order_by(runs.c.id)
    ).first()
    return int(found[0]) if found is not None else None


def dependents(connection: Connection, removal: Removal) -> pd.DataFrame:
    """Rows that stay but point at a row that goes (table, column, id, created_run_id,
    updated_run_id), except where run_id itself set that reference (the undo puts it back)."""
    frames = []
    changes = s.import_changes
    run_id = removal.run_id
    for table, column, parent in references():
        other = parent.alias("parent")
        restored = sa.exists().where(
            changes.c.run_id == run_id,
            changes.c.entity == TABLE_ENTITIES[table.name],
            changes.c.entity_id == table.c.id,
            changes.c.field == column.name,
        )
        query = (
            sa.select(
                sa.literal(table.name).label("table"),
                sa.literal(column.name).label("column"),
                table.c.id,
                table.c.created_run_id,
                table.c.updated_run_id,
                column.label("target"),
            )
            .select_from(table.join(other, column == other.c.id))
            .where(
                removal.gone(other, parent.name),
                ~removal.gone(table, table.name),
                ~restored,
            )
        )
        found = load.frame(connection, query)
        if not found.empty:
            frames.append(found)
    columns = ["table", "column", "id", "created_run_id", "updated_run_id", "target"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def field_conflicts(connection: Connection, run_id: int) -> pd.DataFrame:
    """Changes of later runs (later_runs) to a field run_id changed, or to a row it created
    (CONFLICT_COLUMNS, reason CHANGED)."""
    later, mine = s.import_changes.alias("later"), s.import_changes.alias("mine")
    columns = (
        later.c.run_id,
        later.c.entity,
        later.c.entity_id,
        later.c.entity_key,
        later.c.field,
    )
    same_field = (
        sa.select(*columns)
        .join(
            mine,
            sa.and_(
                mine.c.entity == later.c.entity,
                mine.c.entity_id == later.c.entity_id,
                mine.c.field == later.c.field,
            ),
        )
        .where(mine.c.run_id == run_id, later.c.run_id.in_(later_runs(run_id)))
    )
    queries: list[sa.Select[tuple[int, str, int, str, str]]] = [same_field]
    for entity, table in ENTITY_TABLES.items():
        queries.append(
            sa.select(*columns)
            .join(table, sa.and_(later.c.entity == entity, later.c.entity_id == table.c.id))
            .where(table.c.created_run_id == run_id, later.c.run_id.in_(later_runs(run_id)))
        )
    found = load.frame(connection, sa.union(*queries).subquery().select())
    if found.empty:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    found.columns = ["run_id", "entity", "entity_id", "key", "field"]
    return (
        found.assign(table=found["entity"].map(lambda e: ENTITY_TABLES[e].name), reason=CHANGED)[
            CONFLICT_COLUMNS
        ]
        .sort_values(["run_id", "table", "entity_id", "field"])
        .reset_index(drop=True)
    )


def child_conflicts(found: pd.DataFrame, run_id: int) -> pd.DataFrame:
    """dependents() as CONFLICT_COLUMNS: the later run that created (or last changed) each."""
    if found.empty:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    created = found["created_run_id"].astype("int64")
    by = created.where(created > run_id, found["updated_run_id"])
    return pd.DataFrame(
        {
            "run_id": by.to_numpy(),
            "table": found["table"].to_numpy(),
            "entity_id": found["id"].to_numpy(),
            "key": None,
            "field": found["column"].to_numpy(),
            "reason": CHILD,
        }
    )


def conflicts(connection: Connection, run_id: int) -> pd.DataFrame:
    """Everything later runs did to what run_id did (CONFLICT_COLUMNS): why undo refuses."""
    children = child_conflicts(dependents(connection, Removal(run_id)), run_id)
    frames = [f for f in (children, field_conflicts(connection, run_id)) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    return pd.concat(frames, ignore_index=True).astype(object)


def typed(text: object, column_type: sa.types.TypeEngine[object]) -> object:
    """The ledger's text of a value back as the column's Python value."""
    if text is None:
        return None
    value = str(text)
    if isinstance(column_type, sa.Boolean):
        return value.strip().casefold() in {"true", "1", "ja"}
    if isinstance(column_type, sa.Date):
        return dt.date.fromisoformat(value.strip()[:10])
    if isinstance(column_type, sa.Integer):
        return int(Decimal(value.strip()))
    return value


def as_text(value: object) -> str | None:
    """A value as the ledger writes it (str() of the Python value, dates as ISO)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):  # None, NaN
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _driver_value(connection: Connection, value: object) -> object:
    if connection.dialect.name == "sqlite" and isinstance(value, dt.date):
        return value.isoformat()  # how SQLAlchemy stores a date in SQLite
    return value


def restore(connection: Connection, run_id: int, undo_run_id: int) -> dict[str, int]:
    """Every field run_id changed gets its old value back: per table and field one read of
    the current values and one executemany UPDATE; the undo's own changes go into the ledger
    (old: the current value, new: the value put back). Returns rows restored per table."""
    changed = load.frame(
        connection,
        sa.select(
            s.import_changes.c.entity,
            s.import_changes.c.entity_id,
            s.import_changes.c.entity_key,
            s.import_changes.c.field,
            s.import_changes.c.old_value,
        )
        .where(s.import_changes.c.run_id == run_id)
        .order_by(s.import_changes.c.id),
    )
    if changed.empty:
        return {}
    # The first change of a field holds the value from before the run.
    changed = changed.drop_duplicates(["entity", "entity_id", "field"], keep="first")
    mark = bulk.placeholder(connection)
    quote = connection.dialect.identifier_preparer.quote
    records: list[tuple[object, ...]] = []
    restored: dict[str, set[int]] = {}
    for (entity, field_name), group in changed.groupby(["entity", "field"], sort=False):
        table = ENTITY_TABLES[str(entity)]
        column = table.c[str(field_name)]
        ids = [int(i) for i in group["entity_id"]]
        current = load.where_in(connection, sa.select(table.c.id, column), table.c.id, ids)
        now = dict(zip(current["id"].astype(int), current[column.name], strict=True))
        present = [i in now for i in ids]
        values = [typed(v, column.type) for v in group["old_value"]]
        sql = f"UPDATE {quote(table.name)} SET {quote(column.name)} = {mark} WHERE id = {mark}"  # noqa: S608
        bulk.executemany(
            connection,
            sql,
            [
                (_driver_value(connection, v), i)
                for v, i, p in zip(values, ids, present, strict=True)
                if p
            ],
        )
        for i, key, value, p in zip(ids, group["entity_key"], values, present, strict=True):
            if p:
                old = as_text(now[i])
                records.append((undo_run_id, entity, i, key, field_name, old, as_text(value)))
                restored.setdefault(table.name, set()).add(i)
    record(connection, records)
    for table_name in restored:
        _last_updated(connection, ENTITY_TABLES[TABLE_ENTITIES[table_name]], run_id)
    return {name: len(ids) for name, ids in restored.items()}


def record(connection: Connection, records: Sequence[tuple[object, ...]]) -> None:
    """Ledger rows (run_id, entity, entity_id, entity_key, field, old_value, new_value)."""
    if not records:
        return
    columns = ["run_id", "entity", "entity_id", "entity_key", "field", "old_value", "new_value"]
    mark = bulk.placeholder(connection)
    quote = connection.dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(s.import_changes.name)} ({', '.join(columns)}) VALUES "  # noqa: S608
    row = "(" + ", ".join([mark] * len(columns)) + ")"
    bulk.insert_in_blocks(connection, head, row, len(columns), iter(records))


def _last_updated(connection: Connection, table: sa.Table, run_id: int) -> None:
    """updated_run_id of the rows run_id changed: the latest other run that changed the row
    and still counts (not undone, not an undo), or NULL when none did; one UPDATE."""
    changes, runs = s.import_changes.alias("c"), s.import_runs.alias("r")
    entity = TABLE_ENTITIES[table.name]
    latest = (
        sa.select(sa.func.max(changes.c.run_id))
        .join(runs, runs.c.id == changes.c.run_id)
        .where(
            changes.c.entity == entity,
            changes.c.entity_id == table.c.id,
            changes.c.run_id != run_id,
            runs.c.kind != s.UNDO_RUN,
            ~is_undone(runs),
        )
        .scalar_subquery()
    )
    mine = s.import_changes
    touched = sa.exists().where(
        mine.c.run_id == run_id, mine.c.entity == entity, mine.c.entity_id == table.c.id
    )
    connection.execute(sa.update(table).where(touched).values(updated_run_id=latest))


def empty_references(connection: Connection, removal: Removal, undo_run_id: int) -> int:
    """--force: optional references of rows that stay to rows that go are emptied (NULL), one
    UPDATE per reference, and recorded in the undo's changes. Returns how many."""
    if not removal.force:
        return 0
    found = dependents(connection, removal)
    if found.empty:
        return 0
    records = [
        (
            undo_run_id,
            TABLE_ENTITIES[str(table)],
            int(row_id),
            f"id {row_id}",
            column,
            str(target),
            None,
        )
        for table, column, row_id, target in found[["table", "column", "id", "target"]].itertuples(
            index=False, name=None
        )
    ]
    pairs = found[["table", "column"]].drop_duplicates()
    for table_name, column_name in pairs.itertuples(index=False, name=None):
        table = ENTITY_TABLES[TABLE_ENTITIES[str(table_name)]]
        parent = next(key.column.table for key in table.c[str(column_name)].foreign_keys)
        assert isinstance(parent, sa.Table)  # noqa: S101 - the schema's own foreign keys
        other = parent.alias()
        ids = sa.select(other.c.id).where(removal.gone(other, parent.name))
        connection.execute(
            sa.update(table)
            .where(table.c[str(column_name)].in_(ids), ~removal.gone(table, table.name))
            .values({str(column_name): None})
        )
    record(connection, records)
    return len(records)


def remove(connection: Connection, removal: Removal, undo_run_id: int) -> dict[str, int]:
    """Delete what run_id created (and, forced, what needs it), children before parents;
    derived person relations before the organisations they point at. Every row is kept whole
    in undo_removed_rows first (the undo can be undone). Rows per table."""
    removed: dict[str, int] = {}
    for table in DELETE_ORDER:
        gone = removal.gone(table, table.name)
        count = 0
        if table is s.relations:
            derived = sa.and_(gone, table.c.source_relation_id.isnot(None))
            count += _delete(connection, table, derived, undo_run_id)
        count += _delete(connection, table, gone, undo_run_id)
        if count:
            removed[table.name] = count
    return removed


def _delete(
    connection: Connection, table: sa.Table, condition: sa.ColumnElement[bool], undo_run_id: int
) -> int:
    rows = load.frame(connection, sa.select(table).where(condition))
    if rows.empty:
        return 0
    kept = [
        {
            "run_id": undo_run_id,
            "table_name": table.name,
            "entity_id": int(values["id"]),
            "row_values": json.dumps({str(k): as_text(v) for k, v in values.items()}),
        }
        for values in rows.to_dict("records")
    ]
    connection.execute(sa.insert(s.undo_removed_rows), kept)
    return int(connection.execute(sa.delete(table).where(condition)).rowcount or 0)


def removed_rows(connection: Connection, undo_run_id: int) -> dict[str, list[dict[str, object]]]:
    """The rows undo_run_id removed, per table, as the columns' Python values."""
    kept = load.frame(
        connection,
        sa.select(s.undo_removed_rows.c.table_name, s.undo_removed_rows.c.row_values)
        .where(s.undo_removed_rows.c.run_id == undo_run_id)
        .order_by(s.undo_removed_rows.c.id),
    )
    rows: dict[str, list[dict[str, object]]] = {}
    for table_name, text in kept.itertuples(index=False, name=None):
        table = ENTITY_TABLES[TABLE_ENTITIES[str(table_name)]]
        values = json.loads(str(text))
        rows.setdefault(table.name, []).append(
            {name: typed(value, table.c[name].type) for name, value in values.items()}
        )
    return rows


def removed_without_copies(connection: Connection, undo_run_id: int) -> bool:
    """Whether the undo removed rows but kept none (an undo from before migration 0004)."""
    counts = connection.execute(
        sa.select(s.import_runs.c.counts).where(s.import_runs.c.id == undo_run_id)
    ).scalar()
    removed = sum(
        int(entry.get("verwijderd", 0))
        for entry in (counts or {}).values()
        if isinstance(entry, dict)
    )
    if not removed:
        return False
    kept = connection.execute(
        sa.select(s.undo_removed_rows.c.id).where(s.undo_removed_rows.c.run_id == undo_run_id)
    ).first()
    return kept is None


def taken(connection: Connection, undo_run_id: int) -> pd.DataFrame:
    """Rows undo_run_id removed that cannot come back, because a later run stored a row with
    the same id or the same unique key (CONFLICT_COLUMNS, reason TAKEN)."""
    found: list[dict[str, object]] = []
    for table_name, rows in removed_rows(connection, undo_run_id).items():
        table = ENTITY_TABLES[TABLE_ENTITIES[table_name]]
        keys = [("id",)] + [
            tuple(c.name for c in constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, sa.UniqueConstraint)
        ]
        keys += [tuple(c.name for c in index.columns) for index in table.indexes if index.unique]
        for key in keys:
            first = table.c[key[0]]
            wanted = {tuple(row[k] for k in key): row for row in rows}
            stored = load.where_in(
                connection,
                sa.select(table.c.id, table.c.created_run_id, *(table.c[k] for k in key)),
                first,
                [row[key[0]] for row in rows],
            )
            for values in stored.to_dict("records"):
                row = wanted.get(tuple(values[k] for k in key))
                if row is not None:
                    found.append(
                        {
                            "run_id": int(values["created_run_id"]),
                            "table": table.name,
                            "entity_id": int(values["id"]),
                            "key": " ".join(str(row[k]) for k in key),
                            "field": ", ".join(key),
                            "reason": TAKEN,
                        }
                    )
    found += _parents_gone(connection, undo_run_id)
    if not found:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    return pd.DataFrame(found, columns=CONFLICT_COLUMNS).drop_duplicates()


def _parents_gone(connection: Connection, undo_run_id: int) -> list[dict[str, object]]:
    """Rows undo_run_id removed that point at a row that is neither stored nor coming back
    with them (a later undo removed it): they cannot be put back (reason PARENT_GONE, with the
    run that removed the parent where an undo kept it)."""
    rows = removed_rows(connection, undo_run_id)
    coming_back = {(name, int(str(row["id"]))) for name, found in rows.items() for row in found}
    found: list[dict[str, object]] = []
    for table, column, parent in references():
        wanted = {
            int(str(value)): row
            for row in rows.get(table.name, [])
            if (value := row.get(column.name)) is not None
            and (parent.name, int(str(value))) not in coming_back
        }
        if not wanted:
            continue
        present = load.where_in(connection, sa.select(parent.c.id), parent.c.id, list(wanted))
        stored = {int(i) for i in present["id"]} if not present.empty else set()
        for parent_id, row in wanted.items():
            if parent_id in stored:
                continue
            removed_by = connection.execute(
                sa.select(sa.func.max(s.undo_removed_rows.c.run_id)).where(
                    s.undo_removed_rows.c.table_name == parent.name,
                    s.undo_removed_rows.c.entity_id == parent_id,
                )
            ).scalar()
            found.append(
                {
                    "run_id": int(removed_by or undo_run_id),
                    "table": table.name,
                    "entity_id": int(str(row["id"])),
                    "key": f"{parent.name} {parent_id}",
                    "field": column.name,
                    "reason": PARENT_GONE,
                }
            )
    return found


def reinsert(connection: Connection, undo_run_id: int) -> dict[str, int]:
    """Put back the rows undo_run_id removed, with their ids, parents before children (and
    organisations before the person relations derived from their contacts). Rows per table."""
    rows = removed_rows(connection, undo_run_id)
    counts: dict[str, int] = {}
    for table in reversed(DELETE_ORDER):
        found = rows.get(table.name, [])
        if not found:
            continue
        if table is s.relations:
            found = sorted(found, key=lambda row: row.get("source_relation_id") is not None)
        connection.execute(sa.insert(table), found)
        counts[table.name] = len(found)
    return counts


def by_table(counts: Mapping[str, int]) -> dict[str, int]:
    return {
        table.name: counts[table.name] for table in reversed(DELETE_ORDER) if table.name in counts
    }
