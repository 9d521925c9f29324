"""Issue 11's "Done when", tried as a new user would: an export of a shape the project had not
seen (SnelStart-like `Fld` columns) in other encodings, delimiters and layouts converts with a
profile written from the README alone; a row that cannot be converted is reported with its
file and line, or for a workbook its sheet and row; hostile input ends in a sentence, never
in a traceback. Every export here is generated in the test: no real data."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import xlsxwriter
from click.testing import CliRunner

from kantoor_batch.cli import main
from kantoor_batch.convert.engine import convert_exports
from kantoor_batch.convert.profile import load_profile
from tests.conftest import REPO

HEADER = [
    "FldRelatiecode",
    "FldNaam",
    "FldRechtsvorm",
    "FldVestigingsAdres",
    "FldVestigingsPostcode",
    "FldVestigingsPlaats",
    "FldTelefoon",
    "FldEmail",
    "FldKvKNummer",
    "FldContactpersoon",
    "FldFunctie",
]
ROWS = [
    [
        "000123",
        "Bakkerij De Gouden Korst",
        "Eenmanszaak",
        "Kerkstraat 12 a",
        "1234AB",
        "Utrecht",
        "030-1234567",
        "info@korst.nl",
        "1234567",
        "J.A. van der Berg",
        "Eigenaar",
    ],
    [
        "000124",
        "IJzerhandel Smit B.V.",
        "B.V.",
        "Laan van Meerdervoort 1001-III",
        "2517AB",
        "Den Haag",
        "070-7654321",
        "post@smit.nl",
        "87654321",
        "Pieter de Vries",
        "Directeur",
    ],
    [
        "000125",
        "Stichting 't Hofje",
        "Stichting",
        "Plein 1944 5",
        "6511AA",
        "Nijmegen",
        "",
        "",
        "11223344",
        "ijsbrand ijzerman",
        "Secretaris",
    ],
]
TITLE = "Relaties export SnelStart 12 - 29-11-2026"

# Written from the README's convert section alone: [source] left out (detected), a map per
# coded column, splits for the street line and the contact's full name, zeros padded back.
PROFILE = """
version = 1
name = "SnelStart relaties"

[maps.rechtsvorm]
"B.V." = "BV"

[maps.functie]
"Eigenaar" = "Ondernemer"
"Directeur" = "Ondernemer"
"Secretaris" = "Contactpersoon"

[[rows]]
sheet = "Relaties"
[rows.columns]
"Relatienummer" = "FldRelatiecode"
"Soort" = { value = "Organisatie" }
"Naam" = "FldNaam"
"Rechtsvorm" = { column = "FldRechtsvorm", map = "rechtsvorm", unmapped = "error" }
"Straat" = { column = "FldVestigingsAdres", split = "adres", part = "straat" }
"Huisnummer" = { column = "FldVestigingsAdres", split = "adres", part = "huisnummer" }
"Toevoeging" = { column = "FldVestigingsAdres", split = "adres", part = "toevoeging" }
"Postcode" = "FldVestigingsPostcode"
"Plaats" = "FldVestigingsPlaats"
"Telefoon" = "FldTelefoon"
"E-mail" = "FldEmail"
"KvK-nummer" = { column = "FldKvKNummer", pad = 8 }
"Integratie" = { value = "SnelStart" }

[[rows]]
sheet = "Contacten"
when = "FldContactpersoon"
[rows.columns]
"Relatienummer" = "FldRelatiecode"
"Soort contact" = { column = "FldFunctie", map = "functie", unmapped = "error" }
"Voorletters" = { column = "FldContactpersoon", split = "naam", part = "voorletters" }
"Voornaam" = { column = "FldContactpersoon", split = "naam", part = "voornaam" }
"Tussenvoegsel" = { column = "FldContactpersoon", split = "naam", part = "tussenvoegsel" }
"Achternaam" = { column = "FldContactpersoon", split = "naam", part = "achternaam" }
"""


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args))


def delimited(path: Path, encoding: str, delimiter: str, rows: list[list[str]]) -> Path:
    lines = [TITLE, *(delimiter.join(row) for row in [HEADER, *rows])]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def workbook(path: Path, rows: list[list[object]]) -> Path:
    """A title row, an empty row, the header on row 3: as packages write their Excel exports."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Relaties")
    sheet.write_string(0, 0, TITLE)
    table: list[list[object]] = [list(HEADER), *rows]
    for i, row in enumerate(table, start=2):
        for j, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(i, j, value)
            else:
                sheet.write(i, j, value)
    book.close()
    return path


