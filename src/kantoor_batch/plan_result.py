"""What a planner run hands back: the workflows it created and the rules it left alone, as
tables with the Dutch column names of its workbook (so scripts get from the library what people
get in the file), the counts per product and per month of the deadline, and the --json form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kantoor_batch.rules.plan import KIND_NAMES
from kantoor_batch.rules.planner import FIRST_PERIOD_UNREADABLE, UNKNOWN_PERIOD_TYPE
from kantoor_batch.store.database import describe
from kantoor_batch.store.diff import CREATED, SKIPPED, UNCHANGED, UPDATED

WORKFLOW_HEADERS = [
    "Relatienummer",
    "Soort",
    "Naam",
    "Product",
    "Periode",
    "Van",
    "Tot",
    "Uiterste datum",
]
SKIPPED_HEADERS = [
    "Relatienummer",
    "Soort",
    "Naam",
    "Product",
    "Tijdvak",
    "Eerste periode",
    "Reden",
]
NO_DEADLINE = "geen"  # the month key of workflows without a deadline (an office's own product)
WORKFLOWS = "Workflows"
PLANNER_RULES = "Plannerregels"

_REASONS = {
    UNKNOWN_PERIOD_TYPE: "tijdvak {period_type} is onbekend; pas de plannerregel aan in het pakket",
    FIRST_PERIOD_UNREADABLE: (
        "eerste periode {first_period} is geen periode van tijdvak {period_type} "
        "(Boekjaar begint {financial_year_start}); pas de plannerregel aan in het pakket"
    ),
}


def workflow_table(workflows: pd.DataFrame) -> pd.DataFrame:
    """The Workflows sheet of the created workflows (a planner outcome frame)."""
    ordered = workflows.sort_values(
        ["relation_number", "relation_kind", "product", "period_start"], kind="stable"
    )
    return pd.DataFrame(
        {
            "Relatienummer": ordered["relation_number"],
            "Soort": ordered["relation_kind"].map(KIND_NAMES),
            "Naam": ordered["relation_name"],
            "Product": ordered["product"],
            "Periode": ordered["period"],
            "Van": ordered["period_start"],
            "Tot": ordered["period_end"],
            "Uiterste datum": ordered["due_date"],
        },
        columns=WORKFLOW_HEADERS,
    ).reset_index(drop=True)


def skipped_table(skipped: pd.DataFrame) -> pd.DataFrame:
    """The rules the run left alone, with the reason in Dutch."""
    reasons = [
        _REASONS[str(row["reason"])].format(**{str(k): v for k, v in row.items()})
        for row in skipped.to_dict(orient="records")
    ]
    return pd.DataFrame(
        {
            "Relatienummer": skipped["relation_number"],
            "Soort": skipped["relation_kind"].map(KIND_NAMES),
            "Naam": skipped["relation_name"],
            "Product": skipped["product"],
            "Tijdvak": skipped["period_type"],
            "Eerste periode": skipped["first_period"],
            "Reden": pd.Series(reasons, index=skipped.index, dtype=object),
        },
        columns=SKIPPED_HEADERS,
    ).reset_index(drop=True)


@dataclass
class PlanResult:
    as_of: dt.date
    dry_run: bool
    run_id: int | None  # the ledger row; None for a dry run, which stores nothing
    outcome: str  # completed | partial (rules left alone)
    started_at: dt.datetime
    seconds: float
    store: str
    rules: int  # planner rules in the store
    rules_moved: int  # rules whose first period moved on
    workflows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WORKFLOW_HEADERS))
    skipped_rules: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=SKIPPED_HEADERS)
    )

    @property
    def ok(self) -> bool:
        """Every rule could be planned."""
        return self.outcome == "completed"

    @property
    def created(self) -> int:
        return len(self.workflows)

    def per_product(self) -> dict[str, int]:
        """Created workflows per product, by product name."""
        counts = self.workflows["Product"].value_counts()
        return {str(k): int(v) for k, v in sorted(counts.items())}

    def per_month(self) -> dict[str, int]:
        """Created workflows per month of their deadline ('2027-01'); 'geen' without one."""
        due = self.workflows["Uiterste datum"]
        months = due.map(lambda d: f"{d:%Y-%m}" if isinstance(d, dt.date) else NO_DEADLINE)
        counts = months.value_counts()
        return {str(k): int(v) for k, v in sorted(counts.items())}

    def counts(self) -> dict[str, dict[str, int]]:
        """As the ledger keeps them: per kind of thing, the number per action."""
        skipped = len(self.skipped_rules)
        return {
            WORKFLOWS: {CREATED: self.created, UPDATED: 0, UNCHANGED: 0, SKIPPED: 0},
            PLANNER_RULES: {
                CREATED: 0,
                UPDATED: self.rules_moved,
                UNCHANGED: self.rules - self.rules_moved - skipped,
                SKIPPED: skipped,
            },
        }

    def as_dict(self, **extra: object) -> dict[str, object]:
        """The --json form; extra goes into the summary (where the workbook was written)."""
        workflows = self.workflows
        return {
            "summary": {
                **extra,
                "kind": "plan",
                "as_of": self.as_of.isoformat(),
                "store": describe(self.store) if self.store else None,
                "dry_run": self.dry_run,
                "run_id": self.run_id,
                "outcome": self.outcome,
                "ok": self.ok,
                "seconds": round(self.seconds, 2),
                "planner_rules": self.rules,
                "planner_rules_moved": self.rules_moved,
                "planner_rules_skipped": len(self.skipped_rules),
                "workflows_created": self.created,
                "per_product": self.per_product(),
                "per_month": self.per_month(),
            },
            "workflows": [
                {
                    "relation_number": number,
                    "kind": kind,
                    "name": name,
                    "product": product,
                    "period": period,
                    "start": _iso(start),
                    "end": _iso(end),
                    "due_date": _iso(due),
                }
                for number, kind, name, product, period, start, end, due in workflows.itertuples(
                    index=False, name=None
                )
            ],
            "skipped_rules": [
                {
                    "relation_number": number,
                    "kind": kind,
                    "product": product,
                    "period_type": period_type,
                    "first_period": first,
                    "reason": reason,
                }
                for number, kind, _name, product, period_type, first, reason in (
                    self.skipped_rules.itertuples(index=False, name=None)
                )
            ],
        }


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None
