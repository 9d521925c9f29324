"""Periodic uploads (R4, R13): a re-import changes exactly what the workbook states, on SQLite
and PostgreSQL. What the tool derived when it created something is never derived again over
what is stored; people are recognised by their BSN; generated numbers never take the firm's
next client number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.importer import import_workbook
from kantoor_batch.store.database import Store
from tests.builders import OTHER_VALID_BSN, VALID_BSN, Book, valid_book
from tests.conftest import AS_OF
from tests.store.test_import import actions, count, query

SOLE_TRADER_BSN = "100000009"
RUN_COLUMNS = {"created_run_id", "updated_run_id"}
CLIENT_TABLES = (
    "relations",
    "contacts",
    "relation_contacts",
    "products",
    "workflows",
    "planner_rules",
    "role_assignments",
    "sbr_settings",
)


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every client table, without the run columns, in a fixed order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with Store(url).reading() as connection:
        for name in CLIENT_TABLES:
            table = sa.Table(name, sa.MetaData(), autoload_with=connection)
            columns = [c for c in table.columns if c.name not in RUN_COLUMNS]
            rows = connection.execute(sa.select(*columns).order_by(table.c.id))
            tables[name] = [tuple(str(v) for v in row) for row in rows]
    return tables


def full_book() -> Book:
    """A BV whose owner has his own e-mail and phone, a partner, SBR iDEAL on, two products."""
    book = (
        valid_book()
        .set("Relaties", 0, "E-mail", "info@korenaar.nl")
        .set("Relaties", 0, "Telefoon", "050-3110000")
        .set("Relaties", 0, "SBR iDEAL", "Ja")
        .set("Contacten", 0, "E-mail", "jan@prive.nl")
        .set("Contacten", 0, "Telefoon", "06-12345678")
        .set("Producten", 0, "Vanaf", None)
    )
    book = book.add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Fiscaal partner",
        Voornaam="Els",
        Achternaam="Bakker",
        BSN=OTHER_VALID_BSN,
    )
    return book.add("Producten", Relatienummer="0101", Product="Loonheffingen")


def bare(book: Book) -> Book:
    """The same clients with only the required columns filled, as a periodic upload sends."""
    required = {
        "Relaties": {"Relatienummer", "Soort", "Naam", "Rechtsvorm"},
        "Contacten": {"Relatienummer", "Soort contact", "Achternaam", "BSN"},
        "Producten": {"Relatienummer", "Product"},
        "Rollen": {"Relatienummer", "Rol", "Medewerker"},
    }
    out = Book({})
    for sheet, rows in book.sheets.items():
        keep = required.get(sheet)
        out.sheets[sheet] = [
            {k: v for k, v in row.items() if keep is None or k in keep} for row in rows
        ]
    return out


def run(book: Book, url: str, path: Path, as_of: dt.date = AS_OF, **options: Any) -> Any:
    return import_workbook(book.write(path), db=url, as_of=as_of, **options)


def test_an_upload_with_every_optional_column_empty_changes_nothing(
    store_url: str, tmp_path: Path
) -> None:
    """No e-mail, phone or iDEAL taken over from the relation, SBR stays on, nothing moves."""
    run(full_book(), store_url, tmp_path / "a.xlsx")
    before = snapshot(store_url)
    second = run(bare(full_book()), store_url, tmp_path / "b.xlsx")
    assert second.ok, [(i.code, i.row) for i in second.issues if i.is_error]
    assert all(set(c) <= {"ongewijzigd"} for c in actions(second).values()), actions(second)
    assert snapshot(store_url) == before
    assert count(store_url, "import_changes") == 0
    assert query(store_url, "SELECT email, phone FROM contacts WHERE number = '0101'") == [
        ("jan@prive.nl", "+31 6 12345678")
    ]


def test_a_value_corrected_in_the_package_survives_a_reimport(
    store_url: str, tmp_path: Path
) -> None:
    """The owner's BSN copied from the eenmanszaak was corrected; the same file again keeps it."""
    sole = (
        valid_book()
        .set("Relaties", 0, "Rechtsvorm", "Eenmanszaak")
        .set("Relaties", 0, "BSN/RSIN", SOLE_TRADER_BSN)
        .set("Contacten", 0, "BSN", None)
    )
    run(sole, store_url, tmp_path / "a.xlsx")
    assert query(store_url, "SELECT fiscal_number FROM relations WHERE kind = 'person'") == [
        (SOLE_TRADER_BSN,)
    ]
    with Store(store_url).reading() as connection:
        connection.execute(
            sa.text("UPDATE relations SET fiscal_number = :bsn WHERE kind = 'person'"),
            {"bsn": VALID_BSN},
        )
        connection.execute(sa.text("UPDATE contacts SET email = 'jan@prive.nl'"))
        connection.commit()
    again = run(sole, store_url, tmp_path / "b.xlsx")
    assert all(set(c) <= {"ongewijzigd"} for c in actions(again).values()), actions(again)
    assert query(store_url, "SELECT fiscal_number FROM relations WHERE kind = 'person'") == [
        (VALID_BSN,)
    ]
    assert query(store_url, "SELECT email FROM contacts") == [("jan@prive.nl",)]


