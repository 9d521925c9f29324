"""Export stamps: which version of a stored row an exported workbook row was made from, so that
a row coming back after the store changed is held back as a conflict instead of overwriting
the newer value with the older one it carried out (issue 10).

A stamp is the hidden cell 'Exportstempel' of an exported row: the last run of the store's
ledger at the time of the export, then a short hash of the stored values of each record the
row states (a Relaties row: the relation and its SBR settings; a Contacten row: the contact,
its link to the relation and the person relation derived from it). On import, a record that
would be updated from a stamped row is compared with its stamp: when its stored values hash
differently now, someone changed it since the export (another import, a planner run, an undo,
or an edit in the store itself), and the row's change is a conflict. The ledger runs after the
stamp's run tell what the value was at the export, where kantoor-batch made the change.

The hash covers exactly the fields the import compares for that record (write.py), as the
store gives them back; both sides canonicalise values the same way (canonical_text).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.rules.plan import CONTACT_FIELDS, RELATION_FIELDS
from kantoor_batch.store import load
from kantoor_batch.store import schema as s
from kantoor_batch.store.diff import CONFLICT, UPDATED, Diff
from kantoor_batch.store.undoing import ENTITY_TABLES, typed

STAMP_COLUMN = "export_stamp"
NO_RECORD = "x"  # the slot of a record the row did not have at the export
_HASH_HEX = 10  # 40 bits: a changed record passes unseen once in a trillion


@dataclass(frozen=True)
class Slot:
    """Where a record's hash sits in the stamp of its sheet's row, and what it covers."""

    position: int
    fields: tuple[str, ...]


RELATION_RECORD_FIELDS = (*RELATION_FIELDS, "group_id", "integration_id")
PERSON_RECORD_FIELDS = (
    "name",
    "fiscal_number",
    "email",
    "phone",
    "group_id",
    "derived_from_contact_id",
    "source_relation_id",
)
# (entity as the ledger names it, sheet key of the row) -> slot; the fields are the ones
# write.py compares for that record (a test checks that an unchanged round trip has no
# conflict and that a change of each record outside the file is one).
SLOTS: dict[tuple[str, str], Slot] = {
    ("relation", "relations"): Slot(0, RELATION_RECORD_FIELDS),
    ("sbr_settings", "relations"): Slot(1, ("enabled", "start_date", "ideal")),
    ("contact", "contacts"): Slot(0, CONTACT_FIELDS),
    ("relation_contact", "contacts"): Slot(1, ("contact_type", "is_primary")),
    ("relation", "contacts"): Slot(2, PERSON_RECORD_FIELDS),
    ("product", "products"): Slot(0, ("period_type", "start_period", "sbr")),
    ("role_assignment", "roles"): Slot(0, ("employee_id",)),
    ("relation_group", "groups"): Slot(0, ("name", "description")),
    ("employee", "employees"): Slot(0, ("code", "name", "email")),
}
# Which sheet's rows an entity's planned rows come from, where they have no 'sheet' column.
ENTITY_SHEET = {
    "sbr_settings": "relations",
    "contact": "contacts",
    "relation_contact": "contacts",
    "product": "products",
    "role_assignment": "roles",
    "relation_group": "groups",
    "employee": "employees",
}
_STAMP = re.compile(rf"^(\d{{1,12}})((?:-(?:[0-9a-f]{{{_HASH_HEX}}}|{NO_RECORD}))+)$")


def canonical_text(value: object) -> str:
    """One text per stored value, whichever way the driver or pandas handed it over (0/1 or
    a bool, 12 or 12.0, a date or a timestamp); missing is ''."""
    text: str
    if value is None or value is pd.NaT:
        text = ""
    elif isinstance(value, bool | np.bool_):
        text = "1" if value else "0"
    elif isinstance(value, int | np.integer):
        text = str(int(value))
    elif isinstance(value, float | np.floating):
        number = float(value)
        text = "" if np.isnan(number) else str(int(number)) if number.is_integer() else repr(number)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat()
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text


def record_hashes(records: pd.DataFrame, fields: Sequence[str]) -> pd.Series:
    """A short hash of each record's values of these fields (hex text), index kept."""
    if records.empty:
        return pd.Series(dtype=object, index=records.index)
    text = pd.DataFrame(
        {f: records[f].astype(object).map(canonical_text) for f in fields}, index=records.index
    )
    hashed = pd.util.hash_pandas_object(text, index=False).to_numpy(dtype=np.uint64)
    width = _HASH_HEX * 4
    values = [format(int(h) >> (64 - width), f"0{_HASH_HEX}x") for h in hashed]
    return pd.Series(values, index=records.index, dtype=object)


