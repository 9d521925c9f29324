"""The run ledger and its migration: run kinds, who ran it, a store of the first version
upgraded with its data kept; on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from kantoor_batch.importer import import_workbook
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import MIGRATIONS, Store
from kantoor_batch.store.ledger import current_user, finish_run, start_run
from tests.builders import valid_book
from tests.conftest import AS_OF

STARTED = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)


def _upgrade_to(store: Store, revision: str) -> None:
    with store.engine.connect() as connection, connection.begin():
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _fill_first_version(store: Store) -> None:
    """What an import of the first version left: a run, a relation and its workflow."""
    statements = [
        "INSERT INTO import_runs (id, file_name, sha256, as_of, started_at, outcome, "
        "all_or_nothing, tool_version) VALUES (1, 'klanten.xlsx', 'ab12', '2026-03-31', "
        "'2026-03-31 10:00:00+00:00', 'completed', 1 = 0, '0.1.0')",  # false on both
        "INSERT INTO relations (id, kind, number, name, country, financial_year_start, "
        "created_run_id) VALUES (1, 'organisation', '0101', 'Bakkerij', 'NL', '01-01', 1)",
        "INSERT INTO workflows (id, relation_id, workflow_key, product, name, period, "
        "period_start, period_end, created_run_id) VALUES (1, 1, 'Aangifte OB|2026-K1', "
        "'Aangifte OB', 'Aangifte OB 2026-K1', '2026-K1', '2026-01-01', '2026-03-31', 1)",
    ]
    with store.engine.connect() as connection, connection.begin():
        for statement in statements:
            connection.exec_driver_sql(statement)


def test_a_store_of_the_first_version_is_upgraded_with_its_data_kept(store_url: str) -> None:
    """0001 -> head: old runs are imports, old workflows open without a deadline."""
    store = Store(store_url)
    _upgrade_to(store, "0001")
    _fill_first_version(store)
    with store.transaction() as connection:  # brings the schema to head
        runs = connection.execute(
            sa.select(
                s.import_runs.c.id,
                s.import_runs.c.kind,
                s.import_runs.c.file_name,
                s.import_runs.c.sha256,
                s.import_runs.c.user_name,
            )
        ).all()
        workflows = connection.execute(
            sa.select(s.workflows.c.workflow_key, s.workflows.c.due_date, s.workflows.c.status)
        ).all()
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [tuple(r) for r in runs] == [(1, "import", "klanten.xlsx", "ab12", None)]
    assert [tuple(r) for r in workflows] == [("Aangifte OB|2026-K1", None, "open")]
    assert version[0][0] != "0001"


def test_the_upgraded_store_keeps_its_foreign_keys_whole(tmp_path: Path) -> None:
    """SQLite copies import_runs to a new table: every reference still finds its run."""
    store = Store(f"sqlite:///{tmp_path / 'oud.db'}")
    _upgrade_to(store, "0001")
    _fill_first_version(store)
    with store.transaction() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_a_dry_run_on_an_old_store_leaves_it_at_its_version(tmp_path: Path) -> None:
    """The migration is part of the run's transaction: a dry run rolls it back too."""
    store = Store(f"sqlite:///{tmp_path / 'oud.db'}")
    _upgrade_to(store, "0001")
    with store.transaction(rollback=True):
        pass
    with store.reading() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert version == [("0001",)]


def test_a_planner_run_is_a_ledger_row_without_a_file(store_url: str) -> None:
    """kind 'plan', no file name or checksum, and who ran it."""
    store = Store(store_url)
    with store.transaction() as connection:
        run_id = start_run(
            connection,
            file_name=None,
            sha256=None,
            as_of=AS_OF,
            started_at=STARTED,
            all_or_nothing=False,
            kind=s.PLAN_RUN,
            user_name="marieke",
        )
        finish_run(connection, run_id, "completed", {"Workflows": {"aangemaakt": 3}})
    with store.reading() as connection:
        row = connection.execute(sa.select(s.import_runs)).one()
    assert (row.kind, row.file_name, row.sha256, row.user_name) == (
        "plan",
        None,
        None,
        "marieke",
    )
    assert row.counts == {"Workflows": {"aangemaakt": 3}}


def test_an_import_is_recorded_as_kind_import_with_who_ran_it(
    store_url: str, tmp_path: Path
) -> None:
    """The import's ledger row says import, and the user getpass finds."""
    import_workbook(valid_book().write(tmp_path / "klanten.xlsx"), db=store_url, as_of=AS_OF)
    with Store(store_url).reading() as connection:
        row = connection.execute(sa.select(s.import_runs)).one()
    assert (row.kind, row.file_name, row.user_name) == ("import", "klanten.xlsx", current_user())


def test_an_unknown_run_kind_is_refused(tmp_path: Path) -> None:
    """Only import, plan and undo are run kinds."""
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    with store.transaction(rollback=True) as connection, pytest.raises(ValueError, match="kind"):
        start_run(
            connection,
            file_name=None,
            sha256=None,
            as_of=AS_OF,
            started_at=STARTED,
            all_or_nothing=False,
            kind="export",
        )


def test_without_a_user_name_the_run_records_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """A service without LOGNAME, USER or a password entry records no user, never fails."""

    def no_user() -> str:
        raise OSError("no user")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert current_user() is None
