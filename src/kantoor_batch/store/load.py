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
    """The query's rows as a frame of Python values, as SQLAlchemy would give them.

    The rows are fetched from the driver's cursor in one go: SQLAlchemy builds a Row object
    per row, which took 6 of the 7 seconds of reading a million stored workflows back on a
    re-import. What SQLAlchemy would still do to a value (SQLite keeps dates as text and
    booleans as 0/1) is then done once per distinct value of such a column."""
    result = connection.execute(query)
    try:
        columns = list(result.keys())
        rows = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    data = pd.DataFrame(rows, columns=columns, dtype=object)
    for position, selected in enumerate(query.selected_columns):
        convert = selected.type.dialect_impl(connection.dialect).result_processor(
            connection.dialect, None
        )
        if convert is None or data.empty:
            continue
        values = data.iloc[:, position]
        distinct = {value: convert(value) for value in values.dropna().unique()}
        converted = values.map(distinct).astype(object).where(values.notna(), None)
        data.isetitem(position, converted.to_numpy(dtype=object))
    return data


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
    keys_table = sa.table(_upload_keys(connection, distinct), sa.column("k"))
    return frame(connection, query.where(column.in_(sa.select(keys_table.c.k))))


def _upload_keys(connection: Connection, distinct: list[str | int]) -> str:
    """The temporary table holding these keys. A re-import asks for the children of the same
    relation ids in five tables: the keys are uploaded once per transaction (a rolled-back
    transaction takes the table's rows with it, so the record is kept per transaction), and
    on PostgreSQL with COPY, since executemany sends 266,000 statements for 100,000 clients."""
    is_text = isinstance(distinct[0], str)
    table = "kb_keys_text" if is_text else "kb_keys_int"
    kind = "VARCHAR(255)" if is_text else "BIGINT"
    record = (connection.get_transaction(), tuple(distinct))
    uploaded = connection.info.setdefault("kb_uploaded_keys", {})
    if uploaded.get(table) == record:
        return table
    connection.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (k {kind})")
    connection.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - our own table name
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table} (k) FROM STDIN") as copy:
            for key in distinct:
                copy.write_row((key,))
    else:
        connection.exec_driver_sql(
            f"INSERT INTO {table} (k) VALUES (?)",  # noqa: S608
            [(k,) for k in distinct],
        )
    uploaded[table] = record
    return table


def _select(table: sa.Table, columns: Sequence[str] | None) -> sa.Select[tuple[object, ...]]:
    """The whole table, or only the columns named."""
    return sa.select(*(table.c[c] for c in columns)) if columns else sa.select(table)


def _has_no_rows(connection: Connection, table: sa.Table) -> bool:
    return connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is None


def all_rows(connection: Connection, table: sa.Table) -> pd.DataFrame:
    return frame(connection, sa.select(table))


