"""kantoor-batch export (issue 10): the store back out as an onboarding workbook, and the round
trip: importing the exported file unchanged changes nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from kantoor_batch import export_store, import_workbook
from kantoor_batch.cli import main
from kantoor_batch.errors import StoreBusyError
from kantoor_batch.store.database import IMPORT_LOCK_KEY, LOCK_KEY_SQL, Store
from tests.conftest import AS_OF
from tests.store.test_import import SAMPLE, actions, count, query
from tests.store.test_reimport import snapshot


def unchanged(result: Any) -> bool:
    return all(set(c) <= {"ongewijzigd"} for c in actions(result).values())


def imported_sample(url: str) -> None:
    first = import_workbook(SAMPLE, db=url, as_of=AS_OF)
    assert first.ok


def reimport(path: Path, url: str, as_of: dt.date = AS_OF) -> Any:
    result = import_workbook(path, db=url, as_of=as_of)
    assert result.ok, [(i.sheet, i.row, i.code) for i in result.issues if i.is_error]
    return result


def sheet(path: Path, name: str) -> list[dict[str, Any]]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    headers = [str(h).rstrip("*") for h in rows[0]]
    return [dict(zip(headers, r, strict=True)) for r in rows[1:]]


def test_the_exported_sample_imports_back_without_a_change(store_url: str, tmp_path: Path) -> None:
    imported_sample(store_url)
    before = snapshot(store_url)
    changes = count(store_url, "import_changes")
    out = export_store(store_url, tmp_path / "export.xlsx")
    assert out.rows["relations"] == 27  # the sheet's relations; derived persons come as contacts
    again = reimport(out.path, store_url)
    assert unchanged(again), actions(again)
    assert again.changes.empty
    assert snapshot(store_url) == before
    assert count(store_url, "import_changes") == changes
    # ... and a year later too: nothing is derived again over what is stored.
    later = reimport(out.path, store_url, as_of=dt.date(2027, 11, 29))
    assert not any(c.get("bijgewerkt") for c in actions(later).values()), actions(later)


def test_the_workbook_keeps_zeros_dates_and_empty_cells(store_url: str, tmp_path: Path) -> None:
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    relations = sheet(out.path, "Relaties")
    first = relations[0]
    assert first["Relatienummer"] == "0101"
    assert first["KvK-nummer"] == "01234567"
    assert first["Toevoeging"] is None
    assert {r["Boekjaar begint"] for r in relations} >= {"01-01", "01-07"}
    contacts = sheet(out.path, "Contacten")
    assert all(isinstance(c["Geboortedatum"], dt.datetime) for c in contacts if c["Geboortedatum"])
    # The derived person relations are contacts with Relatie aanmaken = Ja, not Relaties rows.
    persons = query(store_url, "SELECT count(*) FROM relations WHERE derived_from_contact_id > 0")
    assert sum(c["Relatie aanmaken"] == "Ja" for c in contacts) >= persons[0][0]
    assert not {c["Soort contact"] for c in contacts} & {"Zelf"}
    workbook = openpyxl.load_workbook(out.path)
    assert "Instructies" in workbook.sheetnames
    assert workbook["Relaties"].data_validations.dataValidation  # the dropdowns


def test_what_the_package_changed_after_the_import_survives_the_round_trip(
    store_url: str, tmp_path: Path
) -> None:
    """A derived person without IB, an IB moved to another year, a corrected e-mail and an
    inherited role given to someone else: exported and imported back, all stays as stored."""
    imported_sample(store_url)
    with Store(store_url).reading() as connection:
        persons = connection.execute(
            sa.text(
                "SELECT r.id FROM relations r JOIN products p ON p.relation_id = r.id "
                "WHERE r.derived_from_contact_id IS NOT NULL AND p.product = 'Aangifte IB' "
                "ORDER BY r.id"
            )
        ).all()
        without, moved = persons[0][0], persons[1][0]
        for table in ("workflows", "planner_rules", "products"):
            connection.execute(
                sa.text(f"DELETE FROM {table} WHERE relation_id = :id"),  # noqa: S608
                {"id": without},
            )
        connection.execute(
            sa.text("UPDATE products SET start_period = '2024' WHERE relation_id = :id"),
            {"id": moved},
        )
        connection.execute(sa.text("UPDATE contacts SET email = 'eigen@prive.nl' WHERE id = 2"))
        connection.execute(
            sa.text(
                "UPDATE role_assignments SET employee_id = "
                "(SELECT max(id) FROM employees) WHERE relation_id = :id"
            ),
            {"id": moved},
        )
        connection.commit()
    before = snapshot(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    again = reimport(out.path, store_url)
    assert unchanged(again), actions(again)
    assert snapshot(store_url) == before


def test_three_cells_changed_in_the_export_change_exactly_those_three(
    store_url: str, tmp_path: Path
) -> None:
    imported_sample(store_url)
    out = export_store(store_url, tmp_path / "export.xlsx")
    workbook = openpyxl.load_workbook(out.path)
    workbook["Relaties"]["L2"] = "nieuw@korenaar.nl"  # E-mail of 0101
    workbook["Contacten"]["E2"] = "Johannes"  # Voornaam of contact 0101
    workbook["Producten"]["E2"] = "Nee"  # SBR of the first product
    edited = tmp_path / "bewerkt.xlsx"
    workbook.save(edited)
    again = reimport(edited, store_url)
    changes = again.changes
    changed = sorted(zip(changes["Blad"], changes["Veld"], changes["Nieuw"], strict=True))
    assert changed == [
        ("Contacten", "Voornaam", "Johannes"),
        ("Producten", "SBR", "Nee"),
        ("Relaties", "E-mail", "nieuw@korenaar.nl"),
        ("Relaties", "Naam", "Johannes Rijn"),  # his person relation follows (R5)
    ], again.changes.to_string()


def test_a_selection_exports_those_clients_and_round_trips(store_url: str, tmp_path: Path) -> None:
    imported_sample(store_url)
    before = snapshot(store_url)
    out = export_store(store_url, tmp_path / "keuze.xlsx", relations=["0102", "0103"])
    assert [r["Relatienummer"] for r in sheet(out.path, "Relaties")] == ["0102", "0103"]
    assert {c["Relatienummer"] for c in sheet(out.path, "Contacten")} == {"0102", "0103"}
    groups = sheet(out.path, "Relatiegroepen")
    assert [g["Naam"] for g in groups] == ["MKB Noord"]
    again = reimport(out.path, store_url)
    assert unchanged(again), actions(again)
    assert snapshot(store_url) == before


def test_selection_by_group_and_employee(store_url: str, tmp_path: Path) -> None:
    imported_sample(store_url)
    by_group = export_store(store_url, tmp_path / "groep.xlsx", groups=["mkb noord"])
    in_group = query(
        store_url,
        "SELECT count(*) FROM relations r JOIN relation_groups g ON g.id = r.group_id "
        "WHERE g.name = 'MKB Noord' AND r.derived_from_contact_id IS NULL",
    )[0][0]
    assert by_group.rows["relations"] == in_group
    code = query(store_url, "SELECT code FROM employees ORDER BY id")[0][0]
    by_employee = export_store(store_url, tmp_path / "mw.xlsx", employees=[code])
    assert 0 < by_employee.rows["relations"] < 27
    assert all(r["Medewerker"] for r in sheet(by_employee.path, "Rollen"))


def test_csv_is_one_file_per_sheet_as_dutch_excel_opens_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kantoor.db'}"
    imported_sample(url)
    out = export_store(url, tmp_path / "export.csv", format="csv")
    assert out.path == tmp_path / "export"
    names = sorted(p.name for p in out.path.iterdir())
    assert names == sorted(
        f"{n}.csv"
        for n in ("Relatiegroepen", "Medewerkers", "Relaties", "Contacten", "Producten", "Rollen")
    )
    raw = (out.path / "Relaties.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfRelatienummer;Soort;Naam;")
    with (out.path / "Contacten.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows[0]["Relatienummer"] == "0101"
    assert rows[0]["Geboortedatum"] == "01-01-1960"
    assert len(rows) == 43


def test_the_command_writes_the_workbook_and_never_creates_a_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kantoor.db'}"
    imported_sample(url)
    runner = CliRunner()
    target = tmp_path / "uit.xlsx"
    done = runner.invoke(
        main, ["export", "--db", url, "-o", str(target), "--relaties", "0101,9999"]
    )
    assert done.exit_code == 0, done.output
    assert "Relaties 1," in done.output
    assert "geen relatie op het blad Relaties met nummer 9999" in done.output
    assert target.exists()
    missing = tmp_path / "typo.db"
    refused = runner.invoke(main, ["export", "--db", str(missing), "-o", str(tmp_path / "x.xlsx")])
    assert refused.exit_code == 3
    assert not missing.exists()
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("option", ["--format", "--relaties"])
def test_the_command_needs_an_output(option: str) -> None:
    done = CliRunner().invoke(main, ["export", option, "csv"])
    assert done.exit_code == 2


def test_chunks_of_a_few_relations_give_the_same_workbook(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export reads and writes CHUNK relations at a time; where the chunks end changes
    nothing in what is written, also for a contact linked to relations of two chunks."""
    imported_sample(store_url)
    whole = export_store(store_url, tmp_path / "heel.xlsx")
    monkeypatch.setattr("kantoor_batch.export.store_workbook.CHUNK", 4)
    chunked = export_store(store_url, tmp_path / "stukjes.xlsx")
    assert chunked.rows == whole.rows
    for name in ("Relatiegroepen", "Medewerkers", "Relaties", "Contacten", "Producten", "Rollen"):
        assert sheet(chunked.path, name) == sheet(whole.path, name), name
    before = snapshot(store_url)
    again = reimport(chunked.path, store_url)
    assert unchanged(again), actions(again)
    assert snapshot(store_url) == before


def test_an_export_waits_for_a_run_that_holds_the_store(store_url: str, tmp_path: Path) -> None:
    """Export, import, plan and undo never interleave: another session holds the store's
    write lock, so the export says it waits and stops after --wait, writing nothing."""
    imported_sample(store_url)
    store = Store(store_url, wait=1)
    told: list[str] = []
    target = tmp_path / "export.xlsx"
    with ExitStack() as stack:
        if store.sqlite_path is not None:
            holder = sqlite3.connect(store.sqlite_path, isolation_level=None)
            stack.callback(holder.close)
            holder.execute("BEGIN IMMEDIATE")
            stack.callback(holder.rollback)
        else:
            session = stack.enter_context(store.engine.connect())
            lock = {"key": IMPORT_LOCK_KEY}
            session.execute(sa.text(f"SELECT pg_advisory_lock({LOCK_KEY_SQL})"), lock)
            stack.callback(
                session.execute, sa.text(f"SELECT pg_advisory_unlock({LOCK_KEY_SQL})"), lock
            )
        with pytest.raises(StoreBusyError):
            export_store(store_url, target, wait=1, on_wait=lambda: told.append("wacht"))
    assert told == ["wacht"]
    assert not target.exists()
