"""Issue 9 item 7 against a real store, on SQLite and PostgreSQL: a Vanaf no office means skips
its client with an error and stores nothing of it; the rest of the run goes on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kantoor_batch.importer import import_workbook
from kantoor_batch.store.database import Store
from tests.builders import OTHER_VALID_BSN, valid_book
from tests.conftest import AS_OF


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with Store(url).reading() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql))]


@pytest.mark.parametrize("vanaf", ["0226-K1", "9999-K4", "1900-K1", "2099-K1"])
def test_an_implausible_vanaf_skips_its_client_and_the_others_are_stored(
    store_url: str, tmp_path: Path, vanaf: str
) -> None:
    """R7, R12: 0101 is skipped with implausible-start-period on its Vanaf; 0102 goes in."""
    book = valid_book().set("Producten", 0, "Vanaf", vanaf)
    book = book.add(
        "Relaties",
        Relatienummer="0102",
        Soort="Persoon",
        Naam="E. de Wit",
        **{"BSN/RSIN": OTHER_VALID_BSN},
    )
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    found = [(i.sheet, i.row, i.column, i.code) for i in result.issues if i.is_error]
    assert ("Producten", 2, "Vanaf", "implausible-start-period") in found
    assert result.skipped_bundles == {"0101"}
    assert query(store_url, "SELECT kind, number FROM relations") == [("person", "0102")]
    assert query(store_url, "SELECT count(*) FROM workflows WHERE product = 'Aangifte OB'") == [
        (0,)
    ]
