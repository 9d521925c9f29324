"""build_report: the figures of a store for the firm's partners, as tables (DataFrames).

Overzicht (clients by kind, legal form and group; products by tijdvak; open workflows by month
of their deadline; the latest runs), Portefeuille (per employee and role), Deadlines (open
workflows, overdue first), Gereedheid (what stands between a client and filing, at the as-of
date) and IB-voortgang (the share of one year's income-tax returns done per month against the
uitstelregeling's targets).

Every table comes from a handful of whole-store queries that count in SQL (GROUP BY) where
they can; never one query per client. Only reads, without the store's write lock, and never
creates a store (open_existing). BSNs and RSINs are never read: a finding says a number is
missing, not what it is. The tables carry Dutch column names, as the workbook shows them;
as_dict() gives the same figures for --json.

--medewerker and --groep narrow every table (but the ledger's runs) to the clients with a role
held by that employee, or in that group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.catalogues import (
    IB_ENTERPRISES,
    INCOME_TAX_PRODUCT,
    Catalogues,
    PeriodType,
)
from kantoor_batch.deadlines import CORPORATE_TAX_PRODUCT
from kantoor_batch.errors import WrongUseError
from kantoor_batch.periods import PeriodError, parse_period, use_calendar
from kantoor_batch.rules.planner import due_periods, missing_workflows
from kantoor_batch.rules.products import day_month
from kantoor_batch.store import load, planning
from kantoor_batch.store import schema as s
from kantoor_batch.store.database import describe, open_existing

RELATIONSHIP_MANAGER = "Relatiebeheerder"
OWNER = "Ondernemer"
LATEST_RUNS = 10
MONTHS_AHEAD = 12
KIND_LABELS = {s.ORGANISATION: "Organisatie", s.PERSON: "Persoon"}
RUN_KIND_LABELS = {s.IMPORT_RUN: "import", s.PLAN_RUN: "planner", s.UNDO_RUN: "ongedaan maken"}
NONE_LABEL = "(geen)"
OVERDUE_LABEL = "Verlopen"

# Readiness findings: code -> (what is wrong, what to do). Codes are stable (JSON, tests).
MISSING_BSN = "missing-bsn"
MISSING_RSIN = "missing-rsin"
SBR_OFF = "sbr-off"
SBR_LATE = "sbr-late"
NO_INCOME_TAX = "no-income-tax"
NO_OWNER_RELATION = "no-owner-relation"
NO_RELATIONSHIP_MANAGER = "no-relationship-manager"
UNPLANNED_PERIODS = "unplanned-periods"
NO_PLANNER_RULE = "no-planner-rule"
COPIED_BSN = "copied-bsn-unchecked"
SOLE_TRADER = "Eenmanszaak"
FINDINGS: dict[str, tuple[str, str]] = {
    MISSING_BSN: (
        "Geen BSN",
        "Vraag het BSN op en vul het in bij BSN/RSIN; zonder BSN blijft SBR uit.",
    ),
    MISSING_RSIN: (
        "Aangifte Vpb zonder RSIN",
        "Vraag het RSIN op (KvK-uittreksel) en vul het in bij BSN/RSIN.",
    ),
    SBR_OFF: (
        "SBR staat uit bij een product dat via SBR gaat",
        "Zet SBR aan (met startdatum) of lever de aangifte buiten SBR in.",
    ),
    SBR_LATE: (
        "SBR begint na het eerste tijdvak",
        "Zet de SBR-startdatum vóór het begin van het eerste tijdvak ({detail}).",
    ),
    NO_INCOME_TAX: (
        "Persoon zonder Aangifte IB",
        "Voeg het product Aangifte IB toe, of leg vast waarom de aangifte elders ligt.",
    ),
    NO_OWNER_RELATION: (
        "IB-onderneming zonder persoonsrelatie voor een eigenaar",
        "Voeg de eigenaar toe als contact Ondernemer met Relatie aanmaken = Ja.",
    ),
    NO_RELATIONSHIP_MANAGER: (
        "Geen relatiebeheerder",
        "Wijs een medewerker de rol Relatiebeheerder toe.",
    ),
    UNPLANNED_PERIODS: (
        "Begonnen tijdvak zonder workflow",
        "Draai kantoor-batch plan: {detail}.",
    ),
    COPIED_BSN: (
        "BSN overgenomen van de eenmanszaak, nog niet gecontroleerd",
        "Controleer het BSN van de eigenaar ({detail}) en vul het in bij het contact; "
        "pas het aan als het niet klopt.",
    ),
    NO_PLANNER_RULE: (
        "Product zonder plannerregel",
        "Importeer het product opnieuw of maak de plannerregel aan ({detail}).",
    ),
}
FINDING_COLUMNS = ["Relatienummer", "Naam", "Soort", "Code", "Bevinding", "Wat te doen"]
DEADLINE_COLUMNS = [
    "Relatienummer",
    "Naam",
    "Product",
    "Periode",
    "Uiterste datum",
    "Dagen te laat",
]
RUN_COLUMNS = ["Run", "Soort", "Gestart", "Bestand", "Peildatum", "Uitkomst", "Door"]
PORTFOLIO_COLUMNS = [
    "Medewerker",
    "Naam",
    "Rol",
    "Relaties",
    "Producten",
    "Open workflows",
    "Verlopen",
]
IB_COLUMNS = ["Maand", "Gereed", "Aandeel gereed (%)", "Doel (%)"]
IB_FIRST_TARGET_MONTH = 8  # August of the year after the tax year
IB_FIRST_MONTH = 3  # the table starts in March of the year after the tax year


@dataclass
class Report:
    """The figures of one store at one date. Tables are DataFrames with Dutch columns."""

    store: str
    as_of: dt.date
    employee: str | None
    group: str | None
    clients_by_kind: pd.DataFrame  # Soort, Relaties
    clients_by_legal_form: pd.DataFrame  # Rechtsvorm, Relaties
    clients_by_group: pd.DataFrame  # Relatiegroep, Relaties
    products_by_period_type: pd.DataFrame  # Product, Tijdvak, Relaties
    workflows_by_month: pd.DataFrame  # Maand, Open workflows
    latest_runs: pd.DataFrame  # RUN_COLUMNS
    deadlines: pd.DataFrame  # DEADLINE_COLUMNS
    readiness: pd.DataFrame  # FINDING_COLUMNS
    portfolio: pd.DataFrame  # PORTFOLIO_COLUMNS
    ib_year: int
    ib_total: int
    ib_progress: pd.DataFrame  # IB_COLUMNS
    seconds: float = field(default=0.0)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by its JSON name."""
        return {
            "clients_by_kind": self.clients_by_kind,
            "clients_by_legal_form": self.clients_by_legal_form,
            "clients_by_group": self.clients_by_group,
            "products_by_period_type": self.products_by_period_type,
            "workflows_by_month": self.workflows_by_month,
            "latest_runs": self.latest_runs,
            "portfolio": self.portfolio,
            "deadlines": self.deadlines,
            "readiness": self.readiness,
            "ib_progress": self.ib_progress,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "store": describe(self.store),
            "as_of": self.as_of.isoformat(),
            "employee": self.employee,
            "group": self.group,
            "ib_year": self.ib_year,
            "ib_total": self.ib_total,
            **{name: records(table) for name, table in self.tables().items()},
        }


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: dates as ISO text, missing values as null, numbers as such."""
    rows = []
    for row in table.to_dict(orient="records"):
        rows.append({str(k): _json_value(v) for k, v in row.items()})
    return rows


def _json_value(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def build_report(
    db: str | None = None,
    *,
    as_of: dt.date | None = None,
    employee: str | None = None,
    group: str | None = None,
    ib_year: int | None = None,
    ib_targets: tuple[float, ...] | None = None,
    catalogues: Catalogues | None = None,
) -> Report:
    """The report of the store at as_of (default today). employee (a code) or group (a name)
    narrows it to their clients; WrongUseError when the store has no such employee or group.
    ib_year: the tax year of IB-voortgang (default the year before as_of); ib_targets its
    cumulative targets from August of the following year (default the catalogue's)."""
    import time  # noqa: PLC0415 - only here

    start = time.monotonic()
    as_of = as_of or dt.date.today()
    catalogues = catalogues or Catalogues()
    store = open_existing(db)
    year = ib_year if ib_year is not None else as_of.year - 1
    targets = ib_targets if ib_targets is not None else catalogues.ib_targets
    with use_calendar(catalogues.calendar), store.reading() as connection:
        scope = _scope(connection, employee, group)
        report = Report(
            store=store.url,
            as_of=as_of,
            employee=employee,
            group=group,
            clients_by_kind=_clients_by_kind(connection, scope),
            clients_by_legal_form=_clients_by_legal_form(connection, scope),
            clients_by_group=_clients_by_group(connection, scope),
            products_by_period_type=_products_by_period_type(connection, scope),
            workflows_by_month=_workflows_by_month(connection, scope, as_of),
            latest_runs=_latest_runs(connection),
            deadlines=_deadlines(connection, scope, as_of),
            readiness=_readiness(connection, scope, as_of),
            portfolio=_portfolio(connection, scope, as_of),
            ib_year=year,
            ib_total=0,
            ib_progress=pd.DataFrame(columns=IB_COLUMNS),
        )
        report.ib_total, report.ib_progress = _ib_progress(connection, scope, as_of, year, targets)
    report.seconds = time.monotonic() - start
    return report


# --- scope -------------------------------------------------------------------------------


def _scope(
    connection: Connection, employee: str | None, group: str | None
) -> sa.Select[tuple[int]] | None:
    """The ids of the relations the report is narrowed to, as a subquery; None for all."""
    r, ra, e, g = s.relations, s.role_assignments, s.employees, s.relation_groups
    conditions: list[sa.ColumnElement[bool]] = []
    if employee is not None:
        found = connection.execute(
            sa.select(e.c.id).where(e.c.code_key == employee.strip().casefold())
        ).scalar()
        if found is None:
            raise WrongUseError(
                f"--medewerker {employee}: deze database kent geen medewerker met die code."
            )
        conditions.append(r.c.id.in_(sa.select(ra.c.relation_id).where(ra.c.employee_id == found)))
    if group is not None:
        found = connection.execute(
            sa.select(g.c.id).where(g.c.name_key == group.strip().casefold())
        ).scalar()
        if found is None:
            raise WrongUseError(f"--groep {group}: deze database kent geen relatiegroep zo.")
        conditions.append(r.c.group_id == found)
    if not conditions:
        return None
    return sa.select(r.c.id).where(*conditions)


def _in_scope(
    column: sa.ColumnElement[int], scope: sa.Select[tuple[int]] | None
) -> sa.ColumnElement[bool]:
    return sa.true() if scope is None else column.in_(scope)


def _counted(connection: Connection, query: sa.Select[Any], columns: list[str]) -> pd.DataFrame:
    found = load.frame(connection, query)
    found.columns = pd.Index(columns)
    if found.empty:
        return pd.DataFrame(columns=columns)
    found[columns[-1]] = found[columns[-1]].astype("int64")
    return found


# --- Overzicht ---------------------------------------------------------------------------


def _clients_by_kind(connection: Connection, scope: sa.Select[tuple[int]] | None) -> pd.DataFrame:
    r = s.relations
    query = (
        sa.select(r.c.kind, sa.func.count())
        .where(_in_scope(r.c.id, scope))
        .group_by(r.c.kind)
        .order_by(r.c.kind)
    )
    found = _counted(connection, query, ["Soort", "Relaties"])
    found["Soort"] = found["Soort"].map(lambda k: KIND_LABELS.get(k, k))
    return found


def _clients_by_legal_form(
    connection: Connection, scope: sa.Select[tuple[int]] | None
) -> pd.DataFrame:
    r = s.relations
    query = (
        sa.select(r.c.legal_form, sa.func.count())
        .where(r.c.kind == s.ORGANISATION, _in_scope(r.c.id, scope))
        .group_by(r.c.legal_form)
        .order_by(sa.func.count().desc(), r.c.legal_form)
    )
    found = _counted(connection, query, ["Rechtsvorm", "Relaties"])
    found["Rechtsvorm"] = found["Rechtsvorm"].fillna(NONE_LABEL)
    return found


def _clients_by_group(connection: Connection, scope: sa.Select[tuple[int]] | None) -> pd.DataFrame:
    r, g = s.relations, s.relation_groups
    query = (
        sa.select(g.c.name, sa.func.count())
        .select_from(r.outerjoin(g, g.c.id == r.c.group_id))
        .where(_in_scope(r.c.id, scope))
        .group_by(g.c.name)
        .order_by(sa.func.count().desc(), g.c.name)
    )
    found = _counted(connection, query, ["Relatiegroep", "Relaties"])
    found["Relatiegroep"] = found["Relatiegroep"].fillna(NONE_LABEL)
    return found


def _products_by_period_type(
    connection: Connection, scope: sa.Select[tuple[int]] | None
) -> pd.DataFrame:
    p = s.products
    query = (
        sa.select(p.c.product, p.c.period_type, sa.func.count())
        .where(_in_scope(p.c.relation_id, scope))
        .group_by(p.c.product, p.c.period_type)
        .order_by(p.c.product, p.c.period_type)
    )
    return _counted(connection, query, ["Product", "Tijdvak", "Relaties"])


def _month_start(day: dt.date, months: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _workflows_by_month(
    connection: Connection, scope: sa.Select[tuple[int]] | None, as_of: dt.date
) -> pd.DataFrame:
    """Open workflows per month of their deadline: overdue ones (before as_of) first, then the
    month of as_of and the eleven after it. Counted per due date in SQL (a few hundred
    distinct dates), put into months here."""
    w = s.workflows
    end = _month_start(as_of, MONTHS_AHEAD)
    query = (
        sa.select(w.c.due_date, sa.func.count())
        .where(
            w.c.status == s.WORKFLOW_OPEN,
            w.c.due_date.is_not(None),
            w.c.due_date < end,
            _in_scope(w.c.relation_id, scope),
        )
        .group_by(w.c.due_date)
    )
    per_day = load.frame(connection, query)
    months = [_month_start(as_of, n) for n in range(MONTHS_AHEAD)]
    counts = dict.fromkeys([OVERDUE_LABEL, *(f"{m:%Y-%m}" for m in months)], 0)
    for due, n in per_day.itertuples(index=False, name=None):
        key = OVERDUE_LABEL if due < as_of else f"{due:%Y-%m}"
        counts[key] += int(n)
    return pd.DataFrame(list(counts.items()), columns=["Maand", "Open workflows"])


def _latest_runs(connection: Connection) -> pd.DataFrame:
    runs = s.import_runs
    query = (
        sa.select(
            runs.c.id,
            runs.c.kind,
            runs.c.started_at,
            runs.c.file_name,
            runs.c.as_of,
            runs.c.outcome,
            runs.c.user_name,
        )
        .order_by(runs.c.id.desc())
        .limit(LATEST_RUNS)
    )
    found = load.frame(connection, query)
    found.columns = pd.Index(RUN_COLUMNS)
    found["Soort"] = found["Soort"].map(lambda k: RUN_KIND_LABELS.get(k, k))
    found["Gestart"] = [
        pd.Timestamp(t).tz_localize(None) if t is not None else None
        for t in found["Gestart"].map(_utc)
    ]
    return found


def _utc(value: object) -> object:
    """A moment as a plain UTC datetime (SQLite gives it without a zone)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


# --- Deadlines ---------------------------------------------------------------------------


def _deadlines(
    connection: Connection, scope: sa.Select[tuple[int]] | None, as_of: dt.date
) -> pd.DataFrame:
    """Open workflows with a deadline, the earliest (most overdue) first."""
    w, r = s.workflows, s.relations
    query = (
        sa.select(r.c.number, r.c.name, w.c.product, w.c.period, w.c.due_date)
        .join(r, r.c.id == w.c.relation_id)
        .where(
            w.c.status == s.WORKFLOW_OPEN,
            w.c.due_date.is_not(None),
            _in_scope(w.c.relation_id, scope),
        )
        .order_by(w.c.due_date, r.c.number, w.c.product, w.c.period)
    )
    found = load.frame(connection, query)
    found.columns = pd.Index(DEADLINE_COLUMNS[:-1])
    late = [(as_of - due).days for due in found["Uiterste datum"]]
    found["Dagen te laat"] = pd.Series([d if d > 0 else None for d in late], dtype="Int64")
    return found


# --- Gereedheid --------------------------------------------------------------------------


def _readiness(
    connection: Connection, scope: sa.Select[tuple[int]] | None, as_of: dt.date
) -> pd.DataFrame:
    parts = [
        _missing_fiscal_numbers(connection, scope),
        _sbr_findings(connection, scope),
        _without_income_tax(connection, scope),
        _without_owner_relation(connection, scope),
        _copied_bsns(connection, scope),
        _without_relationship_manager(connection, scope),
        _unplanned_periods(connection, scope, as_of),
        _without_planner_rule(connection, scope),
    ]
    found = [p for p in parts if not p.empty]
    if not found:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    table = pd.concat(found, ignore_index=True)
    order = {code: n for n, code in enumerate(FINDINGS)}
    table["_order"] = table["Code"].map(order)
    table = table.sort_values(["Relatienummer", "Soort", "_order"], kind="stable")
    return table[FINDING_COLUMNS].reset_index(drop=True)


def _findings(rows: pd.DataFrame, code: str, details: pd.Series | None = None) -> pd.DataFrame:
    """rows (number, name, kind) as findings of this code; a detail per row fills {detail}."""
    if rows.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    what, todo = FINDINGS[code]
    table = pd.DataFrame(
        {
            "Relatienummer": rows["number"].to_numpy(),
            "Naam": rows["name"].to_numpy(),
            "Soort": rows["kind"].map(lambda k: KIND_LABELS.get(k, k)).to_numpy(),
            "Code": code,
            "Bevinding": what,
        }
    )
    if details is None:
        table["Wat te doen"] = todo
    else:
        table["Wat te doen"] = [todo.format(detail=d) for d in details]
    return table


def _client_columns() -> list[sa.ColumnElement[Any]]:
    r = s.relations
    return [r.c.number, r.c.name, r.c.kind]


def _missing_fiscal_numbers(
    connection: Connection, scope: sa.Select[tuple[int]] | None
) -> pd.DataFrame:
    """Persons without a BSN; organisations with Aangifte Vpb but no RSIN."""
    r, p = s.relations, s.products
    persons = load.frame(
        connection,
        sa.select(*_client_columns()).where(
            r.c.kind == s.PERSON, r.c.fiscal_number.is_(None), _in_scope(r.c.id, scope)
        ),
    )
    with_vpb = sa.select(p.c.relation_id).where(p.c.product == CORPORATE_TAX_PRODUCT)
    organisations = load.frame(
        connection,
        sa.select(*_client_columns()).where(
            r.c.kind == s.ORGANISATION,
            r.c.fiscal_number.is_(None),
            r.c.id.in_(with_vpb),
            _in_scope(r.c.id, scope),
        ),
    )
    return pd.concat(
        [_findings(persons, MISSING_BSN), _findings(organisations, MISSING_RSIN)],
        ignore_index=True,
    )


def _sbr_findings(connection: Connection, scope: sa.Select[tuple[int]] | None) -> pd.DataFrame:
    """SBR off (or no settings) for a client with a product filed through SBR; SBR starting on
    or after the start of the earliest first period of those products (R9: the day before).

    A client's SBR is late when any of its SBR products starts on or before the SBR start
    date. The first periods' starts need periods.py, so SQL groups the products by (period
    type, first period, financial year start) with the latest SBR start among them; only a
    combination whose latest SBR start is not before its own start has late clients, and only
    those are looked up."""
    r, p, sbr = s.relations, s.products, s.sbr_settings
    with_sbr_product = sa.select(p.c.relation_id).where(p.c.sbr.is_(True))
    enabled = sa.select(sbr.c.relation_id).where(sbr.c.enabled.is_(True))
    off = load.frame(
        connection,
        sa.select(*_client_columns()).where(
            r.c.id.in_(with_sbr_product), r.c.id.not_in(enabled), _in_scope(r.c.id, scope)
        ),
    )
    combo = [p.c.period_type, p.c.start_period, r.c.financial_year_start]
    on_sbr = sa.and_(
        p.c.sbr.is_(True),
        sbr.c.enabled.is_(True),
        sbr.c.start_date.is_not(None),
        _in_scope(r.c.id, scope),
    )
    joined = r.join(p, p.c.relation_id == r.c.id).join(sbr, sbr.c.relation_id == r.c.id)
    combos = load.frame(
        connection,
        sa.select(*combo, sa.func.max(sbr.c.start_date).label("latest"))
        .select_from(joined)
        .where(on_sbr)
        .group_by(*combo),
    )
    late_parts = []
    for period_type, label, fy_start, latest in combos.itertuples(index=False, name=None):
        first = _period_start(period_type, label, fy_start)
        if first is None or latest < first:
            continue
        found = load.frame(
            connection,
            sa.select(*_client_columns(), sbr.c.start_date)
            .select_from(joined)
            .where(
                on_sbr,
                p.c.period_type == period_type,
                p.c.start_period == label,
                r.c.financial_year_start == fy_start,
                sbr.c.start_date >= first,
            ),
        )
        late_parts.append(found.assign(first=first))
    late = (
        pd.concat(late_parts, ignore_index=True)
        .sort_values("first")
        .drop_duplicates(["number", "kind"])
        .reset_index(drop=True)
        if late_parts
        else pd.DataFrame(columns=["number", "name", "kind", "start_date", "first"])
    )
    details = pd.Series(
        [
            f"SBR vanaf {d:%d-%m-%Y}, eerste tijdvak begint {f:%d-%m-%Y}"
            for d, f in zip(late["start_date"], late["first"], strict=True)
        ],
        dtype=object,
    )
    return pd.concat(
        [_findings(off, SBR_OFF), _findings(late, SBR_LATE, details)], ignore_index=True
    )


def _period_start(period_type: str, label: str, fy_start: str | None) -> dt.date | None:
    try:
        return parse_period(label, PeriodType(period_type), day_month(fy_start or "01-01")).start
    except (PeriodError, ValueError):
        return None


def _without_income_tax(
    connection: Connection, scope: sa.Select[tuple[int]] | None
) -> pd.DataFrame:
    r, p = s.relations, s.products
    with_ib = sa.select(p.c.relation_id).where(p.c.product == INCOME_TAX_PRODUCT)
    rows = load.frame(
        connection,
        sa.select(*_client_columns()).where(
            r.c.kind == s.PERSON, r.c.id.not_in(with_ib), _in_scope(r.c.id, scope)
        ),
    )
    return _findings(rows, NO_INCOME_TAX)


def _without_owner_relation(
    connection: Connection, scope: sa.Select[tuple[int]] | None
) -> pd.DataFrame:
    """IB-ondernemingen none of whose Ondernemer contacts has a person relation (R5)."""
    r, rc = s.relations, s.relation_contacts
    person = r.alias("person")
    owned = (
        sa.select(rc.c.relation_id)
        .join(person, person.c.derived_from_contact_id == rc.c.contact_id)
        .where(rc.c.contact_type == OWNER, person.c.kind == s.PERSON)
    )
    rows = load.frame(
        connection,
        sa.select(*_client_columns()).where(
            r.c.kind == s.ORGANISATION,
            r.c.legal_form.in_(sorted(IB_ENTERPRISES)),
            r.c.id.not_in(owned),
            _in_scope(r.c.id, scope),
        ),
    )
    return _findings(rows, NO_OWNER_RELATION)


def _copied_bsns(connection: Connection, scope: sa.Select[tuple[int]] | None) -> pd.DataFrame:
    """Person relations whose BSN is still the one R5 copied from their eenmanszaak: the contact
    has no BSN of its own and the person's number equals the eenmanszaak's BSN/RSIN. Once the
    BSN is checked and entered on the contact (or corrected), the finding goes away."""
    r, c = s.relations, s.contacts
    source = r.alias("source")
    rows = load.frame(
        connection,
        sa.select(*_client_columns(), source.c.number.label("source_number"))
        .join(c, c.c.id == r.c.derived_from_contact_id)
        .join(source, source.c.id == r.c.source_relation_id)
        .where(
            r.c.kind == s.PERSON,
            c.c.bsn.is_(None),
            source.c.legal_form == SOLE_TRADER,
            r.c.fiscal_number == source.c.fiscal_number,
            _in_scope(r.c.id, scope),
        ),
    )
    details = rows["source_number"].map(lambda n: f"overgenomen van relatie {n}")
    return _findings(rows, COPIED_BSN, details if not rows.empty else None)


def _without_relationship_manager(
    connection: Connection, scope: sa.Select[tuple[int]] | None
) -> pd.DataFrame:
    r, ra = s.relations, s.role_assignments
    managed = sa.select(ra.c.relation_id).where(ra.c.role == RELATIONSHIP_MANAGER)
    rows = load.frame(
        connection,
        sa.select(*_client_columns()).where(r.c.id.not_in(managed), _in_scope(r.c.id, scope)),
    )
    return _findings(rows, NO_RELATIONSHIP_MANAGER)


def _unplanned_periods(
    connection: Connection, scope: sa.Select[tuple[int]] | None, as_of: dt.date
) -> pd.DataFrame:
    """Planner rules whose first period has started by as_of and whose workflow the store does
    not have: what a planner run on as_of would create (rules/planner.py), per client."""
    if not _some_rule_has_started(connection, as_of):
        return pd.DataFrame(columns=FINDING_COLUMNS)
    rules = planning.planner_rules(connection)
    if scope is not None and not rules.empty:
        ids = set(connection.execute(scope).scalars())
        rules = rules[rules["relation_id"].isin(ids)]
    if rules.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    due = due_periods(rules, as_of)
    existing = planning.workflows_with_keys(connection, due.workflows["workflow_key"].unique())
    missing = missing_workflows(due.workflows, existing)
    if missing.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    per_client = (
        missing.groupby(["relation_number", "relation_kind"], sort=True)
        .agg(name=("relation_name", "first"), periods=("name", ", ".join))
        .reset_index()
        .rename(columns={"relation_number": "number", "relation_kind": "kind"})
    )
    return _findings(per_client, UNPLANNED_PERIODS, per_client["periods"])


def _some_rule_has_started(connection: Connection, as_of: dt.date) -> bool:
    """Whether any planner rule's first period has started by as_of, from the distinct
    (period type, first period, financial year start) of the rules: a handful of rows where
    the planner has run, instead of every rule."""
    pr, r = s.planner_rules, s.relations
    combos = connection.execute(
        sa.select(pr.c.period_type, pr.c.first_period, r.c.financial_year_start)
        .join(r, r.c.id == pr.c.relation_id)
        .group_by(pr.c.period_type, pr.c.first_period, r.c.financial_year_start)
    ).all()
    starts = (_period_start(*combo) for combo in combos)
    return any(start is None or start <= as_of for start in starts)


def _without_planner_rule(
    connection: Connection, scope: sa.Select[tuple[int]] | None
) -> pd.DataFrame:
    r, p, pr = s.relations, s.products, s.planner_rules
    rule = sa.exists().where(pr.c.relation_id == p.c.relation_id, pr.c.product == p.c.product)
    rows = load.frame(
        connection,
        sa.select(*_client_columns(), p.c.product)
        .join(p, p.c.relation_id == r.c.id)
        .where(~rule, _in_scope(r.c.id, scope))
        .order_by(r.c.number, p.c.product),
    )
    if rows.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    per_client = (
        rows.groupby(["number", "kind"], sort=True)
        .agg(name=("name", "first"), products=("product", ", ".join))
        .reset_index()
    )
    return _findings(per_client, NO_PLANNER_RULE, per_client["products"])


# --- Portefeuille ------------------------------------------------------------------------


def _portfolio(
    connection: Connection, scope: sa.Select[tuple[int]] | None, as_of: dt.date
) -> pd.DataFrame:
    """Per employee and role: their clients, those clients' products, open and overdue
    workflows. Three GROUP BY queries over the role assignments."""
    ra, e, p, w = s.role_assignments, s.employees, s.products, s.workflows
    keys = [e.c.code, e.c.name, ra.c.role]
    base = ra.join(e, e.c.id == ra.c.employee_id)
    where = _in_scope(ra.c.relation_id, scope)
    clients = load.frame(
        connection,
        sa.select(*keys, sa.func.count().label("n")).select_from(base).where(where).group_by(*keys),
    )
    products = load.frame(
        connection,
        sa.select(*keys, sa.func.count().label("n"))
        .select_from(base.join(p, p.c.relation_id == ra.c.relation_id))
        .where(where)
        .group_by(*keys),
    )
    overdue = sa.case((w.c.due_date < as_of, 1), else_=0)
    workflows = load.frame(
        connection,
        sa.select(*keys, sa.func.count().label("n"), sa.func.sum(overdue).label("late"))
        .select_from(base.join(w, w.c.relation_id == ra.c.relation_id))
        .where(where, w.c.status == s.WORKFLOW_OPEN)
        .group_by(*keys),
    )
    if clients.empty:
        return pd.DataFrame(columns=PORTFOLIO_COLUMNS)
    on = ["code", "name", "role"]
    table = clients.merge(products, on=on, how="left", suffixes=("", "_products")).merge(
        workflows, on=on, how="left", suffixes=("", "_workflows")
    )
    table = table.fillna({"n_products": 0, "n_workflows": 0, "late": 0})
    roles = {role: n for n, role in enumerate(Catalogues().roles)}
    table["_role"] = table["role"].map(lambda x: roles.get(x, len(roles)))
    table = table.sort_values(["code", "_role", "role"])
    result = pd.DataFrame(
        {
            "Medewerker": table["code"].to_numpy(),
            "Naam": table["name"].to_numpy(),
            "Rol": table["role"].to_numpy(),
            "Relaties": table["n"].astype("int64").to_numpy(),
            "Producten": table["n_products"].astype("int64").to_numpy(),
            "Open workflows": table["n_workflows"].astype("int64").to_numpy(),
            "Verlopen": table["late"].astype("int64").to_numpy(),
        }
    )
    return result.reset_index(drop=True)


# --- IB-voortgang ------------------------------------------------------------------------


def ib_target_months(year: int, targets: tuple[float, ...]) -> dict[dt.date, float]:
    """The first day of each target's month -> its cumulative share: the first at the end of
    August of the year after the tax year, then one per month."""
    first = dt.date(year + 1, IB_FIRST_TARGET_MONTH, 1)
    return {_month_start(first, n): t for n, t in enumerate(targets)}


def _done_month(moment: object, year: int) -> dt.date:
    when = _utc(moment)
    if isinstance(when, dt.datetime):
        return _month_start(when.date())
    return dt.date(year + 1, 1, 1)


def _ib_progress(
    connection: Connection,
    scope: sa.Select[tuple[int]] | None,
    as_of: dt.date,
    year: int,
    targets: tuple[float, ...],
) -> tuple[int, pd.DataFrame]:
    """The year's IB workflows, how many are done (status gereed) by the end of each month from
    March of the following year until the last target, against the targets. A workflow counts
    as done in the month of the run that last changed it (workflows.updated_run_id, as
    `kantoor-batch workflows done` records it); counted per run in SQL."""
    w, runs = s.workflows, s.import_runs
    ib = sa.and_(
        w.c.product == INCOME_TAX_PRODUCT,
        w.c.period == str(year),
        _in_scope(w.c.relation_id, scope),
    )
    total = int(connection.execute(sa.select(sa.func.count()).where(ib)).scalar_one())
    done = load.frame(
        connection,
        sa.select(runs.c.started_at, sa.func.count().label("n"))
        .select_from(w.outerjoin(runs, runs.c.id == w.c.updated_run_id))
        .where(ib, w.c.status == s.WORKFLOW_DONE)
        .group_by(runs.c.started_at),
    )
    target_months = ib_target_months(year, targets)
    last = max(target_months) if target_months else dt.date(year + 2, 4, 1)
    months = []
    month = dt.date(year + 1, IB_FIRST_MONTH, 1)
    while month <= last:
        months.append(month)
        month = _month_start(month, 1)
    # A workflow done without a run (set in the database by hand) counts from the start.
    done_month = [_done_month(t, year) for t in done["started_at"]]
    rows = []
    for month in months:
        reached = month <= _month_start(as_of)
        n = sum(int(k) for m, k in zip(done_month, done["n"], strict=True) if m <= month)
        share = round(100 * n / total, 2) if total and reached else None
        rows.append((f"{month:%Y-%m}", n if reached else None, share, target_months.get(month)))
    table = pd.DataFrame(rows, columns=IB_COLUMNS)
    table["Gereed"] = table["Gereed"].astype("Int64")
    return total, table
