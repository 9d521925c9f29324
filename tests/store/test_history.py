"""The history of a store (history.py) on SQLite and on PostgreSQL: the runs of the ledger,
what one run created and changed, personal data masked, an old store read as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from kantoor_batch.history import RunNotFoundError, list_runs, show_run
from kantoor_batch.importer import import_workbook
from kantoor_batch.planner import run_planner
from kantoor_batch.store.database import MIGRATIONS, Store
from tests.builders import VALID_BSN, valid_book
from tests.conftest import AS_OF


def test_the_runs_are_listed_oldest_first_with_their_kind(store_url: str, tmp_path: Path) -> None:
    """An import, a planner run and a re-import: kinds, files, as-of dates, totals."""
    source = valid_book().write(tmp_path / "klanten.xlsx")
    import_workbook(source, db=store_url, as_of=AS_OF)
    run_planner(db=store_url, as_of=dt.date(2027, 1, 2))
    import_workbook(source, db=store_url, as_of=dt.date(2027, 1, 3))
    runs = list_runs(store_url)
    assert [(r.id, r.kind, r.file_name, r.as_of) for r in runs] == [
        (1, "import", "klanten.xlsx", AS_OF),
        (2, "plan", None, dt.date(2027, 1, 2)),
        (3, "import", "klanten.xlsx", dt.date(2027, 1, 3)),
    ]
    assert runs[1].totals() == {"aangemaakt": 2, "bijgewerkt": 2, "overgeslagen": 0}
    assert runs[2].totals()["aangemaakt"] == 0  # the same workbook again: nothing new (R13)
    assert runs[0].short_checksum == (runs[0].sha256 or "")[:12]
    assert all(r.started_at.tzinfo is not None for r in runs)


def test_a_run_shows_the_rows_it_created_per_table(store_url: str, tmp_path: Path) -> None:
    """The import: 2 relations, 1 contact, 2 products, 5 workflows, ...; the planner run: its
    workflows, and the rules it moved on as last updated."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    run_planner(db=store_url, as_of=dt.date(2027, 1, 2))
    first = show_run(1, store_url)
    assert first.created() == {
        "Relatiegroepen": 1,
        "Medewerkers": 1,
        "Contactpersonen": 1,
        "Relaties": 2,
        "Contactkoppelingen": 2,
        "Producten": 2,
        "Workflows": 5,
        "Plannerregels": 2,
        "Rollen": 2,
        "SBR-instellingen": 2,
    }
    plan = show_run(2, store_url)
    assert plan.created() == {"Workflows": 2}
    rows = plan.rows.set_index("Tabel")
    assert rows.at["Plannerregels", "Laatst bijgewerkt"] == 2
    assert list(plan.changes.itertuples(index=False, name=None)) == [
        ("Plannerregels", "0101 Aangifte OB", "Eerste periode", "2027-K1", "2027-K2"),
        ("Plannerregels", "0101 Aangifte IB", "Eerste periode", "2027", "2028"),
    ]


def test_a_reimport_shows_its_changes_with_personal_data_masked(
    store_url: str, tmp_path: Path
) -> None:
    """A BSN given later is shown as ******333, never in full; a group by its name."""
    first = valid_book().set("Contacten", 0, "BSN", None)
    import_workbook(first.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    later = (
        valid_book()
        .add("Relatiegroepen", Naam="MKB Zuid")
        .set("Relaties", 0, "Relatiegroep", "MKB Zuid")
    )
    result = import_workbook(later.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    assert result.ok, [i.code for i in result.issues]
    changes = show_run(2, store_url).changes
    shown = {(v, o, n) for _, _, v, o, n in changes.itertuples(index=False, name=None)}
    assert ("Relatiegroep", "MKB Noord", "MKB Zuid") in shown
    assert ("BSN", "", "******333") in shown
    assert VALID_BSN not in changes.to_string()


def test_an_unknown_run_is_said(store_url: str, tmp_path: Path) -> None:
    """RunNotFoundError names the run."""
    import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    with pytest.raises(RunNotFoundError, match="Run 7"):
        show_run(7, store_url)


def test_a_store_of_the_first_version_is_read_without_upgrading_it(tmp_path: Path) -> None:
    """Reading the history never migrates: an old ledger's runs are imports, no user."""
    store = Store(f"sqlite:///{tmp_path / 'oud.db'}")
    with store.engine.connect() as connection, connection.begin():
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO import_runs (id, file_name, sha256, as_of, started_at, outcome, "
            "all_or_nothing, tool_version) VALUES (1, 'oud.xlsx', 'ab12', '2026-03-31', "
            "'2026-03-31 10:00:00.000000', 'completed', 0, '0.1.0')"
        )
    runs = list_runs(store.url)
    assert [(r.kind, r.file_name, r.user_name) for r in runs] == [("import", "oud.xlsx", None)]
    assert show_run(1, store.url).created() == {}
