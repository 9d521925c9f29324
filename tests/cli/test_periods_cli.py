"""The command line and periods: the range of --as-of, implausible Vanaf values without a
traceback, and the catalogue's four-week calendar followed by the import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kantoor_batch.cli import main
from tests.builders import Book, valid_book

AS_OF = "2026-11-29"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "31-12-1999", "0001-01-01"])
def test_an_as_of_date_outside_2000_2100_is_refused_in_dutch_with_exit_2(
    tmp_path: Path, command: str, as_of: str
) -> None:
    """Issue 9: --as-of 9999-12-31 crashed the import; now it is wrong use of the command."""
    source = valid_book().write(tmp_path / "klanten.xlsx")
    extra = ["--db", str(tmp_path / "k.db")] if command == "import" else []
    flag = "-d" if command == "import" else "-o"
    result = run(command, str(source), *extra, "--as-of", as_of, flag, str(tmp_path / "f.xlsx"))
    assert result.exit_code == 2
    assert "Fout: --as-of" in result.output
    assert "ligt niet tussen 01-01-2000 en 31-12-2100" in result.output
    assert not (tmp_path / "k.db").exists()


@pytest.mark.parametrize(
    ("as_of", "shown"), [("2000-01-01", "01-01-2000"), ("31-12-2100", "31-12-2100")]
)
def test_the_first_and_last_as_of_dates_are_accepted(
    tmp_path: Path, as_of: str, shown: str
) -> None:
    """The bounds themselves are in range (the Vanaf of 2026-K1 is then implausible: exit 1)."""
    source = valid_book().write(tmp_path / "klanten.xlsx")
    result = run("validate", str(source), "--as-of", as_of, "-o", str(tmp_path / "f.xlsx"))
    assert result.exit_code == 1
    assert f"(peildatum {shown})" in result.output
    assert "Vanaf '2026-K1' valt niet in" in result.output


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize("vanaf", ["0226-K1", "9999-K4"])
def test_a_vanaf_no_office_means_is_an_error_and_no_traceback(
    tmp_path: Path, command: str, vanaf: str
) -> None:
    """Issue 9: these values passed validation and crashed the import; now exit 1, the bundle
    skipped, the cell named in the JSON."""
    source = valid_book().set("Producten", 0, "Vanaf", vanaf).write(tmp_path / "klanten.xlsx")
    extra = ["--db", str(tmp_path / "k.db")] if command == "import" else []
    output = tmp_path / "f.xlsx" if command == "validate" else tmp_path
    flag = "-d" if command == "import" else "-o"
    result = run(command, str(source), *extra, "--as-of", AS_OF, flag, str(output), "--json")
    assert result.exit_code == 1
    issues = json.loads(result.output)["issues"]
    found = [(i["sheet"], i["row"], i["column"], i["code"]) for i in issues]
    assert ("Producten", 2, "Vanaf", "implausible-start-period") in found


def _payroll_per_four_weeks() -> Book:
    return valid_book().add(
        "Producten",
        Relatienummer="0101",
        Product="Loonheffingen",
        Tijdvak="Vier weken",
        Vanaf="2027-P01",
    )


def _payroll_workflows(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT period, period_start, period_end FROM workflows "
            "WHERE product = 'Loonheffingen' ORDER BY period"
        ).fetchall()
    return [(period, str(start)[:10], str(end)[:10]) for period, start, end in rows]


def test_the_import_follows_the_week_calendar_by_default(tmp_path: Path) -> None:
    """On 28-01-2027 the running period is 2027-P01, 01-01..31-01 (ISO week 4 ends 31-01)."""
    source = _payroll_per_four_weeks().write(tmp_path / "klanten.xlsx")
    db = tmp_path / "k.db"
    result = run("import", str(source), "--db", str(db), "--as-of", "2027-01-28")
    assert result.exit_code == 0, result.output
    assert _payroll_workflows(db) == [("2027-P01", "2027-01-01", "2027-01-31")]


def test_the_import_follows_the_four_week_calendar_of_the_catalogue_file(tmp_path: Path) -> None:
    """[four_week_calendar] 2027 with period 2 from 25-01: on 28-01-2027 P01 and P02 have
    started, with the office's dates."""
    starts = ["2027-01-01", *(f"2027-{m}" for m in ("01-25", "02-22", "03-22", "04-19"))]
    starts += [f"2027-{m}" for m in ("05-17", "06-14", "07-12", "08-09", "09-06", "10-04")]
    starts += ["2027-11-01", "2027-11-29"]
    config = tmp_path / "kantoor.toml"
    config.write_text(f"[four_week_calendar]\n2027 = {json.dumps(starts)}\n", encoding="utf-8")
    source = _payroll_per_four_weeks().write(tmp_path / "klanten.xlsx")
    db = tmp_path / "k.db"
    args = ("--db", str(db), "--as-of", "2027-01-28", "--config", str(config))
    result = run("import", str(source), *args)
    assert result.exit_code == 0, result.output
    assert _payroll_workflows(db) == [
        ("2027-P01", "2027-01-01", "2027-01-24"),
        ("2027-P02", "2027-01-25", "2027-02-21"),
    ]
