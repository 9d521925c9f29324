"""import_workbook: the whole pipeline, read -> validate -> rules -> store -> result.

Everything the run stores happens in one transaction that holds the store's write lock: a
client is stored whole or not at all (R12), a process killed halfway leaves nothing behind, and
a dry run is the real path rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Connection

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.clean.sheets import CleanSheet, clean_workbook, sheet_cleaner
from kantoor_batch.deadlines import use_income_tax_extension
from kantoor_batch.frames import shared_texts
from kantoor_batch.issues import Issue
from kantoor_batch.periods import use_calendar
from kantoor_batch.read.workbook import RawWorkbook, read_workbook
from kantoor_batch.result import (
    ImportResult,
    change_table,
    conflict_issues,
    count_actions,
    result_tables,
)
from kantoor_batch.rules import build_plan, slices
from kantoor_batch.rules.bundles import (
    STRUCTURAL,
    dependency_issues,
    failing_bundles,
    rows_not_stored,
)
from kantoor_batch.rules.numbers import check_numbers
from kantoor_batch.rules.plan import Existing, RuleInput
from kantoor_batch.rules.slices import client_slices, numbers_in_file
from kantoor_batch.store import load
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import DEFAULT_WAIT_SECONDS, Store
from kantoor_batch.store.ledger import finish_run, start_run
from kantoor_batch.store.stamps import Stamps, read_stamps
from kantoor_batch.store.write import write_plan
from kantoor_batch.validate.numbers import numeric_numbers
from kantoor_batch.validate.references import Known
from kantoor_batch.validate.report import sort_issues
from kantoor_batch.validate.workbook import check_workbook

Progress = Callable[[str], None]


def _known(store: Store, raw: RawWorkbook, catalogues: Catalogues) -> Known:
    """Groups and employees the store has, and stored numbers that number cells of the file
    may stand for (they are never removed by an import, so reading them before taking the
    lock is safe)."""
    if store.is_empty():
        return Known()
    sheets, _ = clean_workbook(raw, catalogues)  # cleaned while read: nothing is done again
    with store.reading() as connection:
        groups = load.all_rows(connection, s.relation_groups)
        employees = load.all_rows(connection, s.employees)
        padded = load.numbers_with_zeros(connection, numeric_numbers(sheets))
    return Known(
        groups=frozenset(groups["name_key"]) if not groups.empty else frozenset(),
        employees=frozenset(employees["code_key"]) if not employees.empty else frozenset(),
        zero_padded=frozenset(padded),
    )


def _existing(
    connection: Connection,
    sheets: dict[str, CleanSheet],
    catalogues: Catalogues,
    stored_ids: pd.Series,
) -> Existing:
    """What the rules need to know of the store (R4, R13), read in a few bulk queries.
    stored_ids: the ids of the stored relations with the file's relation numbers."""
    numbering = catalogues.numbering
    linked = load.linked_contacts(connection, list(stored_ids))
    return Existing(
        linked_contacts=linked,
        contacts_by_bsn=_by_bsn(connection, sheets["contacts"].data["bsn"], linked),
        numbers_taken=lambda numbers: load.numbers_taken(connection, numbers),
        highest_in_range=load.highest_in_range(connection, numbering.range_start)
        if numbering.scheme == "range"
        else None,
    )


def _by_bsn(connection: Connection, bsns: pd.Series, linked: pd.DataFrame) -> pd.DataFrame:
    """The stored contacts with a BSN of the file. A periodic upload names the contacts of
    its stored clients (linked) again: the store is asked only for the other BSNs, which saved
    reading some 430,000 contacts twice on a re-import of 100,000 clients. Where the store
    holds a BSN on two contacts (R4 never makes that; an edit outside the tool can), the one
    linked to the file's client is the one R4 takes."""
    wanted = pd.Index(bsns.dropna().unique())
    if linked.empty:
        return load.contacts_by_bsn(connection, wanted)
    columns = [c.name for c in s.contacts.columns]
    mine = linked[linked["bsn"].isin(wanted)][columns].drop_duplicates("id")
    rest = wanted.difference(pd.Index(mine["bsn"].unique()))
    others = load.contacts_by_bsn(connection, rest) if len(rest) else mine.iloc[:0]
    return pd.concat([mine, others], ignore_index=True) if len(others) else mine


