"""What `kantoor-batch runs` shows: the ledger as a table on the terminal, one run's summary,
the rows it created per table and the values it changed; and that run as a workbook
(Samenvatting, Tabellen, Wijzigingen). Personal data is masked in the history (history.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kantoor_batch.export.tables import write_tables
from kantoor_batch.export.terminal import store_shown
from kantoor_batch.history import KIND_LABELS, OUTCOME_LABELS, Run, RunDetails
from kantoor_batch.store.diff import CREATED, SKIPPED, UPDATED

SHOWN_CHANGES = 20
FILE_WIDTH = 26
RUN_HEADERS = (  # header, width, alignment; two spaces between columns
    ("Nr", 3, ">"),
    ("Soort", 14, "<"),
    ("Gestart", 16, "<"),
    ("Bestand", FILE_WIDTH, "<"),
    ("Controlegetal", 13, "<"),
    ("Peildatum", 10, "<"),
    ("Aangemaakt", 10, ">"),
    ("Bijgewerkt", 10, ">"),
    ("Overgeslagen", 12, ">"),
    ("Uitkomst", 16, "<"),
    ("Door", 12, "<"),
)


def when(moment: dt.datetime) -> str:
    """The local time of this machine, as people read it."""
    return moment.astimezone().strftime("%d-%m-%Y %H:%M")


def local(moment: dt.datetime) -> dt.datetime:
    """The local time of this machine, as a date cell holds it (without a zone)."""
    return moment.astimezone().replace(tzinfo=None)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_row(run: Run) -> list[str]:
    totals = run.totals()
    return [
        str(run.id),
        KIND_LABELS.get(run.kind, run.kind),
        when(run.started_at),
        _cut(run.file_name or "-", FILE_WIDTH),
        run.short_checksum or "-",
        run.as_of.strftime("%d-%m-%Y"),
        str(totals[CREATED]),
        str(totals[UPDATED]),
        str(totals[SKIPPED]),
        OUTCOME_LABELS.get(run.outcome, run.outcome),
        run.user_name or "onbekend",
    ]


def _line(cells: list[str]) -> str:
    parts = [
        f"{cell:{align}{width}}" for cell, (_, width, align) in zip(cells, RUN_HEADERS, strict=True)
    ]
    return "  ".join(parts).rstrip()


def runs_summary(runs: list[Run], store: str) -> str:
    """Every run of the ledger, one line each, oldest first."""
    if not runs:
        return f"Het logboek van {store_shown(store)} is leeg: er is nog niets geïmporteerd."
    lines = [f"Runs in {store_shown(store)}", ""]
    lines.append(_line([head for head, _, _ in RUN_HEADERS]))
    lines += [_line(run_row(run)) for run in runs]
    return "\n".join(lines)


def run_summary(details: RunDetails) -> str:
    """One run: who ran what when, the rows per table, the first changed values."""
    run = details.run
    kind = KIND_LABELS.get(run.kind, run.kind)
    lines = [
        f"Run {run.id}: {kind} op {when(run.started_at)} door {run.user_name or 'onbekend'}",
        f"Database: {store_shown(details.store)}",
        f"Peildatum {run.as_of:%d-%m-%Y}, uitkomst {OUTCOME_LABELS.get(run.outcome, run.outcome)},"
        f" kantoor-batch {run.tool_version}",
    ]
    if run.file_name:
        lines.append(f"Bestand: {run.file_name} (SHA-256 {run.sha256})")
    lines.append("")
    rows = details.rows[(details.rows["Aangemaakt"] > 0) | (details.rows["Laatst bijgewerkt"] > 0)]
    if rows.empty:
        lines.append("Deze run heeft geen rijen aangemaakt of bijgewerkt.")
    else:
        lines.append(f"{'Tabel':<22}{'Aangemaakt':>12}{'Laatst bijgewerkt':>20}")
        for table, made, updated in rows.itertuples(index=False, name=None):
            lines.append(f"{table:<22}{made:>12}{updated:>20}")
    changes = details.changes
    lines.append("")
    if changes.empty:
        lines.append("Geen gewijzigde waarden.")
        return "\n".join(lines)
    lines.append(f"Gewijzigde waarden: {len(changes)}")
    widths = [16, 28, 22, 18, 18]
    head = "".join(f"{h:<{w}}" for h, w in zip(changes.columns, widths, strict=True))
    lines.append(head.rstrip())
    for row in changes.head(SHOWN_CHANGES).itertuples(index=False, name=None):
        cells = [_cut(str(v), w - 2) for v, w in zip(row, widths, strict=True)]
        lines.append("".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True)).rstrip())
    if len(changes) > SHOWN_CHANGES:
        lines.append(
            f"... en nog {len(changes) - SHOWN_CHANGES} (alle: het werkboek met -o of --json)"
        )
    return "\n".join(lines)


def summary_table(details: RunDetails) -> pd.DataFrame:
    """The Samenvatting sheet: the ledger row, then its counts per kind and action."""
    run = details.run
    rows: list[tuple[object, ...]] = [
        ("Run", run.id),
        ("Soort run", KIND_LABELS.get(run.kind, run.kind)),
        ("Gestart", local(run.started_at)),
        ("Klaar", local(run.finished_at) if run.finished_at else ""),
        ("Door", run.user_name or "onbekend"),
        ("Bestand", run.file_name or ""),
        ("SHA-256", run.sha256 or ""),
        ("Peildatum", run.as_of),  # date cells (tables.write_tables)
        ("Uitkomst", OUTCOME_LABELS.get(run.outcome, run.outcome)),
        ("Alles of niets", "Ja" if run.all_or_nothing else "Nee"),
        ("Versie", run.tool_version),
        ("Database", store_shown(details.store)),
        ("Gewijzigde waarden", len(details.changes)),
    ]
    table = pd.DataFrame(rows, columns=["Onderdeel", "Waarde"], dtype=object)
    actions = sorted({a for counts in run.counts.values() for a in counts})
    if not actions:
        return table
    counted = pd.DataFrame(
        [(kind, *(counts.get(a, 0) for a in actions)) for kind, counts in run.counts.items()],
        columns=["Onderdeel", *actions],
        dtype=object,
    )
    gap = pd.DataFrame([{"Onderdeel": None}, {"Onderdeel": "Soort", **{a: a for a in actions}}])
    return pd.concat([table, gap, counted], ignore_index=True).astype(object)


def write_run_workbook(details: RunDetails, path: Path) -> Path:
    """Samenvatting, Tabellen (rows created and last updated per table), Wijzigingen."""
    return write_tables(
        path,
        [
            ("Samenvatting", summary_table(details)),
            ("Tabellen", details.rows),
            ("Wijzigingen", details.changes),
        ],
    )