def stamp_texts(run_id: int, hashes: Sequence[pd.Series]) -> pd.Series:
    """The stamp cells of rows with these record hashes (one Series per slot, missing where
    the row has no such record)."""
    parts = [h.astype(object).where(h.notna(), NO_RECORD) for h in hashes]
    text = pd.Series(str(run_id), index=parts[0].index, dtype=object)
    for part in parts:
        text = text + "-" + part.astype(str)
    return text


def last_run_id(connection: Connection) -> int:
    """The newest run of the ledger (0 in a store without one)."""
    found = connection.execute(sa.select(sa.func.max(s.import_runs.c.id))).scalar_one()
    return int(found or 0)


@dataclass
class Stamps:
    """The stamps of a workbook's rows, per sheet key: a frame indexed by Excel row with the
    stamp's run and its hashes (h0, h1, h2; NO_RECORD where the row had no such record)."""

    by_sheet: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(not f.empty for f in self.by_sheet.values())

    def of(self, sheet: str, rows: pd.Series, position: int) -> tuple[pd.Series, pd.Series]:
        """(run, hash) of the stamp of each of these Excel rows of sheet; missing where the
        row has none."""
        found = self.by_sheet.get(sheet)
        column = f"h{position}"
        if found is None or found.empty or column not in found.columns:
            empty = pd.Series(np.nan, index=rows.index, dtype=object)
            return empty, empty
        at = pd.to_numeric(rows, errors="coerce")
        run = at.map(found["run"]).astype(object)
        hashes = at.map(found[column]).astype(object)
        return run.where(run.notna(), None), hashes.where(hashes.notna(), None)


def read_stamps(sheets: Mapping[str, CleanSheet]) -> tuple[Stamps, list[Issue]]:
    """The stamps of every sheet that has the column; a cell that is not a stamp is reported
    (the row is then imported as if it had none: nothing to compare it with)."""
    stamps = Stamps()
    issues: list[Issue] = []
    for key, sheet in sheets.items():
        if STAMP_COLUMN not in sheet.data.columns:
            continue
        cells = sheet.data[STAMP_COLUMN].dropna().astype(str).str.strip()
        cells = cells[cells != ""]
        if cells.empty:
            continue
        parsed = cells.str.extract(_STAMP)
        bad = parsed[0].isna()
        header = sheet.spec.column(STAMP_COLUMN).header
        issues += [
            Issue("export-stamp-unreadable", sheet.title, int(str(row)), header, value=text)
            for row, text in cells[bad].items()
        ]
        good = parsed[~bad]
        hashes = good[1].str.slice(1).str.split("-", expand=True)
        hashes.columns = [f"h{i}" for i in hashes.columns]
        frame = hashes.assign(run=good[0].astype("int64"))
        frame.index = pd.Index([int(r) for r in good.index])
        stamps.by_sheet[key] = frame
    return stamps, issues


CONFLICT_COLUMNS = [
    "entity",
    "sheet",
    "row",
    "relation_kind",
    "relation_number",
    "subject",
    "field",
    "stored",
    "exported",
    "new",
    "applied",
]


def hold_back(
    connection: Connection,
    entity: str,
    diff: Diff,
    existing: pd.DataFrame,
    stamps: Stamps,
    *,
    overwrite: bool,
    subject: str | None,
) -> tuple[Diff, pd.DataFrame]:
    """The diff without the updates of records changed since their row's export (action
    CONFLICT, their changes dropped), unless overwrite; and those conflicts, one row per
    field the import would have changed (CONFLICT_COLUMNS)."""
    planned = diff.planned
    updated = (planned["action"] == UPDATED).to_numpy()
    if not updated.any() or not stamps or "row" not in planned.columns:
        return diff, pd.DataFrame(columns=CONFLICT_COLUMNS)
    if "sheet" in planned.columns:  # relations and their SBR: a Relaties or Contacten row
        sheet_of = planned["sheet"].astype(object)
    elif entity in ENTITY_SHEET:
        sheet_of = pd.Series(ENTITY_SHEET[entity], index=planned.index, dtype=object)
    else:
        return diff, pd.DataFrame(columns=CONFLICT_COLUMNS)

    changed = pd.Series(False, index=planned.index)
    stamp_runs = pd.Series(None, index=planned.index, dtype=object)
    for sheet in pd.unique(sheet_of[updated]):
        slot = SLOTS.get((entity, str(sheet)))
        if slot is None:
            continue
        rows = planned.index[updated & (sheet_of == sheet).to_numpy()]
        run, stamped = stamps.of(str(sheet), planned.loc[rows, "row"], slot.position)
        has = stamped.notna()
        if not has.any():
            continue
        ids = planned.loc[rows[has.to_numpy()], "id"]
        stored = existing.drop_duplicates("id").set_index("id")
        now = record_hashes(stored.loc[ids.to_numpy(), list(slot.fields)], slot.fields)
        differs = now.to_numpy(dtype=object) != stamped[has].to_numpy(dtype=object)
        at = rows[has.to_numpy()][differs]
        changed.loc[at] = True
        stamp_runs.loc[at] = run[has].to_numpy(dtype=object)[differs]
    if not changed.any():
        return diff, pd.DataFrame(columns=CONFLICT_COLUMNS)

    in_conflict = diff.changes["position"].isin(planned.index[changed.to_numpy()])
    found = diff.changes[in_conflict]
    exported = _exported_values(connection, entity, found, planned, stamp_runs)
    conflicts = _conflict_rows(entity, found, planned, exported, subject, applied=overwrite)
    if overwrite:
        return diff, conflicts
    planned = planned.copy()
    planned.loc[changed.to_numpy(), "action"] = CONFLICT
    return Diff(planned, diff.changes[~in_conflict].reset_index(drop=True)), conflicts


