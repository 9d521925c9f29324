"""Bulk inserts: many rows per statement, and every row arrives once, in order."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from kantoor_batch.store.bulk import MAX_PARAMETERS, ROWS_PER_BLOCK, insert_in_blocks


@pytest.mark.parametrize("count", [0, 1, ROWS_PER_BLOCK, ROWS_PER_BLOCK * 2 + 37])
def test_rows_in_full_blocks_and_the_rest_are_all_inserted_in_order(count: int) -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, run INT)")
        rows = iter([(i, f"naam {i}") for i in range(1, count + 1)])
        insert_in_blocks(connection, "INSERT INTO t (id, name, run) VALUES ", "(?, ?, 7)", 2, rows)
        stored = connection.exec_driver_sql("SELECT id, name, run FROM t ORDER BY rowid").all()
    assert [tuple(r) for r in stored] == [(i, f"naam {i}", 7) for i in range(1, count + 1)]


def test_a_wide_table_stays_within_the_parameter_limit_of_older_sqlite() -> None:
    """26 values a row (a relation) in blocks, on a SQLite that allows 999 parameters."""
    engine = sa.create_engine("sqlite://")
    columns = [f"c{i}" for i in range(26)]
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, MAX_PARAMETERS)
        connection.exec_driver_sql(f"CREATE TABLE wide ({', '.join(columns)})")
        rows = iter([tuple(range(26))] * 100)
        head = f"INSERT INTO wide ({', '.join(columns)}) VALUES "  # noqa: S608 - test names
        insert_in_blocks(connection, head, f"({', '.join('?' * 26)})", 26, rows)
        assert connection.exec_driver_sql("SELECT count(*) FROM wide").scalar_one() == 100
