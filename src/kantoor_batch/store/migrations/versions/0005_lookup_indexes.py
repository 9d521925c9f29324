"""indexes for the lookups every import makes: relations by number, contacts by BSN

An import looks its clients up by relation number whatever their kind, and R4 finds a person
by BSN; the only index on relations.number led with kind, and contacts.bsn had none, so each
lookup read the whole table. Taken a slice of clients at a time (issue 14), a million clients
made that forty whole-table reads of two tables growing to millions of rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_relations_number", "relations", ["number"])
    op.create_index("ix_contacts_bsn", "contacts", ["bsn"])


def downgrade() -> None:
    op.drop_index("ix_contacts_bsn", table_name="contacts")
    op.drop_index("ix_relations_number", table_name="relations")
