"""Export stamps (issue 10): a row of an exported workbook whose stored record changed since the
export is a conflict, held back unless --overwrite, and listed with the stored value, the value
at the export and the new one; on SQLite and PostgreSQL."""
# ruff: noqa: S608 - the store edits below are SQL written here, without outside input

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from kantoor_batch import export_store, import_workbook
from kantoor_batch.cli import main
from kantoor_batch.result import HELD_BACK, OVERWRITTEN, UNKNOWN_AT_EXPORT
from kantoor_batch.store.database import Store
from tests.conftest import AS_OF
from tests.store.test_export import imported_sample, unchanged
from tests.store.test_import import actions, query
from tests.store.test_reimport import snapshot

CLIENT = "0101"
OF_CLIENT = "(SELECT id FROM relations WHERE number = '0101' AND kind = 'organisation')"


def change_store(url: str, sql: str) -> None:
    """An edit made in the store itself, outside kantoor-batch (no ledger)."""
    with Store(url).reading() as connection:
        connection.execute(sa.text(sql))
        connection.commit()


def edit(
    path: Path, target: Path, sheet: str, where: dict[str, str], values: dict[str, Any]
) -> Path:
    """Set cells (by header) of the first row of sheet matching where (by header)."""
    workbook = openpyxl.load_workbook(path)
    rows = workbook[sheet]
    headers = {str(c.value).rstrip("*"): c.column for c in rows[1]}
    for row in rows.iter_rows(min_row=2):
        if all(str(row[headers[h] - 1].value) == v for h, v in where.items()):
            for header, value in values.items():
                row[headers[header] - 1].value = value
            break
    else:
        raise AssertionError(f"no row {where} on {sheet}")
    workbook.save(target)
    return target


def stored_phone(url: str) -> str:
    return str(query(url, f"SELECT phone FROM relations WHERE id = {OF_CLIENT}")[0][0])


def lines(result: Any, status: str) -> list[tuple[Any, ...]]:
    changes = result.changes[result.changes["Status"] == status]
    columns = ["Blad", "Relatienummer", "Veld", "Oud", "Bij export", "Nieuw"]
    return [tuple(r) for r in changes[columns].itertuples(index=False, name=None)]


def test_an_edit_in_the_store_after_the_export_is_a_conflict_and_not_overwritten(
    store_url: str, tmp_path: Path
) -> None:
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    exported_phone = stored_phone(store_url)
    change_store(store_url, f"UPDATE relations SET phone = '0201234567' WHERE id = {OF_CLIENT}")
    after_edit = snapshot(store_url)

    again = import_workbook(out.path, db=store_url, as_of=AS_OF)

    assert again.outcome == "partial"  # not everything in the file was stored
    assert stored_phone(store_url) == "0201234567"
    assert snapshot(store_url) == after_edit
    assert lines(again, HELD_BACK) == [
        ("Relaties", CLIENT, "Telefoon", "0201234567", UNKNOWN_AT_EXPORT, exported_phone)
    ]
    assert actions(again)["Relaties"].get("conflict") == 1
    warning = [i for i in again.issues if i.code == "export-conflict"]
    assert [(i.sheet, i.row) for i in warning] == [("Relaties", 2)]
    assert "Telefoon" in warning[0].message()
    assert again.held_back == 1
    assert again.changed_values == 0


def test_another_import_after_the_export_is_a_conflict_with_the_value_at_the_export(
    store_url: str, tmp_path: Path
) -> None:
    """The ledger knows what the value was when the workbook was exported."""
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    exported_phone = stored_phone(store_url)
    colleague = edit(
        out.path,
        tmp_path / "collega.xlsx",
        "Relaties",
        {"Relatienummer": CLIENT},
        {"Telefoon": "0301234567"},
    )
    first = import_workbook(colleague, db=store_url, as_of=AS_OF)
    assert first.ok
    assert first.conflicts == 0  # nobody changed the store since that export
    colleagues_phone = stored_phone(store_url)  # as the import writes phone numbers
    assert colleagues_phone != exported_phone

    again = import_workbook(out.path, db=store_url, as_of=AS_OF)

    assert lines(again, HELD_BACK) == [
        ("Relaties", CLIENT, "Telefoon", colleagues_phone, exported_phone, exported_phone)
    ]
    assert stored_phone(store_url) == colleagues_phone


def test_with_overwrite_the_rows_value_is_stored_and_the_conflict_still_listed(
    store_url: str, tmp_path: Path
) -> None:
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    exported_phone = stored_phone(store_url)
    change_store(store_url, f"UPDATE relations SET phone = '0201234567' WHERE id = {OF_CLIENT}")

    again = import_workbook(out.path, db=store_url, as_of=AS_OF, overwrite=True)

    assert again.outcome == "completed"
    assert stored_phone(store_url) == exported_phone
    assert lines(again, OVERWRITTEN) == [
        ("Relaties", CLIENT, "Telefoon", "0201234567", UNKNOWN_AT_EXPORT, exported_phone)
    ]
    assert [i.code for i in again.issues if i.code.startswith("export-")] == [
        "export-conflict-overwritten"
    ]
    assert again.changed_values == 1


