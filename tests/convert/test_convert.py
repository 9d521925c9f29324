"""convert_exports: a profile applied to exports; every row that cannot be converted is
reported with its file and line and left out whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kantoor_batch.convert.engine import ConversionResult, convert_exports
from kantoor_batch.convert.profile import ProfileError, load_profile, parse_profile
from kantoor_batch.convert.sources import ReadOptions, read_source
from kantoor_batch.errors import WrongUseError
from tests.conftest import REPO

OWNER_AND_PARTNER: dict[str, Any] = {
    "version": 1,
    "maps": {"vorm": {"E": "Eenmanszaak"}},
    "rows": [
        {
            "sheet": "Relaties",
            "columns": {
                "Relatienummer": "Nr",
                "Soort": {"value": "Organisatie"},
                "Naam": "Naam",
                "Rechtsvorm": {"column": "Vorm", "map": "vorm"},
                "KvK-nummer": {"column": "KvK", "pad": 8},
            },
        },
        {
            "sheet": "Contacten",
            "when": "Eigenaar",
            "columns": {
                "Relatienummer": "Nr",
                "Soort contact": {"value": "Ondernemer"},
                "Voorletters": {"column": "Eigenaar", "split": "naam", "part": "voorletters"},
                "Tussenvoegsel": {"column": "Eigenaar", "split": "naam", "part": "tussenvoegsel"},
                "Achternaam": {"column": "Eigenaar", "split": "naam", "part": "achternaam"},
            },
        },
        {
            "sheet": "Contacten",
            "when": "Partner",
            "columns": {
                "Relatienummer": "Nr",
                "Soort contact": {"value": "Fiscaal partner"},
                "Achternaam": {"column": "Partner", "split": "naam", "part": "achternaam"},
            },
        },
    ],
}


def csv_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def convert(
    tmp_path: Path, text: str, profile: dict[str, Any] = OWNER_AND_PARTNER
) -> ConversionResult:
    export = csv_file(tmp_path / "klanten.csv", text)
    return convert_exports([export], parse_profile(profile))


def where(result: ConversionResult) -> list[tuple[str, int | None, str | None, str]]:
    return [(i.file, i.line, i.column, i.code) for i in result.issues if i.severity != "info"]


def test_one_client_row_with_owner_and_partner_becomes_a_relation_and_two_contacts(
    tmp_path: Path,
) -> None:
    """Three blocks over one input; the partner block only where a partner is named."""
    result = convert(
        tmp_path,
        "Nr;Naam;Vorm;KvK;Eigenaar;Partner\n"
        "0101;Bakkerij;E;1234567;J.A. van der Berg;Anna de Jong\n"
        "0102;Smederij;E;12345678;P. Smit;\n",
    )
    relations, contacts = result.sheets["relations"], result.sheets["contacts"]
    assert relations["relation_number"].tolist() == ["0101", "0102"]
    assert relations["legal_form"].tolist() == ["Eenmanszaak", "Eenmanszaak"]
    assert relations["kvk_number"].tolist() == ["01234567", "12345678"]
    assert contacts[["relation_number", "contact_type", "last_name"]].values.tolist() == [
        ["0101", "Ondernemer", "Berg"],
        ["0102", "Ondernemer", "Smit"],
        ["0101", "Fiscaal partner", "Jong"],
    ]
    assert contacts["infix"].tolist()[0] == "van der"
    assert result.ok
    assert result.mappings[("Relaties", "Rechtsvorm", "vorm", "E", "Eenmanszaak")] == 2
    assert result.transformed[("Relaties", "KvK-nummer", "aangevuld tot 8 cijfers")] == 1


def test_a_number_that_lost_digits_is_an_error_and_its_whole_row_is_left_out(
    tmp_path: Path,
) -> None:
    """9,9E+11 is never padded or guessed: the relation and its contacts are not written."""
    result = convert(
        tmp_path,
        "Nr;Naam;Vorm;KvK;Eigenaar;Partner\n"
        "0101;Bakkerij;E;9,9E+11;J. de Vries;A. Bos\n"
        "0102;Smederij;E;12345678;P. Smit;\n",
    )
    assert where(result) == [("klanten.csv", 2, "KvK", "lost-digits")]
    assert result.sheets["relations"]["relation_number"].tolist() == ["0102"]
    assert result.sheets["contacts"]["relation_number"].tolist() == ["0102"]
    assert result.skipped == {"export": {2}}
    assert not result.ok


def test_a_line_number_counts_the_lines_of_a_quoted_line_break(tmp_path: Path) -> None:
    """The error on the third record is reported on line 5 of the file, where it starts."""
    result = convert(
        tmp_path,
        'Nr;Naam;Vorm;KvK;Eigenaar;Partner\n0101;"Bakkerij\nDe Korenaar\nNoord";E;1;J. Bos;\n'
        "0102;Smederij;E;1,2E+07;P. Smit;\n",
    )
    assert where(result) == [("klanten.csv", 5, "KvK", "lost-digits")]


def test_a_required_value_that_stays_empty_is_reported_with_file_and_line(
    tmp_path: Path,
) -> None:
    """No Relatienummer: the row is named, not written."""
    result = convert(tmp_path, "Nr;Naam;Vorm;KvK;Eigenaar;Partner\n;Bakkerij;E;1;J. Bos;\n")
    assert ("klanten.csv", 2, "Nr", "required-empty") in where(result)
    assert result.sheets["relations"].empty


def test_a_value_the_map_does_not_know_is_an_error_when_the_profile_says_so(
    tmp_path: Path,
) -> None:
    """unmapped = "error": 'X' is reported; a value the template takes as it is ('BV') is not."""
    profile = {
        "version": 1,
        "rows": [
            {
                "sheet": "Relaties",
                "columns": {
                    "Relatienummer": "Nr",
                    "Soort": {"value": "Organisatie"},
                    "Naam": "Naam",
                    "Rechtsvorm": {
                        "column": "Vorm",
                        "map": {"E": "Eenmanszaak"},
                        "unmapped": "error",
                    },
                },
            }
        ],
    }
    result = convert(tmp_path, "Nr;Naam;Vorm\n1;A;E\n2;B;BV\n3;C;X\n", profile)
    assert where(result) == [("klanten.csv", 4, "Vorm", "value-not-mapped-error")]
    assert result.sheets["relations"]["legal_form"].tolist() == ["Eenmanszaak", "BV"]


TWO_FILES: dict[str, Any] = {
    "version": 1,
    "inputs": [{"name": "bedrijven"}, {"name": "personen"}],
    "rows": [
        {
            "sheet": "Relaties",
            "input": "bedrijven",
            "columns": {
                "Relatienummer": "ID",
                "Soort": {"value": "Organisatie"},
                "Naam": "Naam",
                "KvK-nummer": "KvK",
            },
        },
        {
            "sheet": "Contacten",
            "input": "personen",
            "join": {"input": "bedrijven", "column": "Bedrijf", "on": "Naam"},
            "columns": {
                "Relatienummer": {"input": "bedrijven", "column": "ID"},
                "Soort contact": {"value": "Contactpersoon"},
                "Achternaam": "Achternaam",
            },
        },
    ],
}


def test_persons_take_their_relation_number_from_the_companies_file(tmp_path: Path) -> None:
    """Joined on the company's name without regard to case; a person of an unknown company
    and the persons of a company that failed are reported with their own file and line."""
    companies = csv_file(
        tmp_path / "bedrijven.csv", "ID,Naam,KvK\nB1,Bakkerij,12345678\nB2,Smederij,9.9E+11\n"
    )
    persons = csv_file(
        tmp_path / "personen.csv",
        "Bedrijf,Achternaam\nBAKKERIJ,Bos\nOnbekend BV,Smit\nSmederij,Visser\n",
    )
    result = convert_exports([companies, persons], parse_profile(TWO_FILES))
    assert result.sheets["contacts"][["relation_number", "last_name"]].values.tolist() == [
        ["B1", "Bos"]
    ]
    assert where(result) == [
        ("bedrijven.csv", 3, "KvK", "lost-digits"),
        ("personen.csv", 3, "Bedrijf", "join-no-match"),
        ("personen.csv", 4, None, "joined-row-failed"),
    ]


def test_the_files_must_match_the_profiles_inputs(tmp_path: Path) -> None:
    """Two inputs, one file: wrong use, said in Dutch."""
    export = csv_file(tmp_path / "a.csv", "ID\n1\n")
    with pytest.raises(WrongUseError, match="verwacht 2 exportbestand"):
        convert_exports([export], parse_profile(TWO_FILES))


def test_a_column_the_export_does_not_have_stops_with_the_columns_it_does_have(
    tmp_path: Path,
) -> None:
    """A typo in the profile never becomes an empty column."""
    with pytest.raises(ProfileError, match=r"kolom 'Nr' staat niet in klanten\.csv"):
        convert(tmp_path, "Nummer;Naam\n1;A\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rows": []}, "version"),
        ({"version": 2, "rows": []}, "versie 1"),
        ({"version": 1}, r"geen \[\[rows\]\]"),
        ({"version": 1, "rowz": []}, "onbekende sleutel 'rowz'"),
        ({"version": 1, "rows": [{"sheet": "Klantjes", "columns": {}}]}, "geen blad"),
        (
            {"version": 1, "rows": [{"sheet": "Relaties", "columns": {"Nummer": "A"}}]},
            "'Nummer' is geen kolom van Relaties",
        ),
        (
            {
                "version": 1,
                "rows": [
                    {
                        "sheet": "Contacten",
                        "columns": {"Geboortedatum": {"column": "D", "date_format": "dd-mm-jj"}},
                    }
                ],
            },
            "twee cijfers",
        ),
        # Values of the wrong type: a message, never a traceback.
        ({"version": 1, "source": {"delimiter": 5}, "rows": []}, "delimiter"),
        ({"version": 1, "source": {"encoding": 5}, "rows": []}, "encoding"),
        ({"version": 1, "source": {"header_row": True}, "rows": []}, "header_row"),
        (
            {
                "version": 1,
                "rows": [
                    {
                        "sheet": "Relaties",
                        "columns": {"Straat": {"column": "A", "split": ["adres"]}},
                    }
                ],
            },
            "split",
        ),
        (
            {
                "version": 1,
                "rows": [
                    {
                        "sheet": "Relaties",
                        "distinct": "nee",
                        "columns": {"Relatienummer": "A", "Soort": "B", "Naam": "C"},
                    }
                ],
            },
            "distinct",
        ),
    ],
)
def test_a_profile_that_cannot_be_used_says_why(data: dict[str, Any], message: str) -> None:
    """Version, unknown keys, sheets, columns and two-digit years are refused up front."""
    with pytest.raises(ProfileError, match=message):
        parse_profile(data)


def test_a_cp1252_export_with_a_title_line_is_read_with_its_header_on_line_2(
    tmp_path: Path,
) -> None:
    """Encoding and delimiter detected; the title line above the header skipped."""
    path = csv_file(
        tmp_path / "x.csv", "Klantenlijst 2026\r\nNr;Naam\r\n1;Hoëvenaars\r\n", "cp1252"
    )
    source = read_source(path)
    assert (source.encoding, source.delimiter, source.header_line) == ("cp1252", ";", 2)
    assert source.data["Naam"].tolist() == ["Hoëvenaars"]
    assert source.data.index.tolist() == [3]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_each_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    """Dutch Excel's ';', ',', tab and '|'; a quoted delimiter stays in its field."""
    text = delimiter.join(["Nr", "Naam", "Plaats"]) + "\n"
    text += delimiter.join(["1", f'"A{delimiter} B"', "Assen"]) + "\n"
    text += delimiter.join(["2", "C", "Ede"]) + "\n"
    source = read_source(csv_file(tmp_path / "x.csv", text, "utf-8-sig"))
    assert source.delimiter == delimiter
    assert source.data["Naam"].tolist() == [f"A{delimiter} B", "C"]