UNKNOWN = object()  # the value at the export is not in the ledger (changed outside it)


def _exported_values(
    connection: Connection,
    entity: str,
    changes: pd.DataFrame,
    planned: pd.DataFrame,
    stamp_runs: pd.Series,
) -> list[object]:
    """Per change, the stored value at the export: the old value of the first ledger change
    of that field after the stamp's run; the stored value when the ledger changed other
    fields of the record only; UNKNOWN when the ledger has no change of the record at all."""
    table = ENTITY_TABLES[entity]
    ids = [int(i) for i in changes["id"]]
    runs = [int(r) for r in stamp_runs.loc[changes["position"].to_numpy()]]
    c = s.import_changes
    query = (
        sa.select(c.c.id, c.c.entity_id, c.c.field, c.c.run_id, c.c.old_value)
        .where(c.c.entity == entity)
        .where(c.c.run_id > min(runs))
    )
    ledger = load.where_in(connection, query, c.c.entity_id, ids)
    # Per record and field, its changes in ledger order (run, then order written).
    history: dict[tuple[int, str], list[tuple[int, object]]] = {}
    touched: dict[int, list[int]] = {}
    if not ledger.empty:
        ledger = ledger.sort_values(["run_id", "id"], kind="stable")
        for entity_id, field_name, run_id, old in zip(
            ledger["entity_id"], ledger["field"], ledger["run_id"], ledger["old_value"], strict=True
        ):
            history.setdefault((int(entity_id), str(field_name)), []).append((int(run_id), old))
            touched.setdefault(int(entity_id), []).append(int(run_id))
    values: list[object] = []
    for entity_id, field_name, old_now, stamp_run in zip(
        ids, changes["field"], changes["old_value"], runs, strict=True
    ):
        later = [
            old for run, old in history.get((entity_id, str(field_name)), []) if run > stamp_run
        ]
        if later:
            values.append(typed(later[0], table.c[str(field_name)].type))
        elif any(run > stamp_run for run in touched.get(entity_id, [])):
            values.append(old_now)
        else:
            values.append(UNKNOWN)
    return values


def _conflict_rows(
    entity: str,
    changes: pd.DataFrame,
    planned: pd.DataFrame,
    exported: list[object],
    subject: str | None,
    *,
    applied: bool,
) -> pd.DataFrame:
    at = changes["position"].to_numpy()
    rows = planned.loc[at]

    def column(*names: str) -> np.ndarray:
        for name in names:
            if name in rows.columns:
                return rows[name].to_numpy(dtype=object)
        return np.full(len(rows), None, dtype=object)

    sheet = column("sheet") if "sheet" in rows.columns else np.full(len(rows), ENTITY_SHEET[entity])
    return pd.DataFrame(
        {
            "entity": entity,
            "sheet": sheet,
            "row": column("row"),
            "relation_kind": column("relation_kind", "kind"),
            "relation_number": column("relation_number", "number"),
            "subject": column(subject) if subject else np.full(len(rows), None, dtype=object),
            "field": changes["field"].to_numpy(),
            "stored": changes["old_value"].to_numpy(),
            "exported": np.array(exported, dtype=object),
            "new": changes["new_value"].to_numpy(),
            "applied": applied,
        }
    )
