"""`kantoor-batch undo` through Click: exit codes 0 (undone, dry run), 1 (refused: later runs
touched the same records), 2 (no such run, undone already, an undo of an undo), JSON and --force."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from tests.builders import valid_book


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def store(tmp_path: Path) -> str:
    """A SQLite store with the valid workbook imported (run 1)."""
    db = str(tmp_path / "kantoor.db")
    source = valid_book().write(tmp_path / "klanten.xlsx")
    result = run("import", str(source), "--db", db, "--as-of", "2026-11-29")
    assert result.exit_code == 0, result.output
    return db


def test_undo_removes_what_the_import_created(store: str) -> None:
    dry = run("undo", "1", "--db", store, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("Proefdraai: run 1 (import) zou ongedaan worden gemaakt")
    assert "Relaties: 2 verwijderd, 0 hersteld" in dry.output
    result = run("undo", "1", "--db", store)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Run 1 (import) is ongedaan gemaakt (run 2 in het logboek).")
    listed = json.loads(run("runs", "--db", store, "--json").output)["runs"]
    assert [(r["id"], r["kind"]) for r in listed] == [(1, "import"), (2, "undo")]
    again = run("undo", "1", "--db", store)
    assert again.exit_code == 2
    assert "al ongedaan gemaakt door run 2" in again.output
    undo_of_undo = run("undo", "2", "--db", store)
    assert undo_of_undo.exit_code == 0, undo_of_undo.output
    assert undo_of_undo.output.startswith("Run 2 (ongedaan maken) is ongedaan gemaakt (run 3")
    assert "Relaties: 0 verwijderd, 0 hersteld, 2 teruggezet" in undo_of_undo.output
    third = run("undo", "3", "--db", store)
    assert third.exit_code == 2
    assert "kantoor-batch undo 1" in third.output


def test_undo_refuses_after_a_later_run_unless_forced(store: str) -> None:
    assert run("plan", "--db", store, "--as-of", "2027-01-02").exit_code == 0
    refused = run("undo", "1", "--db", store)
    assert refused.exit_code == 1
    assert "latere runs raakten dezelfde gegevens" in refused.output
    assert "run 2: Workflows" in refused.output
    assert "--force" in refused.output
    as_json = run("undo", "1", "--db", store, "--json")
    assert as_json.exit_code == 1
    data = json.loads(as_json.output)
    assert data["refused"] is True
    assert {c["run"] for c in data["conflicts"]} == {2}
    forced = run("undo", "1", "--db", store, "--force", "--json")
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.output)["run_id"] == 3


def test_undo_of_a_run_that_does_not_exist_is_wrong_use(store: str, tmp_path: Path) -> None:
    assert run("undo", "7", "--db", store).exit_code == 2
    missing = run("undo", "1", "--db", str(tmp_path / "nergens.db"))
    assert missing.exit_code == 3
    assert not (tmp_path / "nergens.db").exists()
