"""End-to-end import benchmark: a generated valid workbook of N organisations into a fresh
SQLite store, timing each stage and the peak memory of the import process.

    python benchmarks/bench_import.py --organisations 100000 [--again [--changed 0.01]]
        [--db postgresql://...?options=-csearch_path%3Dbench_x] [--floor]
    python benchmarks/bench_import.py --scaling 10000,100000,1000000

Each organisation has one to three contacts (an Ondernemer with BSN, sometimes a fiscal
partner, sometimes a child), two to four products and a role. The workbook is generated once
per size and kept in the folder given by --work (default: the system's temp folder). The
import runs in a child process, so the peak memory is the import's own (read, validate, rules,
store and both output workbooks), not the generator's. Target on a 2-core machine: 100,000
organisations in under 60 seconds with a peak under 2 GiB. --again imports the same workbook a
second time into that store, as a periodic upload would (everything unchanged; with --changed,
a workbook with that share of rows edited), and reports it. --floor and --scaling also measure
the I/O floor of the same rows in the same child process (see io_floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import sqlalchemy as sa
from python_calamine import CalamineWorkbook
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


def generate(organisations: int, path: Path, seed: int = 7, changed: float = 0.0) -> Path:
    """The benchmark workbook; with changed > 0, the same workbook with that share of its
    Relaties, Contacten and Producten rows edited as a periodic upload would (an e-mail
    address and phone number, a first name, a Tijdvak): the rows stay valid."""
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
    if changed > 0:
        _change(rng, changed, relations, contact_frame, product_frame)
    sheets = {
        "Relatiegroepen": pd.DataFrame({"Naam": [f"Groep {i}" for i in range(10)]}),
        "Medewerkers": pd.DataFrame(
            {
                "Code": [f"M{i:02d}" for i in range(20)],
                "Naam": [f"Medewerker {i}" for i in range(20)],
            }
        ),
        "Relaties": relations.replace("", None),
        "Contacten": contact_frame.replace("", None),
        "Producten": product_frame.replace("", None),
        "Rollen": pd.DataFrame(roles, columns=["Relatienummer", "Rol", "Medewerker"]),
    }
    if path.suffix != ".xlsx":  # a CSV folder, as export --format csv writes it
        path.mkdir(parents=True, exist_ok=True)
        for name, frame in sheets.items():
            frame.to_csv(path / f"{name}.csv", sep=";", index=False, encoding="utf-8-sig")
        return path
    writer = FastExcel(str(path))
    for name, frame in sheets.items():
        writer = writer.sheet(name, frame)
    writer.save()
    return path


def _change(
    rng: np.random.Generator,
    share: float,
    relations: pd.DataFrame,
    contacts: pd.DataFrame,
    products: pd.DataFrame,
) -> None:
    """Edit share of the rows of each sheet in place (after the same random draws as the
    unchanged workbook, so everything else stays as it was)."""
    picked = rng.random(len(relations)) < share
    relations.loc[picked, "E-mail"] = [f"nieuw{i}@klant.nl" for i in range(int(picked.sum()))]
    relations.loc[picked, "Telefoon"] = "06-12345678"
    picked = rng.random(len(contacts)) < share
    contacts.loc[picked, "Voornaam"] = "Gewijzigd"
    quarterly = (products["Product"] == "Aangifte OB").to_numpy()
    picked = rng.random(len(products)) < share * len(products) / max(1, quarterly.sum())
    products.loc[picked & quarterly, "Tijdvak"] = "Maand"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_import(workbook: Path, db: str, out: Path, floor: bool = False) -> dict[str, object]:
    """The import as the CLI does it, timed by stage; runs in the child process. The peak per
    stage is the process's peak when the stage ended (ru_maxrss only grows)."""
    peaks: dict[str, float] = {}
    current: list[str] = []

    def progress(stage: str) -> None:
        if current:
            peaks[current[0]] = _peak_mb()
        current[:] = [stage]

    result = import_workbook(workbook, db=db, as_of=AS_OF, progress=progress)
    if current:
        peaks[current[0]] = _peak_mb()
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
    peaks["export"] = _peak_mb()
    timings["total"] = sum(timings.values())  # printed last: every stage, export included
    report: dict[str, object] = {
        "timings": timings,
        "peaks": peaks,
        "peak_mb": _peak_mb(),
        "counts": result.counts(),
        "errors": result.errors,
        "warnings": result.warnings,
    }
    if floor:  # after the peak was taken: the floor's own memory does not count
        report["floor"] = io_floor(workbook, result.tables, out)
    return report