EXPORTS = {
    "utf-16 with BOM, tab": lambda p: delimited(p / "relaties.txt", "utf-16", "\t", ROWS),
    "windows-1252, |": lambda p: delimited(p / "relaties.csv", "cp1252", "|", ROWS),
    "utf-8 with BOM, ;": lambda p: delimited(p / "relaties.csv", "utf-8-sig", ";", ROWS),
    "xlsx, title rows": lambda p: workbook(p / "relaties.xlsx", [list(r) for r in ROWS]),
}


@pytest.mark.parametrize("shape", sorted(EXPORTS))
def test_a_snelstart_like_export_converts_with_a_profile_from_the_readme(
    tmp_path: Path, shape: str
) -> None:
    export = EXPORTS[shape](tmp_path)
    profile = tmp_path / "snelstart.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    out = tmp_path / "onboarding.xlsx"
    converted = run("convert", str(export), "--profile", str(profile), "-o", str(out), "--json")
    assert converted.exit_code == 0, converted.output
    report = json.loads(converted.output)
    assert report["summary"]["written"]["Relaties"] == 3
    assert report["summary"]["written"]["Contacten"] == 3
    assert report["inputs"][0]["header_line"] == 3 if shape.startswith("xlsx") else 2
    checked = run("validate", str(out), "--as-of", "2026-11-29", "--json")
    assert checked.exit_code == 0, checked.output
    assert [i for i in json.loads(checked.output)["issues"] if i["severity"] == "error"] == []
    imported = run("import", str(out), "--db", str(tmp_path / "k.db"), "--as-of", "2026-11-29")
    assert imported.exit_code == 0, imported.output


def test_the_snelstart_values_arrive_as_the_template_wants_them(tmp_path: Path) -> None:
    """Leading zeros kept and given back, the street line and the names split (IJ a pair)."""
    export = EXPORTS["utf-16 with BOM, tab"](tmp_path)
    profile = tmp_path / "snelstart.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    result = convert_exports([export], load_profile(profile))
    relations = result.sheets["relations"]
    assert list(relations["relation_number"]) == ["000123", "000124", "000125"]
    assert list(relations["kvk_number"]) == ["01234567", "87654321", "11223344"]
    assert list(relations["street"]) == ["Kerkstraat", "Laan van Meerdervoort", "Plein 1944"]
    assert list(relations["house_number_suffix"]) == ["a", "III", None]
    contacts = result.sheets["contacts"]
    assert list(contacts["infix"]) == ["van der", "de", None]
    assert list(contacts["last_name"]) == ["Berg", "Vries", "IJzerman"]
    assert list(contacts["contact_type"]) == ["Ondernemer", "Ondernemer", "Contactpersoon"]


def test_a_bad_row_of_a_workbook_export_is_reported_with_its_sheet_and_row(
    tmp_path: Path,
) -> None:
    """Header on row 3, so the second data row is sheet row 5; Excel turned its KvK number
    into 9,9E+11 style digits lost (here: 9.9e11 as a number cell)."""
    rows: list[list[object]] = [list(ROWS[0]), list(ROWS[1]), list(ROWS[2])]
    rows[1][8] = "9,9E+11"
    export = workbook(tmp_path / "relaties.xlsx", rows)
    profile = tmp_path / "snelstart.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    out = tmp_path / "o.xlsx"
    converted = run("convert", str(export), "--profile", str(profile), "-o", str(out), "--json")
    assert converted.exit_code == 1
    issues = [i for i in json.loads(converted.output)["issues"] if i["severity"] == "error"]
    assert [(i["file"], i["sheet"], i["line"]) for i in issues] == [
        ("relaties.xlsx", "Relaties", 5)
    ]
    text = run("convert", str(export), "--profile", str(profile), "-o", str(out)).output
    assert "Fout relaties.xlsx blad Relaties rij 5:" in text


