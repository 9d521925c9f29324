"""The one-screen summary printed on the terminal, built with rich: labelled tables, messages
wrapped whole (never cut off), colour only on a terminal and plain text when piped; personal
data masked. The functions here build renderables and text; the CLI only prints them."""

from __future__ import annotations

import io
import sys
from typing import IO

import sqlalchemy as sa
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kantoor_batch import masking
from kantoor_batch.issues import Issue
from kantoor_batch.masking import printable
from kantoor_batch.messages import Lang
from kantoor_batch.result import ACTIONS, ImportResult, client_counts, relation_split
from kantoor_batch.store.database import describe
from kantoor_batch.store.diff import CONFLICT
from kantoor_batch.validate.report import ValidationReport

FIRST_ISSUES = 8

LABELS: dict[str, dict[Lang, str]] = {
    "checked": {
        "nl": "Controle van {file} (peildatum {as_of})",
        "en": "Check of {file} (as of {as_of})",
    },
    "sheet": {"nl": "Blad", "en": "Sheet"},
    "rows": {"nl": "Rijen", "en": "Rows"},
    "errors": {"nl": "Fouten", "en": "Errors"},
    "warnings": {"nl": "Waarschuwingen", "en": "Warnings"},
    "total": {"nl": "Totaal", "en": "Total"},
    "row": {"nl": "Rij", "en": "Row"},
    "column": {"nl": "Kolom", "en": "Column"},
    "message": {"nl": "Melding", "en": "Message"},
    "error": {"nl": "fout", "en": "error"},
    "warning": {"nl": "waarschuwing", "en": "warning"},
    "severity": {"nl": "Ernst", "en": "Severity"},
    "more": {
        "nl": "... en nog {n} meldingen (alle meldingen: foutenbestand of --json)",
        "en": "... and {n} more (all of them: the error workbook or --json)",
    },
    "clean": {"nl": "Geen fouten gevonden.", "en": "No errors found."},
    "verdict": {
        "nl": "{errors} fouten, {warnings} waarschuwingen.",
        "en": "{errors} errors, {warnings} warnings.",
    },
    "error_file": {"nl": "Foutenbestand: {path}", "en": "Error workbook: {path}"},
    "fix": {
        "nl": "Herstel de rode cellen in het foutenbestand en controleer het opnieuw.",
        "en": "Fix the red cells in the error workbook and check it again.",
    },
    "result_file": {"nl": "Resultaat: {path}", "en": "Result workbook: {path}"},
    "fix_and_import": {
        "nl": "Foutenbestand: {path} (herstel het en importeer het opnieuw)",
        "en": "Error workbook: {path} (fix it and import it again)",
    },
    "imported": {
        "nl": "Import van {file} in {store} (peildatum {as_of})",
        "en": "Import of {file} into {store} (as of {as_of})",
    },
    "dry_run": {"nl": "PROEFDRAAI: er is niets opgeslagen.", "en": "DRY RUN: nothing was stored."},
    "kind": {"nl": "Soort", "en": "Kind"},
    "all": {
        "nl": "Alles geïmporteerd: {clients} opgeslagen in {seconds:.1f} s.",
        "en": "Everything imported: {clients} stored in {seconds:.1f} s.",
    },
    "all_unchanged": {
        "nl": "Niets te wijzigen: {clients} stonden al zo in de database ({seconds:.1f} s).",
        "en": "Nothing to change: {clients} were stored like this already ({seconds:.1f} s).",
    },
    "nothing": {
        "nl": "Niets geïmporteerd: er is niets opgeslagen.",
        "en": "Nothing was imported: nothing was stored.",
    },
    "stored_part": {
        "nl": "Deels geïmporteerd: {stored} van de {clients} klanten opgeslagen.",
        "en": "Partly imported: {stored} of the {clients} clients stored.",
    },
    "clients": {
        "nl": "{n} klanten: {parts}.",
        "en": "{n} clients: {parts}.",
    },
    "organisations": {"nl": "{n} organisaties", "en": "{n} organisations"},
    "persons": {"nl": "{n} personen", "en": "{n} persons"},
    "derived": {
        "nl": "{n} personen afgeleid van contacten",
        "en": "{n} persons derived from contacts",
    },
    "n_contacts": {"nl": "{n} contacten", "en": "{n} contacts"},
    "n_products": {"nl": "{n} producten", "en": "{n} products"},
    "n_workflows": {"nl": "{n} workflows", "en": "{n} workflows"},
    "n_rules": {"nl": "{n} plannerregels", "en": "{n} planner rules"},
    "n_roles": {"nl": "{n} rollen", "en": "{n} roles"},
    "n_clients": {"nl": "{n} klanten", "en": "{n} clients"},
    "one_client": {"nl": "1 klant", "en": "1 client"},
    "rows_not_stored": {
        "nl": "{n} rijen met een fout horen bij geen klant en zijn niet opgeslagen: {rows}",
        "en": "{n} rows with an error belong to no client and were not stored: {rows}",
    },
    "dry_run_done": {
        "nl": "Proefdraai in {seconds:.1f} s: niets opgeslagen. {would}",
        "en": "Dry run in {seconds:.1f} s: nothing was stored. {would}",
    },
    "would_all": {
        "nl": "Een echte import zou alles importeren.",
        "en": "A real import would import everything.",
    },
    "would_partial": {
        "nl": "Een echte import zou {clients} overslaan (hele klant, R12): {numbers}",
        "en": "A real import would skip {clients} (whole client, R12): {numbers}",
    },
    "would_nothing": {
        "nl": "Een echte import zou niets importeren.",
        "en": "A real import would import nothing.",
    },
    "changed_values": {
        "nl": "{n} waarden gewijzigd (blad Wijzigingen van het resultaat).",
        "en": "{n} values changed (sheet Wijzigingen of the result workbook).",
    },
    "conflicts_held": {
        "nl": "{n} waarden niet toegepast: de opslag is sinds de export gewijzigd (conflict; "
        "blad Wijzigingen). Maak een nieuwe export, of importeer met --overwrite.",
        "en": "{n} values not applied: the store changed since the export (conflict; sheet "
        "Wijzigingen). Make a new export, or import with --overwrite.",
    },
    "conflicts_overwritten": {
        "nl": "{n} waarden overschreven die sinds de export in de opslag waren gewijzigd "
        "(--overwrite; blad Wijzigingen).",
        "en": "{n} values overwritten that had changed in the store since the export "
        "(--overwrite; sheet Wijzigingen).",
    },
    "partial": {
        "nl": "{clients} overgeslagen (hele klant, R12): {numbers}",
        "en": "{clients} skipped (whole client, R12): {numbers}",
    },
}


