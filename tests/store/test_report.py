"""kantoor-batch report on SQLite and PostgreSQL: every readiness finding planted and found, a
clean client without any, the deadlines overdue first, the JSON equal to the library's
figures, and a workbook that opens with its sheets, charts and print set-up."""

# ruff: noqa: S608 - the planted statements are the test's own SQL

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.cli import main
from kantoor_batch.errors import ConfigError, StoreUnavailableError, WrongUseError
from kantoor_batch.export.report_workbook import SHEETS, write_report_workbook
from kantoor_batch.importer import import_workbook
from kantoor_batch.report import (
    COPIED_BSN,
    MISSING_BSN,
    MISSING_RSIN,
    NO_INCOME_TAX,
    NO_OWNER_RELATION,
    NO_PLANNER_RULE,
    NO_RELATIONSHIP_MANAGER,
    SBR_LATE,
    SBR_OFF,
    UNPLANNED_PERIODS,
    build_report,
    records,
)
from kantoor_batch.store.database import Store
from tests.builders import VALID_BSN, valid_book
from tests.conftest import AS_OF

D = dt.date
ORG = "(SELECT id FROM relations WHERE kind = 'organisation')"
PERSON = "(SELECT id FROM relations WHERE kind = 'person')"


def clean_client(store_url: str, tmp_path: Path) -> None:
    """A BV with OB and a Relatiebeheerder; its owner's person relation with BSN and
    Aangifte IB takes over the role: nothing stands in the way of filing."""
    book = valid_book().set("Rollen", 0, "Rol", "Relatiebeheerder")
    result = import_workbook(book.write(tmp_path / "schoon.xlsx"), db=store_url, as_of=AS_OF)
    assert result.ok, [i.code for i in result.issues]


def execute(url: str, *statements: str) -> None:
    with Store(url).engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))


def findings(url: str, as_of: dt.date = AS_OF) -> set[tuple[str, str, str]]:
    table = build_report(url, as_of=as_of).readiness
    return set(zip(table["Relatienummer"], table["Soort"], table["Code"], strict=True))


def test_a_clean_client_has_no_findings(store_url: str, tmp_path: Path) -> None:
    clean_client(store_url, tmp_path)
    assert findings(store_url) == set()


PLANTED = {
    MISSING_BSN: ([f"UPDATE relations SET fiscal_number = NULL WHERE id = {PERSON}"], "Persoon"),
    MISSING_RSIN: (
        [
            f"UPDATE relations SET fiscal_number = NULL WHERE id = {ORG}",
            "INSERT INTO products (relation_id, product, period_type, start_period, sbr, "
            f"created_run_id) VALUES ({ORG}, 'Aangifte Vpb', 'Boekjaar', '2026', true, 1)",
            "INSERT INTO planner_rules (relation_id, product, period_type, first_period, "
            f"created_run_id) VALUES ({ORG}, 'Aangifte Vpb', 'Boekjaar', '2027', 1)",
        ],
        "Organisatie",
    ),
    SBR_OFF: (
        [f"UPDATE sbr_settings SET enabled = false WHERE relation_id = {ORG}"],
        "Organisatie",
    ),
    SBR_LATE: (
        [f"UPDATE sbr_settings SET start_date = '2026-01-01' WHERE relation_id = {PERSON}"],
        "Persoon",
    ),
    NO_INCOME_TAX: (
        [
            f"DELETE FROM products WHERE relation_id = {PERSON}",
            f"DELETE FROM planner_rules WHERE relation_id = {PERSON}",
        ],
        "Persoon",
    ),
    NO_OWNER_RELATION: (
        [
            f"UPDATE relations SET legal_form = 'VOF' WHERE id = {ORG}",
            f"UPDATE relations SET derived_from_contact_id = NULL WHERE id = {PERSON}",
        ],
        "Organisatie",
    ),
    NO_RELATIONSHIP_MANAGER: (
        [f"DELETE FROM role_assignments WHERE relation_id = {ORG}"],
        "Organisatie",
    ),
    UNPLANNED_PERIODS: (
        # The planner has not moved the OB rule on since 2026-K3: K4 has a workflow, but
        # a workflow of K3 removed by hand is not made again; the rule says 2026-K3.
        [
            f"UPDATE planner_rules SET first_period = '2026-K3' WHERE relation_id = {ORG}",
            "DELETE FROM workflows WHERE workflow_key = 'Aangifte OB|2026-K3'",
        ],
        "Organisatie",
    ),
    NO_PLANNER_RULE: ([f"DELETE FROM planner_rules WHERE relation_id = {ORG}"], "Organisatie"),
}