def io_floor(workbook: Path, tables: dict[str, pd.DataFrame], out: Path) -> dict[str, float]:
    """The I/O floor of this run: read the workbook with python-calamine (a CSV folder with
    pandas), insert the rows of
    the result tables (as many rows as the import stores) into a fresh SQLite file with one
    executemany per table, and write them with rustpy-xlsxwriter. What no import of these
    rows can go below on this machine; measured in the same process and sitting."""
    floor: dict[str, float] = {}
    started = time.monotonic()
    if workbook.is_dir():  # a CSV folder: pandas' C parser, every value as text
        for file in sorted(workbook.glob("*.csv")):
            pd.read_csv(file, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        book = CalamineWorkbook.from_path(str(workbook))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    floor["read"] = time.monotonic() - started

    started = time.monotonic()
    db = out / "bench-floor.db"
    db.unlink(missing_ok=True)
    connection = sqlite3.connect(db)
    try:
        for name, table in tables.items():
            columns = ", ".join(f"c{i}" for i in range(len(table.columns)))
            marks = ", ".join("?" * len(table.columns))
            connection.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, {columns})")
            rows = table.astype(str).astype(object).where(table.notna(), None)
            connection.executemany(
                f"INSERT INTO {name} ({columns}) VALUES ({marks})",  # noqa: S608 - our names
                rows.itertuples(index=False, name=None),
            )
        connection.commit()
    finally:
        connection.close()
        db.unlink(missing_ok=True)
    floor["insert"] = time.monotonic() - started

    started = time.monotonic()
    scratch = out / "bench-floor.xlsx"
    writer = FastExcel(str(scratch))
    rows_per_sheet = 1_048_575  # Excel's limit less the header, split as the result is
    for name, table in tables.items():
        for start in range(0, max(len(table), 1), rows_per_sheet):
            part = table.iloc[start : start + rows_per_sheet]
            title = name if start == 0 else f"{name} ({start // rows_per_sheet + 1})"
            writer = writer.sheet(title, part.astype(object).where(part.notna(), None))
    writer.save()
    scratch.unlink(missing_ok=True)
    floor["write"] = time.monotonic() - started
    floor["total"] = sum(floor.values())
    return floor


def fresh_store(db: str, work: Path) -> None:
    """Empty the benchmark's store: the SQLite file, or the PostgreSQL schema named in the
    URL's search_path (never the public schema)."""
    if db.startswith("sqlite"):
        Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    schema = _schema_of(db)
    engine = sa.create_engine(db)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    finally:
        engine.dispose()


