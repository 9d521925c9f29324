"""The planner run (R8): every planner rule creates the workflows of its periods that have
started by the as-of date, from its first period on, and then points at the period after them.

A planner rule's first_period is the first period whose workflow the planner has yet to create:
the import sets it to the period after the running one (rules/workflows.py), and a planner run
moves it past every period it covered. So a run never looks at a period twice, a second run for
the same date finds nothing to do, and a workflow removed in the package is not brought back.
A workflow that exists anyway (key `<product>|<period>`, as the import makes it) is never made
twice: the run leaves out every key the relation has.

Pure functions over frames: the store queries and writes are store/planning.py's. Periods are
worked out once per distinct (product, period type, first period, financial year start), a
handful on a large store, not once per rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kantoor_batch.catalogues import PeriodType
from kantoor_batch.periods import (
    PeriodError,
    following,
    parse_period,
    period_containing,
    periods_from,
)
from kantoor_batch.rules.products import day_month
from kantoor_batch.rules.workflows import WORKFLOW_COLUMNS, workflow_of

# A stored planner rule with what the run needs of its relation (store/planning.py reads them).
RULE_COLUMNS = [
    "rule_id",
    "relation_id",
    "relation_kind",
    "relation_number",
    "relation_name",
    "product",
    "period_type",
    "first_period",
    "financial_year_start",
]
MOVED_COLUMNS = [
    "rule_id",
    "relation_kind",
    "relation_number",
    "product",
    "first_period",
    "next_period",
]
_COMBO = ["product", "period_type", "first_period", "financial_year_start"]

# Why a rule was left alone (codes; the report words them).
UNKNOWN_PERIOD_TYPE = "unknown-period-type"
FIRST_PERIOD_UNREADABLE = "first-period-unreadable"


@dataclass
class DuePeriods:
    """What the rules ask for at the as-of date.

    workflows: per rule, each started period from its first on (RULE_COLUMNS plus
    WORKFLOW_COLUMNS), whether or not the relation has its workflow already.
    moved: the rules whose first period moves on (rule_id, relation_kind, relation_number,
    product, first_period, next_period).
    skipped: rules whose first period names no period of their type (RULE_COLUMNS, reason).
    """

    workflows: pd.DataFrame
    moved: pd.DataFrame
    skipped: pd.DataFrame


def due_periods(rules: pd.DataFrame, as_of: dt.date) -> DuePeriods:
    """The periods of every rule that have started by as_of, and where each rule moves to."""
    periods: list[dict[str, object]] = []
    outcome: list[dict[str, object]] = []
    for product, period_type, first_label, fy_text in (
        rules[_COMBO].drop_duplicates().itertuples(index=False)
    ):
        combo = dict(zip(_COMBO, (product, period_type, first_label, fy_text), strict=True))
        try:
            kind = PeriodType(period_type)
        except ValueError:
            outcome.append({**combo, "next_period": None, "reason": UNKNOWN_PERIOD_TYPE})
            continue
        starts = day_month(fy_text or "01-01")
        try:
            first = parse_period(first_label, kind, starts)
        except PeriodError:
            outcome.append({**combo, "next_period": None, "reason": FIRST_PERIOD_UNREADABLE})
            continue
        if first.start > as_of:
            continue  # nothing has started yet: the rule stays as it is
        running = period_containing(kind, as_of, starts)
        for period in periods_from(first, running, starts):
            periods.append({**combo, **workflow_of(product, period)})
        outcome.append({**combo, "next_period": following(running, starts).label, "reason": None})
    per_combo = pd.DataFrame(outcome, columns=[*_COMBO, "next_period", "reason"])
    ruled = rules[RULE_COLUMNS].merge(per_combo, on=_COMBO)
    workflows = rules[RULE_COLUMNS].merge(
        pd.DataFrame(periods, columns=[*_COMBO, *WORKFLOW_COLUMNS]), on=_COMBO
    )
    moves = ruled[ruled["reason"].isna()]
    moved = moves[moves["next_period"] != moves["first_period"]]
    return DuePeriods(
        workflows=workflows,
        moved=moved[MOVED_COLUMNS].reset_index(drop=True),
        skipped=ruled[ruled["reason"].notna()][[*RULE_COLUMNS, "reason"]].reset_index(drop=True),
    )


def missing_workflows(workflows: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """The planned workflows whose (relation_id, workflow_key) the store does not have yet."""
    if existing.empty or workflows.empty:
        return workflows.reset_index(drop=True)
    stored = pd.MultiIndex.from_frame(
        existing[["relation_id", "workflow_key"]].astype({"relation_id": "int64"})
    )
    planned = pd.MultiIndex.from_frame(
        workflows[["relation_id", "workflow_key"]].astype({"relation_id": "int64"})
    )
    return workflows[~planned.isin(stored)].reset_index(drop=True)