@pytest.mark.parametrize("code", list(PLANTED))
def test_each_planted_gap_is_found_on_its_client(store_url: str, tmp_path: Path, code: str) -> None:
    clean_client(store_url, tmp_path)
    statements, kind = PLANTED[code]
    execute(store_url, *statements)
    found = findings(store_url)
    assert ("0101", kind, code) in found
    assert {c for _n, _k, c in found} == {code}  # nothing else is reported


def test_started_periods_the_planner_has_not_made_are_found_with_their_names(
    store_url: str, tmp_path: Path
) -> None:
    """Three months on, OB 2027-K1 has started and the planner has not run."""
    clean_client(store_url, tmp_path)
    table = build_report(store_url, as_of=D(2027, 2, 1)).readiness
    assert list(table["Code"]) == [UNPLANNED_PERIODS, UNPLANNED_PERIODS]
    todo = dict(zip(table["Soort"], table["Wat te doen"], strict=True))
    assert "Aangifte OB 2027-K1" in todo["Organisatie"]
    assert "Aangifte IB 2027" in todo["Persoon"]


def test_deadlines_are_open_workflows_overdue_first(store_url: str, tmp_path: Path) -> None:
    clean_client(store_url, tmp_path)
    execute(store_url, "UPDATE workflows SET status = 'gereed' WHERE period = '2026-K2'")
    table = build_report(store_url, as_of=AS_OF).deadlines
    rows = list(zip(table["Periode"], table["Uiterste datum"], table["Dagen te laat"], strict=True))
    assert [(p, d, None if pd_na(n) else int(n)) for p, d, n in rows] == [
        ("2026-K1", D(2026, 4, 30), 213),
        ("2026-K3", D(2026, 10, 31), 29),
        ("2026-K4", D(2027, 1, 31), None),
        ("2026", D(2027, 5, 1), None),
    ]


def pd_na(value: object) -> bool:
    return value is None or str(value) == "<NA>"


def test_the_overview_counts_in_the_store(store_url: str, tmp_path: Path) -> None:
    clean_client(store_url, tmp_path)
    report = build_report(store_url, as_of=AS_OF)
    assert records(report.clients_by_kind) == [
        {"Soort": "Organisatie", "Relaties": 1},
        {"Soort": "Persoon", "Relaties": 1},
    ]
    assert records(report.clients_by_group) == [{"Relatiegroep": "MKB Noord", "Relaties": 2}]
    months = dict(
        zip(report.workflows_by_month["Maand"], report.workflows_by_month.iloc[:, 1], strict=True)
    )
    assert (months["Verlopen"], months["2027-01"], months["2027-05"]) == (3, 1, 1)
    assert len(months) == 13
    assert report.latest_runs["Soort"].tolist() == ["import"]
    assert records(report.portfolio) == [
        {
            "Medewerker": "JDV",
            "Naam": "Jan de Vries",
            "Rol": "Relatiebeheerder",
            "Relaties": 2,
            "Producten": 2,
            "Open workflows": 5,
            "Verlopen": 3,
        }
    ]


