"""What an import hands back: per kind of thing, every planned row with the action taken, as
tables with the Dutch column names of the result workbook, so that scripts get from the
library exactly what people get in the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue, display_value
from kantoor_batch.masking import mask_value, printable, shown
from kantoor_batch.messages import Lang
from kantoor_batch.rules.person_relations import full_name
from kantoor_batch.rules.plan import KIND_NAMES, Plan, per_relation
from kantoor_batch.spec import SHEETS
from kantoor_batch.store.database import describe
from kantoor_batch.store.diff import CONFLICT, CREATED, SKIPPED, UNCHANGED, UPDATED
from kantoor_batch.store.stamps import UNKNOWN
from kantoor_batch.store.write import Written
from kantoor_batch.validate.report import ValidationReport

ACTIONS = (CREATED, UPDATED, UNCHANGED, CONFLICT, SKIPPED)
_RANK = {CREATED: 3, UPDATED: 2, UNCHANGED: 1, CONFLICT: 4}
TABLE_NAMES = {
    "groups": "Relatiegroepen",
    "employees": "Medewerkers",
    "relations": "Relaties",
    "contacts": "Contacten",
    "products": "Producten",
    "workflows": "Workflows",
    "planner_rules": "Plannerregels",
    "roles": "Rollen",
}


CHANGE_HEADERS = [
    "Blad",
    "Relatienummer",
    "Soort",
    "Betreft",
    "Veld",
    "Oud",
    "Bij export",
    "Nieuw",
    "Status",
]
CHANGE_KEYS = [
    "sheet",
    "relation_number",
    "kind",
    "subject",
    "field",
    "old",
    "exported",
    "new",
    "status",
]
# Status of a line of the Wijzigingen sheet.
CHANGED = "gewijzigd"
HELD_BACK = "conflict, niet toegepast"
OVERWRITTEN = "conflict, overschreven"
UNKNOWN_AT_EXPORT = "(onbekend: buiten kantoor-batch gewijzigd)"


@dataclass
class ImportResult:
    path: Path
    sha256: str
    as_of: dt.date
    dry_run: bool
    run_id: int | None
    outcome: str  # completed | partial | rejected
    started_at: dt.datetime
    seconds: float
    timings: dict[str, float]
    report: ValidationReport
    issues: list[Issue]
    tables: dict[str, pd.DataFrame]  # by key of TABLE_NAMES
    skipped_bundles: set[str] = field(default_factory=set)
    # Rows with an error outside any client (sheet title, Excel row): not stored.
    rows_not_stored: list[tuple[str, int]] = field(default_factory=list)
    store: str = ""
    # count_actions(tables), worked out once by the importer (it goes into the ledger too).
    action_counts: dict[str, dict[str, int]] | None = None
    # Every value the run changed in the store, old and new (the Wijzigingen sheet).
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_HEADERS))

    @property
    def ok(self) -> bool:
        """Everything was imported (warnings allowed)."""
        return self.outcome == "completed"

    @property
    def changed_values(self) -> int:
        """Values the run changed in the store (the Wijzigingen lines that were applied)."""
        if "Status" not in self.changes.columns:
            return len(self.changes)
        return int((self.changes["Status"] != HELD_BACK).sum())

    @property
    def conflicts(self) -> int:
        """Values of rows from an export that the store changed since (applied or not)."""
        if "Status" not in self.changes.columns:
            return 0
        return int(self.changes["Status"].isin([HELD_BACK, OVERWRITTEN]).sum())

    @property
    def held_back(self) -> int:
        """Values of rows from an export not applied because the store changed since."""
        if "Status" not in self.changes.columns:
            return 0
        return int((self.changes["Status"] == HELD_BACK).sum())

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind of thing (Dutch sheet name), the number of rows per action."""
        if self.action_counts is None:
            self.action_counts = count_actions(self.tables)
        return {kind: dict(counts) for kind, counts in self.action_counts.items()}

    def as_dict(self, lang: Lang = "nl", **extra: object) -> dict[str, object]:
        """The --json form; extra goes into the summary (where the workbooks were written)."""
        return {
            "summary": {
                **extra,
                "file": printable(self.path.name),
                "sha256": self.sha256,
                "as_of": self.as_of.isoformat(),
                "store": describe(self.store) if self.store else None,
                "dry_run": self.dry_run,
                "run_id": self.run_id,
                "outcome": self.outcome,
                "ok": self.ok,
                "seconds": round(self.seconds, 2),
                "errors": self.errors,
                "warnings": self.warnings,
                "skipped_relations": [shown(n) for n in sorted(self.skipped_bundles)],
                "rows_not_stored": [
                    {"sheet": sheet, "row": row} for sheet, row in self.rows_not_stored
                ],
                "counts": self.counts(),
                "changed_values": self.changed_values,
                "conflicts": self.conflicts,
            },
            "issues": [issue.as_dict(lang) for issue in self.issues],
            "changes": [
                dict(zip(CHANGE_KEYS, row, strict=True))
                for row in self.changes.itertuples(index=False, name=None)
            ],
        }


