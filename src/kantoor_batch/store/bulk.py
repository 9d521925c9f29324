"""Bulk statements for the store: one executemany per table, with plain tuples and ids given
under the run's lock, and the ledger rows of what changed. Used by write.py.

On PostgreSQL the rows go in with COPY; a large insert sets its table's foreign keys aside
for the COPY and adds them back after it, in the run's transaction (foreign_keys_after)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, islice

import pandas as pd
import sqlalchemy as sa
from pandas.api.types import infer_dtype
from sqlalchemy.engine import Connection

from kantoor_batch.store import schema as s
from kantoor_batch.store.diff import Diff

ROWS_PER_BLOCK = 100
MAX_PARAMETERS = 999
# PostgreSQL: an insert of at least this many rows, and at least a tenth of the rows the table
# will hold, checks its foreign keys once for the whole table instead of once per row.
CHECK_AFTER_MIN_ROWS = 20_000
CHECK_AFTER_SHARE = 0.1
# How long such an insert waits for the exclusive locks that takes before it checks per row:
# a report reading the store holds them up until its query ends.
CHECK_AFTER_LOCK_WAIT_MS = 2_000
LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED = "55P03", "40P01"  # PostgreSQL's SQLSTATEs
# COPY's binary format, per column type: the kinds of values (pandas' infer_dtype) it is used
# for (copies_binary); a table with a column of another type or kind goes as text.
BINARY_KINDS: dict[str, frozenset[str]] = {
    "bool": frozenset({"boolean"}),
    "int2": frozenset({"integer"}),
    "int4": frozenset({"integer"}),
    "int8": frozenset({"integer"}),
    "varchar": frozenset({"string"}),
    "text": frozenset({"string"}),
    "date": frozenset({"date"}),
}
INTEGER_LIMITS = {"int2": 2**15, "int4": 2**31, "int8": 2**63}


def placeholder(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def column_values(
    connection: Connection, table: sa.Table, frame: pd.DataFrame, column: str
) -> list[object]:
    """One column as the driver wants it: None for every kind of missing value (NaN, NaT,
    pd.NA) and, for SQLite, dates as ISO text, which is how SQLAlchemy stores them there too."""
    return as_list(column_series(connection, table, frame, column))


def column_series(
    connection: Connection, table: sa.Table, frame: pd.DataFrame, column: str
) -> pd.Series:
    """One column with the store's types: ids as integers, for SQLite dates as ISO text."""
    values = frame[column]
    if connection.dialect.name == "sqlite" and isinstance(table.c[column].type, sa.Date):
        text = {d: d.isoformat() for d in values.dropna().unique()}  # few distinct dates
        values = values.map(text)
    elif values.dtype.kind == "f" and isinstance(table.c[column].type, sa.Integer):
        values = values.astype("Int64")  # ids looked up where some are missing come as floats
    return values


def as_list(values: pd.Series) -> list[object]:
    """Python values with None for every kind of missing value (NaN, NaT, pd.NA)."""
    missing = values.isna()
    if not missing.any():
        return values.tolist()
    return values.astype(object).where(~missing, None).tolist()


def rows_of(
    connection: Connection,
    table: sa.Table,
    frame: pd.DataFrame,
    columns: Sequence[str],
    first: Sequence[object] | None = None,
) -> Iterator[tuple[object, ...]]:
    """Plain tuples for the driver's executemany, zipped column by column (first, when given,
    leads each row): SQLAlchemy's per-row parameter handling costs more than the database
    itself on large imports."""
    lists = [column_values(connection, table, frame, column) for column in columns]
    if first is not None:
        lists.insert(0, list(first))
    return zip(*lists, strict=True)


def executemany(connection: Connection, sql: str, records: Iterable[tuple[object, ...]]) -> None:
    """The driver's own executemany on this transaction's connection: SQLAlchemy's parameter
    checks cost as much as SQLite itself for a million rows. Both drivers take any iterable,
    so the rows are never all built at once."""
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(sql, records)  # type: ignore[arg-type]  # PEP 249 stub says Sequence
    finally:
        cursor.close()