def test_the_same_workbook_a_year_later_changes_nothing_it_does_not_state(
    store_url: str, tmp_path: Path
) -> None:
    """An empty Vanaf is the running period once, at creation; later periods are the planner's."""
    run(full_book(), store_url, tmp_path / "a.xlsx")
    before = snapshot(store_url)
    later = run(full_book(), store_url, tmp_path / "b.xlsx", as_of=AS_OF + dt.timedelta(days=365))
    assert all(set(c) <= {"ongewijzigd"} for c in actions(later).values()), actions(later)
    assert snapshot(store_url) == before


def test_sbr_is_never_switched_off_nor_started_later(store_url: str, tmp_path: Path) -> None:
    """A partner's BSN left out keeps SBR on; an earlier Vanaf moves the start date earlier."""
    run(full_book(), store_url, tmp_path / "a.xlsx")
    starts = "SELECT s.enabled, s.start_date FROM sbr_settings s JOIN relations r ON r.id = "
    partner = starts + "s.relation_id WHERE r.kind = 'person' AND r.number = '0101-1'"
    company = starts + "s.relation_id WHERE r.kind = 'organisation'"
    on = query(store_url, partner)
    assert bool(on[0][0])
    no_bsn = full_book().set("Contacten", 1, "BSN", None)
    run(no_bsn, store_url, tmp_path / "b.xlsx")
    assert query(store_url, partner) == on
    earlier = full_book().set("Producten", 0, "Vanaf", "2025-K1")
    result = run(earlier, store_url, tmp_path / "c.xlsx")
    assert str(query(store_url, company)[0][1])[:10] == "2024-12-31"
    assert not actions(result)["Workflows"].get("aangemaakt")  # the planner's periods


def test_one_person_across_two_clients_and_two_uploads_is_one_contact(
    store_url: str, tmp_path: Path
) -> None:
    """The DGA of two BVs, Contactnummer empty: one contact, one person relation, one IB."""
    run(valid_book(), store_url, tmp_path / "a.xlsx")
    second_bv = Book(
        {
            "Relaties": [
                {
                    "Relatienummer": "0205",
                    "Soort": "Organisatie",
                    "Naam": "Bakker Holding BV",
                    "Rechtsvorm": "BV",
                }
            ],
            "Contacten": [
                {
                    "Relatienummer": "0205",
                    "Soort contact": "Ondernemer",
                    "Achternaam": "Bakker",
                    "BSN": VALID_BSN,
                }
            ],
        }
    )
    result = run(second_bv, store_url, tmp_path / "b.xlsx")
    assert result.ok, [(i.code, i.row) for i in result.issues]
    assert query(store_url, "SELECT number FROM contacts") == [("0101",)]
    assert query(store_url, "SELECT number FROM relations WHERE kind = 'person'") == [("0101",)]
    ib = "SELECT count(*) FROM products WHERE product = 'Aangifte IB'"
    assert query(store_url, ib) == [(1,)]
    links = query(
        store_url,
        "SELECT r.number, l.is_primary FROM relation_contacts l JOIN relations r "
        "ON r.id = l.relation_id WHERE r.kind = 'organisation' ORDER BY r.number",
    )
    assert [(n, bool(p)) for n, p in links] == [("0101", True), ("0205", True)]
    # Following the Instructies: the existing number typed in links the same contact.
    typed = second_bv.set("Contacten", 0, "Contactnummer", "0101")
    again = run(typed, store_url, tmp_path / "c.xlsx")
    assert again.ok, [(i.code, i.row) for i in again.issues]
    assert count(store_url, "contacts") == 1


