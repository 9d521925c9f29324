"""Bulk statements for the store: one executemany per table, with plain tuples and ids given
under the run's lock, and the ledger rows of what changed. Used by write.py.

On PostgreSQL the rows go in with a binary COPY (copy_statement, copies_binary) that runs in a
thread while the run goes on in Python (in_background); a large insert sets its table's foreign
keys aside for the rest of the run's transaction, and they are added back when it commits
(set_keys_aside, add_keys_back).
docs/benchmarks.md (issue 14, PostgreSQL's store stage) has the measurements behind each."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

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
RECORDS_PER_BLOCK = 20_000  # rows turned into Python values at a time for a COPY
_RUNNING = "kantoor_batch_load"  # Connection.info: the load running in the background
_ASIDE = "kantoor_batch_keys_aside"  # Connection.info: the foreign keys set aside (_aside)
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
    finish_load(connection)  # the driver's own cursor: no event waits for it
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
    columns = [c.name for c in table.columns if c.name in rows.columns and c.name != "id"]
    quote = connection.dialect.identifier_preparer.quote
    if connection.dialect.name == "postgresql":
        return _copy_insert(connection, table, rows.assign(created_run_id=run_id), columns)
    first = next_id(connection, table)
    ids = list(range(first, first + len(rows)))
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


def next_id(connection: Connection, table: sa.Table) -> int:
    highest = connection.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0)))
    return int(highest.scalar_one()) + 1


def _copy_insert(
    connection: Connection, table: sa.Table, frame: pd.DataFrame, columns: list[str]
) -> list[int]:
    """PostgreSQL's insert: the rows' values are made ready first, then the ids and the
    table's keys (set_keys_aside) are settled, and the COPY with what follows it (the sequence
    moved) runs in the background (in_background) while the caller goes on with the next
    table in Python, until its next statement."""
    with_run = [*columns, "created_run_id"]
    values = [column_series(connection, table, frame, column) for column in with_run]
    first = next_id(connection, table)
    ids = list(range(first, first + len(frame)))
    types = column_types(connection, table)
    binary = all(
        copies_binary(v, types[c][1])
        for c, v in zip(["id", *with_run], [pd.Series([first, ids[-1]]), *values], strict=True)
    )
    set_keys_aside(connection, table, len(ids), first - 1)
    quote = connection.dialect.identifier_preparer.quote
    load = Load(
        copy=copy_statement(table.name, ["id", *with_run], quote, binary=binary),
        types=[types[c][0] for c in ["id", *with_run]] if binary else None,
        records=_records(first, values),
        after=[
            ("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (quote(table.name), ids[-1])),
        ],
    )
    in_background(connection, load)
    return ids


def _records(first: int, values: Sequence[pd.Series]) -> Iterator[tuple[object, ...]]:
    """The rows as tuples (id first), made a block at a time as the COPY takes them: Python
    values of a million rows at once (an int object per id) are a few hundred MB."""
    count = len(values[0]) if values else 0
    for start in range(0, count, RECORDS_PER_BLOCK):
        stop = min(start + RECORDS_PER_BLOCK, count)
        lists = [as_list(v.iloc[start:stop]) for v in values]
        yield from zip(range(first + start, first + stop), *lists, strict=True)


def copy_statement(
    table: str, columns: Sequence[str], quote: Callable[[str], str], *, binary: bool
) -> str:
    """COPY ... FROM STDIN: a stream the server loads without parsing and planning a statement
    per block (multi-row INSERTs took PostgreSQL twice as long as SQLite for a first import).
    Binary, typed with the columns' types (column_types): for a million workflows a quarter of
    the client's time of the text format, and a third less of the server's."""
    names = ", ".join(quote(c) for c in columns)
    return f"COPY {quote(table)} ({names}) FROM STDIN{' (FORMAT BINARY)' if binary else ''}"


@dataclass
class Load:
    """A COPY with its rows, and the statements that finish it (None: nothing)."""

    copy: str
    types: Sequence[int] | None  # oids, for the binary format; None: text
    records: Iterable[tuple[object, ...]]
    after: Sequence[tuple[str, Sequence[object] | None]]


def run_load(driver: Any, load: Load) -> None:
    """The COPY and what follows it, on the driver's connection (psycopg) only: in_background
    runs this in a thread, where the SQLAlchemy connection is not to be touched."""
    with driver.cursor() as cursor:
        with cursor.copy(load.copy) as copy:
            if load.types is not None:
                copy.set_types(load.types)
            for record in load.records:
                copy.write_row(record)
        for statement, parameters in load.after:
            cursor.execute(statement, parameters)


class _Running(threading.Thread):
    def __init__(self, driver: Any, load: Load) -> None:
        super().__init__(name="kantoor-batch-copy", daemon=True)
        self.driver, self.load = driver, load
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            run_load(self.driver, self.load)
        except BaseException as exc:  # raised in the caller's thread, by finish_load
            self.error = exc


def in_background(connection: Connection, load: Load) -> None:
    """Run the load in a thread while the caller goes on in Python: the server's share of a
    COPY (writing the rows and their indexes, checking the keys added back) is most of the
    insert's time on PostgreSQL, and the next table's Python work needs none of it. The
    connection's next statement, savepoint, commit or rollback waits for it first (events
    registered by finish_loads_first when the store opens the engine), and raises its error;
    without those events the load runs here and now."""
    finish_load(connection)
    driver = connection.connection.driver_connection
    if not sa.event.contains(connection.engine, "before_cursor_execute", _finish_before):
        run_load(driver, load)
        return
    running = _Running(driver, load)
    connection.info[_RUNNING] = running
    running.start()


def finish_load(connection: Connection) -> None:
    """Wait for this connection's load in the background, if any; raise what it raised."""
    running = connection.info.pop(_RUNNING, None)
    if running is None:
        return
    running.join()
    if running.error is not None:
        raise running.error


