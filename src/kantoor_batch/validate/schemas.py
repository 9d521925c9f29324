"""pandera schemas per sheet: the checks of single columns, declared apart from what runs them.

Every check is named after the issue code it raises, so that a pandera failure case maps to an
issue without a lookup table. A schema is built per workbook, because the closed lists come from
the active catalogues and a column missing from the file must not fail on every row.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.clean.contact_details import COUNTRIES
from kantoor_batch.periods import looks_like_period
from kantoor_batch.spec import Column, Kind, Sheet
from kantoor_batch.validate import identifiers

# Column key -> (issue code, vectorised check). A column key can differ per sheet in meaning
# only for 'fiscal_number' (BSN or RSIN) and 'bsn' (a person's BSN).
FORMAT_CHECKS: dict[str, tuple[str, Callable[[pd.Series], pd.Series]]] = {
    "kvk_number": ("invalid-kvk-number", identifiers.is_kvk_number),
    "establishment_number": ("invalid-establishment-number", identifiers.is_establishment_number),
    "fiscal_number": ("invalid-fiscal-number", identifiers.is_bsn),
    "bsn": ("invalid-bsn", identifiers.is_bsn),
    "vat_number": ("invalid-vat-number", identifiers.is_vat_number),
    "vat_id": ("invalid-vat-id", identifiers.is_vat_id),
    "payroll_tax_number": ("invalid-payroll-tax-number", identifiers.is_payroll_tax_number),
    "iban": ("invalid-iban", identifiers.is_iban),
    "email": ("invalid-email", identifiers.is_email),
    "country": ("invalid-country", lambda s: s.isin(COUNTRIES)),
    # Derived column: the postcode of rows whose country is NL (see run.py).
    "postcode_nl": ("invalid-postcode", identifiers.is_dutch_postcode),
    "start_period": ("invalid-period", lambda s: s.map(looks_like_period).astype(bool)),
}
REQUIRED_CHECK = "required-value-missing"


def _check(code: str, fn: Callable[[pd.Series], pd.Series]) -> pa.Check:
    return pa.Check(fn, name=code, error=code, ignore_na=True)


def column_checks(column: Column, catalogues: Catalogues) -> list[pa.Check]:
    checks = []
    if column.kind is Kind.CHOICE and column.choices:
        allowed = frozenset(catalogues.choices(column.choices))
        checks.append(_check("invalid-choice", lambda s: s.isin(allowed)))
    if column.key in FORMAT_CHECKS:
        checks.append(_check(*FORMAT_CHECKS[column.key]))
    return checks


def sheet_schema(
    sheet: Sheet, catalogues: Catalogues, present: frozenset[str]
) -> pa.DataFrameSchema:
    """The schema of one sheet; a required column missing from the file is reported once
    elsewhere (missing-column), so here it may be empty."""
    columns = {
        column.key: pa.Column(
            None,
            checks=column_checks(column, catalogues),
            nullable=not (column.required and column.key in present),
            required=False,
        )
        for column in sheet.columns
    }
    if sheet.key == "relations":
        code, fn = FORMAT_CHECKS["postcode_nl"]
        columns["postcode_nl"] = pa.Column(
            None, checks=[_check(code, fn)], nullable=True, required=False
        )
    return pa.DataFrameSchema(columns, strict=False, coerce=False)
