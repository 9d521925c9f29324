"""The ready profiles and their sample exports, end to end through the command line: convert,
validate clean, import clean; --suggest; wrong use and unreadable input without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from kantoor_batch.convert.profile import load_profile
from kantoor_batch.convert.sources import read_source
from kantoor_batch.convert.suggest import match_headers, person_groups
from tests.conftest import REPO

EXPORTS = REPO / "samples" / "exports"
PROFILES = REPO / "profiles"
SAMPLES = {
    "nmbrs-bedrijven": ["nmbrs-bedrijven.xlsx"],
    "klanten-plat": ["klanten-plat.csv"],
    "organisaties-personen": ["organisaties.csv", "personen.txt"],
}


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("profile", sorted(SAMPLES))
def test_every_sample_export_converts_validates_clean_and_imports_clean(
    tmp_path: Path, profile: str
) -> None:
    """Exit 0 three times, no issue at all, every client imported."""
    workbook = tmp_path / "onboarding.xlsx"
    exports = [str(EXPORTS / name) for name in SAMPLES[profile]]
    converted = run(
        "convert", *exports, "--profile", str(PROFILES / f"{profile}.toml"), "-o", str(workbook)
    )
    assert converted.exit_code == 0, converted.output
    checked = run("validate", str(workbook), "--as-of", "2026-11-29", "--json")
    assert checked.exit_code == 0
    assert json.loads(checked.output)["issues"] == []
    imported = run(
        "import",
        str(workbook),
        "--db",
        str(tmp_path / "k.db"),
        "--as-of",
        "2026-11-29",
        "--json",
    )
    assert imported.exit_code == 0, imported.output


def test_the_conversion_report_as_json_says_where_each_column_went(tmp_path: Path) -> None:
    """Used and unused columns, maps with counts, transformations; BSNs never in full."""
    result = run(
        "convert",
        str(EXPORTS / "klanten-plat.csv"),
        "--profile",
        str(PROFILES / "klanten-plat.toml"),
        "-o",
        str(tmp_path / "o.xlsx"),
        "--json",
    )
    report = json.loads(result.output)
    columns = {c["column"]: c["targets"] for c in report["columns"]}
    assert columns["Opmerking"] == []
    assert "Contacten: Achternaam" in columns["Partner"]
    assert {"from": "E", "to": "Eenmanszaak"}.items() <= next(
        m for m in report["mappings"] if m["from"] == "E"
    ).items()
    assert report["summary"]["written"]["Relaties"] == 60
    assert report["inputs"][0]["encoding"] == "cp1252"
    assert report["inputs"][0]["header_line"] == 2


def test_rows_that_cannot_be_converted_are_listed_with_file_and_line_and_exit_1(
    tmp_path: Path,
) -> None:
    """The lost-digits example: exit 1, the line named, the rest still written."""
    profile = tmp_path / "p.toml"
    profile.write_text(
        'version = 1\n[[rows]]\nsheet = "Relaties"\n[rows.columns]\n'
        '"Relatienummer" = "Debiteur"\n"Soort" = { value = "Organisatie" }\n"Naam" = "Naam"\n'
        '"Rechtsvorm" = { column = "Rechtsvorm", map = { "E" = "Eenmanszaak", "B.V." = "BV" } }\n'
        '"KvK-nummer" = { column = "KvK", pad = 8 }\n',
        encoding="utf-8",
    )
    result = run(
        "convert",
        str(REPO / "tests" / "data" / "export-kvk-lost-digits.csv"),
        "--profile",
        str(profile),
        "-o",
        str(tmp_path / "o.xlsx"),
    )
    assert result.exit_code == 1
    assert "export-kvk-lost-digits.csv regel 3" in result.output
    assert "9,9E+11" in result.output
    assert (tmp_path / "o.xlsx").exists()


def test_bsns_are_masked_on_the_terminal(tmp_path: Path) -> None:
    """A BSN in a message shows its last three digits only."""
    export = tmp_path / "e.csv"
    export.write_text("Nr;Achternaam;BSN\n1;Bos;1,11222E+08\n", encoding="utf-8")
    profile = tmp_path / "p.toml"
    profile.write_text(
        'version = 1\n[[rows]]\nsheet = "Contacten"\n[rows.columns]\n"Relatienummer" = "Nr"\n'
        '"Soort contact" = { value = "Ondernemer" }\n"Achternaam" = "Achternaam"\n'
        '"BSN" = "BSN"\n',
        encoding="utf-8",
    )
    result = run("convert", str(export), "--profile", str(profile), "-o", str(tmp_path / "o.xlsx"))
    assert result.exit_code == 1
    assert "1,11222E+08" not in result.output


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["convert", "x.csv"], 2, "--profile"),
        (["convert", "a.csv", "b.csv", "--suggest"], 3, "bestaat niet"),
        (["convert", "missing.csv", "--profile", "p.toml"], 3, "bestaat niet"),
        (["convert", "leeg.csv", "--profile", "p.toml"], 3, "leeg"),
        (["convert", "e.ods", "--profile", "p.toml"], 3, "beschadigd"),
        (["convert", "e.csv", "--profile", "kapot.toml"], 3, "geen geldige TOML"),
    ],
)
def test_wrong_use_and_unreadable_input_end_in_a_dutch_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, text: str
) -> None:
    """Exit 2 or 3 and a sentence, never a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(
        'version = 1\n[[rows]]\nsheet = "Relaties"\n[rows.columns]\n"Naam" = "Naam"\n'
        '"Relatienummer" = "Naam"\n"Soort" = { value = "Organisatie" }\n',
        encoding="utf-8",
    )
    (tmp_path / "kapot.toml").write_text("version = \n", encoding="utf-8")
    (tmp_path / "leeg.csv").write_bytes(b"")
    (tmp_path / "e.csv").write_text("Naam\nA\n", encoding="utf-8")
    (tmp_path / "e.ods").write_bytes(b"PK\x03\x04 not really an ods")
    (tmp_path / "x.csv").write_text("Naam\nA\n", encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("export", ["nmbrs-bedrijven.xlsx", "klanten-plat.csv"])
def test_a_suggested_profile_converts_the_sample_into_a_workbook_without_errors(
    tmp_path: Path, export: str
) -> None:
    """--suggest, then convert with the proposal unchanged: owner and partner found by their
    column prefix, codes mapped, a street line split; validate finds no error."""
    proposal = tmp_path / "voorstel.toml"
    assert run("convert", "--suggest", str(EXPORTS / export), "-o", str(proposal)).exit_code == 0
    text = proposal.read_text(encoding="utf-8")
    assert "# zekerheid" in text
    workbook = tmp_path / "o.xlsx"
    converted = run(
        "convert", str(EXPORTS / export), "--profile", str(proposal), "-o", str(workbook)
    )
    assert converted.exit_code == 0, converted.output
    checked = run("validate", str(workbook), "--as-of", "2026-11-29", "--json")
    assert checked.exit_code == 0, checked.output


def test_suggest_places_the_persons_columns_of_a_flat_client_list() -> None:
    """Eigenaar and Partner columns become an Ondernemer and a Fiscaal partner block."""
    groups = person_groups(read_source(EXPORTS / "klanten-plat.csv").headers)
    assert [(g.contact_type, g.full_name) for g in groups] == [
        ("Ondernemer", "Eigenaar"),
        ("Fiscaal partner", "Partner"),
    ]
    assert {s.column.header for s in groups[0].columns} == {"Geboortedatum", "BSN"}


@pytest.mark.parametrize("export", ["organisaties.csv", "personen.txt"])
def test_a_suggestion_that_misses_a_required_column_says_so_and_still_loads(
    tmp_path: Path, export: str
) -> None:
    """A placeholder 'VUL IN' for what no header gave; the proposal is a valid profile."""
    proposal = tmp_path / "voorstel.toml"
    run("convert", "--suggest", str(EXPORTS / export), "-o", str(proposal))
    load_profile(proposal)
    names = {s.header for s in match_headers(read_source(EXPORTS / export).headers)[0]}
    assert {"Naam", "Voornaam", "Achternaam", "Rechtsvorm", "BSN"} & names


def test_the_template_sheets_as_csv_round_trip_through_import(tmp_path: Path) -> None:
    """export --format csv, then import the folder: every row unchanged; validate reads a
    single sheet's file too."""
    workbook = tmp_path / "o.xlsx"
    db = str(tmp_path / "k.db")
    run(
        "convert",
        str(EXPORTS / "klanten-plat.csv"),
        "--profile",
        str(PROFILES / "klanten-plat.toml"),
        "-o",
        str(workbook),
    )
    assert run("import", str(workbook), "--db", db, "--as-of", "2026-11-29").exit_code == 0
    assert (
        run("export", "--db", db, "-o", str(tmp_path / "rond.xlsx"), "--format", "csv").exit_code
        == 0
    )
    again = run("import", str(tmp_path / "rond"), "--db", db, "--as-of", "2026-11-29", "--json")
    assert again.exit_code == 0, again.output
    counts = json.loads(again.output)["summary"]["counts"]
    assert all(c.get("aangemaakt", 0) == 0 and c.get("bijgewerkt", 0) == 0 for c in counts.values())
    single = run(
        "validate",
        str(tmp_path / "rond" / "Relaties.csv"),
        "--as-of",
        "2026-11-29",
        "--json",
        "-o",
        str(tmp_path / "f.xlsx"),
    )
    sheets = {s["sheet"]: s for s in json.loads(single.output)["summary"]["sheets"]}
    assert sheets["Relaties"]["rows"] == 60


def test_a_csv_named_after_no_sheet_is_refused_with_advice(tmp_path: Path) -> None:
    """'lijst.csv' is no template sheet: exit 3 and a pointer to convert."""
    (tmp_path / "lijst.csv").write_text("Naam\nA\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "lijst.csv")])
    assert result.exit_code == 3
    assert "kantoor-batch convert" in result.output


def test_an_output_without_xlsx_is_a_folder_of_csv_sheets_that_validates(tmp_path: Path) -> None:
    """-o FOLDER: the template's sheets as CSV plus Conversie.csv, which validate skips."""
    folder = tmp_path / "omgezet"
    result = run(
        "convert",
        str(EXPORTS / "organisaties.csv"),
        str(EXPORTS / "personen.txt"),
        "--profile",
        str(PROFILES / "organisaties-personen.toml"),
        "-o",
        str(folder),
    )
    assert result.exit_code == 0, result.output
    assert (folder / "Relaties.csv").exists()
    assert (folder / "Conversie.csv").exists()
    checked = run(
        "validate", str(folder), "--as-of", "2026-11-29", "--json", "-o", str(tmp_path / "f.xlsx")
    )
    assert checked.exit_code == 0
    assert json.loads(checked.output)["issues"] == []


def test_the_report_speaks_english_with_lang_en(tmp_path: Path) -> None:
    """--lang en: the terminal summary and the file notes in English."""
    result = run(
        "convert",
        str(EXPORTS / "klanten-plat.csv"),
        "--profile",
        str(PROFILES / "klanten-plat.toml"),
        "-o",
        str(tmp_path / "o.xlsx"),
        "--lang",
        "en",
        "--json",
    )
    notes = [i["message"] for i in json.loads(result.output)["issues"]]
    assert any("The header is on line 2" in note for note in notes)
