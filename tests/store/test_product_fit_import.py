"""R7 at import: a product that does not fit its client skips the bundle with the same issue
validate reports; a warning (Vpb on a stichting, IB on an eenmanszaak) skips nothing."""

from __future__ import annotations

from pathlib import Path

from kantoor_batch.importer import import_workbook
from tests.builders import valid_book, where
from tests.conftest import AS_OF


def test_vpb_on_a_person_skips_that_client_only(store_url: str, tmp_path: Path) -> None:
    """Client 0102 (Persoon) with Vpb is skipped; client 0101 is stored."""
    book = (
        valid_book()
        .add("Relaties", Relatienummer="0102", Soort="Persoon", Naam="A. de Wit")
        .add("Producten", Relatienummer="0102", Product="Aangifte Vpb")
    )
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    assert ("Producten", 3, "Product", "product-not-for-client") in where(result.issues)
    assert result.skipped_bundles == {"0102"}


def test_warnings_about_products_skip_nothing(store_url: str, tmp_path: Path) -> None:
    """Vpb on a stichting and Aangifte IB on an eenmanszaak: reported, both clients stored."""
    book = valid_book().set("Relaties", 0, "Rechtsvorm", "Stichting")
    book = book.add("Producten", Relatienummer="0101", Product="Aangifte Vpb")
    book = book.add(
        "Relaties",
        Relatienummer="0102",
        Soort="Organisatie",
        Naam="Kapsalon Knip",
        Rechtsvorm="Eenmanszaak",
    )
    book = book.add(
        "Contacten", Relatienummer="0102", Soort_contact="Ondernemer", Achternaam="Knip"
    )
    book = book.add("Producten", Relatienummer="0102", Product="Aangifte IB", Vanaf="2026")
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    found = where(result.issues)
    assert ("Producten", 3, "Product", "product-check-client") in found
    assert ("Producten", 4, "Product", "income-tax-moved-to-owners") in found
    assert result.skipped_bundles == set()
