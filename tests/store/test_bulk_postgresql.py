"""PostgreSQL's large inserts: foreign keys set aside for the rest of the run and added back
at its commit (bulk.set_keys_aside, add_keys_back), binary COPY, and the COPY running in the
background while the run goes on (bulk.in_background). The thresholds are lowered here so the
sample workbook sets keys aside; the keys and indexes must end exactly as the migrations made
them, still refuse a broken reference, and come back with everything else when the run
fails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.catalogues import PeriodType
from kantoor_batch.errors import StoreError
from kantoor_batch.importer import import_workbook
from kantoor_batch.store import bulk
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import Store
from tests.conftest import AS_OF, REPO

SAMPLE = REPO / "samples" / "onboarding-voorbeeld.xlsx"

on_postgresql = pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every insert sets its keys aside (the sample has at most a few hundred rows a table);
    returns, per insert, the table and whether it did."""
    monkeypatch.setattr(bulk, "CHECK_AFTER_MIN_ROWS", 1)
    monkeypatch.setattr(bulk, "CHECK_AFTER_SHARE", 0.0)
    seen: list[tuple[str, bool]] = []
    real = bulk.set_keys_aside

    def spy(connection: Connection, table: sa.Table, new_rows: int, stored_rows: int) -> bool:
        aside = real(connection, table, new_rows, stored_rows)
        seen.append((table.name, aside))
        return aside

    monkeypatch.setattr(bulk, "set_keys_aside", spy)
    return seen


def migrated(url: str) -> None:
    with Store(url).transaction():
        pass


def keys_and_indexes(url: str) -> set[tuple[Any, ...]]:
    """Every constraint and index of the store's schema, as PostgreSQL defines them."""
    with Store(url).reading() as connection:
        constraints = connection.execute(
            sa.text(
                "SELECT conrelid::regclass::text, conname, contype, convalidated,"
                " pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE connamespace = current_schema()::regnamespace"
            )
        ).all()
        indexes = connection.execute(
            sa.text(
                "SELECT tablename, indexname, indexdef FROM pg_indexes"
                " WHERE schemaname = current_schema()"
            )
        ).all()
    return {tuple(r) for r in constraints} | {tuple(r) for r in indexes}


def foreign_key_violation(error: BaseException) -> bool:
    """The driver's error under the store's: SQLAlchemy's wrapping it, or its own when it
    came from a COPY in the background (raised at the commit)."""
    cause = error.__cause__
    return getattr(getattr(cause, "orig", cause), "sqlstate", None) == "23503"


def count(url: str, table: str) -> int:
    with Store(url).reading() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())  # noqa: S608


@on_postgresql
def test_a_large_import_leaves_every_key_and_index_as_the_migrations_made_them(
    store_url: str, taken: list[tuple[str, bool]]
) -> None:
    migrated(store_url)
    before = keys_and_indexes(store_url)
    assert sum(1 for k in before if k[2:3] == ("f",)) > 20  # the foreign keys are there

    result = import_workbook(SAMPLE, db=store_url, as_of=AS_OF)

    assert result.ok
    aside = {table for table, did in taken if did}
    assert {"contacts", "relations", "relation_contacts", "workflows", "sbr_settings"} <= aside
    assert keys_and_indexes(store_url) == before
    with Store(store_url).reading() as connection:
        missing = connection.execute(
            sa.text(
                "SELECT count(*) FROM workflows w"
                " LEFT JOIN relations r ON r.id = w.relation_id WHERE r.id IS NULL"
            )
        ).scalar_one()
    assert missing == 0
    # A re-import takes the same path where it inserts, and changes nothing.
    again = import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    assert again.ok
    assert keys_and_indexes(store_url) == before


