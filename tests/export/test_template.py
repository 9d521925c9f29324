"""The template: sheets, columns, dropdowns, text formats, instructions, and the kept copy."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kantoor_batch.catalogues import Catalogues, Numbering
from kantoor_batch.export.template import write_template
from kantoor_batch.spec import SHEETS
from kantoor_batch.validate.workbook import validate_workbook
from tests.conftest import AS_OF, REPO


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("t") / "sjabloon.xlsx")


def test_the_kept_template_is_what_the_command_writes(template: Path) -> None:
    """templates/onboarding-sjabloon.xlsx equals a fresh one, part by part."""
    kept = zipfile.ZipFile(REPO / "templates" / "onboarding-sjabloon.xlsx")
    fresh = zipfile.ZipFile(template)
    assert kept.namelist() == fresh.namelist()
    for name in kept.namelist():
        assert kept.read(name) == fresh.read(name), name


def test_every_sheet_and_column_of_the_contract_is_there(template: Path) -> None:
    """Instructies, the six data sheets in order, and the hidden Lijsten."""
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["Instructies", *[s.name for s in SHEETS], "Lijsten"]
    assert book["Lijsten"].sheet_state == "hidden"
    for sheet in SHEETS:
        headers = [c.value for c in book[sheet.name][1]]
        assert headers == [f"{c.header}*" if c.required else c.header for c in sheet.columns]
        assert book[sheet.name].freeze_panes == "A2"


def test_every_closed_list_has_a_dropdown_fed_by_lijsten(template: Path) -> None:
    """Soort, Rechtsvorm, Soort contact, Ja/Nee, Product, Tijdvak, Rol, Integratie."""
    book = openpyxl.load_workbook(template)
    expected = {
        "Relaties": {"B", "D", "V", "W", "X"},
        "Contacten": {"C", "L", "M"},
        "Producten": {"B", "C", "E"},
        "Rollen": {"B"},
    }
    for name, columns in expected.items():
        validations = book[name].data_validations.dataValidation
        listed = {
            str(v.sqref).split(":")[0].rstrip("0123456789")
            for v in validations
            if v.type == "list" and "Lijsten" in (v.formula1 or "")
        }
        assert columns <= listed, name


def test_the_dropdowns_offer_the_active_catalogues(tmp_path: Path) -> None:
    """A configured role appears in Lijsten."""
    catalogues = Catalogues(roles=("Relatiebeheerder", "Controller"))
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", catalogues))
    values = {c.value for row in book["Lijsten"].iter_rows() for c in row}
    assert "Controller" in values
    assert "Secretariaat" not in values


def test_identifier_columns_are_formatted_as_text(template: Path) -> None:
    """Excel keeps the leading zero of a KvK-nummer typed into the template."""
    sheet = openpyxl.load_workbook(template)["Relaties"]
    for letter in ("A", "E", "G"):  # Relatienummer, KvK-nummer, BSN/RSIN
        assert sheet.column_dimensions[letter].number_format == "@"


def test_the_instructions_explain_every_column(template: Path) -> None:
    """Each column appears on Instructies with an explanation."""
    rows = list(openpyxl.load_workbook(template)["Instructies"].iter_rows(values_only=True))
    explained = {(r[0], r[1]) for r in rows if r[1] and r[3]}
    for sheet in SHEETS:
        for column in sheet.columns:
            assert (sheet.name, column.header) in explained


def test_the_empty_template_validates_as_an_empty_workbook(template: Path) -> None:
    """No crash on the template itself: one error saying Relaties is empty."""
    report = validate_workbook(template, as_of=AS_OF)
    assert [i.code for i in report.issues] == ["empty-workbook"]


def instruction_rules(path: Path) -> dict[str, str]:
    """The 'Zo werkt de import' block of Instructies: topic (A:B) -> explanation (C:F)."""
    rows = list(openpyxl.load_workbook(path)["Instructies"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Zo werkt de import")
    block = rows[start + 1 : next(i for i in range(start, len(rows)) if rows[i][0] is None)]
    return {str(r[0]): str(r[2]) for r in block}


def test_the_instructions_state_the_rules_of_the_contract(template: Path) -> None:
    """Four-week periods, plausible Vanaf, products per client, IB to the owners, contact
    numbers with a suffix, the same BSN is the same person."""
    rules = instruction_rules(template)
    assert (
        "P01 01-01 t/m 25-01, P02 26-01 t/m 22-02, ..., P13 30-11 t/m 31-12" in rules["Vier weken"]
    )
    assert "zondag van week 4" in rules["Vier weken"]
    assert "meer dan 5 jaar terug" in rules["Vanaf"]
    assert "na volgend jaar" in rules["Vanaf"]
    assert rules["Aangifte IB"].startswith("voor personen")
    assert "BV, NV of Coöperatie" in rules["Aangifte Vpb"]
    assert "Stichting of Vereniging met een waarschuwing" in rules["Aangifte Vpb"]
    for product in ("Aangifte OB", "Opgaaf ICP", "Loonheffingen", "Jaarrekening"):
        assert rules[product].startswith("voor organisaties."), product
    assert "Eenmanszaak, VOF, Maatschap of CV" in rules["IB-onderneming"]
    assert "persoonsrelatie van elke Ondernemer" in rules["IB-onderneming"]
    assert "0101-1, 0101-2" in rules["Contactnummers"]
    assert "BSN van een bekend contact" in rules["Dezelfde persoon"]


def test_the_instructions_follow_the_offices_catalogue(tmp_path: Path) -> None:
    """Range numbering, three years back and the office's own four-week dates for 2026."""
    mondays = [dt.date(2026, 2, 2) + dt.timedelta(weeks=4 * n) for n in range(12)]
    catalogues = Catalogues(
        numbering=Numbering(scheme="range", range_start=500_000),
        start_period_years_back=3,
        four_week_calendar={2026: (dt.date(2026, 1, 1), *mondays)},
    )
    rules = instruction_rules(write_template(tmp_path / "t.xlsx", catalogues))
    assert "vanaf 500000" in rules["Contactnummers"]
    assert "meer dan 3 jaar terug" in rules["Vanaf"]
    assert "P01 01-01 t/m 01-02, P02 02-02 t/m 01-03" in rules["Vier weken"]
    assert "Voor 2026 gelden de begindatums van het kantoor" in rules["Vier weken"]


def test_the_instructions_give_the_most_characters_of_each_column(template: Path) -> None:
    """Naam 255, Achternaam 200, Relatienummer 40: the store's limits."""
    rows = list(openpyxl.load_workbook(template)["Instructies"].iter_rows(values_only=True))
    limits = {(r[0], r[1]): r[5] for r in rows if r[1] and r[3]}
    assert limits[("Relaties", "Naam")] == 255
    assert limits[("Contacten", "Achternaam")] == 200
    assert limits[("Producten", "Relatienummer")] == 40
    assert limits[("Relaties", "SBR iDEAL")] is None
