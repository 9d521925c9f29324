"""`kantoor-batch plan` and `kantoor-batch runs` through Click: exit codes, the Dutch summary,
JSON, the workbooks, and wrong use."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from tests.builders import valid_book


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def store(tmp_path: Path) -> str:
    """A SQLite store with the valid workbook imported on 29-11-2026."""
    db = str(tmp_path / "kantoor.db")
    source = valid_book().write(tmp_path / "klanten.xlsx")
    result = run("import", str(source), "--db", db, "--as-of", "2026-11-29")
    assert result.exit_code == 0, result.output
    return db


def test_plan_prints_the_workflows_per_product_and_month(store: str) -> None:
    """Exit 0; OB 2027-K1 and IB 2027, each counted under the month of its deadline."""
    result = run("plan", "--db", store, "--as-of", "2027-01-02")
    assert result.exit_code == 0, result.output
    assert "Planner op /" in result.output  # the store as its path (issue 13)
    assert "peildatum 02-01-2027" in result.output
    lines = result.output.splitlines()
    assert any(line.split() == ["Aangifte", "OB", "1"] for line in lines)
    assert any(line.split() == ["april", "2027", "1"] for line in lines)  # OB 2027-K1
    assert any(line.split() == ["mei", "2028", "1"] for line in lines)  # IB 2027
    assert lines[-1].startswith("2 workflows aangemaakt, 2 plannerregels bijgewerkt")


def test_plan_twice_says_there_is_nothing_to_create(store: str) -> None:
    """The second run for one date: exit 0 and nothing created."""
    run("plan", "--db", store, "--as-of", "2027-01-02")
    result = run("plan", "--db", store, "--as-of", "2027-01-02")
    assert result.exit_code == 0
    assert "Geen nieuwe periodes begonnen" in result.output


def test_plan_writes_its_workbook_with_date_cells(store: str, tmp_path: Path) -> None:
    """-o: Samenvatting and Workflows with the promised columns; dates are date cells."""
    out = tmp_path / "planning.xlsx"
    result = run("plan", "--db", store, "--as-of", "2027-01-02", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Werkmap: {out}" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Samenvatting", "Workflows"]
    rows = list(book["Workflows"].iter_rows(values_only=True))
    assert list(rows[0]) == [
        "Relatienummer",
        "Soort",
        "Naam",
        "Product",
        "Periode",
        "Van",
        "Tot",
        "Uiterste datum",
    ]
    ob = next(r for r in rows[1:] if r[3] == "Aangifte OB")
    assert ob[:5] == ("0101", "Organisatie", "Bakkerij De Korenaar B.V.", "Aangifte OB", "2027-K1")
    assert [cell.date() for cell in ob[5:]] == [  # date cells: openpyxl reads datetimes
        dt.date(2027, 1, 1),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
    ]
    summary = {
        r[0]: r[1] for r in book["Samenvatting"].iter_rows(min_row=2, values_only=True) if r[0]
    }
    assert summary["Workflows aangemaakt"] == 2
    assert summary["Soort run"] == "planner"


def test_plan_json_lists_the_workflows(store: str) -> None:
    """--json: summary with counts per product and month, and every workflow."""
    result = run("plan", "--db", store, "--as-of", "2027-01-02", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["summary"]["workflows_created"] == 2
    assert data["summary"]["per_product"] == {"Aangifte IB": 1, "Aangifte OB": 1}
    assert data["summary"]["per_month"] == {"2027-04": 1, "2028-05": 1}
    ob = next(w for w in data["workflows"] if w["product"] == "Aangifte OB")
    assert ob == {
        "relation_number": "0101",
        "kind": "Organisatie",
        "name": "Bakkerij De Korenaar B.V.",
        "product": "Aangifte OB",
        "period": "2027-K1",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "due_date": "2027-04-30",
    }


def test_plan_dry_run_says_it_stored_nothing(store: str) -> None:
    """--dry-run: what a real run would do, and the next real run still does it."""
    dry = run("plan", "--db", store, "--as-of", "2027-01-02", "--dry-run")
    assert "PROEFDRAAI" in dry.output
    assert "Een echte run zou 2 workflows aanmaken" in dry.output
    assert "workflows aangemaakt" not in dry.output
    real = run("plan", "--db", store, "--as-of", "2027-01-02", "--json")
    assert json.loads(real.output)["summary"]["workflows_created"] == 2


def test_plan_on_a_missing_store_stops_with_exit_3(tmp_path: Path) -> None:
    """A mistyped --db: a Dutch message, no traceback, no new file."""
    result = run("plan", "--db", str(tmp_path / "typo.db"))
    assert result.exit_code == 3
    assert "bestaat niet" in result.output
    assert not (tmp_path / "typo.db").exists()


def test_plan_with_an_as_of_outside_the_range_is_wrong_use(store: str) -> None:
    """Exit 2, as for import and validate."""
    assert run("plan", "--db", store, "--as-of", "1999-12-31").exit_code == 2


def test_runs_lists_the_import_and_the_planner_run(store: str) -> None:
    """One line per run: number, kind, file, short checksum, as-of date, counts, outcome."""
    run("plan", "--db", store, "--as-of", "2027-01-02")
    result = run("runs", "--db", store)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = next(line for line in lines if line.strip().startswith("1 "))
    second = next(line for line in lines if line.strip().startswith("2 "))
    assert "import" in first
    assert "klanten.xlsx" in first
    assert "29-11-2026" in first
    assert "voltooid" in first
    assert "planner" in second
    assert "02-01-2027" in second
    assert second.split()[7:9] == ["2", "2"]  # aangemaakt, bijgewerkt


def test_runs_json_gives_every_ledger_row(store: str) -> None:
    """--json: kind, file, checksum, as-of date, counts, outcome and who ran it."""
    run("plan", "--db", store, "--as-of", "2027-01-02")
    data = json.loads(run("runs", "--db", store, "--json").output)
    assert [(r["id"], r["kind"], r["file"]) for r in data["runs"]] == [
        (1, "import", "klanten.xlsx"),
        (2, "plan", None),
    ]
    assert len(data["runs"][0]["sha256"]) == 64
    assert data["runs"][1]["counts"]["Workflows"]["aangemaakt"] == 2
    assert "user" in data["runs"][1]


def test_runs_show_gives_what_one_run_created_and_changed(store: str, tmp_path: Path) -> None:
    """The planner run: 2 workflows created, 2 rules' first period old -> new; a workbook."""
    run("plan", "--db", store, "--as-of", "2027-01-02")
    out = tmp_path / "run-2.xlsx"
    result = run("runs", "show", "2", "--db", store, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Run 2: planner op ")
    assert any(line.split() == ["Workflows", "2", "0"] for line in result.output.splitlines())
    assert "0101 Aangifte OB" in result.output
    assert "2027-K1" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Samenvatting", "Tabellen", "Wijzigingen"]
    changes = list(book["Wijzigingen"].iter_rows(values_only=True))
    assert changes[0] == ("Blad", "Sleutel", "Veld", "Oud", "Nieuw")
    assert ("Plannerregels", "0101 Aangifte OB", "Eerste periode", "2027-K1", "2027-K2") in changes
    summary = {r[0]: r[1] for r in book["Samenvatting"].iter_rows(values_only=True) if r[0]}
    assert (summary["Run"], summary["Peildatum"], summary["Gewijzigde waarden"]) == (
        2,
        dt.datetime(2027, 1, 2),  # noqa: DTZ001 - a date cell (issue 13)
        2,
    )


def test_runs_show_json_of_an_import(store: str) -> None:
    """The import created the client's rows; nothing changed."""
    data = json.loads(run("runs", "--db", store, "show", "1", "--json").output)
    assert data["run"]["kind"] == "import"
    assert data["created"]["Relaties"] == 2  # the BV and its owner (R5)
    assert data["created"]["Workflows"] == 5
    assert data["changes"] == []


def test_runs_show_of_an_unknown_run_is_wrong_use(store: str) -> None:
    """Exit 2 with a Dutch message that says how to find the runs."""
    result = run("runs", "show", "99", "--db", store)
    assert result.exit_code == 2
    assert "Run 99 staat niet in het logboek" in result.output


def test_runs_of_a_missing_store_stops_with_exit_3(tmp_path: Path) -> None:
    """Nothing to read, and no empty store is made."""
    result = run("runs", "--db", str(tmp_path / "typo.db"))
    assert result.exit_code == 3
    assert not (tmp_path / "typo.db").exists()
