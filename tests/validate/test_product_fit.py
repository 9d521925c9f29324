"""R7: products fit the client. The catalogue says which kinds and legal forms each product is
for; a Producten row that does not fit its relation is an error on its Product cell, Vpb on a
stichting or vereniging a warning, and Aangifte IB on an IB-onderneming goes to the owners."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kantoor_batch.catalogues import Catalogues, Fit
from kantoor_batch.errors import ConfigError
from kantoor_batch.validate.report import ValidationReport
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import OTHER_VALID_BSN, VALID_BSN, Book, valid_book, where
from tests.conftest import AS_OF

Check = Callable[[Book], ValidationReport]


def person_with(product: str) -> Book:
    """A private client (relation 0102) with one product besides the valid BV."""
    return (
        valid_book()
        .add("Relaties", Relatienummer="0102", Soort="Persoon", Naam="A. de Wit")
        .add("Producten", Relatienummer="0102", Product=product)
    )


def organisation_with(legal_form: str, product: str) -> Book:
    """The valid book's organisation 0101 with another legal form and one more product."""
    book = valid_book().set("Relaties", 0, "Rechtsvorm", legal_form)
    return book.add("Producten", Relatienummer="0101", Product=product)


@pytest.mark.parametrize(
    "product", ["Aangifte Vpb", "Loonheffingen", "Jaarrekening", "Aangifte OB", "Opgaaf ICP"]
)
def test_a_product_for_organisations_on_a_person_is_an_error(check: Check, product: str) -> None:
    """Vpb, Loonheffingen, Jaarrekening, OB and ICP are not for a Persoon."""
    report = check(person_with(product))
    assert where(report.issues) == [("Producten", 3, "Product", "product-not-for-client")]
    assert not report.ok


def test_the_message_names_the_product_and_the_clients_form(check: Check) -> None:
    """What was found (Vpb, an eenmanszaak) and what the product is for."""
    report = check(organisation_with("Eenmanszaak", "Aangifte Vpb"))
    assert where(report.issues) == [("Producten", 3, "Product", "product-not-for-client")]
    message = report.issues[0].message()
    assert "'Aangifte Vpb'" in message
    assert "relatie 0101 (Organisatie, Eenmanszaak)" in message
    assert "BV, NV of Coöperatie" in message


@pytest.mark.parametrize("legal_form", ["Eenmanszaak", "VOF", "Maatschap", "CV", "Overig"])
def test_vpb_on_a_legal_form_without_corporate_tax_is_an_error(
    check: Check, legal_form: str
) -> None:
    """An eenmanszaak or VOF files no Vpb; neither does a legal form the office calls Overig."""
    report = check(organisation_with(legal_form, "Aangifte Vpb"))
    assert ("Producten", 3, "Product", "product-not-for-client") in where(report.issues)


@pytest.mark.parametrize("legal_form", ["BV", "NV", "Coöperatie"])
def test_vpb_fits_a_bv_nv_or_cooperative(check: Check, legal_form: str) -> None:
    """No issue at all."""
    assert check(organisation_with(legal_form, "Aangifte Vpb")).issues == []


@pytest.mark.parametrize("legal_form", ["Stichting", "Vereniging"])
def test_vpb_on_a_foundation_or_association_is_a_warning(check: Check, legal_form: str) -> None:
    """Liable only when it runs an enterprise: imported, with a warning to check."""
    report = check(organisation_with(legal_form, "Aangifte Vpb"))
    assert where(report.issues) == [("Producten", 3, "Product", "product-check-client")]
    assert report.ok


@pytest.mark.parametrize("legal_form", ["BV", "NV", "Stichting", "Coöperatie"])
def test_income_tax_on_a_legal_entity_is_an_error(check: Check, legal_form: str) -> None:
    """Aangifte IB on a BV: an entity files no income tax, and has no owners to pass it to."""
    report = check(organisation_with(legal_form, "Aangifte IB"))
    assert where(report.issues) == [("Producten", 3, "Product", "product-not-for-client")]
    assert "personen" in report.issues[0].message()


def test_income_tax_fits_a_person(check: Check) -> None:
    """Aangifte IB on a Persoon: no issue."""
    assert check(person_with("Aangifte IB")).issues == []


def test_income_tax_on_a_sole_trader_is_moved_to_its_owner_with_a_warning(check: Check) -> None:
    """R7: no error; the warning says the product goes to the Ondernemer of Contacten row 2."""
    report = check(organisation_with("Eenmanszaak", "Aangifte IB"))
    assert where(report.issues) == [("Producten", 3, "Product", "income-tax-moved-to-owners")]
    assert report.ok
    message = report.issues[0].message()
    assert "Eenmanszaak 0101" in message
    assert "persoonsrelatie van elke Ondernemer (Contacten rij 2)" in message


def test_income_tax_on_a_partnership_names_every_owner(check: Check) -> None:
    """A VOF with two Ondernemers: both rows are named."""
    book = organisation_with("VOF", "Aangifte IB").add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Ondernemer",
        Achternaam="Visser",
        BSN=OTHER_VALID_BSN,
    )
    report = check(book)
    assert where(report.issues) == [("Producten", 3, "Product", "income-tax-moved-to-owners")]
    assert "(Contacten rij 2, Contacten rij 3)" in report.issues[0].message()


