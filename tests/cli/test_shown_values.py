"""What the terminal and JSON may show of cell values: any run of nine digits masked whatever
its column (a BSN inside an OB-nummer, a BSN typed into KvK or e-mail), and nothing from a cell
that steers the terminal (ANSI and OSC escapes, control characters). The error workbook keeps
every value in full: the user fixes the cells there."""

from __future__ import annotations

import json
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from kantoor_batch.issues import Issue
from kantoor_batch.masking import mask_digit_runs, printable
from tests.builders import OTHER_VALID_BSN, VALID_BSN, valid_book

ESCAPES = ("\x1b", "\x9b", "\x07", "\u202e")


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("sheet", "header", "value"),
    [
        ("Relaties", "OB-nummer", f"{VALID_BSN}B1"),  # the owner's BSN, a wrong suffix
        ("Relaties", "Loonheffingennummer", f"{VALID_BSN}X01"),
        ("Relaties", "Btw-id", f"NL{VALID_BSN}B00"),
        ("Relaties", "KvK-nummer", VALID_BSN),  # a BSN typed into KvK
        ("Relaties", "E-mail", f"{VALID_BSN}@"),
        ("Contacten", "E-mail", f"{OTHER_VALID_BSN}@@klant.nl"),
    ],
)
def test_a_bsn_inside_any_value_is_masked_on_the_terminal_and_in_json(
    tmp_path: Path, sheet: str, header: str, value: str
) -> None:
    """The nine digits never appear; their last three do; the error workbook has them all."""
    digits = VALID_BSN if VALID_BSN in value else OTHER_VALID_BSN
    source = valid_book().set(sheet, 0, header, value).write(tmp_path / "k.xlsx")
    out = tmp_path / "f.xlsx"
    for extra in ([], ["--json"]):
        result = run("validate", str(source), "-o", str(out), *extra)
        # An invalid e-mail address is a warning, left out of the store (R3): exit 0.
        assert result.exit_code == (0 if header == "E-mail" else 1), result.output
        assert digits not in result.output
        assert "******" + digits[-3:] in result.output
    cells = [
        c.value for row in openpyxl.load_workbook(out)[sheet].iter_rows() for c in row if c.value
    ]
    assert any(digits in str(c) for c in cells)


def test_a_bsn_typed_as_relation_number_is_masked_in_every_message(tmp_path: Path) -> None:
    """Relatienummer 111222333 twice: the duplicate message shows ******333."""
    book = valid_book().set("Relaties", 0, "Relatienummer", VALID_BSN)
    book = book.add("Relaties", Relatienummer=VALID_BSN, Soort="Persoon", Naam="B. de Wit")
    source = book.write(tmp_path / "k.xlsx")
    result = run("validate", str(source), "--json")
    assert VALID_BSN not in result.output
    codes = {i["code"] for i in json.loads(result.output)["issues"]}
    assert "duplicate-relation-number" in codes


def test_digit_runs_are_masked_as_bsns_are() -> None:
    """Nine digits or more, also with dots, spaces or dashes; shorter numbers stay."""
    assert mask_digit_runs("123456782B01") == "******782B01"
    assert mask_digit_runs("NL123456782B01") == "NL******782B01"
    assert mask_digit_runs("1234.56.782") == "****.**.782"
    assert mask_digit_runs("01234567 en 17-03-1978") == "01234567 en 17-03-1978"


def test_the_message_masks_params_but_not_the_template() -> None:
    """A relation number in a parameter is masked; the example in the text is not."""
    issue = Issue("invalid-vat-number", "Relaties", 2, "OB-nummer", value="111222333B1")
    text = issue.message("nl")
    assert "******333B1" in text
    assert "bijvoorbeeld 123456782B01" in text
    assert "111222333B1" in issue.message("nl", mask=False)


HOSTILE = "\x1b]0;gehackt\x07\x1b[31mRood\x1b[0m\x9b2J\u202eteb"


def test_escape_sequences_in_cells_never_reach_the_terminal(tmp_path: Path) -> None:
    """ANSI colours, an OSC window title, an 8-bit CSI and a bidi override in a cell, a sheet
    name and a column header: the terminal output and the JSON hold none of them."""
    book = valid_book().set("Relaties", 0, "Soort", HOSTILE)
    book = book.set("Relaties", 0, "Kolom" + HOSTILE, "x")
    book.sheets["Blad\x1bc\x9b2J\u202ex"] = [{"a": "b"}]
    source = book.write(tmp_path / "k.xlsx")
    for extra in ([], ["--json"]):
        result = run("validate", str(source), *extra)
        assert result.exit_code == 1
        assert not any(ch in result.output for ch in ESCAPES), repr(result.output)
        assert "Rood" in result.output
    issues = json.loads(run("validate", str(source), "--json").output)["issues"]
    assert not any(ch in str(issue) for issue in issues for ch in ESCAPES)


def test_the_error_workbook_keeps_the_value_as_typed(tmp_path: Path) -> None:
    """Stripping happens where values are shown, not in what is stored or written back."""
    source = valid_book().set("Relaties", 0, "Soort", HOSTILE).write(tmp_path / "k.xlsx")
    run("validate", str(source), "-o", str(tmp_path / "f.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["Relaties"]
    headers = [c.value for c in sheet[1]]
    assert "Rood" in str(sheet.cell(row=2, column=headers.index("Soort*") + 1).value)


def test_printable_keeps_line_breaks_only_when_asked() -> None:
    """A whole screen keeps its lines; a value becomes one line."""
    assert printable("a\nb\tc\x1b[2Jd") == "a b cd"
    assert printable("a\nb", lines=True) == "a\nb"
    assert printable("kl\udce9nten.xlsx") == "kl\\xe9nten.xlsx"


def test_a_skipped_relation_numbered_with_a_bsn_is_masked_in_the_summary(tmp_path: Path) -> None:
    """The line naming skipped clients shows ******333, not the number typed."""
    book = valid_book().set("Relaties", 0, "Relatienummer", VALID_BSN)
    for sheet in ("Contacten", "Producten", "Rollen"):
        book = book.set(sheet, 0, "Relatienummer", VALID_BSN)
    book = book.add("Relaties", Relatienummer="0102", Soort="Persoon", Naam="B. de Wit")
    source = book.set("Relaties", 0, "KvK-nummer", "1").write(tmp_path / "k.xlsx")
    result = run("import", str(source), "--db", str(tmp_path / "k.db"), "-d", str(tmp_path))
    assert result.exit_code == 1
    assert "overgeslagen (hele klant, R12): ******333" in result.output
    assert VALID_BSN not in result.output
