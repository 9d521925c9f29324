"""kantoor-batch import from the command line: exit codes, summary, JSON, workbooks written."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from rustpy_xlsxwriter import FastExcel

from kantoor_batch.cli import main
from tests.builders import OTHER_VALID_BSN, valid_book
from tests.conftest import REPO

SAMPLE = REPO / "samples" / "onboarding-voorbeeld.xlsx"
AS_OF = "2026-11-29"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_importing_the_sample_exits_0_and_says_where_the_result_is(tmp_path: Path) -> None:
    """The README's first command, in a test."""
    code, output = run(
        "import", str(SAMPLE), "--db", str(tmp_path / "k.db"), "--as-of", AS_OF, "-d", str(tmp_path)
    )
    assert code == 0, output
    assert "Alles geïmporteerd" in output
    assert f"Resultaat: {tmp_path / 'onboarding-voorbeeld-resultaat.xlsx'}" in output
    assert (tmp_path / "onboarding-voorbeeld-resultaat.xlsx").exists()
    assert not (tmp_path / "onboarding-voorbeeld-fouten.xlsx").exists()


def test_a_second_import_reports_everything_unchanged(tmp_path: Path) -> None:
    """R13 on the terminal: only 'ongewijzigd' counts."""
    args = (
        "import",
        str(SAMPLE),
        "--db",
        str(tmp_path / "k.db"),
        "--as-of",
        AS_OF,
        "-d",
        str(tmp_path),
        "--json",
    )
    run(*args)
    code, output = run(*args)
    counts = json.loads(output)["summary"]["counts"]
    assert code == 0
    assert all(c["aangemaakt"] == c["bijgewerkt"] == 0 for c in counts.values())
    assert counts["Relaties"]["ongewijzigd"] == 67


def test_skipped_clients_exit_1_and_get_an_error_workbook(tmp_path: Path) -> None:
    """A bad row: exit 1, the skipped relation named, its rows in <name>-fouten.xlsx."""
    book = valid_book().add(
        "Relaties",
        Relatienummer="0102",
        Soort="Persoon",
        Naam="E. de Wit",
        **{"BSN/RSIN": OTHER_VALID_BSN},
    )
    source = book.set("Contacten", 0, "BSN", "123").write(tmp_path / "klanten.xlsx")
    code, output = run("import", str(source), "--db", str(tmp_path / "k.db"), "--as-of", AS_OF)
    assert code == 1
    assert "1 klant overgeslagen (hele klant, R12): 0101" in output
    errors = openpyxl.load_workbook(tmp_path / "klanten-fouten.xlsx")
    assert [r[0] for r in errors["Relaties"].iter_rows(min_row=2, values_only=True)] == ["0101"]
    assert (tmp_path / "klanten-resultaat.xlsx").exists()


def test_a_dry_run_says_so_and_stores_nothing(tmp_path: Path) -> None:
    """--dry-run prints PROEFDRAAI and leaves no database behind."""
    code, output = run(
        "import",
        str(SAMPLE),
        "--db",
        str(tmp_path / "k.db"),
        "--dry-run",
        "--as-of",
        AS_OF,
        "-d",
        str(tmp_path),
    )
    assert code == 0
    assert "PROEFDRAAI" in output
    assert not (tmp_path / "k.db").exists()


def test_json_has_counts_per_kind_and_action(tmp_path: Path) -> None:
    """--json: the library's result, with where the workbooks went."""
    code, output = run(
        "import",
        str(SAMPLE),
        "--db",
        str(tmp_path / "k.db"),
        "--as-of",
        AS_OF,
        "-d",
        str(tmp_path),
        "--json",
    )
    summary = json.loads(output)["summary"]
    assert code == 0
    assert summary["outcome"] == "completed"
    assert summary["counts"]["Workflows"]["aangemaakt"] > 0
    assert summary["result_workbook"].endswith("onboarding-voorbeeld-resultaat.xlsx")
    assert summary["error_workbook"] is None


