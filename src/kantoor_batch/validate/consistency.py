"""Checks across columns and rows of one sheet: duplicates (R2), a legal form for organisations,
products whose period type and start period fit together (R8), and start periods an office
can plausibly mean (R7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kantoor_batch.catalogues import Catalogues, PeriodType
from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.periods import (
    JANUARY_FIRST,
    Period,
    PeriodError,
    PeriodOutOfRangeError,
    looks_like_period,
    parse_period,
)


def cell_issues(
    code: str,
    sheet: CleanSheet,
    column_key: str,
    rows: pd.Index,
    params: dict[int, dict[str, str]] | None = None,
) -> list[Issue]:
    """Issues for the given rows of one column, with the cell as it was read as the value."""
    column = sheet.spec.column(column_key)
    raw = sheet.raw[column_key] if column_key in sheet.raw.columns else None
    return [
        Issue(
            code,
            sheet.title,
            int(row),
            column.header,
            None if raw is None else raw.get(row),
            (params or {}).get(int(row), {}),
            column.personal,
        )
        for row in rows
    ]


ROWS_LISTED = 5  # rows named in a message about many rows; the rest are counted


def row_list(rows: pd.Index) -> str:
    """'2, 3, 4, 5, 6 en nog 5.995': the first rows and a count, so that a message stays short
    however many rows share a value (issue 9)."""
    shown = ", ".join(str(r) for r in rows[:ROWS_LISTED])
    rest = len(rows) - ROWS_LISTED
    if rest <= 0:
        return shown
    count = f"{rest:,}".replace(",", ".")  # Dutch thousands: 5.995
    return f"{shown} en nog {count}"


def duplicates(
    code: str,
    sheet: CleanSheet,
    keys: pd.DataFrame | pd.Series,
    column_key: str,
    extra: dict[str, str] | None = None,
) -> list[Issue]:
    """Every row whose key occurs more than once, told which rows share it (R2): the first few
    and a count, built once per group, so that work and output grow with the rows, not their
    square."""
    frame = keys.to_frame() if isinstance(keys, pd.Series) else keys
    frame = frame.dropna()
    repeated = frame[frame.duplicated(keep=False)]
    if repeated.empty:
        return []
    relation_of: dict[int, str] = {}
    if "relation_number" in sheet.data.columns:
        numbers = sheet.data.loc[repeated.index, "relation_number"]
        relation_of = {row: str(number) for row, number in numbers.items()}
    params: dict[int, dict[str, str]] = {}
    for positions in repeated.groupby(list(repeated.columns), sort=False).indices.values():
        rows = repeated.index[positions]
        listed = row_list(rows)
        for row in rows:
            params[int(row)] = {
                "rows": listed,
                "relation": relation_of.get(row, ""),
                **(extra or {}),
            }
    return cell_issues(code, sheet, column_key, repeated.index, params)


def check_relations(relations: CleanSheet) -> list[Issue]:
    data = relations.data
    issues = duplicates(
        "duplicate-relation-number", relations, data["relation_number"], "relation_number"
    )
    organisation = data["kind"] == "Organisatie"
    no_form = organisation & data["legal_form"].isna()
    no_form &= ~data.index.isin([r for r, k in relations.failed if k == "legal_form"])
    issues += cell_issues("legal-form-required", relations, "legal_form", data.index[no_form])
    return issues


def check_groups_and_employees(groups: CleanSheet, employees: CleanSheet) -> list[Issue]:
    return duplicates(
        "duplicate-group", groups, groups.data["name"].str.casefold(), "name"
    ) + duplicates("duplicate-employee", employees, employees.data["code"].str.casefold(), "code")


def check_contacts(contacts: CleanSheet) -> list[Issue]:
    """One contact number is one person (it may be linked to several relations); the same
    person twice for one relation is a duplicate row."""
    data = contacts.data
    numbered = data[data["contact_number"].notna()]
    if numbered.empty:
        return []
    people = numbered.assign(surname=numbered["last_name"].str.casefold())
    grouped = people.groupby("contact_number")
    # One BSN on every row settles it: the same person, even under a married name.
    one_bsn = (grouped["bsn"].nunique() == 1) & (grouped["bsn"].count() == grouped.size())
    differs = (grouped["bsn"].nunique() > 1) | (
        ~one_bsn & ((grouped["surname"].nunique() > 1) | (grouped["birth_date"].nunique() > 1))
    )
    conflicting = people[people["contact_number"].isin(differs[differs].index)]
    same_person = numbered.drop(conflicting.index)
    issues = duplicates(
        "duplicate-contact",
        contacts,
        same_person[["relation_number", "contact_number"]],
        "contact_number",
    )
    if not conflicting.empty:
        params = {}
        for positions in conflicting.groupby("contact_number").indices.values():
            rows = conflicting.index[positions]
            listed = row_list(rows)
            params.update({int(row): {"rows": listed} for row in rows})
        issues += cell_issues(
            "duplicate-contact-number", contacts, "contact_number", conflicting.index, params
        )
    return issues


def check_products(
    products: CleanSheet, relations: CleanSheet, catalogues: Catalogues, as_of: dt.date
) -> list[Issue]:
    data = products.data
    issues = duplicates(
        "duplicate-product", products, data[["relation_number", "product"]], "product"
    )
    known = data["product"].isin([p.name for p in catalogues.products])
    rows = data[known]
    allowed = rows["product"].map({p.name: p.period_types for p in catalogues.products})
    given = rows["period_type"]
    valid_type = given.isin(list(PeriodType))
    not_allowed = valid_type & ~pd.Series(
        [t in a for t, a in zip(given, allowed, strict=True)], index=rows.index, dtype=bool
    )
    params = {
        int(row): {"product": str(rows.at[row, "product"]), "choices": ", ".join(allowed[row])}
        for row in rows.index[not_allowed]
    }
    issues += cell_issues(
        "period-type-not-allowed", products, "period_type", rows.index[not_allowed], params
    )

    effective = given.where(valid_type & ~not_allowed, None).fillna(
        rows["product"].map({p.name: p.default for p in catalogues.products})
    )
    horizon = StartHorizon(as_of, catalogues.start_period_years_back)
    issues += _check_start_periods(products, rows, effective, relations, horizon)
    return issues


@dataclass(frozen=True)
class StartHorizon:
    """R7: the years a Vanaf may fall in. A period that ended before 1 January of the as-of year
    minus years_back lies beyond the Belastingdienst's term for additional assessments; one
    that starts after next year is not work an office takes on now."""

    as_of: dt.date
    years_back: int

    @property
    def first_year(self) -> int:
        return self.as_of.year - self.years_back

    @property
    def last_year(self) -> int:
        return self.as_of.year + 1

    def allows(self, period: Period) -> bool:
        return period.end.year >= self.first_year and period.start.year <= self.last_year

    def params(self) -> dict[str, str]:
        return {
            "first_year": str(self.first_year),
            "last_year": str(self.last_year),
            "years_back": str(self.years_back),
            "as_of": self.as_of.strftime("%d-%m-%Y"),
        }


def _financial_year_starts(relations: CleanSheet) -> pd.Series:
    starts = relations.data.drop_duplicates("relation_number").set_index("relation_number")
    return starts["financial_year_start"].dropna()


def _check_start_periods(
    products: CleanSheet,
    rows: pd.DataFrame,
    effective: pd.Series,
    relations: CleanSheet,
    horizon: StartHorizon,
) -> list[Issue]:
    labelled = rows["start_period"].notna() & ~rows.index.isin(
        [r for r, k in products.failed if k == "start_period"]
    )
    starts_text = rows["relation_number"].map(_financial_year_starts(relations)).astype(object)
    starts_text = starts_text.where(starts_text.notna(), "01-01")
    work = pd.DataFrame({"label": rows["start_period"], "type": effective, "starts": starts_text})[
        labelled
    ]
    verdicts: dict[tuple[str, str, str], Period | PeriodError] = {}
    for label, period_type, starts in work.drop_duplicates().itertuples(index=False):
        day, month = (int(part) for part in starts.split("-"))
        try:
            verdict: Period | PeriodError = parse_period(
                label, PeriodType(period_type), (day, month)
            )
        except PeriodError as error:
            verdict = error
        verdicts[(label, period_type, starts)] = verdict
    issues: list[Issue] = []
    for row, label, period_type, starts in work.itertuples():
        verdict = verdicts[(label, period_type, starts)]
        if isinstance(verdict, PeriodOutOfRangeError) or (
            isinstance(verdict, Period) and not horizon.allows(verdict)
        ):
            issues += cell_issues(
                "implausible-start-period",
                products,
                "start_period",
                pd.Index([row]),
                {int(row): horizon.params()},
            )
            continue
        if isinstance(verdict, Period) or not looks_like_period(label):
            continue  # a label of no known shape is reported by the schema (invalid-period)
        day, month = (int(part) for part in starts.split("-"))
        if PeriodType(period_type) is PeriodType.FINANCIAL_YEAR and (day, month) != JANUARY_FIRST:
            code = "financial-year-mismatch"
        else:
            code = "period-does-not-match-type"
        params = {
            "period_type": period_type,
            "example": str(verdict),
            "relation": str(rows.at[row, "relation_number"]),
            "start": starts,
        }
        issues += cell_issues(code, products, "start_period", pd.Index([row]), {int(row): params})
    return issues


def check_roles(roles: CleanSheet) -> list[Issue]:
    return duplicates("duplicate-role", roles, roles.data[["relation_number", "role"]], "role")
