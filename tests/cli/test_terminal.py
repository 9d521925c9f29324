"""Issue 13: what the terminal shows after an import or a check, read as an office worker
reads it: counts in words that agree with the table and the result workbook, whole messages,
labelled columns, the store as a path, one clear last line, plain text when piped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from kantoor_batch.cli import main
from kantoor_batch.export.result_workbook import write_result_workbook
from kantoor_batch.export.terminal import (
    clients_line,
    import_summary,
    store_shown,
    validation_summary,
)
from kantoor_batch.importer import import_workbook
from kantoor_batch.issues import Issue
from kantoor_batch.validate.workbook import validate_workbook
from tests.conftest import REPO

SAMPLES = REPO / "samples"
AS_OF = dt.date(2026, 11, 29)


def test_the_sample_import_says_its_clients_in_words_matching_the_table(tmp_path: Path) -> None:
    result = import_workbook(SAMPLES / "onboarding-voorbeeld.xlsx", db=str(tmp_path / "k.db"))
    text = import_summary(result, "nl", width=200)
    relations = result.counts()["Relaties"]["aangemaakt"]
    words = re.search(r"(\d+) klanten: (\d+) organisaties, (\d+) personen, (\d+) personen af", text)
    assert words is not None
    clients, organisations, persons, derived = map(int, words.groups())
    assert clients == organisations + persons
    assert organisations + persons + derived == relations
    assert f"{result.counts()['Contacten']['aangemaakt']} contacten" in text
    assert re.search(rf"afgeleid van contacten\s+{derived}\s", text)
    assert text.splitlines()[-1].startswith(f"Alles geïmporteerd: {clients} klanten opgeslagen")


def test_the_result_workbook_counts_what_the_terminal_counts(tmp_path: Path) -> None:
    result = import_workbook(SAMPLES / "onboarding-met-fouten.xlsx", db=str(tmp_path / "k.db"))
    path = write_result_workbook(result, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)["Samenvatting"]
    cells = {str(row[0].value).strip(): row[1:] for row in sheet.iter_rows() if row[0].value}
    text = import_summary(result, "nl", width=200)
    for kind, counts in result.counts().items():
        assert [c.value for c in cells[kind][: len(counts)]] == [counts[a] for a in counts]
    skipped = len(result.skipped_bundles)
    assert f"{skipped} klanten overgeslagen" in text
    listed = str(cells["Overgeslagen klanten"][0].value)
    assert listed.startswith(str(skipped)) or all(n in listed for n in result.skipped_bundles)


def test_a_second_import_ends_in_nothing_to_change(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    import_workbook(SAMPLES / "onboarding-voorbeeld.xlsx", db=db)
    again = import_workbook(SAMPLES / "onboarding-voorbeeld.xlsx", db=db)
    assert import_summary(again).splitlines()[-1].startswith("Niets te wijzigen: 27 klanten")


def test_messages_are_wrapped_whole_on_a_narrow_screen_never_cut() -> None:
    report = validate_workbook(SAMPLES / "onboarding-met-fouten.xlsx", as_of=AS_OF)
    for width in (50, 70, 120):
        text = validation_summary(report, "nl", width=width)
        assert max(len(line) for line in text.splitlines()) <= width
        flat = " ".join(text.split())
        for issue in report.issues[:8]:
            assert " ".join(issue.message("nl").split()) in flat
    assert "Melding" in validation_summary(report, "nl", width=100)


def test_a_piped_command_prints_plain_text_without_colours(tmp_path: Path) -> None:
    out = tmp_path / "f.xlsx"
    result = CliRunner().invoke(
        main, ["validate", str(SAMPLES / "onboarding-met-fouten.xlsx"), "-o", str(out)]
    )
    assert "\x1b[" not in result.output
    assert "Ernst" in result.output


def test_a_sqlite_store_is_shown_as_its_path_and_a_server_without_password() -> None:
    assert store_shown("sqlite:////srv/kantoor/kantoor.db") == "/srv/kantoor/kantoor.db"
    assert store_shown("sqlite:///kantoor.db") == "kantoor.db"
    shown = store_shown("postgresql+psycopg://jan:geheim@db/kantoor")
    assert "geheim" not in shown
    assert "db/kantoor" in shown


def test_masking_hides_the_bsn_but_shows_what_is_wrong_with_a_postcode() -> None:
    """A postcode shows its first digit and its letters (the causes), not the whole of it."""
    postcode = Issue("invalid-postcode", "Relaties", 4, "Postcode", "9751 SA", personal=True)
    assert "'9*** SA'" in postcode.message("nl")
    assert "9751" not in postcode.message("nl")
    leading_zero = Issue("invalid-postcode", "Relaties", 4, "Postcode", "0751 AB", personal=True)
    assert "'0*** AB'" in leading_zero.message("nl")
    bsn = Issue("invalid-bsn", "Contacten", 3, "BSN", "12345678X", personal=True)
    assert "*****678X" in bsn.message("nl")
    assert "12345" not in bsn.message("nl")


def test_the_readme_quotes_what_the_sample_import_prints(tmp_path: Path) -> None:
    """The counts in the README are the terminal's, word for word."""
    result = import_workbook(SAMPLES / "onboarding-voorbeeld.xlsx", db=str(tmp_path / "k.db"))
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"`{clients_line(result, 'nl')}`" in readme
    assert "Alles geïmporteerd: 27 klanten opgeslagen" in readme