def test_one_person_on_two_clients_of_one_file_is_one_contact(
    store_url: str, tmp_path: Path
) -> None:
    """Within a file too: the same BSN on two rows without a number is one person."""
    book = valid_book().add(
        "Relaties", Relatienummer="0205", Soort="Organisatie", Naam="Holding BV", Rechtsvorm="BV"
    )
    book = book.add(
        "Contacten",
        Relatienummer="0205",
        Soort_contact="Ondernemer",
        Achternaam="Bakker",
        BSN=VALID_BSN,
    )
    result = run(book, store_url, tmp_path / "a.xlsx")
    assert result.ok, [(i.code, i.row) for i in result.issues]
    assert query(store_url, "SELECT number FROM contacts") == [("0101",)]
    assert count(store_url, "relations") == 3  # two BVs and one person


def test_the_firms_next_client_number_stays_free(store_url: str, tmp_path: Path) -> None:
    """Partners and children get numbers of their own client, not the next client number."""
    family = full_book().add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Kind",
        Voornaam="Tim",
        Achternaam="Bakker",
        Relatie_aanmaken="Ja",
        Aangifte_IB="Nee",
    )
    run(family, store_url, tmp_path / "a.xlsx")
    assert query(store_url, "SELECT number FROM contacts ORDER BY number") == [
        ("0101",),
        ("0101-1",),
        ("0101-2",),
    ]
    next_client = Book(
        {
            "Relaties": [
                {
                    "Relatienummer": "0102",
                    "Soort": "Organisatie",
                    "Naam": "Nieuwe klant BV",
                    "Rechtsvorm": "BV",
                }
            ],
            "Contacten": [
                {"Relatienummer": "0102", "Soort contact": "Ondernemer", "Achternaam": "Smit"}
            ],
        }
    )
    result = run(next_client, store_url, tmp_path / "b.xlsx")
    assert result.ok, [(i.code, i.row) for i in result.issues]


def vof() -> Book:
    return Book(
        {
            "Relaties": [
                {
                    "Relatienummer": "0300",
                    "Soort": "Organisatie",
                    "Naam": "De Wit en Smit VOF",
                    "Rechtsvorm": "VOF",
                }
            ],
            "Contacten": [
                {
                    "Relatienummer": "0300",
                    "Soort contact": "Ondernemer",
                    "Achternaam": "De Wit",
                    "BSN": VALID_BSN,
                },
                {
                    "Relatienummer": "0300",
                    "Soort contact": "Ondernemer",
                    "Achternaam": "Smit",
                    "BSN": OTHER_VALID_BSN,
                },
            ],
        }
    )


def test_partners_in_another_order_are_an_update_not_a_rejection(
    store_url: str, tmp_path: Path
) -> None:
    """The first partner stays the primary contact with the relation number."""
    run(vof(), store_url, tmp_path / "a.xlsx")
    before = snapshot(store_url)
    swapped = vof()
    swapped.sheets["Contacten"].reverse()
    result = run(swapped, store_url, tmp_path / "b.xlsx")
    assert result.ok, [(i.code, i.row) for i in result.issues]
    assert snapshot(store_url) == before


def test_a_dga_added_to_a_stored_client_is_an_update(store_url: str, tmp_path: Path) -> None:
    """First sent with only a Contactpersoon, later with its DGA: the DGA is added."""
    contact_only = valid_book().set("Contacten", 0, "Soort contact", "Contactpersoon")
    contact_only = contact_only.set("Contacten", 0, "BSN", None)
    run(contact_only, store_url, tmp_path / "a.xlsx")
    with_dga = contact_only.add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Ondernemer",
        Achternaam="Jansen",
        BSN=OTHER_VALID_BSN,
    )
    result = run(with_dga, store_url, tmp_path / "b.xlsx")
    assert result.ok, [(i.code, i.row) for i in result.issues]
    primary = query(
        store_url,
        "SELECT c.last_name FROM relation_contacts l JOIN contacts c ON c.id = l.contact_id "
        "JOIN relations r ON r.id = l.relation_id "
        "WHERE r.kind = 'organisation' AND l.is_primary = :yes".replace(
            ":yes", "TRUE" if store_url.startswith("postgresql") else "1"
        ),
    )
    assert primary == [("Bakker",)]
    assert query(store_url, "SELECT number FROM contacts ORDER BY number") == [
        ("0101",),
        ("0101-1",),
    ]