def test_a_bad_line_of_a_csv_export_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    """The title is line 1, the header line 2: the third data line is line 5. A short
    Windows-1252 file with one 'ö' is read as cp1252 (charset-normalizer ranks hp_roman8
    first for it)."""
    rows = [list(r) for r in ROWS]
    rows[2][2] = "Coöperatie U.A."  # not in the map, unmapped = "error"
    export = delimited(tmp_path / "relaties.csv", "cp1252", ";", rows)
    profile = tmp_path / "snelstart.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    converted = run("convert", str(export), "--profile", str(profile), "-o", str(tmp_path / "o"))
    assert converted.exit_code == 1
    assert "Fout relaties.csv regel 5:" in converted.output
    assert "Coöperatie U.A." in converted.output
    assert "cp1252" in converted.output


# --- hostile input ----------------------------------------------------------------------------

SAMPLE = REPO / "samples" / "exports" / "klanten-plat.csv"
FLAT = REPO / "profiles" / "klanten-plat.toml"
FLAT_HEADER = (
    "Clientnummer;Naam;Rechtsvorm;KvK-nr;Telefoon;E-mail;Adres;Postcode;Woonplaats;Eigenaar;"
    "Eigenaar geboortedatum;Eigenaar BSN;IB aangifte;Partner;Partner geboortedatum;Partner BSN;"
    "Zoeknaam;Opmerking"
)


def flat(path: Path, *lines: str) -> Path:
    path.write_text("\n".join([FLAT_HEADER, *lines]) + "\n", encoding="cp1252")
    return path


def profile_with(tmp_path: Path, old: str, new: str, source: Path = FLAT) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "profiel.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def no_traceback(result: click.testing.Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_binary_file_is_not_read(tmp_path: Path) -> None:
    binary = tmp_path / "export.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    for args in (["--profile", str(FLAT)], ["--suggest"]):
        result = run("convert", str(binary), *args, "-o", str(tmp_path / "o.xlsx"))
        no_traceback(result)
        assert result.exit_code == 3
        assert "is niet te lezen" in result.output


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('"Relatienummer" = "Clientnummer"', '"Relatienumer" = "Clientnummer"', "Relatienumer"),
        ('column = "KvK-nr", pad = 8', 'colum = "KvK-nr", pad = 8', "onbekende sleutel 'colum'"),
        ('sheet = "Contacten"', 'sheet = "Contacen"', "'Contacen' is geen blad"),
        ('"Woonplaats"', '"Woonplaat"', "kolom 'Woonplaat' staat niet in klanten-plat.csv"),
        ('split = "adres", part = "straat"', 'split = "adress", part = "straat"', "split is"),
        ("version = 1", "version = 2", "versie 1"),
        ('encoding = "cp1252"', 'encoding = "utf-99"', "de tekenset 'utf-99' bestaat niet"),
    ],
)
def test_a_profile_with_a_typo_or_an_unknown_encoding_stops_with_what_to_fix(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    profile = profile_with(tmp_path, old, new)
    result = run("convert", str(SAMPLE), "--profile", str(profile), "-o", str(tmp_path / "o"))
    no_traceback(result)
    assert result.exit_code == 3, result.output
    assert said in result.output


def test_a_join_on_a_column_the_file_lacks_stops_and_names_the_columns(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path,
        'column = "Organisatie", on = "Naam"',
        'column = "Bedrijf", on = "Naam"',
        REPO / "profiles" / "organisaties-personen.toml",
    )
    exports = REPO / "samples" / "exports"
    result = run(
        "convert",
        str(exports / "organisaties.csv"),
        str(exports / "personen.txt"),
        "--profile",
        str(profile),
        "-o",
        str(tmp_path / "o.xlsx"),
    )
    no_traceback(result)
    assert result.exit_code == 3
    assert "kolom 'Bedrijf' staat niet in personen.txt" in result.output
    assert "Organisatie, Voornaam" in result.output


def test_a_join_key_left_empty_is_an_error_on_its_line(tmp_path: Path) -> None:
    exports = REPO / "samples" / "exports"
    lines = (exports / "personen.txt").read_text(encoding="utf-8").splitlines()
    cells = lines[3].split("\t")
    lines[3] = "\t".join(["", *cells[1:]])
    persons = tmp_path / "personen.txt"
    persons.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "convert",
        str(exports / "organisaties.csv"),
        str(persons),
        "--profile",
        str(REPO / "profiles" / "organisaties-personen.toml"),
        "-o",
        str(tmp_path / "o.xlsx"),
    )
    no_traceback(result)
    assert result.exit_code == 1
    assert "Fout personen.txt regel 4: Kolom Organisatie is leeg" in result.output


