"""Values the store must not hold, end to end on SQLite and PostgreSQL: an invalid contact
detail is left out and the client stored (R3); a value the store would refuse skips its
bundle with a positioned issue before the transaction (issue 9), never a driver traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from kantoor_batch.importer import import_workbook
from kantoor_batch.store.database import Store
from tests.builders import valid_book
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