ENTITY_SHEETS = {
    "relation_group": "Relatiegroepen",
    "employee": "Medewerkers",
    "relation": "Relaties",
    "sbr_settings": "Relaties",
    "contact": "Contacten",
    "relation_contact": "Contacten",
    "product": "Producten",
    "workflow": "Workflows",
    "planner_rule": "Plannerregels",
    "role_assignment": "Rollen",
}
# Fields the sheets do not name as such; the others take their column header from spec.py.
FIELD_HEADERS = {
    "group_id": "Relatiegroep",
    "integration_id": "Integratie",
    "employee_id": "Medewerker",
    "derived_from_contact_id": "Afgeleid van contact",
    "source_relation_id": "Afgeleid van relatie",
    "enabled": "SBR ingeschakeld",
    "start_date": "SBR startdatum",
    "ideal": "SBR iDEAL",
    "is_primary": "Primair contact",
    "first_period": "Eerste periode",
    "contact_type": "Soort contact",
    "fiscal_number": "BSN/RSIN",
}
PERSONAL_FIELDS = frozenset({"fiscal_number", "bsn", "birth_date"})


def _headers() -> dict[str, str]:
    headers = {c.key: c.header for sheet in SHEETS for c in sheet.columns}
    return {**headers, **FIELD_HEADERS}