def test_the_report_narrows_to_an_employee_or_a_group(store_url: str, tmp_path: Path) -> None:
    clean_client(store_url, tmp_path)
    execute(store_url, f"UPDATE relations SET group_id = NULL WHERE id = {PERSON}")
    assert len(build_report(store_url, as_of=AS_OF, group="mkb noord").deadlines) == 4
    assert len(build_report(store_url, as_of=AS_OF, employee="jdv").deadlines) == 5
    with pytest.raises(WrongUseError):
        build_report(store_url, as_of=AS_OF, employee="XYZ")


def test_ib_progress_counts_done_workflows_against_the_targets(
    store_url: str, tmp_path: Path
) -> None:
    clean_client(store_url, tmp_path)
    runner = CliRunner()
    done = runner.invoke(
        main, ["workflows", "done", "--db", store_url, "0101", "Aangifte IB", "2026"]
    )
    assert done.exit_code == 0, done.output
    report = build_report(store_url, as_of=D(2027, 9, 15), ib_year=2026)
    assert report.ib_total == 1
    progress = report.ib_progress.set_index("Maand")
    now = f"{dt.datetime.now(dt.UTC):%Y-%m}"
    assert progress.loc["2027-08", "Doel (%)"] == 30
    assert progress.loc["2028-04", "Doel (%)"] == 100
    assert progress.loc["2027-09", "Aandeel gereed (%)"] == (100 if now <= "2027-09" else 0)
    assert pd_na(progress.loc["2027-10", "Gereed"])  # after the as-of date