def test_a_relation_number_that_lost_its_zeros_is_the_stored_relation(
    store_url: str, tmp_path: Path
) -> None:
    """R13: 000123 first as text, then as the number 123: the same client, with a warning."""
    first = valid_book()
    for sheet in ("Relaties", "Contacten", "Producten", "Rollen"):
        first = first.set(sheet, 0, "Relatienummer", "000123")
    run(first, store_url, tmp_path / "a.xlsx")
    before = snapshot(store_url)
    numeric = first
    for sheet in ("Relaties", "Contacten", "Producten", "Rollen"):
        numeric = numeric.set(sheet, 0, "Relatienummer", 123)
    result = run(numeric, store_url, tmp_path / "b.xlsx")
    assert result.ok
    assert {(i.sheet, i.code) for i in result.issues} == {
        (sheet, "number-zeros-restored")
        for sheet in ("Relaties", "Contacten", "Producten", "Rollen")
    }
    assert snapshot(store_url) == before


def test_a_numeric_relation_number_nobody_knows_is_a_warning(
    store_url: str, tmp_path: Path
) -> None:
    """A number cell that matches nothing may have lost zeros: never silent."""
    book = valid_book()
    for sheet in ("Relaties", "Contacten", "Producten", "Rollen"):
        book = book.set(sheet, 0, "Relatienummer", 123)
    result = run(book, store_url, tmp_path / "a.xlsx")
    assert result.ok
    assert ("Relaties", 2, "number-stored-as-number") in {
        (i.sheet, i.row, i.code) for i in result.issues
    }


def test_a_contact_matched_on_bsn_under_another_number_is_linked_with_a_warning(
    store_url: str, tmp_path: Path
) -> None:
    """R4: the BSN decides; the number typed for that person is not used, and that is said."""
    run(valid_book(), store_url, tmp_path / "a.xlsx")
    typo = valid_book().set("Contacten", 0, "Contactnummer", "0999")
    result = run(typo, store_url, tmp_path / "b.xlsx")
    assert result.ok
    assert ("Contacten", 2, "Contactnummer", "contact-linked-by-bsn") in {
        (i.sheet, i.row, i.column, i.code) for i in result.issues
    }
    assert query(store_url, "SELECT number FROM contacts") == [("0101",)]


def test_a_twenty_digit_relation_number_never_breaks_later_imports(
    store_url: str, tmp_path: Path
) -> None:
    """Numbers are text of any length: no int64 overflow when numbering new contacts."""
    for digits in (20, 18):
        huge = valid_book().set("Contacten", 0, "BSN", None)
        for sheet in ("Relaties", "Contacten", "Producten", "Rollen"):
            huge = huge.set(sheet, 0, "Relatienummer", "9" * digits)
        assert run(huge, store_url, tmp_path / f"{digits}.xlsx").ok
    assert run(full_book(), store_url, tmp_path / "a.xlsx").ok  # suffix numbers
    catalogues = Catalogues.model_validate(
        {"numbering": {"scheme": "range", "range_start": 10**17}}
    )
    more = full_book().add(
        "Contacten", Relatienummer="0101", Soort_contact="Kind", Achternaam="Bakker"
    )
    result = run(more, store_url, tmp_path / "b.xlsx", catalogues=catalogues)
    assert result.ok, [(i.code, i.row) for i in result.issues]
    assert ("1" + "0" * 18,) in query(store_url, "SELECT number FROM contacts")


def test_a_suffix_number_longer_than_the_store_holds_skips_that_client(
    store_url: str, tmp_path: Path
) -> None:
    """R4: a 40-character client number leaves no room for '-1': an error, not a crash."""
    long_number = "1" * 40
    book = full_book()
    for sheet in ("Relaties", "Contacten", "Producten", "Rollen"):
        for index in range(len(book.sheets[sheet])):
            book = book.set(sheet, index, "Relatienummer", long_number)
    result = run(book, store_url, tmp_path / "a.xlsx")
    assert ("Contacten", 3, "contact-number-too-long") in {
        (i.sheet, i.row, i.code) for i in result.issues
    }
    assert result.skipped_bundles == {long_number}