def test_income_tax_on_a_partnership_without_owners_is_an_error(check: Check) -> None:
    """A VOF whose only contact is a Contactpersoon: nobody to give Aangifte IB to."""
    book = organisation_with("VOF", "Aangifte IB").set("Contacten", 0, "Soort contact", "Overig")
    assert where(check(book).issues) == [
        ("Relaties", 2, "Relatienummer", "ib-enterprise-without-owner"),
        ("Producten", 3, "Product", "income-tax-without-owner"),
    ]


def test_an_owner_without_person_relation_cannot_take_income_tax(check: Check) -> None:
    """Relatie aanmaken = Nee for the only Ondernemer: the product has nowhere to go."""
    book = organisation_with("Eenmanszaak", "Aangifte IB")
    book = book.set("Contacten", 0, "Relatie aanmaken", "Nee")
    assert where(check(book).issues) == [("Producten", 3, "Product", "income-tax-without-owner")]


def test_a_product_of_an_unknown_relation_is_reported_only_as_unknown(check: Check) -> None:
    """Relation 0999 is not on Relaties: nothing to fit the product to."""
    book = valid_book().add("Producten", Relatienummer="0999", Product="Aangifte Vpb")
    assert where(check(book).issues) == [("Producten", 3, "Relatienummer", "unknown-relation")]


def test_an_organisation_without_legal_form_is_not_fitted(check: Check) -> None:
    """Rechtsvorm missing is the error to fix first; the products are not judged on it."""
    book = organisation_with("BV", "Aangifte Vpb").set("Relaties", 0, "Rechtsvorm", None)
    assert where(check(book).issues) == [("Relaties", 2, "Rechtsvorm", "legal-form-required")]


def test_the_default_catalogue_states_which_client_each_product_fits() -> None:
    """The table of domain.md R7, as Product.fit answers it."""
    catalogues = Catalogues()
    table = {
        product.name: {
            client: product.fit(*client).value
            for client in [
                ("Persoon", None),
                ("Organisatie", "Eenmanszaak"),
                ("Organisatie", "BV"),
                ("Organisatie", "Stichting"),
            ]
        }
        for product in catalogues.products
    }
    organisations = {
        ("Persoon", None): "no",
        ("Organisatie", "Eenmanszaak"): "yes",
        ("Organisatie", "BV"): "yes",
        ("Organisatie", "Stichting"): "yes",
    }
    assert table == {
        "Aangifte IB": {
            ("Persoon", None): "yes",
            ("Organisatie", "Eenmanszaak"): "no",  # the import moves it to the owners
            ("Organisatie", "BV"): "no",
            ("Organisatie", "Stichting"): "no",
        },
        "Aangifte Vpb": {
            ("Persoon", None): "no",
            ("Organisatie", "Eenmanszaak"): "no",
            ("Organisatie", "BV"): "yes",
            ("Organisatie", "Stichting"): "check",
        },
        "Aangifte OB": organisations,
        "Opgaaf ICP": organisations,
        "Loonheffingen": organisations,
        "Jaarrekening": organisations,
    }


def test_an_office_configures_whom_a_product_is_for(tmp_path: Path) -> None:
    """In the TOML file: Vpb for a Stichting without a warning, and a product for anyone."""
    config = tmp_path / "kantoor.toml"
    config.write_text(
        "[[products]]\n"
        'name = "Aangifte Vpb"\n'
        'period_types = ["Boekjaar"]\n'
        'relation_kinds = ["Organisatie"]\n'
        'legal_forms = ["BV", "NV", "Coöperatie", "Stichting"]\n'
        "[[products]]\n"
        'name = "Advies"\n'
        'period_types = ["Jaar"]\n'
        "sbr = false\n",
        encoding="utf-8",
    )
    catalogues = Catalogues.load(config)
    assert catalogues.product("Aangifte Vpb").fit("Organisatie", "Stichting") is Fit.YES
    assert catalogues.product("Advies").fit("Persoon", None) is Fit.YES
    book = valid_book().set("Relaties", 0, "Rechtsvorm", "Stichting")
    book.sheets["Producten"] = [
        {"Relatienummer": "0101", "Product": "Aangifte Vpb"},
        {"Relatienummer": "0101", "Product": "Advies"},
    ]
    report = validate_workbook(book.write(tmp_path / "a.xlsx"), as_of=AS_OF, catalogues=catalogues)
    assert report.issues == []


def test_a_legal_form_a_product_names_must_be_in_the_catalogue(tmp_path: Path) -> None:
    """A typo in legal_forms is a configuration error, not a product no one can have."""
    config = tmp_path / "kantoor.toml"
    config.write_text(
        '[[products]]\nname = "Aangifte Vpb"\nperiod_types = ["Boekjaar"]\n'
        'legal_forms = ["B.V."]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"B\.V\."):
        Catalogues.load(config)


def test_a_sole_traders_owner_keeps_his_bsn_with_income_tax_moved(check: Check) -> None:
    """The eenmanszaak's BSN counts for its owner (R5): only the move is reported."""
    book = organisation_with("Eenmanszaak", "Aangifte IB")
    book = book.set("Relaties", 0, "BSN/RSIN", VALID_BSN).set("Contacten", 0, "BSN", None)
    assert [i.code for i in check(book).issues] == ["income-tax-moved-to-owners"]