def test_an_uncertain_encoding_is_a_warning_naming_the_override(tmp_path: Path) -> None:
    """Bytes that are no UTF-8 and read badly in any Western code page."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"Nr;Naam\n1;" + bytes(range(0x80, 0xA0)) * 3 + b"\n")
    source = read_source(path)
    warnings = [n for n in source.notes if n.warning]
    assert warnings
    assert "--encoding" in warnings[0].text_nl


def test_the_encoding_can_be_chosen(tmp_path: Path) -> None:
    """--encoding (or [source] encoding) overrides the detection."""
    path = csv_file(tmp_path / "x.csv", "Nr;Naam\n1;Hoëvenaars\n", "cp1252")
    source = read_source(path, ReadOptions(encoding="latin-1"))
    assert source.data["Naam"].tolist() == ["Hoëvenaars"]


def test_a_lost_digits_example_file_is_reported_on_its_line() -> None:
    """tests/data/export-kvk-lost-digits.csv, the README's example."""
    profile = {
        "version": 1,
        "rows": [
            {
                "sheet": "Relaties",
                "columns": {
                    "Relatienummer": "Debiteur",
                    "Soort": {"value": "Organisatie"},
                    "Naam": "Naam",
                    "KvK-nummer": {"column": "KvK", "pad": 8},
                },
            }
        ],
    }
    result = convert_exports(
        [REPO / "tests" / "data" / "export-kvk-lost-digits.csv"], parse_profile(profile)
    )
    assert where(result) == [("export-kvk-lost-digits.csv", 3, "KvK", "lost-digits")]


