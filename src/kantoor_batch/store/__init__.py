"""The store: SQLAlchemy tables, migrations, loading what exists and writing in bulk."""