def test_the_database_url_can_come_from_the_environment(tmp_path: Path) -> None:
    """KANTOOR_BATCH_DB when --db is not given."""
    db = tmp_path / "omgeving.db"
    result = CliRunner().invoke(
        main,
        ["import", str(SAMPLE), "--as-of", AS_OF, "-d", str(tmp_path)],
        env={"KANTOOR_BATCH_DB": str(db)},
    )
    assert result.exit_code == 0
    assert db.exists()


def test_an_unreachable_database_stops_with_a_message_and_exit_3(tmp_path: Path) -> None:
    """A PostgreSQL server that is not there: a Dutch message, no traceback."""
    code, output = run(
        "import",
        str(SAMPLE),
        "--db",
        "postgresql://nobody@127.0.0.1:1/nergens",
        "--as-of",
        AS_OF,
        "-d",
        str(tmp_path),
    )
    assert code == 3
    assert "niet bereikbaar" in output


def test_the_result_workbook_has_the_promised_sheets_and_columns(tmp_path: Path) -> None:
    """Sheets and first columns as the issue lists them; dates are date cells; BSN masked."""
    run(
        "import", str(SAMPLE), "--db", str(tmp_path / "k.db"), "--as-of", AS_OF, "-d", str(tmp_path)
    )
    book = openpyxl.load_workbook(tmp_path / "onboarding-voorbeeld-resultaat.xlsx")
    expected = {
        "Samenvatting": ["Samenvatting"],
        "Relaties": [
            "Relatienummer",
            "Soort",
            "Naam",
            "Actie",
            "Afgeleid van contact",
            "BSN/RSIN",
            "Relatiegroep",
            "SBR ingeschakeld",
            "SBR startdatum",
            "SBR iDEAL",
        ],
        "Contacten": [
            "Relatienummer",
            "Soort",
            "Contactnummer",
            "Naam",
            "Soort contact",
            "E-mail",
            "Telefoon",
            "Actie",
        ],
        "Producten": ["Relatienummer", "Soort", "Product", "Tijdvak", "Vanaf", "Actie"],
        "Workflows": [
            "Relatienummer",
            "Soort",
            "Product",
            "Workflow",
            "Periode",
            "Uiterste datum",
            "Actie",
        ],
        "Plannerregels": [
            "Relatienummer",
            "Soort",
            "Product",
            "Tijdvak",
            "Eerste periode",
            "Actie",
        ],
        "Rollen": ["Relatienummer", "Soort", "Rol", "Medewerker", "Actie"],
        "Meldingen": ["Blad", "Rij", "Kolom", "Code", "Ernst", "Melding"],
    }
    for name, headers in expected.items():
        assert [c.value for c in book[name][1]][: len(headers)] == headers, name
    relations = list(book["Relaties"].iter_rows(min_row=2, values_only=True))
    first = relations[0]
    assert first[5].startswith("******")
    assert isinstance(first[8], dt.datetime)  # SBR startdatum is a real date cell
    assert any(r[8] is None for r in relations)  # no SBR: an empty cell
    for sheet in book.worksheets:  # missing values are empty cells, never pandas' spelling
        for row in sheet.iter_rows(values_only=True):
            assert not {"nan", "NaN", "NaT", "None", "<NA>"} & {
                v for v in row if isinstance(v, str)
            }
    summary = {r[0]: r[1] for r in book["Samenvatting"].iter_rows(min_row=2, values_only=True)}
    assert summary["Bestand"] == "onboarding-voorbeeld.xlsx"
    assert summary["Peildatum"] == dt.datetime(2026, 11, 29)  # noqa: DTZ001 - a date cell
    assert isinstance(summary["Duur (seconden)"], float)
    assert len(summary["SHA-256"]) == 64


