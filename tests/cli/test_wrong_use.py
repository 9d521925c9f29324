"""Unusable paths end in a Dutch message, never in a traceback: a folder that cannot be made, a
configuration file that is not UTF-8, a file name with bytes that are not UTF-8."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from tests.builders import valid_book
from tests.conftest import REPO


def run(*args: str) -> click.testing.Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def faulty_workbook(path: Path) -> Path:
    return valid_book().set("Relaties", 0, "KvK-nummer", "1").write(path)


def test_an_output_folder_that_cannot_be_made_ends_in_a_message(tmp_path: Path) -> None:
    """import -o under a file: exit 3 with the path and the reason."""
    source = valid_book().write(tmp_path / "klanten.xlsx")
    blocker = tmp_path / "bestand"
    blocker.write_text("x", encoding="utf-8")
    result = run(
        "import", str(source), "--db", str(tmp_path / "k.db"), "-o", str(blocker / "uitvoer")
    )
    assert result.exit_code == 3
    assert "Fout: Het bestand of de map" in result.output
    assert "uitvoer" in result.output


def test_an_error_workbook_in_a_missing_folder_ends_in_a_message(tmp_path: Path) -> None:
    """validate -o into a folder that does not exist: exit 3, no traceback."""
    source = faulty_workbook(tmp_path / "klanten.xlsx")
    result = run("validate", str(source), "-o", str(tmp_path / "geen" / "map" / "f.xlsx"))
    assert result.exit_code == 3
    assert result.output.startswith("Fout: ")


def test_a_configuration_file_in_windows_1252_is_a_message(tmp_path: Path) -> None:
    """'Coördinator' saved as ANSI: exit 3, and the user is told to save it as UTF-8."""
    config = tmp_path / "kantoor.toml"
    config.write_bytes('roles = ["Coördinator"]\n'.encode("cp1252"))
    result = run("validate", str(faulty_workbook(tmp_path / "k.xlsx")), "--config", str(config))
    assert result.exit_code == 3
    assert "configuratiebestand" in result.output
    assert "UTF-8" in result.output


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
def test_a_file_name_with_bytes_that_are_not_utf8_is_printed_escaped(tmp_path: Path) -> None:
    """klanten with a Latin-1 é, on a terminal that refuses what it cannot encode: the run
    ends normally and the name is shown as kl\\xe9nten.xlsx."""
    folder = os.fsencode(tmp_path)
    name = os.fsdecode(b"kl\xe9nten.xlsx")
    source = faulty_workbook(tmp_path / name)
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "kantoor_batch",
            "validate",
            os.fsdecode(folder + b"/" + b"kl\xe9nten.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict", "PYTHONPATH": str(REPO / "src")},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "kl\\xe9nten.xlsx" in done.stdout
    assert source.exists()
