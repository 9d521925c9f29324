"""Reading what the store already holds for the relations of an import, in bulk: one query per
table per few thousand keys, never one per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.store import schema as s

CHUNK = 5_000  # keys per IN (...) query; well below SQLite's and PostgreSQL's limits


def frame(connection: Connection, query: sa.Select[tuple[object, ...]]) -> pd.DataFrame:
    result = connection.execute(query)
    columns = list(result.keys())
    return pd.DataFrame([tuple(row) for row in result], columns=columns, dtype=object)


def where_in(
    connection: Connection,
    query: sa.Select[tuple[object, ...]],
    column: sa.ColumnElement[object],
    keys: Iterable[object],
) -> pd.DataFrame:
    """query restricted to rows whose column is one of keys. Many keys go through a temporary
    table (one bulk insert and a join) instead of thousands of IN (...) parameters."""
    table_of_column = getattr(column, "table", None)
    if isinstance(table_of_column, sa.Table) and _has_no_rows(connection, table_of_column):
        # A first import into a new store: nothing to look up, and no keys to upload.
        return frame(connection, query.where(sa.false()))
    distinct = sorted({k for k in keys if isinstance(k, str | int)}, key=str)
    if len(distinct) <= CHUNK:
        return frame(connection, query.where(column.in_(distinct)))
    is_text = isinstance(distinct[0], str)
    table = "kb_keys_text" if is_text else "kb_keys_int"
    kind = "VARCHAR(255)" if is_text else "BIGINT"
    connection.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (k {kind})")
    connection.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - our own table name
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {table} (k) VALUES ({mark})",  # noqa: S608
        [(k,) for k in distinct],
    )
    keys_table = sa.table(table, sa.column("k"))
    return frame(connection, query.where(column.in_(sa.select(keys_table.c.k))))


def _has_no_rows(connection: Connection, table: sa.Table) -> bool:
    return connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is None


def all_rows(connection: Connection, table: sa.Table) -> pd.DataFrame:
    return frame(connection, sa.select(table))


def relations_by_number(connection: Connection, numbers: Iterable[str]) -> pd.DataFrame:
    return where_in(connection, sa.select(s.relations), s.relations.c.number, numbers)


def contacts_by_number(connection: Connection, numbers: Iterable[str]) -> pd.DataFrame:
    return where_in(connection, sa.select(s.contacts), s.contacts.c.number, numbers)


def linked_contacts(connection: Connection, relation_ids: Sequence[int]) -> pd.DataFrame:
    """Contacts linked to these relations, with the relation's kind and number."""
    query = (
        sa.select(
            s.relation_contacts.c.relation_id,
            s.relations.c.kind.label("relation_kind"),
            s.relations.c.number.label("relation_number"),
            s.relation_contacts.c.contact_type,
            s.contacts,
        )
        .join(s.relations, s.relations.c.id == s.relation_contacts.c.relation_id)
        .join(s.contacts, s.contacts.c.id == s.relation_contacts.c.contact_id)
    )
    return where_in(connection, query, s.relation_contacts.c.relation_id, relation_ids)


def children(connection: Connection, table: sa.Table, relation_ids: Sequence[int]) -> pd.DataFrame:
    return where_in(connection, sa.select(table), table.c.relation_id, relation_ids)


def highest_number(connection: Connection) -> tuple[int, int] | None:
    """The highest all-digit relation or contact number, and the width it is written in."""
    best: tuple[int, int] | None = None
    for table in (s.relations, s.contacts):
        numbers = frame(connection, sa.select(table.c.number).distinct())
        if numbers.empty:
            continue
        texts = numbers.iloc[:, 0].astype(str)
        texts = texts[texts.str.fullmatch(r"[0-9]+")]
        if texts.empty:
            continue
        values = texts.astype("int64")
        top = int(values.max())
        width = int(texts[values == top].str.len().max())
        if best is None or top > best[0]:
            best = (top, width)
    return best
