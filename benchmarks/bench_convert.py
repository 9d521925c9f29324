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
from kantoor_batch.convert.report import write_conversion_workbook  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kb-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    export = args.work / f"klanten-{args.rows}.csv"
    if not export.exists():
        write_flat(export, flat_rows(args.rows))
    profile = load_profile(REPO / "profiles" / "klanten-plat.toml")
    started = time.perf_counter()
    result = convert_exports([export], profile)
    converted = time.perf_counter()
    target = args.work / f"klanten-{args.rows}-onboarding.xlsx"
    write_conversion_workbook(result, target)
    written = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = ", ".join(f"{sheet} {n}" for sheet, n in result.written().items() if n)
    print(f"{args.rows} source rows -> {counts}; errors: {sum(i.is_error for i in result.issues)}")
    print(f"read + convert: {converted - started:.1f} s")
    print(f"write workbook: {written - converted:.1f} s")
    print(f"total:          {written - started:.1f} s, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
