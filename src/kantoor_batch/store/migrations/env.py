"""Alembic environment. The store runs migrations on its own connection (database.py), inside
the transaction of the run, so that a dry run can roll even the schema back."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from kantoor_batch.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is not None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
else:  # `alembic` on the command line, for writing new migrations
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as cli_connection:
        context.configure(connection=cli_connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
