"""The command line: exit codes, the summary, JSON, masking, help texts, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from tests.builders import VALID_BSN, valid_book
from tests.conftest import REPO

SAMPLES = REPO / "samples"


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_template_writes_the_workbook(tmp_path: Path) -> None:
    """`template -o` writes a file and says where."""
    result = run("template", "-o", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 0
    assert (tmp_path / "s.xlsx").exists()
    assert "s.xlsx" in result.output


def test_validate_the_sample_exits_0(tmp_path: Path) -> None:
    """The clean sample: exit 0, no error workbook."""
    result = run(
        "validate",
        str(SAMPLES / "onboarding-voorbeeld.xlsx"),
        "-o",
        str(tmp_path / "f.xlsx"),
        "--as-of",
        "2026-11-29",
    )
    assert result.exit_code == 0, result.output
    assert "Geen fouten gevonden." in result.output
    assert not (tmp_path / "f.xlsx").exists()


def test_validate_the_faulty_sample_exits_1_and_writes_the_error_workbook(tmp_path: Path) -> None:
    """Errors: exit 1, counts per sheet, where the error workbook is."""
    out = tmp_path / "fouten.xlsx"
    result = run(
        "validate",
        str(SAMPLES / "onboarding-met-fouten.xlsx"),
        "-o",
        str(out),
        "--as-of",
        "29-11-2026",
    )
    assert result.exit_code == 1
    assert out.exists()
    # The invalid postcode and e-mail address are warnings, left out of the store (R3).
    assert "7 fouten, 4 waarschuwingen." in result.output
    assert f"Foutenbestand: {out}" in result.output
    assert "KvK-nummer" in result.output


def test_the_error_workbook_goes_next_to_the_input_by_default(tmp_path: Path) -> None:
    """klanten.xlsx gives klanten-fouten.xlsx in the same folder."""
    source = valid_book().set("Relaties", 0, "KvK-nummer", "1").write(tmp_path / "klanten.xlsx")
    assert run("validate", str(source)).exit_code == 1
    assert (tmp_path / "klanten-fouten.xlsx").exists()


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    """A padded identifier is a warning: exit 0."""
    source = valid_book().set("Relaties", 0, "KvK-nummer", 1234567).write(tmp_path / "k.xlsx")
    result = run("validate", str(source))
    assert result.exit_code == 0
    assert "0 fouten, 1 waarschuwingen." in result.output


def test_json_output_lists_every_issue_with_its_excel_row(tmp_path: Path) -> None:
    """--json: summary and issues with sheet, row, column, code, severity, message."""
    result = run(
        "validate",
        str(SAMPLES / "onboarding-met-fouten.xlsx"),
        "--json",
        "-o",
        str(tmp_path / "f.xlsx"),
        "--as-of",
        "2026-11-29",
    )
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert (data["summary"]["errors"], data["summary"]["warnings"]) == (7, 4)
    assert data["summary"]["error_workbook"] == str(tmp_path / "f.xlsx")
    first = data["issues"][0]
    assert {k: first[k] for k in ("sheet", "row", "column", "code", "severity")} == {
        "sheet": "Relaties",
        "row": 2,
        "column": "KvK-nummer",
        "code": "identifier-padded",
        "severity": "warning",
    }


def test_english_messages_on_request(tmp_path: Path) -> None:
    """--lang en."""
    source = valid_book().set("Relaties", 0, "KvK-nummer", "1").write(tmp_path / "k.xlsx")
    result = run("validate", str(source), "--lang", "en", "--json")
    assert "must be exactly 8 digits" in json.loads(result.output)["issues"][0]["message"]


def test_bsns_never_appear_unmasked_on_the_terminal(tmp_path: Path) -> None:
    """An invalid BSN is shown as ******334, in the summary and in JSON."""
    source = valid_book().set("Contacten", 0, "BSN", "111222334").write(tmp_path / "k.xlsx")
    for extra in ([], ["--json"]):
        result = run("validate", str(source), *extra)
        assert "111222334" not in result.output
        assert "******334" in result.output
    assert VALID_BSN not in run("validate", str(source)).output


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "leeg"), (b"Relatienummer;Naam\n1;A\n", "CSV"), (b"PK\x03\x04garbage", "beschadigd")],
)
def test_broken_files_give_a_message_and_exit_3_without_traceback(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    """Empty file, CSV renamed to .xlsx, damaged zip."""
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 3
    assert expected in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_password_protected_workbook_exits_3_with_a_message() -> None:
    """The user is told to remove the password."""
    result = CliRunner().invoke(
        main, ["validate", str(REPO / "tests/data/password-protected.xlsx")]
    )
    assert result.exit_code == 3
    assert "wachtwoord" in result.output


def test_a_missing_file_is_misuse_exit_2(tmp_path: Path) -> None:
    """Click's own check: the path must exist."""
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "bestaat-niet.xlsx")])
    assert result.exit_code == 2


def test_a_bad_config_file_exits_3_with_a_message(tmp_path: Path) -> None:
    """A product with an unknown period type."""
    config = tmp_path / "kantoor.toml"
    config.write_text('[[products]]\nname = "X"\nperiod_types = ["Dag"]\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["template", "--config", str(config), "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 3
    assert "configuratiebestand" in result.output
    assert "period_types" in result.output


def test_a_config_file_changes_what_validation_accepts(tmp_path: Path) -> None:
    """A role added in the config is accepted; without it it is not."""
    config = tmp_path / "kantoor.toml"
    config.write_text('roles = ["Controller"]\n', encoding="utf-8")
    source = valid_book().set("Rollen", 0, "Rol", "Controller").write(tmp_path / "k.xlsx")
    assert run("validate", str(source)).exit_code == 1
    assert run("validate", str(source), "--config", str(config)).exit_code == 0


def test_every_command_has_help_and_is_in_the_readme() -> None:
    """No command without help text or documentation."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, name
        assert f"kantoor-batch {name}" in readme, name
        assert run(name, "--help").exit_code == 0
