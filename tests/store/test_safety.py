"""What happens when things go wrong around the store: a process killed halfway, two imports at
the same time. Run as real processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from kantoor_batch.store.database import Store
from tests.builders import OTHER_VALID_BSN, Book, valid_book
from tests.conftest import REPO

AS_OF = "2026-11-29"


def slow_import(
    seconds: float, workbook: Path, url: str, out: Path, *extra: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own test helper
        [
            sys.executable,
            "-m",
            "tests.store.slow_import",
            str(seconds),
            "import",
            str(workbook),
            "--db",
            url,
            "--as-of",
            AS_OF,
            "-o",
            str(out),
            *extra,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def wait_for_halfway(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "halfway":
            return
    raise AssertionError(f"the import ended before halfway (exit {process.wait()})")


def numbers(url: str, table: str) -> list[str]:
    with Store(url).reading() as connection:
        if not sa.inspect(connection).has_table(table):
            return []
        rows = connection.execute(sa.text(f"SELECT number FROM {table} ORDER BY number"))  # noqa: S608
        return [str(r[0]) for r in rows]


def test_a_process_killed_halfway_leaves_no_half_stored_client(
    store_url: str, tmp_path: Path
) -> None:
    """Killed after the relations were written: nothing of the run is in the store, and the
    next import stores everything."""
    workbook = valid_book().write(tmp_path / "a.xlsx")
    process = slow_import(60, workbook, store_url, tmp_path)
    wait_for_halfway(process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert numbers(store_url, "relations") == []
    assert numbers(store_url, "contacts") == []
    again = slow_import(0, workbook, store_url, tmp_path)
    output = again.communicate(timeout=120)[0]
    assert again.returncode == 0, output
    assert numbers(store_url, "relations") == ["0101", "0101"]  # the BV and its owner


def test_two_imports_at_the_same_time_never_share_a_number(store_url: str, tmp_path: Path) -> None:
    """The second waits for the first and then numbers its new contacts after the first's
    (numbers from one range, the scheme where two runs could reach for the same number)."""
    config = tmp_path / "kantoor.toml"
    config.write_text('[numbering]\nscheme = "range"\nrange_start = 900\n')
    first = valid_book().add(
        "Relaties", Relatienummer="0102", Soort="Organisatie", Naam="Tweede BV", Rechtsvorm="BV"
    )
    first = first.add(
        "Contacten", Relatienummer="0102", Soort_contact="Ondernemer", Achternaam="Smit"
    )
    first = first.add(
        "Contacten",
        Relatienummer="0102",
        Soort_contact="Fiscaal partner",
        Achternaam="Smit",
        BSN=OTHER_VALID_BSN,
    )
    second = Book(
        {
            "Relaties": [
                {
                    "Relatienummer": "0100",
                    "Soort": "Organisatie",
                    "Naam": "Derde BV",
                    "Rechtsvorm": "BV",
                }
            ],
            "Contacten": [
                {"Relatienummer": "0100", "Soort contact": "Ondernemer", "Achternaam": "Visser"},
                {
                    "Relatienummer": "0100",
                    "Soort contact": "Fiscaal partner",
                    "Achternaam": "Visser",
                },
            ],
        }
    )
    with_range = ("--config", str(config))
    a = slow_import(3, first.write(tmp_path / "a.xlsx"), store_url, tmp_path, *with_range)
    wait_for_halfway(a)
    b = slow_import(0, second.write(tmp_path / "b.xlsx"), store_url, tmp_path, *with_range)
    started = time.monotonic()
    out_a = a.communicate(timeout=120)[0]
    out_b = b.communicate(timeout=120)[0]
    assert a.returncode == 0, out_a
    assert b.returncode == 0, out_b
    assert time.monotonic() - started >= 1  # b could not finish while a held the store
    contact_numbers = numbers(store_url, "contacts")
    assert len(contact_numbers) == len(set(contact_numbers)) == 5
    assert contact_numbers == ["0100", "0101", "0102", "900", "901"]
