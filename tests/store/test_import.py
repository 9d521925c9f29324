"""The import end to end into a real store, on SQLite and on PostgreSQL: whole clients,
idempotent re-imports, updates with old and new values, dry runs, skipped bundles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kantoor_batch.importer import import_workbook
from kantoor_batch.store.database import Store
from tests.builders import OTHER_VALID_BSN, Book, valid_book
from tests.conftest import AS_OF, REPO

SAMPLE = REPO / "samples" / "onboarding-voorbeeld.xlsx"


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with Store(url).reading() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql))]


def count(url: str, table: str) -> int:
    return int(query(url, f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608


def actions(result: object) -> dict[str, dict[str, int]]:
    counts = result.counts()  # type: ignore[attr-defined]
    return {kind: {a: n for a, n in c.items() if n} for kind, c in counts.items()}


def test_importing_the_sample_creates_every_client(store_url: str) -> None:
    """27 relations with contacts, derived persons, IB, workflows, planner rules, SBR, roles."""
    result = import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    assert result.ok
    assert result.outcome == "completed"
    kinds = dict(query(store_url, "SELECT kind, count(*) FROM relations GROUP BY kind"))
    assert kinds["organisation"] == 20
    assert kinds["person"] > 7  # the 7 private clients and the derived person relations
    assert count(store_url, "relations") == len(result.tables["relations"])
    persons_without_ib = query(
        store_url,
        """
        SELECT count(*) FROM relations r WHERE r.kind = 'person' AND NOT EXISTS
        (SELECT 1 FROM products p WHERE p.relation_id = r.id AND p.product = 'Aangifte IB')""",
    )
    assert persons_without_ib[0][0] == 5  # the five children with Aangifte IB = Nee
    sbr = query(
        store_url,
        """SELECT s.start_date FROM sbr_settings s JOIN relations r
        ON r.id = s.relation_id WHERE r.kind = 'organisation' AND r.number = '0103'""",
    )
    assert str(sbr[0][0])[:10] == "2025-06-30"  # OB 2026-K1 and Vpb from 1 July 2025
    derived_bsn = query(
        store_url,
        """SELECT fiscal_number FROM relations
        WHERE kind = 'person' AND number = '0101'""",
    )
    owner_bsn = query(
        store_url,
        """SELECT fiscal_number FROM relations
        WHERE kind = 'organisation' AND number = '0101'""",
    )
    assert derived_bsn == owner_bsn  # an eenmanszaak: the owner's BSN (R5)
    runs = query(store_url, "SELECT outcome, file_name FROM import_runs")
    assert runs == [("completed", "onboarding-voorbeeld.xlsx")]


def test_importing_the_same_workbook_twice_changes_nothing(store_url: str) -> None:
    """R13: the second run reports everything unchanged and stores nothing new."""
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    before = {t: count(store_url, t) for t in ("relations", "contacts", "workflows", "products")}
    second = import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    assert all(set(c) == {"ongewijzigd"} for c in actions(second).values())
    assert {t: count(store_url, t) for t in before} == before
    assert count(store_url, "import_changes") == 0


def test_a_changed_value_is_updated_and_kept_with_old_and_new(
    store_url: str, tmp_path: Path
) -> None:
    """R13: a new e-mail address is 'bijgewerkt' and the ledger has both values."""
    book = valid_book().set("Relaties", 0, "E-mail", "oud@korenaar.nl")
    import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    changed = book.set("Relaties", 0, "E-mail", "nieuw@korenaar.nl")
    result = import_workbook(changed.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    relations = result.tables["relations"]
    assert relations.loc[relations["Soort"] == "Organisatie", "Actie"].tolist() == ["bijgewerkt"]
    # The owner's contact took the relation's e-mail when it was created (R4); that copy is
    # not made again over what is stored (R13), so only the organisation changes.
    changes = query(
        store_url,
        "SELECT entity, entity_key, field, old_value, new_value "
        "FROM import_changes ORDER BY entity, entity_key",
    )
    assert changes == [
        ("relation", "organisation 0101", "email", "oud@korenaar.nl", "nieuw@korenaar.nl"),
    ]
    assert query(store_url, "SELECT email FROM relations WHERE kind = 'organisation'") == [
        ("nieuw@korenaar.nl",)
    ]


def test_an_empty_cell_never_clears_a_stored_value(store_url: str, tmp_path: Path) -> None:
    """A periodic upload without the KvK-nummer leaves the stored one alone."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    result = import_workbook(
        valid_book().set("Relaties", 0, "KvK-nummer", None).write(tmp_path / "b.xlsx"),
        db=store_url,
        as_of=AS_OF,
    )
    assert set(result.tables["relations"]["Actie"]) == {"ongewijzigd"}
    assert query(store_url, "SELECT kvk_number FROM relations WHERE kind = 'organisation'") == [
        ("01234567",)
    ]


