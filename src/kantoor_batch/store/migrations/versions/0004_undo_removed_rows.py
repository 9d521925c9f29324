"""undo of an undo: the rows an undo removed, kept whole

An undo deletes what its run created; to undo that undo, those rows must come back exactly,
ids included. undo_removed_rows keeps each removed row (its table, id and every column as
text in JSON), written by the undo in the same transaction as the delete.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "undo_removed_rows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("import_runs.id"), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("row_values", sa.Text(), nullable=False),
    )
    op.create_index("ix_undo_removed_rows_run_id", "undo_removed_rows", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_undo_removed_rows_run_id", table_name="undo_removed_rows")
    op.drop_table("undo_removed_rows")