def relations_by_number(
    connection: Connection, numbers: Iterable[str], columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Stored relations with these numbers (either kind); only the columns named, when given."""
    return where_in(connection, _select(s.relations, columns), s.relations.c.number, numbers)


def relation_numbers(connection: Connection, ids: Iterable[int]) -> pd.Series:
    """The numbers of the stored relations with these ids, by id."""
    found = where_in(
        connection, sa.select(s.relations.c.id, s.relations.c.number), s.relations.c.id, ids
    )
    return found.set_index("id")["number"] if not found.empty else pd.Series(dtype=object)


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
            s.relation_contacts.c.is_primary,
            s.contacts,
        )
        .join(s.relations, s.relations.c.id == s.relation_contacts.c.relation_id)
        .join(s.contacts, s.contacts.c.id == s.relation_contacts.c.contact_id)
    )
    return where_in(connection, query, s.relation_contacts.c.relation_id, relation_ids)


def clients_of_contacts(connection: Connection, contact_ids: Sequence[int]) -> pd.DataFrame:
    """Per stored contact (number), the organisations and persons it is linked to."""
    query = (
        sa.select(
            s.contacts.c.number,
            s.relations.c.number.label("relation_number"),
            s.relations.c.name.label("relation_name"),
        )
        .join(s.relation_contacts, s.relation_contacts.c.contact_id == s.contacts.c.id)
        .join(s.relations, s.relations.c.id == s.relation_contacts.c.relation_id)
        .where(s.relations.c.derived_from_contact_id.is_(None))
    )
    return where_in(connection, query, s.contacts.c.id, contact_ids)


def children(
    connection: Connection,
    table: sa.Table,
    relation_ids: Sequence[int] | None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of a child table for these relations (None: for every relation; a re-import of
    the whole client list reads whole tables instead of joining them with 266,000 keys); only
    the columns named, when given."""
    if relation_ids is None:
        return frame(connection, _select(table, columns))
    return where_in(connection, _select(table, columns), table.c.relation_id, relation_ids)


def by_number(
    connection: Connection,
    table: sa.Table,
    numbers: Iterable[str],
    read: pd.DataFrame,
    asked: Iterable[str],
) -> pd.DataFrame:
    """Stored rows of table (every column) with these numbers, given rows read already (read:
    every column of table, in its order) for the numbers asked already: only the other numbers
    are looked up. A re-import reads its relations and contacts before the rules run, and the
    plan then names mostly the same ones."""
    wanted = {n for n in numbers if isinstance(n, str)}
    have = read[read["number"].isin(wanted)] if not read.empty else read
    rest = wanted - set(asked)
    fetched = where_in(connection, sa.select(table), table.c.number, rest) if rest else None
    parts = [p for p in (have, fetched) if p is not None and not p.empty]
    if not parts:
        return frame(connection, sa.select(table).where(sa.false()))
    both = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return both.drop_duplicates("id").reset_index(drop=True)


def contacts_by_bsn(connection: Connection, bsns: Iterable[str]) -> pd.DataFrame:
    """Stored contacts with one of these BSNs: a person is one contact (R4)."""
    return where_in(connection, sa.select(s.contacts), s.contacts.c.bsn, bsns)


def numbers_with_zeros(connection: Connection, digits: Iterable[str]) -> set[str]:
    """Stored relation and contact numbers that are these digits with leading zeros."""
    wanted = [d.lstrip("0") for d in digits if d.isascii() and d.isdigit()]
    found: set[str] = set()
    if not wanted:
        return found
    for table in (s.relations, s.contacts):
        if _has_no_rows(connection, table):
            continue
        number = table.c.number
        query = sa.select(number).where(number.like("0%"))
        rows = where_in(connection, query, sa.func.ltrim(number, "0"), wanted)
        found |= set(rows.iloc[:, 0]) if not rows.empty else set()
    return found


def numbers_taken(connection: Connection, numbers: Iterable[str]) -> set[str]:
    """Which of these numbers a stored relation (either kind) or contact has."""
    wanted = list(numbers)
    taken: set[str] = set()
    for table in (s.relations, s.contacts):
        found = where_in(connection, sa.select(table.c.number), table.c.number, wanted)
        taken |= set(found.iloc[:, 0]) if not found.empty else set()
    return taken


def highest_in_range(connection: Connection, start: int) -> int | None:
    """The highest all-digit relation or contact number written as wide as start and not below
    it: where the numbering range (scheme "range") has got to. Compared as text, which for
    digits of one width is their order; Python's int holds numbers of any length."""
    width, first = len(str(start)), str(start)
    best: int | None = None
    for table in (s.relations, s.contacts):
        query = sa.select(table.c.number).where(
            sa.func.length(table.c.number) == width, table.c.number >= first
        )
        found = frame(connection, query)
        digits = (
            [int(n) for n in found.iloc[:, 0] if n.isascii() and n.isdigit()]
            if not found.empty
            else []
        )
        if digits:
            best = max(best or 0, *digits)
    return best
