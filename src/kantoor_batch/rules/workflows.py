"""R8: for each product, a workflow for every period from Vanaf up to the running one at the
as-of date, and one planner rule that creates the workflows of later periods when they start.
The onboarding workflow, when named, is started once. Each workflow of a product carries its
deadline (deadlines.py); an onboarding workflow has none.

Periods are worked out once per distinct (product, period type, first period, financial year
start), which on a large import is a handful of combinations, not one per client.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kantoor_batch.catalogues import PeriodType
from kantoor_batch.deadlines import due_date
from kantoor_batch.periods import (
    Period,
    following,
    parse_period,
    period_containing,
    periods_from,
)
from kantoor_batch.rules.products import day_month

ONBOARDING_KEY = "onboarding:"
# What a planned workflow carries besides its relation (the workflows table's columns).
WORKFLOW_COLUMNS = ["name", "period", "period_start", "period_end", "workflow_key", "due_date"]


def workflow_key(product: str, label: str) -> str:
    """A product's workflow of one period: the key a relation has it under, once (R8, R13);
    the import and the planner run both use it."""
    return f"{product}|{label}"


def workflow_name(product: str, label: str) -> str:
    """What the package shows: "Aangifte OB 2026-K1"."""
    return f"{product} {label}"


def workflow_of(product: str, period: Period) -> dict[str, object]:
    """The WORKFLOW_COLUMNS of one product's workflow for one period: the import (R8) and the
    planner make them alike, so that the same key never means two workflows."""
    return {
        "name": workflow_name(product, period.label),
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "workflow_key": workflow_key(product, period.label),
        "due_date": due_date(product, period),
    }


def plan_workflows(products: pd.DataFrame, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    combos = products[["product", "period_type", "start_period", "financial_year_start"]]
    distinct = combos.drop_duplicates()
    periods: list[dict[str, object]] = []
    rules: list[dict[str, object]] = []
    for product, period_type, start_label, fy_text in distinct.itertuples(index=False):
        kind, starts = PeriodType(period_type), day_month(fy_text)
        first = parse_period(start_label, kind, starts)
        running = period_containing(kind, as_of, starts)
        key = {
            "product": product,
            "period_type": period_type,
            "start_period": start_label,
            "financial_year_start": fy_text,
        }
        for period in periods_from(first, running, starts):
            periods.append({**key, **workflow_of(product, period)})
        next_one = first if first.start > as_of else following(running, starts)
        rules.append({**key, "first_period": next_one.label})
    link = ["product", "period_type", "start_period", "financial_year_start"]
    base = products[["bundle", "relation_kind", "relation_number", *link]]
    workflows = base.merge(
        pd.DataFrame(periods, columns=[*link, *WORKFLOW_COLUMNS]),
        on=link,
    )
    planner = base.merge(pd.DataFrame(rules, columns=[*link, "first_period"]), on=link)
    return (
        workflows.drop(columns=["start_period", "financial_year_start", "period_type"]),
        planner.drop(columns=["start_period", "financial_year_start"]),
    )


def onboarding_workflows(relations: pd.DataFrame) -> pd.DataFrame:
    named = relations[relations["onboarding_workflow"].notna()]
    return pd.DataFrame(
        {
            "bundle": named["bundle"],
            "relation_kind": named["kind"],
            "relation_number": named["number"],
            "product": None,
            "name": named["onboarding_workflow"],
            "period": None,
            "period_start": None,
            "period_end": None,
            "workflow_key": ONBOARDING_KEY + named["onboarding_workflow"],
            "due_date": None,
        }
    )
