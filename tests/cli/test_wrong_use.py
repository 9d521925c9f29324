"""Misuse and unusable paths end in a Dutch message, never in a traceback: an output that is the
input (exit 2, input untouched), a folder that cannot be made, a configuration file that is not
UTF-8, a file name with bytes that are not UTF-8 (exit 3 or 0)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from kantoor_batch.cli.common import WrongUse, refuse_overwriting_input
from tests.builders import valid_book
from tests.conftest import REPO


def run(*args: str) -> click.testing.Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def faulty_workbook(path: Path) -> Path:
    return valid_book().set("Relaties", 0, "KvK-nummer", "1").write(path)


def test_an_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    """validate X.xlsx -o X.xlsx: exit 2, and X.xlsx is byte for byte what it was."""
    source = faulty_workbook(tmp_path / "klanten.xlsx")
    before = source.read_bytes()
    result = run("validate", str(source), "-o", str(tmp_path / "." / "klanten.xlsx"))
    assert result.exit_code == 2
    assert "Fout: Het uitvoerbestand" in result.output
    assert "is het invoerbestand zelf" in result.output
    assert source.read_bytes() == before


def test_an_error_workbook_name_that_links_to_the_input_is_refused(tmp_path: Path) -> None:
    """klanten-fouten.xlsx is a link to klanten.xlsx: writing it would overwrite the input."""
    source = faulty_workbook(tmp_path / "klanten.xlsx")
    before = source.read_bytes()
    (tmp_path / "klanten-fouten.xlsx").symlink_to(source)
    result = run("validate", str(source))
    assert result.exit_code == 2
    assert source.read_bytes() == before


def test_the_output_check_sees_through_relative_paths_for_files_not_there_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper import uses for its result and error workbooks: names that do not exist
    yet pass, names that resolve to the input do not."""
    source = faulty_workbook(tmp_path / "klanten.xlsx")
    monkeypatch.chdir(tmp_path)
    refuse_overwriting_input(source, tmp_path / "klanten-resultaat.xlsx", Path("nieuw/x.xlsx"))
    with pytest.raises(WrongUse, match="invoerbestand zelf"):
        refuse_overwriting_input(source, tmp_path / "klanten-resultaat.xlsx", Path("klanten.xlsx"))


def test_an_output_folder_that_cannot_be_made_ends_in_a_message(tmp_path: Path) -> None:
    """import -o under a file: exit 3 with the path and the reason."""
    source = valid_book().write(tmp_path / "klanten.xlsx")
    blocker = tmp_path / "bestand"
    blocker.write_text("x", encoding="utf-8")
    result = run(
        "import", str(source), "--db", str(tmp_path / "k.db"), "-d", str(blocker / "uitvoer")
    )
    assert result.exit_code == 3
    assert "niet schrijven: Not a directory" in result.output
    assert "uitvoer" in result.output


def test_an_error_workbook_in_a_missing_folder_is_written_there(tmp_path: Path) -> None:
    """validate -o into a folder that does not exist yet: the folder is made when the file is
    written, as for import -d."""
    source = faulty_workbook(tmp_path / "klanten.xlsx")
    result = run("validate", str(source), "-o", str(tmp_path / "geen" / "map" / "f.xlsx"))
    assert result.exit_code == 1
    assert (tmp_path / "geen" / "map" / "f.xlsx").is_file()


def test_an_error_workbook_under_a_file_ends_in_a_message(tmp_path: Path) -> None:
    """validate -o under a file: exit 3, no traceback."""
    source = faulty_workbook(tmp_path / "klanten.xlsx")
    (tmp_path / "geen").write_text("x", encoding="utf-8")
    result = run("validate", str(source), "-o", str(tmp_path / "geen" / "f.xlsx"))
    assert result.exit_code == 3
    assert result.output.startswith("Fout: ")


def test_the_output_folder_is_not_made_when_the_import_stops(tmp_path: Path) -> None:
    """Issue 13: import -d into a new folder with a store that cannot be used stops with exit 3
    and leaves no empty folder behind."""
    source = valid_book().write(tmp_path / "klanten.xlsx")
    not_a_store = tmp_path / "kapot.db"
    not_a_store.write_text("dit is geen database", encoding="utf-8")
    result = run("import", str(source), "--db", str(not_a_store), "-d", str(tmp_path / "uit"))
    assert result.exit_code == 3
    assert not (tmp_path / "uit").exists()


def test_import_refuses_o_and_points_at_d(tmp_path: Path) -> None:
    """-o is a file in every command; import writes into a folder, so it says to use -d."""
    source = valid_book().write(tmp_path / "klanten.xlsx")
    result = run("import", str(source), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "-d" in result.output


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
