"""A store that cannot be used ends the run with a Dutch message, never a traceback: wrong use
of --db (exit 2), a file that is no database, a full disk, an unknown schema (exit 3). A
password in the URL is never shown, in either form."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import click
import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import Engine

from kantoor_batch.cli import main
from kantoor_batch.errors import StoreError, WrongUseError
from kantoor_batch.store.database import Store, describe
from tests.builders import valid_book
from tests.store.conftest import PG_ENV

AS_OF = "2026-11-29"


def run(*args: str) -> click.testing.Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def import_into(tmp_path: Path, db: str, *extra: str) -> click.testing.Result:
    source = valid_book().write(tmp_path / "klanten.xlsx")
    return run("import", str(source), "--db", db, "--as-of", AS_OF, "-d", str(tmp_path), *extra)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://kantoor:geheim@db/klanten",
        "postgresql://kantoor@db/klanten?password=geheim",
        "postgresql://kantoor@db/klanten?sslmode=require&PASSWORD=geheim",
        "postgresql://kantoor:geheim@db:poort/klanten?password=geheim",  # not parseable
    ],
)
def test_a_password_is_never_part_of_the_described_url(url: str) -> None:
    """user:pw@ and ?password=... alike, also in a URL SQLAlchemy cannot parse."""
    shown = describe(url)
    assert "geheim" not in shown
    assert "***" in shown


@pytest.mark.filterwarnings("ignore:Query string argument:sqlalchemy.exc.SAWarning")
def test_a_password_in_the_query_is_masked_in_terminal_json_and_summary_sheet(
    store_url: str, tmp_path: Path
) -> None:
    """The password parameter reaches the driver but no output (SQLite ignores it, the
    PostgreSQL test server trusts its users)."""
    url = store_url + ("&" if "?" in store_url else "?") + "password=geheim"
    for extra in ([], ["--json"]):
        result = import_into(tmp_path, url, *extra)
        assert result.exit_code == 0, result.output
        assert "geheim" not in result.output
        assert "password=***" in result.output
    summary = openpyxl.load_workbook(tmp_path / "klanten-resultaat.xlsx")["Samenvatting"]
    assert not any("geheim" in str(c.value) for row in summary.iter_rows() for c in row)


@pytest.mark.parametrize("db", [":memory:", "sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_store_is_refused(tmp_path: Path, db: str) -> None:
    """It would report success and keep nothing: exit 2."""
    result = import_into(tmp_path, db)
    assert result.exit_code == 2
    assert "in het geheugen" in result.output
    assert not (tmp_path / "klanten-resultaat.xlsx").exists()


def test_the_workbook_given_as_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    """--db klanten.xlsx: exit 2, and the workbook is not turned into a database."""
    # Another file than the import's own klanten.xlsx, which import_into writes again (a
    # second later, with another timestamp inside).
    workbook = valid_book().write(tmp_path / "database.xlsx")
    before = workbook.read_bytes()
    result = import_into(tmp_path, str(workbook))
    assert result.exit_code == 2
    assert "geen database maar een .xlsx-bestand" in result.output
    assert workbook.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (os.urandom(8192), "geen SQLite-database"),
        (b"SQLite format 3\x00" + os.urandom(8176), "SQLite-database"),
    ],
    ids=["random-bytes", "damaged-after-header"],
)
def test_a_file_that_is_no_database_ends_in_a_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    """Exit 3, the file left as it was."""
    db = tmp_path / "kantoor.db"
    db.write_bytes(content)
    result = import_into(tmp_path, str(db))
    assert result.exit_code == 3
    assert "Fout: De database" in result.output
    assert expected in result.output or "beschadigd" in result.output
    assert db.read_bytes() == content


@pytest.mark.parametrize(
    ("db", "code", "expected"),
    [
        ("postgresql://kantoor@server:abc/klanten", 2, "geen bruikbare database-URL"),
        ("postgresql://kantoor@[::1/klanten", 2, "geen bruikbare database-URL"),
        ("mysql://kantoor@server/klanten", 2, "werkt met SQLite en PostgreSQL"),
        ("onzin://x", 2, "werkt met SQLite en PostgreSQL"),
        ("sqlite:///k.db?timeout=abc", 2, "geen bruikbare database-URL"),
        ("postgresql://kantoor@127.0.0.1:1/klanten", 3, "niet bereikbaar"),
    ],
)
def test_a_malformed_store_url_ends_in_a_message(
    tmp_path: Path, db: str, code: int, expected: str
) -> None:
    """Bad port, unknown scheme, bad query: wrong use (2); a server that is not there: 3."""
    result = import_into(tmp_path, db)
    assert result.exit_code == code, result.output
    assert expected in result.output


def test_an_unknown_connection_option_on_postgresql_ends_in_a_message(tmp_path: Path) -> None:
    """libpq refuses ?onzin=1: exit 3 with its reason."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"needs {PG_ENV}")
    result = import_into(tmp_path, base + ("&" if "?" in base else "?") + "onzin=1")
    assert result.exit_code == 3
    assert "onzin" in result.output


def test_a_full_disk_under_sqlite_stores_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite may not grow past a few pages (as on a full disk): exit 3, 'de schijf is vol',
    and no relation in the store."""
    small = Store._engine

    def tiny(self: Store) -> Engine:
        engine = small(self)

        @sa.event.listens_for(engine, "connect")
        def _limit(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.execute("PRAGMA max_page_count = 40")

        return engine

    monkeypatch.setattr(Store, "_engine", tiny)
    db = tmp_path / "kantoor.db"
    source = tmp_path / "veel.xlsx"
    book = valid_book()
    for i in range(300):
        book = book.add(
            "Relaties", Relatienummer=f"{2000 + i}", Soort="Persoon", Naam=f"Persoon {i} " * 8
        )
    book.write(source)
    result = run("import", str(source), "--db", str(db), "--as-of", AS_OF, "-d", str(tmp_path))
    assert result.exit_code == 3, result.output
    assert "de schijf is vol" in result.output
    assert "Er is niets opgeslagen" in result.output
    with sqlite3.connect(db) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "relations" in tables:
            assert connection.execute("SELECT count(*) FROM relations").fetchone() == (0,)


def test_a_store_of_an_unknown_schema_version_ends_in_a_message(tmp_path: Path) -> None:
    """A SQLite file whose alembic_version is not ours (another program, a newer version)."""
    db = tmp_path / "ander.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('ffffffffffff')")
    result = import_into(tmp_path, str(db))
    assert result.exit_code == 3
    assert "schemaversie" in result.output


def test_the_library_raises_its_own_errors_for_these(tmp_path: Path) -> None:
    """Store() itself: WrongUseError and StoreError, both KantoorBatchError."""
    with pytest.raises(WrongUseError):
        Store(":memory:")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 10)
    with pytest.raises(StoreError):
        Store(str(junk))


def test_the_json_of_a_refused_store_is_not_printed_half(tmp_path: Path) -> None:
    """--json with a wrong --db: only the message, on exit 2."""
    result = import_into(tmp_path, ":memory:", "--json")
    assert result.exit_code == 2
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.output)