def test_primair_contact_ja_changes_the_primary_contact_of_a_stored_client(
    store_url: str, tmp_path: Path
) -> None:
    """R4: the documented way to change it: the new one primary, the old one linked as before."""
    run(valid_book(), store_url, tmp_path / "a.xlsx")
    new_primary = valid_book().add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Contactpersoon",
        Achternaam="Jansen",
        Primair_contact="Ja",
    )
    result = run(new_primary, store_url, tmp_path / "b.xlsx")
    assert result.ok, [(i.code, i.row) for i in result.issues]
    primaries = query(
        store_url,
        "SELECT c.number, c.last_name, l.is_primary FROM relation_contacts l "
        "JOIN contacts c ON c.id = l.contact_id JOIN relations r ON r.id = l.relation_id "
        "WHERE r.kind = 'organisation' ORDER BY c.number",
    )
    assert [(n, name, bool(p)) for n, name, p in primaries] == [
        ("0101", "Bakker", False),
        ("0101-1", "Jansen", True),
    ]
    changed = {
        (c["Betreft"], c["Veld"], c["Oud"], c["Nieuw"]) for _, c in result.changes.iterrows()
    }
    assert ("0101", "Primair contact", "Ja", "Nee") in changed
    again = run(new_primary, store_url, tmp_path / "c.xlsx")
    assert all(set(c) <= {"ongewijzigd"} for c in actions(again).values()), actions(again)


def test_primair_contact_ja_chooses_the_primary_contact_of_a_new_client(
    store_url: str, tmp_path: Path
) -> None:
    """The Contactpersoon marked Ja is primary and takes the relation number, not the owner."""
    book = valid_book().add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Contactpersoon",
        Achternaam="Jansen",
        Primair_contact="Ja",
    )
    assert run(book, store_url, tmp_path / "a.xlsx").ok
    assert query(store_url, "SELECT number, last_name FROM contacts ORDER BY number") == [
        ("0101", "Jansen"),
        ("0101-1", "Bakker"),
    ]


def test_a_former_primary_left_out_of_the_upload_is_no_longer_primary(
    store_url: str, tmp_path: Path
) -> None:
    """The old primary contact need not be in the file: its stored link is updated once."""
    run(valid_book(), store_url, tmp_path / "a.xlsx")
    only_new = valid_book()
    only_new.sheets["Contacten"] = [
        {
            "Relatienummer": "0101",
            "Soort contact": "Contactpersoon",
            "Achternaam": "Jansen",
            "Primair contact": "Ja",
        }
    ]
    result = run(only_new, store_url, tmp_path / "b.xlsx")
    assert result.ok, [(i.code, i.row) for i in result.issues]
    changes = result.changes[result.changes["Veld"] == "Primair contact"]
    assert changes[["Betreft", "Oud", "Nieuw"]].values.tolist() == [["0101", "Ja", "Nee"]]


def test_income_tax_on_an_eenmanszaak_lands_on_its_owners_person_relation(
    store_url: str, tmp_path: Path
) -> None:
    """R7 (issue 8): no IB workflow or product on the organisation; the owner files it."""
    sole = (
        valid_book()
        .set("Relaties", 0, "Rechtsvorm", "Eenmanszaak")
        .set("Relaties", 0, "BSN/RSIN", VALID_BSN)
        .add("Producten", Relatienummer="0101", Product="Aangifte IB", Vanaf="2025")
    )
    result = run(sole, store_url, tmp_path / "a.xlsx")
    assert result.ok
    assert "income-tax-moved-to-owners" in {i.code for i in result.issues}
    ib = query(
        store_url,
        "SELECT r.kind, r.number, p.start_period FROM products p JOIN relations r "
        "ON r.id = p.relation_id WHERE p.product = 'Aangifte IB'",
    )
    assert ib == [("person", "0101", "2025")]
    workflows = query(
        store_url,
        "SELECT r.kind, w.period FROM workflows w JOIN relations r ON r.id = w.relation_id "
        "WHERE w.product = 'Aangifte IB' ORDER BY w.period",
    )
    assert workflows == [("person", "2025"), ("person", "2026")]


def test_an_office_under_the_uitstelregeling_gets_its_ib_deadlines_a_year_later(
    store_url: str, tmp_path: Path
) -> None:
    """Catalogue income_tax_extension: the stored Uiterste datum of IB 2025 is 1 May 2027."""
    catalogues = Catalogues.model_validate({"income_tax_extension": True})
    run(valid_book(), store_url, tmp_path / "a.xlsx", catalogues=catalogues)
    due = query(
        store_url,
        "SELECT period, due_date FROM workflows WHERE product = 'Aangifte IB' ORDER BY period",
    )
    assert [(p, str(d)[:10]) for p, d in due] == [("2026", "2028-05-01")]
