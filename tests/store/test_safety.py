"""What happens when things go wrong around the store: a process killed halfway, two imports at
the same time. Run as real processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from kantoor_batch.errors import StoreBusyError
from kantoor_batch.importer import import_workbook
from kantoor_batch.store.database import IMPORT_LOCK_KEY, LOCK_KEY_SQL, Store
from tests.builders import OTHER_VALID_BSN, Book, valid_book
from tests.conftest import REPO

AS_OF = "2026-11-29"


def slow_import(
    seconds: float, workbook: Path, url: str, out: Path, *extra: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own test helper
        [
            sys.executable,
            "-m",
            "tests.store.slow_import",
            str(seconds),
            "import",
            str(workbook),
            "--db",
            url,
            "--as-of",
            AS_OF,
            "-d",
            str(out),
            *extra,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def wait_for_halfway(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "halfway":
            return
    raise AssertionError(f"the import ended before halfway (exit {process.wait()})")


def numbers(url: str, table: str) -> list[str]:
    with Store(url).reading() as connection:
        if not sa.inspect(connection).has_table(table):
            return []
        rows = connection.execute(sa.text(f"SELECT number FROM {table} ORDER BY number"))  # noqa: S608
        return [str(r[0]) for r in rows]


def test_a_process_killed_halfway_leaves_no_half_stored_client(
    store_url: str, tmp_path: Path
) -> None:
    """Killed after the relations were written: nothing of the run is in the store, and the
    next import stores everything."""
    workbook = valid_book().write(tmp_path / "a.xlsx")
    process = slow_import(60, workbook, store_url, tmp_path)
    wait_for_halfway(process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert numbers(store_url, "relations") == []
    assert numbers(store_url, "contacts") == []
    again = slow_import(0, workbook, store_url, tmp_path)
    output = again.communicate(timeout=120)[0]
    assert again.returncode == 0, output
    assert numbers(store_url, "relations") == ["0101", "0101"]  # the BV and its owner


def test_two_imports_at_the_same_time_never_share_a_number(store_url: str, tmp_path: Path) -> None:
    """The second waits for the first and then numbers its new contacts after the first's
    (numbers from one range, the scheme where two runs could reach for the same number)."""
    config = tmp_path / "kantoor.toml"
    config.write_text('[numbering]\nscheme = "range"\nrange_start = 900\n')
    first = valid_book().add(
        "Relaties", Relatienummer="0102", Soort="Organisatie", Naam="Tweede BV", Rechtsvorm="BV"
    )
    first = first.add(
        "Contacten", Relatienummer="0102", Soort_contact="Ondernemer", Achternaam="Smit"
    )
    first = first.add(
        "Contacten",
        Relatienummer="0102",
        Soort_contact="Fiscaal partner",
        Achternaam="Smit",
        BSN=OTHER_VALID_BSN,
    )
    second = Book(
        {
            "Relaties": [
                {
                    "Relatienummer": "0100",
                    "Soort": "Organisatie",
                    "Naam": "Derde BV",
                    "Rechtsvorm": "BV",
                }
            ],
            "Contacten": [
                {"Relatienummer": "0100", "Soort contact": "Ondernemer", "Achternaam": "Visser"},
                {
                    "Relatienummer": "0100",
                    "Soort contact": "Fiscaal partner",
                    "Achternaam": "Visser",
                },
            ],
        }
    )
    with_range = ("--config", str(config))
    a = slow_import(3, first.write(tmp_path / "a.xlsx"), store_url, tmp_path, *with_range)
    wait_for_halfway(a)
    b = slow_import(0, second.write(tmp_path / "b.xlsx"), store_url, tmp_path, *with_range)
    started = time.monotonic()
    out_a = a.communicate(timeout=120)[0]
    out_b = b.communicate(timeout=120)[0]
    assert a.returncode == 0, out_a
    assert b.returncode == 0, out_b
    assert time.monotonic() - started >= 1  # b could not finish while a held the store
    contact_numbers = numbers(store_url, "contacts")
    assert len(contact_numbers) == len(set(contact_numbers)) == 5
    assert contact_numbers == ["0100", "0101", "0102", "900", "901"]


def test_a_run_waiting_for_a_locked_sqlite_store_says_so_and_stops_in_time(
    tmp_path: Path,
) -> None:
    """Another process holds the write lock: the import says it waits, then stops cleanly."""
    db = tmp_path / "kantoor.db"
    import_workbook(
        valid_book().write(tmp_path / "a.xlsx"), db=str(db), as_of=dt.date(2026, 11, 29)
    )
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    told: list[str] = []
    started = time.monotonic()
    try:
        with pytest.raises(StoreBusyError, match="bezet door een andere run"):
            import_workbook(
                valid_book().write(tmp_path / "b.xlsx"),
                db=str(db),
                as_of=dt.date(2026, 11, 29),
                wait=1,
                on_wait=lambda: told.append("wacht"),
            )
    finally:
        holder.rollback()
        holder.close()
    assert told == ["wacht"]
    assert time.monotonic() - started < 10


def test_a_dry_run_on_a_new_store_never_creates_its_file(tmp_path: Path) -> None:
    """Not even for a moment: a real run waiting for that file would lose it."""
    db = tmp_path / "nieuw.db"
    seen: list[bool] = []
    import_workbook(
        valid_book().write(tmp_path / "a.xlsx"),
        db=str(db),
        as_of=dt.date(2026, 11, 29),
        dry_run=True,
        progress=lambda stage: seen.append(db.exists()),
    )
    assert seen
    assert not any(seen)
    assert not db.exists()


def test_a_run_waiting_for_a_busy_postgresql_store_stops_in_time(
    store_url: str, tmp_path: Path
) -> None:
    """The advisory lock held by another session: exit through StoreBusyError after --wait."""
    if not store_url.startswith("postgresql"):
        pytest.skip("the advisory lock is PostgreSQL's; SQLite has its own test above")
    store = Store(store_url, wait=1)
    told: list[str] = []
    with store.engine.connect() as holder:
        holder.execute(
            sa.text(f"SELECT pg_advisory_lock({LOCK_KEY_SQL})"), {"key": IMPORT_LOCK_KEY}
        )
        try:
            with pytest.raises(StoreBusyError):
                import_workbook(
                    valid_book().write(tmp_path / "a.xlsx"),
                    db=store_url,
                    as_of=dt.date(2026, 11, 29),
                    wait=1,
                    on_wait=lambda: told.append("wacht"),
                )
        finally:
            holder.execute(
                sa.text(f"SELECT pg_advisory_unlock({LOCK_KEY_SQL})"), {"key": IMPORT_LOCK_KEY}
            )
    assert told == ["wacht"]


def test_two_stores_in_one_postgresql_database_do_not_wait_for_each_other(
    store_url: str, tmp_path: Path
) -> None:
    """The lock key is per schema: a run holding one office's store never blocks another's."""
    if not store_url.startswith("postgresql"):
        pytest.skip("schemas in one database are PostgreSQL's")
    other_schema = f"kb_test_{uuid.uuid4().hex[:12]}"
    base = store_url.split("?", maxsplit=1)[0]
    engine = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {other_schema}")
    other_url = f"{base}?options=-csearch_path%3D{other_schema}"
    told: list[str] = []
    try:
        with Store(store_url).engine.connect() as holder:
            key = {"key": IMPORT_LOCK_KEY}
            holder.execute(sa.text(f"SELECT pg_advisory_lock({LOCK_KEY_SQL})"), key)
            try:
                result = import_workbook(
                    valid_book().write(tmp_path / "a.xlsx"),
                    db=other_url,
                    as_of=dt.date(2026, 11, 29),
                    wait=1,
                    on_wait=lambda: told.append("wacht"),
                )
            finally:
                holder.execute(sa.text(f"SELECT pg_advisory_unlock({LOCK_KEY_SQL})"), key)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {other_schema} CASCADE")
        engine.dispose()
    assert told == []
    assert result.outcome == "completed"