def test_values_that_look_like_formulas_stay_text_in_the_result(tmp_path: Path) -> None:
    """A client named '=1+1' is a text cell, never a formula."""
    source = valid_book().set("Relaties", 0, "Naam", "=1+1").write(tmp_path / "k.xlsx")
    run("import", str(source), "--db", str(tmp_path / "k.db"), "--as-of", AS_OF)
    cell = openpyxl.load_workbook(tmp_path / "k-resultaat.xlsx")["Relaties"]["C2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_a_workbook_without_relaties_stores_nothing_and_exits_1(tmp_path: Path) -> None:
    """A structural error: one clear message, 'Niets geïmporteerd', outcome rejected."""
    book = valid_book()
    del book.sheets["Relaties"]
    source = book.write(tmp_path / "k.xlsx")
    code, output = run("import", str(source), "--db", str(tmp_path / "k.db"), "--json")
    summary = json.loads(output)["summary"]
    assert code == 1
    assert summary["outcome"] == "rejected"
    assert summary["counts"]["Relaties"]["aangemaakt"] == 0
    code, output = run("import", str(source), "--db", str(tmp_path / "k.db"))
    assert "Niets geïmporteerd: er is niets opgeslagen." in output


def test_a_file_that_is_no_workbook_stops_with_a_dutch_message(tmp_path: Path) -> None:
    """Exit 3 and 'Fout: ...', not Click's English 'Error:'."""
    source = tmp_path / "export.xlsx"
    source.write_text("a;b\n1;2\n", encoding="utf-8")
    code, output = run("import", str(source), "--db", str(tmp_path / "k.db"))
    assert code == 3
    assert output.startswith("Fout: Het bestand 'export.xlsx'")


def test_a_dry_run_writes_its_own_result_and_leaves_the_real_one_alone(tmp_path: Path) -> None:
    """<name>-proefdraai.xlsx beside the real <name>-resultaat.xlsx; it says nothing was stored."""
    db = str(tmp_path / "k.db")
    common = ("--db", db, "--as-of", AS_OF, "-d", str(tmp_path))
    run("import", str(SAMPLE), *common)
    real = tmp_path / "onboarding-voorbeeld-resultaat.xlsx"
    before = real.read_bytes()
    code, output = run("import", str(SAMPLE), *common, "--dry-run")
    assert code == 0, output
    assert real.read_bytes() == before
    dry = tmp_path / "onboarding-voorbeeld-proefdraai.xlsx"
    assert f"Resultaat: {dry}" in output
    assert "Alles geïmporteerd" not in output
    assert "Proefdraai" in output.splitlines()[-2]
    assert "niets opgeslagen" in output.splitlines()[-2]
    summary = openpyxl.load_workbook(dry, read_only=True)["Samenvatting"]
    values = [row[1] for row in summary.iter_rows(values_only=True)]
    assert "proefdraai, niets opgeslagen (alles zou worden geïmporteerd)" in values


def test_changed_values_are_listed_old_and_new_in_the_workbook_and_json(tmp_path: Path) -> None:
    """Sheet Wijzigingen and JSON 'changes': sheet, relation, field, old and new value."""
    db = str(tmp_path / "k.db")
    common = ("--db", db, "--as-of", AS_OF, "-d", str(tmp_path))
    first = valid_book().set("Relaties", 0, "E-mail", "oud@korenaar.nl")
    run("import", str(first.write(tmp_path / "klanten.xlsx")), *common)
    changed = first.set("Relaties", 0, "E-mail", "nieuw@korenaar.nl")
    changed = changed.set("Producten", 0, "Tijdvak", "Maand").set("Producten", 0, "Vanaf", None)
    path = changed.write(tmp_path / "klanten.xlsx")
    code, output = run("import", str(path), *common, "--json")
    assert code == 0, output
    data = json.loads(output)
    rows = {
        (c["sheet"], c["relation_number"], c["field"], c["old"], c["new"]) for c in data["changes"]
    }
    assert rows == {
        ("Relaties", "0101", "E-mail", "oud@korenaar.nl", "nieuw@korenaar.nl"),
        ("Producten", "0101", "Tijdvak", "Kwartaal", "Maand"),
        ("Plannerregels", "0101", "Tijdvak", "Kwartaal", "Maand"),
        ("Plannerregels", "0101", "Eerste periode", "2027-K1", "2026-12"),
        # The first period follows the new Tijdvak: the month in which 2026-K1 starts.
        ("Producten", "0101", "Vanaf", "2026-K1", "2026-01"),
    }
    sheet = openpyxl.load_workbook(tmp_path / "klanten-resultaat.xlsx", read_only=True)
    table = list(sheet["Wijzigingen"].iter_rows(values_only=True))
    assert table[0] == (
        "Blad",
        "Relatienummer",
        "Soort",
        "Betreft",
        "Veld",
        "Oud",
        "Bij export",
        "Nieuw",
        "Status",
    )
    assert (
        "Relaties",
        "0101",
        "Organisatie",
        None,
        "E-mail",
        "oud@korenaar.nl",
        None,
        "nieuw@korenaar.nl",
        "gewijzigd",
    ) in table


def test_an_error_outside_any_client_exits_1_with_an_error_workbook(tmp_path: Path) -> None:
    """Never 'Alles geïmporteerd' with exit 0 while a row was not stored."""
    book = valid_book().add(
        "Contacten",
        Relatienummer="0199",
        Soort_contact="Kind",
        Achternaam="Typo",
        BSN=OTHER_VALID_BSN,
    )
    path = book.write(tmp_path / "klanten.xlsx")
    code, output = run("import", str(path), "--db", str(tmp_path / "k.db"), "--as-of", AS_OF)
    assert code == 1, output
    assert "Alles geïmporteerd" not in output
    assert "niet opgeslagen: Contacten rij 3" in output
    errors = openpyxl.load_workbook(tmp_path / "klanten-fouten.xlsx", read_only=True)
    contacts = list(errors["Contacten"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in contacts] == ["0199"]


def test_an_output_folder_that_cannot_be_made_stops_before_anything_is_stored(
    tmp_path: Path,
) -> None:
    """-o under a file: exit 3 and an untouched store, never 'Fout' after a commit."""
    blocker = tmp_path / "bestand.txt"
    blocker.write_text("geen map")
    db = tmp_path / "k.db"
    code, output = run(
        "import", str(SAMPLE), "--db", str(db), "--as-of", AS_OF, "-d", str(blocker / "uit")
    )
    assert code == 3, output
    assert "Kan " in output
    assert not db.exists()


def test_a_result_that_cannot_be_written_after_the_commit_says_it_was_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 4: the store has the run, the message says so; no file under the result's name."""

    def broken_save(self: object) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(FastExcel, "save", broken_save)
    db = tmp_path / "k.db"
    code, output = run(
        "import", str(SAMPLE), "--db", str(db), "--as-of", AS_OF, "-d", str(tmp_path)
    )
    assert code == 4, output
    assert "de import is opgeslagen" in output
    assert not (tmp_path / "onboarding-voorbeeld-resultaat.xlsx").exists()
    assert not list(tmp_path.glob(".~*"))  # no half-written temporary file left either
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT outcome FROM import_runs").fetchall() == [("completed",)]


def test_a_name_longer_than_an_excel_cell_still_gives_a_result_workbook(tmp_path: Path) -> None:
    """The result workbook cuts free text to Excel's 32,767 characters per cell."""
    book = valid_book().set("Relaties", 0, "Naam", "B" * 40_000)
    path = book.write(tmp_path / "klanten.xlsx")
    code, output = run("import", str(path), "--db", str(tmp_path / "k.db"), "--as-of", AS_OF)
    assert code in (0, 1), output
    relations = openpyxl.load_workbook(tmp_path / "klanten-resultaat.xlsx", read_only=True)
    names = [row[2] for row in relations["Relaties"].iter_rows(min_row=2, values_only=True)]
    assert all(len(str(n)) <= 32_767 for n in names)
