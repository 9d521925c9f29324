"""--suggest as a new user meets it: the proposal for each sample export converts like the
ready profile, apart from what no export says (that a Nmbrs client has the Nmbrs integration);
several exports give one profile with the persons file joined on its key column; products,
functions and tussenvoegsels are read from the values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kantoor_batch.convert.engine import convert_exports
from kantoor_batch.convert.profile import load_profile
from kantoor_batch.convert.suggest import suggest_profile
from tests.conftest import REPO

EXPORTS = REPO / "samples" / "exports"
PROFILES = REPO / "profiles"
SAMPLES = {
    "nmbrs-bedrijven": ["nmbrs-bedrijven.xlsx"],
    "klanten-plat": ["klanten-plat.csv"],
    "organisaties-personen": ["organisaties.csv", "personen.txt"],
}
# What a proposal cannot know or need not say, per sample: (sheet key, column key).
LEFT_TO_THE_USER = {
    "nmbrs-bedrijven": {
        ("relations", "integration"),  # the package the export came from
        ("relations", "country"),  # empty is NL for the import too
        ("contacts", "initials"),  # the ready profile derives them from the first name
    },
    # Dates as dd-mm-jjjj text and J for Ja: validate and import read both as they are.
    "klanten-plat": {("contacts", "birth_date"), ("contacts", "income_tax_return")},
    # 'Besloten vennootschap' mapped to BV by the proposal, read as BV by the import.
    "organisaties-personen": {("relations", "legal_form")},
}


def proposal(tmp_path: Path, files: list[Path]) -> Path:
    path = tmp_path / "voorstel.toml"
    path.write_text(suggest_profile(files), encoding="utf-8")
    return path


def texts(frame: pd.DataFrame, column: str) -> list[str]:
    return sorted(str(v) for v in frame[column])


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_the_proposal_converts_like_the_ready_profile(tmp_path: Path, sample: str) -> None:
    files = [EXPORTS / name for name in SAMPLES[sample]]
    ready = convert_exports(files, load_profile(PROFILES / f"{sample}.toml"))
    proposed = convert_exports(files, load_profile(proposal(tmp_path, files)))
    assert [i.code for i in proposed.issues if i.is_error] == []
    for key in ("relations", "contacts", "products"):
        assert len(proposed.sheets[key]) == len(ready.sheets[key]), key
        different = {
            (key, column)
            for column in ready.sheets[key].columns
            if texts(ready.sheets[key], column) != texts(proposed.sheets[key], column)
        }
        assert different <= LEFT_TO_THE_USER[sample], key


def test_two_exports_become_inputs_and_the_persons_file_joins_the_companies(
    tmp_path: Path,
) -> None:
    text = suggest_profile([EXPORTS / "organisaties.csv", EXPORTS / "personen.txt"])
    assert 'file = "organisaties*"' in text
    assert 'join = { input = "organisaties", column = "Organisatie", on = "Naam" }' in text
    assert '"Relatienummer" = { input = "organisaties", column = "Organisatie ID" }' in text
    # The persons file gives no Relaties block of its own.
    assert text.count('sheet = "Relaties"') == 1


def test_every_function_seen_gets_a_contact_type(tmp_path: Path) -> None:
    export = tmp_path / "contacten.csv"
    export.write_text(
        "Klantnr;Achternaam;Functie\n1;Jansen;DGA\n2;Pietersen;Echtgenote\n"
        "3;Klaassen;Boekhouder\n4;Bakker;Zoon\n",
        encoding="utf-8",
    )
    text = suggest_profile(export)
    assert (
        '"Soort contact" = { column = "Functie", map = { "DGA" = "Ondernemer", '
        '"Echtgenote" = "Fiscaal partner", "Boekhouder" = "Contactpersoon", "Zoon" = "Kind" } }'
    ) in text


def test_product_columns_become_producten_blocks(tmp_path: Path) -> None:
    """A period column per product, mapped to its period types; a J/N column as the rows it
    says Ja on. 'Btw-nummer' stays the OB-nummer."""
    export = tmp_path / "klanten.csv"
    export.write_text(
        "Klantnr;Naam;Btw-nummer;Btw tijdvak;Vpb;Jaarrekening\n"
        "1;A BV;123456782B01;K;J;J\n2;B BV;;M;N;J\n3;C BV;;;J;N\n",
        encoding="utf-8",
    )
    text = suggest_profile(export)
    assert '"Tijdvak" = { column = "Btw tijdvak", map = { "K" = "Kwartaal", "M" = "Maand" }' in (
        text
    )
    assert 'when = { column = "Vpb", in = ["J"] }' in text
    assert '"Product" = { value = "Jaarrekening" }' in text
    assert '"OB-nummer" = "Btw-nummer"' in text
    converted = convert_exports([export], load_profile(proposal(tmp_path, [export])))
    products = converted.sheets["products"]
    assert sorted(zip(products["relation_number"], products["product"], strict=True)) == [
        ("1", "Aangifte OB"),
        ("1", "Aangifte Vpb"),
        ("1", "Jaarrekening"),
        ("2", "Aangifte OB"),
        ("2", "Jaarrekening"),
        ("3", "Aangifte Vpb"),
    ]


def test_a_surname_with_its_tussenvoegsel_is_split(tmp_path: Path) -> None:
    export = tmp_path / "personen.csv"
    export.write_text(
        "Klantnr;Naam;Voornaam;Achternaam\n1;A BV;Jan;de Vries\n2;B BV;Piet;van den Berg\n"
        "3;C BV;Els;Jansen\n",
        encoding="utf-8",
    )
    converted = convert_exports([export], load_profile(proposal(tmp_path, [export])))
    contacts = converted.sheets["contacts"]
    assert list(contacts["infix"]) == ["de", "van den", None]
    assert list(contacts["last_name"]) == ["Vries", "Berg", "Jansen"]


def test_a_persons_file_with_the_company_number_joins_on_that_number(tmp_path: Path) -> None:
    companies = tmp_path / "bedrijven.csv"
    companies.write_text(
        "Klantnummer;Bedrijfsnaam;Rechtsvorm;Plaats\n0101;Bos BV;BV;Assen\n0102;Smit BV;BV;Ede\n",
        encoding="utf-8",
    )
    persons = tmp_path / "contactpersonen.csv"
    persons.write_text(
        "Klantnr;Voornaam;Achternaam;Functie\n0101;Jan;Bos;DGA\n0102;Els;Smit;DGA\n"
        "0102;Piet;de Boer;Boekhouder\n",
        encoding="utf-8",
    )
    text = suggest_profile([companies, persons])
    assert 'join = { input = "bedrijven", column = "Klantnr", on = "Klantnummer" }' in text
    converted = convert_exports(
        [companies, persons], load_profile(proposal(tmp_path, [companies, persons]))
    )
    assert [i.code for i in converted.issues if i.is_error] == []
    contacts = converted.sheets["contacts"]
    assert list(contacts["relation_number"]) == ["0101", "0102", "0102"]
    assert list(contacts["contact_type"]) == ["Ondernemer", "Ondernemer", "Contactpersoon"]
    assert len(converted.sheets["relations"]) == 2


def test_a_shared_function_column_is_the_contact_persons_but_not_owner_and_partners(
    tmp_path: Path,
) -> None:
    one = tmp_path / "relaties.csv"
    one.write_text(
        "FldRelatiecode;FldNaam;FldContactpersoon;FldFunctie\n1;A BV;Jan Bos;Directeur\n",
        encoding="utf-8",
    )
    text = suggest_profile(one)
    assert text.count('"Soort contact"') == 1
    assert '"Soort contact" = { column = "FldFunctie"' in text
    two = tmp_path / "klanten.csv"
    two.write_text(
        "Klantnr;Naam;Eigenaar;Partner;Functie\n1;A BV;Jan Bos;Els Bos;DGA\n", encoding="utf-8"
    )
    text = suggest_profile(two)
    assert '"Soort contact" = { value = "Ondernemer" }' in text
    assert '"Soort contact" = { value = "Fiscaal partner" }' in text
    assert 'column = "Functie"' not in text
    load_profile(proposal(tmp_path, [two]))
