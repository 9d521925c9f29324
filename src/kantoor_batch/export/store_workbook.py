"""kantoor-batch export: the store, or a selection of it, as an onboarding workbook that imports
back without a single change (the round trip).

What the import derives is not written, so that a re-import recognises it instead of deriving
it twice: person relations derived from a contact come back as that contact's row with
Relatie aanmaken = Ja (and Aangifte IB = Nee when the person has no Aangifte IB); their own
'Zelf' link, the household links of R6, their Aangifte IB and their inherited roles are left
out (R13 keeps what is stored for all of them). Every contact row carries its stored
Contactnummer, so that numbers match exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from sqlalchemy.engine import Connection

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.export.files import make_folder, written_whole
from kantoor_batch.export.filled_workbook import write_streamed_workbook
from kantoor_batch.rules.person_relations import SELF_LINK
from kantoor_batch.rules.plan import CONTACT_FIELDS, KIND_NAMES, RELATION_FIELDS
from kantoor_batch.spec import SHEETS
from kantoor_batch.store.database import DEFAULT_WAIT_SECONDS, open_existing
from kantoor_batch.store.export_query import (
    StoredClients,
    groups_and_employees,
    read_clients,
    selected_ids,
)
from kantoor_batch.store.load import CHUNK
from kantoor_batch.store.stamps import (
    SLOTS,
    STAMP_COLUMN,
    last_run_id,
    record_hashes,
    stamp_texts,
)

Format = Literal["xlsx", "csv"]
OWNER = "Ondernemer"
# The columns of a Relaties and a Contacten row, as the rules read them (rules/plan.py).
RELATION_COLUMNS = (*RELATION_FIELDS, "group", "integration")
CONTACT_COLUMNS = CONTACT_FIELDS


@dataclass
class ExportResult:
    """What an export wrote: the file (or CSV folder) and the rows per sheet."""

    path: Path
    format: str
    rows: dict[str, int] = field(default_factory=dict)
    # Numbers given with relations= that no exported relation has (unknown, not in the other
    # selections, or a person relation derived from a contact, which comes with its client).
    not_found: list[str] = field(default_factory=list)

    def sheet_counts(self) -> dict[str, int]:
        """Rows per sheet, by the sheet's Dutch name."""
        return {sheet.name: self.rows.get(sheet.key, 0) for sheet in SHEETS}

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "format": self.format,
            "rows": self.sheet_counts(),
            "not_found": list(self.not_found),
        }


def export_store(
    db: str | None,
    path: Path | str,
    *,
    groups: Sequence[str] | None = None,
    employees: Sequence[str] | None = None,
    relations: Sequence[str] | None = None,
    format: Format = "xlsx",
    catalogues: Catalogues | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
) -> ExportResult:
    """Write the store (or the relations selected by group, employee code or number) as an
    onboarding workbook (xlsx), or as one CSV file per sheet in the folder named by path's stem.
    The store must exist; it is only read, under the store's write lock (another run holding
    it is waited for, at most wait seconds; on_wait is called when that starts)."""
    store = open_existing(db, wait=wait)
    target = Path(path)
    # The store's write lock, rolled back: no import, planner run or undo writes while the
    # export reads (a consistent picture; on SQLite a long read would also make an import's
    # commit fail), and the export waits for one that runs, as they wait for each other.
    with store.transaction(rollback=True, on_wait=on_wait) as connection:
        ids = selected_ids(connection, groups=groups, employees=employees, numbers=relations)
        selected = bool(groups or employees or relations)
        found: set[str] = set()
        chunks = _chunks(connection, ids, selected=selected, numbers=found)
        if format == "csv":
            target, counts = write_csv_folder(target, chunks)
        else:
            counts = write_streamed_workbook(target, catalogues or Catalogues(), chunks)
    not_found = [n.strip() for n in relations or () if n.strip() not in found]
    return ExportResult(target, format, counts, not_found=not_found)


