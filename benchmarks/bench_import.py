"""End-to-end import benchmark: a generated valid workbook of N organisations into a fresh
SQLite store, timing each stage and the peak memory of the import process.

    python benchmarks/bench_import.py --organisations 100000 [--again]

Each organisation has one to three contacts (an Ondernemer with BSN, sometimes a fiscal
partner, sometimes a child), two to four products and a role. The workbook is generated once
per size and kept in the folder given by --work (default: the system's temp folder). The
import runs in a child process, so the peak memory is the import's own (read, validate, rules,
store and both output workbooks), not the generator's. Target on a 2-core machine: 100,000
organisations in under 60 seconds with a peak under 2 GiB. --again imports the same workbook a
second time into that store, as a periodic upload would (everything unchanged), and reports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from rustpy_xlsxwriter import FastExcel

from kantoor_batch.export.error_workbook import write_error_workbook
from kantoor_batch.export.result_workbook import result_workbook_path, write_result_workbook
from kantoor_batch.importer import import_workbook

AS_OF = dt.date(2026, 11, 29)
WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2])
LEGAL_FORMS = np.array(["BV", "Eenmanszaak", "VOF", "BV", "Stichting", "Maatschap"])
PRODUCTS = [
    ("Aangifte OB", "Kwartaal", ""),
    ("Jaarrekening", "", ""),
    ("Loonheffingen", "Maand", ""),
    ("Aangifte Vpb", "", ""),
    ("Opgaaf ICP", "Kwartaal", "2026-K1"),
    ("Loonheffingen", "Vier weken", "2026-P01"),
]


def valid_bsns(rng: np.random.Generator, count: int) -> np.ndarray:
    """count distinct nine-digit numbers passing the 11-test."""
    found: list[str] = []
    while len(found) < count:
        digits = rng.integers(0, 10, size=(count * 2, 8))
        digits[:, 0] = rng.integers(1, 10, size=count * 2)
        check = (digits @ WEIGHTS) % 11
        good = check < 10
        numbers = [
            "".join(map(str, d)) + str(c) for d, c in zip(digits[good], check[good], strict=True)
        ]
        found = list(dict.fromkeys(found + numbers))
    return np.array(found[:count])


def generate(organisations: int, path: Path, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    n = organisations
    numbers = np.char.zfill(np.arange(1, n + 1).astype(str), 6)
    forms = LEGAL_FORMS[rng.integers(0, len(LEGAL_FORMS), n)]
    bsns = iter(valid_bsns(rng, 4 * n))
    relations = pd.DataFrame(
        {
            "Relatienummer": numbers,
            "Soort": "Organisatie",
            "Naam": [f"Onderneming {i}" for i in range(1, n + 1)],
            "Rechtsvorm": forms,
            "KvK-nummer": np.char.zfill(rng.integers(1, 99_999_999, n).astype(str), 8),
            "BSN/RSIN": [next(bsns) for _ in range(n)],
            "E-mail": [f"info@klant{i}.nl" for i in range(1, n + 1)],
            "Telefoon": [f"050-{3_100_000 + i % 800_000}" for i in range(n)],
            "Straat": "Herestraat",
            "Huisnummer": (rng.integers(1, 300, n)).astype(str),
            "Postcode": "9711 LM",
            "Plaats": "Groningen",
            "Boekjaar begint": np.where(rng.random(n) < 0.1, "01-07", ""),
            "Relatiegroep": [f"Groep {i % 10}" for i in range(n)],
            "SBR iDEAL": np.where(rng.random(n) < 0.2, "Ja", "Nee"),
        }
    )
    fiscal = relations["BSN/RSIN"].tolist()
    contacts, products, roles = [], [], []
    contact_counts = rng.integers(1, 4, n)
    product_counts = rng.integers(2, 5, n)
    kinds = ["Ondernemer", "Fiscaal partner", "Kind"]
    for i in range(n):
        number = numbers[i]
        for k in range(contact_counts[i]):
            bsn = next(bsns) if k < 2 else ""
            if k == 0 and forms[i] == "Eenmanszaak":  # R5: the eenmanszaak's BSN is the owner's
                bsn = fiscal[i]
            contacts.append((number, kinds[k], f"Persoon{k}", f"Achternaam{i}", bsn))
        start = rng.integers(0, len(PRODUCTS))
        for p in range(product_counts[i]):
            product, period_type, vanaf = PRODUCTS[(start + p) % len(PRODUCTS)]
            if product == "Aangifte Vpb" and forms[i] != "BV":
                continue  # R7: Vpb fits a BV, not an eenmanszaak, VOF or maatschap
            if product == "Aangifte Vpb" and relations.at[i, "Boekjaar begint"] == "01-07":
                vanaf = "2025/2026"
            products.append((number, product, period_type, vanaf))
        roles.append((number, "Relatiebeheerder", f"M{i % 20:02d}"))
    contact_frame = pd.DataFrame(
        contacts, columns=["Relatienummer", "Soort contact", "Voornaam", "Achternaam", "BSN"]
    )
    product_frame = pd.DataFrame(products, columns=["Relatienummer", "Product", "Tijdvak", "Vanaf"])
    # One product per relation: the same product twice (two Loonheffingen rows) is an error.
    product_frame = product_frame.drop_duplicates(["Relatienummer", "Product"])
    (
        FastExcel(str(path))
        .sheet("Relatiegroepen", pd.DataFrame({"Naam": [f"Groep {i}" for i in range(10)]}))
        .sheet(
            "Medewerkers",
            pd.DataFrame(
                {
                    "Code": [f"M{i:02d}" for i in range(20)],
                    "Naam": [f"Medewerker {i}" for i in range(20)],
                }
            ),
        )
        .sheet("Relaties", relations.replace("", None))
        .sheet("Contacten", contact_frame.replace("", None))
        .sheet("Producten", product_frame.replace("", None))
        .sheet("Rollen", pd.DataFrame(roles, columns=["Relatienummer", "Rol", "Medewerker"]))
        .save()
    )
    return path


def run_import(workbook: Path, db: Path, out: Path) -> dict[str, object]:
    """The import as the CLI does it, timed by stage; runs in the child process."""
    result = import_workbook(workbook, db=f"sqlite:///{db}", as_of=AS_OF)
    started = time.monotonic()
    write_result_workbook(result, result_workbook_path(workbook, out))
    if result.skipped_bundles:
        write_error_workbook(
            result.report,
            out / "fouten.xlsx",
            issues=result.issues,
            bundles=result.skipped_bundles,
            include=lambda i: i.is_error,
        )
    timings = {k: v for k, v in result.timings.items() if k != "total"}
    timings["export"] = time.monotonic() - started
    timings["total"] = sum(timings.values())  # printed last: every stage, export included
    return {
        "timings": timings,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "counts": result.counts(),
        "errors": result.errors,
        "warnings": result.warnings,
    }


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: this machine's speed varies by half from hour to
    hour, so a figure is only comparable next to this one."""
    started = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument(
        "--again",
        action="store_true",
        help="import the same workbook a second time into the same store (a periodic upload: "
        "everything unchanged) and report that run too",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep-store", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    if args.child is not None:
        db = work / "bench-kantoor.db"
        if not args.keep_store:
            db.unlink(missing_ok=True)
        print(json.dumps(run_import(args.child, db, work), default=str))
        return

    workbook = work / f"bench-{args.organisations}.xlsx"
    if not workbook.exists():
        started = time.monotonic()
        generate(args.organisations, workbook)
        print(f"generated {workbook} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    reference = machine_speed()
    print(f"organisations: {args.organisations}")
    print(f"  reference loop {reference:.2f} s (machine speed; compare runs next to it)")
    runs = [("first import, fresh store", []), ("same workbook again", ["--keep-store"])]
    for title, extra in runs if args.again else runs[:1]:
        child = subprocess.run(  # noqa: S603 - this script, with our own arguments
            [sys.executable, __file__, "--child", str(workbook), "--work", str(work), *extra],
            check=True,
            capture_output=True,
            text=True,
        )
        report = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{title}:")
        for stage, seconds in report["timings"].items():
            print(f"  {stage:<10}{seconds:8.2f} s")
        print(f"  peak memory {report['peak_mb']:8.0f} MB")
        print(f"  errors {report['errors']}, warnings {report['warnings']}")
        for kind, counts in report["counts"].items():
            done = ", ".join(f"{n} {action}" for action, n in counts.items() if n)
            print(f"  {kind:<16}{done}")


if __name__ == "__main__":
    main()
