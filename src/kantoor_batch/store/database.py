"""Opening the store, its schema (Alembic), and the one transaction an import runs in.

SQLite by default (kantoor.db in the working directory); PostgreSQL through psycopg 3 with the
same code. A plain `postgresql://user@host/db` URL is taken as users type it.

Two imports into one store never interleave: the transaction starts by taking the store's write
lock (BEGIN IMMEDIATE on SQLite, an advisory transaction lock on PostgreSQL), so the second one
waits until the first has committed, and then sees what the first stored.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from kantoor_batch.errors import StoreUnavailableError

DEFAULT_DB_FILE = "kantoor.db"
DB_ENV_VAR = "KANTOOR_BATCH_DB"
SQLITE_BUSY_SECONDS = 600  # how long a second import waits for the first on SQLite
IMPORT_LOCK_KEY = 7_305_061_227  # pg_advisory_xact_lock key shared by every kantoor-batch
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(url: str | None) -> str:
    """--db, else KANTOOR_BATCH_DB, else kantoor.db here; a bare path means a SQLite file."""
    url = url or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_FILE
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


def describe(url: str) -> str:
    """The URL without a password, for messages."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


class Store:
    """An opened store. Nothing is read or written until a transaction starts."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        try:
            parsed = sa.engine.make_url(self.url)
        except sa.exc.ArgumentError as exc:
            raise StoreUnavailableError(self.url, "dit is geen geldige database-URL") from exc
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.sqlite_path = Path(parsed.database) if self.is_sqlite and parsed.database else None
        self.engine = self._engine()

    def _engine(self) -> Engine:
        if not self.is_sqlite:
            try:
                return sa.create_engine(self.url, pool_pre_ping=True)
            except ImportError as exc:  # pragma: no cover - psycopg is a dependency
                raise StoreUnavailableError(describe(self.url), str(exc)) from exc
        engine = sa.create_engine(self.url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    @contextmanager
    def transaction(
        self, *, rollback: bool = False, on_wait: Callable[[], None] | None = None
    ) -> Iterator[Connection]:
        """One locked transaction; rolled back on an error, or always when rollback=True
        (a dry run). The schema is brought up to date inside it."""
        created = self.sqlite_path is not None and not self.sqlite_path.exists()
        try:
            with self.engine.connect() as connection:
                transaction = connection.begin()
                try:
                    self._lock(connection, on_wait)
                    migrate(connection)
                    yield connection
                except BaseException:
                    transaction.rollback()
                    raise
                if rollback:
                    transaction.rollback()
                else:
                    transaction.commit()
        except sa.exc.OperationalError as exc:
            raise StoreUnavailableError(describe(self.url), _reason(exc)) from exc
        finally:
            if rollback and created and self.sqlite_path is not None:
                self.engine.dispose()
                self.sqlite_path.unlink(missing_ok=True)  # a dry run leaves no new file behind

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A short read without the import lock (what the store knows before a run)."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except sa.exc.OperationalError as exc:
            raise StoreUnavailableError(describe(self.url), _reason(exc)) from exc

    def _lock(self, connection: Connection, on_wait: Callable[[], None] | None) -> None:
        if self.is_sqlite:
            return  # BEGIN IMMEDIATE took the write lock
        got = connection.execute(
            sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY}
        ).scalar_one()
        if not got:
            if on_wait is not None:
                on_wait()
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY}
            )

    def is_empty(self) -> bool:
        if self.sqlite_path is not None and not self.sqlite_path.exists():
            return True
        with self.reading() as connection:
            return not sa.inspect(connection).has_table("relations")


def open_existing(url: str | None = None) -> Store:
    """The store, which must exist already: a command that reads the store, or works on what
    an import stored (plan, runs), never creates an empty SQLite file from a mistyped --db."""
    store = Store(url)
    if store.sqlite_path is not None and not store.sqlite_path.exists():
        raise StoreUnavailableError(
            describe(store.url), "dit bestand bestaat niet; importeer eerst een werkmap"
        )
    return store


def migrate(connection: Connection) -> None:
    """Bring the schema to the newest version on this connection, inside its transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _reason(exc: sa.exc.OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in text:
        return "de database is bezet door een andere import; probeer het later opnieuw"
    return text.strip().splitlines()[0] if text.strip() else "onbekende fout"
