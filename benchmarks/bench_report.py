"""Report benchmark: `kantoor-batch report` of a large store, timed per part.

    python benchmarks/bench_import.py --organisations 100000 --work /dev/shm/kb-report
    python benchmarks/bench_report.py --work /dev/shm/kb-report [--planned-to DATE] [--as-of DATE]

bench_import.py leaves its store in the work folder (bench-kantoor.db: 100,000 organisations,
their owners' and partners' person relations, products, workflows, roles). This script copies
it (the original stays as the import made it), optionally runs the planner on the copy up to
a later date so that the store holds a year more of workflows, marks every fifth IB workflow
done, and then times build_report (the store queries) and write_report_workbook (the
workbook) at the as-of date, with the peak memory of the process and the sizes of the tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from kantoor_batch.export.report_workbook import write_report_workbook
from kantoor_batch.planner import run_planner
from kantoor_batch.report import build_report

AS_OF = dt.date(2026, 11, 29)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument(
        "--planned-to",
        type=dt.date.fromisoformat,
        help="run the planner on the copy up to this date first (more open workflows)",
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="the report's date (default the import's, or --planned-to); a later date without "
        "--planned-to finds every started period the planner has not made",
    )
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of the report")
    args = parser.parse_args()
    source = args.work / "bench-kantoor.db"
    if not source.exists():
        sys.exit(f"{source} is missing: run benchmarks/bench_import.py --work {args.work} first")
    db = args.work / "bench-report.db"
    shutil.copyfile(source, db)
    as_of = AS_OF
    if args.planned_to is not None:
        started = time.monotonic()
        planned = run_planner(db=str(db), as_of=args.planned_to)
        print(
            f"planner to {args.planned_to}: {planned.created} workflows in "
            f"{time.monotonic() - started:.1f} s"
        )
        as_of = args.planned_to
    as_of = args.as_of or as_of
    with sqlite3.connect(db) as connection:  # a fifth of the IB returns done
        connection.execute(
            "UPDATE workflows SET status = 'gereed', updated_run_id = 1 "
            "WHERE product = 'Aangifte IB' AND id % 5 = 0"
        )
        sizes = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("relations", "products", "workflows", "role_assignments")
        }
    print("store: " + ", ".join(f"{n} {table}" for table, n in sizes.items()))
    print(f"as of {as_of}")
    out = args.work / "bench-rapport.xlsx"
    for attempt in range(1, args.repeat + 1):
        started = time.monotonic()
        report = build_report(str(db), as_of=as_of)
        queried = time.monotonic() - started
        started = time.monotonic()
        write_report_workbook(report, out)
        written = time.monotonic() - started
        print(
            f"run {attempt}: queries {queried:.2f} s, workbook {written:.2f} s, "
            f"total {queried + written:.2f} s"
        )
    print(
        f"  deadlines {len(report.deadlines)} rows, findings {len(report.readiness)}, "
        f"portfolio {len(report.portfolio)}, workbook {out.stat().st_size / 1e6:.1f} MB"
    )
    print(f"  peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
