"""run kinds, who ran it, workflow deadlines and status

The ledger records planner runs and undos besides imports: import_runs gains `kind` (every
existing row was an import), `user_name`, and file_name and sha256 become optional (a planner
run reads no file). Workflows gain `due_date` (Uiterste datum) and `status` (open | gereed).

Batch mode, so that it runs on SQLite too, where a column cannot be made optional in place:
the table is copied to a new one. That runs inside the run's own transaction, with SQLite's
foreign keys on; see _without_foreign_key_checks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


@contextmanager
def _without_foreign_key_checks() -> Iterator[None]:
    """SQLite checks foreign keys when batch mode drops the old import_runs that every table
    points at; PRAGMA foreign_keys cannot be switched off inside a transaction, but the
    checks can be deferred to its end, by which time the copy carries every id again."""
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
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), nullable=False, server_default="import")
        )
        batch_op.add_column(sa.Column("user_name", sa.String(length=100), nullable=True))
        batch_op.alter_column("file_name", existing_type=sa.String(length=255), nullable=True)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=True)
        batch_op.create_check_constraint(
            "ck_import_runs_kind", "kind IN ('import', 'plan', 'undo')"
        )
    with op.batch_alter_table("workflows") as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="open")
        )


def downgrade() -> None:
    with op.batch_alter_table("workflows") as batch_op:
        batch_op.drop_column("status")
        batch_op.drop_column("due_date")
    # A planner run has no file; an older version requires one.
    op.execute("UPDATE import_runs SET file_name = '', sha256 = '' WHERE file_name IS NULL")
    with _without_foreign_key_checks(), op.batch_alter_table("import_runs") as batch_op:
        batch_op.drop_constraint("ck_import_runs_kind", type_="check")
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("file_name", existing_type=sa.String(length=255), nullable=False)
        batch_op.drop_column("user_name")
        batch_op.drop_column("kind")
