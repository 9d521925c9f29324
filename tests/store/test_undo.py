"""Undo (undo.py, store/undoing.py) on SQLite and PostgreSQL: an import then its undo leaves
every table as it was, a re-import's old values come back typed, later runs make it refuse
unless forced, a planner run's workflows go and its rules move back, dry runs change nothing,
and a run is undone once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kantoor_batch.history import RunNotFoundError, list_runs
from kantoor_batch.importer import import_workbook
from kantoor_batch.planner import run_planner
from kantoor_batch.store.database import Store
from kantoor_batch.undo import (
    AlreadyUndoneError,
    UndoOfUndoError,
    UndoWithoutCopiesError,
    undo_run,
)
from tests.builders import OTHER_VALID_BSN, valid_book
from tests.conftest import AS_OF

LEDGER_TABLES = {"import_runs", "import_changes", "undo_removed_rows", "alembic_version"}
# Integrations have no run columns: an undo leaves them (docs/decisions.md).
NOT_COMPARED = {*LEDGER_TABLES, "integrations"}


def tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the store but the ledger, every column, in id order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with Store(url).reading() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection)
        for name, table in sorted(metadata.tables.items()):
            if name in NOT_COMPARED:
                continue
            rows = connection.execute(sa.select(table).order_by(table.c.id))
            found[name] = [tuple(row) for row in rows]
    return found


def value(url: str, sql: str) -> Any:
    with Store(url).reading() as connection:
        return connection.execute(sa.text(sql)).scalar_one()


def second_book() -> Any:
    """The first client changed (iDEAL on, another group), its owner's birth date given, a
    partner and a second client added."""
    return (
        valid_book()
        .set("Relaties", 0, "SBR iDEAL", "Ja")
        .set("Relaties", 0, "Relatiegroep", "MKB Zuid")
        .set("Contacten", 0, "Geboortedatum", "1970-05-04")
        .add("Relatiegroepen", Naam="MKB Zuid")
        .add(
            "Contacten",
            Relatienummer="0101",
            Soort_contact="Fiscaal partner",
            Voornaam="Els",
            Achternaam="Bakker",
            BSN=OTHER_VALID_BSN,
        )
        .add(
            "Relaties", Relatienummer="0102", Soort="Organisatie", Naam="Visserij", Rechtsvorm="BV"
        )
    )


def test_import_then_undo_leaves_every_table_as_before(store_url: str, tmp_path: Path) -> None:
    """Into an empty store and into one with a first import: compared table by table."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    before = tables(store_url)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    assert tables(store_url) != before
    result = undo_run(2, db=store_url)
    assert result.ok
    assert result.run_id == 3
    assert tables(store_url) == before
    assert result.counts()["Relaties"]["verwijderd"] >= 1
    result = undo_run(1, db=store_url)
    assert all(rows == [] for rows in tables(store_url).values())
    runs = list_runs(store_url)
    assert [(r.id, r.kind) for r in runs] == [
        (1, "import"),
        (2, "import"),
        (3, "undo"),
        (4, "undo"),
    ]
    assert runs[3].undoes_run_id == 1
    assert runs[3].as_dict()["undoes_run"] == 1


