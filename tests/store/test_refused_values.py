"""Values the store must not hold, end to end on SQLite and PostgreSQL: an invalid contact
detail is left out and the client stored (R3); a value the store would refuse skips its
bundle with a positioned issue before the transaction (issue 9), never a driver traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kantoor_batch.importer import import_workbook
from kantoor_batch.store.database import Store
from tests.builders import Book, valid_book, where
from tests.conftest import AS_OF


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with Store(url).reading() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql))]


def test_a_client_with_an_invalid_phone_and_postcode_is_stored_without_them(
    store_url: str, tmp_path: Path
) -> None:
    """067-12345678 and 9751 SA: two warnings, the client stored, neither value."""
    book = valid_book().set("Relaties", 0, "Telefoon", "067-12345678")
    book = book.set("Relaties", 0, "Postcode", "9751 SA")
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    assert result.ok
    assert result.outcome == "completed"
    assert sorted(i.code for i in result.issues) == ["invalid-phone", "invalid-postcode"]
    stored = query(store_url, "SELECT phone, postcode FROM relations WHERE kind = 'organisation'")
    assert stored == [(None, None)]


def two_clients() -> Book:
    return (
        valid_book()
        .add("Relaties", Relatienummer="0102", Soort="Persoon", Naam="A. de Wit")
        .add("Producten", Relatienummer="0102", Product="Aangifte IB", Vanaf="2026")
    )


@pytest.mark.parametrize(
    ("sheet", "header", "value", "code"),
    [
        ("Relaties", "Naam", "N" * 256, "value-too-long"),
        ("Contacten", "Achternaam", "A" * 201, "value-too-long"),
        ("Relaties", "OB-nummer", "X" * 41, "invalid-vat-number"),
        ("Relaties", "Naam", "Bakkerij\x00", "invalid-character"),
    ],
)
def test_a_value_the_store_would_refuse_skips_its_bundle_and_the_rest_is_stored(
    store_url: str, tmp_path: Path, sheet: str, header: str, value: str, code: str
) -> None:
    """PostgreSQL refuses these; the run reports the cell, skips client 0101, stores 0102."""
    book = two_clients().set(sheet, 0, header, value)
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    assert (sheet, 2, header, code) in where(result.issues)
    assert result.skipped_bundles == {"0101"}
    assert result.outcome == "partial"
    stored = query(store_url, "SELECT number FROM relations ORDER BY number")
    assert stored == [("0102",)]