def test_a_huge_field_is_read_and_one_too_long_for_a_cell_fails_only_its_line(
    tmp_path: Path,
) -> None:
    """200,000 characters in an unused column are no reason to refuse the file; 40,000 in
    Naam cannot go into a workbook cell: that line is left out, the rest is written."""
    row = "{n};{name};B.V.;12345678;;;Straat 1;1234AB;Assen;;;;;;;;;{note}"
    export = flat(
        tmp_path / "groot.csv",
        row.format(n=1, name="Bos BV", note="x" * 200_000),
        row.format(n=2, name="y" * 40_000, note=""),
        row.format(n=3, name="Smit BV", note=""),
    )
    out = tmp_path / "o.xlsx"
    result = run("convert", str(export), "--profile", str(FLAT), "-o", str(out))
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "Fout groot.csv regel 3: De waarde voor Relaties: Naam" in result.output
    assert "40.000 tekens" in result.output
    assert "Relaties 2" in result.output


def test_an_output_in_a_folder_that_is_a_file_says_so(tmp_path: Path) -> None:
    blocking = tmp_path / "klanten"
    blocking.write_text("ik ben een bestand", encoding="utf-8")
    for args in (
        ["--profile", str(FLAT), "-o", str(blocking / "o.xlsx")],
        ["--profile", str(FLAT), "-o", str(blocking / "map")],
        ["--suggest", "-o", str(blocking / "p.toml")],
    ):
        result = run("convert", str(SAMPLE), *args)
        no_traceback(result)
        assert result.exit_code == 3, result.output
        assert f"'{blocking}' is een bestand, geen map" in result.output


def test_tab_separated_text_saved_as_xls_is_read_as_csv_with_a_warning(tmp_path: Path) -> None:
    """Packages write text under a workbook's name; random bytes so named stay unreadable."""
    profile = tmp_path / "p.toml"
    profile.write_text(
        'version = 1\n[[rows]]\nsheet = "Relaties"\n[rows.columns]\n'
        '"Relatienummer" = "Debiteurnr"\n"Naam" = "Naam"\n"Soort" = { value = "Organisatie" }\n'
        '"Rechtsvorm" = { value = "BV" }\n"KvK-nummer" = "KvKNummer"\n',
        encoding="utf-8",
    )
    text = REPO / "tests" / "data" / "export-tab-text-named.xls"
    result = run("convert", str(text), "--profile", str(profile), "-o", str(tmp_path / "o.xlsx"))
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "heet een werkmap, maar is tekst: het is als CSV gelezen" in result.output
    assert "Relaties 2" in result.output
    noise = tmp_path / "ruis.xls"
    noise.write_bytes(bytes(range(256)))
    result = run("convert", str(noise), "--profile", str(profile), "-o", str(tmp_path / "o.xlsx"))
    no_traceback(result)
    assert result.exit_code == 3
    assert "beschadigd of geen werkmap" in result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--header-row", "999"], "kopregel 999 bestaat niet"),
        (["--encoding", "utf-99"], "de tekenset 'utf-99' bestaat niet"),
    ],
)
def test_an_impossible_read_option_stops_with_what_to_fix(
    tmp_path: Path, args: list[str], said: str
) -> None:
    result = run("convert", str(SAMPLE), "--profile", str(FLAT), *args, "-o", str(tmp_path / "o"))
    no_traceback(result)
    assert result.exit_code == 3
    assert said in result.output


def test_a_profile_without_version_says_to_add_it(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('[[rows]]\nsheet = "Relaties"\n', encoding="utf-8")
    result = run("convert", str(SAMPLE), "--profile", str(profile), "-o", str(tmp_path / "o"))
    no_traceback(result)
    assert result.exit_code == 3
    assert "version ontbreekt. Zet bovenaan: version = 1" in result.output