def insert_in_blocks(
    connection: Connection,
    head: str,
    one_row: str,
    width: int,
    records: Iterator[tuple[object, ...]],
) -> None:
    """head + many one_row groups per statement: a multi-row VALUES list binds the same values
    but steps the statement once per block instead of once per row, which took a third off
    SQLite's time for a million rows here. Blocks stay within 999 parameters, the limit of
    older SQLite builds; what does not fill a last block goes one row at a time."""
    per_block = max(1, min(ROWS_PER_BLOCK, MAX_PARAMETERS // width))
    rest: list[tuple[object, ...]] = []

    def blocks() -> Iterator[tuple[object, ...]]:
        while True:
            block = list(islice(records, per_block))
            if len(block) < per_block:
                rest.extend(block)
                return
            yield tuple(chain.from_iterable(block))

    executemany(connection, head + ", ".join([one_row] * per_block), blocks())
    if rest:
        executemany(connection, head + one_row, rest)


def insert(connection: Connection, table: sa.Table, rows: pd.DataFrame, run_id: int) -> list[int]:
    """Insert rows with ids given here (the run holds the store's write lock, so the next ids
    are ours); returns them in row order, so nothing has to be read back."""
    if rows.empty:
        return []
    first = (
        int(
            connection.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
        )
        + 1
    )
    ids = list(range(first, first + len(rows)))
    columns = [c.name for c in table.columns if c.name in rows.columns and c.name != "id"]
    quote = connection.dialect.identifier_preparer.quote
    if connection.dialect.name == "postgresql":
        with_run = [*columns, "created_run_id"]
        frame = rows.assign(created_run_id=run_id)
        values = [column_series(connection, table, frame, column) for column in with_run]
        types = column_types(connection, table)
        binary = all(
            copies_binary(v, types[c][1])
            for c, v in zip(["id", *with_run], [pd.Series([first, ids[-1]]), *values], strict=True)
        )
        records = zip(ids, *(as_list(v) for v in values), strict=True)
        with foreign_keys_after(connection, table, len(rows), first - 1):
            copy_rows(
                connection,
                table,
                ["id", *with_run],
                records,
                [types[c][0] for c in ["id", *with_run]] if binary else None,
            )
        connection.execute(
            sa.text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
            {"table": table.name, "last": ids[-1]},
        )
        return ids
    names = ", ".join(quote(c) for c in ["id", *columns, "created_run_id"])
    marks = ", ".join([placeholder(connection)] * (len(columns) + 1) + [str(int(run_id))])
    head = f"INSERT INTO {quote(table.name)} ({names}) VALUES "  # noqa: S608 - names from our schema
    insert_in_blocks(
        connection,
        head,
        f"({marks})",
        len(columns) + 1,
        rows_of(connection, table, rows, columns, first=ids),
    )
    return ids


def copy_rows(
    connection: Connection,
    table: sa.Table,
    columns: Sequence[str],
    records: Iterable[tuple[object, ...]],
    types: Sequence[int] | None = None,
) -> None:
    """PostgreSQL: the rows through psycopg's COPY ... FROM STDIN on this transaction's
    connection, a stream the server loads without parsing and planning a statement per block
    (multi-row INSERTs took PostgreSQL twice as long as SQLite for a first import). With the
    columns' types (oids, column_types), in COPY's binary format: for a million workflows a
    quarter of the client's time of the text format, and a third less of the server's."""
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    driver = connection.connection.driver_connection
    assert driver is not None  # noqa: S101 - a connection in a transaction has its driver's
    binary = " (FORMAT BINARY)" if types is not None else ""
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN{binary}") as copy,
    ):
        if types is not None:
            copy.set_types(types)
        for record in records:
            copy.write_row(record)


def column_types(connection: Connection, table: sa.Table) -> dict[str, tuple[int, str]]:
    """PostgreSQL: each column's type as the store has it, (oid, name)."""
    found = connection.execute(
        sa.text(
            "SELECT a.attname, a.atttypid::int, t.typname"
            " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
            " WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0"
            " AND NOT a.attisdropped"
        ),
        {"table": connection.dialect.identifier_preparer.quote(table.name)},
    )
    return {name: (int(oid), str(type_name)) for name, oid, type_name in found}


def copies_binary(values: pd.Series, type_name: str) -> bool:
    """Whether psycopg's binary dumper for this column type writes these values as the
    server would read them as text. It takes what it is given where the server would refuse
    (a bool from any value, true or not; an int4 cut to 32 bits), so a column goes binary only
    when its values are of the kind its type holds (integers within its range), else the
    whole table goes as text, where the server checks every value as before."""
    kinds = BINARY_KINDS.get(type_name)
    if kinds is None:
        return False
    kind = infer_dtype(values, skipna=True)
    if kind == "empty":  # nothing but missing values
        return True
    if kind not in kinds:
        return False
    limit = INTEGER_LIMITS.get(type_name)
    if limit is None:
        return True
    present = values.dropna()
    return present.empty or bool(-limit <= present.min() and present.max() < limit)


@contextmanager
def foreign_keys_after(
    connection: Connection, table: sa.Table, new_rows: int, stored_rows: int
) -> Iterator[bool]:
    """PostgreSQL: for a large insert (CHECK_AFTER_MIN_ROWS, and CHECK_AFTER_SHARE of the table
    after it; stored_rows may be an overestimate, the highest id), the table's foreign keys
    are dropped before the body and added back after it, as the PostgreSQL manual advises for
    bulk loading: adding a foreign key checks every row in one join, where a kept one runs a
    trigger with a query per inserted row (four fifths of the COPY's time here). Yields
    whether it did so.

    Both happen in the run's transaction: a failure anywhere rolls the drop back with the
    rows, and a row that breaks a reference fails the ADD, so the transaction, as the trigger
    would have. The price is an ACCESS EXCLUSIVE lock on the table and on the tables its keys
    refer to until the run commits: a report that reads them meanwhile waits for the commit.
    The locks are taken first with a short lock_timeout; when a reader holds one of them, the
    insert keeps the keys and checks per row instead of waiting for it (docs/decisions.md)."""
    if (
        connection.dialect.name != "postgresql"
        or new_rows < CHECK_AFTER_MIN_ROWS
        or new_rows < CHECK_AFTER_SHARE * (stored_rows + new_rows)
    ):
        yield False
        return
    quote = connection.dialect.identifier_preparer.quote
    name = quote(table.name)
    keys = connection.execute(
        sa.text(
            "SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text"
            " FROM pg_constraint WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'"
            " ORDER BY conname"
        ),
        {"table": name},
    ).all()
    if not keys or not _lock_at_once(connection, [name, *sorted({k[2] for k in keys})]):
        yield False
        return
    drops = ", ".join(f"DROP CONSTRAINT {quote(k[0])}" for k in keys)
    connection.exec_driver_sql(f"ALTER TABLE {name} {drops}")
    yield True
    adds = ", ".join(f"ADD CONSTRAINT {quote(k[0])} {k[1]}" for k in keys)
    connection.exec_driver_sql(f"ALTER TABLE {name} {adds}")


def _lock_at_once(connection: Connection, tables: Sequence[str]) -> bool:
    """ACCESS EXCLUSIVE on these tables (already quoted), waiting at most
    CHECK_AFTER_LOCK_WAIT_MS; False (and nothing locked) when another session holds one of
    them that long or the wait would deadlock with it."""
    savepoint = connection.begin_nested()
    before = connection.exec_driver_sql("SELECT current_setting('lock_timeout')").scalar_one()
    try:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {CHECK_AFTER_LOCK_WAIT_MS}")
        connection.exec_driver_sql(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
    except sa.exc.OperationalError as exc:
        savepoint.rollback()  # releases what was locked, and the lock_timeout
        if getattr(exc.orig, "sqlstate", None) in (LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED):
            return False
        raise
    connection.execute(
        sa.text("SELECT set_config('lock_timeout', :before, true)"), {"before": before}
    )
    savepoint.commit()
    return True


def update(
    connection: Connection, table: sa.Table, diff: Diff, fields: Sequence[str], run_id: int
) -> None:
    rows = diff.to_update
    if rows.empty:
        return
    quote = connection.dialect.identifier_preparer.quote
    mark = placeholder(connection)
    assignments = ", ".join(f"{quote(f)} = {mark}" for f in [*fields, "updated_run_id"])
    sql = f"UPDATE {quote(table.name)} SET {assignments} WHERE id = {mark}"  # noqa: S608
    records = rows_of(
        connection, table, rows.assign(updated_run_id=run_id), [*fields, "updated_run_id", "id"]
    )
    executemany(connection, sql, records)


def record_changes(
    connection: Connection, entity: str, diff: Diff, key_columns: Sequence[str], run_id: int
) -> int:
    if diff.changes.empty:
        return 0
    changes = diff.changes
    records = [
        {
            "run_id": run_id,
            "entity": entity,
            "entity_id": int(entity_id),
            "entity_key": " ".join(str(diff.planned.at[position, k]) for k in key_columns),
            "field": field,
            "old_value": None if old is None else str(old),
            "new_value": None if new is None else str(new),
        }
        for position, entity_id, field, old, new in changes.itertuples(index=False, name=None)
    ]
    connection.execute(sa.insert(s.import_changes), records)
    return len(records)