def change_table(changes: pd.DataFrame, conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Wijzigingen sheet: every changed value, with Dutch names, personal data masked;
    and every value of a row from an export that the store changed since (stamps.py): held
    back, or overwritten with --overwrite, with the value at the export beside it."""
    headers = _headers()
    key = ["entity", "relation_kind", "relation_number", "subject", "field"]
    exported = pd.Series([None] * len(changes), index=changes.index, dtype=object)
    status = pd.Series(CHANGED, index=changes.index, dtype=object)
    lines = changes
    if conflicts is not None and not conflicts.empty:
        applied = conflicts[conflicts["applied"].astype(bool)]
        if not applied.empty:
            # An overwritten conflict is also a change: found by what it changed (one record's
            # field; an organisation and its person relation share a number, not a kind).
            at_export = {
                _line_key(k): e
                for k, e in zip(
                    applied[key].itertuples(index=False, name=None),
                    applied["exported"],
                    strict=True,
                )
            }
            keys = [_line_key(k) for k in changes[key].itertuples(index=False, name=None)]
            found = [k in at_export for k in keys]
            exported = pd.Series(
                [at_export.get(k) for k in keys], index=changes.index, dtype=object
            )
            status = status.where(~pd.Series(found, index=changes.index), OVERWRITTEN)
        held = conflicts[~conflicts["applied"].astype(bool)]
        if not held.empty:
            lines = pd.concat(
                [changes, held.rename(columns={"stored": "old"})[[*changes.columns]]],
                ignore_index=True,
            )
            exported = pd.concat([exported, held["exported"].astype(object)], ignore_index=True)
            status = pd.concat(
                [status, pd.Series(HELD_BACK, index=held.index, dtype=object)],
                ignore_index=True,
            )
    personal = lines["field"].isin(PERSONAL_FIELDS)

    def shown(values: pd.Series) -> pd.Series:
        text = values.map(_display)
        return text.where(~personal, text.map(lambda v: mask_value(v) if v else v))

    return pd.DataFrame(
        {
            "Blad": lines["entity"].map(ENTITY_SHEETS),
            "Relatienummer": lines["relation_number"],
            "Soort": lines["relation_kind"].map(KIND_NAMES),
            "Betreft": lines["subject"],
            "Veld": lines["field"].map(lambda f: headers.get(f, f)),
            "Oud": shown(lines["old"]),
            "Bij export": shown(exported.reset_index(drop=True).set_axis(lines.index)),
            "Nieuw": shown(lines["new"]),
            "Status": status.to_numpy(),
        }
    ).reset_index(drop=True)


def conflict_issues(conflicts: pd.DataFrame, sheets: Mapping[str, CleanSheet]) -> list[Issue]:
    """One warning per row of the workbook whose record changed in the store since its export:
    which fields, and whether the row's values were held back or stored (--overwrite)."""
    if conflicts.empty:
        return []
    headers = _headers()
    issues = []
    for (sheet, row, applied), found in conflicts.groupby(
        ["sheet", "row", "applied"], sort=True, dropna=True
    ):
        fields = ", ".join(dict.fromkeys(headers.get(f, f) for f in found["field"]))
        code = "export-conflict-overwritten" if applied else "export-conflict"
        title = sheets[str(sheet)].title if str(sheet) in sheets else str(sheet)
        issues.append(Issue(code, title, int(str(row)), None, params={"fields": fields}))
    return issues


def _line_key(values: tuple[object, ...]) -> tuple[str, ...]:
    """A change's key as text, None and NaN alike (a subject is None in one frame, NaN in
    another)."""
    return tuple(
        "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values
    )


def _display(value: object) -> str:
    if value is UNKNOWN:
        return UNKNOWN_AT_EXPORT
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if value is True or value is False:
        return "Ja" if value else "Nee"
    return display_value(value)


def relations_with_parts_changed(written: Written) -> set[tuple[str, str]]:
    """(kind, number) of relations something of which (contact, product, SBR, ...) was created
    or changed: such a relation is not 'ongewijzigd' even when its own row is."""
    touched: set[tuple[str, str]] = set()
    for name in ("contacts", "products", "workflows", "planner_rules", "roles", "sbr"):
        frame = written.frames.get(name)
        if frame is None or frame.empty:
            continue
        moved = frame.loc[frame["action"].isin([CREATED, UPDATED]), RELATION_KEY]
        touched |= _pairs(moved.drop_duplicates())
    if not written.changes.empty:
        contacts = written.changes[written.changes["entity"] == "contact"]
        touched |= _pairs(contacts[RELATION_KEY].drop_duplicates())
    return touched


RELATION_KEY = ["relation_kind", "relation_number"]


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    """The rows of a two-column frame as a set of pairs. Read as object arrays: iterating a
    pandas str column goes through its __getitem__ per value, which took 4.5 of the 7 s of
    the result tables of 30,000 clients' first import."""
    first, second = (frame[c].to_numpy(dtype=object) for c in frame.columns)
    return set(zip(first, second, strict=True))


def count_actions(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    counted = {key: table["Actie"].value_counts() for key, table in tables.items()}
    return {
        TABLE_NAMES[key]: {a: int(counts.get(a, 0)) for a in ACTIONS}
        for key, counts in counted.items()
    }


def relation_split(result: ImportResult) -> dict[str, dict[str, int]]:
    """The Relaties count split the way an office counts: organisations and persons of the
    sheet (its clients) and person relations derived from contacts (R5), per action. The
    terminal and the result workbook's Samenvatting show these same numbers."""
    relations = result.tables["relations"]
    derived = relations["Afgeleid van contact"].fillna("").astype(str) != ""
    groups = {
        "organisaties": ~derived & (relations["Soort"] == KIND_NAMES["organisation"]),
        "personen": ~derived & (relations["Soort"] != KIND_NAMES["organisation"]),
        "afgeleid": derived,
    }
    out: dict[str, dict[str, int]] = {}
    for name, rows in groups.items():
        counts = relations.loc[rows.to_numpy(), "Actie"].value_counts()
        out[name] = {a: int(counts.get(a, 0)) for a in ACTIONS}
    return out


def client_counts(result: ImportResult) -> dict[str, int]:
    """Clients (the rows of the Relaties sheet) by kind, and the derived person relations."""
    split = {name: sum(counts.values()) for name, counts in relation_split(result).items()}
    return {"klanten": split["organisaties"] + split["personen"], **split}


def masked_bsn(values: pd.Series) -> pd.Series:
    text = values.astype(object)
    present = text.notna()
    out = pd.Series("", index=values.index, dtype=object)
    out[present] = "******" + text[present].astype(str).str[-3:]
    return out


def yes_no(values: pd.Series) -> pd.Series:
    return values.map({True: "Ja", False: "Nee"}).astype(object).where(values.notna(), "")


def _placed(values: np.ndarray, found: np.ndarray, index: pd.Index) -> pd.Series:
    """values at the rows where found is True, missing elsewhere."""
    out = np.full(len(index), np.nan, dtype=object)
    out[found] = values
    return pd.Series(out, index=index)


def _with_skipped(written: pd.DataFrame, planned: pd.DataFrame, skipped: set[str]) -> pd.DataFrame:
    lost = planned[planned["bundle"].isin(skipped)].assign(action=SKIPPED)
    frames = [f for f in (written, lost) if not f.empty]
    if not frames:
        return planned.iloc[:0].assign(action=None)
    return pd.concat(frames, ignore_index=True)


def result_tables(plan: Plan, written: Written, skipped: set[str]) -> dict[str, pd.DataFrame]:
    f = written.frames

    def kind(frame: pd.DataFrame, column: str = "relation_kind") -> pd.Series:
        return frame[column].map(KIND_NAMES)

    groups = f["groups"]
    employees = f["employees"]
    relations = _with_skipped(f["relations"], plan.relations, skipped)
    touched = relations_with_parts_changed(written)
    if touched:
        keys = pd.Series(list(zip(relations["kind"], relations["number"], strict=True)))
        parts_changed = (relations["action"] == UNCHANGED).to_numpy() & keys.isin(touched)
        relations.loc[parts_changed, "action"] = UPDATED
    sbr = plan.sbr.drop_duplicates(["relation_kind", "relation_number"])
    position = pd.Series(
        np.arange(len(sbr)),
        index=pd.MultiIndex.from_arrays([sbr["relation_kind"], sbr["relation_number"]]),
    )
    at = per_relation(position, relations["kind"], relations["number"])
    found = at.notna().to_numpy()
    rows = at[found].astype("int64").to_numpy()
    enabled, start, ideal = (
        _placed(sbr[column].to_numpy(dtype=object)[rows], found, relations.index)
        for column in ("enabled", "start_date", "ideal")
    )

    contacts = _with_skipped(f["contacts"], plan.contacts, skipped)
    people = plan.contacts[plan.contacts["last_name"].notna()].drop_duplicates("number")
    person_at = pd.Index(people["number"]).get_indexer(contacts["number"])
    person_found = person_at >= 0
    person_rows = person_at[person_found]

    def of_person(values: pd.Series) -> pd.Series:
        """The contact person's value for each contact row (one lookup for all columns)."""
        return _placed(values.to_numpy(dtype=object)[person_rows], person_found, contacts.index)

    entity_action = f["contact_entities"].set_index("number")["action"]
    link_rank = contacts["action"].map(_RANK)
    entity_rank = contacts["number"].map(entity_action).map(_RANK)
    combined = pd.concat([link_rank, entity_rank], axis=1).max(axis=1)
    rank_action = {v: k for k, v in _RANK.items()}
    contact_action = combined.map(rank_action).where(contacts["action"] != SKIPPED, SKIPPED)
    names = full_name(people) if not people.empty else pd.Series(dtype=object)

    products = _with_skipped(f["products"], plan.products, skipped)
    workflows = _with_skipped(f["workflows"], plan.workflows, skipped)
    rules = _with_skipped(f["planner_rules"], plan.planner_rules, skipped)
    roles = _with_skipped(f["roles"], plan.roles, skipped)
    return {
        "groups": pd.DataFrame(
            {
                "Naam": groups["name"],
                "Omschrijving": groups["description"],
                "Actie": groups["action"],
            }
        ),
        "employees": pd.DataFrame(
            {"Code": employees["code"], "Naam": employees["name"], "Actie": employees["action"]}
        ),
        "relations": pd.DataFrame(
            {
                "Relatienummer": relations["number"],
                "Soort": kind(relations, "kind"),
                "Naam": relations["name"],
                "Actie": relations["action"],
                "Afgeleid van contact": relations["derived_from_contact"],
                "BSN/RSIN": masked_bsn(relations["fiscal_number"]),
                "Relatiegroep": relations["group"],
                "SBR ingeschakeld": yes_no(enabled),
                "SBR startdatum": start,
                "SBR iDEAL": yes_no(ideal),
            }
        ),
        "contacts": pd.DataFrame(
            {
                "Relatienummer": contacts["relation_number"],
                "Soort": kind(contacts),
                "Contactnummer": contacts["number"],
                "Naam": of_person(names),
                "Soort contact": contacts["contact_type"],
                "E-mail": of_person(people["email"]),
                "Telefoon": of_person(people["phone"]),
                "Actie": contact_action,
            }
        ),
        "products": pd.DataFrame(
            {
                "Relatienummer": products["relation_number"],
                "Soort": kind(products),
                "Product": products["product"],
                "Tijdvak": products["period_type"],
                "Vanaf": products["start_period"],
                "Actie": products["action"],
            }
        ),
        "workflows": pd.DataFrame(
            {
                "Relatienummer": workflows["relation_number"],
                "Soort": kind(workflows),
                "Product": workflows["product"],
                "Workflow": workflows["name"],
                "Periode": workflows["period"],
                "Uiterste datum": workflows["due_date"],
                "Actie": workflows["action"],
            }
        ),
        "planner_rules": pd.DataFrame(
            {
                "Relatienummer": rules["relation_number"],
                "Soort": kind(rules),
                "Product": rules["product"],
                "Tijdvak": rules["period_type"],
                "Eerste periode": rules["first_period"],
                "Actie": rules["action"],
            }
        ),
        "roles": pd.DataFrame(
            {
                "Relatienummer": roles["relation_number"],
                "Soort": kind(roles),
                "Rol": roles["role"],
                "Medewerker": roles["employee"],
                "Actie": roles["action"],
            }
        ),
    }
