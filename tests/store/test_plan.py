"""Workflows with their deadlines, from an import and from the planner run, on SQLite and on
PostgreSQL: idempotent for one date, exactly the periods in between a year later, across a year
boundary on the week calendar, dry runs, the ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.cli import main
from kantoor_batch.errors import StoreUnavailableError
from kantoor_batch.importer import import_workbook
from kantoor_batch.plan_result import PlanResult
from kantoor_batch.planner import run_planner
from kantoor_batch.store.database import Store
from tests.builders import Book, valid_book
from tests.conftest import AS_OF
from tests.store.test_safety import slow_import, wait_for_halfway

D = dt.date
TABLES = ("workflows", "planner_rules", "import_runs", "import_changes")


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with Store(url).reading() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql))]


def count(url: str, table: str) -> int:
    return int(query(url, f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608


def day(value: object) -> dt.date | None:
    """A date as the store gives it back (SQLite: ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def client_book() -> Book:
    """A BV whose boekjaar starts 1 July, with OB per quarter, loonheffingen per four weeks,
    Vpb, and its owner's Aangifte IB (R7)."""
    return (
        valid_book()
        .set("Relaties", 0, "Boekjaar begint", "01-07")
        .add(
            "Producten",
            Relatienummer="0101",
            Product="Loonheffingen",
            Tijdvak="Vier weken",
            Vanaf="2026-P01",
        )
        .add("Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2025/2026")
    )


def imported(store_url: str, tmp_path: Path, as_of: dt.date = AS_OF) -> None:
    source = client_book().write(tmp_path / "klanten.xlsx")
    result = import_workbook(source, db=store_url, as_of=as_of)
    assert result.ok, [i.code for i in result.issues]


def created(result: PlanResult) -> list[tuple[str, str, dt.date | None]]:
    table = result.workflows
    return list(zip(table["Product"], table["Periode"], table["Uiterste datum"], strict=True))


def rules(url: str) -> dict[str, str]:
    return dict(query(url, "SELECT product, first_period FROM planner_rules"))


def test_the_import_stores_the_deadline_of_every_workflow_it_creates(
    store_url: str, tmp_path: Path
) -> None:
    """OB per quarter of 2026: due the last day of the month after each quarter; the owner's
    Aangifte IB 2026 on 1 May 2027; all open."""
    result = import_workbook(valid_book().write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    rows = query(store_url, "SELECT workflow_key, due_date, status FROM workflows ORDER BY 1")
    assert [(k, day(d), s) for k, d, s in rows] == [
        ("Aangifte IB|2026", D(2027, 5, 1), "open"),
        ("Aangifte OB|2026-K1", D(2026, 4, 30), "open"),
        ("Aangifte OB|2026-K2", D(2026, 7, 31), "open"),
        ("Aangifte OB|2026-K3", D(2026, 10, 31), "open"),
        ("Aangifte OB|2026-K4", D(2027, 1, 31), "open"),
    ]
    table = result.tables["workflows"]
    shown = dict(zip(table["Workflow"], table["Uiterste datum"], strict=True))
    assert shown["Aangifte OB 2026-K4"] == D(2027, 1, 31)
    assert shown["Aangifte IB 2026"] == D(2027, 5, 1)


def test_planning_twice_for_one_date_creates_nothing_the_second_time(
    store_url: str, tmp_path: Path
) -> None:
    """The first run creates the periods started since the import; the second finds none."""
    imported(store_url, tmp_path)
    first = run_planner(db=store_url, as_of=D(2027, 2, 15))
    assert first.created > 0
    workflows, moved = count(store_url, "workflows"), rules(store_url)
    second = run_planner(db=store_url, as_of=D(2027, 2, 15))
    assert (second.created, second.rules_moved, second.ok) == (0, 0, True)
    assert count(store_url, "workflows") == workflows
    assert rules(store_url) == moved


def test_planning_on_the_import_date_creates_nothing(store_url: str, tmp_path: Path) -> None:
    """The import made every started period's workflow already; the rules point past them."""
    imported(store_url, tmp_path)
    result = run_planner(db=store_url, as_of=AS_OF)
    assert (result.created, result.rules_moved) == (0, 0)


def test_a_year_later_the_planner_creates_exactly_the_periods_in_between(
    store_url: str, tmp_path: Path
) -> None:
    """Four quarters of OB, thirteen four-week periods, one IB year, one broken Vpb year."""
    imported(store_url, tmp_path)  # 29-11-2026
    result = run_planner(db=store_url, as_of=D(2027, 11, 29))
    assert result.per_product() == {
        "Aangifte IB": 1,
        "Aangifte OB": 4,
        "Aangifte Vpb": 1,
        "Loonheffingen": 13,
    }
    periods = {(product, period) for product, period, _ in created(result)}
    assert {p for product, p in periods if product == "Loonheffingen"} == {
        "2026-P13",
        *(f"2027-P{n:02d}" for n in range(1, 13)),
    }
    assert {p for product, p in periods if product == "Aangifte OB"} == {
        "2027-K1",
        "2027-K2",
        "2027-K3",
        "2027-K4",
    }
    assert ("Aangifte Vpb", "2027/2028") in periods  # started 01-07-2027
    assert ("Aangifte IB", "2027") in periods
    assert rules(store_url) == {
        "Aangifte OB": "2028-K1",
        "Loonheffingen": "2027-P13",
        "Aangifte Vpb": "2028/2029",
        "Aangifte IB": "2028",
    }
    pairs = query(store_url, "SELECT relation_id, workflow_key FROM workflows")
    assert len(set(pairs)) == len(pairs) == count(store_url, "workflows")  # nothing twice


def test_across_the_year_end_the_planner_follows_the_week_calendar(
    store_url: str, tmp_path: Path
) -> None:
    """New Year's Eve brings 2026-P13; 2 January brings 2027-P01, OB 2027-K1 and IB 2027,
    each with its deadline."""
    imported(store_url, tmp_path)
    december = run_planner(db=store_url, as_of=D(2026, 12, 31))
    assert created(december) == [("Loonheffingen", "2026-P13", D(2027, 1, 31))]
    january = run_planner(db=store_url, as_of=D(2027, 1, 2))
    assert sorted(created(january)) == [
        ("Aangifte IB", "2027", D(2028, 5, 1)),
        ("Aangifte OB", "2027-K1", D(2027, 4, 30)),
        ("Loonheffingen", "2027-P01", D(2027, 2, 28)),  # 01-01..31-01-2027
    ]
    table = january.workflows.set_index("Periode")
    assert (table.at["2027-P01", "Van"], table.at["2027-P01", "Tot"]) == (
        D(2027, 1, 1),
        D(2027, 1, 31),
    )


def test_the_catalogues_four_week_calendar_decides_the_periods(
    store_url: str, tmp_path: Path
) -> None:
    """An office whose 2027 period 2 starts on 25 January gets it by 26 January."""
    imported(store_url, tmp_path)
    mondays = [D(2027, 1, 25) + dt.timedelta(weeks=4 * n) for n in range(12)]
    catalogues = Catalogues(four_week_calendar={2027: (D(2027, 1, 1), *mondays)})
    result = run_planner(db=store_url, as_of=D(2027, 1, 26), catalogues=catalogues)
    labels = [p for product, p, _ in created(result) if product == "Loonheffingen"]
    assert labels == ["2026-P13", "2027-P01", "2027-P02"]
    default = run_planner(db=store_url, as_of=D(2027, 1, 26), dry_run=True)
    assert default.created == 0  # P02 of the built-in calendar starts on 1 February


def test_the_planner_stores_who_each_workflow_belongs_to(store_url: str, tmp_path: Path) -> None:
    """Relation, name, dates, Uiterste datum, status open, and the run that created it."""
    imported(store_url, tmp_path)
    result = run_planner(db=store_url, as_of=D(2026, 12, 1))
    rows = query(
        store_url,
        """SELECT r.number, r.kind, w.name, w.product, w.period, w.period_start, w.period_end,
        w.due_date, w.status, w.created_run_id
        FROM workflows w JOIN relations r ON r.id = w.relation_id
        WHERE w.created_run_id <> 1""",
    )
    assert [(*row[:5], *map(day, row[5:8]), *row[8:]) for row in rows] == [
        (
            "0101",
            "organisation",
            "Loonheffingen 2026-P13",
            "Loonheffingen",
            "2026-P13",
            D(2026, 11, 30),
            D(2026, 12, 31),
            D(2027, 1, 31),
            "open",
            result.run_id,
        )
    ]
    assert result.workflows.iloc[0]["Naam"] == "Bakkerij De Korenaar B.V."


def test_a_dry_run_stores_nothing(store_url: str, tmp_path: Path) -> None:
    """Same answer as a real run, but no workflow, rule, ledger row or change is kept."""
    imported(store_url, tmp_path)
    before = {t: count(store_url, t) for t in TABLES}
    dry = run_planner(db=store_url, as_of=D(2027, 11, 29), dry_run=True)
    assert (dry.created, dry.run_id) == (19, None)
    assert {t: count(store_url, t) for t in TABLES} == before
    real = run_planner(db=store_url, as_of=D(2027, 11, 29))
    assert created(real) == created(dry)


def test_the_ledger_records_the_planner_run_with_its_counts(store_url: str, tmp_path: Path) -> None:
    """A row of kind plan, no file, its as-of date and counts; each moved rule's old and new
    first period in import_changes."""
    imported(store_url, tmp_path)
    result = run_planner(db=store_url, as_of=D(2027, 1, 2))
    runs = query(store_url, "SELECT kind, file_name, sha256, as_of, outcome FROM import_runs")
    assert [(k, f, s, day(a), o) for k, f, s, a, o in runs] == [
        ("import", "klanten.xlsx", runs[0][2], AS_OF, "completed"),
        ("plan", None, None, D(2027, 1, 2), "completed"),
    ]
    assert result.counts()["Workflows"]["aangemaakt"] == 4
    assert result.counts()["Plannerregels"] == {
        "aangemaakt": 0,
        "bijgewerkt": 3,  # OB, loonheffingen, IB; Vpb's next year starts in July
        "ongewijzigd": 1,
        "overgeslagen": 0,
    }
    changes = query(
        store_url,
        "SELECT entity, entity_key, field, old_value, new_value FROM import_changes "
        "ORDER BY entity_key",
    )
    assert changes == [
        ("planner_rule", "0101 Aangifte IB", "first_period", "2027", "2028"),
        ("planner_rule", "0101 Aangifte OB", "first_period", "2027-K1", "2027-K2"),
        ("planner_rule", "0101 Loonheffingen", "first_period", "2026-P13", "2027-P02"),
    ]


def test_a_workflow_that_exists_is_never_made_twice(store_url: str, tmp_path: Path) -> None:
    """A rule moved back by hand finds the workflows it would make: it skips them and moves."""
    imported(store_url, tmp_path)
    with Store(store_url).engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE planner_rules SET first_period = '2026-K1' WHERE product = :p"),
            {"p": "Aangifte OB"},
        )
    before = count(store_url, "workflows")
    result = run_planner(db=store_url, as_of=AS_OF)
    assert (result.created, result.rules_moved) == (0, 1)
    assert count(store_url, "workflows") == before
    assert rules(store_url)["Aangifte OB"] == "2027-K1"


def test_a_rule_whose_first_period_no_longer_fits_is_left_alone_and_said(
    store_url: str, tmp_path: Path
) -> None:
    """Boekjaar begint changed in the package: the Vpb rule's '2027/2028' names no period of
    a calendar financial year; the others go on, the outcome is partial."""
    imported(store_url, tmp_path)
    with Store(store_url).engine.begin() as connection:
        connection.execute(sa.text("UPDATE relations SET financial_year_start = '01-01'"))
    result = run_planner(db=store_url, as_of=D(2027, 11, 29))
    assert result.outcome == "partial"
    skipped = result.skipped_rules
    assert list(skipped["Product"]) == ["Aangifte Vpb"]
    assert "2027/2028" in skipped.iloc[0]["Reden"]
    assert rules(store_url)["Aangifte Vpb"] == "2027/2028"
    assert result.per_product()["Aangifte OB"] == 4


def test_the_planner_never_creates_a_store(tmp_path: Path) -> None:
    """A mistyped --db is said, and no empty SQLite file appears."""
    path = tmp_path / "typo.db"
    with pytest.raises(StoreUnavailableError, match="bestaat niet"):
        run_planner(db=str(path), as_of=AS_OF)
    assert not path.exists()


def test_a_planner_run_waits_for_an_import_that_holds_the_store(
    store_url: str, tmp_path: Path
) -> None:
    """Started while an import is halfway, the run waits, then plans the import's rules."""
    importing = slow_import(2, valid_book().write(tmp_path / "a.xlsx"), store_url, tmp_path)
    wait_for_halfway(importing)
    result = run_planner(db=store_url, as_of=D(2027, 1, 2))
    output = importing.communicate(timeout=120)[0]
    assert importing.returncode == 0, output
    assert result.per_product() == {"Aangifte IB": 1, "Aangifte OB": 1}
    kinds = query(store_url, "SELECT kind FROM import_runs ORDER BY id")
    assert kinds == [("import",), ("plan",)]


def test_a_planner_run_stops_when_the_store_stays_busy_longer_than_it_waits(
    store_url: str, tmp_path: Path
) -> None:
    """`plan --wait 0.5` while an import holds the store: it says it waits, then exit 3 and
    nothing stored; the import goes on."""
    importing = slow_import(4, valid_book().write(tmp_path / "a.xlsx"), store_url, tmp_path)
    wait_for_halfway(importing)
    result = CliRunner().invoke(
        main, ["plan", "--db", store_url, "--as-of", "2027-01-02", "--wait", "0.5"]
    )
    output = importing.communicate(timeout=120)[0]
    assert importing.returncode == 0, output
    assert result.exit_code == 3, result.output
    assert "wachten (hoogstens 0.5 s)" in result.output
    assert "bezet" in result.output
    assert query(store_url, "SELECT kind FROM import_runs") == [("import",)]
