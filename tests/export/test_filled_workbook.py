"""The filled workbook convert and export write (rustpy-xlsxwriter): what a user of it relies
on is there as in the template, and it reads back exactly."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.export.filled_workbook import (
    INLINE_LIST_MAX,
    write_frames_workbook,
    write_streamed_workbook,
)
from kantoor_batch.read.workbook import read_workbook
from kantoor_batch.spec import LISTS_SHEET, SHEETS
from kantoor_batch.validate.workbook import validate_workbook
from tests.conftest import AS_OF

RELATIONS = next(s for s in SHEETS if s.key == "relations")
CONTACTS = next(s for s in SHEETS if s.key == "contacts")


def relation(number: str, name: str, **more: object) -> dict[str, object]:
    return {
        "relation_number": number,
        "kind": "Organisatie",
        "name": name,
        "legal_form": "BV",
        **more,
    }


def frames(
    relations: list[dict[str, object]], contacts: list[dict[str, object]]
) -> dict[str, pd.DataFrame]:
    return {
        "relations": pd.DataFrame(relations, columns=[c.key for c in RELATIONS.columns]),
        "contacts": pd.DataFrame(contacts, columns=[c.key for c in CONTACTS.columns]),
    }


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "gevuld.xlsx"
    write_frames_workbook(
        path,
        Catalogues(),
        frames(
            [
                relation("0101", "=SOM(A1)", kvk_number="01234567", email="@info"),
                relation("0102", "+31 Holding"),
            ],
            [
                {
                    "relation_number": "0101",
                    "contact_type": "Ondernemer",
                    "last_name": "-Jansen",
                    "birth_date": dt.date(1978, 3, 4),
                }
            ],
        ),
        [("Conversie", ["Wat", "Toelichting"], [["Bestand", "export.csv"]])],
    )
    return path


def test_it_has_the_templates_sheets_in_order_with_lijsten_hidden(written: Path) -> None:
    book = openpyxl.load_workbook(written)
    names = ["Instructies", *(s.name for s in SHEETS), LISTS_SHEET, "Conversie"]
    assert book.sheetnames == names
    assert book[LISTS_SHEET].sheet_state == "hidden"
    headers = [c.value for c in book["Relaties"][1]]
    assert headers[:3] == ["Relatienummer*", "Soort*", "Naam*"]


def test_values_that_look_like_formulas_stay_text(written: Path) -> None:
    sheet = openpyxl.load_workbook(written)["Relaties"]
    assert sheet["C2"].value == "=SOM(A1)"
    assert sheet["C2"].data_type == "s"
    assert sheet["C3"].value == "+31 Holding"


def test_identifier_columns_are_text_on_the_whole_column_and_dates_are_dates(
    written: Path,
) -> None:
    book = openpyxl.load_workbook(written)
    relations = book["Relaties"]
    kvk = next(c.column_letter for c in relations[1] if c.value == "KvK-nummer")
    assert relations[f"{kvk}2"].value == "01234567"
    assert relations[f"{kvk}2"].number_format == "@"
    assert relations.column_dimensions[kvk].number_format == "@"  # a row typed later too
    contacts = book["Contacten"]
    born = next(c.column_letter for c in contacts[1] if c.value == "Geboortedatum")
    assert contacts[f"{born}2"].value == dt.datetime(1978, 3, 4)  # noqa: DTZ001 - a date cell has no zone
    assert contacts[f"{born}2"].number_format == "dd-mm-yyyy"


def test_closed_lists_have_dropdowns_on_the_rows_written_and_below(written: Path) -> None:
    sheet = openpyxl.load_workbook(written)["Relaties"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    kinds = next(v for ref, v in rules.items() if ref.startswith("B2"))
    assert kinds.type == "list"
    assert kinds.formula1 == '"Organisatie,Persoon"'
    assert str(kinds.sqref) == "B2:B5001"  # the rows written and empty rows under them
    groups = [v for v in rules.values() if v.type == "custom" and "Relatiegroepen" in v.formula1]
    assert groups
    assert groups[0].errorStyle == "information"


def test_a_list_too_long_to_write_inline_is_checked_against_lijsten(tmp_path: Path) -> None:
    many = [f"Koppeling met een lange naam {n}" for n in range(20)]
    assert len(",".join(many)) > INLINE_LIST_MAX
    path = tmp_path / "lang.xlsx"
    write_frames_workbook(
        path, Catalogues(integrations=tuple(many)), frames([relation("1", "A")], [])
    )
    sheet = openpyxl.load_workbook(path)["Relaties"]
    integration = next(c.column_letter for c in sheet[1] if c.value == "Integratie")
    rule = next(
        v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(integration)
    )
    assert rule.type == "custom"
    assert f"{LISTS_SHEET}!$" in rule.formula1
    assert f"{integration}2" in rule.formula1


def test_the_hidden_stamp_column_stays_hidden(written: Path) -> None:
    sheet = openpyxl.load_workbook(written)["Relaties"]
    stamp = next(c.column_letter for c in sheet[1] if c.value == "Exportstempel")
    assert sheet.column_dimensions[stamp].hidden


def test_it_reads_back_exactly(written: Path) -> None:
    read = read_workbook(written)
    relations = read.sheets["relations"].data
    assert list(relations["relation_number"]) == ["0101", "0102"]
    assert list(relations["name"]) == ["=SOM(A1)", "+31 Holding"]
    report = validate_workbook(written, as_of=AS_OF)
    assert not [i for i in report.issues if i.code.startswith("unknown")]


def test_a_streamed_workbook_holds_every_chunk_in_order(tmp_path: Path) -> None:
    keys = [c.key for c in RELATIONS.columns]

    def row(number: str) -> list[object]:
        values = relation(number, f"Klant {number}")
        return [values.get(k) for k in keys]

    chunks = [{"relations": [row("1"), row("2")]}, {"relations": [row("3")], "contacts": []}]
    path = tmp_path / "stroom.xlsx"
    counts = write_streamed_workbook(path, Catalogues(), iter(chunks))
    assert counts["relations"] == 3
    sheet = openpyxl.load_workbook(path)["Relaties"]
    assert [sheet[f"A{r}"].value for r in range(2, 5)] == ["1", "2", "3"]


def test_excel_does_not_flag_the_digits_kept_as_text(written: Path) -> None:
    """'Number stored as text' is what the identifier columns are for: no green triangles."""
    sheet = zipfile.ZipFile(written).read("xl/worksheets/sheet4.xml").decode()  # Relaties
    assert "<ignoredErrors>" in sheet
    assert 'numberStoredAsText="1"' in sheet


def test_the_dropdowns_reach_past_a_large_sheet_and_the_empty_rows_are_not_in_the_file(
    tmp_path: Path,
) -> None:
    rows = [relation(str(n), f"Klant {n}") for n in range(6_000)]
    path = tmp_path / "groot.xlsx"
    write_frames_workbook(path, Catalogues(), frames(rows, []))
    book = openpyxl.load_workbook(path, read_only=False)
    relations = book["Relaties"]
    assert str(relations.data_validations.dataValidation[0].sqref).endswith("7001")
    assert relations.max_row == 6_001
    roles = book["Rollen"]  # no rows at all: still a dropdown for Rol
    assert any(str(v.sqref) == "B2:B5001" for v in roles.data_validations.dataValidation)
    assert roles.max_row == 1
    assert len(read_workbook(path).sheets["relations"].data) == 6_000