def test_a_changed_cell_is_applied_while_a_row_the_store_changed_since_is_held_back(
    store_url: str, tmp_path: Path
) -> None:
    """The stamp is per record: another client changed since the export (0102) does not stop
    the change of 0101; 0102's row, which still says the old city, is held back rather than
    undoing the newer one."""
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    exported = stored_phone(store_url)
    other = edit(
        out.path, tmp_path / "ander.xlsx", "Relaties", {"Relatienummer": "0102"}, {"Plaats": "Ede"}
    )
    assert import_workbook(other, db=store_url, as_of=AS_OF).ok
    mine = edit(
        out.path,
        tmp_path / "mijn.xlsx",
        "Relaties",
        {"Relatienummer": CLIENT},
        {"Telefoon": "0401234567"},
    )

    again = import_workbook(mine, db=store_url, as_of=AS_OF)

    assert stored_phone(store_url) != exported
    assert [(b, n, v) for b, n, v, *_ in lines(again, "gewijzigd")] == [
        ("Relaties", CLIENT, "Telefoon")
    ]
    assert [(b, n, v) for b, n, v, *_ in lines(again, HELD_BACK)] == [
        ("Relaties", "0102", "Plaats")
    ]
    assert (
        query(store_url, "SELECT city FROM relations WHERE number = '0102' AND city IS NOT NULL")[
            0
        ][0]
        == "Ede"
    )


def test_the_other_rows_of_a_stale_export_hold_back_what_changed_since(
    store_url: str, tmp_path: Path
) -> None:
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    newer = edit(
        out.path, tmp_path / "nieuw.xlsx", "Relaties", {"Relatienummer": "0102"}, {"Plaats": "Ede"}
    )
    assert import_workbook(newer, db=store_url, as_of=AS_OF).ok

    again = import_workbook(out.path, db=store_url, as_of=AS_OF)

    held = lines(again, HELD_BACK)
    assert [(b, n, v, o, e) for b, n, v, o, e, _ in held] == [
        ("Relaties", "0102", "Plaats", "Ede", held[0][5])
    ]
    assert (
        query(store_url, "SELECT city FROM relations WHERE number = '0102' AND city IS NOT NULL")[
            0
        ][0]
        == "Ede"
    )


STORE_EDITS = {
    "Relaties (SBR)": (
        f"UPDATE sbr_settings SET ideal = NOT ideal WHERE relation_id = {OF_CLIENT}",
        "Relaties",
    ),
    "Contacten (contact)": (
        "UPDATE contacts SET email = 'ander@voorbeeld.nl' WHERE id IN (SELECT contact_id FROM "
        f"relation_contacts WHERE relation_id = {OF_CLIENT})",
        "Contacten",
    ),
    "Contacten (koppeling)": (
        f"UPDATE relation_contacts SET contact_type = 'Boekhouder' WHERE relation_id = {OF_CLIENT}",
        "Contacten",
    ),
    "Producten": (
        f"UPDATE products SET sbr = NOT sbr WHERE relation_id = {OF_CLIENT}",
        "Producten",
    ),
    "Rollen": (
        "UPDATE role_assignments SET employee_id = (SELECT min(e.id) FROM employees e WHERE "
        f"e.id <> role_assignments.employee_id) WHERE relation_id = {OF_CLIENT}",
        "Rollen",
    ),
    "Relatiegroepen": ("UPDATE relation_groups SET description = 'Anders'", "Relatiegroepen"),
    "Medewerkers": ("UPDATE employees SET name = 'Iemand Anders'", "Medewerkers"),
}


@pytest.mark.parametrize("what", list(STORE_EDITS))
def test_a_store_edit_of_each_kind_of_record_is_a_conflict(
    what: str, store_url: str, tmp_path: Path
) -> None:
    sql, sheet = STORE_EDITS[what]
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    change_store(store_url, sql)
    after_edit = snapshot(store_url)

    again = import_workbook(out.path, db=store_url, as_of=AS_OF)

    held = lines(again, HELD_BACK)
    assert held, again.changes.to_string()
    assert {line[0] for line in held} == {sheet}
    assert snapshot(store_url) == after_edit  # nothing of the edit undone


def test_an_unchanged_round_trip_after_other_runs_has_no_conflict(
    store_url: str, tmp_path: Path
) -> None:
    imported_sample(store_url)
    first = export_store(store_url, tmp_path / "eerste.xlsx")
    assert import_workbook(first.path, db=store_url, as_of=AS_OF).ok
    out = export_store(store_url, tmp_path / "export.xlsx")
    again = import_workbook(out.path, db=store_url, as_of=AS_OF)
    assert unchanged(again), actions(again)
    assert again.conflicts == 0
    assert again.ok


