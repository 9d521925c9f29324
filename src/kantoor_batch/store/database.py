"""Opening the store, its schema (Alembic), and the one transaction an import runs in.

SQLite by default (kantoor.db in the working directory); PostgreSQL through psycopg 3 with the
same code. A plain `postgresql://user@host/db` URL is taken as users type it.

Two imports into one store never interleave: the transaction starts by taking the store's write
lock (BEGIN IMMEDIATE on SQLite, an advisory transaction lock on PostgreSQL), so the second one
waits until the first has committed, and then sees what the first stored.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection, Engine

from kantoor_batch.errors import (
    StoreBusyError,
    StoreError,
    StoreUnavailableError,
    WrongUseError,
)
from kantoor_batch.masking import printable, shown
from kantoor_batch.store.bulk import finish_loads_first

DEFAULT_DB_FILE = "kantoor.db"
DB_ENV_VAR = "KANTOOR_BATCH_DB"
# How long a run waits for another one holding the store before it stops (--wait); first it
# tries for a moment, so that it can say it waits instead of hanging without a word.
DEFAULT_WAIT_SECONDS = 600
FIRST_TRY_SECONDS = 0.2
IMPORT_LOCK_KEY = 7_305_061_227  # seed of the advisory lock key shared by every kantoor-batch
# The key is per schema: two stores in one PostgreSQL database (two offices, or two test runs)
# never wait for each other; runs against the same store always share one key.
LOCK_KEY_SQL = "hashtextextended(current_schema(), :key)"
MIGRATIONS = Path(__file__).parent / "migrations"
BACKENDS = ("sqlite", "postgresql")
_SQLITE_HEADER = b"SQLite format 3\x00"
# Files people hand to --db by mistake: the workbook itself, an export, the configuration.
_NOT_A_STORE = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt", ".toml")
# Query parameters that carry a secret (psycopg takes ?password=...; others are common).
_SECRET_KEYS = frozenset(
    {"password", "passwd", "pwd", "pass", "sslpassword", "secret", "token", "access_token"}
)
_SECRET_IN_TEXT = re.compile(
    r"(?i)(\b(?:" + "|".join(sorted(_SECRET_KEYS)) + r")=)[^&\s]*|(://[^/@:\s]*:)[^/@\s]*@"
)


def resolve_url(url: str | None) -> str:
    """--db, else KANTOOR_BATCH_DB, else kantoor.db here; a bare path means a SQLite file."""
    url = url or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_FILE
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


def describe(url: str) -> str:
    """The URL without a password, for messages: neither user:pw@ nor ?password=... is shown,
    also when the URL cannot be parsed."""
    try:
        parsed = sa.engine.make_url(url)
        query = {k: "***" if k.casefold() in _SECRET_KEYS else v for k, v in parsed.query.items()}
        text = parsed.set(query=query).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError, TypeError):
        text = url
    return printable(_SECRET_IN_TEXT.sub(_hide_secret, text))


def _hide_secret(match: re.Match[str]) -> str:
    return f"{match.group(1)}***" if match.group(1) else f"{match.group(2)}***@"


class Store:
    """An opened store. Nothing is read or written until a transaction starts."""

    def __init__(self, url: str | None = None, *, wait: float = DEFAULT_WAIT_SECONDS) -> None:
        """Raises WrongUseError for a --db that cannot be a store (a malformed URL, another
        database than SQLite or PostgreSQL, :memory:, a workbook) and StoreError for a file
        that is no SQLite database; nothing is opened yet. wait: seconds a run waits for
        another run that holds the store, then it stops (StoreBusyError)."""
        self.url = resolve_url(url)
        self.wait = wait
        self._on_wait: Callable[[], None] | None = None
        self._writing = False
        given = url or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_FILE
        try:
            parsed = sa.engine.make_url(self.url)
            backend = parsed.get_backend_name()
        except (sa.exc.ArgumentError, ValueError) as exc:
            raise _bad_url(given, exc) from exc
        if backend not in BACKENDS:
            raise WrongUseError(
                f"--db '{describe(given)}': kantoor-batch werkt met SQLite en PostgreSQL, "
                f"niet met '{shown(backend)}'. Geef een bestandsnaam (kantoor.db) of een URL "
                "als postgresql://gebruiker@server/kantoor."
            )
        self.is_sqlite = backend == "sqlite"
        self.sqlite_path = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.is_sqlite:
            _check_sqlite_file(given, parsed, self.sqlite_path)
        try:
            self.engine = self._engine()
        except (sa.exc.ArgumentError, ValueError, TypeError, ImportError) as exc:
            raise _bad_url(given, exc) from exc

    def _engine(self) -> Engine:
        if not self.is_sqlite:
            engine = sa.create_engine(self.url, pool_pre_ping=True)
            finish_loads_first(engine)  # PostgreSQL's COPY runs in the background (bulk.py)
            return engine
        return self._sqlite_engine(self.url)

    def _sqlite_engine(self, url: str) -> Engine:
        engine = sa.create_engine(url, connect_args={"timeout": FIRST_TRY_SECONDS})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            """BEGIN IMMEDIATE takes the write lock. Tried for a moment first: when another
            run holds it, the user is told that this one waits, for at most self.wait."""
            raw = connection.connection.dbapi_connection
            assert raw is not None  # noqa: S101 - a connection being begun has one
            raw.execute(f"PRAGMA busy_timeout = {int(FIRST_TRY_SECONDS * 1000)}")
            if not self._writing:  # a short read (reading()) takes no write lock
                raw.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")
                connection.exec_driver_sql("BEGIN")
                return
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except sa.exc.OperationalError as exc:
                if "locked" not in str(exc.orig).casefold():
                    raise
                if self._on_wait is not None:
                    self._on_wait()
                raw.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")
                try:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                except sa.exc.OperationalError as again:
                    if "locked" in str(again.orig).casefold():
                        raise StoreBusyError(describe(self.url), self.wait) from again
                    raise

        return engine

    @contextmanager
    def transaction(
        self, *, rollback: bool = False, on_wait: Callable[[], None] | None = None
    ) -> Iterator[Connection]:
        """One locked transaction; rolled back on an error, or always when rollback=True
        (a dry run). The schema is brought up to date inside it. A dry run on a SQLite file that
        does not exist yet runs on an empty store of its own in a temporary folder: it never
        creates (and then removes) the real file, which another run may be waiting for."""
        self._on_wait, self._writing = on_wait, True
        engine = self.engine
        scratch: tempfile.TemporaryDirectory[str] | None = None
        if rollback and self.sqlite_path is not None and not self.sqlite_path.exists():
            scratch = tempfile.TemporaryDirectory(prefix="kantoor-batch-proef-")
            engine = self._sqlite_engine(f"sqlite:///{Path(scratch.name) / 'proef.db'}")
        try:
            with engine.connect() as connection:
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
        except StoreBusyError:
            raise
        except self._errors(CommandError) as exc:
            raise _store_error(self.url, exc, self._driver_errors()) from exc
        finally:
            self._on_wait, self._writing = None, False
            if scratch is not None:
                engine.dispose()
                scratch.cleanup()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A short read without the import lock (what the store knows before a run)."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except self._errors() as exc:
            raise _store_error(self.url, exc, self._driver_errors()) from exc

    def _errors(self, *more: type[Exception]) -> tuple[type[Exception], ...]:
        return (sa.exc.SQLAlchemyError, *self._driver_errors(), *more)

    def _driver_errors(self) -> tuple[type[Exception], ...]:
        """The driver's own error classes: bulk writes use its cursor directly, so its errors
        reach here without SQLAlchemy's wrapping. (Error, OperationalError, InterfaceError)"""
        dbapi = getattr(self.engine.dialect, "loaded_dbapi", None)
        names = ("Error", "OperationalError", "InterfaceError")
        return tuple(getattr(dbapi, name) for name in names) if dbapi is not None else ()

    def _lock(self, connection: Connection, on_wait: Callable[[], None] | None) -> None:
        if self.is_sqlite:
            return  # BEGIN IMMEDIATE took the write lock
        got = connection.execute(
            sa.text(f"SELECT pg_try_advisory_xact_lock({LOCK_KEY_SQL})"), {"key": IMPORT_LOCK_KEY}
        ).scalar_one()
        if not got:
            if on_wait is not None:
                on_wait()
            # lock_timeout bounds the wait for an advisory lock too; LOCAL: this transaction.
            connection.execute(sa.text(f"SET LOCAL lock_timeout = {int(self.wait * 1000)}"))
            try:
                connection.execute(
                    sa.text(f"SELECT pg_advisory_xact_lock({LOCK_KEY_SQL})"),
                    {"key": IMPORT_LOCK_KEY},
                )
            except sa.exc.OperationalError as exc:
                if "lock timeout" in str(exc.orig).casefold():
                    raise StoreBusyError(describe(self.url), self.wait) from exc
                raise

    def is_empty(self) -> bool:
        if self.sqlite_path is not None and not self.sqlite_path.exists():
            return True
        with self.reading() as connection:
            return not sa.inspect(connection).has_table("relations")


