"""The history of a store: the runs of its ledger (imports, planner runs, undos), and what one
run did: the values it changed (old and new) and the rows it created, per table.

list_runs and show_run only read, without the store's write lock; they never create a store.
Tables come with the Dutch column names of the workbook `kantoor-batch runs show -o` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.errors import WrongUseError
from kantoor_batch.masking import mask_value
from kantoor_batch.result import ENTITY_SHEETS, FIELD_HEADERS, PERSONAL_FIELDS
from kantoor_batch.spec import SHEETS
from kantoor_batch.store import load
from kantoor_batch.store import runs as ledger
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import describe, open_existing
from kantoor_batch.store.diff import CREATED, SKIPPED, UPDATED

KIND_LABELS = {s.IMPORT_RUN: "import", s.PLAN_RUN: "planner", s.UNDO_RUN: "ongedaan maken"}
OUTCOME_LABELS = {
    "completed": "voltooid",
    "partial": "deels",
    "rejected": "niets opgeslagen",
    "failed": "mislukt",
    "running": "niet afgerond",
}
TABLE_LABELS = {
    "relation_groups": "Relatiegroepen",
    "employees": "Medewerkers",
    "contacts": "Contactpersonen",
    "relations": "Relaties",
    "relation_contacts": "Contactkoppelingen",
    "products": "Producten",
    "workflows": "Workflows",
    "planner_rules": "Plannerregels",
    "role_assignments": "Rollen",
    "sbr_settings": "SBR-instellingen",
}
CHANGE_HEADERS = ["Blad", "Sleutel", "Veld", "Oud", "Nieuw"]
ROW_HEADERS = ["Tabel", "Aangemaakt", "Laatst bijgewerkt"]
SHORT_CHECKSUM = 12
# Ids in a change shown as what people know them by.
_ID_FIELDS: dict[str, tuple[sa.Table, str]] = {
    "group_id": (s.relation_groups, "name"),
    "employee_id": (s.employees, "code"),
    "integration_id": (s.integrations, "name"),
    "source_relation_id": (s.relations, "number"),
    "derived_from_contact_id": (s.contacts, "number"),
}


class RunNotFoundError(WrongUseError):
    """The ledger has no run with this number (wrong use: the CLI exits 2)."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        super().__init__(
            f"Run {run_id} staat niet in het logboek van deze database; "
            "`kantoor-batch runs` toont de runs die er zijn."
        )


@dataclass(frozen=True)
class Run:
    """One row of the ledger."""

    id: int
    kind: str  # import | plan | undo
    started_at: dt.datetime
    finished_at: dt.datetime | None
    file_name: str | None
    sha256: str | None
    as_of: dt.date
    outcome: str
    counts: dict[str, dict[str, int]]
    user_name: str | None
    tool_version: str
    all_or_nothing: bool
    undoes_run_id: int | None = None  # an undo: the run it reverted

    @property
    def short_checksum(self) -> str:
        return (self.sha256 or "")[:SHORT_CHECKSUM]

    def totals(self) -> dict[str, int]:
        """Rows created, updated and skipped, over every kind of thing the run counted."""
        return {
            action: sum(int(c.get(action, 0)) for c in self.counts.values())
            for action in (CREATED, UPDATED, SKIPPED)
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "file": self.file_name,
            "sha256": self.sha256,
            "as_of": self.as_of.isoformat(),
            "outcome": self.outcome,
            "counts": self.counts,
            "user": self.user_name,
            "tool_version": self.tool_version,
            "all_or_nothing": self.all_or_nothing,
            "undoes_run": self.undoes_run_id,
        }


@dataclass
class RunDetails:
    """One run: its ledger row, the rows it created or last updated per table, and every
    value it changed (CHANGE_HEADERS; personal data masked, ids as names)."""

    run: Run
    store: str
    rows: pd.DataFrame  # ROW_HEADERS, one row per table
    changes: pd.DataFrame  # CHANGE_HEADERS

    def created(self) -> dict[str, int]:
        """Rows the run created, per table (Dutch name), tables without any left out."""
        made = self.rows[self.rows["Aangemaakt"] > 0]
        return dict(zip(made["Tabel"], made["Aangemaakt"].astype(int), strict=True))

    def as_dict(self, **extra: object) -> dict[str, object]:
        return {
            "run": {**self.run.as_dict(), "store": describe(self.store), **extra},
            "created": self.created(),
            "last_updated": {
                table: int(n)
                for table, n in zip(self.rows["Tabel"], self.rows["Laatst bijgewerkt"], strict=True)
                if n
            },
            "changes": [
                dict(zip(["sheet", "key", "field", "old", "new"], row, strict=True))
                for row in self.changes.itertuples(index=False, name=None)
            ],
        }


