"""undo: the run an undo reverted, and the changes of one row

import_runs gains `undoes_run_id`: on a run of kind 'undo', the run it reverted. A run is
undone when an undo points at it (an undo commits in one transaction, so such a row is always
complete). Batch mode, as in 0002, so that SQLite gets the foreign key too. import_changes gains
an index on (entity, entity_id, run_id): an undo looks up which runs changed a row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:30:00
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


@contextmanager
def _without_foreign_key_checks() -> Iterator[None]:
    """As in 0002: SQLite's batch mode copies import_runs, which every table points at."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    bind.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    try:
        yield
    finally:
        bind.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")


def upgrade() -> None:
    with _without_foreign_key_checks(), op.batch_alter_table("import_runs") as batch_op:
        batch_op.add_column(sa.Column("undoes_run_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_import_runs_undoes_run_id_import_runs", "import_runs", ["undoes_run_id"], ["id"]
        )
    op.create_index(
        "ix_import_changes_entity_row", "import_changes", ["entity", "entity_id", "run_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_import_changes_entity_row", table_name="import_changes")
    with _without_foreign_key_checks(), op.batch_alter_table("import_runs") as batch_op:
        batch_op.drop_constraint("fk_import_runs_undoes_run_id_import_runs", type_="foreignkey")
        batch_op.drop_column("undoes_run_id")