def label(key: str, lang: Lang, **values: object) -> str:
    return LABELS[key][lang].format(**values)


def clients_words(n: int, lang: Lang) -> str:
    """'1 klant', '27 klanten'."""
    return label("one_client", lang) if n == 1 else label("n_clients", lang, n=n)


def store_shown(url: str) -> str:
    """A SQLite store as the path of its file (not a four-slash URL); any other store as its
    URL without a password."""
    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError, TypeError):
        return describe(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not parsed.query:
        return printable(parsed.database)
    return describe(url)


def console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """The console the commands print to: colour and styles only when it is a terminal (rich
    decides, and honours NO_COLOR), plain text when piped or captured."""
    return Console(file=file or sys.stdout, width=width, highlight=False, emoji=False, markup=False)


def as_text(renderable: RenderableType, width: int = 100) -> str:
    """What the renderable prints as plain text at this width (for tests and logs)."""
    buffer = io.StringIO()
    Console(
        file=buffer, width=width, color_system=None, highlight=False, emoji=False, markup=False
    ).print(renderable)
    return buffer.getvalue().rstrip("\n")


def _numbers_table(first: str, columns: list[str]) -> Table:
    """Counts under whole headers: on a narrow terminal the first column wraps, never a
    header of the counts."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column(first, min_width=14)
    for column in columns:
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    return table


def validation_view(report: ValidationReport, lang: Lang = "nl") -> RenderableType:
    """Counts per sheet, the first issues with their whole message, and the verdict."""
    title = label("checked", lang, file=report.path.name, as_of=report.as_of.strftime("%d-%m-%Y"))
    parts: list[RenderableType] = [Text(printable(title), style="bold"), Text()]
    table = _numbers_table(
        label("sheet", lang), [label("rows", lang), label("errors", lang), label("warnings", lang)]
    )
    for count in report.counts():
        table.add_row(
            printable(str(count["sheet"])),
            str(count["rows"]),
            str(count["errors"]),
            str(count["warnings"]),
        )
    table.add_section()
    table.add_row(label("total", lang), "", str(report.errors), str(report.warnings))
    parts.append(table)
    if report.issues:
        parts += [Text(), issue_view(report.issues[:FIRST_ISSUES], lang)]
        if len(report.issues) > FIRST_ISSUES:
            parts.append(Text(label("more", lang, n=len(report.issues) - FIRST_ISSUES)))
    parts.append(Text())
    verdict = (
        label("verdict", lang, errors=report.errors, warnings=report.warnings)
        if report.issues
        else label("clean", lang)
    )
    parts.append(Text(verdict, style="bold red" if report.errors else "bold green"))
    return Group(*parts)


def validation_summary(report: ValidationReport, lang: Lang = "nl", width: int = 100) -> str:
    return as_text(validation_view(report, lang), width)


NARROW = 80  # below this many columns issues are listed one under the other


class IssueView:
    """Issues as a table with labelled columns on a screen of 80 columns or more, one under the
    other below that; the message always wraps whole, never cut off."""

    def __init__(self, issues: list[Issue], lang: Lang) -> None:
        self.issues = issues
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= NARROW:
            yield issue_table_view(self.issues, self.lang)
            return
        for issue in self.issues:
            where = ", ".join(
                part
                for part in (
                    printable(issue.sheet or ""),
                    f"{label('row', self.lang).lower()} {issue.row}" if issue.row else "",
                    printable(issue.column or ""),
                )
                if part
            )
            severity = label(issue.severity.value, self.lang)
            yield Text.assemble(
                (where, "bold"), " ", (severity, "red" if issue.is_error else "yellow")
            )
            yield Padding(Text(issue.message(self.lang, mask=True)), (0, 0, 0, 2))


def issue_view(issues: list[Issue], lang: Lang) -> IssueView:
    return IssueView(issues, lang)


def issue_table_view(issues: list[Issue], lang: Lang) -> Table:
    """Issues with labelled columns; the message column wraps, so every message is whole."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column(label("sheet", lang), no_wrap=True)
    table.add_column(label("row", lang), justify="right", no_wrap=True)
    table.add_column(label("column", lang), max_width=22, overflow="fold")
    table.add_column(label("severity", lang), no_wrap=True)
    table.add_column(label("message", lang), overflow="fold", ratio=1)
    for issue in issues:
        severity = label(issue.severity.value, lang)
        table.add_row(
            printable(issue.sheet or ""),  # sheet and column names come from the workbook
            str(issue.row or ""),
            printable(issue.column or ""),
            Text(severity, style="red" if issue.is_error else "yellow"),
            issue.message(lang, mask=True),
        )
    return table


def issue_table(issues: list[Issue], lang: Lang, width: int) -> list[str]:
    return as_text(issue_view(issues, lang), width).splitlines()


def clients_line(result: ImportResult, lang: Lang) -> str:
    """'27 klanten: 27 organisaties, 40 personen afgeleid van contacten, 97 contacten, ...':
    what the workbook holds in the words of the office; the same counts as the table below
    and the result workbook's Samenvatting (result.client_counts)."""
    counts = client_counts(result)
    totals = {kind: sum(c.values()) for kind, c in result.counts().items()}
    parts = [
        label(key, lang, n=counts[name])
        for key, name in (
            ("organisations", "organisaties"),
            ("persons", "personen"),
            ("derived", "afgeleid"),
        )
        if counts[name]
    ]
    parts += [
        label(key, lang, n=totals[kind])
        for key, kind in (
            ("n_contacts", "Contacten"),
            ("n_products", "Producten"),
            ("n_workflows", "Workflows"),
            ("n_rules", "Plannerregels"),
            ("n_roles", "Rollen"),
        )
        if totals.get(kind)
    ]
    return label("clients", lang, n=counts["klanten"], parts=", ".join(parts))


def _final_line(result: ImportResult, lang: Lang) -> tuple[str, str]:
    """One line for the outcome (stored / nothing to change / partly / nothing / a dry run),
    with its style."""
    numbers = sorted(result.skipped_bundles)
    shown = ", ".join(numbers[:10]) + (" ..." if len(numbers) > 10 else "")
    shown = masking.shown(shown)  # a BSN typed as relation number is masked here too
    clients = client_counts(result)["klanten"]
    skipped = clients_words(len(numbers), lang)
    if result.dry_run:
        if result.outcome == "rejected":
            would = label("would_nothing", lang)
        elif numbers:
            would = label("would_partial", lang, clients=skipped, numbers=shown)
        else:
            would = label("would_all", lang) if not result.rows_not_stored else ""
        text = label("dry_run_done", lang, seconds=result.seconds, would=would).rstrip()
        return text, "bold cyan"
    if result.outcome == "rejected":
        return label("nothing", lang), "bold red"
    if result.outcome == "completed":
        all_kept = all(counts[a] == 0 for counts in result.counts().values() for a in ACTIONS[:2])
        key = "all_unchanged" if all_kept else "all"
        return label(
            key, lang, clients=clients_words(clients, lang), seconds=result.seconds
        ), "bold green"
    stored = label("stored_part", lang, stored=clients - len(numbers), clients=clients)
    if numbers:
        stored += " " + label("partial", lang, clients=skipped, numbers=shown)
    return stored, "bold yellow"


def import_view(result: ImportResult, lang: Lang = "nl") -> RenderableType:
    title = label(
        "imported",
        lang,
        file=result.path.name,
        store=store_shown(result.store),
        as_of=result.as_of.strftime("%d-%m-%Y"),
    )
    parts: list[RenderableType] = [Text(printable(title), style="bold")]
    if result.dry_run:
        parts.append(Text(label("dry_run", lang), style="bold cyan"))
    parts += [Text(), Text(clients_line(result, lang)), Text()]
    # The conflict column only when a row of an export met a changed store (stamps).
    actions = [a for a in ACTIONS if a != CONFLICT or result.conflicts]
    table = _numbers_table(label("kind", lang), actions)
    split = relation_split(result)
    for kind, counts in result.counts().items():
        table.add_row(kind, *(str(counts[a]) for a in actions))
        if kind == "Relaties":
            for name, words in SPLIT_WORDS.items():
                row = split[name]
                if sum(row.values()):
                    table.add_row(f"  {words[lang]}", *(str(row[a]) for a in actions))
    parts.append(table)
    if result.issues:
        parts += [Text(), issue_view(result.issues[:FIRST_ISSUES], lang)]
        if len(result.issues) > FIRST_ISSUES:
            parts.append(Text(label("more", lang, n=len(result.issues) - FIRST_ISSUES)))
    parts.append(Text())
    parts.append(Text(label("verdict", lang, errors=result.errors, warnings=result.warnings)))
    if result.changed_values:
        parts.append(Text(label("changed_values", lang, n=result.changed_values)))
    if result.held_back:
        parts.append(Text(label("conflicts_held", lang, n=result.held_back)))
    if result.conflicts > result.held_back:
        overwritten = result.conflicts - result.held_back
        parts.append(Text(label("conflicts_overwritten", lang, n=overwritten)))
    if result.rows_not_stored and result.outcome != "rejected":
        rows = result.rows_not_stored
        where = ", ".join(f"{sheet} rij {row}" for sheet, row in rows[:10])
        where += " ..." if len(rows) > 10 else ""
        parts.append(Text(label("rows_not_stored", lang, n=len(rows), rows=where)))
    text, style = _final_line(result, lang)
    parts.append(Text(text, style=style))
    return Group(*parts)


# The rows under Relaties in the counts table: the clients of the sheet by kind, and the
# person relations derived from contacts (R5), which are not clients of their own.
SPLIT_WORDS: dict[str, dict[Lang, str]] = {
    "organisaties": {"nl": "organisaties", "en": "organisations"},
    "personen": {"nl": "personen", "en": "persons"},
    "afgeleid": {"nl": "afgeleid van contacten", "en": "derived from contacts"},
}


def import_summary(result: ImportResult, lang: Lang = "nl", width: int = 100) -> str:
    return as_text(import_view(result, lang), width)
