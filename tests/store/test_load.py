"""Reading stored rows in bulk: keys uploaded once per transaction, and stored rows read before
the rules reused for the plan's numbers, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from kantoor_batch.store import load
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import Store
from kantoor_batch.store.ledger import start_run

MANY = load.CHUNK + 1_000  # enough keys to go through the temporary table

numbers_table = sa.Table("kb_test_numbers", sa.MetaData(), sa.Column("n", sa.Integer))


def _found(connection: sa.Connection, keys: list[int]) -> list[int]:
    rows = load.where_in(connection, sa.select(numbers_table.c.n), numbers_table.c.n, keys)
    return sorted(int(n) for n in rows["n"])


def test_keys_are_uploaded_once_per_transaction_and_again_after_a_rollback(
    store_url: str,
) -> None:
    """A re-import asks five tables for the same relation ids; a dry run rolls back the
    temporary table's rows (on PostgreSQL the table itself), so the next run uploads again."""
    first, second = list(range(MANY)), list(range(3_000, 3_000 + MANY))
    store = Store(store_url)
    with store.transaction() as connection:
        numbers_table.create(connection)
        connection.execute(sa.insert(numbers_table), [{"n": n} for n in range(MANY + 5_000)])
    with store.transaction(rollback=True) as connection:
        assert _found(connection, first) == first
        uploaded = connection.info["kb_uploaded_keys"]["kb_keys_int"]
        assert _found(connection, first) == first
        assert connection.info["kb_uploaded_keys"]["kb_keys_int"] is uploaded  # not again
        assert _found(connection, second) == second
    with store.transaction() as connection:
        assert _found(connection, second) == second
        assert _found(connection, first) == first


def test_by_number_looks_up_only_the_numbers_not_read_yet(store_url: str) -> None:
    with Store(store_url).transaction(rollback=True) as connection:
        run = start_run(
            connection,
            file_name="x.xlsx",
            sha256="0" * 64,
            as_of=dt.date(2026, 11, 29),
            started_at=dt.datetime(2026, 11, 29, tzinfo=dt.UTC),
            all_or_nothing=False,
        )
        connection.execute(
            sa.insert(s.contacts),
            [
                {"id": i, "number": f"C{i}", "last_name": f"Naam {i}", "created_run_id": run}
                for i in range(1, 11)
            ],
        )
        read = load.where_in(connection, sa.select(s.contacts), s.contacts.c.number, ["C1", "C2"])
        # C2 was read, but the plan does not name it; C3 and C4 were not read; C99 is not stored.
        wanted = ["C1", "C3", "C4", "C99"]
        found = load.by_number(connection, s.contacts, wanted, read, ["C1", "C2"])
        assert sorted(found["number"]) == ["C1", "C3", "C4"]
        assert list(found.columns) == [c.name for c in s.contacts.columns]
        nothing = load.by_number(connection, s.contacts, ["C1"], read.iloc[:0], ["C1"])
        assert nothing.empty
        assert list(nothing.columns) == [c.name for c in s.contacts.columns]
