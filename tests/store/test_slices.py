"""An import takes a large file's clients a slice at a time (rules/slices.py): what it stores
and reports must be the same as when it takes the whole file at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from kantoor_batch.importer import import_workbook
from kantoor_batch.rules.slices import client_slices
from kantoor_batch.store.database import Store
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import OTHER_VALID_BSN, VALID_BSN, Book, valid_book
from tests.conftest import AS_OF, REPO
from tests.store.test_import import query
from tests.store.test_reimport import CLIENT_TABLES

SAMPLE = REPO / "samples" / "onboarding-voorbeeld.xlsx"
# Per table, the columns that point at another row, and the table that row is in.
POINTERS = {
    "relation_id": "relations",
    "source_relation_id": "relations",
    "derived_from_contact_id": "contacts",
    "contact_id": "contacts",
    "group_id": "relation_groups",
    "employee_id": "employees",
    "integration_id": "integrations",
}
NATURAL = {
    "relations": ["kind", "number"],
    "contacts": ["number"],
    "relation_groups": ["name"],
    "employees": ["code"],
    "integrations": ["name"],
}
TABLES = ("relation_groups", "employees", *CLIENT_TABLES)


def stored_by_meaning(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every client table with ids replaced by what they stand for (a relation's kind and
    number, a contact's number, ...): the slices store rows in another order, so their ids
    differ, but never what is stored."""
    frames: dict[str, pd.DataFrame] = {}
    with Store(url).reading() as connection:
        for name in (*TABLES, "integrations"):
            stored = sa.Table(name, sa.MetaData(), autoload_with=connection)
            rows = connection.execute(sa.select(stored)).mappings().all()
            frames[name] = pd.DataFrame([dict(r) for r in rows], columns=list(stored.c.keys()))
    names = {
        table: pd.Series(
            ["/".join(map(str, key)) for key in frame[columns].itertuples(index=False)],
            index=frame["id"],
            dtype=object,
        )
        for table, frame in frames.items()
        if (columns := NATURAL.get(table))
    }
    found: dict[str, list[tuple[str, ...]]] = {}
    for table in TABLES:
        frame = frames[table].drop(columns=["id", "created_run_id", "updated_run_id"])
        for column, target in POINTERS.items():
            if column in frame.columns:
                frame[column] = frame[column].map(names[target])
        found[table] = sorted(tuple(str(v) for v in row) for row in frame.itertuples(index=False))
    return found


def result_rows(result: Any) -> dict[str, list[tuple[str, ...]]]:
    """The result tables' rows in a fixed order, a missing value of any kind as empty."""
    return {
        key: sorted(
            tuple("" if pd.isna(v) else str(v) for v in row)
            for row in table.itertuples(index=False)
        )
        for key, table in result.tables.items()
    }


def test_a_slice_at_a_time_stores_and_reports_what_the_whole_file_does(tmp_path: Path) -> None:
    whole = f"sqlite:///{tmp_path / 'whole.db'}"
    sliced = f"sqlite:///{tmp_path / 'sliced.db'}"
    at_once = import_workbook(SAMPLE, db=whole, as_of=AS_OF)
    one_by_one = import_workbook(SAMPLE, db=sliced, as_of=AS_OF, clients_per_slice=1)
    assert at_once.ok
    assert one_by_one.outcome == at_once.outcome
    assert one_by_one.counts() == at_once.counts()
    assert result_rows(one_by_one) == result_rows(at_once)
    assert stored_by_meaning(sliced) == stored_by_meaning(whole)

    # And the same upload again, a client at a time: nothing changes.
    again = import_workbook(SAMPLE, db=sliced, as_of=AS_OF, clients_per_slice=1)
    assert again.changed_values == 0
    assert stored_by_meaning(sliced) == stored_by_meaning(whole)