@on_postgresql
def test_the_keys_added_back_still_refuse_a_broken_reference(
    store_url: str, taken: list[tuple[str, bool]]
) -> None:
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    store = Store(store_url)
    with (
        pytest.raises(StoreError, match="fk_workflows_relation_id_relations") as refused,
        store.transaction() as connection,
    ):
        connection.execute(
            sa.insert(s.workflows).values(
                relation_id=999_999, workflow_key="x", name="x", created_run_id=1
            )
        )
    assert foreign_key_violation(refused.value)


@on_postgresql
def test_a_broken_reference_in_a_large_insert_fails_the_run_and_keeps_the_keys(
    store_url: str, taken: list[tuple[str, bool]]
) -> None:
    """The check moves from the trigger per row to the ADD CONSTRAINT after the COPY: the same
    error, and the rollback brings the dropped keys back with the rest."""
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    before = keys_and_indexes(store_url)
    workflows = count(store_url, "workflows")
    rows = pd.DataFrame(
        {
            "relation_id": [1, 999_999],
            "workflow_key": ["broken-1", "broken-2"],
            "name": ["Aangifte", "Aangifte"],
            "status": ["open", "open"],
        }
    )
    with (
        pytest.raises(StoreError, match="fk_workflows_relation_id_relations") as refused,
        Store(store_url).transaction() as connection,
    ):
        bulk.insert(connection, s.workflows, rows, run_id=1)
    assert foreign_key_violation(refused.value)  # as the trigger's
    assert taken[-1] == ("workflows", True)
    assert keys_and_indexes(store_url) == before
    assert count(store_url, "workflows") == workflows


