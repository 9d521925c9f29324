"""What an import means to do, as frames: one per kind of thing, each row tagged with the
client bundle it belongs to (R12) and, where it came from a row of the workbook, that row.

The rules fill a Plan from the cleaned sheets; the store compares it with what exists (R13) and
writes the difference. Keys are natural (kind + number, number, relation + product, ...), so
that the same workbook always means the same things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.clean.sheets import CleanSheet

KIND_CODES = {"Organisatie": "organisation", "Persoon": "person"}
KIND_NAMES = {code: name for name, code in KIND_CODES.items()}

RELATION_FIELDS = (
    "name",
    "legal_form",
    "kvk_number",
    "establishment_number",
    "fiscal_number",
    "vat_number",
    "vat_id",
    "payroll_tax_number",
    "iban",
    "email",
    "phone",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "city",
    "country",
    "financial_year_start",
)
CONTACT_FIELDS = (
    "initials",
    "first_name",
    "infix",
    "last_name",
    "birth_date",
    "bsn",
    "email",
    "phone",
)


DERIVED = "__derived"
"""Suffix of a planned column that marks, per row, a value the tool worked out itself (a
default, a fallback, a copy) rather than one the workbook states. The store uses it when the
row is created and never writes it over a stored value (R13)."""


def derived_flag(field: str) -> str:
    return field + DERIVED


def _nothing_taken(numbers: Iterable[str]) -> set[str]:
    return set()


@dataclass
class Existing:
    """What the store holds that the rules need (R4, R13): the contacts of relations being
    re-imported (to keep their numbers and their primary contact), the stored contacts that
    have a BSN of the file (a person is one contact), and which numbers are in use."""

    # relation kind, relation number, contact number, contact_type, is_primary + CONTACT_FIELDS
    linked_contacts: pd.DataFrame = field(default_factory=pd.DataFrame)
    # number + CONTACT_FIELDS of stored contacts whose BSN the file names
    contacts_by_bsn: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Which of these numbers a stored relation or contact has.
    numbers_taken: Callable[[Iterable[str]], set[str]] = _nothing_taken
    # The highest stored number of the numbering range (scheme "range"), if any.
    highest_in_range: int | None = None


@dataclass
class RuleInput:
    sheets: dict[str, CleanSheet]
    catalogues: Catalogues
    as_of: dt.date
    existing: Existing = field(default_factory=Existing)
    # Numbers the whole file states, when the rules see a slice of it (rules/slices.py): a
    # number made for a contact is none of them.
    numbers_in_file: frozenset[str] = frozenset()


@dataclass
class Plan:
    """Every frame has a 'bundle' column: the relation number of the Relaties row it serves."""

    groups: pd.DataFrame
    employees: pd.DataFrame
    relations: pd.DataFrame  # kind, number, RELATION_FIELDS, group, integration, derived_from..
    contacts: pd.DataFrame  # one row per link: relation kind/number, number, type, is_primary
    products: pd.DataFrame
    workflows: pd.DataFrame
    planner_rules: pd.DataFrame
    roles: pd.DataFrame
    sbr: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {
            "relations": self.relations,
            "contacts": self.contacts,
            "products": self.products,
            "workflows": self.workflows,
            "planner_rules": self.planner_rules,
            "roles": self.roles,
            "sbr": self.sbr,
        }

    def without_bundles(self, bundles: set[str]) -> Plan:
        """The plan for every bundle but these (R12); the plan itself when there are none (no
        filtering of a million workflow rows to keep them all)."""
        if not bundles:
            return self
        kept = {
            name: frame[~frame["bundle"].isin(bundles)] for name, frame in self.frames().items()
        }
        return Plan(groups=self.groups, employees=self.employees, **kept)

    def without_rows(self, rows: dict[str, set[int]], *, everything: bool = False) -> Plan:
        """Without the groups and employees of rows that have an error (by sheet key, Excel
        rows); with everything, without any group or employee (a rejected run)."""
        groups, employees = self.groups, self.employees
        if everything:
            groups, employees = groups.iloc[:0], employees.iloc[:0]
        else:
            groups = groups[~groups["row"].isin(rows.get("groups", set()))]
            employees = employees[~employees["row"].isin(rows.get("employees", set()))]
        return Plan(groups=groups, employees=employees, **self.frames())


class ByRelation:
    """Values per relation (kind, number), to look up for many (kind, number) pairs at once.

    Looked up kind by kind on the number alone, with each kind's index built once: there are
    two kinds, and a MultiIndex lookup of a million pairs costs about twice as much. Built once
    and used for every child table of an import (products, workflows, planner rules, ...)."""

    def __init__(self, values: pd.Series) -> None:
        """values: indexed by relation kind and number, without duplicates."""
        # ids: float with NaN where missing (as a reindex gives them); anything else: objects
        self._dtype: type = float if values.dtype.kind in "iuf" else object
        level = values.index.get_level_values(0)
        self._by_kind: dict[object, tuple[pd.Index, np.ndarray]] = {}
        for kind in pd.unique(level):
            part = values[level == kind]
            numbers = pd.Index(part.index.get_level_values(1))
            self._by_kind[kind] = (numbers, part.to_numpy(dtype=self._dtype))

    def __call__(self, kinds: pd.Series, numbers: pd.Series) -> pd.Series:
        """The value for each pair; missing where there is no such relation."""
        found: np.ndarray = np.full(len(kinds), np.nan, dtype=self._dtype)
        for kind, (known, values) in self._by_kind.items():
            rows = (kinds == kind).to_numpy()
            if not rows.any():
                continue
            at = known.get_indexer(pd.Index(numbers[rows]))
            part: np.ndarray = np.full(len(at), np.nan, dtype=self._dtype)
            part[at >= 0] = values[at[at >= 0]]
            found[rows] = part
        return pd.Series(found, index=kinds.index)


def per_relation(values: pd.Series, kinds: pd.Series, numbers: pd.Series) -> pd.Series:
    """One lookup with ByRelation (see there)."""
    return ByRelation(values)(kinds, numbers)