def list_runs(db: str | None = None) -> list[Run]:
    """Every run of the store's ledger, oldest first."""
    store = open_existing(db)
    with store.reading() as connection:
        return [_run(row) for row in ledger.runs(connection).to_dict(orient="records")]


def show_run(run_id: int, db: str | None = None) -> RunDetails:
    """What run_id did; RunNotFoundError when the ledger has no such run."""
    store = open_existing(db)
    with store.reading() as connection:
        found = ledger.runs(connection, run_id)
        if found.empty:
            raise RunNotFoundError(run_id)
        run = _run(found.to_dict(orient="records")[0])
        rows = ledger.rows_of_run(connection, run_id)
        changed = ledger.changes(connection, run_id)
        changes = change_table(changed, _names_of_ids(connection, changed))
    table = pd.DataFrame(
        [(TABLE_LABELS[name], made, updated) for name, (made, updated) in rows.items()],
        columns=ROW_HEADERS,
    )
    return RunDetails(run=run, store=store.url, rows=table, changes=changes)


def _run(row: Mapping[Any, Any]) -> Run:
    return Run(
        id=int(row["id"]),
        kind=str(row["kind"] or s.IMPORT_RUN),
        started_at=_aware(row["started_at"]),
        finished_at=_aware(row["finished_at"]) if row["finished_at"] is not None else None,
        file_name=row["file_name"],
        sha256=row["sha256"],
        as_of=_date(row["as_of"]),
        outcome=str(row["outcome"]),
        counts=row["counts"] or {},
        user_name=row["user_name"],
        tool_version=str(row["tool_version"]),
        all_or_nothing=bool(row["all_or_nothing"]),
        undoes_run_id=_optional_id(row.get("undoes_run_id")),
    )


def _optional_id(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and value == value else None  # noqa: PLR0124 - NaN


def _aware(value: object) -> dt.datetime:
    """A plain datetime with its zone: SQLite gives back the UTC time without one, and pandas
    hands out its own Timestamp."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if not isinstance(value, dt.datetime):
        msg = f"not a moment: {value!r}"
        raise TypeError(msg)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):  # a pandas Timestamp too
        return value.date()
    if not isinstance(value, dt.date):
        msg = f"not a date: {value!r}"
        raise TypeError(msg)
    return value


def _names_of_ids(connection: Connection, changed: pd.DataFrame) -> dict[str, dict[str, str]]:
    """For the id fields among the changes, each id (as the ledger's text) -> its name."""
    names: dict[str, dict[str, str]] = {}
    for field, (table, column) in _ID_FIELDS.items():
        values = changed.loc[changed["field"] == field, ["old_value", "new_value"]]
        ids = {int(str(v)) for v in values.to_numpy().ravel() if str(v).isdigit()}
        if not ids:
            continue
        found = load.where_in(
            connection, sa.select(table.c.id, table.c[column]), table.c.id, sorted(ids)
        )
        names[field] = {str(i): str(n) for i, n in found.itertuples(index=False, name=None)}
    return names


def change_table(changed: pd.DataFrame, names: dict[str, dict[str, str]]) -> pd.DataFrame:
    """The Wijzigingen of a run, from import_changes: Dutch sheet and field names, ids as
    names, Ja/Nee for booleans, personal data masked."""
    headers = {c.key: c.header for sheet in SHEETS for c in sheet.columns} | FIELD_HEADERS
    rows = []
    for entity, _id, key, field, old, new in changed.itertuples(index=False, name=None):
        shown = [_shown(field, value, names) for value in (old, new)]
        rows.append((ENTITY_SHEETS.get(entity, entity), key, headers.get(field, field), *shown))
    return pd.DataFrame(rows, columns=CHANGE_HEADERS)


def _shown(field: str, value: object, names: dict[str, dict[str, str]]) -> str:
    if value is None:
        return ""
    text = str(value)
    if field in names:
        return names[field].get(text, text)
    if field in PERSONAL_FIELDS:
        return mask_value(text)
    return {"True": "Ja", "False": "Nee"}.get(text, text)