def four_clients() -> Book:
    """0101 (from valid_book); 0102 whose owner has 0101's owner's BSN; 0103; 0104 whose
    contact names the number 0103 (0103's primary contact gets that number)."""
    book = valid_book()
    for number, name in (("0102", "Twee BV"), ("0103", "Drie BV"), ("0104", "Vier BV")):
        book = book.add(
            "Relaties", Relatienummer=number, Soort="Organisatie", Naam=name, Rechtsvorm="BV"
        )
    book = book.add(
        "Contacten",
        Relatienummer="0102",
        Soort_contact="Ondernemer",
        Achternaam="Bakker",
        BSN=VALID_BSN,
    )
    book = book.add(
        "Contacten",
        Relatienummer="0103",
        Soort_contact="Ondernemer",
        Achternaam="Smit",
        BSN=OTHER_VALID_BSN,
    )
    return book.add(
        "Contacten",
        Relatienummer="0104",
        Soort_contact="Contactpersoon",
        Achternaam="Smit",
        Contactnummer="0103",
    )


def test_clients_that_share_a_person_are_in_one_slice(tmp_path: Path) -> None:
    report = validate_workbook(four_clients().write(tmp_path / "a.xlsx"), as_of=AS_OF)
    sliced = client_slices(report.sheets, 1)
    assert sliced.clients == [
        frozenset({"0101", "0102"}),  # one BSN
        frozenset({"0103", "0104"}),  # 0104's contact is 0103's primary contact
    ]
    contacts = sliced.sheets(report.sheets, 1)["contacts"].data
    assert sorted(contacts["relation_number"]) == ["0103", "0104"]
    assert sliced.sheets(report.sheets, 1)["groups"].data.empty  # groups come with the first


def test_a_file_smaller_than_a_slice_is_one_slice(tmp_path: Path) -> None:
    report = validate_workbook(four_clients().write(tmp_path / "a.xlsx"), as_of=AS_OF)
    sliced = client_slices(report.sheets, 10)
    assert sliced.clients == [frozenset({"0101", "0102", "0103", "0104"})]
    assert sliced.sheets(report.sheets, 0) is report.sheets


def with_client_0102(book: Book, owner_number: str) -> Book:
    """book with client 0102, whose Ondernemer Jansen states the contact number given."""
    book = book.add(
        "Relaties", Relatienummer="0102", Soort="Organisatie", Naam="Twee BV", Rechtsvorm="BV"
    )
    return book.add(
        "Contacten",
        Relatienummer="0102",
        Soort_contact="Ondernemer",
        Achternaam="Jansen",
        Contactnummer=owner_number,
    )


def test_a_number_made_in_one_slice_is_none_that_a_later_slice_states(
    store_url: str, tmp_path: Path
) -> None:
    """0101's partner has no number, so it gets one made from 0101; a contact of 0102, in a
    later slice, states 0101-1 already. The partner must not take it."""
    book = valid_book().add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Fiscaal partner",
        Achternaam="Bakker",
        Voornaam="Els",
    )
    book = with_client_0102(book, owner_number="0101-1")
    result = import_workbook(
        book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF, clients_per_slice=1
    )
    assert result.ok, [(i.code, i.row) for i in result.issues]
    assert query(store_url, "SELECT number, last_name FROM contacts ORDER BY number") == [
        ("0101", "Bakker"),
        ("0101-1", "Jansen"),
        ("0101-2", "Bakker"),
    ]


def test_an_error_in_one_slice_skips_only_its_clients(tmp_path: Path) -> None:
    """A contact number clash found by the rules of the second slice (R4) skips that client;
    the first slice's clients are stored, and the run is partial."""
    book = with_client_0102(valid_book(), owner_number="0101")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    result = import_workbook(
        book.write(tmp_path / "a.xlsx"), db=url, as_of=AS_OF, clients_per_slice=1
    )
    assert result.outcome == "partial"
    assert result.skipped_bundles == {"0102"}
    assert query(url, "SELECT number FROM relations WHERE kind = 'organisation'") == [("0101",)]