def _chunks(
    connection: Connection, ids: list[int], *, selected: bool, numbers: set[str]
) -> Iterator[dict[str, list[list[object]]]]:
    """The rows of each sheet, CHUNK relations at a time; the groups and employees they use
    last (all of them when nothing is selected). numbers collects the exported numbers."""
    group_ids: set[int] = set()
    codes: set[str] = set()
    stamp = _Stamper(last_run_id(connection))
    for at in range(0, len(ids), CHUNK):
        clients = read_clients(connection, ids[at : at + CHUNK])
        numbers.update(clients.relations["number"])
        group_ids.update(int(g) for g in clients.relations["group_id"].dropna())
        codes.update(clients.roles["employee"] if not clients.roles.empty else ())
        yield _rows(
            {
                "relations": _relations(clients, stamp),
                "contacts": _contacts(clients, stamp),
                "products": _products(clients, stamp),
                "roles": _roles(clients, stamp),
            }
        )
    groups, employees = groups_and_employees(
        connection, group_ids if selected else None, codes if selected else None
    )
    groups = stamp.onto(groups, "groups", relation_group=groups)
    employees = stamp.onto(employees, "employees", employee=employees)
    yield _rows(
        {
            "groups": [
                {"name": g["name"], "description": g["description"], STAMP_COLUMN: g[STAMP_COLUMN]}
                for g in _records(groups)
            ],
            "employees": [
                {
                    "code": e["code"],
                    "name": e["name"],
                    "email": e["email"],
                    STAMP_COLUMN: e[STAMP_COLUMN],
                }
                for e in _records(employees)
            ],
        }
    )


class _Stamper:
    """The export stamp of each row (store/stamps.py): the ledger's last run and the hash of
    every record the row states, in the slots the import reads them from."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id

    def onto(self, rows: pd.DataFrame, sheet: str, **records: pd.DataFrame) -> pd.DataFrame:
        """rows with a STAMP_COLUMN; records: per entity, the stored record of each row (same
        index as rows, missing where the row has none)."""
        if rows.empty:
            return rows.assign(**{STAMP_COLUMN: pd.Series(dtype=object)})
        slots = sorted(
            ((SLOTS[(entity, sheet)], frame) for entity, frame in records.items()),
            key=lambda pair: pair[0].position,
        )
        hashes = [
            record_hashes(frame[frame.notna().any(axis=1)], slot.fields).reindex(rows.index)
            for slot, frame in slots
        ]
        return rows.assign(**{STAMP_COLUMN: stamp_texts(self.run_id, hashes)})


def _rows(records: dict[str, list[dict[str, object]]]) -> dict[str, list[list[object]]]:
    """Records as rows in the template's column order."""
    return {
        sheet.key: [[_value(r.get(c.key)) for c in sheet.columns] for r in records[sheet.key]]
        for sheet in SHEETS
        if sheet.key in records
    }