def _contacts_read(existing: Existing) -> pd.DataFrame:
    """The stored contacts the rules were given (linked to the file's relations, or with one of
    its BSNs), every column of the contacts table, each once."""
    columns = [c.name for c in s.contacts.columns]
    parts = [
        frame[columns]
        for frame in (existing.linked_contacts, existing.contacts_by_bsn)
        if not frame.empty
    ]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.concat(parts, ignore_index=True).drop_duplicates("id").reset_index(drop=True)


def _owners_not_read(connection: Connection, relations: pd.DataFrame) -> pd.Series:
    """The numbers of the clients whose person relations relations holds, for the clients it
    does not hold itself (a person relation of a client outside the file or this slice)."""
    if relations.empty:
        return pd.Series(dtype=object)
    sources = pd.Index(relations["source_relation_id"].dropna().unique())
    missing = sources.difference(pd.Index(relations["id"]))
    return load.relation_numbers(connection, [int(i) for i in missing])


def _clients_of(connection: Connection, contacts: pd.DataFrame, numbers: list[str]) -> pd.DataFrame:
    """The clients the stored contacts with these numbers are linked to (for messages)."""
    ids = contacts.loc[contacts["number"].isin(numbers), "id"]
    return load.clients_of_contacts(connection, [int(i) for i in ids])


def import_workbook(
    path: Path | str,
    *,
    db: str | None = None,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    catalogues: Catalogues | None = None,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
    overwrite: bool = False,
    clients_per_slice: int | None = None,
) -> ImportResult:
    """Import an onboarding workbook into the store. Raises KantoorBatchError only when the run
    cannot start or the store fails; everything wrong in the data is in result.issues.

    A row of a workbook made by export whose stored record changed since the export is a
    conflict: not applied (outcome partial), unless overwrite.

    The rules and the store take the clients clients_per_slice at a time (default
    slices.CLIENTS_PER_SLICE; rules/slices.py), all in the run's one transaction; with
    all_or_nothing the whole file is one slice."""
    catalogues = catalogues or Catalogues()
    with (
        use_calendar(catalogues.calendar),  # four-week periods as the office states them
        use_income_tax_extension(catalogues.income_tax_extension),
    ):
        return _import(
            Path(path),
            db=db,
            as_of=as_of or dt.date.today(),
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            catalogues=catalogues,
            progress=progress,
            on_wait=on_wait,
            wait=wait,
            overwrite=overwrite,
            clients_per_slice=clients_per_slice or slices.CLIENTS_PER_SLICE,
        )


