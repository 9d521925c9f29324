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
    distinct = sorted({k for k in keys if isinstance(k, str | int)}, key=str)
    parts = [
        frame(connection, query.where(column.in_(distinct[i : i + CHUNK])))
        for i in range(0, len(distinct), CHUNK)
    ]
    if not parts:
        return frame(connection, query.where(sa.false()))
    return pd.concat(parts, ignore_index=True)


def all_rows(connection: Connection, table: sa.Table) -> pd.DataFrame:
    return frame(connection, sa.select(table))


def relations_by_number(connection: Connection, numbers: Iterable[str]) -> pd.DataFrame:
    return where_in(connection, sa.select(s.relations), s.relations.c.number, numbers)


def contacts_by_number(connection: Connection, numbers: Iterable[str]) -> pd.DataFrame:
    return where_in(connection, sa.select(s.contacts), s.contacts.c.number, numbers)


def relation_ids(connection: Connection, numbers: Iterable[str]) -> pd.DataFrame:
    """Only id, kind and number: what children need to point at their relation."""
    query = sa.select(s.relations.c.id, s.relations.c.kind, s.relations.c.number)
    return where_in(connection, query, s.relations.c.number, numbers)


def contact_ids(connection: Connection, numbers: Iterable[str]) -> pd.DataFrame:
    query = sa.select(s.contacts.c.id, s.contacts.c.number)
    return where_in(connection, query, s.contacts.c.number, numbers)


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
        texts = texts[texts.str.fullmatch(r"\d+")]
        if texts.empty:
            continue
        values = texts.astype("int64")
        top = int(values.max())
        width = int(texts[values == top].str.len().max())
        if best is None or top > best[0]:
            best = (top, width)
    return best