def test_json_equals_the_library_result(store_url: str, tmp_path: Path) -> None:
    clean_client(store_url, tmp_path)
    result = CliRunner().invoke(
        main, ["report", "--db", store_url, "--as-of", "2026-11-29", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    report = build_report(store_url, as_of=AS_OF)
    for name, table in report.tables().items():
        assert data[name] == json.loads(json.dumps(records(table), default=str)), name
    assert data["as_of"] == "2026-11-29"


def test_the_workbook_opens_with_sheets_charts_and_print_setup(
    store_url: str, tmp_path: Path
) -> None:
    clean_client(store_url, tmp_path)
    execute(store_url, "UPDATE relations SET name = '=SOM(A1:A2)' WHERE kind = 'person'")
    path = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(
        main, ["report", "--db", store_url, "--as-of", "2026-11-29", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert tuple(book.sheetnames) == SHEETS
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        # One page wide (1 is the default, which XlsxWriter leaves out), any number long.
        assert sheet.page_setup.fitToWidth in {None, 1}
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows
        assert "&P" in sheet.oddFooter.center.text
        assert sheet.freeze_panes
    for name in ("Portefeuille", "Deadlines", "Gereedheid", "IB-voortgang"):
        assert book[name].auto_filter.ref
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        text = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    assert len(charts) >= 7  # five on Overzicht, workload, IB progress
    assert VALID_BSN.encode() not in text
    names = [c.value for row in book["Deadlines"].iter_rows() for c in row]
    assert "=SOM(A1:A2)" in names  # text, never a formula
    assert book["Deadlines"]["B9"].data_type != "f"


def test_report_never_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(StoreUnavailableError):
        build_report(str(missing))
    assert not missing.exists()
    result = CliRunner().invoke(main, ["report", "--db", str(missing), "--json"])
    assert result.exit_code == 3
    assert not missing.exists()


def test_report_wants_a_workbook_or_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2


def test_the_workbook_of_an_empty_report_is_written(tmp_path: Path) -> None:
    """A store without any client: every table empty, still a workbook with its sheets."""
    url = f"sqlite:///{tmp_path / 'leeg.db'}"
    with Store(url).transaction():
        pass
    path = write_report_workbook(build_report(url, as_of=AS_OF), tmp_path / "leeg.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == list(SHEETS)


def test_workflows_done_from_a_file_marks_them_in_one_run(store_url: str, tmp_path: Path) -> None:
    clean_client(store_url, tmp_path)
    done = tmp_path / "gereed.csv"
    done.write_text(
        "Relatienummer;Product;Periode\n0101;Aangifte OB;2026-K1\n0101;Aangifte OB;2026-K2\n"
        "0101;Aangifte OB;2031-K1\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(
        main, ["workflows", "done", "--db", store_url, "--file", str(done), "--json"]
    )
    assert result.exit_code == 1, (result.output, result.exception)  # one does not exist
    data = json.loads(result.stdout)  # stderr may say it waits for another run
    assert (data["marked"], data["already_done"]) == (2, 0)
    assert data["not_found"] == [
        {"Relatienummer": "0101", "Product": "Aangifte OB", "Periode": "2031-K1"}
    ]
    again = runner.invoke(
        main, ["workflows", "done", "--db", store_url, "0101", "Aangifte OB", "2026-K1"]
    )
    assert again.exit_code == 0, again.output
    assert "0 workflows op gereed gezet, 1 waren al gereed" in again.output
    with Store(store_url).reading() as connection:
        changes = connection.execute(
            sa.text(
                "SELECT entity_key, old_value, new_value FROM import_changes "
                "WHERE field = 'status' ORDER BY entity_key"
            )
        ).all()
    assert [tuple(c) for c in changes] == [
        ("0101 Aangifte OB|2026-K1", "open", "gereed"),
        ("0101 Aangifte OB|2026-K2", "open", "gereed"),
    ]
    assert len(build_report(store_url, as_of=AS_OF).deadlines) == 3


def test_workflows_done_wants_three_values_per_workflow(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["workflows", "done", "--db", str(tmp_path / "x.db"), "0101", "Aangifte IB"]
    )
    assert result.exit_code == 2


def test_the_deadlines_sheet_stops_at_its_limit_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'kantoor.db'}"
    clean_client(url, tmp_path)
    monkeypatch.setattr("kantoor_batch.export.report_workbook.DEADLINE_ROWS", 2)
    report = build_report(url, as_of=AS_OF)
    path = write_report_workbook(report, tmp_path / "rapport.xlsx")
    sheet = openpyxl.load_workbook(path)["Deadlines"]
    assert "de eerste 2 van 5" in str(sheet["A3"].value)
    assert [c.value for c in sheet["C"]][4:] == ["Aangifte OB", "Aangifte OB"]
    assert len(report.deadlines) == 5  # the library and --json keep every one


def test_the_ib_targets_come_from_the_catalogue_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kantoor.db'}"
    clean_client(url, tmp_path)
    config = tmp_path / "kantoor.toml"
    config.write_text("ib_targets = [50, 100]\n", encoding="utf-8")
    catalogues = Catalogues.load(config)
    progress = build_report(url, as_of=AS_OF, ib_year=2026, catalogues=catalogues).ib_progress
    targets = dict(zip(progress["Maand"], progress["Doel (%)"], strict=True))
    assert (targets["2027-08"], targets["2027-09"]) == (50, 100)
    assert progress["Maand"].iloc[0] == "2027-03"
    assert progress["Maand"].iloc[-1] == "2027-09"
    config.write_text("ib_targets = [50, 40]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ib_targets"):
        Catalogues.load(config)


def test_a_bsn_copied_from_the_eenmanszaak_is_reported_until_it_is_checked(
    store_url: str, tmp_path: Path
) -> None:
    """R5: the copied BSN is a finding; once the owner's own BSN is entered, it goes away."""
    sole = (
        valid_book()
        .set("Rollen", 0, "Rol", "Relatiebeheerder")
        .set("Relaties", 0, "Rechtsvorm", "Eenmanszaak")
        .set("Relaties", 0, "BSN/RSIN", VALID_BSN)
        .set("Contacten", 0, "BSN", None)
    )
    import_workbook(sole.write(tmp_path / "a.xlsx"), db=store_url, as_of=AS_OF)
    assert findings(store_url) == {("0101", "Persoon", COPIED_BSN)}
    checked = sole.set("Contacten", 0, "BSN", VALID_BSN)
    import_workbook(checked.write(tmp_path / "b.xlsx"), db=store_url, as_of=AS_OF)
    assert findings(store_url) == set()