def test_a_dry_run_reports_what_would_happen_and_stores_nothing(
    store_url: str, tmp_path: Path
) -> None:
    """--dry-run: the real path, rolled back: same counts as a real run, an untouched store."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    tables = ("relations", "contacts", "products", "workflows", "import_runs")
    before = {t: count(store_url, t) for t in tables}
    more = valid_book().add(
        "Producten", Relatienummer="0101", Product="Loonheffingen", Vanaf="2026-01"
    )
    path = more.write(tmp_path / "b.xlsx")
    dry = import_workbook(path, db=store_url, as_of=AS_OF, dry_run=True)
    assert dry.dry_run
    assert dry.run_id is None
    assert actions(dry)["Workflows"].get("aangemaakt", 0) == 11  # 2026-01 .. 2026-11
    assert {t: count(store_url, t) for t in tables} == before
    real = import_workbook(path, db=store_url, as_of=AS_OF)
    assert actions(real) == actions(dry)


def test_a_dry_run_leaves_a_sqlite_store_byte_for_byte_as_it_was(tmp_path: Path) -> None:
    """The file itself is unchanged, and a dry run on no store creates none."""
    db = tmp_path / "kantoor.db"
    import_workbook(SAMPLE, db=str(db), as_of=AS_OF)
    before = db.read_bytes()
    import_workbook(SAMPLE, db=str(db), as_of=AS_OF + dt.timedelta(days=40), dry_run=True)
    assert db.read_bytes() == before
    fresh = tmp_path / "nieuw.db"
    import_workbook(SAMPLE, db=str(fresh), as_of=AS_OF, dry_run=True)
    assert not fresh.exists()


def two_clients() -> Book:
    return valid_book().add(
        "Relaties",
        Relatienummer="0102",
        Soort="Persoon",
        Naam="Els de Wit",
        **{"BSN/RSIN": OTHER_VALID_BSN},
    )


def test_a_client_with_one_bad_row_is_skipped_whole_while_others_are_imported(
    store_url: str, tmp_path: Path
) -> None:
    """R12: a bad product of 0101 skips 0101 with its contacts and roles; 0102 goes in."""
    book = two_clients().set("Producten", 0, "Tijdvak", "Vier weken")
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    assert not result.ok
    assert result.skipped_bundles == {"0101"}
    assert query(store_url, "SELECT kind, number FROM relations") == [("person", "0102")]
    assert count(store_url, "contacts") == 0
    relations = result.tables["relations"]
    assert relations.loc[relations["Relatienummer"] == "0101", "Actie"].tolist() == [
        "overgeslagen",
        "overgeslagen",
    ]
    assert query(store_url, "SELECT outcome FROM import_runs") == [("partial",)]


def test_all_or_nothing_stores_nothing_when_anything_is_wrong(
    store_url: str, tmp_path: Path
) -> None:
    """--all-or-nothing: one bad row and no client is stored."""
    book = two_clients().set("Producten", 0, "Tijdvak", "Vier weken")
    result = import_workbook(
        book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF, all_or_nothing=True
    )
    assert result.skipped_bundles == {"0101", "0102"}
    assert count(store_url, "relations") == 0
    assert "import-rejected" in {i.code for i in result.issues}


def test_a_group_or_employee_known_only_to_the_store_is_accepted(
    store_url: str, tmp_path: Path
) -> None:
    """R1, R10: the second upload names group and employee without listing them again."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    later = two_clients()
    del later.sheets["Relatiegroepen"]
    del later.sheets["Medewerkers"]
    later = later.add("Rollen", Relatienummer="0102", Rol="Fiscaal", Medewerker="jdv")
    result = import_workbook(later.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    assert result.ok, [(i.code, i.row) for i in result.issues]


def store_partner_as_person_0102(store_url: str, tmp_path: Path) -> None:
    """Client 0101 whose fiscal partner has contact number 0102, so person relation 0102."""
    partner = valid_book().add(
        "Contacten",
        Relatienummer="0101",
        Contactnummer="0102",
        Soort_contact="Fiscaal partner",
        Achternaam="Bakker",
        BSN=OTHER_VALID_BSN,
    )
    import_workbook(partner.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)


def test_a_number_held_by_another_clients_person_is_refused(store_url: str, tmp_path: Path) -> None:
    """R2: a new organisation 0102 while 0102 is the derived person of 0101's partner."""
    store_partner_as_person_0102(store_url, tmp_path)
    assert query(store_url, "SELECT number FROM contacts ORDER BY number") == [("0101",), ("0102",)]
    clash = valid_book().add(
        "Relaties",
        Relatienummer="0102",
        Soort="Organisatie",
        Naam="Andere klant BV",
        Rechtsvorm="BV",
    )
    result = import_workbook(clash.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    codes = {(i.sheet, i.row, i.code) for i in result.issues}
    assert ("Relaties", 3, "number-used-by-other-client") in codes
    assert "0102" in result.skipped_bundles


def test_a_number_held_by_the_person_of_a_client_outside_the_file_is_refused(
    store_url: str, tmp_path: Path
) -> None:
    """R2 as above, with a file that holds only the new organisation 0102: the person 0102
    belongs to client 0101 in the store, whether or not the file names 0101."""
    store_partner_as_person_0102(store_url, tmp_path)
    alone = Book(
        {
            "Relaties": [
                {
                    "Relatienummer": "0102",
                    "Soort": "Organisatie",
                    "Naam": "Andere klant BV",
                    "Rechtsvorm": "BV",
                }
            ],
            "Contacten": [
                {"Relatienummer": "0102", "Soort contact": "Ondernemer", "Achternaam": "Smit"}
            ],
        }
    )
    result = import_workbook(alone.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    codes = {(i.sheet, i.row, i.code) for i in result.issues}
    assert ("Relaties", 2, "number-used-by-other-client") in codes
    assert result.skipped_bundles == {"0102"}


def test_a_contact_number_of_someone_else_is_refused(store_url: str, tmp_path: Path) -> None:
    """R4: a contact row naming number 0101, which the store has for Bakker, for Jansen."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    other = two_clients().add(
        "Contacten",
        Relatienummer="0102",
        Contactnummer="0101",
        Soort_contact="Fiscaal partner",
        Achternaam="Jansen",
    )
    result = import_workbook(other.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    taken = [i for i in result.issues if i.code == "contact-number-taken"]
    assert [(i.sheet, i.row) for i in taken] == [("Contacten", 3)]
    # Both clients are named, and what to do.
    message = taken[0].message()
    assert "klant 0102" in message
    assert "Bakker in de database, contact van klant 0101 (Bakkerij De Korenaar B.V.)" in message
    assert "Laat het Contactnummer leeg" in message


def test_the_database_enforces_unique_numbers_per_kind(store_url: str) -> None:
    """R2 is a constraint of the store, not only a check in Python."""
    import_workbook(SAMPLE, db=store_url, as_of=AS_OF)
    with pytest.raises(sa.exc.IntegrityError), Store(store_url).engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO relations (kind, number, name, country, financial_year_start, "
            "created_run_id) VALUES ('organisation', '0101', 'Dubbel', 'NL', '01-01', 1)"
        )


def test_a_contact_who_changed_name_is_updated_not_refused(store_url: str, tmp_path: Path) -> None:
    """R13: the owner's new last name with the same BSN is an update of contact 0101."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    married = valid_book().set("Contacten", 0, "Achternaam", "Bakker-de Vries")
    result = import_workbook(married.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    assert result.ok, [(i.code, i.row) for i in result.issues]
    assert query(store_url, "SELECT last_name FROM contacts") == [("Bakker-de Vries",)]
    contacts = result.tables["contacts"]
    assert "bijgewerkt" in set(contacts["Actie"])


def test_a_product_added_later_brings_its_workflows_and_moves_sbr_back(
    store_url: str, tmp_path: Path
) -> None:
    """A periodic upload adds Jaarrekening and Vpb from 2025 to client 0101."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    more = valid_book().add("Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2025")
    result = import_workbook(more.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    workflows = result.tables["workflows"]
    created = workflows[workflows["Actie"] == "aangemaakt"]["Workflow"].tolist()
    assert created == ["Aangifte Vpb 2025", "Aangifte Vpb 2026"]
    assert set(workflows[workflows["Actie"] != "aangemaakt"]["Actie"]) == {"ongewijzigd"}
    sbr = query(
        store_url,
        """SELECT s.start_date FROM sbr_settings s JOIN relations r
        ON r.id = s.relation_id WHERE r.kind = 'organisation'""",
    )
    assert str(sbr[0][0])[:10] == "2024-12-31"
    changes = query(store_url, "SELECT entity, field FROM import_changes")
    assert ("sbr_settings", "start_date") in changes


def test_the_contacts_table_names_each_person_with_their_details(
    store_url: str, tmp_path: Path
) -> None:
    """Contacten in the result: the person's full name, e-mail and phone on every link row."""
    book = (
        valid_book()
        .set("Contacten", 0, "Voornaam", "Piet")
        .set("Contacten", 0, "Tussenvoegsel", "de")
        .set("Contacten", 0, "E-mail", "piet@korenaar.nl")
        .set("Contacten", 0, "Telefoon", "050-3123456")
    )
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    contacts = result.tables["contacts"]
    assert len(contacts) >= 2  # the link to the BV and to the derived person relation
    assert set(contacts["Naam"]) == {"Piet de Bakker"}
    assert set(contacts["E-mail"]) == {"piet@korenaar.nl"}
    assert contacts["Telefoon"].notna().all()


def test_rows_with_errors_outside_any_client_are_reported_not_stored(
    store_url: str, tmp_path: Path
) -> None:
    """A relation row without number, a contact of a mistyped relation, a duplicate group:
    the run is partial, names those rows, and stores neither them nor the duplicate group."""
    book = (
        valid_book()
        .add("Relaties", Soort="Persoon", Naam="Zonder nummer")
        .add("Contacten", Relatienummer="0199", Soort_contact="Kind", Achternaam="Typo")
        .add("Relatiegroepen", Naam="Dubbel")
        .add("Relatiegroepen", Naam="dubbel")
    )
    result = import_workbook(book.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    assert result.outcome == "partial"
    assert not result.ok
    assert result.rows_not_stored == [
        ("Contacten", 3),
        ("Relatiegroepen", 3),
        ("Relatiegroepen", 4),
        ("Relaties", 3),
    ]
    assert query(store_url, "SELECT name FROM relation_groups") == [("MKB Noord",)]
    assert query(store_url, "SELECT outcome FROM import_runs") == [("partial",)]
    assert count(store_url, "relations") == 2  # 0101 and its owner went in