def test_a_reimport_undone_gets_its_typed_old_values_back(store_url: str, tmp_path: Path) -> None:
    """A boolean (SBR iDEAL), a date (birth date), a group id and updated_run_id come back."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    assert value(store_url, "SELECT count(*) FROM import_changes WHERE run_id = 2") >= 3
    assert value(store_url, "SELECT ideal FROM sbr_settings WHERE id = 1") in (True, 1)
    result = undo_run(2, db=store_url)
    assert result.restored["sbr_settings"] == 1
    with Store(store_url).reading() as connection:
        ideal, updated = connection.execute(
            sa.text("SELECT ideal, updated_run_id FROM sbr_settings WHERE id = 1")
        ).one()
        group = connection.execute(
            sa.text(
                "SELECT g.name FROM relations r JOIN relation_groups g ON g.id = r.group_id "
                "WHERE r.number = '0101' AND r.kind = 'organisation'"
            )
        ).scalar_one()
        birth = connection.execute(sa.text("SELECT birth_date FROM contacts WHERE id = 1"))
        born = birth.scalar_one()
        undo_changes = connection.execute(
            sa.text("SELECT count(*) FROM import_changes WHERE run_id = 3")
        ).scalar_one()
    assert ideal in (False, 0)
    assert updated is None
    assert group == "MKB Noord"
    assert born is None
    assert undo_changes == value(store_url, "SELECT count(*) FROM import_changes WHERE run_id = 2")


def test_a_later_run_makes_undo_refuse_unless_forced(store_url: str, tmp_path: Path) -> None:
    """Run 2 changes a group; run 3 (the planner) creates workflows under run 2's relation and
    moves its rules. Undo 2 lists them and changes nothing; forced, it removes them too."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    book = second_book().add(
        "Producten",
        Relatienummer="0102",
        Product="Aangifte OB",
        Tijdvak="Kwartaal",
        Vanaf="2026-K1",
    )
    import_workbook(book.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    run_planner(db=store_url, as_of=dt.date(2027, 1, 2))
    before = tables(store_url)
    refused = undo_run(2, db=store_url)
    assert refused.refused
    assert refused.run_id is None
    listed = refused.conflict_table()
    assert set(listed["Run"]) == {3}
    assert set(listed["Tabel"]) >= {"Workflows", "Plannerregels"}
    assert tables(store_url) == before
    assert [r.kind for r in list_runs(store_url)] == ["import", "import", "plan"]
    forced = undo_run(2, db=store_url, force=True)
    assert forced.ok
    assert forced.run_id == 4
    assert value(store_url, "SELECT count(*) FROM relations WHERE number = '0102'") == 0
    assert value(store_url, "SELECT count(*) FROM workflows WHERE created_run_id = 2") == 0


def test_undo_of_a_planner_run(store_url: str, tmp_path: Path) -> None:
    """Its workflows go, first_period and updated_run_id of the rules come back."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    before = tables(store_url)
    planned = run_planner(db=store_url, as_of=dt.date(2027, 1, 2))
    assert len(planned.workflows) > 0
    result = undo_run(2, db=store_url)
    assert result.removed == {"workflows": len(planned.workflows)}
    assert result.restored == {"planner_rules": planned.rules_moved}
    assert tables(store_url) == before
    again = run_planner(db=store_url, as_of=dt.date(2027, 1, 2))  # the periods come back
    assert len(again.workflows) == len(planned.workflows)


def test_a_dry_run_changes_nothing(store_url: str, tmp_path: Path) -> None:
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    before = tables(store_url)
    result = undo_run(1, db=store_url, dry_run=True)
    assert result.ok
    assert result.run_id is None
    assert result.removed["relations"] == 2
    assert tables(store_url) == before
    assert [r.kind for r in list_runs(store_url)] == ["import"]


def test_a_run_is_undone_once(store_url: str, tmp_path: Path) -> None:
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    undo_run(1, db=store_url)
    with pytest.raises(AlreadyUndoneError, match="al ongedaan gemaakt door run 2"):
        undo_run(1, db=store_url)
    with pytest.raises(RunNotFoundError):
        undo_run(9, db=store_url)


def test_an_undo_is_undone_and_every_table_is_as_after_the_run(
    store_url: str, tmp_path: Path
) -> None:
    """Removed rows come back with their ids, restored values are set again (compared table
    by table, every column); the run counts again and can be undone once more."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    before = tables(store_url)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    after = tables(store_url)
    assert undo_run(2, db=store_url).ok  # run 3
    assert tables(store_url) == before

    dry = undo_run(3, db=store_url, dry_run=True)
    assert dry.ok
    assert tables(store_url) == before
    redo = undo_run(3, db=store_url)  # run 4 (PostgreSQL: 5, the dry run took a number)
    assert redo.ok
    assert redo.counts()["Relaties"]["teruggezet"] >= 1
    assert redo.counts()["Relaties"]["hersteld"] >= 1  # iDEAL and group of 0101 again
    assert tables(store_url) == after

    assert redo.run_id is not None
    with pytest.raises(AlreadyUndoneError, match=f"door run {redo.run_id}"):
        undo_run(3, db=store_url)
    with pytest.raises(UndoOfUndoError, match=r"undo 3 ongedaan.*undo 2"):
        undo_run(redo.run_id, db=store_url)
    assert undo_run(2, db=store_url).ok  # the re-import is undone again
    assert tables(store_url) == before


def test_an_undo_is_not_undone_when_its_rows_were_stored_again(
    store_url: str, tmp_path: Path
) -> None:
    """The re-import undone, then imported again: the rows the undo removed cannot come
    back beside their new copies, not even with force."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    undo_run(2, db=store_url)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    now = tables(store_url)
    for force in (False, True):
        result = undo_run(3, db=store_url, force=force)
        assert result.refused
        assert result.blocked
        assert "relations" in set(result.conflicts["table"])
        assert set(result.conflicts["run_id"]) == {4}
        assert tables(store_url) == now


def test_an_undo_that_kept_no_copies_is_not_undone(store_url: str, tmp_path: Path) -> None:
    """An undo from before migration 0004 removed rows without keeping them: refused whole."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    undo_run(1, db=store_url)
    with Store(store_url).reading() as connection:
        connection.execute(sa.text("DELETE FROM undo_removed_rows"))
        connection.commit()
    with pytest.raises(UndoWithoutCopiesError, match="Importeer de werkmap van run 1"):
        undo_run(2, db=store_url)


def test_a_planner_runs_undo_is_undone(store_url: str, tmp_path: Path) -> None:
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    run_planner(db=store_url, as_of=dt.date(2027, 6, 1))
    planned = tables(store_url)
    undo_run(2, db=store_url)
    assert tables(store_url) != planned
    assert undo_run(3, db=store_url).ok
    assert tables(store_url) == planned


def test_an_undone_later_run_no_longer_counts(store_url: str, tmp_path: Path) -> None:
    """Undo the re-import, then the first import: the undone re-import is no conflict."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    assert undo_run(1, db=store_url).refused
    undo_run(2, db=store_url)
    assert undo_run(1, db=store_url).ok
    assert all(rows == [] for rows in tables(store_url).values())


def test_forced_undo_empties_optional_references_of_later_rows(
    store_url: str, tmp_path: Path
) -> None:
    """Run 2 creates group MKB Zuid, run 3 puts a new client in it: undo 2 refuses; forced,
    the group goes and the later client stays, without a group, recorded in the undo's
    changes."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    third = (
        valid_book()
        .add(
            "Relaties",
            Relatienummer="0103",
            Soort="Organisatie",
            Naam="Slagerij",
            Rechtsvorm="BV",
            Relatiegroep="MKB Zuid",
        )
        .add("Relatiegroepen", Naam="MKB Zuid")
    )
    import_workbook(third.write(tmp_path / "c.xlsx"), db=store_url, as_of=AS_OF)
    refused = undo_run(2, db=store_url)
    assert refused.refused
    assert ("relations", "group_id", 3) in {
        (t, f, r)
        for t, f, r in refused.conflicts[["table", "field", "run_id"]].itertuples(
            index=False, name=None
        )
    }
    forced = undo_run(2, db=store_url, force=True)
    assert forced.emptied == 1
    assert value(store_url, "SELECT count(*) FROM relation_groups WHERE name = 'MKB Zuid'") == 0
    assert value(store_url, "SELECT group_id FROM relations WHERE number = '0103'") is None
    assert (
        value(
            store_url, "SELECT count(*) FROM import_changes WHERE run_id = 4 AND field = 'group_id'"
        )
        >= 1
    )


def test_an_undo_is_not_undone_when_a_later_undo_removed_what_its_rows_point_at(
    store_url: str, tmp_path: Path
) -> None:
    """Undo the re-import, then the first import: the re-import's rows cannot come back
    without the relations they belong to. Refused with the reason, nothing changed."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    import_workbook(second_book().write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    first_undo = undo_run(2, db=store_url)
    assert undo_run(1, db=store_url).ok
    now = tables(store_url)
    result = undo_run(int(str(first_undo.run_id)), db=store_url)
    assert result.refused
    assert result.blocked
    assert "verwijst naar een rij die een latere run verwijderde" in set(
        result.conflict_table()["Reden"]
    )
    assert tables(store_url) == now