def finish_loads_first(engine: sa.Engine) -> None:
    """Every statement, savepoint and commit on this engine's connections waits for the load
    running in the background (in_background) and raises its error; a commit then adds back
    the foreign keys set aside (add_keys_back); a rollback waits for the load and drops its
    error (the run is failing already) and what was set aside (the rollback restores it)."""
    for event in ("before_cursor_execute", "savepoint", "rollback_savepoint", "release_savepoint"):
        sa.event.listen(engine, event, _finish_before)
    sa.event.listen(engine, "commit", _before_commit)
    sa.event.listen(engine, "rollback", _forget)


def _finish_before(connection: Connection, *_: object) -> None:
    finish_load(connection)


def _before_commit(connection: Connection, *_: object) -> None:
    """An error here fails the commit; the transaction is rolled back here and now, since
    SQLAlchemy counts a commit that failed in its event as ended and returns the connection
    to its pool as it is (in a failed transaction, which its next user could not use)."""
    try:
        finish_load(connection)
        add_keys_back(connection)
    except BaseException:
        driver = connection.connection.driver_connection
        if driver is not None:
            driver.rollback()
        raise


def _forget(connection: Connection, *_: object) -> None:
    connection.info.pop(_ASIDE, None)
    running = connection.info.pop(_RUNNING, None)
    if running is not None:
        running.join()


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


def set_keys_aside(
    connection: Connection, table: sa.Table, new_rows: int, stored_rows: int
) -> bool:
    """PostgreSQL: for a large insert (CHECK_AFTER_MIN_ROWS, and CHECK_AFTER_SHARE of the table
    after it; stored_rows may be an overestimate, the highest id), drops the table's foreign
    keys for the rest of the transaction; the commit adds them back (add_keys_back), as the
    PostgreSQL manual advises for bulk loading: adding a foreign key checks every row in one
    join, where a kept one runs a trigger with a query per inserted row (four fifths of the
    COPY's time here). True when the table's keys are aside, also when an earlier insert of
    this transaction set them aside: the later slices of a large import insert without
    triggers, and the table is checked once, not once per slice.

    Both happen in the run's transaction: a failure anywhere rolls the drop back with the
    rows, and a row that breaks a reference fails the ADD, so the commit, as the trigger would
    have failed the insert. The price is an ACCESS EXCLUSIVE lock on the table and on the
    tables its keys refer to until the run commits: a report that reads them meanwhile waits
    for the commit. The locks are taken first with a short lock_timeout; when a reader holds
    one of them, the insert keeps the keys and checks per row instead of waiting for it
    (docs/decisions.md)."""
    if connection.dialect.name != "postgresql":
        return False
    aside = _aside(connection)
    quote = connection.dialect.identifier_preparer.quote
    name = quote(table.name)
    if name not in aside and (
        new_rows < CHECK_AFTER_MIN_ROWS or new_rows < CHECK_AFTER_SHARE * (stored_rows + new_rows)
    ):
        return False
    keys = connection.execute(
        sa.text(
            "SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text"
            " FROM pg_constraint WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'"
            " ORDER BY conname"
        ),
        {"table": name},
    ).all()
    if not keys:
        return name in aside  # aside already (a table without foreign keys has none to set aside)
    if not _lock_at_once(connection, [name, *sorted({k[2] for k in keys})]):
        return False
    drops = ", ".join(f"DROP CONSTRAINT {quote(k[0])}" for k in keys)
    connection.exec_driver_sql(f"ALTER TABLE {name} {drops}")
    aside.setdefault(name, {}).update({k[0]: k[1] for k in keys})
    return True


def add_keys_back(connection: Connection) -> None:
    """PostgreSQL: the foreign keys this transaction set aside, added back (each table's in
    one ALTER TABLE, a join per key), on the driver's cursor: the commit event runs this before
    the commit. A key a savepoint's rollback brought back already is not added twice."""
    aside = connection.info.pop(_ASIDE, None)
    if not aside:
        return
    quote = connection.dialect.identifier_preparer.quote
    driver = connection.connection.driver_connection
    assert driver is not None  # noqa: S101 - a connection in a transaction has its driver's
    with driver.cursor() as cursor:
        for table, keys in aside["tables"].items():
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
                (table,),
            )
            present = {row[0] for row in cursor.fetchall()}
            missing = [(k, d) for k, d in keys.items() if k not in present]
            if missing:
                adds = ", ".join(f"ADD CONSTRAINT {quote(k)} {d}" for k, d in missing)
                cursor.execute(f"ALTER TABLE {table} {adds}")


def _aside(connection: Connection) -> dict[str, dict[str, str]]:
    """This transaction's foreign keys set aside: per table (its quoted name), each key's name
    and definition. What an earlier transaction of this connection left is not this one's."""
    transaction = connection.get_transaction()
    record = connection.info.get(_ASIDE)
    if record is None or record["transaction"] is not transaction:
        record = connection.info[_ASIDE] = {"transaction": transaction, "tables": {}}
    tables: dict[str, dict[str, str]] = record["tables"]
    return tables


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
