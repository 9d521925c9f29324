"""What a planner run shows: the terminal summary (workflows per product and per month of their
deadline) and the workbook of `kantoor-batch plan -o FILE` (Samenvatting, Workflows, and the
rules it left alone, if any)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kantoor_batch.export.tables import write_tables
from kantoor_batch.export.terminal import store_shown
from kantoor_batch.messages import Lang
from kantoor_batch.plan_result import NO_DEADLINE, PlanResult

SHOWN_SKIPPED = 10
MONTHS: dict[Lang, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
LABELS: dict[str, dict[Lang, str]] = {
    "title": {
        "nl": "Planner op {store} (peildatum {as_of})",
        "en": "Planner run on {store} (as of {as_of})",
    },
    "dry_run": {"nl": "PROEFDRAAI: er is niets opgeslagen.", "en": "DRY RUN: nothing was stored."},
    "product": {"nl": "Product", "en": "Product"},
    "due_month": {"nl": "Uiterste datum in", "en": "Due in"},
    "workflows": {"nl": "Workflows", "en": "Workflows"},
    "total": {"nl": "Totaal", "en": "Total"},
    "no_deadline": {"nl": "zonder uiterste datum", "en": "without a deadline"},
    "nothing_new": {
        "nl": "Geen nieuwe periodes begonnen: er is niets aan te maken.",
        "en": "No new periods have started: there is nothing to create.",
    },
    "skipped": {
        "nl": "{n} plannerregels overgeslagen:",
        "en": "{n} planner rules left alone:",
    },
    "more_skipped": {
        "nl": "... en nog {n} (alle: het werkboek met -o of --json)",
        "en": "... and {n} more (all of them: the workbook with -o or --json)",
    },
    "done": {
        "nl": "{created} workflows aangemaakt, {moved} plannerregels bijgewerkt "
        "in {seconds:.1f} s.",
        "en": "{created} workflows created, {moved} planner rules moved on in {seconds:.1f} s.",
    },
    "dry_run_done": {
        "nl": "Proefdraai in {seconds:.1f} s: niets opgeslagen. Een echte run zou {created} "
        "workflows aanmaken en {moved} plannerregels bijwerken.",
        "en": "Dry run in {seconds:.1f} s: nothing was stored. A real run would create "
        "{created} workflows and move {moved} planner rules on.",
    },
    "workbook": {"nl": "Werkmap: {path}", "en": "Workbook: {path}"},
}


def label(key: str, lang: Lang, **values: object) -> str:
    return LABELS[key][lang].format(**values)


def month_words(month: str, lang: Lang) -> str:
    """'2027-01' -> 'januari 2027'."""
    if month == NO_DEADLINE:
        return label("no_deadline", lang)
    year, number = month.split("-")
    return f"{MONTHS[lang][int(number) - 1]} {year}"


def plan_summary(result: PlanResult, lang: Lang = "nl") -> str:
    """One screen: what was created per product and per month of its deadline, what was
    left alone, and one final line."""
    as_of = result.as_of.strftime("%d-%m-%Y")
    lines = [label("title", lang, store=store_shown(result.store), as_of=as_of)]
    if result.dry_run:
        lines.append(label("dry_run", lang))
    lines.append("")
    if result.created:
        lines += _counts(label("product", lang), result.per_product(), lang)
        lines.append("")
        per_month = {month_words(m, lang): n for m, n in result.per_month().items()}
        lines += _counts(label("due_month", lang), per_month, lang)
    else:
        lines.append(label("nothing_new", lang))
    if len(result.skipped_rules):
        lines += ["", label("skipped", lang, n=len(result.skipped_rules))]
        for row in result.skipped_rules.head(SHOWN_SKIPPED).itertuples(index=False):
            lines.append(f"  {row.Relatienummer} {row.Product}: {row.Reden}")
        if len(result.skipped_rules) > SHOWN_SKIPPED:
            lines.append(label("more_skipped", lang, n=len(result.skipped_rules) - SHOWN_SKIPPED))
    lines.append("")
    key = "dry_run_done" if result.dry_run else "done"
    lines.append(
        label(key, lang, created=result.created, moved=result.rules_moved, seconds=result.seconds)
    )
    return "\n".join(lines)


def _counts(head: str, counts: dict[str, int], lang: Lang) -> list[str]:
    width = max(24, *(len(k) + 2 for k in counts))
    lines = [f"{head:<{width}}{label('workflows', lang):>10}"]
    lines += [f"{key:<{width}}{n:>10}" for key, n in counts.items()]
    lines.append(f"{label('total', lang):<{width}}{sum(counts.values()):>10}")
    return lines


def summary_table(result: PlanResult) -> pd.DataFrame:
    """The Samenvatting sheet: the run, then the counts per product and per month."""
    outcome = "alle plannerregels gevolgd" if result.ok else "plannerregels overgeslagen"
    rows: list[tuple[object, object]] = [
        ("Soort run", "planner"),
        ("Peildatum", result.as_of),  # date cells (tables.write_tables)
        ("Gestart", result.started_at.astimezone().replace(tzinfo=None)),
        ("Duur (seconden)", round(result.seconds, 1)),
        ("Database", store_shown(result.store) if result.store else ""),
        ("Proefdraai", "Ja (niets opgeslagen)" if result.dry_run else "Nee"),
        ("Run", result.run_id if result.run_id is not None else ""),
        ("Uitkomst", outcome),
        ("Plannerregels", result.rules),
        ("Plannerregels bijgewerkt", result.rules_moved),
        ("Plannerregels overgeslagen", len(result.skipped_rules)),
        ("Workflows aangemaakt", result.created),
        (None, None),
        ("Workflows per product", None),
        *result.per_product().items(),
        (None, None),
        ("Workflows per maand (uiterste datum)", None),
        *((month_words(m, "nl"), n) for m, n in result.per_month().items()),
    ]
    return pd.DataFrame(rows, columns=["Onderdeel", "Waarde"], dtype=object)


def write_plan_workbook(result: PlanResult, path: Path) -> Path:
    """Samenvatting and Workflows; Overgeslagen when rules were left alone."""
    sheets = [("Samenvatting", summary_table(result)), ("Workflows", result.workflows)]
    if len(result.skipped_rules):
        sheets.append(("Overgeslagen", result.skipped_rules))
    return write_tables(path, sheets)