def _import(
    path: Path,
    *,
    db: str | None,
    as_of: dt.date,
    dry_run: bool,
    all_or_nothing: bool,
    catalogues: Catalogues,
    progress: Progress | None,
    on_wait: Callable[[], None] | None,
    wait: float,
    overwrite: bool,
    clients_per_slice: int,
) -> ImportResult:
    started_at = dt.datetime.now(dt.UTC)
    timings: dict[str, float] = {}
    stage = _Stages(timings, progress)

    store = Store(db, wait=wait)
    stage("read")
    raw = read_workbook(path, each_sheet=sheet_cleaner(catalogues))  # cleaned while read
    stage("validate")
    known = _known(store, raw, catalogues)
    report = check_workbook(raw, catalogues=catalogues, as_of=as_of, known=known)

    with store.transaction(rollback=dry_run, on_wait=on_wait) as connection:
        stage("rules")
        run_id = start_run(
            connection,
            file_name=path.name,
            sha256=report.sha256,
            as_of=as_of,
            started_at=started_at,
            all_or_nothing=all_or_nothing,
        )
        stamps, stamp_issues = read_stamps(report.sheets)
        issues = list(report.issues) + stamp_issues
        issues += dependency_issues(issues, report.sheets, set(known.groups), set(known.employees))
        structural = any(i.code in STRUCTURAL and i.is_error for i in issues)
        # All or nothing decides on the whole file at once: one slice.
        sliced = client_slices(
            report.sheets, None if all_or_nothing or structural else clients_per_slice
        )
        context = _SliceContext(
            connection=connection,
            run_id=run_id,
            catalogues=catalogues,
            as_of=as_of,
            stamps=stamps,
            overwrite=overwrite,
            all_or_nothing=all_or_nothing,
            numbers_in_file=numbers_in_file(report.sheets) if len(sliced) > 1 else frozenset(),
        )
        parts: list[_SliceDone] = []
        for number in range(len(sliced)):
            stage("rules")
            sheets = sliced.sheets(report.sheets, number)
            parts.append(_import_slice(context, sheets, issues, stage))
            del sheets
        issues += [i for part in parts for i in part.issues]
        skipped = set().union(*(part.skipped for part in parts))
        all_bundles = set().union(*(part.bundles for part in parts))
        not_stored = rows_not_stored(issues, report.sheets, all_bundles)
        rejected = any(i.code == "import-rejected" for i in issues)
        tables = _joined([part.tables for part in parts])
        changes = pd.concat([part.changes for part in parts], ignore_index=True)
        held_back = any(part.held_back for part in parts)
        del parts
        outcome = decide_outcome(rejected, skipped, all_bundles, not_stored, held_back)
        counts = count_actions(tables)
        finish_run(connection, run_id, outcome, counts)

    stage.done()
    timings["total"] = sum(timings.values())
    return ImportResult(
        path=path,
        sha256=report.sha256,
        as_of=as_of,
        dry_run=dry_run,
        run_id=None if dry_run else run_id,
        outcome=outcome,
        started_at=started_at,
        seconds=time.monotonic() - stage.start,
        timings=timings,
        report=report,
        issues=sort_issues(issues, report.sheets),
        tables=tables,
        skipped_bundles=skipped,
        rows_not_stored=_flat(not_stored, report.sheets),
        store=store.url,
        action_counts=counts,
        changes=changes,
    )


@dataclass(frozen=True)
class _SliceContext:
    """What every slice of one run shares."""

    connection: Connection
    run_id: int
    catalogues: Catalogues
    as_of: dt.date
    stamps: Stamps
    overwrite: bool
    all_or_nothing: bool
    numbers_in_file: frozenset[str]


@dataclass
class _SliceDone:
    """What a slice of clients left for the run's result: its issues (beyond the file's), the
    clients it skipped, all its clients, its result tables and its changes."""

    issues: list[Issue]
    skipped: set[str]
    bundles: set[str]
    tables: dict[str, pd.DataFrame]
    changes: pd.DataFrame
    held_back: bool


