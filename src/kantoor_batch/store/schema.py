"""The tables of the store (SQLAlchemy Core). Alembic migrations create and upgrade them;
this module is what code and the first migration share.

Every client table carries created_run_id and updated_run_id, pointing at the run ledger
(import_runs: imports, planner runs and undos, by kind), so that history and undo can be built
on what each run created; import_changes holds the old and new value of every field a run
changed. Uniqueness (R2) is enforced here, by the database.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ORGANISATION = "organisation"
PERSON = "person"

# What a ledger row records (import_runs.kind).
IMPORT_RUN = "import"
PLAN_RUN = "plan"
UNDO_RUN = "undo"
RUN_KINDS = (IMPORT_RUN, PLAN_RUN, UNDO_RUN)
# The status of a workflow: open when created, gereed when the work is done.
WORKFLOW_OPEN = "open"
WORKFLOW_DONE = "gereed"


def _run_columns() -> list[sa.Column[int]]:
    return [
        sa.Column("created_run_id", sa.Integer, sa.ForeignKey("import_runs.id"), nullable=False),
        sa.Column("updated_run_id", sa.Integer, sa.ForeignKey("import_runs.id")),
    ]


import_runs = sa.Table(
    "import_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # import (a workbook) | plan (the planner rules) | undo; RUN_KINDS
    sa.Column("kind", sa.String(10), nullable=False, server_default=IMPORT_RUN),
    sa.Column("file_name", sa.String(255)),  # the workbook of an import; none for a plan run
    sa.Column("sha256", sa.String(64)),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    # running -> completed | partial (bundles skipped) | rejected (nothing stored) | failed
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("all_or_nothing", sa.Boolean, nullable=False),
    sa.Column("counts", sa.JSON),
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("user_name", sa.String(100)),  # who ran it (the operating system's user)
    # An undo: the run it reverted (migration 0003). A run is undone when an undo points at it.
    sa.Column("undoes_run_id", sa.Integer, sa.ForeignKey("import_runs.id")),
    sa.CheckConstraint("kind IN ('import', 'plan', 'undo')", name="ck_import_runs_kind"),
)

import_changes = sa.Table(
    "import_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("import_runs.id"), nullable=False, index=True),
    sa.Column("entity", sa.String(40), nullable=False),
    sa.Column("entity_id", sa.Integer, nullable=False),
    sa.Column("entity_key", sa.String(255), nullable=False),
    sa.Column("field", sa.String(60), nullable=False),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
    # What runs changed one row (undo: later runs, updated_run_id); migration 0003.
    sa.Index("ix_import_changes_entity_row", "entity", "entity_id", "run_id"),
)

# The rows an undo removed, whole, so that the undo itself can be undone (migration 0004):
# one row per removed row, its columns as the ledger writes values (undoing.as_text), in JSON.
undo_removed_rows = sa.Table(
    "undo_removed_rows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("import_runs.id"), nullable=False, index=True),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("entity_id", sa.Integer, nullable=False),
    sa.Column("row_values", sa.Text, nullable=False),
)

relation_groups = sa.Table(
    "relation_groups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("name_key", sa.String(255), nullable=False, unique=True),  # casefolded
    sa.Column("description", sa.Text),
    *_run_columns(),
)

employees = sa.Table(
    "employees",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("code_key", sa.String(40), nullable=False, unique=True),  # casefolded
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("email", sa.String(255)),
    *_run_columns(),
)

integrations = sa.Table(
    "integrations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("active", sa.Boolean, nullable=False),
)

contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("number", sa.String(40), nullable=False, unique=True),
    sa.Column("initials", sa.String(40)),
    sa.Column("first_name", sa.String(100)),
    sa.Column("infix", sa.String(40)),
    sa.Column("last_name", sa.String(200), nullable=False),
    sa.Column("birth_date", sa.Date),
    sa.Column("bsn", sa.String(9)),
    sa.Column("email", sa.String(255)),
    sa.Column("phone", sa.String(40)),
    *_run_columns(),
    # R4 finds a person by BSN on every import (migration 0005).
    sa.Index("ix_contacts_bsn", "bsn"),
)

relations = sa.Table(
    "relations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("number", sa.String(40), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("legal_form", sa.String(40)),
    sa.Column("kvk_number", sa.String(8)),
    sa.Column("establishment_number", sa.String(12)),
    sa.Column("fiscal_number", sa.String(9)),
    sa.Column("vat_number", sa.String(12)),
    sa.Column("vat_id", sa.String(14)),
    sa.Column("payroll_tax_number", sa.String(12)),
    sa.Column("iban", sa.String(34)),
    sa.Column("email", sa.String(255)),
    sa.Column("phone", sa.String(40)),
    sa.Column("street", sa.String(255)),
    sa.Column("house_number", sa.String(20)),
    sa.Column("house_number_suffix", sa.String(20)),
    sa.Column("postcode", sa.String(20)),
    sa.Column("city", sa.String(100)),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("financial_year_start", sa.String(5), nullable=False),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("relation_groups.id")),
    sa.Column("integration_id", sa.Integer, sa.ForeignKey("integrations.id")),
    # A person relation derived from a contact (R5), and the relation that contact came from.
    sa.Column("derived_from_contact_id", sa.Integer, sa.ForeignKey("contacts.id")),
    sa.Column("source_relation_id", sa.Integer, sa.ForeignKey("relations.id")),
    *_run_columns(),
    sa.UniqueConstraint("kind", "number", name="uq_relations_kind_number"),
    # Looked up by number alone (either kind) on every import (migration 0005).
    sa.Index("ix_relations_number", "number"),
    sa.CheckConstraint("kind IN ('organisation', 'person')", name="ck_relations_kind"),
)

relation_contacts = sa.Table(
    "relation_contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("relation_id", sa.Integer, sa.ForeignKey("relations.id"), nullable=False),
    sa.Column("contact_id", sa.Integer, sa.ForeignKey("contacts.id"), nullable=False),
    sa.Column("contact_type", sa.String(40), nullable=False),
    sa.Column("is_primary", sa.Boolean, nullable=False),
    *_run_columns(),
    sa.UniqueConstraint("relation_id", "contact_id", name="uq_relation_contacts_pair"),
)

products = sa.Table(
    "products",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("relation_id", sa.Integer, sa.ForeignKey("relations.id"), nullable=False),
    sa.Column("product", sa.String(100), nullable=False),
    sa.Column("period_type", sa.String(20), nullable=False),
    sa.Column("start_period", sa.String(20), nullable=False),
    sa.Column("sbr", sa.Boolean, nullable=False),
    *_run_columns(),
    sa.UniqueConstraint("relation_id", "product", name="uq_products_relation_product"),
)

workflows = sa.Table(
    "workflows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("relation_id", sa.Integer, sa.ForeignKey("relations.id"), nullable=False),
    sa.Column("workflow_key", sa.String(160), nullable=False),
    sa.Column("product", sa.String(100)),  # empty for an onboarding workflow
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("period", sa.String(20)),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("due_date", sa.Date),  # Uiterste datum (deadlines.py); none for onboarding
    # open | gereed (done); WORKFLOW_OPEN when created
    sa.Column("status", sa.String(20), nullable=False, server_default=WORKFLOW_OPEN),
    *_run_columns(),
    sa.UniqueConstraint("relation_id", "workflow_key", name="uq_workflows_relation_key"),
)

planner_rules = sa.Table(
    "planner_rules",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("relation_id", sa.Integer, sa.ForeignKey("relations.id"), nullable=False),
    sa.Column("product", sa.String(100), nullable=False),
    sa.Column("period_type", sa.String(20), nullable=False),
    sa.Column("first_period", sa.String(20), nullable=False),
    *_run_columns(),
    sa.UniqueConstraint("relation_id", "product", name="uq_planner_rules_relation_product"),
)

role_assignments = sa.Table(
    "role_assignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("relation_id", sa.Integer, sa.ForeignKey("relations.id"), nullable=False),
    sa.Column("role", sa.String(60), nullable=False),
    sa.Column("employee_id", sa.Integer, sa.ForeignKey("employees.id"), nullable=False),
    *_run_columns(),
    sa.UniqueConstraint("relation_id", "role", name="uq_role_assignments_relation_role"),
)

sbr_settings = sa.Table(
    "sbr_settings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "relation_id", sa.Integer, sa.ForeignKey("relations.id"), nullable=False, unique=True
    ),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("start_date", sa.Date),
    sa.Column("ideal", sa.Boolean, nullable=False),
    *_run_columns(),
)