def _value(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if value is pd.NaT:
        return None
    return value


def _yes_no(value: object) -> str | None:
    value = _value(value)
    if value is None:
        return None
    return "Ja" if bool(value) else "Nee"


def _records(data: pd.DataFrame) -> list[dict[str, Any]]:
    return (
        [] if data.empty else [{str(k): v for k, v in r.items()} for r in data.to_dict("records")]
    )


def _aligned(records: pd.DataFrame, key: str, keys: pd.Series) -> pd.DataFrame:
    """The record of each key (one row per key, all missing where there is none), indexed
    like keys: the records a sheet's rows state, for their stamps."""
    found = records.drop_duplicates(key).set_index(key).reindex(keys.to_numpy())
    return found.set_axis(keys.index)


def _relations(clients: StoredClients, stamp: _Stamper) -> list[dict[str, object]]:
    relations = clients.relations
    relations = stamp.onto(
        relations,
        "relations",
        relation=relations,
        sbr_settings=_aligned(clients.sbr, "relation_id", relations["id"]),
    )
    first_onboarding = clients.onboarding.drop_duplicates("relation_id")
    onboarding = dict(zip(first_onboarding["relation_id"], first_onboarding["name"], strict=True))
    ideal = dict(zip(clients.sbr["relation_id"], clients.sbr["ideal"], strict=True))
    rows = []
    for r in _records(relations):
        row: dict[str, object] = {c: r[c] for c in (*RELATION_COLUMNS, STAMP_COLUMN)}
        row["relation_number"] = r["number"]
        row["kind"] = KIND_NAMES[r["kind"]]
        row["onboarding_workflow"] = onboarding.get(r["id"])
        row["sbr_ideal"] = _yes_no(ideal.get(r["id"]))
        rows.append(row)
    return rows


def _contacts(clients: StoredClients, stamp: _Stamper) -> list[dict[str, object]]:
    """One row per link of an exported relation to a contact (plain dict look-ups: a row costs
    microseconds, 300,000 of them a second or two)."""
    links = clients.links
    if links.empty:
        return []
    links = stamp.onto(
        links,
        "contacts",
        contact=links,
        relation_contact=links,
        relation=_aligned(clients.derived, "contact_id", links["id"]),
    )
    numbers = _by_id(clients.relations, "number")
    persons = {p["contact_id"]: p for p in _records(clients.derived.drop_duplicates("contact_id"))}
    contact_numbers = dict(zip(links["id"], links["number"], strict=True))
    owners = links[links["contact_type"] == OWNER]
    owner_count = owners.groupby("relation_id")["id"].nunique().to_dict()
    owner_pairs = set(zip(owners["relation_id"], owners["id"], strict=True))
    household_of: dict[int, list[int]] = {}
    for h in _records(clients.household):
        household_of.setdefault(int(h["relation_id"]), []).append(int(h["contact_id"]))
    rows = []
    for link in _records(links):
        if link["contact_type"] == SELF_LINK:
            continue
        relation_id = link["relation_id"]
        row: dict[str, object] = {c: link[c] for c in (*CONTACT_COLUMNS, STAMP_COLUMN)}
        row["relation_number"] = numbers[relation_id]
        row["contact_number"] = link["number"]
        row["contact_type"] = link["contact_type"]
        person = persons.get(link["id"])
        row["create_relation"] = "Ja" if person is not None else "Nee"
        if person is not None:
            # One row states both the contact and its person relation. Where the two differ
            # (corrected in the package since), the cell stays empty: an empty cell leaves
            # both stored values alone (R13), a filled one would overwrite one of them.
            for column, stored in (
                ("email", "email"),
                ("phone", "phone"),
                ("bsn", "fiscal_number"),
            ):
                if _value(person[stored]) != _value(row[column]):
                    row[column] = None
            if not bool(person["has_income_tax"]):
                row["income_tax_return"] = "Nee"
            if owner_count.get(relation_id, 0) > 1:
                for owner in household_of.get(int(person["id"]), []):
                    if (relation_id, owner) in owner_pairs:
                        row["belongs_to"] = contact_numbers[owner]
                        break
        rows.append(row)
    return rows


def _by_id(data: pd.DataFrame, column: str) -> dict[Any, Any]:
    return dict(zip(data["id"], data[column], strict=True)) if not data.empty else {}


def _products(clients: StoredClients, stamp: _Stamper) -> list[dict[str, object]]:
    numbers = _by_id(clients.relations, "number")
    products = stamp.onto(clients.products, "products", product=clients.products)
    return [
        {
            "relation_number": numbers[p["relation_id"]],
            "product": p["product"],
            "period_type": p["period_type"],
            "start_period": p["start_period"],
            "sbr": _yes_no(p["sbr"]),
            STAMP_COLUMN: p[STAMP_COLUMN],
        }
        for p in _records(products)
        if p["relation_id"] in numbers
    ]


def _roles(clients: StoredClients, stamp: _Stamper) -> list[dict[str, object]]:
    numbers = _by_id(clients.relations, "number")
    roles = stamp.onto(clients.roles, "roles", role_assignment=clients.roles)
    return [
        {
            "relation_number": numbers[r["relation_id"]],
            "role": r["role"],
            "employee": r["employee"],
            STAMP_COLUMN: r[STAMP_COLUMN],
        }
        for r in _records(roles)
        if r["relation_id"] in numbers
    ]


def csv_folder(path: Path) -> Path:
    """Where the CSV files of an export to path go: a folder named after its stem."""
    return path.with_suffix("") if path.suffix.lower() in (".csv", ".xlsx") else path


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def write_csv_folder(
    path: Path, chunks: Iterable[dict[str, list[list[object]]]]
) -> tuple[Path, dict[str, int]]:
    """One file per sheet, UTF-8 with BOM and ';' as Dutch Excel writes and opens them, rows
    appended chunk by chunk. Dates as dd-mm-jjjj; a value starting with =, +, - or @ is
    written as it is, which Excel may read as a formula: the xlsx export is the one to edit."""
    folder = csv_folder(path)
    make_folder(folder, folder)
    counts = {sheet.key: 0 for sheet in SHEETS}
    with ExitStack() as stack:
        writers = {}
        for sheet in SHEETS:
            temporary = stack.enter_context(written_whole(folder / f"{sheet.name}.csv"))
            handle = stack.enter_context(temporary.open("w", encoding="utf-8-sig", newline=""))
            writers[sheet.key] = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writers[sheet.key].writerow([c.header for c in sheet.columns])
        for chunk in chunks:
            for key, rows in chunk.items():
                writers[key].writerows([_csv_text(v) for v in row] for row in rows)
                counts[key] += len(rows)
    return folder, counts
