"""Validation: every check that needs no store, all findings collected at once."""