def open_existing(url: str | None = None, *, wait: float = DEFAULT_WAIT_SECONDS) -> Store:
    """The store, which must exist already: a command that reads the store, or works on what
    an import stored (plan, runs), never creates an empty SQLite file from a mistyped --db."""
    store = Store(url, wait=wait)
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


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig) if orig is not None else str(exc)
    if "locked" in text:
        return "de database is bezet door een andere import; probeer het later opnieuw"
    return shown(text.strip().splitlines()[0]) if text.strip() else "onbekende fout"


# Driver messages that mean the store cannot be used at all, and what to tell the user.
_STORE_FAILURES = (
    (
        ("database or disk is full", "no space left on device", "could not extend file"),
        "de schijf is vol (of de database mag niet groter worden). Maak ruimte vrij en "
        "importeer opnieuw",
    ),
    (
        ("file is not a database", "file is encrypted"),
        "het bestand is geen SQLite-database. Kies met --db een ander bestand (of een nieuw: "
        "dan maakt kantoor-batch de database aan)",
    ),
    (
        ("database disk image is malformed",),
        "het databasebestand is beschadigd. Zet een reservekopie terug",
    ),
    (
        ("readonly database", "read-only", "read only"),
        "er mag niet in de database geschreven worden (alleen-lezen)",
    ),
    (
        ("can't locate revision",),
        "de database heeft een schemaversie die deze kantoor-batch niet kent (van een nieuwere "
        "versie of van een ander programma)",
    ),
)


