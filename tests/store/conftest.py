"""Stores for the import tests: a fresh SQLite file, and a fresh PostgreSQL schema when
KANTOOR_BATCH_TEST_DATABASE_URL is set (.ci/run sets it to this machine's server)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_ENV = "KANTOOR_BATCH_TEST_DATABASE_URL"


def _postgres_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty store, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kantoor.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (for example "
            "postgresql://postgres@127.0.0.1:5432/test)"
        )
    schema = f"kb_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()
