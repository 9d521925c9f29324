"""The round trip at scale (issue 10): import a generated workbook of N organisations, export
the store, import the export, and check that every row is 'ongewijzigd', that nothing was
recorded as changed and that no row is a conflict; then change the store after the export
and check that the export's row for it comes back as a conflict.

    python -m benchmarks.round_trip --organisations 10000 [--db postgresql://...]

The workbook comes from bench_import.generate (kept in --work). Without --db the store is a
new SQLite file in --work; with a PostgreSQL URL, a new schema in that database, dropped at the
end. Prints the time of each step and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from benchmarks.bench_import import AS_OF, generate

from kantoor_batch import export_store, import_workbook
from kantoor_batch.result import HELD_BACK
from kantoor_batch.store.database import Store


def _store_url(db: str | None, work: Path) -> tuple[str, str | None]:
    if db is None:
        path = work / f"round-trip-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", None
    schema = f"kb_round_trip_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    separator = "&" if "?" in db else "?"
    return f"{db}{separator}options=-csearch_path%3D{schema}", schema


def _drop(db: str, schema: str) -> None:
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--db", help="a PostgreSQL URL; default: a new SQLite file in --work")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    workbook = args.work / f"bench-{args.organisations}.xlsx"
    if not workbook.exists():
        generate(args.organisations, workbook)
    url, schema = _store_url(args.db, args.work)
    failures: list[str] = []
    try:
        started = time.monotonic()
        first = import_workbook(workbook, db=url, as_of=AS_OF)
        print(f"import  {time.monotonic() - started:6.1f} s  outcome {first.outcome}")
        started = time.monotonic()
        exported = export_store(url, args.work / "round-trip-export.xlsx")
        print(f"export  {time.monotonic() - started:6.1f} s  rows {exported.sheet_counts()}")
        with Store(url).reading() as connection:  # an edit in the store after the export
            connection.execute(
                sa.text(
                    "UPDATE relations SET city = 'Ergens' "
                    "WHERE id = (SELECT min(id) FROM relations)"
                )
            )
            connection.commit()
        started = time.monotonic()
        again = import_workbook(exported.path, db=url, as_of=AS_OF)
        print(f"again   {time.monotonic() - started:6.1f} s  outcome {again.outcome}")
        moved = {
            kind: {a: n for a, n in counts.items() if n and a not in ("ongewijzigd",)}
            for kind, counts in again.counts().items()
        }
        moved = {kind: counts for kind, counts in moved.items() if counts}
        held = again.changes[again.changes["Status"] == HELD_BACK]
        if moved != {"Relaties": {"conflict": 1}}:
            failures.append(f"expected only the one conflict, found {moved}")
        if again.changed_values:
            failures.append(f"{again.changed_values} values changed")
        if list(held["Veld"]) != ["Plaats"]:
            failures.append(f"held back: {held.to_dict('records')}")
    finally:
        if schema is not None and args.db is not None:
            _drop(args.db, schema)
    for failure in failures:
        print("FOUT:", failure)
    print("round trip exact" if not failures else "round trip NOT exact")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