def test_a_cell_that_is_not_a_stamp_is_reported_and_the_row_imported(
    store_url: str, tmp_path: Path
) -> None:
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    exported = stored_phone(store_url)
    edited = edit(
        out.path,
        tmp_path / "bewerkt.xlsx",
        "Relaties",
        {"Relatienummer": CLIENT},
        {"Exportstempel": "handmatig", "Telefoon": "0501234567"},
    )
    again = import_workbook(edited, db=store_url, as_of=AS_OF)
    assert again.ok
    found = [(i.code, i.sheet, i.row) for i in again.issues if i.code.startswith("export-")]
    assert found == [("export-stamp-unreadable", "Relaties", 2)]
    assert stored_phone(store_url) != exported


def test_the_stamp_column_is_hidden_in_the_exported_workbook(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kantoor.db'}"
    imported_sample(url)
    out = export_store(url, tmp_path / "export.xlsx")
    workbook = openpyxl.load_workbook(out.path)
    for name in ("Relatiegroepen", "Medewerkers", "Relaties", "Contacten", "Producten", "Rollen"):
        rows = workbook[name]
        headers = [c.value for c in rows[1]]
        letter = openpyxl.utils.get_column_letter(headers.index("Exportstempel") + 1)
        assert rows.column_dimensions[letter].hidden, name
        assert rows[f"{letter}2"].value, name  # every exported row has its stamp


def test_the_command_holds_back_a_conflict_and_says_how_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "kantoor.db"
    url = f"sqlite:///{db}"
    imported_sample(url)
    out = export_store(url, tmp_path / "export.xlsx")
    change_store(url, f"UPDATE relations SET phone = '0201234567' WHERE id = {OF_CLIENT}")
    runner = CliRunner()
    args = ["import", str(out.path), "--db", str(db), "--as-of", AS_OF.isoformat()]
    held = runner.invoke(main, args)
    assert held.exit_code == 1, held.output
    assert "--overwrite" in held.output
    assert "conflict" in held.output
    assert stored_phone(url) == "0201234567"
    overwritten = runner.invoke(main, [*args, "--overwrite"])
    assert overwritten.exit_code == 0, overwritten.output
    assert "overschreven" in overwritten.output
    assert stored_phone(url) != "0201234567"


def test_the_csv_export_carries_the_stamps_too(store_url: str, tmp_path: Path) -> None:
    """export --format csv, the store changed, the folder imported: the same conflict."""
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx", format="csv")
    unchanged_import = import_workbook(out.path, db=store_url, as_of=AS_OF)
    assert unchanged(unchanged_import), actions(unchanged_import)
    change_store(store_url, f"UPDATE relations SET phone = '0201234567' WHERE id = {OF_CLIENT}")

    again = import_workbook(out.path, db=store_url, as_of=AS_OF)

    assert [(b, n, v) for b, n, v, *_ in lines(again, HELD_BACK)] == [
        ("Relaties", CLIENT, "Telefoon")
    ]
    assert stored_phone(store_url) == "0201234567"


def test_a_contact_held_back_holds_back_its_person_relation(store_url: str, tmp_path: Path) -> None:
    """The person relation takes its name from its contact: when the contact's change is a
    conflict, the person relation is not renamed either (the store never contradicts itself)."""
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    change_store(
        store_url, "UPDATE contacts SET email = 'ander@voorbeeld.nl' WHERE number = '0101'"
    )
    after_edit = snapshot(store_url)
    renamed = edit(
        out.path,
        tmp_path / "e.xlsx",
        "Contacten",
        {"Contactnummer": CLIENT},
        {"Achternaam": "Anders"},
    )

    again = import_workbook(renamed, db=store_url, as_of=AS_OF)

    assert ("Contacten", CLIENT, "Achternaam") in [
        (b, s, v) for b, s, v, *_ in lines(again, HELD_BACK)
    ]
    assert lines(again, "gewijzigd") == []
    assert snapshot(store_url) == after_edit


def test_overwrite_when_an_organisation_and_its_person_share_a_number(
    store_url: str, tmp_path: Path
) -> None:
    """Two records with one number and field (the organisation 0101 and the person relation of
    contact 0101) changed in one run with --overwrite: each line is matched to its own."""
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    change_store(store_url, f"UPDATE relations SET phone = '0201234567' WHERE id = {OF_CLIENT}")
    both = edit(
        out.path,
        tmp_path / "e1.xlsx",
        "Relaties",
        {"Relatienummer": CLIENT},
        {"Telefoon": "0503119999"},
    )
    both = edit(
        both,
        tmp_path / "e2.xlsx",
        "Contacten",
        {"Contactnummer": CLIENT},
        {"Telefoon": "0612349999"},
    )

    again = import_workbook(both, db=store_url, as_of=AS_OF, overwrite=True)

    assert again.outcome == "completed"
    overwritten = lines(again, OVERWRITTEN)
    assert [(b, n, v) for b, n, v, *_ in overwritten] == [("Relaties", CLIENT, "Telefoon")]
    assert overwritten[0][3] == "0201234567"
    assert stored_phone(store_url) != "0201234567"