@on_postgresql
def test_a_run_that_fails_after_setting_keys_aside_leaves_the_store_as_it_was(
    store_url: str, taken: list[tuple[str, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    migrated(store_url)
    before = keys_and_indexes(store_url)
    real = bulk.run_load

    def failing(driver: Any, load: bulk.Load) -> None:
        if "workflows" in load.copy:
            raise RuntimeError("the process dies halfway")
        real(driver, load)

    monkeypatch.setattr(bulk, "run_load", failing)
    with pytest.raises(RuntimeError, match="halfway"):
        import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    assert ("relations", True) in taken  # keys of earlier tables were set aside and added back
    assert keys_and_indexes(store_url) == before
    for table in ("import_runs", "contacts", "relations", "workflows"):
        assert count(store_url, table) == 0


@on_postgresql
def test_a_dry_run_sets_keys_aside_and_rolls_everything_back(
    store_url: str, taken: list[tuple[str, bool]]
) -> None:
    migrated(store_url)
    before = keys_and_indexes(store_url)
    result = import_workbook(SAMPLE, db=store_url, as_of=AS_OF, dry_run=True)
    assert result.ok
    assert any(did for _, did in taken)
    assert keys_and_indexes(store_url) == before
    assert count(store_url, "relations") == 0


@on_postgresql
def test_a_reader_holding_a_table_keeps_the_per_row_checks_instead_of_waiting(
    store_url: str, taken: list[tuple[str, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report reading relations (an open transaction that read it): the import does not wait
    for it beyond the short lock wait, nor block it; it checks those inserts per row."""
    monkeypatch.setattr(bulk, "CHECK_AFTER_LOCK_WAIT_MS", 50)
    migrated(store_url)
    before = keys_and_indexes(store_url)
    with Store(store_url).engine.connect() as reader:
        reader.exec_driver_sql("SELECT count(*) FROM relations").scalar_one()  # holds its lock
        started = dt.datetime.now(dt.UTC)
        result = import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
        seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
        # the reader was never blocked, and reads on (READ COMMITTED: what the run stored)
        stored = reader.exec_driver_sql("SELECT count(*) FROM relations").scalar_one()
        reader.rollback()
    assert result.ok
    assert seconds < 60
    did = dict(taken)
    assert did["relations"] is False  # its keys refer to relations itself
    assert did["workflows"] is False  # relations is what workflows refers to
    assert did["contacts"] is True  # refers only to import_runs, which the reader left alone
    assert keys_and_indexes(store_url) == before
    assert stored == count(store_url, "relations") == len(result.tables["relations"])


@on_postgresql
def test_the_lock_wait_is_for_the_locks_only(store_url: str) -> None:
    """The short lock_timeout of the exclusive locks does not stay for the rest of the run."""
    store = Store(store_url)
    with store.transaction(rollback=True) as connection:
        connection.exec_driver_sql("SET LOCAL lock_timeout = '7s'")
        assert bulk.set_keys_aside(connection, s.workflows, 10**6, 0)
        assert connection.exec_driver_sql("SHOW lock_timeout").scalar_one() == "7s"


@pytest.mark.parametrize(
    ("new_rows", "stored_rows", "expected"),
    [
        (bulk.CHECK_AFTER_MIN_ROWS - 1, 0, False),  # too few rows to be worth the locks
        (bulk.CHECK_AFTER_MIN_ROWS, 0, True),
        (50_000, 1_000_000, False),  # a small share of a large table: checking it all costs more
        (200_000, 1_000_000, True),
    ],
)
@on_postgresql
def test_only_large_inserts_set_keys_aside(
    store_url: str, new_rows: int, stored_rows: int, *, expected: bool
) -> None:
    with Store(store_url).transaction(rollback=True) as connection:
        aside = bulk.set_keys_aside(connection, s.workflows, new_rows, stored_rows)
    assert aside is expected


def test_sqlite_never_sets_keys_aside(tmp_path: Path) -> None:
    with Store(str(tmp_path / "kantoor.db")).transaction(rollback=True) as connection:
        assert bulk.set_keys_aside(connection, s.workflows, 10**6, 0) is False


@pytest.mark.parametrize(
    ("values", "type_name", "expected"),
    [
        (pd.Series(["a", None, PeriodType.MONTH]), "varchar", True),
        (pd.Series([1, 2**31 - 1, None], dtype="Int64"), "int4", True),
        (pd.Series([None, None], dtype=object).astype("Int64"), "int4", True),
        (pd.Series([None, None], dtype=object), "date", True),
        (pd.Series([True, False, None], dtype=object), "bool", True),
        (pd.Series([dt.date(2026, 1, 1), None]), "date", True),
        (pd.Series([2**31]), "int4", False),  # binary would cut it to 32 bits
        (pd.Series([-(2**31) - 1]), "int4", False),
        (pd.Series([2**31]), "int8", True),
        (pd.Series(["Nee", True], dtype=object), "bool", False),  # binary: any value is true
        (pd.Series([1, True], dtype=object), "int4", False),
        (pd.Series([5, "x"], dtype=object), "varchar", False),
        (pd.Series([1.5]), "int4", False),
        (pd.Series(pd.to_datetime(["2026-01-01"])), "date", False),
        (pd.Series(["{}"]), "json", False),  # a type not in BINARY_KINDS
    ],
)
def test_a_column_goes_binary_only_with_values_of_its_kind(
    values: pd.Series, type_name: str, *, expected: bool
) -> None:
    assert bulk.copies_binary(values, type_name) is expected


@on_postgresql
@pytest.mark.parametrize(
    ("column", "value", "refusal"),
    [
        ("relation_id", 2**31, "out of range"),
        ("name", 12345, None),  # text COPY stores the number as its text, as before
        ("period_start", "geen datum", "invalid input syntax for type date"),
    ],
)
def test_values_binary_cannot_carry_go_as_text_and_the_server_judges_them(
    store_url: str, column: str, value: object, refusal: str | None
) -> None:
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    columns: dict[str, list[object]] = {
        "relation_id": [1, 1],
        "workflow_key": ["extra-1", "extra-2"],
        "name": ["Aangifte", "Aangifte"],
        "period_start": [dt.date(2026, 1, 1), None],
        "status": ["open", "open"],
    }
    columns[column][1] = value
    rows = pd.DataFrame(columns, dtype=object)
    store = Store(store_url)
    if refusal is None:
        with store.transaction() as connection:
            ids = bulk.insert(connection, s.workflows, rows, run_id=1)
        with store.reading() as connection:
            stored = connection.execute(
                sa.select(s.workflows.c.name).where(s.workflows.c.id == ids[1])
            ).scalar_one()
        assert stored == "12345"
        return
    with pytest.raises(StoreError, match=refusal), store.transaction() as connection:
        bulk.insert(connection, s.workflows, rows, run_id=1)


def workflow_rows(count: int, relation_id: int = 1) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "relation_id": [relation_id] * count,
            "workflow_key": [f"extra-{i}" for i in range(count)],
            "name": ["Aangifte"] * count,
            "status": ["open"] * count,
        }
    )


@on_postgresql
def test_the_copy_runs_on_in_the_background_until_the_next_statement(store_url: str) -> None:
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    workflows = count(store_url, "workflows")
    with Store(store_url).transaction(rollback=True) as connection:
        rows = 2 * bulk.RECORDS_PER_BLOCK + 7  # three blocks of Python values
        ids = bulk.insert(connection, s.workflows, workflow_rows(rows), run_id=1)
        assert bulk._RUNNING in connection.info
        stored = connection.exec_driver_sql("SELECT count(*), max(id) FROM workflows").one()
        assert bulk._RUNNING not in connection.info
        assert tuple(stored) == (workflows + rows, ids[-1])
        in_order = connection.execute(
            sa.text(
                "SELECT count(*) FROM workflows WHERE workflow_key LIKE 'extra-%'"
                " AND id - :first = CAST(substr(workflow_key, 7) AS integer)"
            ),
            {"first": ids[0]},
        ).scalar_one()
        assert in_order == rows  # every row once, with its own id
        # the driver's own cursor (bulk.executemany) waits for it too
        more = workflow_rows(10).assign(workflow_key=lambda f: "more-" + f["workflow_key"])
        bulk.insert(connection, s.workflows, more, 1)
        bulk.executemany(
            connection, "UPDATE workflows SET name = 'Gewijzigd' WHERE id > %s", [(ids[-1],)]
        )
        changed = connection.exec_driver_sql(
            "SELECT count(*) FROM workflows WHERE name = 'Gewijzigd'"
        ).scalar_one()
        assert changed == 10
        sequence = connection.exec_driver_sql(
            "SELECT last_value FROM workflows_id_seq"
        ).scalar_one()
        assert sequence == ids[-1] + 10  # moved past the ids given, after the COPY


@on_postgresql
def test_a_failed_background_copy_is_raised_by_the_next_statement(store_url: str) -> None:
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    store = Store(store_url)

    def twice_the_same_key() -> None:
        with store.transaction() as connection:
            rows = workflow_rows(3).assign(workflow_key="dubbel")
            bulk.insert(connection, s.workflows, rows, 1)
            connection.exec_driver_sql("SELECT 1")

    with pytest.raises(StoreError, match="uq_workflows_relation_key") as refused:
        twice_the_same_key()
    cause = refused.value.__cause__
    assert getattr(getattr(cause, "orig", cause), "sqlstate", None) == "23505"
    with store.transaction(rollback=True) as connection:  # the pooled connection is clean
        assert bulk._RUNNING not in connection.info
        assert connection.exec_driver_sql("SELECT 1").scalar_one() == 1


@on_postgresql
def test_a_run_failing_while_a_copy_runs_rolls_back_after_it_and_says_its_own_error(
    store_url: str,
) -> None:
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    workflows = count(store_url, "workflows")
    store = Store(store_url)

    def failing_while_copying() -> None:
        with store.transaction() as connection:
            rows = workflow_rows(20_000, relation_id=999_999)  # a broken reference too
            bulk.insert(connection, s.workflows, rows, 1)
            raise ValueError("eigen fout")  # while the COPY runs on

    with pytest.raises(ValueError, match="eigen fout"):
        failing_while_copying()
    assert count(store_url, "workflows") == workflows
    with store.transaction(rollback=True) as connection:
        assert bulk._RUNNING not in connection.info


@on_postgresql
def test_an_engine_without_the_store_s_events_copies_at_once(store_url: str) -> None:
    migrated(store_url)
    engine = sa.create_engine(store_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            run = connection.exec_driver_sql(
                "INSERT INTO import_runs (kind, as_of, started_at, outcome, all_or_nothing,"
                " tool_version) VALUES ('import', '2026-11-29', now(), 'running', false, 't')"
                " RETURNING id"
            ).scalar_one()
            group = bulk.insert(
                connection,
                s.relation_groups,
                pd.DataFrame({"name": ["Groep"], "name_key": ["groep"]}),
                run,
            )
            assert bulk._RUNNING not in connection.info
            assert connection.exec_driver_sql("SELECT id FROM relation_groups").all() == [
                (group[0],)
            ]
    finally:
        engine.dispose()


def foreign_keys(connection: Connection, table: str) -> set[str]:
    return set(
        connection.execute(
            sa.text(
                "SELECT conname FROM pg_constraint"
                " WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'"
            ),
            {"table": table},
        ).scalars()
    )


@on_postgresql
def test_keys_set_aside_stay_aside_for_the_run_and_come_back_at_its_commit(
    store_url: str,
) -> None:
    """The later slices of a large import insert without triggers, whatever their size; the
    commit adds the keys back once and checks every row then, also a small insert's."""
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    store = Store(store_url)
    with store.transaction() as connection:
        keys = foreign_keys(connection, "workflows")
        bulk.insert(connection, s.workflows, workflow_rows(bulk.CHECK_AFTER_MIN_ROWS), 1)
        assert foreign_keys(connection, "workflows") == set()
        assert bulk.set_keys_aside(connection, s.workflows, 1, 10**6)  # a small insert later
        more = workflow_rows(3).assign(workflow_key=lambda f: "later-" + f["workflow_key"])
        bulk.insert(connection, s.workflows, more, 1)
        assert foreign_keys(connection, "workflows") == set()
    with store.reading() as connection:
        assert foreign_keys(connection, "workflows") == keys

    def broken_later() -> None:
        with store.transaction() as connection:
            bulk.insert(
                connection,
                s.workflows,
                workflow_rows(30_000, 1).assign(workflow_key=lambda f: "big-" + f["workflow_key"]),
                1,
            )
            broken = workflow_rows(1, relation_id=999_999).assign(workflow_key="kapot")
            bulk.insert(connection, s.workflows, broken, 1)  # too small to set keys aside

    workflows = count(store_url, "workflows")
    with pytest.raises(StoreError, match="fk_workflows_relation_id_relations") as refused:
        broken_later()
    assert foreign_key_violation(refused.value)
    assert count(store_url, "workflows") == workflows
    with store.reading() as connection:
        assert foreign_keys(connection, "workflows") == keys


@on_postgresql
def test_keys_a_savepoint_rollback_brought_back_are_not_added_twice(store_url: str) -> None:
    migrated(store_url)
    before = keys_and_indexes(store_url)
    with Store(store_url).transaction() as connection:
        savepoint = connection.begin_nested()
        assert bulk.set_keys_aside(connection, s.products, 10**6, 0)
        savepoint.rollback()  # the drop with it
        assert foreign_keys(connection, "products")
        assert bulk.set_keys_aside(connection, s.workflows, 10**6, 0)
    assert keys_and_indexes(store_url) == before


@on_postgresql
def test_a_sliced_import_sets_keys_aside_once_per_table(
    store_url: str, taken: list[tuple[str, bool]]
) -> None:
    migrated(store_url)
    before = keys_and_indexes(store_url)
    result = import_workbook(SAMPLE, db=store_url, as_of=AS_OF, clients_per_slice=5)
    assert result.ok
    workflows = [aside for table, aside in taken if table == "workflows"]
    assert len(workflows) > 3
    assert all(workflows)
    assert keys_and_indexes(store_url) == before