def _import_slice(
    run: _SliceContext,
    sheets: dict[str, CleanSheet],
    file_issues: list[Issue],
    stage: Callable[[str], None],
) -> _SliceDone:
    """Rules, checks and store for the clients of one slice (rules/slices.py), in the run's
    transaction. The store is read once per table: what the rules need, then only what the
    plan names beyond it (derived person relations, contacts of other relations)."""
    connection = run.connection
    file_relations = sheets["relations"].data["relation_number"].dropna()
    relations_read = load.relations_by_number(connection, file_relations)
    existing = _existing(connection, sheets, run.catalogues, relations_read["id"])
    plan = build_plan(RuleInput(sheets, run.catalogues, run.as_of, existing, run.numbers_in_file))
    contacts_read = _contacts_read(existing)
    del existing  # a re-import of 100,000 clients: a few hundred MB not to keep around
    relations_before = load.by_number(
        connection, s.relations, plan.relations["number"], relations_read, file_relations
    )
    del relations_read
    contacts_before = load.by_number(
        connection, s.contacts, plan.contacts["number"], contacts_read, contacts_read["number"]
    )
    del contacts_read
    issues = check_numbers(
        plan,
        sheets,
        relations_before,
        contacts_before,
        lambda numbers: _clients_of(connection, contacts_before, numbers),
        _owners_not_read(connection, relations_before),
    )
    every_issue = file_issues + issues
    skipped = _skipped_bundles(every_issue, sheets, plan.relations, run.all_or_nothing)
    all_bundles = set(plan.relations["bundle"].dropna())
    not_stored = rows_not_stored(every_issue, sheets, all_bundles)
    if any(i.code in STRUCTURAL and i.is_error for i in every_issue):
        issues.append(_rejected("de werkmap mist een blad of kolom"))
    elif (skipped or not_stored) and run.all_or_nothing:
        skipped = all_bundles
        issues.append(_rejected("--all-or-nothing en er zijn fouten"))
    rejected = any(i.code == "import-rejected" for i in issues)

    stage("store")
    kept = plan.without_bundles(skipped).without_rows(
        {key: rows for key, rows in not_stored.items() if key in ("groups", "employees")},
        everything=rejected,
    )
    written = write_plan(
        connection,
        kept,
        run.run_id,
        relations_before,
        contacts_before,
        stamps=run.stamps,
        overwrite=run.overwrite,
    )
    issues += conflict_issues(written.conflicts, sheets)
    return _SliceDone(
        issues=issues,
        skipped=skipped,
        bundles=all_bundles,
        # A million clients' result tables hold 30 million rows until the workbook is
        # written: their period texts and deadline dates are made per row, so share them.
        tables={
            key: shared_texts(table, ("string", "date"))
            for key, table in result_tables(plan, written, skipped).items()
        },
        changes=change_table(written.changes, written.conflicts),
        held_back=not written.conflicts.empty and not run.overwrite,
    )


def _joined(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """The slices' result tables as one table per kind, each joined and its parts let go
    before the next: all of them twice at once was a gigabyte more at a million clients."""
    if len(parts) == 1:
        return parts[0]
    tables: dict[str, pd.DataFrame] = {}
    for key in list(parts[0]):
        tables[key] = pd.concat([part.pop(key) for part in parts], ignore_index=True)
    return tables


def decide_outcome(
    rejected: bool,
    skipped: set[str],
    bundles: set[str],
    not_stored: dict[str, set[int]],
    held_back: bool = False,
) -> str:
    """completed: everything stored; partial: clients skipped, rows not stored or changes
    held back as conflicts; rejected: nothing stored."""
    if rejected or (bundles and skipped >= bundles):
        return "rejected"
    return "partial" if skipped or not_stored or held_back else "completed"


def _flat(rows: dict[str, set[int]], sheets: dict[str, CleanSheet]) -> list[tuple[str, int]]:
    return sorted((sheets[key].title, row) for key, found in rows.items() for row in found)


def _rejected(reason: str) -> Issue:
    return Issue("import-rejected", None, None, None, params={"reason": reason})


def _skipped_bundles(
    issues: list[Issue],
    sheets: dict[str, CleanSheet],
    relations: pd.DataFrame,
    all_or_nothing: bool,
) -> set[str]:
    bundles = set(relations["bundle"].dropna())
    failing = failing_bundles(issues, sheets) & bundles
    structural = any(i.code in STRUCTURAL and i.is_error for i in issues)
    if structural or (all_or_nothing and any(i.is_error for i in issues)):
        return bundles
    return failing


class _Stages:
    """Times each stage and tells the progress callback which one starts."""

    def __init__(self, timings: dict[str, float], progress: Progress | None) -> None:
        self.timings = timings
        self.progress = progress
        self.start = time.monotonic()
        self.current: str | None = None
        self.since = self.start

    def __call__(self, name: str) -> None:
        """Start a stage; rules and store start once per slice of clients, and their times
        add up (the progress callback hears of each stage once)."""
        if name == self.current:
            return
        self.done()
        if self.progress is not None and name not in self.timings:
            self.progress(name)
        self.current, self.since = name, time.monotonic()

    def done(self) -> None:
        if self.current is not None:
            spent = time.monotonic() - self.since
            self.timings[self.current] = self.timings.get(self.current, 0.0) + spent
            self.current = None
