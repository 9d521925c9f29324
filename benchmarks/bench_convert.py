"""Conversion benchmark: a flat client CSV of N rows (Windows-1252, ';', owner and partner side
by side, the sample export's shape) converted by profiles/klanten-plat.toml into an onboarding
workbook, timing reading, converting and writing.

    python benchmarks/bench_convert.py --rows 100000 [--work /dev/shm/bench]

Every row uses each feature of that profile: a value map, a name split for owner and partner,
a street line split, zero padding, dates in dd-mm-jjjj, one row into a relation and up to two
contacts. The CSV is generated once per size (fixed seed) in --work.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "samples"))

from build_exports import flat_rows, write_flat  # type: ignore[import-not-found]  # noqa: E402

from kantoor_batch.convert.engine import convert_exports  # noqa: E402
from kantoor_batch.convert.profile import load_profile  # noqa: E402
from kantoor_batch.convert.report import (  # noqa: E402
    write_conversion_csv,
    write_conversion_workbook,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kb-bench")
    parser.add_argument(
        "--output", choices=["xlsx", "csv", "both"], default="both", help="what to write"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    export = args.work / f"klanten-{args.rows}.csv"
    if not export.exists():
        write_flat(export, flat_rows(args.rows))
    profile = load_profile(REPO / "profiles" / "klanten-plat.toml")
    started, cpu = time.perf_counter(), time.process_time()
    result = convert_exports([export], profile)
    counts = ", ".join(f"{sheet} {n}" for sheet, n in result.written().items() if n)
    print(f"{args.rows} source rows -> {counts}; errors: {sum(i.is_error for i in result.issues)}")
    print(f"read + convert:         {_since(started, cpu)}")
    if args.output in ("csv", "both"):
        started, cpu = time.perf_counter(), time.process_time()
        write_conversion_csv(result, args.work / f"klanten-{args.rows}-onboarding")
        print(f"write sheets as CSV:    {_since(started, cpu)}")
    if args.output in ("xlsx", "both"):
        started, cpu = time.perf_counter(), time.process_time()
        write_conversion_workbook(result, args.work / f"klanten-{args.rows}-onboarding.xlsx")
        print(f"write workbook (.xlsx): {_since(started, cpu)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


def _since(started: float, cpu: float) -> str:
    """Wall and CPU seconds since then: on a shared machine the wall time says little alone."""
    return f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU"


if __name__ == "__main__":
    main()
