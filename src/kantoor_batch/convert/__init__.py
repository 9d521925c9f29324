"""Migration: exports of another package -> an onboarding workbook (issue 11).

The stages, each a module: sources (read a CSV, .xlsx, .xls or .ods export, detect its
encoding, delimiter and header row), profile (the TOML mapping profile), transforms (value
maps, name and street splits, padding, dates, whole columns at a time), engine (the profile
applied: rows per template sheet and the conversion report), report (what the user reads),
suggest (a first profile from the export's headers).
"""

from kantoor_batch.convert.engine import ConversionResult, convert_exports
from kantoor_batch.convert.profile import Profile, load_profile
from kantoor_batch.convert.sources import ReadOptions, SourceTable, read_source
from kantoor_batch.convert.suggest import suggest_profile

__all__ = [
    "ConversionResult",
    "Profile",
    "ReadOptions",
    "SourceTable",
    "convert_exports",
    "load_profile",
    "read_source",
    "suggest_profile",
]