def _store_error(
    url: str, exc: Exception, driver: tuple[type[Exception], ...] = ()
) -> StoreError | StoreUnavailableError:
    """The library's error for a failure of the store; the transaction was rolled back.
    driver: the driver's (Error, OperationalError, InterfaceError), as Store._driver_errors."""
    text = str(getattr(exc, "orig", None) or exc).casefold()
    for needles, reason in _STORE_FAILURES:
        if any(needle in text for needle in needles):
            return StoreError(describe(url), reason)
    if isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError, *driver[1:])):
        return StoreUnavailableError(describe(url), _reason(exc))
    return StoreError(describe(url), _reason(exc))


def _bad_url(url: str, exc: Exception) -> WrongUseError:
    return WrongUseError(
        f"--db '{describe(url)}' is geen bruikbare database-URL ({shown(str(exc))}). Geef een "
        "bestandsnaam (kantoor.db) of een URL als postgresql://gebruiker@server:5432/kantoor."
    )


def _check_sqlite_file(url: str, parsed: sa.engine.URL, path: Path | None) -> None:
    """What --db (url, as given) names must be able to hold the store after the run: a file
    on disk, not the memory of this process, not the workbook, and a SQLite database if it
    exists already."""
    database = parsed.database or ""
    if (
        path is None
        or database == ":memory:"
        or database.startswith("file::memory:")
        or parsed.query.get("mode") == "memory"
    ):
        raise WrongUseError(
            f"--db '{describe(url)}' is een database in het geheugen, die verdwijnt als de run "
            "klaar is: er zou niets worden opgeslagen. Geef een bestand, bijvoorbeeld --db "
            "kantoor.db, of een PostgreSQL-URL."
        )
    if path.suffix.casefold() in _NOT_A_STORE:
        raise WrongUseError(
            f"--db '{shown(str(path))}' is geen database maar een {path.suffix}-bestand. De "
            f"werkmap is het eerste argument: kantoor-batch import {shown(path.name)} --db "
            "kantoor.db"
        )
    try:
        status = path.stat()
    except OSError:
        return  # not there yet: the first import creates it
    if not stat.S_ISREG(status.st_mode):
        raise StoreError(describe(url), "dit is geen bestand (maar een map of een apparaat)")
    if status.st_size:
        try:
            with path.open("rb") as handle:
                header = handle.read(len(_SQLITE_HEADER))
        except OSError as exc:
            raise StoreUnavailableError(describe(url), shown(str(exc.strerror))) from exc
        if header != _SQLITE_HEADER:
            raise StoreError(describe(url), _STORE_FAILURES[1][1])
