"""The schema: Alembic migrations create exactly the tables the code uses."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kantoor_batch.store.database import Store, resolve_url
from kantoor_batch.store.schema import metadata


def test_the_migrations_build_the_schema_the_code_declares(store_url: str) -> None:
    """Upgrading an empty store to head leaves no difference with schema.py."""
    store = Store(store_url)
    with store.transaction() as connection:
        pass  # the transaction brings the schema to head
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, metadata) == []


def test_a_plain_postgresql_url_is_taken_as_users_type_it() -> None:
    """postgresql://user@host/db means psycopg 3; a bare path means a SQLite file."""
    assert resolve_url("postgresql://kantoor@db.local/klanten") == (
        "postgresql+psycopg://kantoor@db.local/klanten"
    )
    assert resolve_url("klanten.db") == "sqlite:///klanten.db"
    assert resolve_url("sqlite:////tmp/k.db") == "sqlite:////tmp/k.db"