@pytest.mark.parametrize("name", ["export-title-row.xls", "export-title-row.ods"])
def test_xls_and_ods_exports_are_read_with_their_header_below_a_title(name: str) -> None:
    """python-calamine reads both; the header on row 3 is found; the KvK number that Excel
    stored as a number gets its zero back by the profile's pad."""
    profile = {
        "version": 1,
        "rows": [
            {
                "sheet": "Relaties",
                "columns": {
                    "Relatienummer": "Debiteurnr",
                    "Soort": {"value": "Organisatie"},
                    "Naam": "Naam",
                    "KvK-nummer": {"column": "KvKNummer", "pad": 8},
                },
            }
        ],
    }
    result = convert_exports([REPO / "tests" / "data" / name], parse_profile(profile))
    source = result.sources["export"]
    assert (source.sheet, source.header_line) == ("Bedrijven", 3)
    relations = result.sheets["relations"]
    assert relations["kvk_number"].tolist() == ["01234567", "87654321"]
    assert relations["relation_number"].tolist() == ["20001", "20002"]


def test_an_export_of_a_shape_never_seen_converts_with_a_profile_from_the_readme(
    tmp_path: Path,
) -> None:
    """Latin-1 with '|', two title lines, combined name and street columns, yyyymmdd dates and
    its own codes: a profile written from the README's examples converts every row."""
    export = csv_file(
        tmp_path / "relatiebestand.txt",
        "Overzicht relaties|||||\n"
        "Gemaakt op 12-11-2026|||||\n"
        "Code|Relatie|Vorm|Straat en nr|Contact|Geb.\n"
        "K-7|Bakkerij Hoëvenaars|EZ|Zuiderdiep 4-bis|Hoëvenaars, Noël van|19700105\n"
        "K-8|Transport IJssel BV|B|Plein 1944 5|IJsbrand ijssel|19811231\n",
        "latin-1",
    )
    profile = tmp_path / "profiel.toml"
    profile.write_text(
        """
version = 1
[source]
header_row = 3
[maps.vorm]
"EZ" = "Eenmanszaak"
"B" = "BV"
[[rows]]
sheet = "Relaties"
[rows.columns]
"Relatienummer" = "Code"
"Soort" = { value = "Organisatie" }
"Naam" = "Relatie"
"Rechtsvorm" = { column = "Vorm", map = "vorm", unmapped = "error" }
"Straat" = { column = "Straat en nr", split = "adres", part = "straat" }
"Huisnummer" = { column = "Straat en nr", split = "adres", part = "huisnummer" }
"Toevoeging" = { column = "Straat en nr", split = "adres", part = "toevoeging" }
[[rows]]
sheet = "Contacten"
[rows.columns]
"Relatienummer" = "Code"
"Soort contact" = { value = "Ondernemer" }
"Voornaam" = { column = "Contact", split = "naam", part = "voornaam" }
"Tussenvoegsel" = { column = "Contact", split = "naam", part = "tussenvoegsel" }
"Achternaam" = { column = "Contact", split = "naam", part = "achternaam" }
"Geboortedatum" = { column = "Geb.", date_format = "jjjjmmdd" }
""",
        encoding="utf-8",
    )
    result = convert_exports([export], load_profile(profile))
    assert result.ok, [i.message() for i in result.issues]
    source = result.sources["export"]
    assert (source.delimiter, source.encoding) == ("|", "cp1252")
    relations, contacts = result.sheets["relations"], result.sheets["contacts"]
    assert relations[
        ["legal_form", "street", "house_number", "house_number_suffix"]
    ].values.tolist() == [
        ["Eenmanszaak", "Zuiderdiep", "4", "bis"],
        ["BV", "Plein 1944", "5", None],
    ]
    assert contacts[["first_name", "infix", "last_name"]].values.tolist() == [
        ["Noël", "van", "Hoëvenaars"],
        ["IJsbrand", None, "IJssel"],
    ]