def _schema_of(db: str) -> str:
    options = parse_qs(urlsplit(db).query).get("options", [""])[0]
    found = re.search(r"search_path=(\w+)", options)
    if found is None or found.group(1) == "public":
        msg = "--db postgresql://...: give a schema of its own (?options=-csearch_path%3Dbench_x)"
        raise SystemExit(msg)
    return found.group(1)


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: this machine's speed varies by half from hour to
    hour, so a figure is only comparable next to this one."""
    started = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - started


# A workbook sheet holds 1,048,576 rows; the Producten sheet of more organisations than this
# would not fit, so larger sizes are generated as a CSV folder (the import reads both).
LARGEST_WORKBOOK = 200_000


def workbook_for(
    organisations: int, work: Path, changed: float = 0.0, *, csv: bool = False
) -> Path:
    """The benchmark workbook of this size (and share of changed rows), generated once; a
    folder of CSV files (one per sheet) with csv or above LARGEST_WORKBOOK organisations."""
    suffix = f"-changed-{changed:g}" if changed else ""
    as_csv = csv or organisations > LARGEST_WORKBOOK
    workbook = work / f"bench-{organisations}{suffix}{'-csv' if as_csv else '.xlsx'}"
    if not workbook.exists():
        started = time.monotonic()
        generate(organisations, workbook, changed=changed)
        print(f"generated {workbook} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return workbook


def child(workbook: Path, work: Path, db: str, *, keep: bool, floor: bool) -> dict[str, Any]:
    """One import in a child process, so that its peak memory is the import's own."""
    command = [sys.executable, __file__, "--child", str(workbook), "--work", str(work)]
    command += ["--db", db, *(["--keep-store"] if keep else []), *(["--floor"] if floor else [])]
    done = subprocess.run(  # noqa: S603 - this script, with our own arguments
        command, check=True, capture_output=True, text=True
    )
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def show(title: str, report: dict[str, Any]) -> None:
    print(f"{title}:")
    peaks = report.get("peaks", {})
    for stage, seconds in report["timings"].items():
        peak = f"{peaks[stage]:8.0f} MB peak" if stage in peaks else ""
        print(f"  {stage:<10}{seconds:8.2f} s  {peak}")
    print(f"  peak memory {report['peak_mb']:8.0f} MB")
    floor = report.get("floor")
    if floor:
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in floor.items() if k != "total")
        ratio = report["timings"]["total"] / floor["total"]
        print(f"  I/O floor {floor['total']:8.2f} s ({parts}); import/floor {ratio:.2f}x")
    print(f"  errors {report['errors']}, warnings {report['warnings']}")
    for kind, counts in report["counts"].items():
        done = ", ".join(f"{n} {action}" for action, n in counts.items() if n)
        print(f"  {kind:<16}{done}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument(
        "--db",
        help="the store: sqlite:///... (default: bench-kantoor.db in --work) or "
        "postgresql://...?options=-csearch_path%%3D<schema>; that schema is dropped and made "
        "again for a first import",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="import the same workbook a second time into the same store (a periodic upload: "
        "everything unchanged) and report that run too",
    )
    parser.add_argument(
        "--changed",
        type=float,
        default=0.0,
        help="with --again: the share of Relaties, Contacten and Producten rows the second "
        "workbook changes (0.01: one in a hundred)",
    )
    parser.add_argument(
        "--scaling",
        help="comma-separated sizes (10000,100000,1000000): a first import of each, with the "
        "I/O floor of the same rows measured in the same run",
    )
    parser.add_argument("--floor", action="store_true", help="measure the I/O floor as well")
    parser.add_argument(
        "--csv",
        action="store_true",
        help="generate the input as a folder of CSV files, one per sheet (always above "
        f"{LARGEST_WORKBOOK:,} organisations: a sheet holds 1,048,576 rows)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep-store", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    db: str = args.db or f"sqlite:///{work / 'bench-kantoor.db'}"
    if args.child is not None:
        if not args.keep_store:
            fresh_store(db, work)
        print(json.dumps(run_import(args.child, db, work, floor=args.floor), default=str))
        return

    reference = machine_speed()
    print(f"  reference loop {reference:.2f} s (machine speed; compare runs next to it)")
    print(f"  store {db}")
    if args.scaling:
        for size in (int(s) for s in args.scaling.split(",")):
            report = child(workbook_for(size, work, csv=args.csv), work, db, keep=False, floor=True)
            show(f"{size} organisations, first import", report)
        return
    workbook = workbook_for(args.organisations, work, csv=args.csv)
    print(f"organisations: {args.organisations}")
    show("first import, fresh store", child(workbook, work, db, keep=False, floor=args.floor))
    if args.again:
        second = (
            workbook_for(args.organisations, work, args.changed, csv=args.csv)
            if args.changed
            else workbook
        )
        title = f"again, {args.changed:.0%} of rows changed" if args.changed else "again"
        show(title, child(second, work, db, keep=True, floor=False))


if __name__ == "__main__":
    main()
